/* gp-plan.h - planned changes to the model, for `gpsim whatif`.
 *
 * A plan is a list of changes, one a line, '#' starting a comment:
 *
 *   link GPO to SOM [enforced] [disabled] [order N]
 *   unlink GPO from SOM
 *   enforce GPO at SOM            unenforce GPO at SOM
 *   block SOM                     unblock SOM
 *   status GPO enabled|computer-disabled|user-disabled|disabled
 *   set GPO RIGHT = principal, principal, ...      (an empty list means nobody)
 *   clear GPO RIGHT
 *   move COMPUTER to OU
 *   add COMPUTER to GROUP
 *   new gpo NAME                  (the new GPO can be named in the lines after it)
 *
 * Keywords are matched in any case.  A name is one "quoted" token or several
 * unquoted words (joined by one blank); a quoted token is never a keyword.
 * GPOs are named by GUID, DN or display name; SOMs by DN, canonical path
 * ("contoso.com/Servers/Web") or name when unique; computers like --computer;
 * groups by DN, SID or name; principals as *SID, SID or names.
 *
 * gp_plan_parse() only checks the syntax; gp_plan_apply() resolves every name
 * against a model and applies the whole plan, or nothing.
 */
#ifndef GP_PLAN_H
#define GP_PLAN_H

#include <glib.h>

#include "gp-model.h"

G_BEGIN_DECLS

typedef enum {
  GP_CHANGE_LINK,
  GP_CHANGE_UNLINK,
  GP_CHANGE_ENFORCE,
  GP_CHANGE_UNENFORCE,
  GP_CHANGE_BLOCK,
  GP_CHANGE_UNBLOCK,
  GP_CHANGE_STATUS,
  GP_CHANGE_SET,
  GP_CHANGE_CLEAR,
  GP_CHANGE_MOVE,
  GP_CHANGE_ADD_GROUP,
  GP_CHANGE_NEW_GPO,
} GpChangeKind;

/* Returns: (transfer none): the keyword of @kind ("link", "add"...). */
const char *gp_change_kind_to_string(GpChangeKind kind);

typedef struct {
  GpChangeKind kind;
  char *file; /* where the line was read ("plan.txt", "--change") */
  guint line;
  char *text; /* the line as written, comment and outer blanks removed */
  /* The names as written, set according to @kind. */
  char *gpo;             /* link unlink enforce unenforce status set clear; new: the new name */
  char *som;             /* link unlink enforce unenforce block unblock; move: the target OU */
  char *computer;        /* move add */
  char *group;           /* add */
  char *right;           /* set clear */
  GPtrArray *principals; /* set: char* as written ("*S-1-5-32-544", "CONTOSO\\svc-web") */
  /* link options */
  gboolean enforced;
  gboolean disabled;
  guint order; /* 0: after the existing links (lowest precedence) */
  /* status: the GPO's new flags (1 user half disabled, 2 computer half disabled) */
  guint status_flags;
} GpChange;

typedef struct {
  GPtrArray *changes; /* GpChange* (owned), in plan order */
} GpPlan;

#define GP_PLAN_ERROR gp_plan_error_quark()
GQuark gp_plan_error_quark(void);
typedef enum {
  GP_PLAN_ERROR_SYNTAX,    /* a line that is not a change */
  GP_PLAN_ERROR_NOT_FOUND, /* a name that names nothing */
  GP_PLAN_ERROR_AMBIGUOUS, /* a name that names several things (candidates listed) */
  GP_PLAN_ERROR_INVALID,   /* a change that cannot be made to the model as it is */
} GpPlanError;

GpPlan *gp_plan_new(void);
void gp_plan_free(GpPlan *plan);
void gp_change_free(GpChange *change);

/* Parses @text (a whole plan; lines numbered from 1) and appends its changes
 * to @plan.  Errors are "FILE:LINE: what; expected ..."; on error @plan keeps
 * what it held before the call. */
gboolean gp_plan_parse_append(GpPlan *plan, const char *text, const char *file, GError **error);

/* Returns: (transfer full) (nullable): the changes of @text, or NULL with @error. */
GpPlan *gp_plan_parse(const char *text, const char *file, GError **error);

/* Resolves every name of @plan against @model, checks every change against
 * the model as the earlier changes leave it, then applies them all.  Any
 * failure is an error naming the line ("FILE:LINE: ...") and leaves @model
 * untouched.  @applied_notes (nullable) receives one char* per change saying
 * what was done ("FILE:LINE: linked 'IIS Web Tier' at OU=...") and notes about
 * assumptions (names kept as names). */
gboolean gp_plan_apply(const GpPlan *plan, GpModel *model, GPtrArray *applied_notes,
                       GError **error);

/* What one applied change touched, to explain results with the plan's lines. */
typedef struct {
  const GpChange *change; /* borrowed from the plan */
  char *gpo_guid;         /* (nullable) "{UPPER}" */
  char *som_dn;           /* (nullable) the SOM linked, unlinked, (un)blocked, or moved to */
  char *computer_dn;      /* (nullable) the computer moved or added to a group, its DN after */
  char *right;            /* (nullable) set clear: the catalogue constant */
} GpChangeTarget;

void gp_change_target_free(GpChangeTarget *target);

/* gp_plan_apply() that also appends a GpChangeTarget* (owned by @targets, which
 * should free them with gp_change_target_free) per change, in plan order. */
gboolean gp_plan_apply_with_targets(const GpPlan *plan, GpModel *model, GPtrArray *applied_notes,
                                    GPtrArray *targets, GError **error);

/* The GUID a "new gpo NAME" line gives, the same for the same name on every run.
 * Returns: (transfer full): "{UPPER-CASE}" */
char *gp_plan_new_gpo_guid(const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpPlan, gp_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpChange, gp_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpChangeTarget, gp_change_target_free)

G_END_DECLS

#endif
