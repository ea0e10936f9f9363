/* gp-plan-apply.c - a plan applied to a model, all or nothing; see gp-plan.h.
 *
 * Two passes.  The first resolves every name of every line and checks each
 * change against the model as the lines before it would leave it (a small
 * simulation of the links of each SOM and of the rights each GPO defines);
 * nothing in the model changes.  Only when every line passed does the second
 * pass apply the changes, which then cannot fail.
 */
#include "gp-plan.h"

#include <string.h>

#include "gp-names.h"

#define MAX_CANDIDATES 10
/* The Security CSE with its tool extension, as GPMC registers it. */
#define SECURITY_CSE_PAIR "[" GP_SECURITY_CSE_GUID "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"

/* A GPO a "new" line creates; created for real in the second pass. */
typedef struct {
  char *name;
  char *guid;
  char *dn;               /* (nullable) decided by the first link, else the first domain */
  const GpDomain *domain; /* (nullable) likewise */
  GpGpo *gpo;             /* set once created */
} NewGpo;

/* One line, resolved. */
typedef struct {
  const GpChange *change;
  GpGpo *gpo;           /* (nullable) an existing GPO */
  NewGpo *new_gpo;      /* (nullable) a GPO of a "new" line */
  GpSom *som;           /* (nullable) */
  GpComputer *computer; /* (nullable) */
  char *new_dn;         /* move: the computer's DN after the move */
  GpGroup *group;       /* (nullable) add */
  const char *right;    /* set clear: the catalogue constant */
  GPtrArray *holders;   /* set: GpPrincipal* */
  GPtrArray *notes;     /* char*: what resolving assumed */
} Step;

typedef struct {
  GpModel *model;
  GPtrArray *steps;      /* Step* */
  GPtrArray *new_gpos;   /* NewGpo* */
  GHashTable *links;     /* SOM DN key -> GPtrArray of GPO DN keys, link order 1 first */
  GHashTable *defined;   /* "GPO key\nright" -> GINT_TO_POINTER(1 defined, 2 not) */
  GHashTable *taken_dns; /* computer DN keys given by earlier moves */
} Planner;

static void
new_gpo_free(NewGpo *new_gpo)
{
  g_free(new_gpo->name);
  g_free(new_gpo->guid);
  g_free(new_gpo->dn);
  g_free(new_gpo);
}

static void
step_free(Step *step)
{
  g_free(step->new_dn);
  if (step->holders)
    g_ptr_array_unref(step->holders);
  g_ptr_array_unref(step->notes);
  g_free(step);
}

static void
planner_clear(Planner *planner)
{
  g_ptr_array_unref(planner->steps);
  g_ptr_array_unref(planner->new_gpos);
  g_hash_table_unref(planner->links);
  g_hash_table_unref(planner->defined);
  g_hash_table_unref(planner->taken_dns);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Planner, planner_clear)

static void
planner_init(Planner *planner, GpModel *model)
{
  planner->model = model;
  planner->steps = g_ptr_array_new_with_free_func((GDestroyNotify)step_free);
  planner->new_gpos = g_ptr_array_new_with_free_func((GDestroyNotify)new_gpo_free);
  planner->links
      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  planner->defined = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  planner->taken_dns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean G_GNUC_PRINTF(4, 5)
    fail(GError **error, GpPlanError code, const GpChange *change, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(error, GP_PLAN_ERROR, code, "%s:%u: %s", change->file, change->line, message);
  return FALSE;
}

static char *
fold(const char *text)
{
  if (g_utf8_validate(text, -1, NULL))
    return g_utf8_casefold(text, -1);
  return g_ascii_strdown(text, -1);
}

static gboolean
same_name(const char *a, const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (!a || !b)
    return FALSE;
  fa = fold(a);
  fb = fold(b);
  return strcmp(fa, fb) == 0;
}

static gboolean
same_dn(const char *a, const char *b)
{
  g_autofree char *ka = NULL;
  g_autofree char *kb = NULL;

  if (!a || !b)
    return FALSE;
  ka = gp_dn_normalize(a);
  kb = gp_dn_normalize(b);
  return strcmp(ka, kb) == 0;
}

/* "a, b, c and 3 more" from char* labels. */
static char *
candidates_text(GPtrArray *labels)
{
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = 0; i < labels->len && i < MAX_CANDIDATES; i++)
    g_string_append_printf(out, "%s%s", i ? "; " : "", (char *)g_ptr_array_index(labels, i));
  if (labels->len > MAX_CANDIDATES)
    g_string_append_printf(out, " and %u more", labels->len - MAX_CANDIDATES);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ------------------------------------------------------------------ GPOs */

char *
gp_plan_new_gpo_guid(const char *name)
{
  g_autofree char *key = fold(name);
  g_autofree char *seed = g_strconcat("gpsim new gpo\n", key, NULL);
  g_autofree char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA1, seed, -1);
  g_autofree char *upper = NULL;

  hex[12] = '5';                                       /* a name-based (v5-like) GUID */
  hex[16] = "89ab"[g_ascii_xdigit_value(hex[16]) & 3]; /* RFC 4122 variant */
  upper = g_ascii_strup(hex, -1);
  return g_strdup_printf("{%.8s-%.4s-%.4s-%.4s-%.12s}", upper, upper + 8, upper + 12, upper + 16,
                         upper + 20);
}

