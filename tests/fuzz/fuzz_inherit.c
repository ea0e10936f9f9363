/* fuzz_inherit.c - the gPLink/gPOptions CSV (gp_inheritance_load_file).
 *
 * The loader reads only from a path, so each input is written to an
 * in-memory file (memfd_create) and read back through /proc/self/fd: no disk
 * and no temporary file to clean up.  A computer is then modeled in each of
 * the first three SOMs of the CSV and evaluated.
 */
#define _GNU_SOURCE
#include "fuzz-common.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_COMPUTERS 3

static gboolean
write_all(int fd, const uint8_t *data, size_t size)
{
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n <= 0)
      return FALSE;
    data += n;
    size -= (size_t)n;
  }
  return TRUE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GpModel) model = fuzz_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *path = NULL;
  const GPtrArray *soms;
  int fd = memfd_create("fuzz.csv", MFD_CLOEXEC);
  gboolean ok;

  if (fd < 0 || !write_all(fd, data, size)) {
    g_printerr("fuzz_inherit: cannot write the input to a memfd\n");
    abort();
  }
  path = g_strdup_printf("/proc/self/fd/%d", fd);
  ok = gp_inheritance_load_file(path, model, diags, &error);
  close(fd);
  fuzz_check_result(ok, error);
  soms = gp_model_soms(model);
  for (guint i = 0; i < soms->len && places->len < MAX_COMPUTERS; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    if (som->kind != GP_SOM_SITE)
      g_ptr_array_add(places, g_strdup_printf("CN=FUZZ%u,%s", i, som->dn));
  }
  for (guint i = 0; i < places->len; i++)
    gp_model_ensure_computer(model, g_ptr_array_index(places, i));
  fuzz_evaluate(model, MAX_COMPUTERS);
  return 0;
}
