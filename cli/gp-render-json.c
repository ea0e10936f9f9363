/* gp-render-json.c - the "gpsim.explain/1" contract (README, "JSON output").
 *
 * Stable: fields may be added, none removed or renamed.  Built with
 * json-glib's builder so escaping is never done by hand.
 */
#include <json-glib/json-glib.h>

#include "gp-cli.h"

#define LOCAL_GPO_NAME "Local Group Policy"

void
gp_json_add_string(JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name(b, member);
  if (value)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

void
gp_json_add_gpo_ref(JsonBuilder *b, const char *member, const GpGpoEntry *entry)
{
  json_builder_set_member_name(b, member);
  if (!entry) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  gp_json_add_string(b, "guid", entry->gpo ? entry->gpo->guid : entry->link->gpo_guid);
  gp_json_add_string(b, "name", entry->gpo ? entry->gpo->display_name : NULL);
  gp_json_add_string(b, "som", entry->som->dn);
  json_builder_end_object(b);
}

void
gp_json_add_strings(JsonBuilder *b, const char *member, const GPtrArray *strings)
{
  json_builder_set_member_name(b, member);
  json_builder_begin_array(b);
  for (guint i = 0; strings && i < strings->len; i++)
    json_builder_add_string_value(b, g_ptr_array_index(strings, i));
  json_builder_end_array(b);
}

void
gp_json_add_holders(JsonBuilder *b, const char *member, const GPtrArray *holders)
{
  json_builder_set_member_name(b, member);
  json_builder_begin_array(b);
  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "sid", holder->sid);
    gp_json_add_string(b, "name", holder->name);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static const char *
entry_guid(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return NULL;
  return entry->gpo ? entry->gpo->guid : entry->link->gpo_guid;
}

static const char *
entry_name(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return LOCAL_GPO_NAME;
  if (entry->gpo && entry->gpo->display_name)
    return entry->gpo->display_name;
  return entry_guid(entry) ? entry_guid(entry) : entry->link->gpo_dn;
}

static void
add_computer(JsonBuilder *b, const GpResult *result)
{
  json_builder_set_member_name(b, "computer");
  json_builder_begin_object(b);
  gp_json_add_string(b, "name", result->computer->cn);
  gp_json_add_string(b, "dn", result->computer->dn);
  gp_json_add_string(b, "role", gp_role_to_string(result->role));
  gp_json_add_string(b, "site", result->site);
  json_builder_set_member_name(b, "role_assumed");
  json_builder_add_boolean_value(b, result->role_assumed);
  gp_json_add_string(b, "role_reason", result->role_reason);
  gp_json_add_string(b, "site_reason", result->site_reason);
  json_builder_end_object(b);
}

static void
add_wmi_filter(JsonBuilder *b, const GpGpoEntry *entry)
{
  json_builder_set_member_name(b, "wmi_filter");
  if (!entry->wmi_filter_id) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  gp_json_add_string(b, "id", entry->wmi_filter_id);
  gp_json_add_string(b, "name", entry->wmi_filter ? entry->wmi_filter->name : NULL);
  gp_json_add_string(b, "query", entry->wmi_filter ? entry->wmi_filter->query : NULL);
  json_builder_end_object(b);
}

static void
add_entry(JsonBuilder *b, const GpGpoEntry *entry)
{
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "precedence");
  json_builder_add_int_value(b, entry->precedence);
  gp_json_add_string(b, "guid", entry_guid(entry));
  gp_json_add_string(b, "name", entry_name(entry));
  gp_json_add_string(b, "som", entry->is_local ? "local" : entry->som->dn);
  gp_json_add_string(b, "som_kind",
                     entry->is_local ? "local" : gp_som_kind_to_string(entry->som->kind));
  json_builder_set_member_name(b, "link_order");
  if (entry->is_local)
    json_builder_add_null_value(b);
  else
    json_builder_add_int_value(b, entry->link->link_order);
  json_builder_set_member_name(b, "enforced");
  json_builder_add_boolean_value(b, entry->enforced);
  gp_json_add_string(b, "status", entry->applied ? "applied" : "not-applied");
  gp_json_add_string(b, "reason", gp_reason_to_string(entry->reason));
  gp_json_add_string(b, "blocked_by", entry->blocked_by ? entry->blocked_by->dn : NULL);
  gp_json_add_string(b, "detail", entry->detail);
  gp_json_add_string(b, "gpo_dn", entry->is_local ? NULL : entry->link->gpo_dn);
  add_wmi_filter(b, entry);
  gp_json_add_strings(b, "assumptions", entry->assumptions);
  json_builder_end_object(b);
}

