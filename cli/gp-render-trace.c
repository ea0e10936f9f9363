/* gp-render-trace.c - `gpsim explain --trace`: the computation as numbered steps.
 *
 * Six steps, each keyed to the rule it applies in precedence-rules.md, worded
 * for a trainee who has the rules open beside the output:
 *   1. build the SOM list (1.3)          4. apply block inheritance (1.5)
 *   2. read the links of each SOM (1.4)  5. filter each GPO (1.6, D1-D8)
 *   3. order the enforced links (1.5)    6. resolve each right (1.7, 3)
 * Everything is read back from the GpResult; nothing is recomputed here.
 *
 * Also home of two small helpers every renderer of a result shares.
 */
#include <string.h>

#include "gp-cli.h"
#include "gp-names.h"

#define LOCAL_GPO_NAME "Local Group Policy"

const char *
gp_render_entry_name(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return LOCAL_GPO_NAME;
  if (entry->gpo && entry->gpo->display_name)
    return entry->gpo->display_name;
  return entry->link->gpo_guid ? entry->link->gpo_guid : entry->link->gpo_dn;
}

const char *
gp_render_reason_rule(GpReason reason)
{
  static const char *const rules[] = {
    NULL,
    "rule 1.5: disabled link",
    "rule 1.5: block inheritance",
    "D1",
    "D2",
    "D3",
    "D4",
    "D5",
    "D6",
    "D7",
    "D8",
  };

  return reason < G_N_ELEMENTS(rules) ? rules[reason] : NULL;
}

/* "OU=Web,... (ou) L2" */
static char *
entry_place(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return g_strdup("local");
  return g_strdup_printf("%s %s, L%u", gp_som_kind_to_string(entry->som->kind), entry->som->dn,
                         entry->link->link_order);
}

static gboolean
is_excluded(const GpGpoEntry *entry)
{
  return entry->reason == GP_REASON_LINK_DISABLED || entry->reason == GP_REASON_BLOCKED;
}

/* ------------------------------------------------------------ step 1 */

static gboolean
dn_equal(const char *a, const char *b)
{
  g_autofree char *na = gp_dn_normalize(a);
  g_autofree char *nb = gp_dn_normalize(b);

  return strcmp(na, nb) == 0;
}

static gboolean
som_listed(const GpResult *result, const char *dn)
{
  for (guint i = 0; i < result->soms->len; i++)
    if (dn_equal(((const GpSom *)g_ptr_array_index(result->soms, i))->dn, dn))
      return TRUE;
  return FALSE;
}

/* Where the walk starts: the computer's DN, or the --ou it is modeled in when
 * its nearest SOM is not one of its parents. */
static char *
walk_start(const GpResult *result, gboolean *modeled)
{
  const GpSom *first = result->soms->len ? g_ptr_array_index(result->soms, 0) : NULL;
  g_autofree char *dn = gp_dn_normalize(result->computer->dn);
  g_autofree char *som = first ? gp_dn_normalize(first->dn) : NULL;

  *modeled = first && first->kind != GP_SOM_SITE && !g_str_has_suffix(dn, som);
  return *modeled ? g_strdup_printf("CN=%s,%s", result->computer->cn, first->dn)
                  : g_strdup(result->computer->dn);
}

static gboolean
som_listed_site(const GpResult *result)
{
  for (guint i = 0; i < result->soms->len; i++)
    if (((const GpSom *)g_ptr_array_index(result->soms, i))->kind == GP_SOM_SITE)
      return TRUE;
  return FALSE;
}

static void
trace_parent(const GpResult *result, const char *dn, GString *out)
{
  g_autofree char *type = gp_dn_first_type(dn);
  gboolean listed = som_listed(result, dn);

  if (strcmp(type, "ou") == 0)
    g_string_append_printf(out, "     - parent %s is an OU: %s\n", dn,
                           listed ? "added" : "added, but it is not in the data (no links)");
  else if (strcmp(type, "dc") == 0)
    g_string_append_printf(out,
                           "     - parent %s is the domain root: %s; the walk stops here (no "
                           "inheritance from a parent domain)\n",
                           dn, listed ? "added" : "not in the data (no links)");
  else
    g_string_append_printf(out, "     - parent %s is a container, not a SOM: skipped\n", dn);
}

