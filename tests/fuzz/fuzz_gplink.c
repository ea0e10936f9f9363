/* fuzz_gplink.c - the gPLink attribute (gp_som_set_gplink), the one parser of
 * link order, then the engine over the links it produced.
 *
 * Loaders hand it valid UTF-8 (LDIF values and CSV fields are decoded first),
 * so the input is made valid UTF-8 the same way.  The value is set on an OU
 * and on its domain, then set again from the SOM's own copy (the case the
 * function documents), and a computer in the OU is evaluated.
 */
#include "fuzz-common.h"

#define DOMAIN_DN "DC=fuzz,DC=test"
#define OU_DN     "OU=Servers," DOMAIN_DN

static void
add_gpo(GpModel *model, const char *guid, guint flags)
{
  g_autofree char *dn = g_strdup_printf("CN=%s,CN=Policies,CN=System," DOMAIN_DN, guid);
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, dn);

  gpo->in_directory = TRUE;
  gpo->flags = flags;
  gpo->version_number = 1;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GpModel) model = fuzz_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *raw = fuzz_string(data, size);
  g_autofree char *value = g_utf8_make_valid(raw, -1);
  GpSom *domain = gp_model_ensure_som(model, DOMAIN_DN, GP_SOM_DOMAIN);
  GpSom *ou = gp_model_ensure_som(model, OU_DN, GP_SOM_OU);
  GpComputer *computer = gp_model_ensure_computer(model, "CN=PC," OU_DN);

  gp_model_ensure_domain(model, DOMAIN_DN);
  add_gpo(model, "{11111111-1111-1111-1111-111111111111}", 0);
  add_gpo(model, "{22222222-2222-2222-2222-222222222222}", 2);
  gp_som_set_gplink(ou, value, diags, "fuzz.ldif", 1);
  gp_som_set_gplink(domain, value, diags, "fuzz.ldif", 2);
  gp_som_set_gplink(domain, domain->gplink_raw, diags, "fuzz.ldif", 3);
  ou->gp_options = size % 2;
  gp_model_complete(model);
  fuzz_evaluate_computer(model, computer, NULL);
  return 0;
}
