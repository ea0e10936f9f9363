/* gp-live-ldap.c - the directory over LDAPS or StartTLS, with OpenLDAP's libldap.
 *
 * One connection: TLS first (verified against --ca-file or the system's CAs
 * unless --insecure-tls), then the RootDSE (anonymous, as every DC allows),
 * then a simple bind or SASL GSS-API, then paged subtree searches whose entries
 * are written straight out as LDIF.  Referrals are never chased.
 *
 * Timeouts: libldap bounds the TCP connect (LDAP_OPT_NETWORK_TIMEOUT) and the
 * wait for each response, but not the TLS handshake of ldaps://, which can
 * wait forever on a server that never answers.  So every read and write on the
 * socket goes through a small liblber I/O layer that polls with the timeout
 * first and fails with ETIMEDOUT when nothing comes.
 */
#include <errno.h>
#include <lber.h>
#include <ldap.h>
#include <poll.h>
#include <sasl/sasl.h>
#include <string.h>
#include <sys/time.h>

#include "gp-live-private.h"
#include "gp-names.h"

#define PAGE_SIZE    500
#define SD_FLAGS_OID "1.2.840.113556.1.4.801"
/* BER of SEQUENCE { INTEGER 7 }: owner, group and DACL, no SACL (which would
 * need SeSecurityPrivilege and make AD drop the attribute). */
#define SD_FLAGS_VALUE     "\x30\x03\x02\x01\x07"
#define SD_FLAGS_VALUE_LEN 5
#define RANGE_OPTION       ";range="
#define MAX_RANGE_ROUNDS   10000

struct _GpLiveLdap {
  LDAP *ld;
  char *url;
  char *host;
  guint port;
  guint timeout;
  struct ldap_conncb conncb;
  gboolean connected; /* the TCP connection was made */
  gboolean tls_done;  /* TLS is up (first answer read) */
  gboolean timed_out; /* a socket read or write waited the whole timeout */
  char *default_nc;
  char *config_nc;
  char *bind_name;
  const GpLiveOptions *options; /* while connecting */
};

static GpLiveLdap *live_connect(const GpLiveOptions *options, GError **error);

/* ------------------------------------------------------------ I/O timeouts */

static int
io_setup(Sockbuf_IO_Desc *sbiod, void *arg)
{
  sbiod->sbiod_pvt = arg;
  return 0;
}

static int
io_ctrl(Sockbuf_IO_Desc *sbiod, int opt, void *arg)
{
  return LBER_SBIOD_CTRL_NEXT(sbiod, opt, arg);
}

/* Waits until the socket is ready for @events.  Returns: FALSE (errno
 * ETIMEDOUT) when the timeout passed first. */
static gboolean
io_wait(Sockbuf_IO_Desc *sbiod, short events)
{
  GpLiveLdap *ldap = sbiod->sbiod_pvt;
  ber_socket_t fd = -1;
  struct pollfd pfd;
  int ready;

  ber_sockbuf_ctrl(sbiod->sbiod_sb, LBER_SB_OPT_GET_FD, &fd);
  pfd.fd = fd;
  pfd.events = events;
  pfd.revents = 0;
  do
    ready = poll(&pfd, 1, (int)ldap->timeout * 1000);
  while (ready < 0 && errno == EINTR);
  if (ready == 0) {
    ldap->timed_out = TRUE;
    errno = ETIMEDOUT;
    return FALSE;
  }
  return TRUE;
}

static ber_slen_t
io_read(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
  return io_wait(sbiod, POLLIN) ? LBER_SBIOD_READ_NEXT(sbiod, buf, len) : -1;
}

static ber_slen_t
io_write(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
  return io_wait(sbiod, POLLOUT) ? LBER_SBIOD_WRITE_NEXT(sbiod, buf, len) : -1;
}

static Sockbuf_IO timeout_io = { io_setup, NULL, io_ctrl, io_read, io_write, NULL };

/* Called by libldap once the TCP connection is made, before TLS: the timeout
 * layer goes under TLS (same level, pushed first). */
