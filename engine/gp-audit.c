/* gp-audit.c - baselines, lint and who-has over evaluated computers.
 *
 * Everything here reads the model and the results gp_engine_evaluate() made;
 * nothing is printed and nothing is changed.  See gp-audit.h for the rules.
 */
#include <string.h>

#include "gp-audit.h"
#include "gp-engine-private.h"
#include "gp-names.h"

#define SID_EVERYONE      "S-1-1-0"
#define SID_AUTH_USERS    "S-1-5-11"
#define SID_USERS         "S-1-5-32-545"
#define SID_SERVICE       "S-1-5-6"
#define SID_SYSTEM        "S-1-5-18"
#define IMPERSONATE       "SeImpersonatePrivilege"
#define DEFAULT_USERS_RID 513u
#define DEFAULT_HOSTS_RID 515u
#define MAX_LINT_PLACES   3u

/* ------------------------------------------------------ names and SIDs */

/* TRUE when @dn is @ancestor or lies under it. */
static gboolean
dn_is_under(const char *dn, const char *ancestor)
{
  g_autofree char *d = gp_dn_normalize(dn);
  g_autofree char *a = gp_dn_normalize(ancestor);
  gsize dl = strlen(d), al = strlen(a);

  if (dl == al)
    return strcmp(d, a) == 0;
  return dl > al && d[dl - al - 1] == ',' && strcmp(d + dl - al, a) == 0;
}

static guint
dn_depth(const char *dn)
{
  g_autofree char *current = g_strdup(dn);
  guint depth = 1;
  char *parent;

  while ((parent = gp_dn_parent(current))) {
    g_free(current);
    current = parent;
    depth++;
  }
  return depth;
}

static const char *
short_name(const char *name)
{
  const char *backslash = name ? strrchr(name, '\\') : NULL;

  return backslash ? backslash + 1 : name;
}

/* Names compare whole when both carry "DOMAIN\", else without it; any case. */
static gboolean
names_equal(const char *a, const char *b)
{
  if (!a || !b)
    return FALSE;
  if (strchr(a, '\\') && strchr(b, '\\'))
    return g_ascii_strcasecmp(a, b) == 0;
  return g_ascii_strcasecmp(short_name(a), short_name(b)) == 0;
}

static gboolean
sids_equal(const char *a, const char *b)
{
  return a && b && g_ascii_strcasecmp(a, b) == 0;
}

/* The domain SID of @computer: its own SID without the RID, else its domain's. */
static char *
computer_domain_sid(const GpModel *model, const GpComputer *computer)
{
  g_autofree char *domain_dn = NULL;
  const GpDomain *domain;
  const char *dash;

  if (computer->sid && (dash = strrchr(computer->sid, '-')))
    return g_strndup(computer->sid, (gsize)(dash - computer->sid));
  domain_dn = gp_dn_domain_part(computer->dn);
  domain = domain_dn ? gp_model_find_domain(model, domain_dn) : NULL;
  return domain && domain->sid ? g_strdup(domain->sid) : NULL;
}

/* The SID an allowed principal stands for on @computer ("D-512" made domain
 * relative, names looked up), or NULL when it has none. */
static char *
allowed_sid(const GpModel *model, const GpComputer *computer, const GpPrincipal *allowed)
{
  if (allowed->sid && g_ascii_strncasecmp(allowed->sid, "D-", 2) == 0) {
    g_autofree char *domain = computer_domain_sid(model, computer);
    return domain ? g_strdup_printf("%s-%s", domain, allowed->sid + 2) : NULL;
  }
  if (allowed->sid)
    return g_strdup(allowed->sid);
  return g_strdup(gp_model_principal_sid(model, allowed->name));
}

static gboolean
principal_allowed(const GpModel *model, const GpComputer *computer, const GpPrincipal *allowed,
                  const GpPrincipal *holder)
{
  g_autofree char *sid = allowed_sid(model, computer, allowed);
  const char *name = allowed->name;

  if (sid && holder->sid)
    return sids_equal(sid, holder->sid);
  if (!name && sid)
    name = gp_model_principal_name(model, sid);
  return names_equal(name, holder->name);
}

/* ------------------------------------------------------------- checking */

/* cn, sAMAccountName with or without '$', or dNSHostName, any case. */
static gboolean
computer_named(const GpComputer *computer, const char *name)
{
  gsize len = strlen(name);
  const char *sam = computer->sam_account_name;

  if ((computer->cn && g_ascii_strcasecmp(computer->cn, name) == 0)
      || (computer->dns_host_name && g_ascii_strcasecmp(computer->dns_host_name, name) == 0))
    return TRUE;
  if (!sam)
    return FALSE;
  return g_ascii_strcasecmp(sam, name) == 0
         || (strlen(sam) == len + 1 && sam[len] == '$' && g_ascii_strncasecmp(sam, name, len) == 0);
}

static gboolean
computer_marked(const GpComputer *computer, const GpBaseline *baseline, const char *mark_name)
{
  for (guint i = 0; i < baseline->marks->len; i++) {
    const GpBaselineMark *mark = g_ptr_array_index(baseline->marks, i);
    gboolean by_dn = strchr(mark->target, '=') != NULL;

    if (g_ascii_strcasecmp(mark->name, mark_name) != 0)
      continue;
    if (by_dn ? dn_is_under(computer->dn, mark->target) : computer_named(computer, mark->target))
      return TRUE;
  }
  return FALSE;
}

static gboolean
rule_applies(const GpResult *result, const GpBaseline *baseline, const GpBaselineRule *rule)
{
  switch (rule->scope) {
  case GP_SCOPE_ANY:
    return TRUE;
  case GP_SCOPE_ROLE:
    return rule->role == result->role;
  case GP_SCOPE_MARKED:
    return computer_marked(result->computer, baseline, rule->scope_value);
  case GP_SCOPE_OU:
    return dn_is_under(result->computer->dn, rule->scope_value);
  }
  return FALSE;
}

