/* gp-live.c - live acquisition: the order of things (gp-live.h).
 *
 *   1. LDAP: connect, RootDSE, bind, paged searches -> LDIF text;
 *   2. the LDIF text loaded into a scratch model, to find the GPOs and the
 *      links to GPOs of other domains (read too when this DC holds them);
 *   3. directory.ldif written;
 *   4. SMB: each GPO's GPT.INI and GptTmpl.inf -> sysvol/<domain>/Policies/.
 * Also: error messages, host names, passwords.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "gp-live-private.h"
#include "gp-loaders.h"
#include "gp-names.h"

#define MAX_PASSWORD 1024

/* The first argument is the quark's name as written. */
/* clang-format off */
G_DEFINE_QUARK(gp-live-error-quark, gp_live_error)
/* clang-format on */

void
gp_live_set_error(GError **error, GpLiveError code, const char *where, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(error, GP_LIVE_ERROR, code, "%s: %s", where, message);
}

guint
gp_live_timeout(const GpLiveOptions *options)
{
  return options->timeout_seconds ? options->timeout_seconds : GP_LIVE_DEFAULT_TIMEOUT;
}

char *
gp_live_url(const GpLiveOptions *options)
{
  guint port = options->port ? options->port : options->starttls ? 389 : 636;
  gboolean v6 = strchr(options->host, ':') != NULL;

  return g_strdup_printf("%s://%s%s%s:%u", options->starttls ? "ldap" : "ldaps", v6 ? "[" : "",
                         options->host, v6 ? "]" : "", port);
}

gboolean
gp_live_parse_host(const char *text, char **out_host, guint *out_port, GError **error)
{
  const char *host = text;
  const char *host_end = text + strlen(text);
  const char *colon = strrchr(text, ':');
  const char *bracket = text[0] == '[' ? strchr(text, ']') : NULL;
  guint64 port = 0;

  if (bracket) { /* [IPv6] or [IPv6]:port */
    host = text + 1;
    host_end = bracket;
    colon = bracket[1] == ':' ? bracket + 1 : NULL;
  } else if (colon && strchr(text, ':') != colon) {
    colon = NULL; /* a bare IPv6 address */
  } else if (colon) {
    host_end = colon;
  }
  if ((colon && !g_ascii_string_to_unsigned(colon + 1, 10, 1, 65535, &port, NULL))
      || (bracket && bracket[1] && !colon)) {
    g_set_error(error, GP_LIVE_ERROR, GP_LIVE_ERROR_FAILED,
                "--dc '%s': give HOST, HOST:PORT or [IPv6]:PORT, the port from 1 to 65535", text);
    return FALSE;
  }
  if (host_end <= host || (text[0] == '[' && !bracket)) {
    g_set_error(error, GP_LIVE_ERROR, GP_LIVE_ERROR_FAILED, "--dc '%s': no host name", text);
    return FALSE;
  }
  *out_host = g_strndup(host, (gsize)(host_end - host));
  *out_port = (guint)port;
  return TRUE;
}

/* ------------------------------------------------------------- TCP probe */

/* Returns: 0 when @ai accepts a connection within @timeout, else an errno. */
static int
probe_connect(const struct addrinfo *ai, guint timeout)
{
  int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
  struct pollfd pfd;
  int err = 0;
  socklen_t len = sizeof err;

  if (fd < 0)
    return errno;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)
    err = errno;
  else {
    pfd.fd = fd;
    pfd.events = POLLOUT;
    pfd.revents = 0;
    if (poll(&pfd, 1, (int)timeout * 1000) == 0)
      err = ETIMEDOUT;
    else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
      err = errno;
  }
  close(fd);
  return err;
}