static char *
gpo_label(const GpGpo *gpo)
{
  return g_strdup_printf("'%s' %s (%s)", gpo->display_name ? gpo->display_name : "(no name)",
                         gpo->guid, gpo->dn ? gpo->dn : "SYSVOL only");
}

static NewGpo *
find_new_gpo(const Planner *planner, const char *name)
{
  g_autofree char *guid = gp_guid_normalize(name);

  for (guint i = 0; i < planner->new_gpos->len; i++) {
    NewGpo *new_gpo = g_ptr_array_index(planner->new_gpos, i);
    if (same_name(new_gpo->name, name) || g_strcmp0(new_gpo->guid, guid) == 0)
      return new_gpo;
  }
  return NULL;
}

/* Every GPO of the model @name names: by GUID, DN or display name (any case). */
static GPtrArray *
find_gpos(const GpModel *model, const char *name)
{
  g_autofree char *guid = gp_guid_normalize(name);
  const GPtrArray *gpos = gp_model_gpos(model);
  GPtrArray *found;

  if (guid)
    return gp_model_find_gpos_guid(model, guid);
  found = g_ptr_array_new();
  for (guint i = 0; i < gpos->len; i++) {
    GpGpo *gpo = g_ptr_array_index(gpos, i);
    if (same_name(gpo->display_name, name) || (strchr(name, '=') && same_dn(gpo->dn, name)))
      g_ptr_array_add(found, gpo);
  }
  return found;
}

static gboolean
resolve_gpo(Planner *planner, Step *step, const char *name, GError **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *list = NULL;

  if ((step->new_gpo = find_new_gpo(planner, name)))
    return TRUE;
  found = find_gpos(planner->model, name);
  if (found->len == 1) {
    step->gpo = g_ptr_array_index(found, 0);
    return TRUE;
  }
  if (found->len == 0)
    return fail(error, GP_PLAN_ERROR_NOT_FOUND, step->change,
                "no GPO named '%s' in the data; expected a GUID, a DN or a display name", name);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add(labels, gpo_label(g_ptr_array_index(found, i)));
  list = candidates_text(labels);
  return fail(error, GP_PLAN_ERROR_AMBIGUOUS, step->change,
              "'%s' names %u GPOs; give the GUID or DN of one: %s", name, found->len, list);
}

/* The key under which the simulation files a GPO's links: its DN. */
static char *
step_gpo_dn_key(const Step *step)
{
  const char *dn = step->gpo ? step->gpo->dn : step->new_gpo->dn;

  return dn ? gp_dn_normalize(dn) : NULL;
}

static const char *
step_gpo_name(const Step *step)
{
  if (step->new_gpo)
    return step->new_gpo->name;
  return step->gpo->display_name ? step->gpo->display_name : step->gpo->guid;
}

/* ------------------------------------------------------------------ SOMs */

static void
add_som_if_new(GPtrArray *found, const GpSom *som)
{
  if (som && !g_ptr_array_find(found, som, NULL))
    g_ptr_array_add(found, (gpointer)som);
}

/* Every SOM @name names: DN, canonical path, or name (OU, site, DNS name). */
static GPtrArray *
find_soms(const GpModel *model, const char *name)
{
  GPtrArray *found = g_ptr_array_new();
  const GPtrArray *soms = gp_model_soms(model);
  g_autofree char *from_path = NULL;

  if (strchr(name, '=')) {
    add_som_if_new(found, gp_model_find_som(model, name));
    return found;
  }
  if (strchr(name, '/') || strchr(name, '.'))
    from_path = gp_dn_from_canonical(name);
  if (from_path)
    add_som_if_new(found, gp_model_find_som(model, from_path));
  if (found->len)
    return found;
  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    g_autofree char *rdn = gp_dn_first_value(som->dn);
    if (same_name(som->name, name) || same_name(rdn, name))
      add_som_if_new(found, som);
  }
  return found;
}