static guint
rule_specificity(const GpBaselineRule *rule)
{
  switch (rule->scope) {
  case GP_SCOPE_ANY:
    return 0;
  case GP_SCOPE_ROLE:
    return 1;
  case GP_SCOPE_MARKED:
    return 2;
  case GP_SCOPE_OU:
    return 3 + dn_depth(rule->scope_value);
  }
  return 0;
}

typedef struct {
  const GpBaselineRule *rule;
  guint specificity;
  guint order;
} Applicable;

static gint
applicable_compare(gconstpointer a, gconstpointer b)
{
  const Applicable *x = a, *y = b;

  if (x->specificity != y->specificity)
    return x->specificity < y->specificity ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order);
}

/* The rules deciding @right on the result's computer: the most specific "="
 * and the "+=" after it.  Returns: (transfer container) (nullable): NULL when
 * no "=" rule covers the right. */
static GPtrArray *
deciding_rules(const GpResult *result, const GpBaseline *baseline, const char *right)
{
  g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(Applicable));
  GPtrArray *out;
  guint start = G_MAXUINT;

  for (guint i = 0; i < baseline->rules->len; i++) {
    const GpBaselineRule *rule = g_ptr_array_index(baseline->rules, i);
    Applicable applicable = { rule, 0, i };
    if (g_ascii_strcasecmp(rule->right, right) != 0 || !rule_applies(result, baseline, rule))
      continue;
    applicable.specificity = rule_specificity(rule);
    g_array_append_val(found, applicable);
  }
  g_array_sort(found, applicable_compare);
  for (guint i = 0; i < found->len; i++)
    if (!g_array_index(found, Applicable, i).rule->add)
      start = i;
  if (start == G_MAXUINT)
    return NULL;
  out = g_ptr_array_new();
  for (guint i = start; i < found->len; i++)
    g_ptr_array_add(out, (gpointer)g_array_index(found, Applicable, i).rule);
  return out;
}

static gboolean
holder_allowed(const GpModel *model, const GpComputer *computer, const GPtrArray *rules,
               const GpPrincipal *holder)
{
  for (guint r = 0; r < rules->len; r++) {
    const GpBaselineRule *rule = g_ptr_array_index(rules, r);
    for (guint i = 0; i < rule->allowed->len; i++)
      if (principal_allowed(model, computer, g_ptr_array_index(rule->allowed, i), holder))
        return TRUE;
  }
  return FALSE;
}

static char *
rules_text(const GPtrArray *rules)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < rules->len; i++) {
    g_autofree char *text = gp_baseline_rule_describe(g_ptr_array_index(rules, i));
    g_string_append_printf(out, "%s%s", i ? "; " : "", text);
  }
  return g_string_free(out, FALSE);
}

void
gp_audit_finding_free(GpAuditFinding *finding)
{
  if (!finding)
    return;
  g_free(finding->right);
  gp_principal_free(finding->principal);
  g_free(finding->rule);
  g_free(finding);
}

static void
check_right(const GpModel *model, const GpResult *result, const GpBaseline *baseline,
            const GpRightResult *right, GPtrArray *out)
{
  g_autoptr(GPtrArray) rules = deciding_rules(result, baseline, right->right);
  g_autofree char *text = NULL;

  if (!rules)
    return;
  for (guint i = 0; i < right->holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(right->holders, i);
    GpAuditFinding *finding;

    if (holder_allowed(model, result->computer, rules, holder))
      continue;
    if (!text)
      text = rules_text(rules);
    finding = g_new0(GpAuditFinding, 1);
    finding->computer = result->computer;
    finding->right = g_strdup(right->right);
    finding->principal = gp_principal_copy(holder);
    finding->rule = g_strdup(text);
    finding->source = right->source;
    finding->granted_by = right->source == GP_SOURCE_GPO ? right->winner : NULL;
    g_ptr_array_add(out, finding);
  }
}

GPtrArray *
gp_audit_check(const GpModel *model, const GpResult *result, const GpBaseline *baseline)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_audit_finding_free);

  for (guint i = 0; i < result->rights->len; i++)
    check_right(model, result, baseline, g_ptr_array_index(result->rights, i), out);
  return out;
}

/* ----------------------------------------------------------------- lint */

const char *
gp_lint_kind_to_string(GpLintKind kind)
{
  static const char *const names[] = {
    "never-wins",           "link-option-3",        "computer-disabled", "missing-gpo",
    "template-without-cse", "cse-without-template", "duplicate-link",    "empty-impersonate",
  };

  return (guint)kind < G_N_ELEMENTS(names) ? names[kind] : "unknown";
}

void
gp_lint_finding_free(GpLintFinding *finding)
{
  if (!finding)
    return;
  g_free(finding->gpo_guid);
  g_free(finding->gpo_name);
  g_free(finding->som);
  g_free(finding->message);
  g_free(finding);
}

static const char *
gpo_label(const GpGpo *gpo)
{
  return gpo->display_name ? gpo->display_name : gpo->guid;
}

static void G_GNUC_PRINTF(5, 6) lint_add(GPtrArray *out, GpLintKind kind, const GpGpo *gpo,
                                         const char *som, const char *format, ...)
{
  GpLintFinding *finding = g_new0(GpLintFinding, 1);
  va_list args;

  finding->kind = kind;
  finding->gpo_guid = gpo ? g_strdup(gpo->guid) : NULL;
  finding->gpo_name = gpo ? g_strdup(gpo->display_name) : NULL;
  finding->som = g_strdup(som);
  va_start(args, format);
  finding->message = g_strdup_vprintf(format, args);
  va_end(args);
  g_ptr_array_add(out, finding);
}