static int
on_connect(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr, struct ldap_conncb *ctx)
{
  GpLiveLdap *ldap = ctx->lc_arg;

  (void)ld;
  (void)srv;
  (void)addr;
  ldap->connected = TRUE;
  return ber_sockbuf_add_io(sb, &timeout_io, LBER_SBIOD_LEVEL_TRANSPORT, ldap);
}

static void
on_disconnect(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
  (void)ld;
  (void)sb;
  (void)ctx;
}

/* ------------------------------------------------------------------ errors */

static char *
diagnostic(GpLiveLdap *ldap)
{
  char *message = NULL;
  char *copy;

  ldap_get_option(ldap->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &message);
  copy = message && *message ? g_strdup(message) : NULL;
  ldap_memfree(message);
  return copy;
}

static gboolean
mentions_certificate(const char *text)
{
  static const char *const words[]
      = { "certif", "verif", "trust", "issuer", "signer", "expired", "hostname", "match" };
  g_autofree char *lower = g_ascii_strdown(text ? text : "", -1);

  for (guint i = 0; i < G_N_ELEMENTS(words); i++)
    if (strstr(lower, words[i]))
      return TRUE;
  return FALSE;
}

/* GnuTLS leaves libldap no words for a rejected certificate ("unknown error
 * code"): a second handshake without verification tells.  It sends nothing
 * but an anonymous RootDSE request. */
static gboolean
works_unverified(const GpLiveOptions *options)
{
  GpLiveOptions relaxed = *options;
  GpLiveLdap *probe;

  relaxed.insecure_tls = TRUE;
  relaxed.ca_file = NULL;
  probe = live_connect(&relaxed, NULL);
  gp_live_ldap_close(probe);
  return probe != NULL;
}

static void
set_tls_error(GpLiveLdap *ldap, const char *diag, GError **error)
{
  const GpLiveOptions *options = ldap->options;

  if (mentions_certificate(diag))
    gp_live_set_error(error, GP_LIVE_ERROR_TLS, ldap->url,
                      "TLS certificate verification failed: %s (give --ca-file, or "
                      "--insecure-tls)",
                      diag);
  else if (options && !options->insecure_tls && works_unverified(options))
    gp_live_set_error(error, GP_LIVE_ERROR_TLS, ldap->url,
                      "TLS certificate verification failed: not issued by a trusted CA, or not "
                      "for '%s' (give --ca-file, or --insecure-tls)",
                      ldap->host);
  else if (diag && (strstr(diag, "pull function") || strstr(diag, "terminated")))
    /* GnuTLS's words for a connection closed or reset in the handshake */
    gp_live_set_error(error, GP_LIVE_ERROR_TLS, ldap->url,
                      "TLS handshake failed: the server closed the connection (is this %s?)",
                      options && options->starttls ? "an LDAP port"
                                                   : "an LDAPS port; try --starttls");
  else
    gp_live_set_error(error, GP_LIVE_ERROR_TLS, ldap->url, "TLS handshake failed%s%s",
                      diag ? ": " : "", diag ? diag : "");
}

/* Turns a libldap result code into one line naming what went wrong. */
static void
set_ldap_error(GpLiveLdap *ldap, int rc, const char *doing, GError **error)
{
  g_autofree char *diag = diagnostic(ldap);
  gboolean down = rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR;

  if (ldap->timed_out || rc == LDAP_TIMEOUT)
    gp_live_set_error(error, GP_LIVE_ERROR_TIMEOUT, ldap->url, "timed out after %u s",
                      ldap->timeout);
  else if (down && !ldap->connected)
    gp_live_probe_error(ldap->host, ldap->port, ldap->timeout, ldap->url, error);
  else if (down && !ldap->tls_done)
    set_tls_error(ldap, diag, error);
  else if (rc == LDAP_INVALID_CREDENTIALS)
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, ldap->url, "invalid credentials for '%s'",
                      ldap->bind_name);
  else
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, ldap->url, "%s: %s%s%s", doing,
                      ldap_err2string(rc), diag ? ": " : "", diag ? diag : "");
}

/* -------------------------------------------------------------- connecting */

static gboolean
set_option(GpLiveLdap *ldap, int option, const void *value, const char *name, GError **error)
{
  int rc = ldap_set_option(ldap->ld, option, value);

  if (rc == LDAP_OPT_SUCCESS)
    return TRUE;
  gp_live_set_error(error, GP_LIVE_ERROR_FAILED, ldap->url, "cannot set %s: %s", name,
                    ldap_err2string(rc));
  return FALSE;
}

