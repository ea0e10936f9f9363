/* gp-baseline.h - audit baselines as plain data.
 *
 * Rules "only these principals may hold RIGHT", each with a scope, and marks
 * that give computers a name to be scoped by.  loaders/gp-baseline.c reads the
 * file format into these records; engine/gp-audit.c checks computers against
 * them (its header says how rules combine).  A GpBaseline owns its rules and
 * marks.
 */
#ifndef GP_BASELINE_H
#define GP_BASELINE_H

#include <glib.h>

#include "gp-model.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------- baselines */

typedef enum {
  GP_SCOPE_ANY,
  GP_SCOPE_ROLE,   /* @role */
  GP_SCOPE_MARKED, /* @value is the mark's name */
  GP_SCOPE_OU,     /* @value is a DN: computers under it */
} GpScopeKind;

typedef struct {
  GpScopeKind scope;
  GpRole role;        /* GP_SCOPE_ROLE */
  char *scope_value;  /* (nullable) mark name or DN */
  char *right;        /* canonical constant */
  gboolean add;       /* "+=": adds to the list the less specific scopes give */
  GPtrArray *allowed; /* GpPrincipal* (owned); empty with !add means nobody */
  char *file;         /* (nullable) */
  guint line;
} GpBaselineRule;

/* "mark NAME = TARGET": TARGET is a DN (computers under it) or a computer name
 * (cn, sAMAccountName with or without '$', dNSHostName). */
typedef struct {
  char *name;
  char *target;
  char *file; /* (nullable) */
  guint line;
} GpBaselineMark;

typedef struct _GpBaseline GpBaseline;
struct _GpBaseline {
  GPtrArray *rules; /* GpBaselineRule* (owned), in reading order */
  GPtrArray *marks; /* GpBaselineMark* (owned) */
};

GpBaseline *gp_baseline_new(void);
void gp_baseline_free(GpBaseline *baseline);
/* Returns: (transfer full): a rule with an empty allowed list. */
GpBaselineRule *gp_baseline_rule_new(GpScopeKind scope, GpRole role, const char *scope_value,
                                     const char *right, gboolean add, const char *file, guint line);
void gp_baseline_rule_free(GpBaselineRule *rule);
/* Takes ownership of @rule. */
void gp_baseline_add_rule(GpBaseline *baseline, GpBaselineRule *rule);
void gp_baseline_add_mark(GpBaseline *baseline, const char *name, const char *target,
                          const char *file, guint line);
/* Returns: (transfer full): "[member-server]", "[ou DN]", "[marked iis]", "[any]". */
char *gp_baseline_scope_label(const GpBaselineRule *rule);
/* Returns: (transfer full): the rule as a baseline line with its section and
 * place: "[member-server] SeDebugPrivilege = *S-1-5-32-544 (baseline.txt:12)". */
char *gp_baseline_rule_describe(const GpBaselineRule *rule);

/* Appends @principal as a baseline or plan token: "*S-1-..." or its name. */
void gp_baseline_append_principal(GString *out, const GpPrincipal *principal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpBaseline, gp_baseline_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpBaselineRule, gp_baseline_rule_free)

G_END_DECLS

#endif
