/* gp-audit.h - baselines, lint and reverse queries over evaluated computers.
 *
 * Pure functions over a const GpModel and the GpResults gp_engine_evaluate()
 * produced: no I/O, no printing, no globals.  loaders/gp-baseline.c reads the
 * baseline file format into the types below; cli/ renders what comes out.
 *
 * Baselines (model/gp-baseline.h): rules "only these principals may hold RIGHT", each with a scope:
 *   any < role (domain-controller, member-server, client, standalone)
 *       < marked NAME (computers a "mark NAME = OU DN | computer" line marks)
 *       < ou DN (computers under that DN; a deeper DN is more specific).
 * For one computer and one right, the rules whose scope applies are folded
 * from the least specific to the most specific (file order within the same
 * specificity): "RIGHT = list" replaces the allowed list, "RIGHT += list" adds
 * to it.  So an OU rule overrides a role rule for the same right.  An empty
 * "=" list means nobody may hold the right.  Allowed principals are SIDs
 * ("S-1-5-32-544"; "D-512" is the computer's domain SID + "-512") or names
 * (resolved through the model's directory, compared with or without "DOMAIN\").
 *
 * Ownership: findings borrow the computers and GPO entries of the results they
 * were computed from (and the results borrow the model): free them first.
 */
#ifndef GP_AUDIT_H
#define GP_AUDIT_H

#include <glib.h>

#include "gp-baseline.h"
#include "gp-engine.h"

G_BEGIN_DECLS

/* A holder the baseline does not allow. */
typedef struct {
  const GpComputer *computer;
  char *right;
  GpPrincipal *principal;       /* (owned) the holder as the result names it */
  char *rule;                   /* the rules that decided the allowed list, "; " between */
  GpRightSource source;         /* where the holder list came from */
  const GpGpoEntry *granted_by; /* (nullable) the winning GPO entry; NULL for local/default */
} GpAuditFinding;

void gp_audit_finding_free(GpAuditFinding *finding);

/* Checks every right @result resolved against @baseline: each holder must be
 * in the allowed list of the right's most specific rules (rights no rule
 * covers are not checked).  Returns: (transfer full): GpAuditFinding*, in the
 * order of the result's rights and holders. */
GPtrArray *gp_audit_check(const GpModel *model, const GpResult *result, const GpBaseline *baseline);

/* ------------------------------------------------------------------ lint */

typedef enum {
  GP_LINT_NEVER_WINS,           /* a GPO defines a right that it decides on no computer */
  GP_LINT_LINK_OPTION_3,        /* a link both disabled and enforced: ignored */
  GP_LINT_COMPUTER_DISABLED,    /* computer half disabled on a GPO with user rights */
  GP_LINT_MISSING_GPO,          /* a link to a GPO that is not in the directory data */
  GP_LINT_TEMPLATE_WITHOUT_CSE, /* GptTmpl.inf, but the Security CSE is not registered */
  GP_LINT_CSE_WITHOUT_TEMPLATE, /* the Security CSE registered, no GptTmpl.inf in SYSVOL */
  GP_LINT_DUPLICATE_LINK,       /* the same GPO linked twice to one SOM */
  GP_LINT_EMPTY_IMPERSONATE,    /* SeImpersonatePrivilege defined with nobody */
} GpLintKind;

/* Returns: (transfer none): "never-wins", "link-option-3", "computer-disabled",
 * "missing-gpo", "template-without-cse", "cse-without-template",
 * "duplicate-link", "empty-impersonate". */
const char *gp_lint_kind_to_string(GpLintKind kind);

typedef struct {
  GpLintKind kind;
  char *gpo_guid; /* (nullable) */
  char *gpo_name; /* (nullable) */
  char *som;      /* (nullable) DN of the SOM concerned */
  char *message;
} GpLintFinding;

void gp_lint_finding_free(GpLintFinding *finding);

/* Lints the model's links and GPOs; @results (GpResult* of every computer,
 * evaluated with every right of the catalogue) tell which definitions win
 * somewhere.  Returns: (transfer full): GpLintFinding*, grouped by kind in
 * enum order, then in model order. */
GPtrArray *gp_audit_lint(const GpModel *model, const GPtrArray *results);

/* -------------------------------------------------------------- who-has */

typedef enum {
  GP_VIA_DIRECT,     /* the principal itself is on the list */
  GP_VIA_GROUP,      /* a group it is a member of, maybe through nested groups */
  GP_VIA_WELL_KNOWN, /* Everyone, Authenticated Users, BUILTIN\Users, SERVICE */
} GpViaKind;

/* Returns: (transfer none): "direct", "group", "well-known". */
const char *gp_via_kind_to_string(GpViaKind kind);

/* How the principal is included in one holder of the list. */
typedef struct {
  GpViaKind kind;
  GpPrincipal *holder; /* (owned) the holder on the list */
  GPtrArray *chain;    /* char*: for GROUP, group names from the principal's own group to
                        * the holder ("CONTOSO\App Servers", "CONTOSO\Tier2") */
  char *text;          /* "direct", "member of A > B", "well-known: ..." */
} GpWhoHasVia;

typedef enum {
  GP_REMOVAL_EDIT,     /* set GPO RIGHT = the list without the principal */
  GP_REMOVAL_UNLINK,   /* unlink GPO from SOM */
  GP_REMOVAL_NEW_LINK, /* a new GPO defining the right without it, linked nearer */
} GpRemovalKind;

/* Returns: (transfer none): "edit", "unlink", "new-link". */
const char *gp_removal_kind_to_string(GpRemovalKind kind);

/* One change that removes the right from the principal on that computer,
 * checked against the result (the next decider after an unlink does not
 * grant it, nothing tattoos it).  @plan holds plan lines (model/gp-plan.h),
 * one change; a new GPO takes three lines ("new gpo", "set", "link"). */
typedef struct {
  GpRemovalKind kind;
  char *plan;
  char *description; /* what else the change touches */
} GpRemoval;

typedef struct {
  const GpComputer *computer;
  const GpRightResult *right;   /* borrowed from the computer's result */
  GPtrArray *via;               /* GpWhoHasVia* (owned): every holder that includes it */
  const GpGpoEntry *granted_by; /* (nullable) the winner; NULL for local/default */
  GPtrArray *removals;          /* GpRemoval* (owned); empty when none is a single change */
  GPtrArray *notes;             /* char* */
} GpWhoHasEntry;

void gp_who_has_entry_free(GpWhoHasEntry *entry);

/* Where @principal_sid holds a right: for each result (every computer) and
 * each of its rights (only @rights, constants or display names, when given),
 * an entry when the principal is a holder directly, through the groups it is
 * a member of (memberOf / member, nested, primary group), or -- for accounts
 * (users, computers, service accounts) -- through the well-known groups every
 * such account gets: Everyone and Authenticated Users (every authenticated
 * account), BUILTIN\Users (authenticated domain accounts), SERVICE (a user
 * account running as a service).  Returns: (transfer full): GpWhoHasEntry*,
 * by computer, then in the result's right order. */
GPtrArray *gp_audit_who_has(const GpModel *model, const GPtrArray *results,
                            const char *principal_sid, const char *const *rights);

G_END_DECLS

#endif