static gboolean
set_tls_options(GpLiveLdap *ldap, const GpLiveOptions *options, GError **error)
{
  int require = options->insecure_tls ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND;
  int min_protocol = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
  int server = 0;

  if (options->ca_file && !g_file_test(options->ca_file, G_FILE_TEST_IS_REGULAR)) {
    gp_live_set_error(error, GP_LIVE_ERROR_TLS, ldap->url, "CA file '%s' cannot be read",
                      options->ca_file);
    return FALSE;
  }
  return set_option(ldap, LDAP_OPT_X_TLS_REQUIRE_CERT, &require, "TLS verification", error)
         && set_option(ldap, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_protocol, "TLS version", error)
         && (!options->ca_file
             || set_option(ldap, LDAP_OPT_X_TLS_CACERTFILE, options->ca_file, "--ca-file", error))
         /* a context of this handle's own, built from the options above */
         && set_option(ldap, LDAP_OPT_X_TLS_NEWCTX, &server, "TLS context", error);
}

static gboolean
set_session_options(GpLiveLdap *ldap, const GpLiveOptions *options, GError **error)
{
  int version = LDAP_VERSION3;
  struct timeval tv = { (time_t)ldap->timeout, 0 };

  ldap->conncb.lc_add = on_connect;
  ldap->conncb.lc_del = on_disconnect;
  ldap->conncb.lc_arg = ldap;
  return set_option(ldap, LDAP_OPT_PROTOCOL_VERSION, &version, "LDAPv3", error)
         && set_option(ldap, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals", error)
         && set_option(ldap, LDAP_OPT_NETWORK_TIMEOUT, &tv, "--timeout", error)
         && set_option(ldap, LDAP_OPT_TIMEOUT, &tv, "--timeout", error)
         && set_option(ldap, LDAP_OPT_CONNECT_CB, &ldap->conncb, "connection callback", error)
         && set_tls_options(ldap, options, error);
}

static gboolean
start_tls(GpLiveLdap *ldap, GError **error)
{
  int rc = ldap_start_tls_s(ldap->ld, NULL, NULL);

  if (rc != LDAP_SUCCESS) {
    set_ldap_error(ldap, rc, "StartTLS", error);
    return FALSE;
  }
  ldap->tls_done = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------------ RootDSE */

/* Returns: (transfer full) (nullable): the first value of @attr in @entry. */
static char *
first_value(GpLiveLdap *ldap, LDAPMessage *entry, const char *attr)
{
  struct berval **values = ldap_get_values_len(ldap->ld, entry, attr);
  char *value = NULL;

  if (values && values[0])
    value = g_strndup(values[0]->bv_val, values[0]->bv_len);
  ldap_value_free_len(values);
  return value;
}

static gboolean
read_root_dse(GpLiveLdap *ldap, GError **error)
{
  char *attrs[] = { "defaultNamingContext", "configurationNamingContext", NULL };
  struct timeval tv = { (time_t)ldap->timeout, 0 };
  LDAPMessage *res = NULL;
  LDAPMessage *entry;
  int rc = ldap_search_ext_s(ldap->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL,
                             &tv, LDAP_NO_LIMIT, &res);

  if (rc != LDAP_SUCCESS) {
    set_ldap_error(ldap, rc, "reading the RootDSE", error);
    ldap_msgfree(res);
    return FALSE;
  }
  ldap->tls_done = TRUE;
  if ((entry = ldap_first_entry(ldap->ld, res))) {
    ldap->default_nc = first_value(ldap, entry, "defaultNamingContext");
    ldap->config_nc = first_value(ldap, entry, "configurationNamingContext");
  }
  ldap_msgfree(res);
  if (ldap->default_nc && ldap->config_nc)
    return TRUE;
  gp_live_set_error(error, GP_LIVE_ERROR_FAILED, ldap->url,
                    "the RootDSE has no defaultNamingContext or configurationNamingContext: "
                    "is this an Active Directory domain controller?");
  return FALSE;
}

/* ---------------------------------------------------------------- binding */

static int
sasl_quiet(LDAP *ld, unsigned flags, void *defaults, void *prompts)
{
  sasl_interact_t *interact = prompts;

  (void)ld;
  (void)flags;
  (void)defaults;
  /* GSS-API asks at most for an authorization identity: none (the ticket's). */
  for (; interact && interact->id != SASL_CB_LIST_END; interact++) {
    interact->result = interact->defresult ? interact->defresult : "";
    interact->len = (unsigned)strlen(interact->result);
  }
  return LDAP_SUCCESS;
}

/* The account the Kerberos ticket stands for ("u:DOMAIN\\user"), which SMB
 * needs as its user name: replaces bind_name when the DC says. */
static void
whoami(GpLiveLdap *ldap)
{
  struct berval *authzid = NULL;

  if (ldap_whoami_s(ldap->ld, &authzid, NULL, NULL) == LDAP_SUCCESS && authzid
      && authzid->bv_len > 2 && strncmp(authzid->bv_val, "u:", 2) == 0) {
    g_free(ldap->bind_name);
    ldap->bind_name = g_strndup(authzid->bv_val + 2, authzid->bv_len - 2);
  }
  ber_bvfree(authzid);
}

/* SASL GSS-API with @secprops. */
static int
gssapi_bind(GpLiveLdap *ldap, const char *secprops, GError **error)
{
  if (!set_option(ldap, LDAP_OPT_X_SASL_SECPROPS, secprops, "SASL security", error))
    return LDAP_LOCAL_ERROR;
  return ldap_sasl_interactive_bind_s(ldap->ld, NULL, "GSSAPI", NULL, NULL, LDAP_SASL_QUIET,
                                      sasl_quiet, NULL);
}

static gboolean
bind_kerberos(GpLiveLdap *ldap, GError **error)
{
  int rc;

  ldap->bind_name = g_strdup("(Kerberos ticket)");
  /* The ticket is for ldap/<host as given>: no reverse DNS. */
  if (!set_option(ldap, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON, "SASL host name", error))
    return FALSE;
  /* TLS protects the connection already: DCs refuse a SASL layer inside it. */
  rc = gssapi_bind(ldap, "maxssf=0", error);
  if (rc == LDAP_SUCCESS) {
    whoami(ldap);
    return TRUE;
  }
  if (rc == LDAP_STRONG_AUTH_REQUIRED) {
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, ldap->url,
                      "the DC refuses Kerberos without a SASL signing layer, which cannot go "
                      "inside TLS (a Samba DC needs 'ldap server require strong auth = "
                      "allow_sasl_over_tls'); use --user instead");
    return FALSE;
  }
  if (rc == LDAP_LOCAL_ERROR || rc == LDAP_INVALID_CREDENTIALS) {
    g_autofree char *diag = diagnostic(ldap);
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, ldap->url,
                      "Kerberos (GSS-API) bind failed%s%s (%s)", diag ? ": " : "", diag ? diag : "",
                      g_hostname_is_ip_address(ldap->host)
                          ? "Kerberos needs the DC's DNS name in --dc, not an address"
                          : "is there a ticket? run kinit");
    return FALSE;
  }
  set_ldap_error(ldap, rc, "Kerberos bind", error);
  return FALSE;
}