void
gp_live_probe_error(const char *host, guint port, guint timeout, const char *where, GError **error)
{
  struct addrinfo hints = { 0 };
  struct addrinfo *found = NULL;
  char service[16];
  int rc, err;

  hints.ai_socktype = SOCK_STREAM;
  g_snprintf(service, sizeof service, "%u", port);
  if ((rc = getaddrinfo(host, service, &hints, &found)) != 0) {
    gp_live_set_error(error, GP_LIVE_ERROR_REFUSED, where, "cannot resolve '%s': %s", host,
                      gai_strerror(rc));
    return;
  }
  err = probe_connect(found, timeout);
  freeaddrinfo(found);
  if (err == ECONNREFUSED)
    gp_live_set_error(error, GP_LIVE_ERROR_REFUSED, where, "connection refused");
  else if (err == ETIMEDOUT)
    gp_live_set_error(error, GP_LIVE_ERROR_TIMEOUT, where, "timed out after %u s", timeout);
  else if (err != 0)
    gp_live_set_error(error, GP_LIVE_ERROR_REFUSED, where, "cannot connect: %s", g_strerror(err));
  else
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, where,
                      "the port accepts connections but no LDAP server answered");
}

/* -------------------------------------------------------------- passwords */

void
gp_live_password_free(char *password)
{
  if (!password)
    return;
  memset(password, 0, strlen(password));
  g_free(password);
}

static char *
password_from_file(const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  char *password;

  if (!g_file_get_contents(path, &contents, &len, &local)) {
    g_set_error(error, GP_LIVE_ERROR, GP_LIVE_ERROR_PASSWORD, "--password-file: %s",
                local->message);
    return NULL;
  }
  password = g_strndup(contents, strcspn(contents, "\r\n"));
  memset(contents, 0, len);
  if (*password == '\0') {
    g_free(password);
    g_set_error(error, GP_LIVE_ERROR, GP_LIVE_ERROR_PASSWORD,
                "--password-file '%s': the first line is empty", path);
    return NULL;
  }
  return password;
}

/* Reads one line from @fd with echo off.  Returns: (transfer full) */
static char *
read_hidden_line(int fd)
{
  struct termios saved, quiet;
  gboolean restore = tcgetattr(fd, &saved) == 0;
  char buffer[MAX_PASSWORD];
  gsize len = 0;
  char c;
  char *line;

  if (restore) {
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  while (len + 1 < sizeof buffer && read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
    buffer[len++] = c;
  if (restore)
    tcsetattr(fd, TCSAFLUSH, &saved);
  if (write(fd, "\n", 1) < 0) {
    /* nothing to do: the line is read */
  }
  line = g_strndup(buffer, len);
  memset(buffer, 0, sizeof buffer);
  return line;
}

static char *
password_from_terminal(const char *user, GError **error)
{
  int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
  g_autofree char *prompt = NULL;
  char *password;

  if (fd < 0) {
    g_set_error(error, GP_LIVE_ERROR, GP_LIVE_ERROR_PASSWORD,
                "no password for '%s': give --password-file FILE or set GPSIM_PASSWORD "
                "(there is no terminal to ask on)",
                user ? user : "");
    return NULL;
  }
  prompt = g_strdup_printf("Password for %s: ", user ? user : "the DC");
  if (write(fd, prompt, strlen(prompt)) < 0) {
    /* the prompt is a courtesy */
  }
  password = read_hidden_line(fd);
  close(fd);
  if (*password == '\0') {
    g_free(password);
    g_set_error(error, GP_LIVE_ERROR, GP_LIVE_ERROR_PASSWORD, "no password given");
    return NULL;
  }
  return password;
}

char *
gp_live_password(const char *password_file, const char *user, GpLivePasswordSource *out_source,
                 GError **error)
{
  const char *env = g_getenv("GPSIM_PASSWORD");
  GpLivePasswordSource source = GP_LIVE_PASSWORD_PROMPT;
  char *password;

  if (password_file) {
    source = GP_LIVE_PASSWORD_FILE;
    password = password_from_file(password_file, error);
  } else if (env && *env) {
    source = GP_LIVE_PASSWORD_ENV;
    password = g_strdup(env);
  } else {
    password = password_from_terminal(user, error);
  }
  if (password && out_source)
    *out_source = source;
  return password;
}

/* -------------------------------------------------------------- the read */

static gboolean
check_options(const GpLiveOptions *options, const char *url, GError **error)
{
  if (!options->kerberos && !options->user) {
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, url,
                      "give --user NAME (password from --password-file, GPSIM_PASSWORD or "
                      "a prompt) or --kerberos");
    return FALSE;
  }
  if (!options->kerberos && strchr(options->user, '=')) {
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, url,
                      "--user '%s' is a DN, which SMB cannot log on with: give user, "
                      "DOMAIN\\user or user@dns.domain",
                      options->user);
    return FALSE;
  }
  return TRUE;
}