static gboolean
resolve_som(Planner *planner, Step *step, const char *name, GError **error)
{
  g_autoptr(GPtrArray) found = find_soms(planner->model, name);
  g_autoptr(GPtrArray) labels = g_ptr_array_new();
  g_autofree char *list = NULL;
  const GpSom *som;

  if (found->len == 0)
    return fail(error, GP_PLAN_ERROR_NOT_FOUND, step->change,
                "no site, domain or OU named '%s' in the data; expected a DN, a path like "
                "contoso.com/Servers or a unique name",
                name);
  if (found->len > 1) {
    for (guint i = 0; i < found->len; i++)
      g_ptr_array_add(labels, ((GpSom *)g_ptr_array_index(found, i))->dn);
    list = candidates_text(labels);
    return fail(error, GP_PLAN_ERROR_AMBIGUOUS, step->change,
                "'%s' names %u SOMs; give the DN of one: %s", name, found->len, list);
  }
  som = g_ptr_array_index(found, 0);
  /* the model hands out its SOMs read-only; ensure returns the same record */
  step->som = gp_model_ensure_som(planner->model, som->dn, som->kind);
  return TRUE;
}

/* The SOM's links as the lines so far leave them: GPO DN keys, link order 1 first. */
static GPtrArray *
sim_links(Planner *planner, const GpSom *som)
{
  g_autofree char *key = gp_dn_normalize(som->dn);
  GPtrArray *links = g_hash_table_lookup(planner->links, key);

  if (links)
    return links;
  links = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < som->links->len; i++)
    g_ptr_array_add(links, gp_dn_normalize(((GpLink *)g_ptr_array_index(som->links, i))->gpo_dn));
  g_hash_table_insert(planner->links, g_steal_pointer(&key), links);
  return links;
}

static gboolean
sim_linked(Planner *planner, const Step *step, guint *out_index)
{
  g_autofree char *gpo_key = step_gpo_dn_key(step);
  GPtrArray *links = sim_links(planner, step->som);

  return gpo_key && g_ptr_array_find_with_equal_func(links, gpo_key, g_str_equal, out_index);
}

/* --------------------------------------------------------- the resolvers */

/* A new GPO lives in the domain of the SOM it is first linked to, else the first domain. */
static void
place_new_gpo(Planner *planner, NewGpo *new_gpo, const GpSom *som)
{
  g_autofree char *domain_dn = som ? gp_dn_domain_part(som->dn) : NULL;
  const GpDomain *domain = domain_dn ? gp_model_find_domain(planner->model, domain_dn) : NULL;

  if (new_gpo->dn)
    return;
  if (!domain)
    domain = g_ptr_array_index(gp_model_domains(planner->model), 0);
  new_gpo->domain = domain;
  new_gpo->dn = g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", new_gpo->guid, domain->dn);
}

static gboolean
check_link(Planner *planner, Step *step, GError **error)
{
  const GpChange *change = step->change;
  GPtrArray *links;

  if (step->gpo && !step->gpo->dn)
    return fail(error, GP_PLAN_ERROR_INVALID, change,
                "GPO %s is known only from SYSVOL: it has no directory object to link",
                step->gpo->guid);
  if (step->new_gpo)
    place_new_gpo(planner, step->new_gpo, step->som);
  if (sim_linked(planner, step, NULL))
    return fail(error, GP_PLAN_ERROR_INVALID, change, "GPO '%s' is already linked at %s",
                step_gpo_name(step), step->som->dn);
  links = sim_links(planner, step->som);
  if (change->order > links->len + 1)
    return fail(error, GP_PLAN_ERROR_INVALID, change,
                "order %u: %s would have %u links; expected an order from 1 to %u", change->order,
                step->som->dn, links->len + 1, links->len + 1);
  g_ptr_array_insert(links, change->order ? (gint)change->order - 1 : -1, step_gpo_dn_key(step));
  return TRUE;
}

static gboolean
resolve_link(Planner *planner, Step *step, GError **error)
{
  const GpChange *change = step->change;
  guint index;

  if (!resolve_gpo(planner, step, change->gpo, error)
      || !resolve_som(planner, step, change->som, error))
    return FALSE;
  if (change->kind == GP_CHANGE_LINK)
    return check_link(planner, step, error);
  if (!sim_linked(planner, step, &index))
    return fail(error, GP_PLAN_ERROR_INVALID, change, "GPO '%s' is not linked at %s",
                step_gpo_name(step), step->som->dn);
  if (change->kind == GP_CHANGE_UNLINK)
    g_ptr_array_remove_index(sim_links(planner, step->som), index);
  return TRUE;
}

static gboolean
resolve_block(Planner *planner, Step *step, GError **error)
{
  if (!resolve_som(planner, step, step->change->som, error))
    return FALSE;
  if (step->som->kind == GP_SOM_SITE)
    return fail(error, GP_PLAN_ERROR_INVALID, step->change,
                "%s is a site: only domains and OUs block inheritance", step->som->dn);
  return TRUE;
}