static void
add_gpo_ref(JsonBuilder *b, const char *member, const GpGpoEntry *entry)
{
  json_builder_set_member_name(b, member);
  if (!entry) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  gp_json_add_string(b, "guid", entry_guid(entry));
  gp_json_add_string(b, "name", entry_name(entry));
  gp_json_add_string(b, "som", entry->som->dn);
  json_builder_end_object(b);
}

static void
add_winner(JsonBuilder *b, const GpRightResult *right)
{
  add_gpo_ref(b, "winner", right->winner);
}

/* What applies if the winner stops defining the right (tattooing rule). */
static void
add_persistence(JsonBuilder *b, const GpRightResult *right)
{
  json_builder_set_member_name(b, "if_winner_removed");
  if (!right->winner) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  gp_json_add_string(b, "persistence", gp_persistence_to_string(right->if_winner_removed));
  add_gpo_ref(b, "runner_up", right->runner_up);
  json_builder_end_object(b);
}

static void
add_definitions(JsonBuilder *b, const GpModel *model, const GpRightResult *right)
{
  json_builder_set_member_name(b, "definitions");
  json_builder_begin_array(b);
  for (guint i = 0; i < right->definitions->len; i++) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i);
    g_autoptr(GPtrArray) holders = NULL;
    json_builder_begin_object(b);
    gp_json_add_string(b, "guid", entry_guid(definition->entry));
    gp_json_add_string(b, "name", entry_name(definition->entry));
    json_builder_set_member_name(b, "precedence");
    json_builder_add_int_value(b, definition->entry->precedence);
    holders = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
    for (guint h = 0; h < definition->assignment->holders->len; h++) {
      const GpPrincipal *p = g_ptr_array_index(definition->assignment->holders, h);
      const char *name = p->name ? p->name : gp_model_principal_name(model, p->sid);
      const char *sid = p->sid ? p->sid : gp_model_principal_sid(model, p->name);
      g_ptr_array_add(holders, gp_principal_new(sid, name));
    }
    gp_json_add_holders(b, "holders", holders);
    gp_json_add_string(b, "outcome", gp_outcome_to_string(definition->outcome));
    gp_json_add_string(b, "reason", gp_reason_to_string(definition->entry->reason));
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
add_right(JsonBuilder *b, const GpModel *model, const GpRightResult *right)
{
  json_builder_begin_object(b);
  gp_json_add_string(b, "right", right->right);
  gp_json_add_string(b, "display_name", right->info ? right->info->display_name : NULL);
  gp_json_add_string(b, "source", gp_source_to_string(right->source));
  add_winner(b, right);
  gp_json_add_holders(b, "holders", right->holders);
  json_builder_set_member_name(b, "local_greyed_out");
  json_builder_add_boolean_value(b, right->local_greyed_out);
  add_definitions(b, model, right);
  json_builder_set_member_name(b, "local");
  json_builder_begin_object(b);
  gp_json_add_string(b, "source", gp_source_to_string(right->local_source));
  if (right->local_holders)
    gp_json_add_holders(b, "holders", right->local_holders);
  else
    gp_json_add_string(b, "holders", NULL);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "defined_nowhere");
  json_builder_add_boolean_value(b, right->defined_nowhere);
  add_persistence(b, right);
  gp_json_add_strings(b, "notes", right->notes);
  json_builder_end_object(b);
}

void
gp_render_json_add_computer(JsonBuilder *b, const GpResult *result)
{
  add_computer(b, result);
}

void
gp_render_json_add_right(JsonBuilder *b, const GpModel *model, const GpRightResult *right)
{
  add_right(b, model, right);
}

char *
gp_render_json_explain(const GpModel *model, const GpResult *result, gboolean pretty)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.explain/1");
  add_computer(b, result);
  json_builder_set_member_name(b, "gpos");
  json_builder_begin_array(b);
  for (guint i = 0; i < result->entries->len; i++)
    add_entry(b, g_ptr_array_index(result->entries, i));
  json_builder_end_array(b);
  json_builder_set_member_name(b, "rights");
  json_builder_begin_array(b);
  for (guint i = 0; i < result->rights->len; i++)
    add_right(b, model, g_ptr_array_index(result->rights, i));
  json_builder_end_array(b);
  gp_json_add_strings(b, "notes", result->notes);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, pretty);
  return json_generator_to_data(generator, NULL);
}

/* ------------------------------------------------ jsonl without json-glib
 *
 * gpsim rsop writes one compact object per computer; building a JsonNode tree
 * for each dominated the profile.  These functions write the same bytes as
 * gp_render_json_explain(..., FALSE) directly: same members in the same
 * order, strings escaped as json-glib 1.6 does (\" \\ \b \f \n \r \t, other
 * bytes 0x01-0x1e and 0x7f as \u00xx, everything else as is). */

