/* fuzz_gpreport.c - Get-GPOReport XML (gp_gpreport_load_from_data).
 *
 * Reports hold no computers: one is modeled in each of the first three SOMs
 * the report built (as --computer X --ou DN does) and evaluated.
 */
#include "fuzz-common.h"

#define MAX_COMPUTERS 3

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GpModel) model = fuzz_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func(g_free);
  gboolean ok
      = gp_gpreport_load_from_data((const char *)data, size, "fuzz.xml", model, diags, &error);
  const GPtrArray *soms = gp_model_soms(model);

  fuzz_check_result(ok, error);
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