/* Why one definition did not win on one computer, for the never-wins message. */
static char *
definition_fate(const GpDefinition *definition)
{
  if (definition->outcome == GP_OUTCOME_OVERRIDDEN)
    return g_strdup_printf("overridden by '%s'", gp_entry_label(definition->overridden_by));
  return g_strdup_printf("not applied (%s)", gp_reason_describe(definition->entry->reason));
}

/* Groups computers by fate: "overridden by 'X' on A, B; not applied (...) on C". */
static void
add_fate(GPtrArray *fates, GPtrArray *places, const char *fate, const char *computer)
{
  for (guint i = 0; i < fates->len; i++)
    if (strcmp(g_ptr_array_index(fates, i), fate) == 0) {
      GString *list = g_ptr_array_index(places, i);
      g_string_append_printf(list, ", %s", computer);
      return;
    }
  g_ptr_array_add(fates, g_strdup(fate));
  g_ptr_array_add(places, g_string_new(computer));
}

static void
string_free_all(gpointer data)
{
  g_string_free(data, TRUE);
}

/* Returns: TRUE when @gpo's definition of @right wins on some computer; else
 * @fates/@places say what became of it where it appeared, and
 * @out_evaluated whether any result resolved the right at all. */
static gboolean
definition_wins(const GPtrArray *results, const GpGpo *gpo, const char *right, GPtrArray *fates,
                GPtrArray *places, gboolean *out_evaluated)
{
  for (guint r = 0; r < results->len; r++) {
    const GpResult *result = g_ptr_array_index(results, r);
    const GpRightResult *resolved = gp_result_find_right(result, right);

    if (!resolved)
      continue;
    *out_evaluated = TRUE;
    for (guint d = 0; d < resolved->definitions->len; d++) {
      const GpDefinition *definition = g_ptr_array_index(resolved->definitions, d);
      g_autofree char *fate = NULL;
      if (definition->entry->gpo != gpo)
        continue;
      if (definition->outcome == GP_OUTCOME_WON)
        return TRUE;
      fate = definition_fate(definition);
      add_fate(fates, places, fate, result->computer->cn);
    }
  }
  return FALSE;
}

static void
lint_definition(const GPtrArray *results, const GpGpo *gpo, const char *right, GPtrArray *out)
{
  g_autoptr(GPtrArray) fates = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func(string_free_all);
  g_autoptr(GString) why = g_string_new(NULL);
  gboolean evaluated = FALSE;

  if (definition_wins(results, gpo, right, fates, places, &evaluated) || !evaluated)
    return;
  for (guint i = 0; i < fates->len && i < MAX_LINT_PLACES; i++)
    g_string_append_printf(why, "%s%s on %s", i ? "; " : "", (char *)g_ptr_array_index(fates, i),
                           ((GString *)g_ptr_array_index(places, i))->str);
  if (fates->len > MAX_LINT_PLACES)
    g_string_append(why, "; ...");
  if (fates->len == 0)
    lint_add(out, GP_LINT_NEVER_WINS, gpo, NULL,
             "'%s' defines %s but applies to no computer in the data", gpo_label(gpo), right);
  else
    lint_add(out, GP_LINT_NEVER_WINS, gpo, NULL,
             "'%s' defines %s but decides it on no computer: %s", gpo_label(gpo), right, why->str);
}

static void
lint_never_wins(const GpModel *model, const GPtrArray *results, GPtrArray *out)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  for (guint g = 0; g < gpos->len; g++) {
    const GpGpo *gpo = g_ptr_array_index(gpos, g);
    for (guint i = 0; gpo->machine_template && i < gpo->machine_template->rights->len; i++) {
      const GpRightAssignment *assignment = g_ptr_array_index(gpo->machine_template->rights, i);
      lint_definition(results, gpo, assignment->right, out);
    }
  }
}

static const GpGpo *
link_gpo(const GpModel *model, const GpLink *link)
{
  const GpGpo *gpo = gp_model_find_gpo_dn(model, link->gpo_dn);

  return gpo && gpo->in_directory ? gpo : NULL;
}

static const char *
link_label(const GpModel *model, const GpLink *link)
{
  const GpGpo *gpo = link_gpo(model, link);

  if (gpo)
    return gpo_label(gpo);
  return link->gpo_guid ? link->gpo_guid : link->gpo_dn;
}

static gboolean
links_same_gpo(const GpLink *a, const GpLink *b)
{
  g_autofree char *da = NULL;
  g_autofree char *db = NULL;

  if (a->gpo_guid && b->gpo_guid)
    return g_ascii_strcasecmp(a->gpo_guid, b->gpo_guid) == 0;
  da = gp_dn_normalize(a->gpo_dn);
  db = gp_dn_normalize(b->gpo_dn);
  return strcmp(da, db) == 0;
}

static void
lint_missing_link(const GpModel *model, const GpSom *som, const GpLink *link, GPtrArray *out)
{
  GpLintFinding *finding;

  if (link_gpo(model, link))
    return;
  lint_add(out, GP_LINT_MISSING_GPO, NULL, som->dn,
           "link order %u points to %s, which is not in the directory data (a deleted GPO?): "
           "GPO_NOT_FOUND on every computer below",
           link->link_order, link->gpo_dn);
  finding = g_ptr_array_index(out, out->len - 1);
  finding->gpo_guid = g_strdup(link->gpo_guid);
}

static void
lint_som_links(const GpModel *model, const GpSom *som, GpLintKind kind, GPtrArray *out)
{
  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    if (kind == GP_LINT_LINK_OPTION_3 && (link->options & 3u) == 3u)
      lint_add(out, kind, link_gpo(model, link), som->dn,
               "the link to '%s' (link order %u) is both disabled and enforced (options 3): "
               "a disabled link is ignored, enforced or not",
               link_label(model, link), link->link_order);
    if (kind == GP_LINT_MISSING_GPO)
      lint_missing_link(model, som, link, out);
    for (guint j = 0; kind == GP_LINT_DUPLICATE_LINK && j < i; j++) {
      const GpLink *earlier = g_ptr_array_index(som->links, j);
      if (links_same_gpo(earlier, link))
        lint_add(out, kind, link_gpo(model, link), som->dn,
                 "'%s' is linked twice to this SOM (link orders %u and %u)",
                 link_label(model, link), earlier->link_order, link->link_order);
    }
  }
}

