/* gp-render-json.c - the "gpsim.explain/1" contract (README, "JSON output").
 *
 * Stable: fields may be added, none removed or renamed.  Built with
 * json-glib's builder so escaping is never done by hand.
 */
#include <json-glib/json-glib.h>

#include "gp-cli.h"

#define LOCAL_GPO_NAME "Local Group Policy"

static void
add_string(JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name(b, member);
  if (value)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

static void
add_holders(JsonBuilder *b, const char *member, const GPtrArray *holders)
{
  json_builder_set_member_name(b, member);
  json_builder_begin_array(b);
  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    json_builder_begin_object(b);
    add_string(b, "sid", holder->sid);
    add_string(b, "name", holder->name);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
add_strings(JsonBuilder *b, const char *member, const GPtrArray *strings)
{
  json_builder_set_member_name(b, member);
  json_builder_begin_array(b);
  for (guint i = 0; strings && i < strings->len; i++)
    json_builder_add_string_value(b, g_ptr_array_index(strings, i));
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
  add_string(b, "name", result->computer->cn);
  add_string(b, "dn", result->computer->dn);
  add_string(b, "role", gp_role_to_string(result->role));
  add_string(b, "site", result->site);
  json_builder_set_member_name(b, "role_assumed");
  json_builder_add_boolean_value(b, result->role_assumed);
  add_string(b, "role_reason", result->role_reason);
  add_string(b, "site_reason", result->site_reason);
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
  add_string(b, "id", entry->wmi_filter_id);
  add_string(b, "name", entry->wmi_filter ? entry->wmi_filter->name : NULL);
  add_string(b, "query", entry->wmi_filter ? entry->wmi_filter->query : NULL);
  json_builder_end_object(b);
}

static void
add_entry(JsonBuilder *b, const GpGpoEntry *entry)
{
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "precedence");
  json_builder_add_int_value(b, entry->precedence);
  add_string(b, "guid", entry_guid(entry));
  add_string(b, "name", entry_name(entry));
  add_string(b, "som", entry->is_local ? "local" : entry->som->dn);
  add_string(b, "som_kind", entry->is_local ? "local" : gp_som_kind_to_string(entry->som->kind));
  json_builder_set_member_name(b, "link_order");
  if (entry->is_local)
    json_builder_add_null_value(b);
  else
    json_builder_add_int_value(b, entry->link->link_order);
  json_builder_set_member_name(b, "enforced");
  json_builder_add_boolean_value(b, entry->enforced);
  add_string(b, "status", entry->applied ? "applied" : "not-applied");
  add_string(b, "reason", gp_reason_to_string(entry->reason));
  add_string(b, "blocked_by", entry->blocked_by ? entry->blocked_by->dn : NULL);
  add_string(b, "detail", entry->detail);
  add_string(b, "gpo_dn", entry->is_local ? NULL : entry->link->gpo_dn);
  add_wmi_filter(b, entry);
  add_strings(b, "assumptions", entry->assumptions);
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
  add_string(b, "guid", entry_guid(entry));
  add_string(b, "name", entry_name(entry));
  add_string(b, "som", entry->som->dn);
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
  add_string(b, "persistence", gp_persistence_to_string(right->if_winner_removed));
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
    add_string(b, "guid", entry_guid(definition->entry));
    add_string(b, "name", entry_name(definition->entry));
    json_builder_set_member_name(b, "precedence");
    json_builder_add_int_value(b, definition->entry->precedence);
    holders = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
    for (guint h = 0; h < definition->assignment->holders->len; h++) {
      const GpPrincipal *p = g_ptr_array_index(definition->assignment->holders, h);
      const char *name = p->name ? p->name : gp_model_principal_name(model, p->sid);
      const char *sid = p->sid ? p->sid : gp_model_principal_sid(model, p->name);
      g_ptr_array_add(holders, gp_principal_new(sid, name));
    }
    add_holders(b, "holders", holders);
    add_string(b, "outcome", gp_outcome_to_string(definition->outcome));
    add_string(b, "reason", gp_reason_to_string(definition->entry->reason));
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
add_right(JsonBuilder *b, const GpModel *model, const GpRightResult *right)
{
  json_builder_begin_object(b);
  add_string(b, "right", right->right);
  add_string(b, "display_name", right->info ? right->info->display_name : NULL);
  add_string(b, "source", gp_source_to_string(right->source));
  add_winner(b, right);
  add_holders(b, "holders", right->holders);
  json_builder_set_member_name(b, "local_greyed_out");
  json_builder_add_boolean_value(b, right->local_greyed_out);
  add_definitions(b, model, right);
  json_builder_set_member_name(b, "local");
  json_builder_begin_object(b);
  add_string(b, "source", gp_source_to_string(right->local_source));
  if (right->local_holders)
    add_holders(b, "holders", right->local_holders);
  else
    add_string(b, "holders", NULL);
  json_builder_end_object(b);
  json_builder_set_member_name(b, "defined_nowhere");
  json_builder_add_boolean_value(b, right->defined_nowhere);
  add_persistence(b, right);
  add_strings(b, "notes", right->notes);
  json_builder_end_object(b);
}

char *
gp_render_json_explain(const GpModel *model, const GpResult *result, gboolean pretty)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object(b);
  add_string(b, "schema", "gpsim.explain/1");
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
  add_strings(b, "notes", result->notes);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, pretty);
  return json_generator_to_data(generator, NULL);
}
