/* gp-data.c - gpsim's own reference data: the rights catalogue and SID names.
 *
 * Both are tab-separated files under data/ ('#' comments, one header row).  They
 * ship with gpsim, so a malformed row is an error, not a warning: it means the
 * installation is broken.
 */
#include <string.h>

#include "gp-loaders.h"
#include "gp-names.h"

#define RIGHTS_COLUMNS 9

typedef gboolean (*RowHandler)(char **fields, guint n_fields, GpModel *model, const char *path,
                               guint line, GError **error);

static gboolean
for_each_row(const char *path, GpModel *model, RowHandler handler, GError **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) io_error = NULL;
  gboolean header_seen = FALSE;

  if (!g_file_get_contents(path, &contents, NULL, &io_error)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read gpsim data file: %s",
                      io_error->message);
    return FALSE;
  }
  lines = g_strsplit(contents, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    g_auto(GStrv) fields = NULL;
    g_strchomp(lines[i]);
    if (lines[i][0] == '#' || lines[i][0] == '\0')
      continue;
    if (!header_seen) {
      header_seen = TRUE;
      continue;
    }
    fields = g_strsplit(lines[i], "\t", -1);
    if (!handler(fields, g_strv_length(fields), model, path, i + 1, error))
      return FALSE;
  }
  return TRUE;
}

/* "*S-1-5-32-544,Guest" -> principals; "-" -> NULL (not defined). */
static GPtrArray *
parse_holders(const char *text)
{
  g_auto(GStrv) items = NULL;
  GPtrArray *holders;

  if (strcmp(text, "-") == 0)
    return NULL;
  holders = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  items = g_strsplit(text, ",", -1);
  for (guint i = 0; items[i]; i++) {
    const char *item = g_strstrip(items[i]);
    if (item[0] == '*')
      g_ptr_array_add(holders, gp_principal_new(item + 1, NULL));
    else if (item[0])
      g_ptr_array_add(holders, gp_principal_new(NULL, item));
  }
  return holders;
}

static gboolean
add_right_row(char **fields, guint n_fields, GpModel *model, const char *path, guint line,
              GError **error)
{
  GpRightInfo *info;

  if (n_fields < RIGHTS_COLUMNS) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, line,
                      "expected %d tab-separated columns, found %u; reinstall gpsim",
                      RIGHTS_COLUMNS, n_fields);
    return FALSE;
  }
  info = gp_right_info_new(fields[0], fields[1]);
  info->is_logon_right = strcmp(fields[2], "logon-right") == 0;
  for (int role = 0; role < GP_ROLE_COUNT; role++)
    info->defaults[role] = parse_holders(fields[3 + role]);
  gp_model_add_right_info(model, info);
  return TRUE;
}

gboolean
gp_data_load_rights(const char *path, GpModel *model, GError **error)
{
  return for_each_row(path, model, add_right_row, error);
}

static gboolean
add_sid_row(char **fields, guint n_fields, GpModel *model, const char *path, guint line,
            GError **error)
{
  guint64 rid;

  if (n_fields < 2 || !fields[1][0]) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, line,
                      "expected 'SID<TAB>name'; reinstall gpsim");
    return FALSE;
  }
  if (g_str_has_prefix(fields[0], "D-")
      && g_ascii_string_to_unsigned(fields[0] + 2, 10, 0, G_MAXUINT32, &rid, NULL)) {
    gp_model_add_domain_account(model, (guint32)rid, fields[1]);
    return TRUE;
  }
  if (!gp_sid_is_valid(fields[0])) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, line, "'%s' is not a SID; reinstall gpsim",
                      fields[0]);
    return FALSE;
  }
  gp_model_add_principal(model, fields[0], fields[1]);
  return TRUE;
}

gboolean
gp_data_load_sids(const char *path, GpModel *model, GError **error)
{
  return for_each_row(path, model, add_sid_row, error);
}