static void
lint_links(const GpModel *model, GpLintKind kind, GPtrArray *out)
{
  const GPtrArray *soms = gp_model_soms(model);

  for (guint i = 0; i < soms->len; i++)
    lint_som_links(model, g_ptr_array_index(soms, i), kind, out);
}

/* Computers where @gpo decides SeImpersonatePrivilege, for the empty-list message. */
static char *
impersonate_winners(const GPtrArray *results, const GpGpo *gpo)
{
  GString *out = g_string_new(NULL);

  for (guint r = 0; r < results->len; r++) {
    const GpResult *result = g_ptr_array_index(results, r);
    const GpRightResult *right = gp_result_find_right(result, IMPERSONATE);
    if (right && right->winner && right->winner->gpo == gpo)
      g_string_append_printf(out, "%s%s", out->len ? ", " : "", result->computer->cn);
  }
  return g_string_free(out, FALSE);
}

static void
lint_gpo(const GPtrArray *results, const GpGpo *gpo, GpLintKind kind, GPtrArray *out)
{
  const GpSecurityTemplate *tmpl = gpo->machine_template;
  const GpRightAssignment *impersonate
      = tmpl ? gp_security_template_lookup(tmpl, IMPERSONATE) : NULL;

  if (kind == GP_LINT_COMPUTER_DISABLED && (gpo->flags & 2u) && tmpl && tmpl->rights->len)
    lint_add(out, kind, gpo, NULL,
             "'%s' has its computer configuration disabled (GPO status), so its %u user right "
             "definition%s never appl%s",
             gpo_label(gpo), tmpl->rights->len, tmpl->rights->len == 1 ? "" : "s",
             tmpl->rights->len == 1 ? "ies" : "y");
  if (kind == GP_LINT_TEMPLATE_WITHOUT_CSE && gpo->in_directory && tmpl
      && !gp_gpo_has_security_cse(gpo))
    lint_add(out, kind, gpo, NULL,
             "'%s' has a GptTmpl.inf but gPCMachineExtensionNames does not list the Security "
             "CSE %s: clients skip its security settings",
             gpo_label(gpo), GP_SECURITY_CSE_GUID);
  if (kind == GP_LINT_CSE_WITHOUT_TEMPLATE && gp_gpo_has_security_cse(gpo)
      && gpo->sysvol == GP_SYSVOL_READ && !tmpl)
    lint_add(out, kind, gpo, NULL,
             "'%s' registers the Security CSE but its SYSVOL folder has no GptTmpl.inf",
             gpo_label(gpo));
  if (kind == GP_LINT_EMPTY_IMPERSONATE && impersonate && impersonate->holders->len == 0) {
    g_autofree char *where = impersonate_winners(results, gpo);
    lint_add(out, kind, gpo, NULL,
             "'%s' defines SeImpersonatePrivilege with nobody: services (IIS, SQL Server, "
             "print spooler...) lose impersonation%s%s",
             gpo_label(gpo), *where ? "; it decides it on " : "", where);
  }
}

static void
lint_gpos(const GpModel *model, const GPtrArray *results, GpLintKind kind, GPtrArray *out)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  for (guint i = 0; i < gpos->len; i++)
    lint_gpo(results, g_ptr_array_index(gpos, i), kind, out);
}

GPtrArray *
gp_audit_lint(const GpModel *model, const GPtrArray *results)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_lint_finding_free);

  lint_never_wins(model, results, out);
  lint_links(model, GP_LINT_LINK_OPTION_3, out);
  lint_gpos(model, results, GP_LINT_COMPUTER_DISABLED, out);
  lint_links(model, GP_LINT_MISSING_GPO, out);
  lint_gpos(model, results, GP_LINT_TEMPLATE_WITHOUT_CSE, out);
  lint_gpos(model, results, GP_LINT_CSE_WITHOUT_TEMPLATE, out);
  lint_links(model, GP_LINT_DUPLICATE_LINK, out);
  lint_gpos(model, results, GP_LINT_EMPTY_IMPERSONATE, out);
  return out;
}

/* ------------------------------------------------------- membership walk */

/* One SID the principal counts as: itself, a group it is in, a well-known one. */
typedef struct {
  char *sid;  /* (nullable) */
  char *name; /* (nullable) */
  char *dn;   /* (nullable) for walking the groups */
  gint parent;
  GpViaKind kind;
  const char *why; /* (nullable) static: "primary group", or the well-known reason */
} Node;

static void
node_free(Node *node)
{
  g_free(node->sid);
  g_free(node->name);
  g_free(node->dn);
  g_free(node);
}

typedef struct {
  GPtrArray *nodes; /* Node*, the principal first */
} Membership;

