/* gp-cmd-verify.c - `gpsim verify`: does the simulation agree with the client?
 *
 * Reads what a Windows client recorded (gpresult /x), simulates the same
 * computer from the given data, with the client's own site unless --site or
 * --ip says otherwise, and compares the applied GPO list and every right's
 * winner and holders.  Exit code 4 when they disagree.
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-names.h"

/* "CHILD\\CHILDDC$" -> "CHILDDC" */
static char *
short_computer_name(const char *name)
{
  const char *backslash = strrchr(name, '\\');
  const char *start = backslash ? backslash + 1 : name;
  gsize len = strlen(start);

  if (len > 0 && start[len - 1] == '$')
    len--;
  return g_strndup(start, len);
}

/* The computer the RSoP was taken on; placed from the RSoP when the data lacks it. */
static const GpComputer *
rsop_computer(GpCliData *data, const GpRsop *rsop)
{
  g_autofree char *name = short_computer_name(rsop->computer_name ? rsop->computer_name : "");
  g_autoptr(GPtrArray) found = gp_model_find_computers(data->model, name);
  g_autofree char *som_dn = rsop->som ? gp_dn_from_canonical(rsop->som) : NULL;
  g_autofree char *dn = NULL;
  GpComputer *computer;

  if (found->len >= 1)
    return g_ptr_array_index(found, 0);
  if (!som_dn)
    return NULL;
  dn = g_strdup_printf("CN=%s,%s%s", name, strchr(rsop->som, '/') ? "" : "CN=Computers,", som_dn);
  computer = gp_model_ensure_computer(data->model, dn);
  g_free(computer->site);
  computer->site = g_strdup(rsop->site);
  fprintf(stderr, "gpsim: note: %s is not in the data: placed at %s as the RSoP says\n", name, dn);
  return computer;
}

static const char *
kind_label(GpMismatchKind kind)
{
  switch (kind) {
  case GP_MISMATCH_GPO_LIST:
    return "GPO list";
  case GP_MISMATCH_WINNER:
    return "winner";
  case GP_MISMATCH_HOLDERS:
    return "holders";
  case GP_MISMATCH_MISSING:
    return "missing";
  }
  return "other";
}

static void
render_text(const GpRsop *rsop, const GpVerifyResult *verify, GString *out)
{
  g_string_append_printf(out, "Verified against %s (%s, site %s)\n", rsop->file,
                         rsop->computer_name ? rsop->computer_name : "?",
                         rsop->site ? rsop->site : "none");
  g_string_append_printf(out, "Compared %u applied GPOs and %u rights: %u mismatch%s\n",
                         verify->gpos_compared, verify->rights_compared, verify->mismatches->len,
                         verify->mismatches->len == 1 ? "" : "es");
  for (guint i = 0; i < verify->mismatches->len; i++) {
    const GpMismatch *m = g_ptr_array_index(verify->mismatches, i);
    g_string_append_printf(
        out, "\nMISMATCH (%s)%s%s\n  the client recorded: %s\n  gpsim computed:      %s\n",
        kind_label(m->kind), m->right ? ": " : "", m->right ? m->right : "",
        m->expected ? m->expected : "-", m->actual ? m->actual : "-");
    for (guint c = 0; m->likely_causes && c < m->likely_causes->len; c++)
      g_string_append_printf(out, "  likely cause: %s\n",
                             (char *)g_ptr_array_index(m->likely_causes, c));
  }
  for (guint i = 0; i < verify->notes->len; i++)
    g_string_append_printf(out, "Note: %s\n", (char *)g_ptr_array_index(verify->notes, i));
  if (verify->mismatches->len == 0)
    g_string_append(out, "AGREE: gpsim gives the answer the client recorded\n");
}

static char *
render_json(const GpRsop *rsop, const GpVerifyResult *verify)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.verify/1");
  gp_json_add_string(b, "rsop", rsop->file);
  gp_json_add_string(b, "computer", rsop->computer_name);
  json_builder_set_member_name(b, "agree");
  json_builder_add_boolean_value(b, verify->mismatches->len == 0);
  json_builder_set_member_name(b, "mismatches");
  json_builder_begin_array(b);
  for (guint i = 0; i < verify->mismatches->len; i++) {
    const GpMismatch *m = g_ptr_array_index(verify->mismatches, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "kind", kind_label(m->kind));
    gp_json_add_string(b, "right", m->right);
    gp_json_add_string(b, "expected", m->expected);
    gp_json_add_string(b, "actual", m->actual);
    gp_json_add_strings(b, "likely_causes", m->likely_causes);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  gp_json_add_strings(b, "notes", verify->notes);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, TRUE);
  return json_generator_to_data(generator, NULL);
}

static GpVerifyResult *
simulate_and_compare(GpCliData *data, const GpCliOptions *options, const GpRsop *rsop,
                     GError **error)
{
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  const GpComputer *computer = rsop_computer(data, rsop);
  g_autoptr(GpResult) result = NULL;

  if (!computer) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s names no computer and no SOM; nothing to simulate", rsop->file);
    return NULL;
  }
  if (!engine.site && !engine.ip)
    engine.site = rsop->site ? rsop->site : "";
  result = gp_engine_evaluate(data->model, computer, &engine, error);
  return result ? gp_engine_verify(data->model, result, rsop) : NULL;
}

int
gp_cmd_verify(GpCliOptions *options, char **positionals)
{
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpRsop) rsop = NULL;
  g_autoptr(GpVerifyResult) verify = NULL;
  int status;

  (void)positionals;
  if (!options->rsop)
    return gp_cli_fail(GP_EXIT_USAGE, "verify needs --rsop FILE (gpresult /scope computer /x)");
  if (!gp_cli_check_format(options, "verify", "text", "json"))
    return GP_EXIT_USAGE;
  options->rsop_is_observation = TRUE;
  if ((status = gp_cli_load_data(options, &data)) != GP_EXIT_OK)
    return status;
  {
    g_autoptr(GPtrArray) rsop_diags = gp_diag_list_new();
    rsop = gp_rsop_load_file(options->rsop, rsop_diags, &error);
    gp_cli_print_diags(rsop_diags);
  }
  if (!rsop)
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  if (!(verify = simulate_and_compare(&data, options, rsop, &error)))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  if (g_strcmp0(options->format, "json") == 0) {
    g_autofree char *json = render_json(rsop, verify);
    g_string_append_printf(out, "%s\n", json);
  } else {
    render_text(rsop, verify, out);
  }
  status = gp_cli_emit(options, out);
  if (status != GP_EXIT_OK)
    return status;
  return verify->mismatches->len ? GP_EXIT_MISMATCH : GP_EXIT_OK;
}
