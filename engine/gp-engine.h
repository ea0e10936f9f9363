/* gp-engine.h - who holds a user right on a computer, and why.
 *
 * Pure functions over a const GpModel: no I/O, no printing, no globals.  The
 * result carries its own explanation (every GPO considered with its fate and
 * reason, every definition of every right with its outcome); cli/ renders it.
 *
 * The algorithm is precedence-rules.md sections 1 to 3 for the computer side:
 *   A. SOM list: OUs nearest first, the domain root, then the site (CN= parents
 *      skipped, the walk stops at the first DC= ancestor).
 *   B. links of each SOM in link order (gPLink already parsed by the model).
 *   C. precedence: enforced links of the farthest SOM first, then the
 *      non-enforced links nearest first, local last; disabled links (bit 1, so
 *      1 and 3) and links blocked by a nearer SOM's block inheritance are
 *      excluded and listed after the others.
 *   D. filters D1-D8 on every remaining GPO, first failing reason reported.
 *   E. per right, the first applied GPO (Security CSE registered) that defines it
 *      wins with its whole list; otherwise the local layer.
 *
 * Ownership: a GpResult owns its entries, rights and notes; it borrows the
 * model's records (GPOs, SOMs, links, computer), so free it before the model.
 */
#ifndef GP_ENGINE_H
#define GP_ENGINE_H

#include <glib.h>

#include "gp-model.h"
#include "gp-rsop.h"

G_BEGIN_DECLS

/* Why a GPO does not apply, in evaluation order (precedence-rules.md 1.9). */
typedef enum {
  GP_REASON_NONE,
  GP_REASON_LINK_DISABLED,
  GP_REASON_BLOCKED,
  GP_REASON_GPO_NOT_FOUND,
  GP_REASON_BAD_FUNCTIONALITY_VERSION,
  GP_REASON_COMPUTER_SETTINGS_DISABLED,
  GP_REASON_SECURITY_FILTER_DENIED,
  GP_REASON_WMI_FILTER_FALSE,
  GP_REASON_EMPTY_GPO,
  GP_REASON_SECURITY_CSE_NOT_REGISTERED,
  GP_REASON_SYSVOL_UNREADABLE,
} GpReason;

/* Returns: (transfer none) (nullable): "LINK_DISABLED"... or NULL for NONE. */
const char *gp_reason_to_string(GpReason reason);
/* Returns: (transfer none): a short sentence for people ("link disabled"). */
const char *gp_reason_describe(GpReason reason);

/* What the caller knows about the target beyond the directory data, and the
 * modeling knobs GPMC's planning mode has.  The first three fields keep their
 * order; zero-initialised fields mean "not given". */
typedef struct {
  /* (nullable) site name; overrides everything else.  "" means no site. */
  const char *site;
  /* (nullable) the computer's local security policy (secedit export).  When
   * NULL, the documented defaults for its role form the local layer. */
  const GpSecurityTemplate *local_policy;
  /* (nullable) rights to resolve (constants or display names); NULL resolves
   * every right some GPO or the local layer defines. */
  const char *const *rights;
  /* (nullable) an IPv4 or IPv6 address, mapped to a site through the subnets
   * (longest prefix) when @site is not given. */
  const char *ip;
  /* (nullable) pretend the computer sits in this OU (or container) DN. */
  const char *ou;
  /* (nullable) SIDs to add to the computer's token, as if it were in those groups. */
  const char *const *extra_groups;
  /* WMI filters: each filter's value by id ("{UPPER}") in @wmi_values (values
   * GINT_TO_POINTER(1) true, GINT_TO_POINTER(2) false), else @wmi_default_false. */
  GHashTable *wmi_values;
  gboolean wmi_default_false;
  /* A stand-alone computer: no domain, no site, local policy only. */
  gboolean standalone;
  /* Skip the "if this WMI filter were the other way" notes (used internally). */
  gboolean no_sensitivity;
} GpEngineOptions;

/* One line of the precedence list: a link on one of the computer's SOMs, or local. */
typedef struct {
  guint precedence; /* 1 = highest; numbers the entries in list order */
  gboolean is_local;
  const GpSom *som;   /* (nullable) NULL for local */
  const GpLink *link; /* (nullable) NULL for local */
  const GpGpo *gpo;   /* (nullable) NULL for local and for GPO_NOT_FOUND */
  gboolean enforced;  /* effective: enforced bit set and link not disabled */
  gboolean applied;
  GpReason reason;               /* GP_REASON_NONE when applied */
  const GpSom *blocked_by;       /* (nullable) the SOM whose block inheritance excluded it */
  GPtrArray *assumptions;        /* char*: filters assumed to pass for lack of data */
  char *detail;                  /* (nullable) why the filter decided as it did */
  const GpWmiFilter *wmi_filter; /* (nullable) the GPO's WMI filter, when in the data */
  char *wmi_filter_id;           /* (nullable) from gPCWQLFilter, even when not in the data */
} GpGpoEntry;

typedef enum {
  GP_OUTCOME_WON,
  GP_OUTCOME_OVERRIDDEN,
  GP_OUTCOME_NOT_APPLIED,
} GpOutcome;

