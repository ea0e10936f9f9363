/* fuzz_rsop.c - gpresult /x RSoP XML (gp_rsop_load_from_data), used both ways
 * gpsim uses it: as data (gp_rsop_add_to_model, then the engine) and as the
 * observation `gpsim verify` compares the simulation with (gp_engine_verify).
 */
#include "fuzz-common.h"

#define MAX_COMPUTERS 3

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GpModel) model = fuzz_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpRsop) rsop
      = gp_rsop_load_from_data((const char *)data, size, "fuzz.xml", diags, &error);
  const GPtrArray *computers;

  fuzz_check_result(rsop != NULL, error);
  if (rsop == NULL)
    return 0;
  gp_rsop_add_to_model(rsop, model, diags);
  gp_model_complete(model);
  computers = gp_model_computers(model);
  for (guint i = 0; i < computers->len && i < MAX_COMPUTERS; i++) {
    g_autoptr(GpResult) result
        = gp_engine_evaluate(model, g_ptr_array_index(computers, i), NULL, NULL);
    g_autoptr(GpVerifyResult) verify = NULL;

    if (result == NULL)
      g_error("fuzz_rsop: evaluation failed");
    verify = gp_engine_verify(model, result, rsop);
  }
  return 0;
}
