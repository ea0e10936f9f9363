/* gp-render-text.c - the explanation for people.
 *
 * Reads like gpresult's precedence view plus the reasoning: the computer and its
 * SOM list, every GPO in precedence order with its fate, then per right the
 * chain from the local layer up to the winner, the holders, and one sentence
 * for whoever opens secpol.msc.
 */
#include "gp-cli.h"

static const char *
entry_name(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return "Local Group Policy";
  if (entry->gpo && entry->gpo->display_name)
    return entry->gpo->display_name;
  return entry->link->gpo_guid ? entry->link->gpo_guid : entry->link->gpo_dn;
}

static void
render_fate(const GpGpoEntry *entry, GString *out)
{
  if (entry->applied) {
    g_string_append(out, "applied");
    return;
  }
  g_string_append_printf(out, "NOT APPLIED: %s", gp_reason_describe(entry->reason));
  if (entry->blocked_by)
    g_string_append_printf(out, " at %s", entry->blocked_by->dn);
  if (entry->detail)
    g_string_append_printf(out, " (%s)", entry->detail);
}

/* Assumptions worth a line of their own; the missing-descriptor one is summed up once. */
static gboolean
is_descriptor_assumption(const char *text)
{
  return g_str_has_prefix(text, "no nTSecurityDescriptor");
}

static void
render_assumptions(const GpGpoEntry *entry, GString *out)
{
  for (guint i = 0; i < entry->assumptions->len; i++) {
    const char *text = g_ptr_array_index(entry->assumptions, i);
    if (!is_descriptor_assumption(text))
      g_string_append_printf(out, "         modeling: %s\n", text);
  }
}

static void
render_computer(const GpResult *result, GString *out)
{
  const GpComputer *computer = result->computer;

  g_string_append_printf(out, "Computer   %s (%s)\n", computer->cn, computer->dn);
  g_string_append_printf(out, "Role       %s: %s\n", gp_role_to_string(result->role),
                         result->role_reason);
  g_string_append_printf(out, "Site       %s: %s\n", result->site ? result->site : "(none)",
                         result->site_reason);
  g_string_append(out, "SOM list   ");
  for (guint i = 0; i < result->soms->len; i++) {
    const GpSom *som = g_ptr_array_index(result->soms, i);
    g_string_append_printf(out, "%s%s", i ? "\n           " : "", som->dn);
    if (som->gp_options & GP_SOM_BLOCK_INHERITANCE)
      g_string_append(out, "  [blocks inheritance]");
  }
  g_string_append(out, result->soms->len ? "\n" : "(none)\n");
  for (guint i = 0; i < result->notes->len; i++)
    g_string_append_printf(out, "Note       %s\n", (char *)g_ptr_array_index(result->notes, i));
}

static void
render_entry_line(const GpGpoEntry *entry, GString *out)
{
  if (entry->is_local) {
    g_string_append_printf(out, "  %3u  %-32s local\n         ", entry->precedence,
                           entry_name(entry));
  } else {
    g_string_append_printf(out, "  %3u  %-32s %s (%s), link order %u%s\n         ",
                           entry->precedence, entry_name(entry), entry->som->dn,
                           gp_som_kind_to_string(entry->som->kind), entry->link->link_order,
                           entry->enforced ? ", ENFORCED" : "");
  }
  render_fate(entry, out);
  g_string_append_c(out, '\n');
  render_assumptions(entry, out);
}

static guint
count_descriptor_assumptions(const GpResult *result)
{
  guint count = 0;

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    for (guint a = 0; a < entry->assumptions->len; a++)
      count += is_descriptor_assumption(g_ptr_array_index(entry->assumptions, a));
  }
  return count;
}

static void
render_entries(const GpResult *result, GString *out)
{
  guint assumed = count_descriptor_assumptions(result);

  g_string_append(out, "\nGPOs in precedence order (1 wins; application order is the reverse):\n");
  for (guint i = 0; i < result->entries->len; i++)
    render_entry_line(g_ptr_array_index(result->entries, i), out);
  if (assumed)
    g_string_append_printf(out,
                           "  (%u applied GPO%s without a security descriptor in the data: "
                           "assumed readable and applicable)\n",
                           assumed, assumed == 1 ? "" : "s");
}

static void
render_holders(const GPtrArray *holders, GString *out)
{
  if (holders->len == 0)
    g_string_append(out, "    (nobody)\n");
  for (guint i = 0; i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    g_string_append_printf(out, "    %-48s %s\n", holder->name ? holder->name : "(unknown name)",
                           holder->sid ? holder->sid
                                       : "(no SID: resolved by name on the computer)");
  }
}

