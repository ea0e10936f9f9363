/* gp-cmd-audit.c - `gpsim audit`: effective holders against a baseline, and lint.
 *
 *   gpsim audit [--baseline FILE] [DATA] [--format text|json|html] [-o FILE]
 *
 * Evaluates every computer of the data with every right of the catalogue,
 * checks each holder against the baseline (the built-in data/baseline.txt
 * unless --baseline says otherwise) and lints the links and GPOs.  Exit code 5
 * when a holder violates the baseline, 0 otherwise: lint never fails the run.
 */
#include <json-glib/json-glib.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "gp-audit.h"
#include "gp-cli.h"

#define BASELINE_FILE "baseline.txt"

void
gp_cmd_audit_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &options->baseline,
      "baseline to check against (default: the built-in one, data/" BASELINE_FILE ")", "FILE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries(context, entries, NULL);
}

/* The built-in baseline, or --baseline (which may "include builtin"). */
static GpBaseline *
load_baseline(const GpCliOptions *options, const GpModel *model, char **out_path, GError **error)
{
  g_autofree char *dir = gp_cli_data_dir();
  g_autofree char *builtin = g_build_filename(dir, BASELINE_FILE, NULL);

  *out_path = g_strdup(options->baseline ? options->baseline : builtin);
  return gp_baseline_load_file(*out_path, builtin, model, error);
}

/* Everything one run found. */
typedef struct {
  char *baseline_path;
  gboolean builtin;
  GPtrArray *results;  /* GpResult* */
  GPtrArray *findings; /* GpAuditFinding*, by computer */
  GPtrArray *lint;     /* GpLintFinding* */
} Audit;

static void
audit_clear(Audit *audit)
{
  /* findings borrow the results' entries: free them first */
  if (audit->findings)
    g_ptr_array_unref(audit->findings);
  if (audit->lint)
    g_ptr_array_unref(audit->lint);
  if (audit->results)
    g_ptr_array_unref(audit->results);
  g_free(audit->baseline_path);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Audit, audit_clear)

static guint
computers_with_findings(const Audit *audit)
{
  guint count = 0;

  for (guint i = 0; i < audit->findings->len; i++) {
    const GpAuditFinding *f = g_ptr_array_index(audit->findings, i);
    const GpAuditFinding *previous = i ? g_ptr_array_index(audit->findings, i - 1) : NULL;
    if (!previous || previous->computer != f->computer)
      count++;
  }
  return count;
}

static guint
findings_from_gpos(const Audit *audit)
{
  guint count = 0;

  for (guint i = 0; i < audit->findings->len; i++)
    if (((const GpAuditFinding *)g_ptr_array_index(audit->findings, i))->granted_by)
      count++;
  return count;
}

/* ------------------------------------------------------------------ text */

static const char *
entry_name(const GpGpoEntry *entry)
{
  if (entry->gpo && entry->gpo->display_name)
    return entry->gpo->display_name;
  return entry->gpo ? entry->gpo->guid : entry->link->gpo_dn;
}

static void
text_source(const GpAuditFinding *f, GpRole role, GString *out)
{
  const GpGpoEntry *by = f->granted_by;

  if (by)
    g_string_append_printf(out, "      granted by GPO '%s' %s linked at %s (link order %u)\n",
                           entry_name(by), by->gpo ? by->gpo->guid : "", by->som->dn,
                           by->link->link_order);
  else if (f->source == GP_SOURCE_LOCAL)
    g_string_append(out, "      from the local policy (--local): no GPO defines it\n");
  else
    g_string_append_printf(out, "      from the documented %s default: no GPO defines it\n",
                           gp_role_to_string(role));
}

static void
text_finding(const GpAuditFinding *f, GpRole role, GString *out)
{
  const GpPrincipal *p = f->principal;

  g_string_append_printf(out, "  %-32s %s%s%s%s\n", f->right, p->name ? p->name : p->sid,
                         p->name && p->sid ? " (" : "", p->name && p->sid ? p->sid : "",
                         p->name && p->sid ? ")" : "");
  text_source(f, role, out);
  g_string_append_printf(out, "      rule %s\n", f->rule);
}

