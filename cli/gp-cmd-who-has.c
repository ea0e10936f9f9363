/* gp-cmd-who-has.c - `gpsim who-has`: where a principal holds a right, and how
 * to take it away.
 *
 *   gpsim who-has --principal SID|NAME [--right R]... [DATA] [--format text|json]
 *
 * Evaluates every computer (every right of the catalogue unless --right says
 * which), finds the holders that include the principal -- itself, a group it
 * is in (nested), or a well-known group every account gets -- and for each
 * suggests single changes, as `gpsim whatif` plan lines, that remove it.
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gp-audit.h"
#include "gp-cli.h"
#include "gp-names.h"

void
gp_cmd_who_has_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "principal", 0, 0, G_OPTION_ARG_STRING, &options->principal,
      "the account or group: SID, *SID or name (CONTOSO\\svc-legacy, svc-legacy)", "SID|NAME" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries(context, entries, NULL);
}

/* "*S-1-5-6", "S-1-5-6", "CONTOSO\svc-legacy", "svc-legacy", or a computer's name. */
static char *
resolve_principal(const GpModel *model, const char *text, GError **error)
{
  g_autofree char *upper = g_ascii_strup(text[0] == '*' ? text + 1 : text, -1);
  const char *sid = gp_model_principal_sid(model, text);
  g_autoptr(GPtrArray) computers = NULL;

  if (gp_sid_is_valid(upper))
    return g_steal_pointer(&upper);
  if (sid)
    return g_ascii_strup(sid, -1);
  computers = gp_model_find_computers(model, text);
  if (computers->len == 1 && ((GpComputer *)g_ptr_array_index(computers, 0))->sid)
    return g_ascii_strup(((GpComputer *)g_ptr_array_index(computers, 0))->sid, -1);
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "--principal '%s' names no account or group in the data; give its SID", text);
  return NULL;
}

/* Everything one run found. */
typedef struct {
  char *sid;
  const char *name;   /* (nullable) borrowed from the model */
  GPtrArray *results; /* GpResult* */
  GPtrArray *entries; /* GpWhoHasEntry*, borrowing the results */
} WhoHas;