static const char *
local_layer_label(const GpRightResult *right)
{
  return right->local_source == GP_SOURCE_LOCAL ? "the given local policy (secedit export)"
                                                : "the documented default for its role";
}

static void
render_names(const GPtrArray *holders, GString *out)
{
  if (!holders) {
    g_string_append(out, "not defined");
    return;
  }
  if (holders->len == 0)
    g_string_append(out, "(nobody)");
  for (guint i = 0; i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    g_string_append_printf(out, "%s%s", i ? ", " : "", holder->name ? holder->name : holder->sid);
  }
}

/* Local first, then each definition in application order (lowest precedence first). */
static void
render_chain(const GpRightResult *right, GString *out)
{
  g_string_append(out, "  Chain, local first (each applied definition replaces the one before):\n");
  g_string_append_printf(out, "    local   %s: ", local_layer_label(right));
  render_names(right->local_holders, out);
  g_string_append(out, right->winner ? " -> overwritten\n" : "\n");
  for (guint i = right->definitions->len; i > 0; i--) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i - 1);
    const GpGpoEntry *entry = definition->entry;
    g_string_append_printf(out, "    %3u     %s @ %s, link order %u%s: %u holder%s -> ",
                           entry->precedence, entry_name(entry), entry->som->dn,
                           entry->link->link_order, entry->enforced ? ", enforced" : "",
                           definition->assignment->holders->len,
                           definition->assignment->holders->len == 1 ? "" : "s");
    if (definition->outcome == GP_OUTCOME_WON)
      g_string_append(out, "WINS\n");
    else if (definition->outcome == GP_OUTCOME_OVERRIDDEN)
      g_string_append_printf(out, "overridden by '%s'\n", entry_name(definition->overridden_by));
    else
      g_string_append_printf(out, "not applied (%s)\n", gp_reason_describe(entry->reason));
  }
}

static void
render_persistence(const GpRightResult *right, GString *out)
{
  g_string_append(out, "  If the winner stopped defining it: ");
  switch (right->if_winner_removed) {
  case GP_PERSIST_NEXT_GPO:
    g_string_append_printf(out, "GPO '%s' would decide\n",
                           right->runner_up->gpo->display_name ? right->runner_up->gpo->display_name
                                                               : right->runner_up->gpo->guid);
    break;
  case GP_PERSIST_REVERTED_TO_LOCAL:
    g_string_append(out, "it reverts to the local value (secedit database)\n");
    break;
  case GP_PERSIST_TATTOOED:
    g_string_append(out, "no local value to revert to: the current list stays (tattooed)\n");
    break;
  }
}

static void
render_verdict(const GpRightResult *right, GString *out)
{
  const GpGpoEntry *winner = right->winner;

  if (winner) {
    g_string_append_printf(out, "  Winner: GPO '%s' %s linked at %s (link order %u%s)\n",
                           entry_name(winner), winner->gpo->guid, winner->som->dn,
                           winner->link->link_order, winner->enforced ? ", enforced" : "");
  } else if (right->defined_nowhere) {
    g_string_append_printf(out,
                           "  Winner: none: no applied GPO defines it and %s does not "
                           "either, so nobody holds it\n",
                           local_layer_label(right));
  } else {
    g_string_append_printf(out, "  Winner: %s (no applied GPO defines it)\n",
                           right->source == GP_SOURCE_LOCAL ? "local policy"
                                                            : "the role's default");
  }
  g_string_append(out, "  Holders:\n");
  render_holders(right->holders, out);
  if (winner)
    g_string_append_printf(out,
                           "  Local editor: greyed out in secpol.msc because GPO '%s' "
                           "linked at %s defines it\n",
                           entry_name(winner), winner->som->dn);
  else
    g_string_append(out, "  Local editor: editable: no applied GPO defines it\n");
  if (winner)
    render_persistence(right, out);
  for (guint i = 0; i < right->notes->len; i++)
    g_string_append_printf(out, "  Note: %s\n", (char *)g_ptr_array_index(right->notes, i));
}

static void
render_right(const GpRightResult *right, GString *out)
{
  g_string_append_printf(out, "\n%s", right->right);
  if (right->info)
    g_string_append_printf(out, " (%s)", right->info->display_name);
  g_string_append(out, "\n");
  render_chain(right, out);
  render_verdict(right, out);
}

void
gp_render_text_explain(const GpModel *model, const GpResult *result, GString *out)
{
  (void)model;
  render_computer(result, out);
  render_entries(result, out);
  if (result->rights->len == 0)
    g_string_append(out, "\nNo user right is defined by any GPO on the list.\n");
  for (guint i = 0; i < result->rights->len; i++)
    render_right(g_ptr_array_index(result->rights, i), out);
}