/* Links to GPOs stored in another domain: read them too when this DC holds
 * that domain's partition (a GC's partial copy lacks gPCFileSysPath...). */
static gboolean
fetch_foreign_gpos(GpLiveLdap *ldap, GpModel *scratch, GString *ldif, GPtrArray *diags,
                   GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *own = gp_dn_normalize(gp_live_ldap_default_nc(ldap));
  const GPtrArray *soms = gp_model_soms(scratch);
  gsize start = ldif->len;

  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    for (guint j = 0; j < som->links->len; j++) {
      const GpLink *link = g_ptr_array_index(som->links, j);
      const GpGpo *gpo = gp_model_find_gpo_dn(scratch, link->gpo_dn);
      g_autofree char *domain = gp_dn_domain_part(link->gpo_dn);
      g_autofree char *key = domain ? gp_dn_normalize(domain) : NULL;
      gboolean found = FALSE;

      if ((gpo && gpo->in_directory) || !key || g_strcmp0(key, own) == 0
          || !g_hash_table_add(seen, gp_dn_normalize(link->gpo_dn)))
        continue;
      if (!gp_live_ldap_fetch_gpo(ldap, link->gpo_dn, ldif, &found, error))
        return FALSE;
      if (!found)
        gp_diag_add(diags, GP_SEVERITY_WARNING, som->dn, 0,
                    "links to GPO %s of domain %s, which this DC does not hold: it is "
                    "reported GPO_NOT_FOUND (add that domain's data with --ldif and --sysvol)",
                    link->gpo_dn, domain);
    }
  }
  return ldif->len == start
         || gp_ldif_load_from_data(ldif->str + start, ldif->len - start, "<live>", scratch, NULL,
                                   error);
}

static gboolean
read_directory(GpLiveLdap *ldap, GpModel *scratch, GString *ldif, GPtrArray *diags, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *stamp = g_date_time_format_iso8601(now);

  g_string_append_printf(ldif, "# gpsim: %s and %s, read %s\nversion: 1\n",
                         gp_live_ldap_default_nc(ldap), gp_live_ldap_config_nc(ldap), stamp);
  return gp_live_ldap_dump(ldap, ldif, diags, error)
         && gp_ldif_load_from_data(ldif->str, ldif->len, "<live>", scratch, NULL, error)
         && fetch_foreign_gpos(ldap, scratch, ldif, diags, error);
}