static void
who_has_clear(WhoHas *w)
{
  if (w->entries)
    g_ptr_array_unref(w->entries);
  if (w->results)
    g_ptr_array_unref(w->results);
  g_free(w->sid);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(WhoHas, who_has_clear)

static gboolean
only_well_known(const GpWhoHasEntry *entry)
{
  for (guint i = 0; i < entry->via->len; i++)
    if (((const GpWhoHasVia *)g_ptr_array_index(entry->via, i))->kind != GP_VIA_WELL_KNOWN)
      return FALSE;
  return TRUE;
}

static guint
count_only_well_known(const WhoHas *w)
{
  guint count = 0;

  for (guint i = 0; i < w->entries->len; i++)
    count += only_well_known(g_ptr_array_index(w->entries, i));
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
text_decider(const GpWhoHasEntry *entry, GString *out)
{
  const GpGpoEntry *by = entry->granted_by;

  if (by)
    g_string_append_printf(out, "    decided by GPO '%s' %s linked at %s (link order %u)\n",
                           entry_name(by), by->gpo ? by->gpo->guid : "", by->som->dn,
                           by->link->link_order);
  else
    g_string_append_printf(out, "    decided by the %s (no GPO defines it)\n",
                           entry->right->source == GP_SOURCE_LOCAL ? "local policy"
                                                                   : "documented role default");
}

static void
text_entry(const GpWhoHasEntry *entry, GString *out)
{
  const GpRightResult *right = entry->right;

  g_string_append_printf(out, "\n%s  %s%s%s%s\n", entry->computer->cn, right->right,
                         right->info ? " (" : "", right->info ? right->info->display_name : "",
                         right->info ? ")" : "");
  for (guint i = 0; i < entry->via->len; i++) {
    const GpWhoHasVia *via = g_ptr_array_index(entry->via, i);
    g_string_append_printf(out, "    via %s (holder %s)\n", via->text,
                           via->holder->name ? via->holder->name : via->holder->sid);
  }
  text_decider(entry, out);
  if (entry->removals->len)
    g_string_append(out, "    to remove it, one change each (gpsim whatif plan lines):\n");
  for (guint i = 0; i < entry->removals->len; i++) {
    const GpRemoval *removal = g_ptr_array_index(entry->removals, i);
    g_auto(GStrv) lines = g_strsplit(removal->plan, "\n", -1);
    g_string_append_printf(out, "      %s: %s\n", gp_removal_kind_to_string(removal->kind),
                           removal->description);
    for (guint l = 0; lines[l]; l++)
      g_string_append_printf(out, "        %s\n", lines[l]);
  }
  for (guint i = 0; i < entry->notes->len; i++)
    g_string_append_printf(out, "    note: %s\n", (char *)g_ptr_array_index(entry->notes, i));
}

/* Well-known-only entries, one line per right: "RIGHT: A (Everyone), B (...)". */
static void
text_well_known(const WhoHas *w, GString *out)
{
  g_autoptr(GPtrArray) rights = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < w->entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(w->entries, i);
    const GpWhoHasVia *via = g_ptr_array_index(entry->via, 0);
    guint at = 0;
    if (!only_well_known(entry))
      continue;
    while (at < rights->len && strcmp(g_ptr_array_index(rights, at), entry->right->right) != 0)
      at++;
    if (at == rights->len) {
      g_ptr_array_add(rights, g_strdup(entry->right->right));
      g_ptr_array_add(lines, g_strdup(""));
    }
    g_autofree char *old = lines->pdata[at];
    lines->pdata[at] = g_strdup_printf("%s%s%s (%s)", old, *old ? ", " : "", entry->computer->cn,
                                       via->holder->name ? via->holder->name : via->holder->sid);
  }
  if (rights->len)
    g_string_append(out, "\nThrough well-known groups only (every such account gets them; no "
                         "single change removes them for this principal alone):\n");
  for (guint i = 0; i < rights->len; i++)
    g_string_append_printf(out, "  %-32s %s\n", (char *)g_ptr_array_index(rights, i),
                           (char *)g_ptr_array_index(lines, i));
}

static void
render_text(const WhoHas *w, GString *out)
{
  guint well_known = count_only_well_known(w);
  guint direct = w->entries->len - well_known;

  g_string_append_printf(out, "Who has: %s (%s), on %u computer%s\n", w->name ? w->name : w->sid,
                         w->sid, w->results->len, w->results->len == 1 ? "" : "s");
  for (guint i = 0; i < w->entries->len; i++)
    if (!only_well_known(g_ptr_array_index(w->entries, i)))
      text_entry(g_ptr_array_index(w->entries, i), out);
  text_well_known(w, out);
  g_string_append_printf(out,
                         "\nSummary: %u right%s held directly or through its groups, %u only "
                         "through well-known groups\n",
                         direct, direct == 1 ? "" : "s", well_known);
}

/* ------------------------------------------------------------------ JSON */

static void
json_principal(JsonBuilder *b, const char *member, const char *sid, const char *name)
{
  json_builder_set_member_name(b, member);
  json_builder_begin_object(b);
  gp_json_add_string(b, "sid", sid);
  gp_json_add_string(b, "name", name);
  json_builder_end_object(b);
}

static void
json_via(JsonBuilder *b, const GpWhoHasEntry *entry)
{
  json_builder_set_member_name(b, "via");
  json_builder_begin_array(b);
  for (guint i = 0; i < entry->via->len; i++) {
    const GpWhoHasVia *via = g_ptr_array_index(entry->via, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "kind", gp_via_kind_to_string(via->kind));
    json_principal(b, "holder", via->holder->sid, via->holder->name);
    gp_json_add_strings(b, "chain", via->chain);
    gp_json_add_string(b, "text", via->text);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_removals(JsonBuilder *b, const GpWhoHasEntry *entry)
{
  json_builder_set_member_name(b, "removals");
  json_builder_begin_array(b);
  for (guint i = 0; i < entry->removals->len; i++) {
    const GpRemoval *removal = g_ptr_array_index(entry->removals, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "kind", gp_removal_kind_to_string(removal->kind));
    gp_json_add_string(b, "plan", removal->plan);
    gp_json_add_string(b, "description", removal->description);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_entries(JsonBuilder *b, const WhoHas *w)
{
  json_builder_set_member_name(b, "entries");
  json_builder_begin_array(b);
  for (guint i = 0; i < w->entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(w->entries, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "computer", entry->computer->cn);
    gp_json_add_string(b, "right", entry->right->right);
    gp_json_add_string(b, "source", gp_source_to_string(entry->right->source));
    json_via(b, entry);
    gp_json_add_gpo_ref(b, "granted_by", entry->granted_by);
    json_removals(b, entry);
    gp_json_add_strings(b, "notes", entry->notes);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_summary(JsonBuilder *b, const WhoHas *w)
{
  g_autoptr(GPtrArray) computers = g_ptr_array_new();
  guint well_known = count_only_well_known(w);

  for (guint i = 0; i < w->entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(w->entries, i);
    if (!g_ptr_array_find(computers, entry->computer->cn, NULL))
      g_ptr_array_add(computers, entry->computer->cn);
  }
  json_builder_set_member_name(b, "summary");
  json_builder_begin_object(b);
  gp_json_add_strings(b, "computers", computers);
  json_builder_set_member_name(b, "entries");
  json_builder_add_int_value(b, w->entries->len);
  json_builder_set_member_name(b, "direct_or_group");
  json_builder_add_int_value(b, w->entries->len - well_known);
  json_builder_set_member_name(b, "well_known_only");
  json_builder_add_int_value(b, well_known);
  json_builder_end_object(b);
}

static char *
render_json(const WhoHas *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.who-has/1");
  json_principal(b, "principal", w->sid, w->name);
  json_entries(b, w);
  json_summary(b, w);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, TRUE);
  return json_generator_to_data(generator, NULL);
}

/* ------------------------------------------------------------------ run */

int
gp_cmd_who_has(GpCliOptions *options, char **positionals)
{
  g_auto(GpCliData) data = { 0 };
  g_auto(WhoHas) w = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  int status;

  (void)positionals;
  if (!options->principal)
    return gp_cli_fail(GP_EXIT_USAGE, "who-has needs --principal SID|NAME");
  if (!gp_cli_check_format(options, "who-has", "text", "json"))
    return GP_EXIT_USAGE;
  if ((status = gp_cli_load_data(options, &data)) != GP_EXIT_OK)
    return status;
  if (!(w.sid = resolve_principal(data.model, options->principal, &error))
      || !(w.results = gp_cli_evaluate_all(&data, options, &error)))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  w.name = gp_model_principal_name(data.model, w.sid);
  w.entries = gp_audit_who_has(data.model, w.results, w.sid, NULL);
  if (g_strcmp0(options->format, "json") == 0) {
    g_autofree char *json = render_json(&w);
    g_string_append_printf(out, "%s\n", json);
  } else {
    render_text(&w, out);
  }
  return gp_cli_emit(options, out);
}