static void
trace_walk(const GpResult *result, GString *out)
{
  gboolean modeled = FALSE;
  g_autofree char *dn = walk_start(result, &modeled);

  g_string_append_printf(out, "     start at %s%s\n", dn,
                         modeled ? " (modeled there with --ou)" : "");
  for (char *parent = gp_dn_parent(dn); parent;) {
    g_autofree char *type = gp_dn_first_type(parent);
    char *next = strcmp(type, "dc") == 0 ? NULL : gp_dn_parent(parent);
    trace_parent(result, parent, out);
    g_free(parent);
    parent = next;
  }
}

static void
trace_soms(const GpResult *result, GString *out)
{
  g_string_append(out, "1. Build the SOM list (rule 1.3): walk up from the computer, OUs nearest "
                       "first, then the domain root, then the site.\n");
  if (result->role == GP_ROLE_STANDALONE) {
    g_string_append(out, "     stand-alone computer: no domain and no site, only the local "
                         "layer (rule 1.3 item 4)\n");
    return;
  }
  trace_walk(result, out);
  if (result->site && som_listed_site(result))
    g_string_append_printf(out, "     - site %s: added last (%s)\n", result->site,
                           result->site_reason);
  else
    g_string_append_printf(out, "     - no site SOM: %s\n", result->site_reason);
  g_string_append(out, "     SOM list, nearest first:");
  for (guint i = 0; i < result->soms->len; i++)
    g_string_append_printf(out, "%s %s", i ? ";" : "",
                           ((const GpSom *)g_ptr_array_index(result->soms, i))->dn);
  g_string_append(out, result->soms->len ? "\n" : " (empty)\n");
}

/* ------------------------------------------------------------ step 2 */

static const char *
option_text(guint options)
{
  if (options & GP_LINK_DISABLED)
    return options & GP_LINK_ENFORCED ? "disabled, the enforced bit is ignored" : "disabled";
  return options & GP_LINK_ENFORCED ? "enforced" : "enabled";
}

static void
trace_som_links(const GpResult *result, const GpSom *som, GString *out)
{
  g_string_append_printf(out, "     - %s %s: ", gp_som_kind_to_string(som->kind), som->dn);
  if (som->links->len == 0)
    g_string_append(out, "no links");
  for (guint l = 0; l < som->links->len; l++) {
    const GpLink *link = g_ptr_array_index(som->links, l);
    const GpGpoEntry *entry = NULL;
    for (guint e = 0; e < result->entries->len && !entry; e++)
      if (((const GpGpoEntry *)g_ptr_array_index(result->entries, e))->link == link)
        entry = g_ptr_array_index(result->entries, e);
    g_string_append_printf(out, "%sL%u %s (option %u: %s)", l ? ", " : "", link->link_order,
                           entry ? gp_render_entry_name(entry) : link->gpo_dn, link->options,
                           option_text(link->options));
  }
  if (som->link_order_assumed)
    g_string_append(out, " [link order assumed: the data does not record it]");
  g_string_append_c(out, '\n');
}

static void
trace_links(const GpResult *result, GString *out)
{
  g_string_append(out, "\n2. Read the links of each SOM (rule 1.4): in gPLink the last [...] entry "
                       "is link order 1 (L1 wins within its SOM); option bit 1 disables a link "
                       "(1 and 3), bit 2 enforces it.\n");
  if (result->soms->len == 0)
    g_string_append(out, "     no SOM, so no link\n");
  for (guint i = 0; i < result->soms->len; i++)
    trace_som_links(result, g_ptr_array_index(result->soms, i), out);
}

/* ------------------------------------------------------------ step 3 */

static void
trace_enforced(const GpResult *result, GString *out)
{
  guint count = 0;

  g_string_append(out, "\n3. Order the enforced links (rule 1.5): they come first, the SOM highest "
                       "in the hierarchy first (site, domain, then OUs from the top), link order "
                       "within a SOM.\n");
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    g_autofree char *place = NULL;
    if (!entry->enforced)
      continue;
    place = entry_place(entry);
    g_string_append_printf(out, "     - precedence %u: %s (%s)\n", entry->precedence,
                           gp_render_entry_name(entry), place);
    count++;
  }
  if (count == 0)
    g_string_append(out, "     no enforced link on this computer's SOMs\n");
}

/* ------------------------------------------------------------ step 4 */