/* "user" alone becomes "user@dns.domain": AD's simple bind takes a DN, a UPN
 * or DOMAIN\user, not a bare sAMAccountName. */
static char *
bind_name(const char *user, const char *default_nc)
{
  g_autofree char *dns = NULL;

  if (strpbrk(user, "@\\="))
    return g_strdup(user);
  dns = gp_dn_to_dns_name(default_nc);
  return dns ? g_strdup_printf("%s@%s", user, dns) : g_strdup(user);
}

static gboolean
bind_simple(GpLiveLdap *ldap, const GpLiveOptions *options, GError **error)
{
  struct berval cred;
  int rc;

  ldap->bind_name = bind_name(options->user, ldap->default_nc);
  cred.bv_val = (char *)(options->password ? options->password : "");
  cred.bv_len = strlen(cred.bv_val);
  if (cred.bv_len == 0) {
    /* an empty password would be an anonymous bind that "succeeds" */
    gp_live_set_error(error, GP_LIVE_ERROR_CREDENTIALS, ldap->url, "empty password for '%s'",
                      ldap->bind_name);
    return FALSE;
  }
  rc = ldap_sasl_bind_s(ldap->ld, ldap->bind_name, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
  if (rc == LDAP_SUCCESS)
    return TRUE;
  set_ldap_error(ldap, rc, "simple bind", error);
  return FALSE;
}

/* Connects, sets TLS up and reads the RootDSE, without binding. */
static GpLiveLdap *
live_connect(const GpLiveOptions *options, GError **error)
{
  GpLiveLdap *ldap = g_new0(GpLiveLdap, 1);
  gboolean ok;

  ldap->url = gp_live_url(options);
  ldap->host = g_strdup(options->host);
  ldap->port = options->port ? options->port : options->starttls ? 389 : 636;
  ldap->timeout = gp_live_timeout(options);
  ldap->options = options;
  if (ldap_initialize(&ldap->ld, ldap->url) != LDAP_SUCCESS) {
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, ldap->url, "not a valid LDAP URL");
    gp_live_ldap_close(ldap);
    return NULL;
  }
  ok = set_session_options(ldap, options, error) && (!options->starttls || start_tls(ldap, error))
       && read_root_dse(ldap, error);
  ldap->options = NULL;
  if (!ok) {
    gp_live_ldap_close(ldap);
    return NULL;
  }
  return ldap;
}