/* Returns: (transfer none): "won", "overridden", "not-applied". */
const char *gp_outcome_to_string(GpOutcome outcome);

/* A GPO on the list that defines the right. */
typedef struct {
  const GpGpoEntry *entry;
  const GpRightAssignment *assignment;
  GpOutcome outcome;
  const GpGpoEntry *overridden_by; /* (nullable) set for OVERRIDDEN */
} GpDefinition;

typedef enum {
  GP_SOURCE_GPO,     /* an applied GPO defines it */
  GP_SOURCE_LOCAL,   /* the given local policy (secedit export) decides */
  GP_SOURCE_DEFAULT, /* the documented default of the computer's role decides */
} GpRightSource;

/* Returns: (transfer none): "gpo", "local", "default". */
const char *gp_source_to_string(GpRightSource source);

/* What becomes of a right when its winning GPO stops defining it (unlinked,
 * filtered, or the line removed): precedence-rules.md section 3 item 5. */
typedef enum {
  GP_PERSIST_NEXT_GPO,          /* another applied GPO defines it: its list applies */
  GP_PERSIST_REVERTED_TO_LOCAL, /* the local database holds a previous value */
  GP_PERSIST_TATTOOED,          /* no previous value: the last list stays */
} GpPersistence;

/* Returns: (transfer none): "next-gpo", "reverted-to-local", "tattooed". */
const char *gp_persistence_to_string(GpPersistence persistence);

typedef struct {
  const GpRightInfo *info; /* (nullable) NULL for a right outside the catalogue */
  char *right;             /* canonical constant, or as written */
  GpRightSource source;
  const GpGpoEntry *winner; /* (nullable) set when source is GPO */
  /* GpPrincipal* (owned): holders in the winning definition's order, each with
   * the SID and name the model's directory knows. */
  GPtrArray *holders;
  /* TRUE when the local layer says "not defined" and no GPO defines it: nobody
   * holds the right (holders is empty). */
  gboolean defined_nowhere;
  gboolean local_greyed_out; /* some applied GPO defines it */
  /* The local layer on its own: what secpol.msc holds underneath (the given
   * local policy, else the role's documented default).  local_holders is NULL
   * when that layer does not define the right. */
  GpRightSource local_source;
  GPtrArray *local_holders; /* (nullable) GpPrincipal* (owned) */
  GPtrArray *definitions;   /* GpDefinition* (owned), precedence order */
  GPtrArray *notes;         /* char*: caveats, e.g. an unreadable GPO above the winner */
  /* Set when a GPO wins: what applies if it stops defining the right. */
  GpPersistence if_winner_removed;
  const GpGpoEntry *runner_up; /* (nullable) the next applied definition */
} GpRightResult;

typedef struct {
  const GpComputer *computer;
  GpRole role;
  gboolean role_assumed; /* the data could not tell; see role_reason */
  char *role_reason;     /* how the role was decided */
  char *site;            /* (nullable) site used, NULL when none */
  char *site_reason;     /* why this site, or why none */
  GPtrArray *soms;       /* const GpSom*, nearest first (SOM list, step A) */
  GPtrArray *entries;    /* GpGpoEntry* (owned), precedence order */
  GPtrArray *rights;     /* GpRightResult* (owned) */
  GPtrArray *notes;      /* char*: general caveats */
} GpResult;

/* Decides the role of @computer from userAccountControl, primaryGroupID and
 * operatingSystem.  @out_assumed is TRUE when none of them tells, and the
 * member-server role is returned.  @out_reason (transfer full) says why. */
GpRole gp_engine_computer_role(const GpComputer *computer, gboolean *out_assumed,
                               char **out_reason);

/* Evaluates @computer in @model.  Unknown names in options->rights are an error
 * (GP_ENGINE_ERROR_UNKNOWN_RIGHT) naming the right.
 * Returns: (transfer full) (nullable) */
GpResult *gp_engine_evaluate(const GpModel *model, const GpComputer *computer,
                             const GpEngineOptions *options, GError **error);

/* ------------------------------------------------ many computers (rsop) */

/* What evaluating many computers of one model with the same options shares:
 * the groups indexed for tokens, the SOM list of each container, the GPO of
 * each link, the site lookups, and the class of each computer.  The model and
 * the options (and what they point to) must not change while the cache lives.
 * A cache is used by one thread at a time; threads that evaluate one model
 * together each have their own cache and share the classes (below). */
typedef struct _GpEngineCache GpEngineCache;

/* The classes of computers (see gp_engine_cache_head()) found by several
 * caches, numbered once for all of them.  Safe to use from several threads. */
typedef struct _GpEngineClasses GpEngineClasses;

GpEngineClasses *gp_engine_classes_new(void);
void gp_engine_classes_free(GpEngineClasses *classes);

GpEngineCache *gp_engine_cache_new(const GpModel *model, const GpEngineOptions *options);
/* A cache that numbers classes in @classes (borrowed: it must outlive the cache). */
GpEngineCache *gp_engine_cache_new_shared(const GpModel *model, const GpEngineOptions *options,
                                          GpEngineClasses *classes);