static void
trace_blocks(const GpResult *result, GString *out)
{
  gboolean any = FALSE;

  for (guint s = 0; s < result->soms->len; s++) {
    const GpSom *som = g_ptr_array_index(result->soms, s);
    g_autoptr(GString) dropped = g_string_new(NULL);
    if (!(som->gp_options & GP_SOM_BLOCK_INHERITANCE))
      continue;
    any = TRUE;
    for (guint i = 0; i < result->entries->len; i++) {
      const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
      g_autofree char *place = entry->blocked_by == som ? entry_place(entry) : NULL;
      if (place)
        g_string_append_printf(dropped, "%s%s (%s)", dropped->len ? ", " : "",
                               gp_render_entry_name(entry), place);
    }
    g_string_append_printf(out,
                           "     - %s blocks inheritance (gPOptions 1): the non-enforced links "
                           "of every SOM above it are dropped: %s; its own links, enforced links "
                           "and local are kept\n",
                           som->dn, dropped->len ? dropped->str : "none to drop");
  }
  if (!any)
    g_string_append(out, "     - no SOM on the list blocks inheritance: nothing is dropped\n");
}

static void
trace_rest(const GpResult *result, GString *out)
{
  g_autoptr(GString) disabled = g_string_new(NULL);

  g_string_append(out, "     - then the non-enforced links, nearest SOM first, link order within "
                       "a SOM, and local last:\n");
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    g_autofree char *place = entry_place(entry);
    if (entry->reason == GP_REASON_LINK_DISABLED)
      g_string_append_printf(disabled, "%s%s (%s)", disabled->len ? ", " : "",
                             gp_render_entry_name(entry), place);
    else if (!entry->enforced && !is_excluded(entry))
      g_string_append_printf(out, "         precedence %u: %s (%s)\n", entry->precedence,
                             gp_render_entry_name(entry), place);
  }
  if (disabled->len)
    g_string_append_printf(out, "     - disabled links are left out: %s\n", disabled->str);
}

static void
trace_block(const GpResult *result, GString *out)
{
  g_string_append(out,
                  "\n4. Apply block inheritance (rule 1.5): a SOM with block inheritance drops "
                  "the non-enforced links of the SOMs above it, never its own, never "
                  "enforced ones, never local.\n");
  trace_blocks(result, out);
  trace_rest(result, out);
}

/* ------------------------------------------------------------ step 5 */

/* The missing-descriptor assumption is summed up once, not repeated per GPO. */
static gboolean
is_descriptor_assumption(const char *text)
{
  return g_str_has_prefix(text, "no nTSecurityDescriptor");
}

static guint
count_descriptor_assumptions(const GpGpoEntry *entry)
{
  guint count = 0;

  for (guint a = 0; a < entry->assumptions->len; a++)
    count += is_descriptor_assumption(g_ptr_array_index(entry->assumptions, a));
  return count;
}

static void
trace_filter_entry(const GpGpoEntry *entry, GString *out)
{
  g_string_append_printf(out, "     - %u %s: ", entry->precedence, gp_render_entry_name(entry));
  if (entry->applied)
    g_string_append(out, "applied (D1-D8 pass)");
  else
    g_string_append_printf(out, "not applied: %s %s", gp_render_reason_rule(entry->reason),
                           gp_reason_describe(entry->reason));
  if (entry->detail)
    g_string_append_printf(out, " (%s)", entry->detail);
  g_string_append_c(out, '\n');
  for (guint a = 0; a < entry->assumptions->len; a++) {
    const char *text = g_ptr_array_index(entry->assumptions, a);
    if (!is_descriptor_assumption(text))
      g_string_append_printf(out, "         assumed: %s\n", text);
  }
}

static void
trace_filters(const GpResult *result, GString *out)
{
  guint applied = 0, denied = 0, assumed = 0;

  g_string_append(out, "\n5. Filter each GPO (rule 1.6, D1-D8; the first failing check is "
                       "reported): D1 found, D2 functionality version 2, D3 computer half "
                       "enabled, D4 security filtering, D5 WMI filter, D6 not empty, D7 Security "
                       "CSE registered, D8 SYSVOL readable.\n");
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->is_local || is_excluded(entry))
      continue;
    trace_filter_entry(entry, out);
    assumed += count_descriptor_assumptions(entry);
    if (entry->applied)
      applied++;
    else
      denied++;
  }
  g_string_append_printf(out,
                         "     %u applied / %u not applied; Local Group Policy always "
                         "applies\n",
                         applied, denied);
  if (assumed)
    g_string_append_printf(out,
                           "     (D4: %u GPO%s without a security descriptor in the data: "
                           "assumed readable and applicable)\n",
                           assumed, assumed == 1 ? "" : "s");
}

