/* gp-cli-live.c - the --dc options: live acquisition for every data command.
 *
 * The DC is read (loaders/gp-live.c) into a temporary folder holding an LDIF
 * file and a SYSVOL copy; gp-cli-data.c loads them with the ordinary loaders,
 * then the folder is removed.  `gpsim snapshot` (gp-cmd-snapshot.c) keeps it.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-live.h"

#define MAX_TIMEOUT 3600

struct _GpCliLive {
  char *dir;    /* the temporary folder, removed by gp_cli_live_free() */
  char *ldif;   /* dir/directory.ldif */
  char *sysvol; /* dir/sysvol */
};

/* ----------------------------------------------------------------- options */

static gboolean
check_live_options(GOptionContext *context, GOptionGroup *group, gpointer data, GError **error)
{
  const GpCliOptions *options = data;
  gboolean any = options->user || options->password_file || options->kerberos || options->ca_file
                 || options->insecure_tls || options->starttls || options->timeout;
  const char *problem = NULL;

  (void)context;
  (void)group;
  if (!options->dc && any)
    problem = "--user, --password-file, --kerberos, --ca-file, --insecure-tls, --starttls and "
              "--timeout go with --dc HOST";
  else if (options->dc && options->kerberos && (options->user || options->password_file))
    problem = "--kerberos uses the Kerberos ticket: leave out --user and --password-file";
  else if (options->dc && !options->kerberos && !options->user)
    problem = "--dc needs --user NAME (password from --password-file, GPSIM_PASSWORD or a "
              "prompt) or --kerberos";
  else if (options->password_file && !options->user)
    problem = "--password-file goes with --user";
  else if (options->timeout < 0 || options->timeout > MAX_TIMEOUT)
    problem = "--timeout takes seconds from 1 to 3600";
  if (problem)
    g_set_error_literal(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, problem);
  return problem == NULL;
}

void
gp_cli_live_entries(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "dc", 0, 0, G_OPTION_ARG_STRING, &options->dc,
      "read the domain live from this domain controller (LDAPS, SMB)", "HOST[:PORT]" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &options->user,
      "account for a simple bind: user, DOMAIN\\user or user@domain", "NAME" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &options->password_file,
      "file whose first line is the password (else GPSIM_PASSWORD, else a prompt)", "FILE" },
    { "kerberos", 0, 0, G_OPTION_ARG_NONE, &options->kerberos,
      "bind with the Kerberos ticket (SASL GSS-API; --dc must be the DC's DNS name)", NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &options->ca_file,
      "PEM file of the CA that issued the DC's certificate", "FILE" },
    { "insecure-tls", 0, 0, G_OPTION_ARG_NONE, &options->insecure_tls,
      "do not verify the DC's certificate (a warning says so on every run)", NULL },
    { "starttls", 0, 0, G_OPTION_ARG_NONE, &options->starttls,
      "LDAP on port 389 with StartTLS instead of LDAPS on 636", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &options->timeout,
      "bound of every network call, in seconds (default 30)", "S" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  GOptionGroup *group = g_option_group_new("live",
                                           "Live acquisition options (README \"Live "
                                           "acquisition\"):",
                                           "Show live acquisition options", options, NULL);

  g_option_group_add_entries(group, entries);
  g_option_group_set_parse_hooks(group, NULL, check_live_options);
  g_option_context_add_group(context, group);
}

/* ----------------------------------------------------------------- reading */

gboolean
gp_cli_live_read(const GpCliOptions *options, const char *dir, GPtrArray *diags, char **out_ldif,
                 char **out_sysvol, GError **error)
{
  g_autofree char *host = NULL;
  char *password = NULL;
  GpLiveOptions live = { 0 };
  gboolean ok;

  if (!gp_live_parse_host(options->dc, &host, &live.port, error))
    return FALSE;
  if (!options->kerberos
      && !(password = gp_live_password(options->password_file, options->user, NULL, error)))
    return FALSE;
  live.host = host;
  live.user = options->user;
  live.password = password;
  live.kerberos = options->kerberos;
  live.ca_file = options->ca_file;
  live.insecure_tls = options->insecure_tls;
  live.starttls = options->starttls;
  live.timeout_seconds = (guint)options->timeout;
  ok = gp_live_read(&live, dir, diags, out_ldif, out_sysvol, error);
  gp_live_password_free(password);
  return ok;
}

GpCliLive *
gp_cli_live_new(const GpCliOptions *options, GPtrArray *diags, GError **error)
{
  GpCliLive *live = g_new0(GpCliLive, 1);

  if (!(live->dir = g_dir_make_tmp("gpsim-live-XXXXXX", error))
      || !gp_cli_live_read(options, live->dir, diags, &live->ldif, &live->sysvol, error)) {
    gp_cli_live_free(live);
    return NULL;
  }
  return live;
}

const char *
gp_cli_live_ldif(const GpCliLive *live)
{
  return live->ldif;
}

const char *
gp_cli_live_sysvol(const GpCliLive *live)
{
  return live->sysvol;
}

void
gp_cli_live_free(GpCliLive *live)
{
  if (!live)
    return;
  if (live->dir)
    gp_cli_remove_tree(live->dir);
  g_free(live->dir);
  g_free(live->ldif);
  g_free(live->sysvol);
  g_free(live);
}

/* Removes @path and, for a folder, everything in it; symbolic links are
 * removed, never followed. */
gboolean
gp_cli_remove_tree(const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean ok = TRUE;

  if (!g_file_test(path, G_FILE_TEST_IS_SYMLINK) && g_file_test(path, G_FILE_TEST_IS_DIR)
      && (dir = g_dir_open(path, 0, NULL))) {
    while ((name = g_dir_read_name(dir))) {
      g_autofree char *child = g_build_filename(path, name, NULL);
      ok = gp_cli_remove_tree(child) && ok;
    }
  }
  return g_remove(path) == 0 && ok;
}
