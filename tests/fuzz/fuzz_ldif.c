/* fuzz_ldif.c - LDIF exports (gp_ldif_load_from_data).
 *
 * The bytes are loaded twice into one model, as two --ldif files whose objects
 * are merged by DN, then the engine evaluates up to three of the computers.
 */
#include "fuzz-common.h"

#define MAX_COMPUTERS 3

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GpModel) model = fuzz_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  gboolean ok = gp_ldif_load_from_data((const char *)data, size, "a.ldif", model, diags, &error);

  fuzz_check_result(ok, error);
  if (!ok)
    return 0;
  ok = gp_ldif_load_from_data((const char *)data, size, "b.ldif", model, diags, &error);
  fuzz_check_result(ok, error);
  fuzz_evaluate(model, MAX_COMPUTERS);
  return 0;
}
