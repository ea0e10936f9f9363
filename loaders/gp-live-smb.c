/* gp-live-smb.c - GPT.INI and GptTmpl.inf of each GPO over SMB (libsmbclient).
 *
 * Always \\<--dc host>\SYSVOL\<domain>\Policies\{GUID}\...: the path is built
 * from the GPO's GUID and domain, never taken from gPCFileSysPath, so nothing
 * outside Policies is ever read.  Only the two files gpsim reads are fetched.
 * Signing is required (a private client configuration says so, since
 * libsmbclient takes it from smb.conf only), SMB2 or later.  Names are tried
 * as written first, then matched case-insensitively folder by folder, as
 * copies of SYSVOL differ in case.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsmbclient.h>
#include <string.h>
#include <unistd.h>

#include "gp-live-private.h"

#define MAX_FILE_SIZE (16u * 1024u * 1024u)
#define READ_CHUNK    65536

static const char *const template_path[]
    = { "Machine", "Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf", NULL };
static const char *const gpt_ini_path[] = { "GPT.INI", NULL };

typedef struct {
  SMBCCTX *ctx;
  char *share_url; /* smb://host/SYSVOL */
  char *workgroup;
  char *user;
  const char *password;
  char *conf_path; /* the private client configuration */
  guint timeout;
} LiveSmb;

/* ----------------------------------------------------------------- context */

static void
auth_data(SMBCCTX *ctx, const char *server, const char *share, char *workgroup, int workgroup_len,
          char *user, int user_len, char *password, int password_len)
{
  LiveSmb *smb = smbc_getOptionUserData(ctx);

  (void)server;
  (void)share;
  g_strlcpy(workgroup, smb->workgroup ? smb->workgroup : "", (gsize)workgroup_len);
  g_strlcpy(user, smb->user ? smb->user : "", (gsize)user_len);
  g_strlcpy(password, smb->password ? smb->password : "", (gsize)password_len);
}

static void
drop_log(void *data, int level, const char *message)
{
  /* errors come back as errno; libsmbclient's own log would go to stdout */
  (void)data;
  (void)level;
  (void)message;
}

/* "DOMAIN\user" -> DOMAIN, user; "user@realm" stays whole; a bare name takes
 * the domain's NetBIOS name. */
static void
split_user(LiveSmb *smb, const char *user, const char *workgroup)
{
  const char *slash = user ? strchr(user, '\\') : NULL;

  if (slash) {
    smb->workgroup = g_strndup(user, (gsize)(slash - user));
    smb->user = g_strdup(slash + 1);
  } else {
    smb->workgroup = g_strdup(workgroup);
    smb->user = g_strdup(user);
  }
}

static gboolean
write_client_conf(LiveSmb *smb, GError **error)
{
  static const char conf[] = "[global]\n"
                             "  client signing = required\n"
                             "  client ipc signing = required\n"
                             "  client min protocol = SMB2_02\n"
                             "  log level = 0\n";
  g_autoptr(GError) local = NULL;
  int fd = g_file_open_tmp("gpsim-smb-XXXXXX.conf", &smb->conf_path, &local);

  if (fd < 0 || write(fd, conf, sizeof conf - 1) != (ssize_t)(sizeof conf - 1)) {
    if (fd >= 0)
      close(fd);
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, smb->share_url,
                      "cannot write the SMB client configuration: %s",
                      local ? local->message : g_strerror(errno));
    return FALSE;
  }
  close(fd);
  return TRUE;
}

static gboolean
smb_open(LiveSmb *smb, const GpLiveOptions *options, GError **error)
{
  if (!write_client_conf(smb, error))
    return FALSE;
  if (!(smb->ctx = smbc_new_context())) {
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, smb->share_url,
                      "cannot create an SMB client: %s", g_strerror(errno));
    return FALSE;
  }
  smbc_setLogCallback(smb->ctx, NULL, drop_log);
  smbc_setConfiguration(smb->ctx, smb->conf_path);
  smbc_setOptionUserData(smb->ctx, smb);
  smbc_setFunctionAuthDataWithContext(smb->ctx, auth_data);
  smbc_setTimeout(smb->ctx, (int)smb->timeout * 1000);
  smbc_setOptionUseKerberos(smb->ctx, options->kerberos);
  smbc_setOptionFallbackAfterKerberos(smb->ctx, FALSE);
  smbc_setOptionUseCCache(smb->ctx, options->kerberos);
  smbc_setOptionNoAutoAnonymousLogin(smb->ctx, TRUE);
  if (!smbc_init_context(smb->ctx)) {
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, smb->share_url,
                      "cannot start the SMB client: %s", g_strerror(errno));
    smbc_free_context(smb->ctx, 1);
    smb->ctx = NULL;
    return FALSE;
  }
  return TRUE;
}