static void
text_computer(const Audit *audit, const GpResult *result, GString *out, GString *clean)
{
  guint count = 0;

  for (guint i = 0; i < audit->findings->len; i++)
    if (((const GpAuditFinding *)g_ptr_array_index(audit->findings, i))->computer
        == result->computer)
      count++;
  if (count == 0) {
    g_string_append_printf(clean, "%s%s", clean->len ? ", " : "", result->computer->cn);
    return;
  }
  g_string_append_printf(out, "\n%s (%s): %u finding%s\n", result->computer->cn,
                         gp_role_to_string(result->role), count, count == 1 ? "" : "s");
  for (guint i = 0; i < audit->findings->len; i++) {
    const GpAuditFinding *f = g_ptr_array_index(audit->findings, i);
    if (f->computer == result->computer)
      text_finding(f, result->role, out);
  }
}

static void
text_lint(const Audit *audit, GString *out)
{
  g_string_append_printf(out,
                         "\nLint: %u item%s (informational: lint never changes the exit code)\n",
                         audit->lint->len, audit->lint->len == 1 ? "" : "s");
  for (guint i = 0; i < audit->lint->len; i++) {
    const GpLintFinding *l = g_ptr_array_index(audit->lint, i);
    g_string_append_printf(out, "  %-20s %s\n", gp_lint_kind_to_string(l->kind), l->message);
    if (l->som)
      g_string_append_printf(out, "  %-20s at %s\n", "", l->som);
  }
}

static void
render_text(const Audit *audit, GString *out)
{
  g_autoptr(GString) clean = g_string_new(NULL);
  guint gpos = findings_from_gpos(audit);

  g_string_append_printf(out, "Audit of %u computer%s against %s%s\n", audit->results->len,
                         audit->results->len == 1 ? "" : "s", audit->baseline_path,
                         audit->builtin ? " (built-in baseline)" : "");
  for (guint i = 0; i < audit->results->len; i++)
    text_computer(audit, g_ptr_array_index(audit->results, i), out, clean);
  if (clean->len)
    g_string_append_printf(out, "\nNo findings: %s\n", clean->str);
  text_lint(audit, out);
  g_string_append_printf(out,
                         "\nSummary: %u finding%s on %u of %u computers (%u granted by GPOs, %u "
                         "by local policy or role defaults), %u lint item%s\n",
                         audit->findings->len, audit->findings->len == 1 ? "" : "s",
                         computers_with_findings(audit), audit->results->len, gpos,
                         audit->findings->len - gpos, audit->lint->len,
                         audit->lint->len == 1 ? "" : "s");
  g_string_append(out, audit->findings->len ? "FINDINGS: the baseline is violated (exit code 5)\n"
                                            : "CLEAN: every holder is allowed by the baseline\n");
}

/* ------------------------------------------------------------------ JSON */

static void
json_uint(JsonBuilder *b, const char *member, guint value)
{
  json_builder_set_member_name(b, member);
  json_builder_add_int_value(b, value);
}