static void
put_string(GString *out, const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;
  const char *p;

  g_string_append_c(out, '"');
  for (p = text; *p; p++) {
    guchar c = (guchar)*p;
    /* JSON escapes U+0000..U+001F; DEL is escaped too, to keep the output printable. */
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
      continue;
    g_string_append_len(out, run, p - run);
    run = p + 1;
    switch (c) {
    case '"':
      g_string_append(out, "\\\"");
      break;
    case '\\':
      g_string_append(out, "\\\\");
      break;
    case '\b':
      g_string_append(out, "\\b");
      break;
    case '\f':
      g_string_append(out, "\\f");
      break;
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\r':
      g_string_append(out, "\\r");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    default:
      g_string_append(out, "\\u00");
      g_string_append_c(out, hex[c >> 4]);
      g_string_append_c(out, hex[c & 0xF]);
    }
  }
  g_string_append_len(out, run, p - run);
  g_string_append_c(out, '"');
}

/* "name": value, with the comma before every member but the first. */
static void
put_member(GString *out, const char *name, gboolean first)
{
  if (!first)
    g_string_append_c(out, ',');
  g_string_append_c(out, '"');
  g_string_append(out, name);
  g_string_append(out, "\":");
}

static void
put_string_member(GString *out, const char *name, const char *value, gboolean first)
{
  put_member(out, name, first);
  if (value)
    put_string(out, value);
  else
    g_string_append(out, "null");
}

static void
put_bool_member(GString *out, const char *name, gboolean value)
{
  put_member(out, name, FALSE);
  g_string_append(out, value ? "true" : "false");
}

static void
put_int_member(GString *out, const char *name, gint64 value, gboolean first)
{
  put_member(out, name, first);
  g_string_append_printf(out, "%" G_GINT64_FORMAT, value);
}

static void
put_holders(GString *out, const char *name, const GPtrArray *holders)
{
  put_member(out, name, FALSE);
  g_string_append_c(out, '[');
  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    g_string_append(out, i ? ",{" : "{");
    put_string_member(out, "sid", holder->sid, TRUE);
    put_string_member(out, "name", holder->name, FALSE);
    g_string_append_c(out, '}');
  }
  g_string_append_c(out, ']');
}

static void
put_strings(GString *out, const char *name, const GPtrArray *strings)
{
  put_member(out, name, FALSE);
  g_string_append_c(out, '[');
  for (guint i = 0; strings && i < strings->len; i++) {
    if (i)
      g_string_append_c(out, ',');
    put_string(out, g_ptr_array_index(strings, i));
  }
  g_string_append_c(out, ']');
}

void
gp_render_json_head(const GpResult *result, GString *out)
{
  g_string_append(out, "{\"schema\":\"gpsim.explain/1\",\"computer\":{");
  put_string_member(out, "name", result->computer->cn, TRUE);
  put_string_member(out, "dn", result->computer->dn, FALSE);
  put_string_member(out, "role", gp_role_to_string(result->role), FALSE);
  put_string_member(out, "site", result->site, FALSE);
  put_bool_member(out, "role_assumed", result->role_assumed);
  put_string_member(out, "role_reason", result->role_reason, FALSE);
  put_string_member(out, "site_reason", result->site_reason, FALSE);
  g_string_append(out, "},");
}

static void
put_wmi_filter(GString *out, const GpGpoEntry *entry)
{
  put_member(out, "wmi_filter", FALSE);
  if (!entry->wmi_filter_id) {
    g_string_append(out, "null");
    return;
  }
  g_string_append_c(out, '{');
  put_string_member(out, "id", entry->wmi_filter_id, TRUE);
  put_string_member(out, "name", entry->wmi_filter ? entry->wmi_filter->name : NULL, FALSE);
  put_string_member(out, "query", entry->wmi_filter ? entry->wmi_filter->query : NULL, FALSE);
  g_string_append_c(out, '}');
}

static void
put_entry(GString *out, const GpGpoEntry *entry)
{
  g_string_append_c(out, '{');
  put_int_member(out, "precedence", entry->precedence, TRUE);
  put_string_member(out, "guid", entry_guid(entry), FALSE);
  put_string_member(out, "name", entry_name(entry), FALSE);
  put_string_member(out, "som", entry->is_local ? "local" : entry->som->dn, FALSE);
  put_string_member(out, "som_kind",
                    entry->is_local ? "local" : gp_som_kind_to_string(entry->som->kind), FALSE);
  if (entry->is_local)
    put_string_member(out, "link_order", NULL, FALSE);
  else
    put_int_member(out, "link_order", entry->link->link_order, FALSE);
  put_bool_member(out, "enforced", entry->enforced);
  put_string_member(out, "status", entry->applied ? "applied" : "not-applied", FALSE);
  put_string_member(out, "reason", gp_reason_to_string(entry->reason), FALSE);
  put_string_member(out, "blocked_by", entry->blocked_by ? entry->blocked_by->dn : NULL, FALSE);
  put_string_member(out, "detail", entry->detail, FALSE);
  put_string_member(out, "gpo_dn", entry->is_local ? NULL : entry->link->gpo_dn, FALSE);
  put_wmi_filter(out, entry);
  put_strings(out, "assumptions", entry->assumptions);
  g_string_append_c(out, '}');
}