static void
smb_close(LiveSmb *smb)
{
  if (smb->ctx)
    smbc_free_context(smb->ctx, 1);
  if (smb->conf_path)
    g_unlink(smb->conf_path);
  g_free(smb->conf_path);
  g_free(smb->share_url);
  g_free(smb->workgroup);
  g_free(smb->user);
}

/* ------------------------------------------------------------------ errors */

/* errno values that mean the server or the network went away: the whole read
 * stops, rather than one GPO being reported unreadable. */
static gboolean
is_connection_error(int err)
{
  return err == ECONNREFUSED || err == ETIMEDOUT || err == ECONNRESET || err == EHOSTUNREACH
         || err == ENETUNREACH || err == EPIPE;
}

static void
set_smb_error(LiveSmb *smb, int err, GError **error)
{
  if (err == ECONNREFUSED)
    gp_live_set_error(error, GP_LIVE_ERROR_REFUSED, smb->share_url, "connection refused");
  else if (err == ETIMEDOUT)
    gp_live_set_error(error, GP_LIVE_ERROR_TIMEOUT, smb->share_url, "timed out after %u s",
                      smb->timeout);
  else if (err == EHOSTUNREACH || err == ENETUNREACH)
    gp_live_set_error(error, GP_LIVE_ERROR_REFUSED, smb->share_url, "%s", g_strerror(err));
  else if (err == EACCES || err == EPERM)
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, smb->share_url,
                      "logon failed or access denied for '%s'",
                      smb->user && *smb->user ? smb->user : "(Kerberos ticket)");
  else if (err == ENOENT || err == ENODEV)
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, smb->share_url,
                      "no SYSVOL share: is this a domain controller?");
  else
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, smb->share_url, "%s", g_strerror(err));
}

static gboolean
fail_smb(LiveSmb *smb, int err, GError **error)
{
  set_smb_error(smb, err, error);
  return FALSE;
}

static gboolean
check_share(LiveSmb *smb, GError **error)
{
  SMBCFILE *dir = smbc_getFunctionOpendir(smb->ctx)(smb->ctx, smb->share_url);

  if (!dir)
    return fail_smb(smb, errno, error);
  smbc_getFunctionClosedir(smb->ctx)(smb->ctx, dir);
  return TRUE;
}

/* ----------------------------------------------------------------- reading */

/* Returns: (transfer full) (nullable): the bytes at @url, or NULL with *@err. */
static GBytes *
read_url(LiveSmb *smb, const char *url, int *err)
{
  SMBCFILE *file = smbc_getFunctionOpen(smb->ctx)(smb->ctx, url, O_RDONLY, 0);
  g_autoptr(GByteArray) data = NULL;
  g_autofree guint8 *chunk = NULL;
  ssize_t n = 0;

  if (!file) {
    *err = errno;
    return NULL;
  }
  data = g_byte_array_new();
  chunk = g_malloc(READ_CHUNK);
  while ((n = smbc_getFunctionRead(smb->ctx)(smb->ctx, file, chunk, READ_CHUNK)) > 0
         && data->len + (gsize)n <= MAX_FILE_SIZE)
    g_byte_array_append(data, chunk, (guint)n);
  *err = n < 0 ? errno : n > 0 ? EFBIG : 0;
  smbc_getFunctionClose(smb->ctx)(smb->ctx, file);
  return *err ? NULL : g_byte_array_free_to_bytes(g_steal_pointer(&data));
}

/* Returns: (transfer full) (nullable): the entry of @dir_url named @name in any case. */
static char *
find_entry(LiveSmb *smb, const char *dir_url, const char *name)
{
  SMBCFILE *dir = smbc_getFunctionOpendir(smb->ctx)(smb->ctx, dir_url);
  struct smbc_dirent *entry;
  char *found = NULL;

  if (!dir)
    return NULL;
  while (!found && (entry = smbc_getFunctionReaddir(smb->ctx)(smb->ctx, dir)))
    if (g_ascii_strcasecmp(entry->name, name) == 0)
      found = g_strdup(entry->name);
  smbc_getFunctionClosedir(smb->ctx)(smb->ctx, dir);
  return found;
}

/* Reads @dir_url/@path...: as written, then matching each name in any case. */
static GBytes *
read_path(LiveSmb *smb, const char *dir_url, const char *const *path, int *err)
{
  g_autofree char *joined = g_strjoinv("/", (char **)path);
  g_autofree char *url = g_strdup_printf("%s/%s", dir_url, joined);
  g_autofree char *current = NULL;
  GBytes *bytes = read_url(smb, url, err);

  if (bytes || *err != ENOENT)
    return bytes;
  current = g_strdup(dir_url);
  for (guint i = 0; path[i]; i++) {
    g_autofree char *name = find_entry(smb, current, path[i]);
    char *next;

    if (!name) {
      *err = ENOENT;
      return NULL;
    }
    next = g_strdup_printf("%s/%s", current, name);
    g_free(current);
    current = next;
  }
  return read_url(smb, current, err);
}