static void
json_findings(JsonBuilder *b, const Audit *audit)
{
  json_builder_set_member_name(b, "findings");
  json_builder_begin_array(b);
  for (guint i = 0; i < audit->findings->len; i++) {
    const GpAuditFinding *f = g_ptr_array_index(audit->findings, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "computer", f->computer->cn);
    gp_json_add_string(b, "right", f->right);
    json_builder_set_member_name(b, "principal");
    json_builder_begin_object(b);
    gp_json_add_string(b, "sid", f->principal->sid);
    gp_json_add_string(b, "name", f->principal->name);
    json_builder_end_object(b);
    gp_json_add_string(b, "rule", f->rule);
    gp_json_add_string(b, "source", gp_source_to_string(f->source));
    gp_json_add_gpo_ref(b, "granted_by", f->granted_by);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_lint(JsonBuilder *b, const Audit *audit)
{
  json_builder_set_member_name(b, "lint");
  json_builder_begin_array(b);
  for (guint i = 0; i < audit->lint->len; i++) {
    const GpLintFinding *l = g_ptr_array_index(audit->lint, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "kind", gp_lint_kind_to_string(l->kind));
    json_builder_set_member_name(b, "gpo");
    if (l->gpo_guid || l->gpo_name) {
      json_builder_begin_object(b);
      gp_json_add_string(b, "guid", l->gpo_guid);
      gp_json_add_string(b, "name", l->gpo_name);
      json_builder_end_object(b);
    } else {
      json_builder_add_null_value(b);
    }
    gp_json_add_string(b, "som", l->som);
    gp_json_add_string(b, "message", l->message);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_summary(JsonBuilder *b, const Audit *audit)
{
  json_builder_set_member_name(b, "summary");
  json_builder_begin_object(b);
  gp_json_add_string(b, "baseline", audit->baseline_path);
  json_builder_set_member_name(b, "builtin_baseline");
  json_builder_add_boolean_value(b, audit->builtin);
  json_uint(b, "computers", audit->results->len);
  json_uint(b, "computers_with_findings", computers_with_findings(audit));
  json_uint(b, "findings", audit->findings->len);
  json_uint(b, "findings_granted_by_gpos", findings_from_gpos(audit));
  json_uint(b, "lint", audit->lint->len);
  json_builder_set_member_name(b, "clean");
  json_builder_add_boolean_value(b, audit->findings->len == 0);
  json_builder_end_object(b);
}

static char *
render_json(const Audit *audit)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.audit/1");
  json_findings(b, audit);
  json_lint(b, audit);
  json_summary(b, audit);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, TRUE);
  return json_generator_to_data(generator, NULL);
}

/* ------------------------------------------------------------------ HTML */

#define H gp_render_html_element

static char *
principal_text(const GpPrincipal *p)
{
  if (p->name && p->sid)
    return g_strdup_printf("%s (%s)", p->name, p->sid);
  return g_strdup(p->name ? p->name : p->sid);
}

static char *
granted_by_text(const GpAuditFinding *f, GpRole role)
{
  const GpGpoEntry *by = f->granted_by;

  if (by)
    return g_strdup_printf("GPO '%s' %s linked at %s (link order %u)", entry_name(by),
                           by->gpo ? by->gpo->guid : "", by->som->dn, by->link->link_order);
  if (f->source == GP_SOURCE_LOCAL)
    return g_strdup("the local policy (--local): no GPO defines it");
  return g_strdup_printf("the documented %s default: no GPO defines it", gp_role_to_string(role));
}

static GpRole
finding_role(const Audit *audit, const GpAuditFinding *f)
{
  for (guint i = 0; i < audit->results->len; i++) {
    const GpResult *result = g_ptr_array_index(audit->results, i);
    if (result->computer == f->computer)
      return result->role;
  }
  return GP_ROLE_MEMBER_SERVER;
}

static void
html_findings(xmlNodePtr body, const Audit *audit)
{
  static const char *const heads[] = { "computer", "right", "principal", "rule", "granted by" };
  xmlNodePtr table;

  H(body, "h2", NULL, "Findings");
  if (audit->findings->len == 0) {
    H(body, "p", "verdict", "CLEAN: every holder is allowed by the baseline");
    return;
  }
  table = H(body, "table", "findings", NULL);
  gp_render_html_row(table, TRUE, heads, G_N_ELEMENTS(heads));
  for (guint i = 0; i < audit->findings->len; i++) {
    const GpAuditFinding *f = g_ptr_array_index(audit->findings, i);
    g_autofree char *principal = principal_text(f->principal);
    g_autofree char *by = granted_by_text(f, finding_role(audit, f));
    const char *cells[] = { f->computer->cn, f->right, principal, f->rule, by };
    gp_render_html_row(table, FALSE, cells, G_N_ELEMENTS(cells));
  }
}

static void
html_lint(xmlNodePtr body, const Audit *audit)
{
  xmlNodePtr ul;

  H(body, "h2", NULL, "Lint (informational: lint never changes the exit code)");
  if (audit->lint->len == 0) {
    H(body, "p", "sub", "No lint items.");
    return;
  }
  ul = H(body, "ul", "lint", NULL);
  for (guint i = 0; i < audit->lint->len; i++) {
    const GpLintFinding *l = g_ptr_array_index(audit->lint, i);
    xmlNodePtr li = H(ul, "li", NULL, NULL);
    H(li, "span", "kind", gp_lint_kind_to_string(l->kind));
    H(li, "span", "message", l->message);
    if (l->som)
      H(li, "span", "why", l->som);
  }
}

static char *
render_html(const Audit *audit)
{
  xmlNodePtr body = NULL;
  xmlDocPtr doc = gp_render_html_page_new("gpsim audit", &body);
  g_autofree char *sub = g_strdup_printf(
      "%u computer%s against %s%s: %u finding%s on %u computer%s, %u lint item%s",
      audit->results->len, audit->results->len == 1 ? "" : "s", audit->baseline_path,
      audit->builtin ? " (built-in baseline)" : "", audit->findings->len,
      audit->findings->len == 1 ? "" : "s", computers_with_findings(audit),
      computers_with_findings(audit) == 1 ? "" : "s", audit->lint->len,
      audit->lint->len == 1 ? "" : "s");
  char *text;

  H(body, "h1", NULL, "Audit: effective user rights against the baseline");
  H(body, "p", "sub", sub);
  html_findings(body, audit);
  html_lint(body, audit);
  H(body, "p", "footer", "gpsim " GP_VERSION);
  text = gp_render_html_page_dump(doc);
  xmlFreeDoc(doc);
  return text;
}

#undef H

/* ------------------------------------------------------------------ run */

static gboolean
run_audit(const GpCliData *data, const GpCliOptions *options, const GpBaseline *baseline,
          Audit *audit, GError **error)
{
  if (!(audit->results = gp_cli_evaluate_all(data, options, error)))
    return FALSE;
  audit->findings = g_ptr_array_new_with_free_func((GDestroyNotify)gp_audit_finding_free);
  for (guint i = 0; i < audit->results->len; i++) {
    g_autoptr(GPtrArray) found
        = gp_audit_check(data->model, g_ptr_array_index(audit->results, i), baseline);
    g_ptr_array_extend_and_steal(audit->findings, g_steal_pointer(&found));
  }
  audit->lint = gp_audit_lint(data->model, audit->results);
  return TRUE;
}

int
gp_cmd_audit(GpCliOptions *options, char **positionals)
{
  g_auto(GpCliData) data = { 0 };
  g_auto(Audit) audit = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GpBaseline) baseline = NULL;
  int status;

  (void)positionals;
  if (!gp_cli_check_format_html(options, "audit"))
    return GP_EXIT_USAGE;
  if ((status = gp_cli_load_data(options, &data)) != GP_EXIT_OK)
    return status;
  if (!(baseline = load_baseline(options, data.model, &audit.baseline_path, &error)))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  audit.builtin = options->baseline == NULL;
  if (!run_audit(&data, options, baseline, &audit, &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  if (g_strcmp0(options->format, "json") == 0) {
    g_autofree char *json = render_json(&audit);
    g_string_append_printf(out, "%s\n", json);
  } else if (g_strcmp0(options->format, "html") == 0) {
    g_autofree char *html = render_html(&audit);
    g_string_append(out, html);
  } else {
    render_text(&audit, out);
  }
  if ((status = gp_cli_emit(options, out)) != GP_EXIT_OK)
    return status;
  return audit.findings->len ? GP_EXIT_FINDINGS : GP_EXIT_OK;
}
