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

/* What the caller knows about the target beyond the directory data. */
typedef struct {
  /* (nullable) site name; overrides the computer's own.  "" means no site. */
  const char *site;
  /* (nullable) the computer's local security policy (secedit export).  When
   * NULL, the documented defaults for its role form the local layer. */
  const GpSecurityTemplate *local_policy;
  /* (nullable) rights to resolve (constants or display names); NULL resolves
   * every right some GPO or the local layer defines. */
  const char *const *rights;
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
  GpReason reason;         /* GP_REASON_NONE when applied */
  const GpSom *blocked_by; /* (nullable) the SOM whose block inheritance excluded it */
  /* TRUE when the entry is applied but its GptTmpl.inf is not used because the
   * Security CSE is not registered (D7): it then defines nothing. */
  gboolean security_cse_missing;
  GPtrArray *assumptions; /* char*: filters assumed to pass for lack of data */
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

void gp_result_free(GpResult *result);

/* Returns: (transfer none) (nullable): the result for @right, any case. */
const GpRightResult *gp_result_find_right(const GpResult *result, const char *right);

#define GP_ENGINE_ERROR gp_engine_error_quark()
GQuark gp_engine_error_quark(void);
typedef enum {
  GP_ENGINE_ERROR_UNKNOWN_RIGHT,
} GpEngineError;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpResult, gp_result_free)

G_END_DECLS

#endif