GpLiveLdap *
gp_live_ldap_open(const GpLiveOptions *options, GError **error)
{
  GpLiveLdap *ldap = live_connect(options, error);

  if (ldap
      && !(options->kerberos ? bind_kerberos(ldap, error) : bind_simple(ldap, options, error))) {
    gp_live_ldap_close(ldap);
    return NULL;
  }
  return ldap;
}

void
gp_live_ldap_close(GpLiveLdap *ldap)
{
  if (!ldap)
    return;
  if (ldap->ld)
    ldap_unbind_ext_s(ldap->ld, NULL, NULL);
  g_free(ldap->url);
  g_free(ldap->host);
  g_free(ldap->default_nc);
  g_free(ldap->config_nc);
  g_free(ldap->bind_name);
  g_free(ldap);
}

const char *
gp_live_ldap_default_nc(const GpLiveLdap *ldap)
{
  return ldap->default_nc;
}

const char *
gp_live_ldap_config_nc(const GpLiveLdap *ldap)
{
  return ldap->config_nc;
}

const char *
gp_live_ldap_bind_name(const GpLiveLdap *ldap)
{
  return ldap->bind_name;
}

/* --------------------------------------------------------------- searching */

typedef struct {
  const char *what; /* for messages: "GPOs" */
  const char *base;
  int scope;
  const char *filter;
  char **attrs;
  gboolean sd_flags; /* ask for nTSecurityDescriptor's owner, group and DACL */
  gboolean paged;
} LiveSearch;

/* Attributes gp-ldif.c reads, by kind of object. */
static char *domain_attrs[]
    = { "objectClass",    "cn",          "gPLink",          "gPOptions",
        "sAMAccountName", "dNSHostName", "operatingSystem", "userAccountControl",
        "primaryGroupID", "objectSid",   "memberOf",        "member",
        "msWMI-ID",       "msWMI-Name",  "msWMI-Parm2",     NULL };
static char *gpo_attrs[] = { "objectClass",
                             "cn",
                             "displayName",
                             "flags",
                             "versionNumber",
                             "gPCFunctionalityVersion",
                             "gPCFileSysPath",
                             "gPCMachineExtensionNames",
                             "gPCWQLFilter",
                             "nTSecurityDescriptor",
                             NULL };
static char *config_attrs[]
    = { "objectClass",     "cn",          "gPLink", "gPOptions", "siteObject",
        "serverReference", "nETBIOSName", "nCName", "dnsRoot",   NULL };

#define DOMAIN_FILTER                                                                              \
  "(|(objectClass=domainDNS)(objectClass=organizationalUnit)(objectClass=user)"                    \
  "(objectClass=group)(objectClass=msWMI-Som)(&(objectClass=container)(gPLink=*)))"