/* ------------------------------------------------------------ step 6 */

static const GpDefinition *
definition_of(const GpRightResult *right, const GpGpoEntry *entry)
{
  for (guint i = 0; i < right->definitions->len; i++) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i);
    if (definition->entry == entry)
      return definition;
  }
  return NULL;
}

static void
append_holders(const GPtrArray *holders, GString *out)
{
  if (!holders || holders->len == 0)
    g_string_append(out, "nobody");
  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    g_string_append_printf(out, "%s%s", i ? ", " : "", holder->name ? holder->name : holder->sid);
  }
}

/* One line for an entry above the winner (or above local when nothing wins). */
static void
trace_walk_entry(const GpRightResult *right, const GpGpoEntry *entry, GString *out)
{
  const GpDefinition *definition = definition_of(right, entry);

  g_string_append_printf(out, "       - %u %s: ", entry->precedence, gp_render_entry_name(entry));
  if (entry == right->winner) {
    g_string_append_printf(
        out, "applied and defines it: WINS with its whole list of %u: ", right->holders->len);
    append_holders(right->holders, out);
  } else if (definition) {
    g_string_append_printf(out, "defines it, but is not applied (%s)",
                           gp_reason_describe(entry->reason));
  } else {
    g_string_append(out, entry->applied ? "applied, does not define it"
                                        : "not applied, and does not define it anyway");
  }
  g_string_append_c(out, '\n');
}

static void
trace_below_winner(const GpRightResult *right, GString *out)
{
  g_autoptr(GString) overridden = g_string_new(NULL);

  for (guint i = 0; i < right->definitions->len; i++) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i);
    if (definition->outcome == GP_OUTCOME_OVERRIDDEN)
      g_string_append_printf(overridden, "%s%s (%u)", overridden->len ? ", " : "",
                             gp_render_entry_name(definition->entry),
                             definition->entry->precedence);
  }
  if (overridden->len)
    g_string_append_printf(out, "       - below it, overridden and never merged: %s\n",
                           overridden->str);
  g_string_append(out, "       - the local layer underneath is overwritten\n");
}

static void
trace_local_decides(const GpRightResult *right, GString *out)
{
  g_string_append_printf(out, "       - no applied GPO defines it: the local layer decides (%s): ",
                         right->local_source == GP_SOURCE_LOCAL
                             ? "the given local policy"
                             : "the documented default of the computer's role");
  if (right->defined_nowhere)
    g_string_append(out, "not defined there either, so nobody holds it");
  else
    append_holders(right->holders, out);
  g_string_append_c(out, '\n');
}

static void
trace_right(const GpResult *result, const GpRightResult *right, GString *out)
{
  g_string_append_printf(out, "     %s%s%s%s:\n", right->right, right->info ? " (" : "",
                         right->info ? right->info->display_name : "", right->info ? ")" : "");
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->is_local || is_excluded(entry))
      break;
    trace_walk_entry(right, entry, out);
    if (entry == right->winner)
      break;
  }
  if (right->winner)
    trace_below_winner(right, out);
  else
    trace_local_decides(right, out);
  g_string_append_printf(out, "       greyed out in secpol.msc: %s\n",
                         right->local_greyed_out ? "yes, because a GPO defines it"
                                                 : "no, editable: no applied GPO defines it");
}

static void
trace_rights(const GpResult *result, GString *out)
{
  g_string_append(out, "\n6. Resolve each right (rule 1.7 and section 3): walk the list from "
                       "precedence 1; the first applied GPO that defines the right wins with its "
                       "whole list (lists never merge); if none does, the local layer decides.\n");
  if (result->rights->len == 0)
    g_string_append(out, "     no user right is defined by any GPO on the list\n");
  for (guint i = 0; i < result->rights->len; i++)
    trace_right(result, g_ptr_array_index(result->rights, i), out);
}

void
gp_render_trace_explain(const GpModel *model, const GpResult *result, GString *out)
{
  (void)model;
  g_string_append_printf(out,
                         "Trace for %s (%s): how gpsim decides, step by step.\n"
                         "Rule numbers refer to precedence-rules.md.\n\n",
                         result->computer->cn, result->computer->dn);
  trace_soms(result, out);
  trace_links(result, out);
  trace_enforced(result, out);
  trace_block(result, out);
  trace_filters(result, out);
  trace_rights(result, out);
}