static void
membership_clear(Membership *m)
{
  if (m->nodes)
    g_ptr_array_unref(m->nodes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Membership, membership_clear)

static const GpComputer *
find_computer_sid(const GpModel *model, const char *sid)
{
  const GPtrArray *computers = gp_model_computers(model);

  for (guint i = 0; i < computers->len; i++) {
    const GpComputer *computer = g_ptr_array_index(computers, i);
    if (sids_equal(computer->sid, sid))
      return computer;
  }
  return NULL;
}

static gboolean
membership_has_dn(const Membership *m, const char *dn)
{
  g_autofree char *key = gp_dn_normalize(dn);

  for (guint i = 0; i < m->nodes->len; i++) {
    const Node *node = g_ptr_array_index(m->nodes, i);
    g_autofree char *other = node->dn ? gp_dn_normalize(node->dn) : NULL;
    if (other && strcmp(other, key) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
membership_has_sid(const Membership *m, const char *sid)
{
  for (guint i = 0; sid && i < m->nodes->len; i++)
    if (sids_equal(((const Node *)g_ptr_array_index(m->nodes, i))->sid, sid))
      return TRUE;
  return FALSE;
}

static void
add_node(const GpModel *model, Membership *m, const char *sid, const char *name, const char *dn,
         gint parent, GpViaKind kind, const char *why)
{
  Node *node = g_new0(Node, 1);
  const char *known = sid ? gp_model_principal_name(model, sid) : NULL;

  node->sid = sid ? g_ascii_strup(sid, -1) : NULL;
  node->name = g_strdup(known ? known : name);
  if (!node->name && dn)
    node->name = gp_dn_first_value(dn);
  node->dn = g_strdup(dn);
  node->parent = parent;
  node->kind = kind;
  node->why = why;
  g_ptr_array_add(m->nodes, node);
}

static void
add_group_node(const GpModel *model, Membership *m, const GpGroup *group, gint parent,
               const char *why)
{
  if (membership_has_dn(m, group->dn) || membership_has_sid(m, group->sid))
    return;
  add_node(model, m, group->sid, group->name, group->dn, parent, GP_VIA_GROUP, why);
}

static void
add_groups_by_dn(const GpModel *model, Membership *m, const GPtrArray *dns, gint parent)
{
  for (guint i = 0; dns && i < dns->len; i++) {
    const char *dn = g_ptr_array_index(dns, i);
    const GpGroup *group = gp_model_find_group(model, dn);
    if (group)
      add_group_node(model, m, group, parent, NULL);
    else if (!membership_has_dn(m, dn))
      add_node(model, m, NULL, NULL, dn, parent, GP_VIA_GROUP, NULL);
  }
}

/* Groups whose member list names @dn. */
static void
add_groups_listing(const GpModel *model, Membership *m, const char *dn, gint parent)
{
  const GPtrArray *groups = gp_model_groups(model);
  g_autofree char *key = gp_dn_normalize(dn);

  for (guint g = 0; g < groups->len; g++) {
    const GpGroup *group = g_ptr_array_index(groups, g);
    for (guint i = 0; i < group->members->len; i++) {
      g_autofree char *member = gp_dn_normalize(g_ptr_array_index(group->members, i));
      if (strcmp(member, key) == 0)
        add_group_node(model, m, group, parent, NULL);
    }
  }
}

/* The primary group (domain SID + primaryGroupID): not listed in memberOf. */
static void
add_primary_group(const GpModel *model, Membership *m, const char *account_sid, guint32 rid)
{
  const char *dash = strrchr(account_sid, '-');
  g_autofree char *domain = dash ? g_strndup(account_sid, (gsize)(dash - account_sid)) : NULL;
  g_autofree char *sid = domain ? g_strdup_printf("%s-%u", domain, rid) : NULL;
  const GpGroup *group = sid ? gp_model_find_group_sid(model, sid) : NULL;

  if (!sid || membership_has_sid(m, sid))
    return;
  if (group)
    add_group_node(model, m, group, 0, "primary group");
  else
    add_node(model, m, sid, NULL, NULL, 0, GP_VIA_GROUP, "primary group");
}

/* The principal itself: its DN and direct groups from whichever record has its SID. */
static void
add_principal_groups(const GpModel *model, Membership *m, const char *sid)
{
  const GpGroup *group = gp_model_find_group_sid(model, sid);
  const GpUser *user = group ? NULL : gp_model_find_user_sid(model, sid);
  const GpComputer *computer = group || user ? NULL : find_computer_sid(model, sid);
  Node *root = g_ptr_array_index(m->nodes, 0);

  if (group)
    root->dn = g_strdup(group->dn);
  if (user) {
    root->dn = g_strdup(user->dn);
    add_groups_by_dn(model, m, user->member_of, 0);
    add_primary_group(model, m, sid,
                      user->primary_group_id ? user->primary_group_id : DEFAULT_USERS_RID);
  }
  if (computer) {
    root->dn = g_strdup(computer->dn);
    add_groups_by_dn(model, m, computer->member_of, 0);
    add_primary_group(model, m, sid,
                      computer->primary_group_id ? computer->primary_group_id : DEFAULT_HOSTS_RID);
  }
}

/* Nested groups: every node's memberOf and the groups listing it, breadth first. */
static void
walk_groups(const GpModel *model, Membership *m)
{
  for (guint i = 0; i < m->nodes->len; i++) {
    const Node *node = g_ptr_array_index(m->nodes, i);
    const GpGroup *group = node->dn ? gp_model_find_group(model, node->dn) : NULL;
    g_autofree char *dn = g_strdup(node->dn);

    if (!group && node->sid && i > 0)
      group = gp_model_find_group_sid(model, node->sid);
    if (group)
      add_groups_by_dn(model, m, group->member_of, (gint)i);
    if (dn)
      add_groups_listing(model, m, dn, (gint)i);
  }
}

/* A domain-relative SID of an account: RID 500-503 (Administrator, Guest,
 * krbtgt, DefaultAccount) or 1000 and above; the RIDs between are groups. */
static gboolean
is_domain_account_sid(const char *sid)
{
  const char *dash = strrchr(sid, '-');
  guint64 rid = dash ? g_ascii_strtoull(dash + 1, NULL, 10) : 0;

  return g_str_has_prefix(sid, "S-1-5-21-") && (rid >= 1000 || (rid >= 500 && rid <= 503));
}

/* Accounts log on and get the well-known groups; groups and well-known SIDs do
 * not.  @out_service: the account can run a service (users, service accounts). */
static gboolean
is_account(const GpModel *model, const char *sid, gboolean *out_service)
{
  *out_service = FALSE;
  if (gp_model_find_group_sid(model, sid))
    return FALSE;
  if (sids_equal(sid, SID_SYSTEM) || find_computer_sid(model, sid))
    return TRUE;
  *out_service = TRUE;
  if (gp_model_find_user_sid(model, sid) || is_domain_account_sid(sid))
    return TRUE;
  if (sids_equal(sid, "S-1-5-19") || sids_equal(sid, "S-1-5-20"))
    return TRUE;
  return g_str_has_prefix(sid, "S-1-5-80-") || g_str_has_prefix(sid, "S-1-5-82-");
}

static void
add_well_known(const GpModel *model, Membership *m, const char *sid)
{
  static const struct {
    const char *sid;
    const char *why;
    gboolean service_only;
  } well_known[] = {
    { SID_EVERYONE, "Everyone includes every authenticated account", FALSE },
    { SID_AUTH_USERS, "Authenticated Users includes every authenticated account", FALSE },
    { SID_USERS, "BUILTIN\\Users includes authenticated domain accounts", FALSE },
    { SID_SERVICE, "SERVICE is in the token of every account running as a service", TRUE },
  };
  gboolean service = FALSE;

  if (!is_account(model, sid, &service))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS(well_known); i++)
    if ((service || !well_known[i].service_only) && !membership_has_sid(m, well_known[i].sid))
      add_node(model, m, well_known[i].sid, NULL, NULL, 0, GP_VIA_WELL_KNOWN, well_known[i].why);
}

static void
membership_init(Membership *m, const GpModel *model, const char *sid)
{
  m->nodes = g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
  add_node(model, m, sid, NULL, NULL, -1, GP_VIA_DIRECT, NULL);
  add_principal_groups(model, m, sid);
  walk_groups(model, m);
  add_well_known(model, m, sid);
}

/* The node through which @holder includes the principal, or NULL. */
static const Node *
membership_match(const GpModel *model, const Membership *m, const GpPrincipal *holder)
{
  const char *sid = holder->sid ? holder->sid : gp_model_principal_sid(model, holder->name);

  for (guint i = 0; i < m->nodes->len; i++) {
    const Node *node = g_ptr_array_index(m->nodes, i);
    if (sid ? sids_equal(node->sid, sid) : names_equal(node->name, holder->name))
      return node;
  }
  return NULL;
}

/* The node through which @holder grants the right to the principal itself or
 * to a group of its own: well-known groups, which every such account gets, do
 * not count (removing SERVICE is not a way to take a right from one account). */
static const Node *
membership_grant(const GpModel *model, const Membership *m, const GpPrincipal *holder)
{
  const Node *node = membership_match(model, m, holder);

  return node && node->kind != GP_VIA_WELL_KNOWN ? node : NULL;
}

static gboolean
membership_granted_any(const GpModel *model, const Membership *m, const GPtrArray *holders)
{
  for (guint i = 0; holders && i < holders->len; i++)
    if (membership_grant(model, m, g_ptr_array_index(holders, i)))
      return TRUE;
  return FALSE;
}

/* --------------------------------------------------------------- who-has */

const char *
gp_via_kind_to_string(GpViaKind kind)
{
  switch (kind) {
  case GP_VIA_DIRECT:
    return "direct";
  case GP_VIA_GROUP:
    return "group";
  case GP_VIA_WELL_KNOWN:
    return "well-known";
  }
  return "unknown";
}

const char *
gp_removal_kind_to_string(GpRemovalKind kind)
{
  switch (kind) {
  case GP_REMOVAL_EDIT:
    return "edit";
  case GP_REMOVAL_UNLINK:
    return "unlink";
  case GP_REMOVAL_NEW_LINK:
    return "new-link";
  }
  return "unknown";
}

static void
via_free(GpWhoHasVia *via)
{
  gp_principal_free(via->holder);
  g_ptr_array_unref(via->chain);
  g_free(via->text);
  g_free(via);
}

static void
removal_free(GpRemoval *removal)
{
  g_free(removal->plan);
  g_free(removal->description);
  g_free(removal);
}

void
gp_who_has_entry_free(GpWhoHasEntry *entry)
{
  if (!entry)
    return;
  g_ptr_array_unref(entry->via);
  g_ptr_array_unref(entry->removals);
  g_ptr_array_unref(entry->notes);
  g_free(entry);
}

static const char *
node_label(const Node *node)
{
  return node->name ? node->name : node->sid ? node->sid : node->dn;
}

static GpWhoHasVia *
via_new(const Membership *m, const Node *node, const GpPrincipal *holder)
{
  GpWhoHasVia *via = g_new0(GpWhoHasVia, 1);
  g_autoptr(GString) text = g_string_new(NULL);

  via->kind = node->kind;
  via->holder = gp_principal_copy(holder);
  via->chain = g_ptr_array_new_with_free_func(g_free);
  for (const Node *step = node; node->kind == GP_VIA_GROUP && step->parent >= 0;
       step = g_ptr_array_index(m->nodes, (guint)step->parent))
    g_ptr_array_insert(via->chain, 0,
                       step->why ? g_strdup_printf("%s (%s)", node_label(step), step->why)
                                 : g_strdup(node_label(step)));
  if (node->kind == GP_VIA_DIRECT)
    g_string_append(text, "direct");
  else if (node->kind == GP_VIA_WELL_KNOWN)
    g_string_append_printf(text, "well-known: %s", node->why);
  else
    for (guint i = 0; i < via->chain->len; i++)
      g_string_append_printf(text, "%s%s", i ? " > " : "member of ",
                             (char *)g_ptr_array_index(via->chain, i));
  via->text = g_strdup(text->str);
  return via;
}

static gboolean
entry_has_kind(const GpWhoHasEntry *entry, GpViaKind kind)
{
  for (guint i = 0; i < entry->via->len; i++)
    if (((const GpWhoHasVia *)g_ptr_array_index(entry->via, i))->kind == kind)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------- removal suggestions */

/* Everything a suggestion needs about one (computer, right). */
typedef struct {
  const GpModel *model;
  const GpResult *result;
  const GpRightResult *right;
  const Membership *membership;
  GpWhoHasEntry *entry;
} Suggest;

/* A name as one plan token (model/gp-plan.h): a plain word as it is, anything
 * else "quoted" with \" and \\ escaped. */
static void
append_plan_name(GString *out, const char *name)
{
  if (*name && *name != '#' && !strpbrk(name, " \t\"\\,=")) {
    g_string_append(out, name);
    return;
  }
  g_string_append_c(out, '"');
  for (const char *p = name; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(out, '\\');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

/* A GPO as a plan names it: its display name when no other GPO has it, else its GUID. */
static void
append_plan_gpo(GString *out, const GpModel *model, const GpGpo *gpo)
{
  const GPtrArray *gpos = gp_model_gpos(model);
  guint same = 0;

  for (guint i = 0; gpo->display_name && i < gpos->len; i++) {
    const GpGpo *other = g_ptr_array_index(gpos, i);
    if (other->display_name && g_ascii_strcasecmp(other->display_name, gpo->display_name) == 0)
      same++;
  }
  if (same == 1)
    append_plan_name(out, gpo->display_name);
  else
    g_string_append(out, gpo->guid);
}

/* The holders that remain once every one including the principal is removed. */
static void
append_remaining(GString *out, const Suggest *s)
{
  guint written = 0;

  g_string_append_printf(out, " %s =", s->right->right);
  for (guint i = 0; i < s->right->holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(s->right->holders, i);
    if (membership_grant(s->model, s->membership, holder))
      continue;
    g_string_append(out, written++ ? ", " : " ");
    gp_baseline_append_principal(out, holder);
  }
}

static void
add_removal(GpWhoHasEntry *entry, GpRemovalKind kind, GString *plan, char *description)
{
  GpRemoval *removal = g_new0(GpRemoval, 1);

  removal->kind = kind;
  removal->plan = g_strdup(plan->str);
  removal->description = description;
  g_ptr_array_add(entry->removals, removal);
}

static void
suggest_edit(const Suggest *s)
{
  const GpGpo *gpo = s->right->winner->gpo;
  g_autoptr(GString) plan = g_string_new("set ");

  append_plan_gpo(plan, s->model, gpo);
  append_remaining(plan, s);
  add_removal(s->entry, GP_REMOVAL_EDIT, plan,
              g_strdup_printf("'%s' stops listing it: %s loses %s on every computer where "
                              "that GPO decides it",
                              gpo_label(gpo),
                              node_label(g_ptr_array_index(s->membership->nodes, 0)),
                              s->right->right));
}

/* The applied definition that decides once the winner's link is gone: the next
 * applied one of another entry (another link of the same GPO counts). */
static const GpDefinition *
next_definition(const GpRightResult *right)
{
  for (guint i = 0; i < right->definitions->len; i++) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i);
    if (definition->outcome == GP_OUTCOME_OVERRIDDEN && definition->entry != right->winner)
      return definition;
  }
  return NULL;
}

/* Returns: (transfer full) (nullable): why unlinking the winner would not remove it. */
static char *
unlink_blocker(const Suggest *s, char **out_then)
{
  const GpDefinition *next = next_definition(s->right);

  if (next) {
    *out_then = g_strdup_printf("'%s' then decides it", gp_entry_label(next->entry));
    if (membership_granted_any(s->model, s->membership, next->assignment->holders))
      return g_strdup_printf("unlinking '%s' would not remove it: '%s' grants it too",
                             gp_entry_label(s->right->winner), gp_entry_label(next->entry));
    return NULL;
  }
  if (!s->right->local_holders)
    return g_strdup_printf("unlinking '%s' would not remove it: no other GPO and no local "
                           "value define %s, so the list stays (tattooed)",
                           gp_entry_label(s->right->winner), s->right->right);
  *out_then = s->right->local_source == GP_SOURCE_LOCAL
                  ? g_strdup("the local policy then decides it")
                  : g_strdup_printf("the documented %s default then decides it",
                                    gp_role_to_string(s->result->role));
  if (membership_granted_any(s->model, s->membership, s->right->local_holders))
    return g_strdup_printf("unlinking '%s' would not remove it: the local layer grants it too",
                           gp_entry_label(s->right->winner));
  return NULL;
}

static void
suggest_unlink(const Suggest *s)
{
  const GpGpoEntry *winner = s->right->winner;
  g_autofree char *then = NULL;
  g_autofree char *blocker = unlink_blocker(s, &then);
  g_autoptr(GString) plan = g_string_new("unlink ");

  if (blocker) {
    g_ptr_array_add(s->entry->notes, g_steal_pointer(&blocker));
    return;
  }
  append_plan_gpo(plan, s->model, winner->gpo);
  g_string_append(plan, " from ");
  append_plan_name(plan, winner->som->dn);
  add_removal(s->entry, GP_REMOVAL_UNLINK, plan,
              g_strdup_printf("every setting of '%s' leaves every computer under %s; %s",
                              gpo_label(winner->gpo), winner->som->dn, then));
}

static char *
new_gpo_name(const Suggest *s)
{
  const Node *principal = g_ptr_array_index(s->membership->nodes, 0);
  char *name = g_strdup_printf("%s without %s", s->right->right, short_name(node_label(principal)));

  return g_strdelimit(name, "\"", '\'');
}

static void
suggest_new_link(const Suggest *s, const GpSom *nearest)
{
  g_autofree char *name = new_gpo_name(s);
  g_autoptr(GString) plan = g_string_new("new gpo ");
  const char *over = s->right->winner ? gp_entry_label(s->right->winner) : "the local layer";

  append_plan_name(plan, name);
  g_string_append(plan, "\nset ");
  append_plan_name(plan, name);
  append_remaining(plan, s);
  g_string_append(plan, "\nlink ");
  append_plan_name(plan, name);
  g_string_append(plan, " to ");
  append_plan_name(plan, nearest->dn);
  g_string_append(plan, " order 1");
  add_removal(s->entry, GP_REMOVAL_NEW_LINK, plan,
              g_strdup_printf("a new GPO linked first at %s wins over %s and sets %s for every "
                              "computer under %s",
                              nearest->dn, over, s->right->right, nearest->dn));
}

static void
note_group_alternative(const Suggest *s)
{
  for (guint i = 0; i < s->entry->via->len; i++) {
    const GpWhoHasVia *via = g_ptr_array_index(s->entry->via, i);
    if (via->kind == GP_VIA_GROUP && via->chain->len > 0) {
      const Node *principal = g_ptr_array_index(s->membership->nodes, 0);
      g_ptr_array_add(s->entry->notes, g_strdup_printf("outside Group Policy: take %s out of %s",
                                                       node_label(principal),
                                                       (char *)g_ptr_array_index(via->chain, 0)));
      return;
    }
  }
}

/* "it still holds it through SERVICE, as every account running as a service does" */
static void
note_well_known(const Suggest *s, gboolean only)
{
  g_autoptr(GString) names = g_string_new(NULL);

  for (guint i = 0; i < s->entry->via->len; i++) {
    const GpWhoHasVia *via = g_ptr_array_index(s->entry->via, i);
    if (via->kind == GP_VIA_WELL_KNOWN)
      g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                             via->holder->name ? via->holder->name : via->holder->sid);
  }
  if (only)
    g_ptr_array_add(s->entry->notes,
                    g_strdup_printf("held only through %s, which every such account gets: no "
                                    "single change removes it for this principal alone",
                                    names->str));
  else
    g_ptr_array_add(s->entry->notes,
                    g_strdup_printf("after any of these changes it still holds it through %s, "
                                    "like every such account",
                                    names->str));
}

static void
add_removals(const Suggest *s)
{
  const GpRightResult *right = s->right;
  const GpSom *nearest = s->result->soms->len ? g_ptr_array_index(s->result->soms, 0) : NULL;
  gboolean granted
      = entry_has_kind(s->entry, GP_VIA_DIRECT) || entry_has_kind(s->entry, GP_VIA_GROUP);
  gboolean by_gpo = right->source == GP_SOURCE_GPO && right->winner && right->winner->gpo;

  if (entry_has_kind(s->entry, GP_VIA_WELL_KNOWN))
    note_well_known(s, !granted);
  if (!granted)
    return;
  if (by_gpo) {
    suggest_edit(s);
    suggest_unlink(s);
  }
  if (nearest && (!by_gpo || (right->winner->som != nearest && !right->winner->enforced)))
    suggest_new_link(s, nearest);
  if (!by_gpo)
    g_ptr_array_add(s->entry->notes,
                    g_strdup_printf("no GPO defines %s here: the %s decides it (secpol.msc "
                                    "on the computer can change it too)",
                                    right->right,
                                    right->source == GP_SOURCE_LOCAL
                                        ? "local policy"
                                        : "documented default of its role"));
  note_group_alternative(s);
}

/* Direct first, then groups, then well-known groups; stable otherwise. */
static gint
via_compare(gconstpointer a, gconstpointer b)
{
  const GpWhoHasVia *x = *(const GpWhoHasVia *const *)a;
  const GpWhoHasVia *y = *(const GpWhoHasVia *const *)b;

  return (gint)x->kind - (gint)y->kind;
}

static GpWhoHasEntry *
who_has_right(const GpModel *model, const GpResult *result, const GpRightResult *right,
              const Membership *m)
{
  GpWhoHasEntry *entry = NULL;
  Suggest suggest = { model, result, right, m, NULL };

  for (guint i = 0; i < right->holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(right->holders, i);
    const Node *node = membership_match(model, m, holder);
    if (!node)
      continue;
    if (!entry) {
      entry = g_new0(GpWhoHasEntry, 1);
      entry->computer = result->computer;
      entry->right = right;
      entry->via = g_ptr_array_new_with_free_func((GDestroyNotify)via_free);
      entry->removals = g_ptr_array_new_with_free_func((GDestroyNotify)removal_free);
      entry->notes = g_ptr_array_new_with_free_func(g_free);
      entry->granted_by = right->source == GP_SOURCE_GPO ? right->winner : NULL;
    }
    g_ptr_array_add(entry->via, via_new(m, node, holder));
  }
  if (entry) {
    g_ptr_array_sort(entry->via, via_compare);
    suggest.entry = entry;
    add_removals(&suggest);
  }
  return entry;
}

static gboolean
right_wanted(const GpRightResult *right, const char *const *rights)
{
  for (guint i = 0; rights && rights[i]; i++) {
    if (g_ascii_strcasecmp(rights[i], right->right) == 0)
      return TRUE;
    if (right->info && g_ascii_strcasecmp(rights[i], right->info->display_name) == 0)
      return TRUE;
  }
  return rights == NULL;
}

GPtrArray *
gp_audit_who_has(const GpModel *model, const GPtrArray *results, const char *principal_sid,
                 const char *const *rights)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_who_has_entry_free);
  g_auto(Membership) membership = { 0 };

  membership_init(&membership, model, principal_sid);
  for (guint r = 0; r < results->len; r++) {
    const GpResult *result = g_ptr_array_index(results, r);
    for (guint i = 0; i < result->rights->len; i++) {
      const GpRightResult *right = g_ptr_array_index(result->rights, i);
      GpWhoHasEntry *entry;
      if (!right_wanted(right, rights))
        continue;
      if ((entry = who_has_right(model, result, right, &membership)))
        g_ptr_array_add(out, entry);
    }
  }
  return out;
}