static gboolean
resolve_status(Planner *planner, Step *step, GError **error)
{
  return resolve_gpo(planner, step, step->change->gpo, error);
}

static GpPrincipal *
resolve_principal(const GpModel *model, const char *text, GPtrArray *notes, GError **error,
                  const GpChange *change)
{
  const char *bare = text[0] == '*' ? text + 1 : text;
  const char *sid;

  if (gp_sid_is_valid(bare)) {
    g_autofree char *upper = g_ascii_strup(bare, -1);
    return gp_principal_new(upper, NULL);
  }
  if (text[0] == '*') {
    fail(error, GP_PLAN_ERROR_INVALID, change, "'%s' is not a SID; expected *S-1-...", text);
    return NULL;
  }
  if ((sid = gp_model_principal_sid(model, text)))
    return gp_principal_new(sid, NULL);
  g_ptr_array_add(notes, g_strdup_printf("%s:%u: '%s' is not in the data's directory: kept as a "
                                         "name, as secedit writes a local account",
                                         change->file, change->line, text));
  return gp_principal_new(NULL, text);
}

/* The GPO key and right under which the simulation remembers a definition. */
static char *
defined_key(const Step *step)
{
  return step->gpo ? g_strdup_printf("%p\n%s", (void *)step->gpo, step->right)
                   : g_strdup_printf("new %s\n%s", step->new_gpo->guid, step->right);
}

static gboolean
sim_defines(Planner *planner, const Step *step)
{
  g_autofree char *key = defined_key(step);
  gpointer known = g_hash_table_lookup(planner->defined, key);
  const GpSecurityTemplate *tmpl = step->gpo ? step->gpo->machine_template : NULL;

  if (known)
    return GPOINTER_TO_INT(known) == 1;
  return tmpl && gp_security_template_lookup(tmpl, step->right);
}

static gboolean
resolve_right(Planner *planner, Step *step, GError **error)
{
  const GpChange *change = step->change;
  const GpRightInfo *info = gp_model_lookup_right(planner->model, change->right);
  gboolean set = change->kind == GP_CHANGE_SET;

  if (!resolve_gpo(planner, step, change->gpo, error))
    return FALSE;
  if (!info)
    return fail(error, GP_PLAN_ERROR_NOT_FOUND, change,
                "unknown user right '%s'; expected a constant like SeImpersonatePrivilege or a "
                "display name",
                change->right);
  step->right = info->constant;
  if (!set && !sim_defines(planner, step))
    return fail(error, GP_PLAN_ERROR_INVALID, change, "GPO '%s' does not define %s",
                step_gpo_name(step), step->right);
  g_hash_table_replace(planner->defined, defined_key(step), GINT_TO_POINTER(set ? 1 : 2));
  if (!set)
    return TRUE;
  step->holders = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  for (guint i = 0; i < change->principals->len; i++) {
    GpPrincipal *principal = resolve_principal(
        planner->model, g_ptr_array_index(change->principals, i), step->notes, error, change);
    if (!principal)
      return FALSE;
    g_ptr_array_add(step->holders, principal);
  }
  return TRUE;
}

static gboolean
resolve_computer(Planner *planner, Step *step, GError **error)
{
  const char *name = step->change->computer;
  g_autoptr(GPtrArray) found = gp_model_find_computers(planner->model, name);
  g_autoptr(GPtrArray) labels = g_ptr_array_new();
  g_autofree char *list = NULL;

  if (found->len == 1) {
    step->computer = g_ptr_array_index(found, 0);
    return TRUE;
  }
  if (found->len == 0)
    return fail(error, GP_PLAN_ERROR_NOT_FOUND, step->change,
                "no computer named '%s' in the data; expected a cn, sAMAccountName, dNSHostName "
                "or DN",
                name);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add(labels, ((GpComputer *)g_ptr_array_index(found, i))->dn);
  list = candidates_text(labels);
  return fail(error, GP_PLAN_ERROR_AMBIGUOUS, step->change,
              "'%s' names %u computers; give the DN of one: %s", name, found->len, list);
}

/* "CN=WEB01" of "CN=WEB01,OU=Web,...", escapes kept. */
static char *
first_rdn(const char *dn)
{
  const char *p = dn;

  while (*p && *p != ',')
    p += (*p == '\\' && p[1]) ? 2 : 1;
  return g_strndup(dn, (gsize)(p - dn));
}

