/* gp-cmd-show.c - `gpsim show`: what was read, before any rule is applied.
 *
 * For checking an export: domains, SOMs with their links in link order, GPOs
 * with status, versions and every user right they define, computers, and the
 * warnings.  JSON schema "gpsim.show/1".
 */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"

static const char *
gpo_status(const GpGpo *gpo)
{
  static const char *const names[]
      = { "enabled", "user-disabled", "computer-disabled", "disabled" };

  return names[gpo->flags & 3u];
}

static const char *
holder_label(const GpModel *model, const GpPrincipal *holder)
{
  const char *known = holder->sid ? gp_model_principal_name(model, holder->sid) : NULL;

  if (holder->name)
    return holder->name;
  return known ? known : (holder->sid ? holder->sid : "?");
}

/* ------------------------------------------------------------------ text */

static void
text_links(const GpModel *model, const GpSom *som, GString *out)
{
  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    const GpGpo *gpo = gp_model_find_gpo_dn(model, link->gpo_dn);
    g_string_append_printf(out, "    %2u  %-34s %s%s%s\n", link->link_order,
                           gpo && gpo->display_name ? gpo->display_name : "(not in the data)",
                           link->gpo_guid ? link->gpo_guid : link->gpo_dn,
                           link->options & GP_LINK_ENFORCED ? "  enforced" : "",
                           link->options & GP_LINK_DISABLED ? "  LINK DISABLED" : "");
  }
}

static void
text_soms(const GpModel *model, GString *out)
{
  const GPtrArray *soms = gp_model_soms(model);

  g_string_append(out, "\nSOMs and their links (link order 1 first):\n");
  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    g_string_append_printf(out, "  %s (%s)%s%s%s\n", som->dn, gp_som_kind_to_string(som->kind),
                           som->gp_options & GP_SOM_BLOCK_INHERITANCE ? " [blocks inheritance]"
                                                                      : "",
                           som->link_order_assumed ? " [link order assumed]" : "",
                           som->block_unknown ? " [block inheritance unknown]" : "");
    text_links(model, som, out);
  }
}

static void
text_gpo_rights(const GpModel *model, const GpGpo *gpo, GString *out)
{
  const GPtrArray *rights = gpo->machine_template ? gpo->machine_template->rights : NULL;

  for (guint i = 0; rights && i < rights->len; i++) {
    const GpRightAssignment *assignment = g_ptr_array_index(rights, i);
    g_string_append_printf(out, "      %s =", assignment->right);
    if (assignment->holders->len == 0)
      g_string_append(out, " (nobody)");
    for (guint h = 0; h < assignment->holders->len; h++) {
      const GpPrincipal *holder = g_ptr_array_index(assignment->holders, h);
      g_string_append_printf(out, "%s %s", h ? "," : "", holder_label(model, holder));
      if (holder->sid)
        g_string_append_printf(out, " (%s)", holder->sid);
    }
    g_string_append_c(out, '\n');
  }
}

static void
text_gpos(const GpModel *model, GString *out)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  g_string_append(out, "\nGPOs:\n");
  for (guint i = 0; i < gpos->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(gpos, i);
    g_string_append_printf(
        out, "  %s %s\n    status %s, computer version %u (SYSVOL %s), %s%s\n", gpo->guid,
        gpo->display_name ? gpo->display_name : "(no name)", gpo_status(gpo),
        gpo->version_number & 0xFFFFu, gpo->has_gpt_ini ? "read" : "not read",
        gpo->security_descriptor ? "security descriptor read" : "no security descriptor",
        gpo->in_directory ? "" : ", not in the directory data");
    text_gpo_rights(model, gpo, out);
  }
}

static void
text_domains_and_computers(const GpModel *model, GString *out)
{
  const GPtrArray *domains = gp_model_domains(model);
  const GPtrArray *computers = gp_model_computers(model);

  g_string_append(out, "Domains:\n");
  for (guint i = 0; i < domains->len; i++) {
    const GpDomain *domain = g_ptr_array_index(domains, i);
    g_string_append_printf(out, "  %s (%s) NetBIOS %s, SID %s\n",
                           domain->dns_name ? domain->dns_name : "?", domain->dn,
                           domain->netbios_name ? domain->netbios_name : "?",
                           domain->sid ? domain->sid : "?");
  }
  g_string_append(out, "\nComputers:\n");
  for (guint i = 0; i < computers->len; i++) {
    const GpComputer *computer = g_ptr_array_index(computers, i);
    g_string_append_printf(out, "  %-16s %s%s%s\n", computer->cn, computer->dn,
                           computer->site ? "  site " : "", computer->site ? computer->site : "");
  }
}

static void
render_text(const GpCliData *data, GString *out)
{
  text_domains_and_computers(data->model, out);
  text_soms(data->model, out);
  text_gpos(data->model, out);
  g_string_append_printf(out, "\n%u warning%s and note%s (on standard error)\n", data->diags->len,
                         data->diags->len == 1 ? "" : "s", data->diags->len == 1 ? "" : "s");
}

/* ------------------------------------------------------------------ JSON */