static void
put_gpo_ref(GString *out, const char *name, const GpGpoEntry *entry)
{
  put_member(out, name, FALSE);
  if (!entry) {
    g_string_append(out, "null");
    return;
  }
  g_string_append_c(out, '{');
  put_string_member(out, "guid", entry_guid(entry), TRUE);
  put_string_member(out, "name", entry_name(entry), FALSE);
  put_string_member(out, "som", entry->som->dn, FALSE);
  g_string_append_c(out, '}');
}

static void
put_definition_holders(GString *out, const GpModel *model, const GpRightAssignment *assignment)
{
  put_member(out, "holders", FALSE);
  g_string_append_c(out, '[');
  for (guint h = 0; h < assignment->holders->len; h++) {
    const GpPrincipal *p = g_ptr_array_index(assignment->holders, h);
    g_string_append(out, h ? ",{" : "{");
    put_string_member(out, "sid", p->sid ? p->sid : gp_model_principal_sid(model, p->name), TRUE);
    put_string_member(out, "name", p->name ? p->name : gp_model_principal_name(model, p->sid),
                      FALSE);
    g_string_append_c(out, '}');
  }
  g_string_append_c(out, ']');
}

static void
put_definitions(GString *out, const GpModel *model, const GpRightResult *right)
{
  put_member(out, "definitions", FALSE);
  g_string_append_c(out, '[');
  for (guint i = 0; i < right->definitions->len; i++) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i);
    g_string_append(out, i ? ",{" : "{");
    put_string_member(out, "guid", entry_guid(definition->entry), TRUE);
    put_string_member(out, "name", entry_name(definition->entry), FALSE);
    put_int_member(out, "precedence", definition->entry->precedence, FALSE);
    put_definition_holders(out, model, definition->assignment);
    put_string_member(out, "outcome", gp_outcome_to_string(definition->outcome), FALSE);
    put_string_member(out, "reason", gp_reason_to_string(definition->entry->reason), FALSE);
    g_string_append_c(out, '}');
  }
  g_string_append_c(out, ']');
}

static void
put_right(GString *out, const GpModel *model, const GpRightResult *right)
{
  g_string_append_c(out, '{');
  put_string_member(out, "right", right->right, TRUE);
  put_string_member(out, "display_name", right->info ? right->info->display_name : NULL, FALSE);
  put_string_member(out, "source", gp_source_to_string(right->source), FALSE);
  put_gpo_ref(out, "winner", right->winner);
  put_holders(out, "holders", right->holders);
  put_bool_member(out, "local_greyed_out", right->local_greyed_out);
  put_definitions(out, model, right);
  put_member(out, "local", FALSE);
  g_string_append_c(out, '{');
  put_string_member(out, "source", gp_source_to_string(right->local_source), TRUE);
  if (right->local_holders)
    put_holders(out, "holders", right->local_holders);
  else
    put_string_member(out, "holders", NULL, FALSE);
  g_string_append_c(out, '}');
  put_bool_member(out, "defined_nowhere", right->defined_nowhere);
  put_member(out, "if_winner_removed", FALSE);
  if (right->winner) {
    g_string_append_c(out, '{');
    put_string_member(out, "persistence", gp_persistence_to_string(right->if_winner_removed), TRUE);
    put_gpo_ref(out, "runner_up", right->runner_up);
    g_string_append_c(out, '}');
  } else {
    g_string_append(out, "null");
  }
  put_strings(out, "notes", right->notes);
  g_string_append_c(out, '}');
}

void
gp_render_json_tail(const GpModel *model, const GpResult *result, GString *out)
{
  g_string_append(out, "\"gpos\":[");
  for (guint i = 0; i < result->entries->len; i++) {
    if (i)
      g_string_append_c(out, ',');
    put_entry(out, g_ptr_array_index(result->entries, i));
  }
  g_string_append(out, "],\"rights\":[");
  for (guint i = 0; i < result->rights->len; i++) {
    if (i)
      g_string_append_c(out, ',');
    put_right(out, model, g_ptr_array_index(result->rights, i));
  }
  g_string_append_c(out, ']');
  put_strings(out, "notes", result->notes);
  g_string_append(out, "}\n");
}