#define GPO_FILTER "(objectClass=groupPolicyContainer)"
#define CONFIG_FILTER                                                                              \
  "(|(objectClass=site)(objectClass=subnet)(objectClass=server)(&(objectClass=crossRef)("          \
  "nETBIOSName=*)))"

/* The controls of one request: paged results (with the cookie of the previous
 * page) and SD flags.  @page receives the page control to free. */
static gboolean
make_controls(GpLiveLdap *ldap, const LiveSearch *search, struct berval *cookie, LDAPControl **page,
              LDAPControl *sd, LDAPControl **controls, GError **error)
{
  guint n = 0;
  int rc;

  *page = NULL;
  if (search->paged) {
    rc = ldap_create_page_control(ldap->ld, PAGE_SIZE, cookie, 1, page);
    if (rc != LDAP_SUCCESS) {
      set_ldap_error(ldap, rc, "creating the paged results control", error);
      return FALSE;
    }
    controls[n++] = *page;
  }
  if (search->sd_flags) {
    sd->ldctl_oid = SD_FLAGS_OID;
    sd->ldctl_value.bv_val = SD_FLAGS_VALUE;
    sd->ldctl_value.bv_len = SD_FLAGS_VALUE_LEN;
    sd->ldctl_iscritical = 1;
    controls[n++] = sd;
  }
  controls[n] = NULL;
  return TRUE;
}

/* Reads the result code of @res and the paged results cookie for the next page
 * (bv_len 0 when this was the last one). */
static gboolean
finish_page(GpLiveLdap *ldap, const LiveSearch *search, LDAPMessage *res, struct berval *cookie,
            GError **error)
{
  int code = LDAP_SUCCESS;
  char *message = NULL;
  LDAPControl **controls = NULL;
  LDAPControl *page;
  int rc = ldap_parse_result(ldap->ld, res, &code, NULL, &message, NULL, &controls, 0);
  ber_int_t count = 0;

  ber_memfree(cookie->bv_val);
  cookie->bv_val = NULL;
  cookie->bv_len = 0;
  if (rc == LDAP_SUCCESS && code != LDAP_SUCCESS)
    gp_live_set_error(error, GP_LIVE_ERROR_FAILED, ldap->url, "reading %s under %s: %s%s%s",
                      search->what, search->base, ldap_err2string(code),
                      message && *message ? ": " : "", message ? message : "");
  else if (rc != LDAP_SUCCESS)
    set_ldap_error(ldap, rc, "reading a search result", error);
  else if ((page = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls, NULL)))
    ldap_parse_pageresponse_control(ldap->ld, page, &count, cookie);
  ldap_memfree(message);
  ldap_controls_free(controls);
  return rc == LDAP_SUCCESS && code == LDAP_SUCCESS;
}

/* One request: the entries of one page in @out_res. */
static gboolean
search_page(GpLiveLdap *ldap, const LiveSearch *search, struct berval *cookie,
            LDAPMessage **out_res, GError **error)
{
  LDAPControl *controls[3];
  LDAPControl *page = NULL;
  LDAPControl sd;
  struct timeval tv = { (time_t)ldap->timeout, 0 };
  int rc;

  *out_res = NULL;
  if (!make_controls(ldap, search, cookie, &page, &sd, controls, error))
    return FALSE;
  rc = ldap_search_ext_s(ldap->ld, search->base, search->scope, search->filter, search->attrs, 0,
                         controls, NULL, &tv, LDAP_NO_LIMIT, out_res);
  ldap_control_free(page);
  /* an error result still comes as a message, with its code and text */
  if (rc != LDAP_SUCCESS && (!*out_res || rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT)) {
    g_autofree char *doing = g_strdup_printf("reading %s under %s", search->what, search->base);
    set_ldap_error(ldap, rc, doing, error);
    return FALSE;
  }
  return TRUE;
}

/* "member;range=0-1499": a group with more members than the DC returns at
 * once (1500 on AD).  Returns: TRUE when @attr is ranged, with the attribute's
 * name in @out_name and the first value of the next range in @out_next (-1
 * after the last range, "member;range=1500-*"). */
