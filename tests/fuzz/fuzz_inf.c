/* fuzz_inf.c - security templates (gp_inf_load_from_data) and GPT.INI
 * (gp_gptini_load_from_data) from the same bytes.
 *
 * A template that loads is then used twice by the engine: as the local policy
 * of a stand-alone computer, and as the machine template of a GPO linked to the
 * domain of a member computer, so its rights go through resolution.
 */
#include "fuzz-common.h"

#define DOMAIN_DN "DC=fuzz,DC=test"
#define GPO_DN    "CN={0F0F0F0F-0000-4000-8000-000000000001},CN=Policies,CN=System," DOMAIN_DN

/* Takes @tmpl as the template of a GPO linked to the domain of a computer. */
static void
evaluate_as_gpo(GpModel *model, GpSecurityTemplate *tmpl)
{
  GpSom *domain = gp_model_ensure_som(model, DOMAIN_DN, GP_SOM_DOMAIN);
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, GPO_DN);
  GpComputer *computer = gp_model_ensure_computer(model, "CN=MEMBER,CN=Computers," DOMAIN_DN);

  gp_model_ensure_domain(model, DOMAIN_DN);
  gp_som_add_link(domain, GPO_DN, 0);
  gpo->in_directory = TRUE;
  gpo->version_number = 1;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->machine_extension_names = g_strdup("[" GP_SECURITY_CSE_GUID "]");
  gpo->sysvol = GP_SYSVOL_READ;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = 1;
  gpo->machine_template = tmpl;
  gp_model_complete(model);
  fuzz_evaluate_computer(model, computer, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GpModel) model = fuzz_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) ini_error = NULL;
  g_autoptr(GpSecurityTemplate) tmpl
      = gp_inf_load_from_data((const char *)data, size, "GptTmpl.inf", model, diags, &error);
  guint32 version = 0;
  gboolean ini_ok
      = gp_gptini_load_from_data((const char *)data, size, "GPT.INI", &version, diags, &ini_error);

  fuzz_check_result(tmpl != NULL, error);
  fuzz_check_result(ini_ok, ini_error);
  if (tmpl != NULL) {
    GpComputer *standalone = gp_model_ensure_computer(model, "CN=LOCAL");
    GpEngineOptions options = { .local_policy = tmpl, .standalone = TRUE };

    fuzz_evaluate_computer(model, standalone, &options);
    evaluate_as_gpo(model, g_steal_pointer(&tmpl));
  }
  return 0;
}