/* --------------------------------------------------------------- each GPO */

static gboolean
write_file(const char *dir, const char *name, GBytes *bytes, GError **error)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data(bytes, &len);

  if (g_mkdir_with_parents(dir, 0755) != 0) {
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, dir, "cannot create the folder: %s",
                      g_strerror(errno));
    return FALSE;
  }
  return g_file_set_contents(path, data ? data : "", (gssize)len, error);
}

static gboolean
write_gpo(const GpLiveGpo *gpo, const char *sysvol_dir, GBytes *ini, GBytes *inf, GError **error)
{
  g_autofree char *dir = g_build_filename(sysvol_dir, gpo->domain, "Policies", gpo->guid, NULL);
  g_autofree char *secedit
      = g_build_filename(dir, "Machine", "Microsoft", "Windows NT", "SecEdit", NULL);

  return write_file(dir, "GPT.INI", ini, error)
         && (!inf || write_file(secedit, "GptTmpl.inf", inf, error));
}

/* A GPO whose files cannot be read gets no folder: the SYSVOL loader then
 * reports it SYSVOL_UNREADABLE.  *@problem keeps the first such message. */
static void
skip_gpo(LiveSmb *smb, const GpLiveGpo *gpo, const char *file, int err, GPtrArray *diags,
         char **problem)
{
  g_autofree char *message
      = g_strdup_printf("GPO '%s' %s: SYSVOL\\%s\\Policies\\%s\\%s cannot be read (%s); it is "
                        "reported SYSVOL_UNREADABLE",
                        gpo->label, gpo->guid, gpo->domain, gpo->guid, file, g_strerror(err));

  gp_diag_add(diags, GP_SEVERITY_WARNING, smb->share_url, 0, "%s", message);
  if (!*problem)
    *problem = g_steal_pointer(&message);
}

/* Returns: FALSE with @error when the connection failed; *@written tells
 * whether the GPO's folder was written. */
static gboolean
read_gpo(LiveSmb *smb, const GpLiveGpo *gpo, const char *sysvol_dir, GPtrArray *diags,
         char **problem, gboolean *written, GError **error)
{
  g_autofree char *dir_url
      = g_strdup_printf("%s/%s/Policies/%s", smb->share_url, gpo->domain, gpo->guid);
  g_autoptr(GBytes) ini = NULL;
  g_autoptr(GBytes) inf = NULL;
  int err = 0;

  *written = FALSE;
  if (!(ini = read_path(smb, dir_url, gpt_ini_path, &err))) {
    if (is_connection_error(err))
      return fail_smb(smb, err, error);
    skip_gpo(smb, gpo, "GPT.INI", err, diags, problem);
    return TRUE;
  }
  inf = read_path(smb, dir_url, template_path, &err);
  if (!inf && is_connection_error(err))
    return fail_smb(smb, err, error);
  if (!inf && err != ENOENT) {
    skip_gpo(smb, gpo, "Machine\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf", err, diags, problem);
    return TRUE;
  }
  *written = TRUE;
  return write_gpo(gpo, sysvol_dir, ini, inf, error);
}

static gboolean
read_all(LiveSmb *smb, GArray *gpos, const char *sysvol_dir, GPtrArray *diags, GError **error)
{
  g_autofree char *problem = NULL;
  guint folders = 0;

  for (guint i = 0; i < gpos->len; i++) {
    gboolean written = FALSE;
    if (!read_gpo(smb, &g_array_index(gpos, GpLiveGpo, i), sysvol_dir, diags, &problem, &written,
                  error))
      return FALSE;
    folders += written;
  }
  /* No folder at all would look like no SYSVOL copy to the loader. */
  if (gpos->len > 0 && folders == 0) {
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, smb->share_url,
                      "no GPO folder could be read: %s", problem);
    return FALSE;
  }
  gp_diag_add(diags, GP_SEVERITY_NOTE, smb->share_url, 0, "read %u of %u GPO folders", folders,
              gpos->len);
  return TRUE;
}

gboolean
gp_live_smb_read(const GpLiveOptions *options, const char *user, const char *workgroup,
                 GArray *gpos, const char *sysvol_dir, GPtrArray *diags, GError **error)
{
  LiveSmb smb = { 0 };
  gboolean ok;

  smb.share_url = strchr(options->host, ':') ? g_strdup_printf("smb://[%s]/SYSVOL", options->host)
                                             : g_strdup_printf("smb://%s/SYSVOL", options->host);
  smb.timeout = gp_live_timeout(options);
  smb.password = options->kerberos ? NULL : options->password;
  split_user(&smb, user, workgroup);
  ok = smb_open(&smb, options, error) && check_share(&smb, error)
       && read_all(&smb, gpos, sysvol_dir, diags, error);
  smb_close(&smb);
  return ok;
}
