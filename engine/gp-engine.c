/* gp-engine.c - the precedence list and the resolution of rights.
 *
 * Worked example (precedence-rules.md E8): computer in OU=Servers,OU=Corp with
 * block inheritance on OU=Servers; domain link D1 enforced, Corp link C1, Servers
 * link X1.  Step A gives [Servers, Corp, domain, site].  Step C walks them
 * nearest first: X1 is kept (a blocking OU keeps its own links), then the block
 * takes effect, so C1 is BLOCKED, D1 passes because it is enforced.  Enforced
 * lists are emitted farthest SOM first, then the non-enforced ones nearest first:
 * 1 D1[E], 2 X1, 3 Local | C1 blocked.  A right defined by D1 and X1 is D1's.
 */
#include <string.h>

#include "gp-engine.h"
#include "gp-names.h"

G_DEFINE_QUARK(gp - engine - error - quark, gp_engine_error)

/* ------------------------------------------------------------ enum names */

const char *
gp_reason_to_string(GpReason reason)
{
  static const char *const names[] = {
    NULL,
    "LINK_DISABLED",
    "BLOCKED",
    "GPO_NOT_FOUND",
    "BAD_FUNCTIONALITY_VERSION",
    "COMPUTER_SETTINGS_DISABLED",
    "SECURITY_FILTER_DENIED",
    "WMI_FILTER_FALSE",
    "EMPTY_GPO",
    "SECURITY_CSE_NOT_REGISTERED",
    "SYSVOL_UNREADABLE",
  };

  return reason < G_N_ELEMENTS(names) ? names[reason] : NULL;
}

const char *
gp_reason_describe(GpReason reason)
{
  static const char *const text[] = {
    "applied",
    "link disabled",
    "blocked by block inheritance",
    "GPO not found in the directory data (deleted, or not readable)",
    "gPCFunctionalityVersion is not 2",
    "computer configuration disabled (GPO status)",
    "denied by security filtering",
    "WMI filter evaluated false",
    "no computer settings (computer version 0)",
    "GptTmpl.inf present but the Security CSE is not registered on the GPO",
    "SYSVOL part unreadable",
  };

  return reason < G_N_ELEMENTS(text) ? text[reason] : "unknown";
}

const char *
gp_outcome_to_string(GpOutcome outcome)
{
  switch (outcome) {
  case GP_OUTCOME_WON:
    return "won";
  case GP_OUTCOME_OVERRIDDEN:
    return "overridden";
  case GP_OUTCOME_NOT_APPLIED:
    return "not-applied";
  }
  return "unknown";
}

const char *
gp_source_to_string(GpRightSource source)
{
  switch (source) {
  case GP_SOURCE_GPO:
    return "gpo";
  case GP_SOURCE_LOCAL:
    return "local";
  case GP_SOURCE_DEFAULT:
    return "default";
  }
  return "unknown";
}

/* ------------------------------------------------------------- lifetimes */

static GpGpoEntry *
entry_new(const GpSom *som, const GpLink *link)
{
  GpGpoEntry *entry = g_new0(GpGpoEntry, 1);

  entry->som = som;
  entry->link = link;
  entry->is_local = link == NULL;
  entry->applied = TRUE;
  entry->assumptions = g_ptr_array_new_with_free_func(g_free);
  return entry;
}

static void
entry_free(GpGpoEntry *entry)
{
  g_ptr_array_unref(entry->assumptions);
  g_free(entry);
}

static void
right_result_free(GpRightResult *right)
{
  g_free(right->right);
  g_ptr_array_unref(right->holders);
  if (right->local_holders)
    g_ptr_array_unref(right->local_holders);
  g_ptr_array_unref(right->definitions);
  g_ptr_array_unref(right->notes);
  g_free(right);
}

void
gp_result_free(GpResult *result)
{
  if (!result)
    return;
  g_free(result->role_reason);
  g_free(result->site);
  g_free(result->site_reason);
  g_ptr_array_unref(result->soms);
  g_ptr_array_unref(result->entries);
  g_ptr_array_unref(result->rights);
  g_ptr_array_unref(result->notes);
  g_free(result);
}

static GpResult *
result_new(const GpComputer *computer)
{
  GpResult *result = g_new0(GpResult, 1);

  result->computer = computer;
  result->soms = g_ptr_array_new();
  result->entries = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);
  result->rights = g_ptr_array_new_with_free_func((GDestroyNotify)right_result_free);
  result->notes = g_ptr_array_new_with_free_func(g_free);
  return result;
}

