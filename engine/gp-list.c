/* gp-list.c - steps A to D: the SOM list, the precedence list, the filters.
 *
 * Worked example (precedence-rules.md E8): computer in OU=Servers,OU=Corp with
 * block inheritance on OU=Servers; domain link D1 enforced, Corp link C1, Servers
 * link X1.  Step A gives [Servers, Corp, domain, site].  Step C walks them
 * nearest first: X1 is kept (a blocking OU keeps its own links), then the block
 * takes effect, so C1 is BLOCKED, D1 passes because it is enforced.  Enforced
 * lists are emitted farthest SOM first, then the non-enforced ones nearest first:
 * 1 D1[E], 2 X1, 3 Local | C1 blocked.
 */
#include <string.h>

#include "gp-engine-private.h"
#include "gp-names.h"

/* -------------------------------------------------------- step A: SOMs */

static gboolean
is_som_type(const char *type)
{
  return strcmp(type, "ou") == 0 || strcmp(type, "dc") == 0;
}

/* OUs nearest first, then the domain root; CN= parents are skipped and the walk
 * stops at the first DC= ancestor (MS-GPOL 3.2.5.1.3), so a child domain never
 * inherits its parent's links. */
void
gp_list_build_soms(const GpModel *model, const char *computer_dn, GpResult *result)
{
  g_autofree char *dn = gp_dn_parent(computer_dn);

  while (dn) {
    g_autofree char *type = gp_dn_first_type(dn);
    const GpSom *som = is_som_type(type) ? gp_model_find_som(model, dn) : NULL;
    char *parent;

    if (som)
      g_ptr_array_add(result->soms, (gpointer)som);
    else if (is_som_type(type))
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
exclude(GpGpoEntry *entry, GpReason reason, const GpSom *blocker, Lists *lists)
{
  entry->applied = FALSE;
  entry->reason = reason;
  entry->blocked_by = blocker;
  g_ptr_array_add(lists->excluded, entry);
}

static void
collect_som_links(const GpSom *som, const GpSom *blocker, Lists *lists)
{
  GPtrArray *enforced = g_ptr_array_new();

  g_ptr_array_add(lists->enforced, enforced);
  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    GpGpoEntry *entry = gp_entry_new(som, link);

    if (link->options & GP_LINK_DISABLED) { /* 1 and 3 alike: the enforced bit is ignored */
      exclude(entry, GP_REASON_LINK_DISABLED, NULL, lists);
    } else if (link->options & GP_LINK_ENFORCED) {
      entry->enforced = TRUE;
      g_ptr_array_add(enforced, entry);
    } else if (blocker) {
      exclude(entry, GP_REASON_BLOCKED, blocker, lists);
    } else {
      g_ptr_array_add(lists->nonenforced, entry);
    }
  }
}

void
gp_list_build_entries(GpResult *result)
{
  Lists lists = { g_ptr_array_new(), g_ptr_array_new(),
                  g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref) };
  const GpSom *blocker = NULL;

  for (guint i = 0; i < result->soms->len; i++) {
    const GpSom *som = g_ptr_array_index(result->soms, i);
    collect_som_links(som, blocker, &lists);
    /* The block takes effect after the SOM's own links (and for nothing after
     * the site, which comes last); a farther block names itself the blocker. */
    if (som->gp_options & GP_SOM_BLOCK_INHERITANCE)
      blocker = som;
  }
  for (guint i = lists.enforced->len; i > 0; i--)
    g_ptr_array_extend(result->entries, g_ptr_array_index(lists.enforced, i - 1), NULL, NULL);
  g_ptr_array_extend(result->entries, lists.nonenforced, NULL, NULL);
  g_ptr_array_add(result->entries, gp_entry_new(NULL, NULL));
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

/* D4: Read and Apply Group Policy for the computer's token. */
static GpReason
security_filter(const GpGpo *gpo, const GPtrArray *token, GpGpoEntry *entry)
{
  g_autofree char *why = NULL;
  GpAccessResult access;

  if (!gpo->security_descriptor) {
    g_ptr_array_add(entry->assumptions, g_strdup("no nTSecurityDescriptor in the data: "
                                                 "assumed readable and applicable"));
    return GP_REASON_NONE;
  }
  access = gp_engine_check_gpo_access(gpo->security_descriptor, token, &why);
  if (access == GP_ACCESS_GRANTED)
    return GP_REASON_NONE;
  entry->detail = g_strdup_printf("%s: %s",
                                  access == GP_ACCESS_NO_READ ? "the computer cannot read the GPO"
                                                              : "no Apply Group Policy right",
                                  why ? why : "no ACE grants it");
  return GP_REASON_SECURITY_FILTER_DENIED;
}

/* "[contoso.com;{ID};0]" -> "{ID}" */
static char *
wql_filter_id(const char *wql)
{
  return wql ? gp_guid_find_in(wql) : NULL;
}

static gboolean
wmi_value(const GpEngineOptions *options, const char *id, gboolean *out_given)
{
  gpointer value = options->wmi_values ? g_hash_table_lookup(options->wmi_values, id) : NULL;

  *out_given = value != NULL;
  if (value)
    return GPOINTER_TO_INT(value) == 1;
  return !options->wmi_default_false;
}

/* D5: the modeling value of the GPO's WMI filter; always said in the output. */
static GpReason
wmi_filter(const GpModel *model, const GpEngineOptions *options, const GpGpo *gpo,
           GpGpoEntry *entry)
{
  g_autofree char *id = wql_filter_id(gpo->wql_filter);
  gboolean given;
  gboolean value;
  const char *label;

  if (!id)
    return GP_REASON_NONE;
  entry->wmi_filter_id = g_strdup(id);
  entry->wmi_filter = gp_model_find_wmi_filter(model, id);
  label = entry->wmi_filter && entry->wmi_filter->name ? entry->wmi_filter->name : id;
  value = wmi_value(options, id, &given);
  if (!entry->wmi_filter && !given) {
    /* MS-GPOL 3.2.5.1.7: a filter the client cannot fetch lets the GPO apply. */
    g_ptr_array_add(entry->assumptions,
                    g_strdup_printf("WMI filter '%s' is not in the data: applied, as a client "
                                    "that cannot read the filter does",
                                    label));
    return GP_REASON_NONE;
  }
  g_ptr_array_add(entry->assumptions,
                  g_strdup_printf("WMI filter '%s' %s %s%s", label, given ? "set" : "assumed",
                                  value ? "true" : "false", given ? " with --wmi" : " (--wmi)"));
  if (value)
    return GP_REASON_NONE;
  entry->detail = g_strdup_printf("WMI filter '%s' is false", label);
  return GP_REASON_WMI_FILTER_FALSE;
}

/* The first failing check D1..D8, or GP_REASON_NONE. */
static GpReason
first_failing_filter(const GpModel *model, const GpEngineOptions *options, const GPtrArray *token,
                     GpGpoEntry *entry)
{
  const GpGpo *gpo = entry->gpo;
  GpReason reason;

  if (!gpo)
    return GP_REASON_GPO_NOT_FOUND;
  if (gpo->has_functionality_version && gpo->functionality_version != 2)
    return GP_REASON_BAD_FUNCTIONALITY_VERSION;
  if (gpo->flags & 0x2u)
    return GP_REASON_COMPUTER_SETTINGS_DISABLED;
  if ((reason = security_filter(gpo, token, entry)) != GP_REASON_NONE)
    return reason;
  if ((reason = wmi_filter(model, options, gpo, entry)) != GP_REASON_NONE)
    return reason;
  if (gpo_is_empty(gpo))
    return GP_REASON_EMPTY_GPO;
  if (gpo->machine_template && !gp_gpo_has_security_cse(gpo))
    return GP_REASON_SECURITY_CSE_NOT_REGISTERED;
  if (gpo->sysvol == GP_SYSVOL_UNREADABLE || gpo->sysvol == GP_SYSVOL_MISSING)
    return GP_REASON_SYSVOL_UNREADABLE;
  return GP_REASON_NONE;
}

static void
note_assumptions(GpGpoEntry *entry)
{
  const GpGpo *gpo = entry->gpo;

  if (!gpo->has_functionality_version)
    g_ptr_array_add(entry->assumptions, g_strdup("gPCFunctionalityVersion absent: assumed 2"));
  if (gpo->sysvol == GP_SYSVOL_NOT_GIVEN)
    g_ptr_array_add(entry->assumptions, g_strdup("no SYSVOL data given: its settings are unknown"));
}

static const GpGpo *
find_directory_gpo(const GpModel *model, const GpLink *link)
{
  const GpGpo *gpo = gp_model_find_gpo_dn(model, link->gpo_dn);

  return gpo && gpo->in_directory ? gpo : NULL;
}

const GpGpo *
gp_list_link_gpo(const GpModel *model, GpEngineAids *aids, const GpLink *link)
{
  gpointer found;

  if (!aids)
    return find_directory_gpo(model, link);
  if (!aids->link_gpos)
    aids->link_gpos = g_hash_table_new(NULL, NULL);
  found = g_hash_table_lookup(aids->link_gpos, link);
  if (!found) {
    const GpGpo *gpo = find_directory_gpo(model, link);
    found = gpo ? (gpointer)gpo : (gpointer)aids;
    g_hash_table_insert(aids->link_gpos, (gpointer)link, found);
  }
  return found == (gpointer)aids ? NULL : found;
}

void
gp_list_filter_entries(const GpModel *model, const GpEngineOptions *options, const GPtrArray *token,
                       GpEngineAids *aids, GpResult *result)
{
  for (guint i = 0; i < result->entries->len; i++) {
    GpGpoEntry *entry = g_ptr_array_index(result->entries, i);

    if (entry->is_local)
      continue;
    entry->gpo = gp_list_link_gpo(model, aids, entry->link);
    if (!entry->applied)
      continue;
    entry->reason = first_failing_filter(model, options, token, entry);
    entry->applied = entry->reason == GP_REASON_NONE;
    if (entry->reason == GP_REASON_GPO_NOT_FOUND)
      entry->detail
          = g_strdup_printf("no groupPolicyContainer %s in the data", entry->link->gpo_dn);
    if (entry->applied)
      note_assumptions(entry);
  }
}