/* The OU (or container) a computer moves to: a SOM, or any DN in a known domain. */
static gboolean
resolve_target(Planner *planner, Step *step, const char **out_dn, GError **error)
{
  const char *name = step->change->som;
  g_autofree char *domain = strchr(name, '=') ? gp_dn_domain_part(name) : NULL;
  g_autoptr(GPtrArray) found = find_soms(planner->model, name);

  if (found->len == 0 && domain && gp_model_find_domain(planner->model, domain)) {
    *out_dn = name; /* a container such as CN=Computers */
    return TRUE;
  }
  if (!resolve_som(planner, step, name, error))
    return FALSE;
  if (step->som->kind == GP_SOM_SITE)
    return fail(error, GP_PLAN_ERROR_INVALID, step->change,
                "%s is a site; expected an OU or a container", step->som->dn);
  *out_dn = step->som->dn;
  return TRUE;
}

static gboolean
resolve_move(Planner *planner, Step *step, GError **error)
{
  const char *target = NULL;
  g_autofree char *rdn = NULL;
  g_autofree char *key = NULL;
  GpComputer *there;
  g_autoptr(GPtrArray) found = NULL;

  if (!resolve_computer(planner, step, error) || !resolve_target(planner, step, &target, error))
    return FALSE;
  rdn = first_rdn(step->computer->dn);
  step->new_dn = g_strdup_printf("%s,%s", rdn, target);
  key = gp_dn_normalize(step->new_dn);
  found = gp_model_find_computers(planner->model, step->new_dn);
  there = found->len ? g_ptr_array_index(found, 0) : NULL;
  if ((there && there != step->computer) || g_hash_table_contains(planner->taken_dns, key))
    return fail(error, GP_PLAN_ERROR_INVALID, step->change,
                "%s would take the DN of another "
                "computer",
                step->new_dn);
  g_hash_table_add(planner->taken_dns, g_steal_pointer(&key));
  return TRUE;
}

/* Every group @name names: DN, SID (with or without '*') or name. */
static GPtrArray *
find_groups(const GpModel *model, const char *name)
{
  const char *bare = name[0] == '*' ? name + 1 : name;
  const char *sid = gp_sid_is_valid(bare) ? bare : gp_model_principal_sid(model, name);
  const GPtrArray *groups = gp_model_groups(model);
  const char *backslash = strrchr(name, '\\');
  GPtrArray *found = g_ptr_array_new();

  for (guint i = 0; i < groups->len; i++) {
    GpGroup *group = g_ptr_array_index(groups, i);
    gboolean match = (strchr(name, '=') && same_dn(group->dn, name))
                     || (sid && group->sid && g_ascii_strcasecmp(group->sid, sid) == 0)
                     || same_name(group->name, name)
                     || (backslash && same_name(group->name, backslash + 1));
    if (match)
      g_ptr_array_add(found, group);
  }
  return found;
}

static gboolean
resolve_add(Planner *planner, Step *step, GError **error)
{
  const char *name = step->change->group;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new();
  g_autofree char *list = NULL;

  if (!resolve_computer(planner, step, error))
    return FALSE;
  found = find_groups(planner->model, name);
  if (found->len == 1) {
    step->group = g_ptr_array_index(found, 0);
    return TRUE;
  }
  if (found->len == 0)
    return fail(error, GP_PLAN_ERROR_NOT_FOUND, step->change,
                "no group named '%s' in the data; expected a DN, a SID or a name", name);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add(labels, ((GpGroup *)g_ptr_array_index(found, i))->dn);
  list = candidates_text(labels);
  return fail(error, GP_PLAN_ERROR_AMBIGUOUS, step->change,
              "'%s' names %u groups; give the DN or SID of one: %s", name, found->len, list);
}

