/* gp-test.c - see gp-test.h. */
#include "gp-test.h"

#include <CUnit/Basic.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

/* RUNNING_ON_VALGRIND is a header-only client request: no library to link. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GP_TEST_HAVE_VALGRIND 1
#endif
#endif

static gboolean skipped_flag;

void
gp_test_skip(const char *reason)
{
  printf("SKIP: %s\n", reason);
  skipped_flag = TRUE;
}

char *
gp_test_sample(const char *relative)
{
  if (!g_file_test(GP_TEST_SAMPLES_DIR, G_FILE_TEST_IS_DIR)) {
    g_autofree char *reason
        = g_strdup_printf("samples folder %s is absent; needs %s", GP_TEST_SAMPLES_DIR, relative);
    gp_test_skip(reason);
    return NULL;
  }
  return g_build_filename(GP_TEST_SAMPLES_DIR, relative, NULL);
}

char *
gp_test_fixture(const char *relative)
{
  return g_build_filename(GP_TEST_SOURCE_DIR, "fixtures", relative, NULL);
}

char *
gp_test_data(const char *relative)
{
  return g_build_filename(GP_TEST_SOURCE_DIR, "data", relative, NULL);
}

char *
gp_test_source(const char *relative)
{
  return g_build_filename(GP_TEST_SOURCE_DIR, relative, NULL);
}

char *
gp_test_samples_dir(void)
{
  if (!g_file_test(GP_TEST_SAMPLES_DIR, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_strdup(GP_TEST_SAMPLES_DIR);
}

static void
find_files_in(const char *dir, const char *suffix, GPtrArray *found)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  const char *entry;

  while (handle && (entry = g_dir_read_name(handle))) {
    g_autofree char *path = g_build_filename(dir, entry, NULL);
    g_autofree char *folded = g_ascii_strdown(entry, -1);

    if (g_file_test(path, G_FILE_TEST_IS_SYMLINK))
      continue;
    if (g_file_test(path, G_FILE_TEST_IS_DIR))
      find_files_in(path, suffix, found);
    else if (g_str_has_suffix(folded, suffix) && g_file_test(path, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add(found, g_steal_pointer(&path));
  }
}

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
gp_test_find_files(const char *dir, const char *suffix)
{
  GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *folded = g_ascii_strdown(suffix, -1);

  find_files_in(dir, folded, found);
  g_ptr_array_sort(found, compare_paths);
  return found;
}

gboolean
gp_test_under_valgrind(void)
{
#ifdef GP_TEST_HAVE_VALGRIND
  return RUNNING_ON_VALGRIND != 0;
#else
  return FALSE;
#endif
}

char *
gp_test_read(const char *path, gsize *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents(path, &contents, len, &error)) {
    CU_FAIL_FATAL(error->message);
    return NULL;
  }
  return contents;
}

void
gp_test_assert_str(const char *actual, const char *expected, const char *file, int line,
                   const char *expr)
{
  gboolean same = g_strcmp0(actual, expected) == 0;

  if (!same)
    printf("\n%s:%d: %s is '%s', expected '%s'\n", file, line, expr, actual ? actual : "(null)",
           expected ? expected : "(null)");
  CU_assertImplementation(same, (unsigned)line, "string equality", file, "", CU_FALSE);
}

static gboolean
run_selected(CU_pSuite suite, const GpTestCase *cases, gsize n_cases, const char *only)
{
  gboolean found = FALSE;

  for (gsize i = 0; i < n_cases; i++) {
    if (only && strcmp(only, cases[i].name) != 0)
      continue;
    CU_add_test(suite, cases[i].name, cases[i].fn);
    found = TRUE;
  }
  return found;
}

int
gp_test_main(int argc, char **argv, const char *suite_name, const GpTestCase *cases, gsize n_cases)
{
  const char *only = NULL;
  unsigned failures;

  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], "-t") == 0)
      only = argv[i + 1];
  if (CU_initialize_registry() != CUE_SUCCESS)
    return 2;
  CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
  if (!run_selected(suite, cases, n_cases, only)) {
    fprintf(stderr, "%s: no test named '%s'\n", suite_name, only);
    CU_cleanup_registry();
    return 2;
  }
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
  CU_cleanup_registry();
  if (failures > 0)
    return 1;
  return skipped_flag ? 77 : 0;
}

void
gp_test_remove_tree(const char *path)
{
  if (!g_file_test(path, G_FILE_TEST_IS_SYMLINK) && g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
      g_autofree char *child = g_build_filename(path, entry, NULL);
      gp_test_remove_tree(child);
    }
    if (g_rmdir(path) != 0)
      printf("\ncannot remove %s\n", path);
    return;
  }
  if (g_remove(path) != 0)
    printf("\ncannot remove %s\n", path);
}

GpTestTree *
gp_test_tree_new(void)
{
  GpTestTree *tree = g_new0(GpTestTree, 1);

  tree->root = g_build_filename(g_get_tmp_dir(), "gpsim-test-XXXXXX", NULL);
  if (!g_mkdtemp(tree->root))
    CU_FAIL("g_mkdtemp failed");
  return tree;
}

void
gp_test_tree_free(GpTestTree *tree)
{
  if (!tree)
    return;
  gp_test_remove_tree(tree->root);
  g_free(tree->root);
  g_free(tree);
}

char *
gp_test_tree_path(const GpTestTree *tree, const char *relative)
{
  return g_build_filename(tree->root, relative, NULL);
}

void
gp_test_tree_write(const GpTestTree *tree, const char *relative, const char *data, gssize len)
{
  g_autofree char *path = gp_test_tree_path(tree, relative);
  g_autofree char *dir = g_path_get_dirname(path);
  g_autoptr(GError) error = NULL;

  CU_ASSERT_EQUAL(g_mkdir_with_parents(dir, 0700), 0);
  if (!g_file_set_contents(path, data, len, &error))
    CU_FAIL(error->message);
}

void
gp_test_tree_mkdir(const GpTestTree *tree, const char *relative)
{
  g_autofree char *path = gp_test_tree_path(tree, relative);

  CU_ASSERT_EQUAL(g_mkdir_with_parents(path, 0700), 0);
}

void
gp_test_tree_symlink(const GpTestTree *tree, const char *target, const char *relative)
{
  g_autofree char *path = gp_test_tree_path(tree, relative);
  g_autofree char *dir = g_path_get_dirname(path);

  CU_ASSERT_EQUAL(g_mkdir_with_parents(dir, 0700), 0);
  CU_ASSERT_EQUAL(symlink(target, path), 0);
}