/* -------------------------------------------------------- step A: SOMs */

/* Decides the site: explicit option, the computer's own, or the only one there is. */
static const GpSom *
choose_site(const GpModel *model, const GpComputer *computer, const char *option, GpResult *result)
{
  const GPtrArray *soms = gp_model_soms(model);
  const GpSom *only = NULL;
  guint n_sites = 0;
  const char *name = option ? option : computer->site;

  if (name && !*name) {
    result->site_reason = g_strdup("no site: --site was given empty");
    return NULL;
  }
  if (name) {
    const GpSom *site = gp_model_find_site(model, name);
    result->site = g_strdup(name);
    result->site_reason
        = g_strdup_printf("%s%s", option ? "given with --site" : "the computer's site in the data",
                          site ? "" : "; the site is not in the data, so it contributes no links");
    return site;
  }
  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    if (som->kind == GP_SOM_SITE) {
      only = som;
      n_sites++;
    }
  }
  if (n_sites == 1) {
    result->site = g_strdup(only->name);
    result->site_reason = g_strdup("assumed: the only site in the data (use --site to change)");
    return only;
  }
  result->site_reason = g_strdup_printf(
      "no site: %s (use --site NAME); site-linked GPOs are not considered",
      n_sites ? "the data has several sites and does not say which is the computer's"
              : "the data has no site");
  return NULL;
}

/* OUs nearest first, then the domain root; CN= parents are skipped and the walk
 * stops at the first DC= ancestor (MS-GPOL 3.2.5.1.3). */
static void
build_som_list(const GpModel *model, const GpComputer *computer, GpResult *result)
{
  g_autofree char *dn = gp_dn_parent(computer->dn);

  while (dn) {
    g_autofree char *type = gp_dn_first_type(dn);
    const GpSom *som = NULL;
    char *parent;

    if (strcmp(type, "ou") == 0 || strcmp(type, "dc") == 0)
      som = gp_model_find_som(model, dn);
    if (som)
      g_ptr_array_add(result->soms, (gpointer)som);
    else if (strcmp(type, "ou") == 0 || strcmp(type, "dc") == 0)
      g_ptr_array_add(result->notes,
                      g_strdup_printf("%s is not in the data: no links read from it", dn));
    if (strcmp(type, "dc") == 0)
      break;
    parent = gp_dn_parent(dn);
    g_free(dn);
    dn = parent;
  }
}

/* ------------------------------------------------- step C: precedence list */

typedef struct {
  GPtrArray *nonenforced; /* GpGpoEntry*, precedence order */
  GPtrArray *excluded;    /* disabled and blocked links, in walk order */
  GPtrArray *enforced;    /* GPtrArray* per SOM, nearest SOM first */
} Lists;

static void
lists_clear(Lists *lists)
{
  g_ptr_array_unref(lists->nonenforced);
  g_ptr_array_unref(lists->excluded);
  g_ptr_array_unref(lists->enforced);
}

static void
collect_som_links(const GpSom *som, const GpSom *blocker, Lists *lists)
{
  GPtrArray *enforced = g_ptr_array_new();

  g_ptr_array_add(lists->enforced, enforced);
  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    GpGpoEntry *entry = entry_new(som, link);

    if (link->options & GP_LINK_DISABLED) { /* 1 and 3 alike: the enforced bit is ignored */
      entry->applied = FALSE;
      entry->reason = GP_REASON_LINK_DISABLED;
      g_ptr_array_add(lists->excluded, entry);
    } else if (link->options & GP_LINK_ENFORCED) {
      entry->enforced = TRUE;
      g_ptr_array_add(enforced, entry);
    } else if (blocker) {
      entry->applied = FALSE;
      entry->reason = GP_REASON_BLOCKED;
      entry->blocked_by = blocker;
      g_ptr_array_add(lists->excluded, entry);
    } else {
      g_ptr_array_add(lists->nonenforced, entry);
    }
  }
}