static gboolean
parse_range(const char *attr, char **out_name, gint64 *out_next)
{
  const char *range = strstr(attr, RANGE_OPTION);
  const char *dash;
  guint64 high;

  if (!range || !(dash = strchr(range, '-')))
    return FALSE;
  *out_name = g_strndup(attr, (gsize)(range - attr));
  *out_next = -1;
  if (dash[1] != '*' && g_ascii_string_to_unsigned(dash + 1, 10, 0, G_MAXINT32, &high, NULL))
    *out_next = (gint64)high + 1;
  return TRUE;
}

static void
append_values(GString *ldif, const char *name, struct berval **values)
{
  for (guint i = 0; values && values[i]; i++)
    gp_live_ldif_append(ldif, name, values[i]->bv_val, values[i]->bv_len);
}

/* Reads the next range of @name on @dn; @next becomes the one after (-1: done). */
static gboolean
fetch_range(GpLiveLdap *ldap, const char *dn, const char *name, gint64 *next, GString *ldif,
            GError **error)
{
  g_autofree char *wanted
      = g_strdup_printf("%s" RANGE_OPTION "%" G_GINT64_FORMAT "-*", name, *next);
  char *attrs[] = { wanted, NULL };
  LiveSearch search = { name, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, FALSE, FALSE };
  struct berval cookie = { 0, NULL };
  LDAPMessage *res = NULL;
  LDAPMessage *entry;
  BerElement *ber = NULL;
  char *attr = NULL;
  g_autofree char *got = NULL;
  gboolean ok = search_page(ldap, &search, &cookie, &res, error)
                && finish_page(ldap, &search, res, &cookie, error);

  *next = -1;
  if (ok && (entry = ldap_first_entry(ldap->ld, res))
      && (attr = ldap_first_attribute(ldap->ld, entry, &ber)) && parse_range(attr, &got, next)) {
    struct berval **values = ldap_get_values_len(ldap->ld, entry, attr);
    append_values(ldif, name, values);
    ldap_value_free_len(values);
  }
  ldap_memfree(attr);
  ber_free(ber, 0);
  ldap_msgfree(res);
  return ok;
}

static gboolean
write_attribute(GpLiveLdap *ldap, LDAPMessage *entry, const char *dn, const char *attr,
                GString *ldif, GError **error)
{
  struct berval **values = ldap_get_values_len(ldap->ld, entry, attr);
  g_autofree char *name = NULL;
  gint64 next = -1;
  gboolean ok = TRUE;

  if (!parse_range(attr, &name, &next)) {
    append_values(ldif, attr, values);
    ldap_value_free_len(values);
    return TRUE;
  }
  append_values(ldif, name, values);
  ldap_value_free_len(values);
  for (guint round = 0; ok && next >= 0 && round < MAX_RANGE_ROUNDS; round++)
    ok = fetch_range(ldap, dn, name, &next, ldif, error);
  return ok;
}

static gboolean
write_entry(GpLiveLdap *ldap, LDAPMessage *entry, GString *ldif, guint *count, GError **error)
{
  char *dn = ldap_get_dn(ldap->ld, entry);
  BerElement *ber = NULL;
  gboolean ok = TRUE;

  if (!dn)
    return TRUE;
  gp_live_ldif_append(ldif, "dn", dn, strlen(dn));
  for (char *attr = ldap_first_attribute(ldap->ld, entry, &ber); attr;
       attr = ldap_next_attribute(ldap->ld, entry, ber)) {
    ok = ok && write_attribute(ldap, entry, dn, attr, ldif, error);
    ldap_memfree(attr);
  }
  ber_free(ber, 0);
  ldap_memfree(dn);
  (*count)++;
  return ok;
}

/* Runs @search page by page, appending every entry to @ldif. */
static gboolean
search_all(GpLiveLdap *ldap, const LiveSearch *search, GString *ldif, guint *count, GError **error)
{
  struct berval cookie = { 0, NULL };
  gboolean ok = TRUE;

  do {
    LDAPMessage *res = NULL;
    ok = search_page(ldap, search, &cookie, &res, error);
    for (LDAPMessage *e = ok ? ldap_first_entry(ldap->ld, res) : NULL; ok && e;
         e = ldap_next_entry(ldap->ld, e))
      ok = write_entry(ldap, e, ldif, count, error);
    ok = ok && finish_page(ldap, search, res, &cookie, error);
    ldap_msgfree(res);
  } while (ok && cookie.bv_len > 0);
  ber_memfree(cookie.bv_val);
  return ok;
}

