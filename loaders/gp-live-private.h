/* gp-live-private.h - what the gp-live*.c files share; not for other code.
 *
 *   gp-live.c       gp_live_read(): the order of things, passwords, host names
 *   gp-live-ldap.c  the directory over LDAPS or StartTLS (OpenLDAP's libldap)
 *   gp-live-smb.c   GPT.INI and GptTmpl.inf over SMB (libsmbclient)
 *   gp-live-ldif.c  the LDIF writer
 */
#ifndef GP_LIVE_PRIVATE_H
#define GP_LIVE_PRIVATE_H

#include "gp-live.h"
#include "gp-diag.h"
#include "gp-model.h"

G_BEGIN_DECLS

/* Sets @error to "@where: MESSAGE". */
void gp_live_set_error(GError **error, GpLiveError code, const char *where, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

/* The timeout in force (options->timeout_seconds or the default). */
guint gp_live_timeout(const GpLiveOptions *options);

/* Classifies a failed TCP connection to @host:@port by connecting once more
 * with a timeout: refused, unknown host, unreachable, timed out.  Used only
 * when a library could not say why it could not connect. */
void gp_live_probe_error(const char *host, guint port, guint timeout, const char *where,
                         GError **error);

/* ------------------------------------------------------------------ LDAP */

typedef struct _GpLiveLdap GpLiveLdap;

/* Connects (TLS verified unless insecure_tls), reads the RootDSE and binds.
 * Returns: (transfer full) (nullable) */
GpLiveLdap *gp_live_ldap_open(const GpLiveOptions *options, GError **error);
void gp_live_ldap_close(GpLiveLdap *ldap);

/* Naming contexts from the RootDSE.  Returns: (transfer none) */
const char *gp_live_ldap_default_nc(const GpLiveLdap *ldap);
const char *gp_live_ldap_config_nc(const GpLiveLdap *ldap);
/* The user name as bound ("user@dns.domain" for a bare name; "DOMAIN\\user"
 * for a Kerberos ticket when the DC tells), for messages and SMB. */
const char *gp_live_ldap_bind_name(const GpLiveLdap *ldap);

/* Appends to @ldif the domain partition's objects the LDIF loader reads (GPOs
 * with their nTSecurityDescriptor owner, group and DACL) and the configuration
 * partition's sites, subnets, servers and crossRefs. */
gboolean gp_live_ldap_dump(GpLiveLdap *ldap, GString *ldif, GPtrArray *diags, GError **error);

/* Appends the groupPolicyContainer @dn (in another domain) when this DC holds
 * it.  Returns: FALSE with @error only on a connection failure; *@out_found
 * tells whether the object was read. */
gboolean gp_live_ldap_fetch_gpo(GpLiveLdap *ldap, const char *dn, GString *ldif,
                                gboolean *out_found, GError **error);

/* ------------------------------------------------------------------- SMB */

/* What SMB needs to know about one GPO. */
typedef struct {
  const char *guid;   /* "{UPPER}" */
  const char *domain; /* DNS name of its domain: SYSVOL\<domain>\Policies\{GUID} */
  const char *label;  /* display name or GUID, for messages */
} GpLiveGpo;

/* Reads each GPO's GPT.INI and GptTmpl.inf from \\host\SYSVOL into
 * @sysvol_dir/<domain>/Policies/{GUID}/.  @user is the account (with
 * --kerberos: the ticket's, for libsmbclient to find it), @workgroup (nullable)
 * the domain's NetBIOS name, for a bare user name.  Returns: FALSE with @error
 * when the share cannot be reached at all; a GPO whose files cannot be read
 * gets a warning in @diags and no folder. */
gboolean gp_live_smb_read(const GpLiveOptions *options, const char *user, const char *workgroup,
                          GArray *gpos, const char *sysvol_dir, GPtrArray *diags, GError **error);

G_END_DECLS

#endif