static void
build_entries(const GPtrArray *soms, GpResult *result)
{
  Lists lists = { g_ptr_array_new(), g_ptr_array_new(),
                  g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref) };
  const GpSom *blocker = NULL;

  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = g_ptr_array_index(soms, i);
    collect_som_links(som, blocker, &lists);
    /* The block takes effect after the SOM's own links, and never for the site,
     * which nothing follows. */
    if (!blocker && (som->gp_options & GP_SOM_BLOCK_INHERITANCE))
      blocker = som;
  }
  for (guint i = lists.enforced->len; i > 0; i--) {
    GPtrArray *enforced = g_ptr_array_index(lists.enforced, i - 1);
    g_ptr_array_extend(result->entries, enforced, NULL, NULL);
  }
  g_ptr_array_extend(result->entries, lists.nonenforced, NULL, NULL);
  g_ptr_array_add(result->entries, entry_new(NULL, NULL));
  g_ptr_array_extend(result->entries, lists.excluded, NULL, NULL);
  for (guint i = 0; i < result->entries->len; i++)
    ((GpGpoEntry *)g_ptr_array_index(result->entries, i))->precedence = i + 1;
  lists_clear(&lists);
}

/* --------------------------------------------------- step D: GPO filters */

static gboolean
gpo_is_empty(const GpGpo *gpo)
{
  gboolean gpc_empty = (gpo->version_number & 0xFFFFu) == 0;
  gboolean gpt_empty = !gpo->has_gpt_ini || (gpo->gpt_version & 0xFFFFu) == 0;

  return gpc_empty && gpt_empty;
}

static gboolean
gpo_has_template(const GpGpo *gpo)
{
  return gpo->machine_template != NULL;
}

/* The first failing check D1..D8, or GP_REASON_NONE. */
static GpReason
first_failing_filter(const GpGpo *gpo)
{
  if (!gpo || !gpo->in_directory)
    return GP_REASON_GPO_NOT_FOUND;
  if (gpo->has_functionality_version && gpo->functionality_version != 2)
    return GP_REASON_BAD_FUNCTIONALITY_VERSION;
  if (gpo->flags & 0x2u)
    return GP_REASON_COMPUTER_SETTINGS_DISABLED;
  /* D4 security filtering and D5 WMI filters: not in the data yet, assumed to pass. */
  if (gpo_is_empty(gpo))
    return GP_REASON_EMPTY_GPO;
  if (gpo_has_template(gpo) && !gp_gpo_has_security_cse(gpo))
    return GP_REASON_SECURITY_CSE_NOT_REGISTERED;
  if (gpo->sysvol == GP_SYSVOL_UNREADABLE || gpo->sysvol == GP_SYSVOL_MISSING)
    return GP_REASON_SYSVOL_UNREADABLE;
  return GP_REASON_NONE;
}

static void
note_assumptions(GpGpoEntry *entry)
{
  const GpGpo *gpo = entry->gpo;

  g_ptr_array_add(entry->assumptions,
                  g_strdup("security filtering assumed to allow (descriptors not evaluated)"));
  if (!gpo->has_functionality_version)
    g_ptr_array_add(entry->assumptions, g_strdup("gPCFunctionalityVersion absent: assumed 2"));
  if (gpo->sysvol == GP_SYSVOL_NOT_GIVEN)
    g_ptr_array_add(entry->assumptions, g_strdup("no SYSVOL data given: its settings are unknown"));
}

static void
filter_entries(const GpModel *model, GpResult *result)
{
  for (guint i = 0; i < result->entries->len; i++) {
    GpGpoEntry *entry = g_ptr_array_index(result->entries, i);

    if (entry->is_local)
      continue;
    entry->gpo = gp_model_find_gpo_dn(model, entry->link->gpo_dn);
    if (entry->gpo && !entry->gpo->in_directory)
      entry->gpo = NULL;
    if (!entry->applied)
      continue;
    entry->reason = first_failing_filter(entry->gpo);
    entry->applied = entry->reason == GP_REASON_NONE;
    if (entry->applied)
      note_assumptions(entry);
    if (entry->reason == GP_REASON_SECURITY_CSE_NOT_REGISTERED)
      entry->security_cse_missing = TRUE;
  }
}

/* ------------------------------------------------------ step E: rights */

static const GpRightAssignment *
entry_definition(const GpGpoEntry *entry, const char *right)
{
  if (entry->is_local || !entry->gpo || !entry->gpo->machine_template)
    return NULL;
  return gp_security_template_lookup(entry->gpo->machine_template, right);
}