static gboolean
name_taken(const Planner *planner, const char *name, const char *guid)
{
  const GPtrArray *gpos = gp_model_gpos(planner->model);

  if (find_new_gpo(planner, name) || find_new_gpo(planner, guid))
    return TRUE;
  for (guint i = 0; i < gpos->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(gpos, i);
    if (same_name(gpo->display_name, name) || strcmp(gpo->guid, guid) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
resolve_new(Planner *planner, Step *step, GError **error)
{
  const char *name = step->change->gpo;
  g_autofree char *guid = gp_plan_new_gpo_guid(name);
  NewGpo *new_gpo;

  if (gp_model_domains(planner->model)->len == 0)
    return fail(error, GP_PLAN_ERROR_INVALID, step->change,
                "no domain in the data to create GPO '%s' in", name);
  if (name_taken(planner, name, guid))
    return fail(error, GP_PLAN_ERROR_INVALID, step->change,
                "a GPO named '%s' already exists; expected a new name", name);
  new_gpo = g_new0(NewGpo, 1);
  new_gpo->name = g_strdup(name);
  new_gpo->guid = g_steal_pointer(&guid);
  g_ptr_array_add(planner->new_gpos, new_gpo);
  step->new_gpo = new_gpo;
  return TRUE;
}

static gboolean
resolve_step(Planner *planner, Step *step, GError **error)
{
  switch (step->change->kind) {
  case GP_CHANGE_LINK:
  case GP_CHANGE_UNLINK:
  case GP_CHANGE_ENFORCE:
  case GP_CHANGE_UNENFORCE:
    return resolve_link(planner, step, error);
  case GP_CHANGE_BLOCK:
  case GP_CHANGE_UNBLOCK:
    return resolve_block(planner, step, error);
  case GP_CHANGE_STATUS:
    return resolve_status(planner, step, error);
  case GP_CHANGE_SET:
  case GP_CHANGE_CLEAR:
    return resolve_right(planner, step, error);
  case GP_CHANGE_MOVE:
    return resolve_move(planner, step, error);
  case GP_CHANGE_ADD_GROUP:
    return resolve_add(planner, step, error);
  case GP_CHANGE_NEW_GPO:
    return resolve_new(planner, step, error);
  }
  return fail(error, GP_PLAN_ERROR_SYNTAX, step->change, "unknown change");
}

/* First pass: every line resolved and checked; the model is not touched. */
static gboolean
resolve_plan(Planner *planner, const GpPlan *plan, GError **error)
{
  for (guint i = 0; i < plan->changes->len; i++) {
    Step *step = g_new0(Step, 1);
    step->change = g_ptr_array_index(plan->changes, i);
    step->notes = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(planner->steps, step);
    if (!resolve_step(planner, step, error))
      return FALSE;
  }
  for (guint i = 0; i < planner->new_gpos->len; i++)
    place_new_gpo(planner, g_ptr_array_index(planner->new_gpos, i), NULL);
  return TRUE;
}

/* ------------------------------------------------------- the second pass */

static GpGpo *
step_gpo(const Step *step)
{
  return step->gpo ? step->gpo : step->new_gpo->gpo;
}

static void G_GNUC_PRINTF(3, 4) note(GPtrArray *notes, const Step *step, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  g_ptr_array_add(notes,
                  g_strdup_printf("%s:%u: %s", step->change->file, step->change->line, message));
}

static void
apply_new(GpModel *model, const Step *step, GPtrArray *notes)
{
  NewGpo *new_gpo = step->new_gpo;
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, new_gpo->dn);
  const char *dns = new_gpo->domain->dns_name ? new_gpo->domain->dns_name : "";

  gpo->display_name = g_strdup(new_gpo->name);
  gpo->in_directory = TRUE;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->version_number = (1u << 16) | 1u;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = gpo->version_number;
  gpo->machine_extension_names = g_strdup(SECURITY_CSE_PAIR);
  gpo->file_sys_path = g_strdup_printf("\\\\%s\\SysVol\\%s\\Policies\\%s", dns, dns, gpo->guid);
  gpo->sysvol = GP_SYSVOL_READ;
  gpo->machine_template = gp_security_template_new(NULL);
  gpo->file = g_strdup(step->change->file);
  gpo->line = step->change->line;
  new_gpo->gpo = gpo;
  note(notes, step, "created GPO '%s' %s in %s (empty, enabled)", new_gpo->name, gpo->guid,
       new_gpo->domain->dn);
}

/* Link orders follow the array again, and gPLink is written back (last entry = L1). */
static void
som_relink(GpSom *som)
{
  g_autoptr(GString) raw = g_string_new(NULL);

  for (guint i = 0; i < som->links->len; i++)
    ((GpLink *)g_ptr_array_index(som->links, i))->link_order = i + 1;
  for (guint i = som->links->len; i > 0; i--) {
    const GpLink *link = g_ptr_array_index(som->links, i - 1);
    g_string_append_printf(raw, "[LDAP://%s;%u]", link->gpo_dn, link->options);
  }
  g_free(som->gplink_raw);
  som->gplink_raw = raw->len ? g_strdup(raw->str) : NULL;
}

static void
apply_link(const Step *step, GPtrArray *notes)
{
  const GpChange *change = step->change;
  GpSom *som = step->som;
  guint options
      = (change->enforced ? GP_LINK_ENFORCED : 0) | (change->disabled ? GP_LINK_DISABLED : 0);
  GpLink *link = gp_som_add_link(som, step_gpo(step)->dn, options);

  if (change->order && change->order < som->links->len) {
    g_ptr_array_steal_index(som->links, som->links->len - 1);
    g_ptr_array_insert(som->links, (gint)change->order - 1, link);
  }
  som_relink(som);
  note(notes, step, "linked '%s' at %s as link order %u%s%s", step_gpo_name(step), som->dn,
       link->link_order, change->enforced ? ", enforced" : "",
       change->disabled ? ", link disabled" : "");
}

static gboolean
link_is_gpo(const GpLink *link, const GpGpo *gpo)
{
  return same_dn(link->gpo_dn, gpo->dn);
}

static void
apply_unlink(const Step *step, GPtrArray *notes)
{
  GpSom *som = step->som;

  for (guint i = som->links->len; i > 0; i--) {
    const GpLink *link = g_ptr_array_index(som->links, i - 1);
    if (!link_is_gpo(link, step_gpo(step)))
      continue;
    note(notes, step, "unlinked '%s' from %s (was link order %u)", step_gpo_name(step), som->dn,
         link->link_order);
    g_ptr_array_remove_index(som->links, i - 1);
  }
  som_relink(som);
}

static void
apply_enforce(const Step *step, GPtrArray *notes)
{
  gboolean enforce = step->change->kind == GP_CHANGE_ENFORCE;

  for (guint i = 0; i < step->som->links->len; i++) {
    GpLink *link = g_ptr_array_index(step->som->links, i);
    gboolean was = (link->options & GP_LINK_ENFORCED) != 0;
    if (!link_is_gpo(link, step_gpo(step)))
      continue;
    link->options = enforce ? link->options | GP_LINK_ENFORCED : link->options & ~GP_LINK_ENFORCED;
    note(notes, step, "%s the link of '%s' at %s (link order %u)%s",
         enforce ? "enforced" : "stopped enforcing", step_gpo_name(step), step->som->dn,
         link->link_order, was == enforce ? ": no change, it already was" : "");
  }
  som_relink(step->som);
}

static void
apply_block(const Step *step, GPtrArray *notes)
{
  gboolean block = step->change->kind == GP_CHANGE_BLOCK;
  gboolean was = (step->som->gp_options & GP_SOM_BLOCK_INHERITANCE) != 0;

  if (block)
    step->som->gp_options |= GP_SOM_BLOCK_INHERITANCE;
  else
    step->som->gp_options &= ~GP_SOM_BLOCK_INHERITANCE;
  step->som->block_unknown = FALSE;
  note(notes, step, "%s blocks inheritance %s%s", step->som->dn, block ? "now" : "no longer",
       was == block ? " (no change)" : "");
}

static const char *
status_name(guint flags)
{
  static const char *const names[]
      = { "enabled", "user-disabled", "computer-disabled", "disabled" };

  return names[flags & 3u];
}

static void
apply_status(const Step *step, GPtrArray *notes)
{
  GpGpo *gpo = step_gpo(step);
  guint before = gpo->flags & 3u;

  gpo->flags = (gpo->flags & ~3u) | step->change->status_flags;
  note(notes, step, "status of '%s': %s (%s%s)", step_gpo_name(step),
       status_name(step->change->status_flags),
       before == step->change->status_flags ? "no change, it already was " : "was ",
       status_name(before));
}

/* An edit in GPMC registers the Security CSE and raises the computer version. */
static void
mark_edited(GpGpo *gpo)
{
  if (!gp_gpo_has_security_cse(gpo)) {
    g_autofree char *old = gpo->machine_extension_names;
    gpo->machine_extension_names = g_strconcat(old ? old : "", SECURITY_CSE_PAIR, NULL);
  }
  gpo->version_number = (gpo->version_number & 0xFFFF0000u) | ((gpo->version_number + 1) & 0xFFFFu);
  if (gpo->has_gpt_ini)
    gpo->gpt_version = (gpo->gpt_version & 0xFFFF0000u) | ((gpo->gpt_version + 1) & 0xFFFFu);
}

static void
apply_set(const Step *step, GPtrArray *notes)
{
  GpGpo *gpo = step_gpo(step);
  GpRightAssignment *assignment
      = gp_right_assignment_new(step->right, step->change->file, step->change->line);
  const GpRightAssignment *old = NULL;
  g_autofree char *was = NULL;

  if (!gpo->machine_template)
    gpo->machine_template = gp_security_template_new(NULL);
  old = gp_security_template_lookup(gpo->machine_template, step->right);
  was = old ? g_strdup_printf("was %u", old->holders->len) : g_strdup("was not defined");
  for (guint i = 0; i < step->holders->len; i++)
    g_ptr_array_add(assignment->holders, gp_principal_copy(g_ptr_array_index(step->holders, i)));
  note(notes, step, "set %s in '%s': %u holder%s (%s)", step->right, step_gpo_name(step),
       step->holders->len, step->holders->len == 1 ? "" : "s", was);
  gp_security_template_add(gpo->machine_template, assignment);
  mark_edited(gpo);
}

static gboolean
is_value(gpointer key, gpointer value, gpointer wanted)
{
  (void)key;
  return value == wanted;
}

static void
apply_clear(const Step *step, GPtrArray *notes)
{
  GpGpo *gpo = step_gpo(step);
  GpRightAssignment *old
      = (GpRightAssignment *)gp_security_template_lookup(gpo->machine_template, step->right);

  note(notes, step, "cleared %s in '%s' (it held %u): the GPO no longer defines it", step->right,
       step_gpo_name(step), old->holders->len);
  g_hash_table_foreach_remove(gpo->machine_template->by_right, is_value, old);
  g_ptr_array_remove(gpo->machine_template->rights, old);
  mark_edited(gpo);
}

static void
apply_move(GpModel *model, const Step *step, GPtrArray *notes)
{
  g_autofree char *old_dn = g_strdup(step->computer->dn);

  gp_model_move_computer(model, step->computer, step->new_dn);
  note(notes, step, "moved %s from %s to %s", step->computer->cn, old_dn, step->new_dn);
}

static void
apply_add(const Step *step, GPtrArray *notes)
{
  GPtrArray *member_of = step->computer->member_of;

  for (guint i = 0; i < member_of->len; i++)
    if (same_dn(g_ptr_array_index(member_of, i), step->group->dn)) {
      note(notes, step, "%s is already a member of %s (no change)", step->computer->cn,
           step->group->dn);
      return;
    }
  g_ptr_array_add(member_of, g_strdup(step->group->dn));
  note(notes, step, "added %s to group %s", step->computer->cn, step->group->dn);
}

static void
apply_step(GpModel *model, const Step *step, GPtrArray *notes)
{
  switch (step->change->kind) {
  case GP_CHANGE_LINK:
    apply_link(step, notes);
    break;
  case GP_CHANGE_UNLINK:
    apply_unlink(step, notes);
    break;
  case GP_CHANGE_ENFORCE:
  case GP_CHANGE_UNENFORCE:
    apply_enforce(step, notes);
    break;
  case GP_CHANGE_BLOCK:
  case GP_CHANGE_UNBLOCK:
    apply_block(step, notes);
    break;
  case GP_CHANGE_STATUS:
    apply_status(step, notes);
    break;
  case GP_CHANGE_SET:
    apply_set(step, notes);
    break;
  case GP_CHANGE_CLEAR:
    apply_clear(step, notes);
    break;
  case GP_CHANGE_MOVE:
    apply_move(model, step, notes);
    break;
  case GP_CHANGE_ADD_GROUP:
    apply_add(step, notes);
    break;
  case GP_CHANGE_NEW_GPO:
    apply_new(model, step, notes);
    break;
  }
}

void
gp_change_target_free(GpChangeTarget *target)
{
  if (!target)
    return;
  g_free(target->gpo_guid);
  g_free(target->som_dn);
  g_free(target->computer_dn);
  g_free(target->right);
  g_free(target);
}

/* Called after the step was applied, so that new GPOs and moves are in place. */
static GpChangeTarget *
step_target(const Step *step)
{
  GpChangeTarget *target = g_new0(GpChangeTarget, 1);
  const GpGpo *gpo = step->gpo ? step->gpo : (step->new_gpo ? step->new_gpo->gpo : NULL);

  target->change = step->change;
  target->gpo_guid = gpo ? g_strdup(gpo->guid) : NULL;
  target->som_dn = step->som ? g_strdup(step->som->dn) : NULL;
  target->computer_dn = step->computer ? g_strdup(step->computer->dn) : NULL;
  target->right = g_strdup(step->right);
  return target;
}

gboolean
gp_plan_apply_with_targets(const GpPlan *plan, GpModel *model, GPtrArray *applied_notes,
                           GPtrArray *targets, GError **error)
{
  g_auto(Planner) planner = { 0 };
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);

  planner_init(&planner, model);
  if (!resolve_plan(&planner, plan, error))
    return FALSE;
  for (guint i = 0; i < planner.steps->len; i++) {
    const Step *step = g_ptr_array_index(planner.steps, i);
    apply_step(model, step, notes);
    for (guint n = 0; n < step->notes->len; n++)
      g_ptr_array_add(notes, g_strdup(g_ptr_array_index(step->notes, n)));
    if (targets)
      g_ptr_array_add(targets, step_target(step));
  }
  for (guint i = 0; applied_notes && i < notes->len; i++)
    g_ptr_array_add(applied_notes, g_strdup(g_ptr_array_index(notes, i)));
  return TRUE;
}

gboolean
gp_plan_apply(const GpPlan *plan, GpModel *model, GPtrArray *applied_notes, GError **error)
{
  return gp_plan_apply_with_targets(plan, model, applied_notes, NULL, error);
}
