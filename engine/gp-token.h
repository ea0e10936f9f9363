/* gp-token.h - the token of an account that logs on to a computer, and
 * whether a server account can impersonate a client.
 *
 * Pure functions over a const GpModel and a GpResult that gp_engine_evaluate()
 * produced for the computer: no I/O, no printing, no globals.
 *
 * A token holds (rights-notes.md sections 1 and 2):
 *   - the account's SID, its primary group (domain SID + primaryGroupID, 513
 *     Domain Users when absent) and every domain group reached through memberOf
 *     and groups' member lists, nested groups transitively;
 *   - the well-known SIDs of every logon: Everyone, Authenticated Users, This
 *     Organization, BUILTIN\Users (Authenticated Users is a member);
 *   - the logon-type SIDs: interactive INTERACTIVE + LOCAL + CONSOLE LOGON,
 *     network NETWORK, batch BATCH, service SERVICE; a COM server configured to
 *     run as an account also gets SERVICE;
 *   - local groups the caller says the account is in, and BUILTIN\IIS_IUSRS for
 *     an IIS application pool identity (S-1-5-82-*) started as a service.
 * NT AUTHORITY\SYSTEM's token is created by the system: Everyone, Authenticated
 * Users and BUILTIN\Administrators, no logon-type SID.
 *
 * A right is in the token when one of its SIDs is among the right's effective
 * holders on the computer.  Rights are put in the token at logon: a change takes
 * effect at the account's next logon (or the service's next start).
 *
 * Ownership: a GpToken owns its SIDs, rights and notes, and borrows the right
 * results of the GpResult it was built from: free it before that result.
 */
#ifndef GP_TOKEN_H
#define GP_TOKEN_H

#include <glib.h>

#include "gp-engine.h"

G_BEGIN_DECLS

#define GP_SID_SYSTEM          "S-1-5-18"
#define GP_SID_LOCAL_SERVICE   "S-1-5-19"
#define GP_SID_NETWORK_SERVICE "S-1-5-20"
#define GP_SID_SERVICE         "S-1-5-6"
#define GP_SID_IIS_IUSRS       "S-1-5-32-568"
#define GP_SID_APP_POOL_PREFIX "S-1-5-82-"
#define GP_IMPERSONATE_RIGHT   "SeImpersonatePrivilege"

typedef enum {
  GP_LOGON_INTERACTIVE,
  GP_LOGON_NETWORK,
  GP_LOGON_BATCH,
  GP_LOGON_SERVICE,
  GP_LOGON_COM_SERVER,
} GpLogonType;

/* Returns: (transfer none): "interactive", "network", "batch", "service", "com-server". */
const char *gp_logon_type_to_string(GpLogonType logon);
/* Parses one of the strings above, any case.  Returns: FALSE when unknown. */
gboolean gp_logon_type_from_string(const char *text, GpLogonType *out_logon);

/* One SID of the token and why it is there. */
typedef struct {
  char *sid;  /* upper case */
  char *name; /* (nullable) as the model's directory names it */
  char *why;  /* "the account", "member of X (via Y)", "logon type: SERVICE"... */
} GpTokenSid;

/* A user right the token holds. */
typedef struct {
  const GpRightResult *right; /* borrowed from the computer's result */
  const GpTokenSid *via;      /* borrowed: the first SID of the token among the holders */
  GPtrArray *also_via;        /* const GpTokenSid* (borrowed): the other matching SIDs */
} GpTokenRight;

typedef struct {
  char *account_sid;  /* upper case */
  char *account_name; /* (nullable) */
  gboolean in_data;   /* the directory has the account (user or computer) */
  GpLogonType logon;
  const GpResult *result; /* borrowed: the computer's result the rights come from */
  GPtrArray *sids;        /* GpTokenSid* (owned), the account first */
  GPtrArray *rights;      /* GpTokenRight* (owned), in the result's order */
  GPtrArray *notes;       /* char*: the next-logon note first, then caveats */
} GpToken;

/* Builds the token of @account_sid logging on to @computer_result's computer
 * with @logon.  @local_groups (nullable): SIDs of local groups the account is
 * taken to be in (BUILTIN\IIS_IUSRS...).  The rights matched are those
 * @computer_result resolved: evaluate it with every right of the catalogue.
 * Returns: (transfer full) */
GpToken *gp_token_build(const GpModel *model, const GpResult *computer_result,
                        const char *account_sid, GpLogonType logon,
                        const char *const *local_groups);
void gp_token_free(GpToken *token);

/* Returns: (transfer none) (nullable): the right the token holds, any case. */
const GpTokenRight *gp_token_find_right(const GpToken *token, const char *right);
/* Returns: (transfer none) (nullable): the token's entry for @sid, any case. */
const GpTokenSid *gp_token_find_sid(const GpToken *token, const char *sid);

/* Returns: (transfer full): who decided @right of @result, for people: "GPO
 * 'NAME' linked at SOM", the local security policy, or the role's default. */
char *gp_token_describe_decision(const GpResult *result, const GpRightResult *right);

/* ------------------------------------------------------- impersonation */

typedef enum {
  GP_LEVEL_ANONYMOUS,
  GP_LEVEL_IDENTIFY,
  GP_LEVEL_IMPERSONATE,
  GP_LEVEL_DELEGATE,
} GpImpersonationLevel;

/* Returns: (transfer none): "anonymous", "identify", "impersonate", "delegate". */
const char *gp_level_to_string(GpImpersonationLevel level);
gboolean gp_level_from_string(const char *text, GpImpersonationLevel *out_level);

/* Which documented rule gave the answer, in the order they are tried. */
typedef enum {
  GP_IMPERSONATE_LEVEL_BELOW,          /* condition 3: anonymous or identify */
  GP_IMPERSONATE_SAME_USER,            /* condition 1: the client is the server's user */
  GP_IMPERSONATE_EXPLICIT_CREDENTIALS, /* condition 2: the session logged on with them */
  GP_IMPERSONATE_PRIVILEGE_HELD,       /* the server's token holds SeImpersonatePrivilege */
  GP_IMPERSONATE_PRIVILEGE_NOT_HELD,   /* none of the above: refused */
} GpImpersonateRule;

/* Returns: (transfer none): "level-below-impersonate", "same-user",
 * "explicit-credentials", "privilege-held", "privilege-not-held". */
const char *gp_impersonate_rule_to_string(GpImpersonateRule rule);

typedef struct {
  gboolean answer;
  GpImpersonateRule rule;
  const GpTokenRight *held; /* (nullable) borrowed from the server's token */
  GPtrArray *explanation;   /* char*, in reading order */
} GpImpersonation;

/* What the client asks for and what the caller knows about the session. */
typedef struct {
  const char *client_sid;  /* (nullable) */
  const char *client_name; /* (nullable) for the explanation */
  GpImpersonationLevel level;
  gboolean explicit_credentials;
  gboolean same_user; /* also TRUE when client_sid is the server account's SID */
} GpImpersonationRequest;

/* Applies the documented rules in order: a level below Impersonate (condition
 * 3), the same user (condition 1), explicit credentials (condition 2), then
 * SeImpersonatePrivilege in @server_token (built with the server's logon type,
 * usually service).  The delegate level adds that delegation also needs the
 * account trusted for delegation, which gpsim does not model.
 * Returns: (transfer full) */
GpImpersonation *gp_token_can_impersonate(const GpToken *server_token,
                                          const GpImpersonationRequest *request);
void gp_impersonation_free(GpImpersonation *impersonation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpToken, gp_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpImpersonation, gp_impersonation_free)

G_END_DECLS

#endif