static GpPrincipal *
resolve_principal(const GpModel *model, const GpPrincipal *holder)
{
  const char *name = holder->name;
  const char *sid = holder->sid;

  if (sid && !name)
    name = gp_model_principal_name(model, sid);
  if (!sid && name)
    sid = gp_model_principal_sid(model, name);
  return gp_principal_new(sid, name);
}

static GPtrArray *
resolve_holders(const GpModel *model, const GPtrArray *holders)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);

  for (guint i = 0; holders && i < holders->len; i++)
    g_ptr_array_add(out, resolve_principal(model, g_ptr_array_index(holders, i)));
  return out;
}

static GpRightResult *
right_result_new(const GpRightInfo *info, const char *right)
{
  GpRightResult *out = g_new0(GpRightResult, 1);

  out->info = info;
  out->right = g_strdup(info ? info->constant : right);
  out->definitions = g_ptr_array_new_with_free_func(g_free);
  out->notes = g_ptr_array_new_with_free_func(g_free);
  return out;
}

static void
collect_definitions(const GpResult *result, GpRightResult *out)
{
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    const GpRightAssignment *assignment = entry_definition(entry, out->right);
    GpDefinition *definition;

    if (!assignment)
      continue;
    definition = g_new0(GpDefinition, 1);
    definition->entry = entry;
    definition->assignment = assignment;
    if (!entry->applied) {
      definition->outcome = GP_OUTCOME_NOT_APPLIED;
    } else if (!out->winner) {
      definition->outcome = GP_OUTCOME_WON;
      out->winner = entry;
    } else {
      definition->outcome = GP_OUTCOME_OVERRIDDEN;
      definition->overridden_by = out->winner;
    }
    g_ptr_array_add(out->definitions, definition);
  }
}

static const char *
entry_label(const GpGpoEntry *entry)
{
  if (entry->gpo && entry->gpo->display_name)
    return entry->gpo->display_name;
  return entry->link->gpo_guid ? entry->link->gpo_guid : entry->link->gpo_dn;
}

/* Applied GPOs above the winner whose settings are unknown could change the answer. */
static void
note_unknowns_above(const GpResult *result, GpRightResult *out)
{
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    gboolean unknown;

    if (entry == out->winner || entry->is_local)
      break;
    unknown = (entry->applied && entry->gpo->sysvol == GP_SYSVOL_NOT_GIVEN)
              || entry->reason == GP_REASON_SYSVOL_UNREADABLE;
    if (unknown)
      g_ptr_array_add(out->notes,
                      g_strdup_printf("GPO '%s' (precedence %u) could not be read; if it "
                                      "defines %s, it would win instead",
                                      entry_label(entry), entry->precedence, out->right));
  }
}

/* The local layer: the given local policy (a secedit export lists every right
 * that has holders, so an absent right has none), else the role's defaults. */
static void
resolve_local_layer(const GpModel *model, const GpResult *result, const GpEngineOptions *options,
                    GpRightResult *out)
{
  const GPtrArray *holders = NULL;

  if (options->local_policy) {
    const GpRightAssignment *assignment
        = gp_security_template_lookup(options->local_policy, out->right);
    out->local_source = GP_SOURCE_LOCAL;
    holders = assignment ? assignment->holders : NULL;
  } else {
    out->local_source = GP_SOURCE_DEFAULT;
    holders = out->info ? out->info->defaults[result->role] : NULL;
  }
  out->local_holders = holders ? resolve_holders(model, holders) : NULL;
}

static char *
empty_definition_note(const char *right)
{
  if (g_ascii_strcasecmp(right, "SeImpersonatePrivilege") == 0)
    return g_strdup("defined with no holders: nobody may impersonate, so services (IIS, SQL "
                    "Server, print spooler...) lose impersonation and may fail");
  return g_strdup_printf("defined with no holders: nobody holds %s", right);
}

static GpRightResult *
resolve_right(const GpModel *model, const GpResult *result, const GpEngineOptions *options,
              const GpRightInfo *info, const char *right)
{
  GpRightResult *out = right_result_new(info, right);

  collect_definitions(result, out);
  note_unknowns_above(result, out);
  resolve_local_layer(model, result, options, out);
  if (out->winner) {
    const GpRightAssignment *assignment = entry_definition(out->winner, out->right);
    out->source = GP_SOURCE_GPO;
    out->local_greyed_out = TRUE;
    out->holders = resolve_holders(model, assignment->holders);
    if (assignment->holders->len == 0)
      g_ptr_array_add(out->notes, empty_definition_note(out->right));
  } else {
    out->source = out->local_source;
    out->defined_nowhere = out->local_holders == NULL;
    out->holders = resolve_holders(model, out->local_holders);
  }
  return out;
}

