/* gp-baseline.c - lifetimes and descriptions of baseline records; see gp-baseline.h. */
#include "gp-baseline.h"

/* ----------------------------------------------------- baseline records */

static void
mark_free(GpBaselineMark *mark)
{
  g_free(mark->name);
  g_free(mark->target);
  g_free(mark->file);
  g_free(mark);
}

GpBaseline *
gp_baseline_new(void)
{
  GpBaseline *baseline = g_new0(GpBaseline, 1);

  baseline->rules = g_ptr_array_new_with_free_func((GDestroyNotify)gp_baseline_rule_free);
  baseline->marks = g_ptr_array_new_with_free_func((GDestroyNotify)mark_free);
  return baseline;
}

void
gp_baseline_free(GpBaseline *baseline)
{
  if (!baseline)
    return;
  g_ptr_array_unref(baseline->rules);
  g_ptr_array_unref(baseline->marks);
  g_free(baseline);
}

GpBaselineRule *
gp_baseline_rule_new(GpScopeKind scope, GpRole role, const char *scope_value, const char *right,
                     gboolean add, const char *file, guint line)
{
  GpBaselineRule *rule = g_new0(GpBaselineRule, 1);

  rule->scope = scope;
  rule->role = role;
  rule->scope_value = g_strdup(scope_value);
  rule->right = g_strdup(right);
  rule->add = add;
  rule->allowed = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  rule->file = g_strdup(file);
  rule->line = line;
  return rule;
}

void
gp_baseline_rule_free(GpBaselineRule *rule)
{
  if (!rule)
    return;
  g_free(rule->scope_value);
  g_free(rule->right);
  g_ptr_array_unref(rule->allowed);
  g_free(rule->file);
  g_free(rule);
}

void
gp_baseline_add_rule(GpBaseline *baseline, GpBaselineRule *rule)
{
  g_ptr_array_add(baseline->rules, rule);
}

void
gp_baseline_add_mark(GpBaseline *baseline, const char *name, const char *target, const char *file,
                     guint line)
{
  GpBaselineMark *mark = g_new0(GpBaselineMark, 1);

  mark->name = g_strdup(name);
  mark->target = g_strdup(target);
  mark->file = g_strdup(file);
  mark->line = line;
  g_ptr_array_add(baseline->marks, mark);
}

char *
gp_baseline_scope_label(const GpBaselineRule *rule)
{
  switch (rule->scope) {
  case GP_SCOPE_ROLE:
    return g_strdup_printf("[%s]", gp_role_to_string(rule->role));
  case GP_SCOPE_MARKED:
    return g_strdup_printf("[marked %s]", rule->scope_value);
  case GP_SCOPE_OU:
    return g_strdup_printf("[ou %s]", rule->scope_value);
  case GP_SCOPE_ANY:
    break;
  }
  return g_strdup("[any]");
}

/* "*S-1-5-32-544" for a SID, the name otherwise: the form baselines and plans use. */
void
gp_baseline_append_principal(GString *out, const GpPrincipal *principal)
{
  if (principal->sid)
    g_string_append_printf(out, "*%s", principal->sid);
  else
    g_string_append(out, principal->name ? principal->name : "?");
}

char *
gp_baseline_rule_describe(const GpBaselineRule *rule)
{
  g_autofree char *scope = gp_baseline_scope_label(rule);
  GString *out = g_string_new(NULL);

  g_string_append_printf(out, "%s %s %s", scope, rule->right, rule->add ? "+=" : "=");
  for (guint i = 0; i < rule->allowed->len; i++) {
    g_string_append(out, i ? ", " : " ");
    gp_baseline_append_principal(out, g_ptr_array_index(rule->allowed, i));
  }
  if (!rule->add && rule->allowed->len == 0)
    g_string_append(out, " (nobody)");
  if (rule->file) {
    g_autofree char *base = g_path_get_basename(rule->file);
    g_string_append_printf(out, " (%s:%u)", base, rule->line);
  }
  return g_string_free(out, FALSE);
}
