/* gp-cli-modeling.c - GPMC-style modeling knobs, resolved against the data.
 *
 *   --add-group SID|NAME   pretend the computer is in that group (security filtering)
 *   --ou DN                pretend the computer sits in that OU
 *   --site NAME, --ip ADDR which site it is in
 *   --wmi assume-true|assume-false|FILTER=true|false   WMI filter values
 */
#include <string.h>

#include "gp-cli.h"
#include "gp-names.h"

static char *
group_sid(const GpModel *model, const char *text, GError **error)
{
  const char *sid;

  if (gp_sid_is_valid(text))
    return g_ascii_strup(text, -1);
  if ((sid = gp_model_principal_sid(model, text)))
    return g_strdup(sid);
  g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
              "--add-group '%s' is neither a SID nor a name in the data; give its SID", text);
  return NULL;
}

static gboolean
resolve_groups(const GpCliOptions *options, GpCliData *data, GError **error)
{
  g_autoptr(GStrvBuilder) sids = g_strv_builder_new();

  for (guint i = 0; options->add_groups && options->add_groups[i]; i++) {
    g_autofree char *sid = group_sid(data->model, options->add_groups[i], error);
    if (!sid)
      return FALSE;
    g_strv_builder_add(sids, sid);
  }
  data->extra_group_sids = g_strv_builder_end(sids);
  return TRUE;
}

static char *
known_filters(const GpModel *model)
{
  const GPtrArray *filters = gp_model_wmi_filters(model);
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < filters->len; i++) {
    const GpWmiFilter *filter = g_ptr_array_index(filters, i);
    g_string_append_printf(text, "%s'%s' %s", i ? ", " : "", filter->name ? filter->name : "",
                           filter->id);
  }
  return g_string_free(g_steal_pointer(&text), FALSE);
}

/* FILTER=true|false: FILTER is a name or id in the data, or any GUID. */
static gboolean
add_filter_value(const char *spec, GpCliData *data, GError **error)
{
  const char *eq = strrchr(spec, '=');
  g_autofree char *name = eq ? g_strndup(spec, (gsize)(eq - spec)) : NULL;
  const GpWmiFilter *filter = name ? gp_model_find_wmi_filter(data->model, name) : NULL;
  g_autofree char *id = filter ? g_strdup(filter->id) : (name ? gp_guid_normalize(name) : NULL);
  gboolean value = eq && g_ascii_strcasecmp(eq + 1, "true") == 0;

  if (!eq || (!value && g_ascii_strcasecmp(eq + 1, "false") != 0)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--wmi '%s': use assume-true, assume-false or FILTER=true|false", spec);
    return FALSE;
  }
  if (!id) {
    g_autofree char *known = known_filters(data->model);
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--wmi: no WMI filter named '%s' in the data; filters: %s", name,
                *known ? known : "(none)");
    return FALSE;
  }
  g_hash_table_replace(data->wmi_values, g_steal_pointer(&id), GINT_TO_POINTER(value ? 1 : 2));
  return TRUE;
}

static gboolean
resolve_wmi(const GpCliOptions *options, GpCliData *data, GError **error)
{
  data->wmi_values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; options->wmi && options->wmi[i]; i++) {
    const char *spec = options->wmi[i];
    if (g_ascii_strcasecmp(spec, "assume-true") == 0)
      data->wmi_default_false = FALSE;
    else if (g_ascii_strcasecmp(spec, "assume-false") == 0)
      data->wmi_default_false = TRUE;
    else if (!add_filter_value(spec, data, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
gp_cli_resolve_modeling(const GpCliOptions *options, GpCliData *data, GError **error)
{
  return resolve_groups(options, data, error) && resolve_wmi(options, data, error);
}

GpEngineOptions
gp_cli_engine_options(const GpCliOptions *options, const GpCliData *data)
{
  GpEngineOptions out = {
    .site = options->site,
    .local_policy = data->local_policy,
    .rights = (const char *const *)options->rights,
    .ip = options->ip,
    .ou = options->ou,
    .extra_groups = (const char *const *)data->extra_group_sids,
    .wmi_values = data->wmi_values,
    .wmi_default_false = data->wmi_default_false,
    .standalone = data->standalone,
  };

  return out;
}