/* ------------------------------------------------- which rights to resolve */

static void
add_right_name(GPtrArray *names, GHashTable *seen, const char *name)
{
  g_autofree char *key = g_ascii_strdown(name, -1);

  if (g_hash_table_contains(seen, key))
    return;
  g_hash_table_add(seen, g_steal_pointer(&key));
  g_ptr_array_add(names, (gpointer)name);
}

static void
add_template_rights(const GpSecurityTemplate *tmpl, GPtrArray *names, GHashTable *seen)
{
  for (guint i = 0; tmpl && i < tmpl->rights->len; i++)
    add_right_name(names, seen, ((GpRightAssignment *)g_ptr_array_index(tmpl->rights, i))->right);
}

/* Every right some GPO on the list or the local policy defines, catalogue first. */
static GPtrArray *
rights_defined_anywhere(const GpModel *model, const GpResult *result,
                        const GpEngineOptions *options)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new();
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) found_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  const GPtrArray *catalogue = gp_model_rights(model);
  GPtrArray *ordered = g_ptr_array_new();

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->gpo)
      add_template_rights(entry->gpo->machine_template, found, seen);
  }
  add_template_rights(options->local_policy, found, seen);
  for (guint i = 0; i < catalogue->len; i++) {
    const GpRightInfo *info = g_ptr_array_index(catalogue, i);
    g_autofree char *key = g_ascii_strdown(info->constant, -1);
    if (g_hash_table_contains(seen, key))
      add_right_name(ordered, found_keys, info->constant);
  }
  for (guint i = 0; i < found->len; i++)
    add_right_name(ordered, found_keys, g_ptr_array_index(found, i));
  return ordered;
}

static gboolean
right_defined_on_list(const GpResult *result, const char *right)
{
  for (guint i = 0; i < result->entries->len; i++)
    if (entry_definition(g_ptr_array_index(result->entries, i), right))
      return TRUE;
  return FALSE;
}

static gboolean
resolve_requested(const GpModel *model, GpResult *result, const GpEngineOptions *options,
                  GError **error)
{
  for (guint i = 0; options->rights[i]; i++) {
    const char *name = options->rights[i];
    const GpRightInfo *info = gp_model_lookup_right(model, name);
    if (!info && !right_defined_on_list(result, name)) {
      g_set_error(error, GP_ENGINE_ERROR, GP_ENGINE_ERROR_UNKNOWN_RIGHT,
                  "unknown user right '%s'; use a constant such as SeImpersonatePrivilege "
                  "or its display name",
                  name);
      return FALSE;
    }
    g_ptr_array_add(result->rights, resolve_right(model, result, options, info, name));
  }
  return TRUE;
}

static void
resolve_all(const GpModel *model, GpResult *result, const GpEngineOptions *options)
{
  g_autoptr(GPtrArray) names = rights_defined_anywhere(model, result, options);

  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    g_ptr_array_add(result->rights, resolve_right(model, result, options,
                                                  gp_model_lookup_right(model, name), name));
  }
}

/* ------------------------------------------------------------ the whole */

GpResult *
gp_engine_evaluate(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options,
                   GError **error)
{
  static const GpEngineOptions no_options = { NULL, NULL, NULL };
  g_autoptr(GpResult) result = result_new(computer);
  const GpSom *site;

  if (!options)
    options = &no_options;
  result->role = gp_engine_computer_role(computer, &result->role_assumed, &result->role_reason);
  build_som_list(model, computer, result);
  site = choose_site(model, computer, options->site, result);
  if (site)
    g_ptr_array_add(result->soms, (gpointer)site);
  build_entries(result->soms, result);
  filter_entries(model, result);
  if (options->rights)
    return resolve_requested(model, result, options, error) ? g_steal_pointer(&result) : NULL;
  resolve_all(model, result, options);
  return g_steal_pointer(&result);
}

const GpRightResult *
gp_result_find_right(const GpResult *result, const char *right)
{
  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *candidate = g_ptr_array_index(result->rights, i);
    if (g_ascii_strcasecmp(candidate->right, right) == 0
        || (candidate->info && g_ascii_strcasecmp(candidate->info->display_name, right) == 0))
      return candidate;
  }
  return NULL;
}
