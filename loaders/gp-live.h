/* gp-live.h - live acquisition: reading a domain controller over LDAP and SMB.
 *
 * Unlike the other loaders, this one touches the network.  It never builds the
 * model itself: it writes what it read as files the existing loaders read
 * unchanged (an LDIF file and a SYSVOL folder), so that a live run and a run on
 * a snapshot go through exactly the same code.
 *
 *   out_dir/directory.ldif                         the directory (RFC 2849)
 *   out_dir/sysvol/<dns domain>/Policies/{GUID}/   GPT.INI and
 *       Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf of each GPO, byte for byte
 *
 * A GPO whose GPT.INI or GptTmpl.inf cannot be read gets no folder at all, so
 * the SYSVOL loader reports it missing (SYSVOL_UNREADABLE), never "not defined";
 * a warning carries the SMB error.
 */
#ifndef GP_LIVE_H
#define GP_LIVE_H

#include <glib.h>

G_BEGIN_DECLS

#define GP_LIVE_DEFAULT_TIMEOUT 30
#define GP_LIVE_LDIF_NAME       "directory.ldif"
#define GP_LIVE_SYSVOL_NAME     "sysvol"

typedef struct {
  const char *host;      /* DNS name or address of a domain controller */
  guint port;            /* 0: 636 (LDAPS), or 389 with starttls */
  const char *user;      /* (nullable) simple bind: user, DOMAIN\user, user@domain or a DN */
  const char *password;  /* (nullable) with user */
  gboolean kerberos;     /* SASL GSS-API with the caller's Kerberos ticket */
  const char *ca_file;   /* (nullable) PEM file of the CA that signed the DC's certificate */
  gboolean insecure_tls; /* no certificate verification (a warning says so) */
  gboolean starttls;     /* ldap:// + StartTLS instead of ldaps:// */
  guint timeout_seconds; /* bound of every network call; 0: GP_LIVE_DEFAULT_TIMEOUT */
} GpLiveOptions;

#define GP_LIVE_ERROR gp_live_error_quark()
GQuark gp_live_error_quark(void);

/* Every error message is one line that starts with the URL it concerns:
 * "ldaps://dc.example:636: connection refused". */
typedef enum {
  GP_LIVE_ERROR_REFUSED,     /* connection refused, host unknown, unreachable */
  GP_LIVE_ERROR_TLS,         /* handshake or certificate verification failed */
  GP_LIVE_ERROR_CREDENTIALS, /* bad user name or password, no Kerberos ticket */
  GP_LIVE_ERROR_TIMEOUT,     /* a network call took longer than timeout_seconds */
  GP_LIVE_ERROR_PASSWORD,    /* no password could be had */
  GP_LIVE_ERROR_FAILED,      /* anything else (missing rights, I/O) */
} GpLiveError;

/* Reads the directory and SYSVOL of @options->host into @out_dir (which must
 * exist; the files above are created in it).  Warnings (GPOs in domains this
 * DC does not hold, unreadable GPO folders...) go to @diags.  On success
 * @out_ldif_path and @out_sysvol_dir (both nullable) receive the paths written. */
gboolean gp_live_read(const GpLiveOptions *options, const char *out_dir, GPtrArray *diags,
                      char **out_ldif_path, char **out_sysvol_dir, GError **error);

/* Splits "HOST", "HOST:PORT" or "[V6ADDR]:PORT".  Returns: FALSE with @error
 * on an empty host or a bad port. */
gboolean gp_live_parse_host(const char *text, char **out_host, guint *out_port, GError **error);

/* The URL error messages start with: "ldaps://HOST:636" or "ldap://HOST:389".
 * Returns: (transfer full) */
char *gp_live_url(const GpLiveOptions *options);

typedef enum {
  GP_LIVE_PASSWORD_FILE,   /* first line of --password-file */
  GP_LIVE_PASSWORD_ENV,    /* GPSIM_PASSWORD */
  GP_LIVE_PASSWORD_PROMPT, /* asked on the terminal, without echo */
} GpLivePasswordSource;

/* The password for a simple bind, in this order: the first line of
 * @password_file (nullable), the GPSIM_PASSWORD environment variable, a prompt
 * on the controlling terminal without echo.  Never from the command line.
 * Returns: (transfer full) (nullable): the password, with @out_source (nullable)
 * set; NULL with @error (GP_LIVE_ERROR_PASSWORD) when none can be had. */
char *gp_live_password(const char *password_file, const char *user,
                       GpLivePasswordSource *out_source, GError **error);
/* Overwrites and frees a password. */
void gp_live_password_free(char *password);

/* ------------------------------------------------------------- LDIF writer */

/* Appends "@attr: value" to @out, or "@attr:: base64" when @value is not an RFC
 * 2849 SAFE-STRING (binary, non-ASCII, leading space, ':' or '<', trailing
 * space), with lines folded at 76 columns.  @attr "dn" starts a record. */
void gp_live_ldif_append(GString *out, const char *attr, const void *value, gsize len);

G_END_DECLS

#endif