static void
json_gpo_rights(JsonBuilder *b, const GpModel *model, const GpGpo *gpo)
{
  const GPtrArray *rights = gpo->machine_template ? gpo->machine_template->rights : NULL;

  json_builder_set_member_name(b, "rights");
  json_builder_begin_array(b);
  for (guint i = 0; rights && i < rights->len; i++) {
    const GpRightAssignment *assignment = g_ptr_array_index(rights, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "right", assignment->right);
    json_builder_set_member_name(b, "holders");
    json_builder_begin_array(b);
    for (guint h = 0; h < assignment->holders->len; h++) {
      const GpPrincipal *holder = g_ptr_array_index(assignment->holders, h);
      json_builder_begin_object(b);
      gp_json_add_string(b, "sid", holder->sid);
      gp_json_add_string(b, "name",
                         holder->name
                             ? holder->name
                             : (holder->sid ? gp_model_principal_name(model, holder->sid) : NULL));
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_gpos(JsonBuilder *b, const GpModel *model)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  json_builder_set_member_name(b, "gpos");
  json_builder_begin_array(b);
  for (guint i = 0; i < gpos->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(gpos, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "guid", gpo->guid);
    gp_json_add_string(b, "name", gpo->display_name);
    gp_json_add_string(b, "dn", gpo->dn);
    gp_json_add_string(b, "status", gpo_status(gpo));
    json_builder_set_member_name(b, "version_computer");
    json_builder_add_int_value(b, gpo->version_number & 0xFFFFu);
    json_builder_set_member_name(b, "version_user");
    json_builder_add_int_value(b, gpo->version_number >> 16);
    json_builder_set_member_name(b, "security_descriptor");
    json_builder_add_boolean_value(b, gpo->security_descriptor != NULL);
    json_gpo_rights(b, model, gpo);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_links(JsonBuilder *b, const GpSom *som)
{
  json_builder_set_member_name(b, "links");
  json_builder_begin_array(b);
  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "gpo_dn", link->gpo_dn);
    gp_json_add_string(b, "guid", link->gpo_guid);
    json_builder_set_member_name(b, "link_order");
    json_builder_add_int_value(b, link->link_order);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b, !(link->options & GP_LINK_DISABLED));
    json_builder_set_member_name(b, "enforced");
    json_builder_add_boolean_value(b, (link->options & GP_LINK_ENFORCED) != 0);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_soms(JsonBuilder *b, const GpModel *model)
{
  const GPtrArray *soms = gp_model_soms(model);

  json_builder_set_member_name(b, "soms");
  json_builder_begin_array(b);
  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "dn", som->dn);
    gp_json_add_string(b, "kind", gp_som_kind_to_string(som->kind));
    gp_json_add_string(b, "name", som->name);
    json_builder_set_member_name(b, "blocks_inheritance");
    json_builder_add_boolean_value(b, (som->gp_options & GP_SOM_BLOCK_INHERITANCE) != 0);
    json_builder_set_member_name(b, "link_order_assumed");
    json_builder_add_boolean_value(b, som->link_order_assumed);
    json_links(b, som);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
json_computers_and_warnings(JsonBuilder *b, const GpCliData *data)
{
  const GPtrArray *computers = gp_model_computers(data->model);

  json_builder_set_member_name(b, "computers");
  json_builder_begin_array(b);
  for (guint i = 0; i < computers->len; i++) {
    const GpComputer *computer = g_ptr_array_index(computers, i);
    json_builder_begin_object(b);
    gp_json_add_string(b, "name", computer->cn);
    gp_json_add_string(b, "dn", computer->dn);
    gp_json_add_string(b, "site", computer->site);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_set_member_name(b, "warnings");
  json_builder_begin_array(b);
  for (guint i = 0; i < data->diags->len; i++) {
    g_autofree char *line = gp_diagnostic_format(g_ptr_array_index(data->diags, i));
    json_builder_add_string_value(b, line);
  }
  json_builder_end_array(b);
}

static char *
render_json(const GpCliData *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", "gpsim.show/1");
  json_gpos(b, data->model);
  json_soms(b, data->model);
  json_computers_and_warnings(b, data);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, TRUE);
  return json_generator_to_data(generator, NULL);
}

/* Positional SOURCEs join --input: each is recognised from its content. */
static void
add_positional_sources(GpCliOptions *options, char **sources)
{
  g_autoptr(GStrvBuilder) inputs = g_strv_builder_new();

  if (options->input)
    g_strv_builder_addv(inputs, (const char **)options->input);
  for (guint i = 0; sources && sources[i]; i++)
    g_strv_builder_add(inputs, sources[i]);
  g_strfreev(options->input);
  options->input = g_strv_builder_end(inputs);
}

int
gp_cmd_show(GpCliOptions *options, char **sources)
{
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  int status;

  if (!gp_cli_check_format(options, "show", "text", "json"))
    return GP_EXIT_USAGE;
  add_positional_sources(options, sources);
  if ((status = gp_cli_load_data(options, &data)) != GP_EXIT_OK)
    return status;
  if (g_strcmp0(options->format, "json") == 0) {
    g_autofree char *json = render_json(&data);
    g_string_append_printf(out, "%s\n", json);
  } else {
    render_text(&data, out);
  }
  return gp_cli_emit(options, out);
}