/* A DNS domain name that is safe as a folder name and inside an SMB path. */
static gboolean
is_safe_domain(const char *name)
{
  if (!name || !*name || name[0] == '.' || strstr(name, ".."))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* The domain folder of a GPO: from gPCFileSysPath when it reads
 * \\server\SYSVOL\<domain>\Policies\{GUID} (server ignored: always the --dc
 * host), else from the GPO's DN.  Returns: (transfer full) (nullable) */
static char *
gpo_domain(const GpGpo *gpo, const char *where, GPtrArray *diags)
{
  g_auto(GStrv) parts = gpo->file_sys_path ? g_strsplit(gpo->file_sys_path, "\\", -1) : NULL;
  g_autofree char *from_dn = gpo->dn ? gp_dn_to_dns_name(gpo->dn) : NULL;
  g_autofree char *guid = NULL;

  if (parts && g_strv_length(parts) == 7 && !*parts[0] && !*parts[1]
      && g_ascii_strcasecmp(parts[3], "SYSVOL") == 0
      && g_ascii_strcasecmp(parts[5], "Policies") == 0 && (guid = gp_guid_normalize(parts[6]))
      && strcmp(guid, gpo->guid) == 0 && is_safe_domain(parts[4]))
    return g_ascii_strdown(parts[4], -1);
  if (gpo->file_sys_path)
    gp_diag_add(diags, GP_SEVERITY_WARNING, where, 0,
                "gPCFileSysPath '%s' of GPO %s is not \\\\server\\SYSVOL\\<domain>\\Policies\\"
                "%s: reading the folder of its domain instead",
                gpo->file_sys_path, gpo->guid, gpo->guid);
  return is_safe_domain(from_dn) ? g_ascii_strdown(from_dn, -1) : NULL;
}

/* Every GPO of the directory, for SMB.  Strings go to @strings. */
static GArray *
collect_gpos(const GpModel *scratch, const char *where, GPtrArray *strings, GPtrArray *diags)
{
  const GPtrArray *all = gp_model_gpos(scratch);
  GArray *gpos = g_array_new(FALSE, TRUE, sizeof(GpLiveGpo));

  for (guint i = 0; i < all->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(all, i);
    char *domain = gpo->in_directory ? gpo_domain(gpo, where, diags) : NULL;
    GpLiveGpo entry = { gpo->guid, domain, gpo->display_name ? gpo->display_name : gpo->guid };

    if (!domain)
      continue;
    g_ptr_array_add(strings, domain);
    g_array_append_val(gpos, entry);
  }
  return gpos;
}

/* The NetBIOS name of the domain read (for SMB with a bare user name). */
static char *
netbios_name(const GpModel *scratch, const char *default_nc)
{
  const GpDomain *domain = gp_model_find_domain(scratch, default_nc);

  return domain && domain->netbios_name ? g_strdup(domain->netbios_name) : NULL;
}

static gboolean
read_sysvol(const GpLiveOptions *options, const GpModel *scratch, const char *user,
            const char *workgroup, const char *sysvol_dir, GPtrArray *diags, GError **error)
{
  g_autofree char *url = gp_live_url(options);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) gpos = collect_gpos(scratch, url, strings, diags);

  if (g_mkdir_with_parents(sysvol_dir, 0755) != 0) {
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, sysvol_dir, "cannot create the folder: %s",
                      g_strerror(errno));
    return FALSE;
  }
  return gp_live_smb_read(options, user, workgroup, gpos, sysvol_dir, diags, error);
}

gboolean
gp_live_read(const GpLiveOptions *options, const char *out_dir, GPtrArray *diags,
             char **out_ldif_path, char **out_sysvol_dir, GError **error)
{
  g_autofree char *url = gp_live_url(options);
  g_autofree char *ldif_path = g_build_filename(out_dir, GP_LIVE_LDIF_NAME, NULL);
  g_autofree char *sysvol_dir = g_build_filename(out_dir, GP_LIVE_SYSVOL_NAME, NULL);
  g_autofree char *workgroup = NULL;
  g_autofree char *user = NULL;
  g_autoptr(GString) ldif = g_string_new(NULL);
  g_autoptr(GpModel) scratch = gp_model_new();
  GpLiveLdap *ldap;
  gboolean ok;

  if (!check_options(options, url, error))
    return FALSE;
  if (options->insecure_tls)
    gp_diag_add(diags, GP_SEVERITY_WARNING, url, 0,
                "--insecure-tls: the DC's certificate is not verified, so anyone on the way "
                "could read the password and change what gpsim reads");
  if (!(ldap = gp_live_ldap_open(options, error)))
    return FALSE;
  ok = read_directory(ldap, scratch, ldif, diags, error);
  workgroup = netbios_name(scratch, gp_live_ldap_default_nc(ldap));
  user = g_strdup(options->kerberos ? gp_live_ldap_bind_name(ldap) : options->user);
  gp_live_ldap_close(ldap);
  ok = ok && g_file_set_contents(ldif_path, ldif->str, (gssize)ldif->len, error)
       && read_sysvol(options, scratch, user, workgroup, sysvol_dir, diags, error);
  if (ok && out_ldif_path)
    *out_ldif_path = g_steal_pointer(&ldif_path);
  if (ok && out_sysvol_dir)
    *out_sysvol_dir = g_steal_pointer(&sysvol_dir);
  return ok;
}
