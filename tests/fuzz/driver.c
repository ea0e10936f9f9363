/* driver.c - runs a fuzz target without a fuzzing engine (style.md D.15).
 *
 * Feeds LLVMFuzzerTestOneInput() every file named on the command line, and
 * every file inside a folder named there, once each, the way libFuzzer runs
 * a crash reproducer.  So the targets build with any compiler as ordinary
 * programs, and CTest runs each over its seed corpus (tests/fuzz/corpus/).
 * Exit status: 0 when every input ran, 1 when one could not be read.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz-common.h"

static gboolean
run_file(const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents(path, &data, &len, &error)) {
    fprintf(stderr, "driver: %s\n", error->message);
    return FALSE;
  }
  LLVMFuzzerTestOneInput((const uint8_t *)data, len);
  return TRUE;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Runs every file of @dir, in name order. */
static gboolean
run_dir(const char *dir, guint *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open(dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = TRUE;
  const char *name;

  if (!handle) {
    fprintf(stderr, "driver: %s\n", error->message);
    return FALSE;
  }
  while ((name = g_dir_read_name(handle)))
    g_ptr_array_add(names, g_build_filename(dir, name, NULL));
  g_ptr_array_sort(names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    const char *path = g_ptr_array_index(names, i);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
      ok = run_file(path) && ok;
      (*count)++;
    }
  }
  return ok;
}

int
main(int argc, char **argv)
{
  gboolean ok = TRUE;
  guint count = 0;

  LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; i++) {
    if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
      ok = run_dir(argv[i], &count) && ok;
    } else {
      ok = run_file(argv[i]) && ok;
      count++;
    }
  }
  printf("%s: %u inputs run%s\n", argc > 0 ? argv[0] : "driver", count,
         ok ? "" : ", some could not be read");
  return ok ? 0 : 1;
}