static guint
count_lines_starting(const char *text, const char *prefix)
{
  guint n = 0;
  gsize len = strlen(prefix);

  for (const char *p = text; (p = strchr(p, '\n')); p++)
    if (g_ascii_strncasecmp(p + 1, prefix, len) == 0)
      n++;
  return n;
}

/* A GPO without its descriptor is taken as applying to everyone: say why. */
static void
check_descriptors(GpLiveLdap *ldap, const char *gpo_ldif, guint gpos, GPtrArray *diags)
{
  guint with_sd = count_lines_starting(gpo_ldif, "nTSecurityDescriptor:");

  if (with_sd < gpos)
    gp_diag_add(diags, GP_SEVERITY_WARNING, ldap->url, 0,
                "%u of %u GPOs came without nTSecurityDescriptor: the account may not read "
                "their permissions (READ_CONTROL); security filtering is then assumed to let "
                "every computer apply them",
                gpos - with_sd, gpos);
}

gboolean
gp_live_ldap_dump(GpLiveLdap *ldap, GString *ldif, GPtrArray *diags, GError **error)
{
  LiveSearch domain = { "directory objects",
                        ldap->default_nc,
                        LDAP_SCOPE_SUBTREE,
                        DOMAIN_FILTER,
                        domain_attrs,
                        FALSE,
                        TRUE };
  LiveSearch gpos
      = { "GPOs", ldap->default_nc, LDAP_SCOPE_SUBTREE, GPO_FILTER, gpo_attrs, TRUE, TRUE };
  LiveSearch config = { "sites, subnets, servers and partitions",
                        ldap->config_nc,
                        LDAP_SCOPE_SUBTREE,
                        CONFIG_FILTER,
                        config_attrs,
                        FALSE,
                        TRUE };
  guint n_domain = 0, n_gpos = 0, n_config = 0;
  gsize gpo_start;

  if (!search_all(ldap, &domain, ldif, &n_domain, error))
    return FALSE;
  gpo_start = ldif->len;
  if (!search_all(ldap, &gpos, ldif, &n_gpos, error))
    return FALSE;
  check_descriptors(ldap, ldif->str + (gpo_start ? gpo_start - 1 : 0), n_gpos, diags);
  if (!search_all(ldap, &config, ldif, &n_config, error))
    return FALSE;
  if (n_config == 0)
    gp_diag_add(diags, GP_SEVERITY_WARNING, ldap->url, 0,
                "nothing read from %s: no sites, subnets or NetBIOS names (the account may "
                "not read the configuration partition)",
                ldap->config_nc);
  gp_diag_add(diags, GP_SEVERITY_NOTE, ldap->url, 0, "read %u objects of %s (%u GPOs) and %u of %s",
              n_domain + n_gpos, ldap->default_nc, n_gpos, n_config, ldap->config_nc);
  return TRUE;
}

gboolean
gp_live_ldap_fetch_gpo(GpLiveLdap *ldap, const char *dn, GString *ldif, gboolean *out_found,
                       GError **error)
{
  LiveSearch search = { "a GPO", dn, LDAP_SCOPE_BASE, GPO_FILTER, gpo_attrs, TRUE, FALSE };
  struct berval cookie = { 0, NULL };
  LDAPMessage *res = NULL;
  LDAPMessage *entry;
  g_autoptr(GError) local = NULL;
  guint count = 0;
  gboolean ok;

  *out_found = FALSE;
  if (!search_page(ldap, &search, &cookie, &res, error))
    return FALSE;
  entry = ldap_first_entry(ldap->ld, res);
  ok = !entry || write_entry(ldap, entry, ldif, &count, error);
  /* not held here (a referral), absent, or not readable: the caller warns */
  finish_page(ldap, &search, res, &cookie, &local);
  ldap_msgfree(res);
  ber_memfree(cookie.bv_val);
  *out_found = ok && count > 0;
  return ok;
}