void gp_engine_cache_free(GpEngineCache *cache);

/* The same result as gp_engine_evaluate() with the cache's model and options. */
GpResult *gp_engine_cache_evaluate(GpEngineCache *cache, const GpComputer *computer,
                                   GError **error);

/* Only what is @computer's own: role, site (with their reasons) and the SOM
 * list; entries, rights and notes stay empty.  @out_class receives the
 * computer's class: computers of one class (same SOM list, site, role and
 * security-filtering verdicts) get equal entries, rights and notes from
 * gp_engine_cache_evaluate().  Classes are numbered from 0 as they appear;
 * @out_new (nullable) is set TRUE for the one call that found the class
 * first, among all the caches sharing the classes.
 * Returns: (transfer full) */
GpResult *gp_engine_cache_head(GpEngineCache *cache, const GpComputer *computer, guint *out_class,
                               gboolean *out_new);

/* Compares one right before and after a change (the two results may come from
 * different states of the model; only their right results are read): NEXT_GPO when a GPO still
 * decides it after, REVERTED_TO_LOCAL when the winner is gone and the local
 * layer defines the right, TATTOOED when it does not (the old list stays).
 * Only meaningful when @before was decided by a GPO. */
GpPersistence gp_engine_persistence(const GpRightResult *before, const GpRightResult *after);

void gp_result_free(GpResult *result);

/* Returns: (transfer none) (nullable): the result for @right, any case. */
const GpRightResult *gp_result_find_right(const GpResult *result, const char *right);

/* ------------------------------------------------ tokens and access checks */

/* The SIDs the domain controller sees in the computer's token when it reads
 * GPOs: the computer's SID, its primary group (domain SID + primaryGroupID, 515
 * when absent), every group it is a member of through memberOf/member, nested
 * groups transitively, @extra_groups (SIDs, nullable), and the well-known SIDs
 * of a computer's network logon: Everyone, Authenticated Users, This
 * Organization, NETWORK, BUILTIN\Users; domain controllers also get Enterprise
 * Domain Controllers.  Returns: (transfer full): char* SIDs, upper case, unique. */
GPtrArray *gp_engine_computer_token(const GpModel *model, const GpComputer *computer,
                                    const char *const *extra_groups);

typedef enum {
  GP_ACCESS_GRANTED,
  GP_ACCESS_NO_READ,  /* Read (READ_PROPERTY) not granted, or denied */
  GP_ACCESS_NO_APPLY, /* Apply Group Policy not granted, or denied */
} GpAccessResult;

/* Evaluates @sd's DACL for @token as Windows' access check does: ACEs in order,
 * inherit-only ones skipped, a deny stops the bits it names unless an earlier
 * allow granted them; object ACEs count for Apply Group Policy only with no
 * object type or the Apply Group Policy GUID; a NULL DACL grants everything.
 * @out_why (nullable, transfer full) says which ACE decided. */
GpAccessResult gp_engine_check_gpo_access(const GpSecurityDescriptor *sd, const GPtrArray *token,
                                          char **out_why);

/* ------------------------------------------------------------- verify */

typedef enum {
  GP_MISMATCH_GPO_LIST, /* applied GPOs or their order differ */
  GP_MISMATCH_WINNER,   /* another GPO decides a right */
  GP_MISMATCH_HOLDERS,  /* same winner (or none), other holders */
  GP_MISMATCH_MISSING,  /* a right the client recorded that gpsim does not resolve, or back */
} GpMismatchKind;

typedef struct {
  GpMismatchKind kind;
  char *right;              /* (nullable) for rights mismatches */
  char *expected;           /* what the client recorded */
  char *actual;             /* what gpsim computed */
  GPtrArray *likely_causes; /* char*: most likely first */
} GpMismatch;

typedef struct {
  guint gpos_compared;
  guint rights_compared;
  GPtrArray *mismatches; /* GpMismatch* (owned) */
  GPtrArray *notes;      /* char*: what could not be compared, and why */
} GpVerifyResult;

/* Compares a simulated @result with what the client recorded in @rsop: the
 * applied GPO list in precedence order (by GUID; the local GPO left out), and
 * for every right the client recorded a winner for (Precedence 1): the winning
 * GPO and the holders.  RSoP members are usually names only ("Administrators",
 * "LOCAL SERVICE"): they match a holder by SID through @model's directory, or
 * by name with or without its "DOMAIN\" prefix, any case.  Each mismatch
 * carries its most likely causes (replication or export age when versions
 * differ, WMI filter values, group membership at logon, local changes).
 * Returns: (transfer full) */
GpVerifyResult *gp_engine_verify(const GpModel *model, const GpResult *result, const GpRsop *rsop);
void gp_verify_result_free(GpVerifyResult *verify);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpVerifyResult, gp_verify_result_free)

#define GP_ENGINE_ERROR gp_engine_error_quark()
GQuark gp_engine_error_quark(void);
typedef enum {
  GP_ENGINE_ERROR_UNKNOWN_RIGHT,
} GpEngineError;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpResult, gp_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpEngineCache, gp_engine_cache_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpEngineClasses, gp_engine_classes_free)

G_END_DECLS

#endif
