/* gp-cmd-snapshot.c - `gpsim snapshot --dc HOST --out DIR`.
 *
 * Saves what --dc reads as DIR/directory.ldif and DIR/sysvol/, which every
 * later run reads offline with --ldif DIR/directory.ldif --sysvol DIR/sysvol
 * (or --input DIR/...).  DIR must not exist or be empty; the snapshot is
 * written into DIR.tmp-XXXXXX beside it, checked with the loaders, and renamed
 * into place, so a failure never leaves half a snapshot.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-live.h"

void
gp_cmd_snapshot_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options->out,
      "folder to write the snapshot to (absent or empty)", "DIR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  GOptionGroup *group
      = g_option_group_new("snapshot", "Snapshot options:", "Show snapshot options", NULL, NULL);

  g_option_group_add_entries(group, entries);
  g_option_context_add_group(context, group);
}

/* TRUE when @dir is absent, or an empty folder (*@exists then tells). */
static gboolean
usable_target(const char *dir, gboolean *exists, GError **error)
{
  g_autoptr(GDir) handle = NULL;

  *exists = g_file_test(dir, G_FILE_TEST_EXISTS) || g_file_test(dir, G_FILE_TEST_IS_SYMLINK);
  if (!*exists)
    return TRUE;
  if (g_file_test(dir, G_FILE_TEST_IS_SYMLINK) || !g_file_test(dir, G_FILE_TEST_IS_DIR)
      || !(handle = g_dir_open(dir, 0, NULL)) || g_dir_read_name(handle)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "--out '%s' exists and is not an empty folder; snapshot never overwrites", dir);
    return FALSE;
  }
  return TRUE;
}

/* The loaders read the snapshot back: what a later run will do. */
static gboolean
check_snapshot(const char *ldif, const char *sysvol, GError **error)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();

  return gp_ldif_load_file(ldif, model, diags, error)
         && gp_sysvol_load_dir(sysvol, model, diags, error);
}

static gboolean
take_snapshot(const GpCliOptions *options, const char *tmp, GPtrArray *diags, GError **error)
{
  g_autofree char *ldif = NULL;
  g_autofree char *sysvol = NULL;

  return gp_cli_live_read(options, tmp, diags, &ldif, &sysvol, error)
         && check_snapshot(ldif, sysvol, error);
}

/* Moves the finished @tmp to @dir (an empty @dir is replaced). */
static gboolean
move_into_place(const char *tmp, const char *dir, gboolean exists, GError **error)
{
  if ((exists && g_rmdir(dir) != 0) || g_rename(tmp, dir) != 0) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
                "cannot move the snapshot to '%s': %s (it is left in '%s')", dir, g_strerror(saved),
                tmp);
    return FALSE;
  }
  return TRUE;
}

static void
print_done(const GpCliOptions *options, const char *dir)
{
  g_autofree char *ldif = g_build_filename(dir, GP_LIVE_LDIF_NAME, NULL);
  g_autofree char *sysvol = g_build_filename(dir, GP_LIVE_SYSVOL_NAME, NULL);

  printf("snapshot of %s written to %s\n"
         "  gpsim explain --ldif %s --sysvol %s --computer NAME\n",
         options->dc, dir, ldif, sysvol);
}

int
gp_cmd_snapshot(GpCliOptions *options, char **positionals)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  gboolean exists = FALSE;
  gboolean ok;

  (void)positionals;
  if (!options->dc || !options->out)
    return gp_cli_fail(GP_EXIT_USAGE, "snapshot needs --dc HOST and --out DIR");
  dir = g_canonicalize_filename(options->out, NULL);
  if (!usable_target(dir, &exists, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  tmp = g_strdup_printf("%s.tmp-XXXXXX", dir);
  if (!g_mkdtemp(tmp)) {
    g_autofree char *message = g_strdup_printf("cannot create '%s': %s", tmp, g_strerror(errno));
    return gp_cli_fail(GP_EXIT_INPUT, message);
  }
  ok = take_snapshot(options, tmp, diags, &error);
  gp_cli_print_diags(diags);
  if (!ok)
    gp_cli_remove_tree(tmp);
  if (!ok || !move_into_place(tmp, dir, exists, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  print_done(options, dir);
  return GP_EXIT_OK;
}
