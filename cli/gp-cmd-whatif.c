/* gp-cmd-whatif.c - `gpsim whatif` (a planned change) and `gpsim diff` (two snapshots).
 *
 * Both evaluate every computer twice, on a "before" and an "after" model, and
 * report each right whose winner, source or holders differ: before and after,
 * what was gained and lost, why (the plan lines, or what differs in the data),
 * and the persistence rule when a GPO stops deciding a right
 * (precedence-rules.md section 3 item 5): reverted-to-local, or tattooed (the
 * old list stays, and is what the computer keeps).
 *
 * HTML (--format html): one self-contained page, the plan, a summary table and
 * each change before and after side by side.
 *
 * JSON: "gpsim.whatif/1" and "gpsim.diff/1" (README), reusing the computer and
 * rights objects of "gpsim.explain/1".
 */
#include <json-glib/json-glib.h>
#include <libxml/tree.h>
#include <string.h>

#include "gp-cli.h"
#include "gp-names.h"
#include "gp-plan.h"

#define BEFORE          0
#define AFTER           1
#define HYPOTHETICAL_CN "(any computer)"
#define CHANGE_LABEL    "--change"

/* One right of one computer whose result differs. */
typedef struct {
  char *right;
  const GpRightResult *side[2]; /* (nullable) each */
  gboolean has_persistence;
  GpPersistence persistence;
  const GPtrArray *effective; /* GpPrincipal*: what the computer holds after (borrowed) */
  GPtrArray *gained;          /* GpPrincipal* (borrowed) */
  GPtrArray *lost;            /* GpPrincipal* (borrowed) */
  GPtrArray *why;             /* char* */
} RightChange;

/* One computer, in both models. */
typedef struct {
  GpComputer *computer[2]; /* (nullable) each, in diff */
  GpResult *result[2];
  GpResult *extra[2]; /* (nullable): rights the other side has, resolved on this side */
  GPtrArray *changes; /* RightChange* */
} Pair;

typedef struct {
  gboolean diff;
  const GpCliOptions *options[2]; /* the options each side was loaded with */
  GpCliData *data[2];
  const char *labels[2]; /* diff: OLD and NEW; whatif: the plan's name */
  GpPlan *plan;          /* (nullable) diff has none */
  GPtrArray *targets;    /* GpChangeTarget* */
  GPtrArray *applied;    /* char*: what each line did */
  GPtrArray *notes;      /* char*: general notes */
  GPtrArray *pairs;      /* Pair* */
  GPtrArray *only[2];    /* char*: computers only in OLD / only in NEW (diff) */
  gboolean hypothetical;
} Report;

static void
right_change_free(RightChange *change)
{
  g_free(change->right);
  g_ptr_array_unref(change->gained);
  g_ptr_array_unref(change->lost);
  g_ptr_array_unref(change->why);
  g_free(change);
}

static void
pair_free(Pair *pair)
{
  for (int side = BEFORE; side <= AFTER; side++) {
    gp_result_free(pair->result[side]);
    gp_result_free(pair->extra[side]);
  }
  g_ptr_array_unref(pair->changes);
  g_free(pair);
}

static void
report_init(Report *report, gboolean diff)
{
  report->diff = diff;
  report->targets = g_ptr_array_new_with_free_func((GDestroyNotify)gp_change_target_free);
  report->applied = g_ptr_array_new_with_free_func(g_free);
  report->notes = g_ptr_array_new_with_free_func(g_free);
  report->pairs = g_ptr_array_new_with_free_func((GDestroyNotify)pair_free);
  for (int side = BEFORE; side <= AFTER; side++)
    report->only[side] = g_ptr_array_new_with_free_func(g_free);
}

static void
report_clear(Report *report)
{
  gp_plan_free(report->plan);
  g_ptr_array_unref(report->targets);
  g_ptr_array_unref(report->applied);
  g_ptr_array_unref(report->notes);
  g_ptr_array_unref(report->pairs);
  for (int side = BEFORE; side <= AFTER; side++)
    g_ptr_array_unref(report->only[side]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Report, report_clear)

void
gp_cmd_whatif_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "change", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->changes,
      "a change, as a line of a plan (\"unlink 'Server Baseline' from contoso.com/Servers\"); "
      "repeatable",
      "CHANGE" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &options->all, "evaluate every computer (the default)",
      NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  GOptionGroup *group
      = g_option_group_new("planning", "Planning options:", "Show planning options", NULL, NULL);

  g_option_group_add_entries(group, entries);
  g_option_context_add_group(context, group);
}

/* ------------------------------------------------------------ holders */

static const char *
holder_label(const GpPrincipal *holder)
{
  if (holder->name)
    return holder->name;
  return holder->sid ? holder->sid : "?";
}

/* Holders compare by SID, else by name, any case. */
static char *
holder_key(const GpPrincipal *holder)
{
  if (holder->sid)
    return g_ascii_strup(holder->sid, -1);
  return g_utf8_casefold(holder->name ? holder->name : "", -1);
}

static gboolean
holders_contain(const GPtrArray *holders, const GpPrincipal *wanted)
{
  g_autofree char *key = holder_key(wanted);

  for (guint i = 0; holders && i < holders->len; i++) {
    g_autofree char *other = holder_key(g_ptr_array_index(holders, i));
    if (strcmp(key, other) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Returns: (transfer container): the holders of @a that @b lacks. */
static GPtrArray *
holders_minus(const GPtrArray *a, const GPtrArray *b)
{
  GPtrArray *out = g_ptr_array_new();

  for (guint i = 0; a && i < a->len; i++)
    if (!holders_contain(b, g_ptr_array_index(a, i)))
      g_ptr_array_add(out, g_ptr_array_index(a, i));
  return out;
}

static gboolean
same_holders(const GPtrArray *a, const GPtrArray *b)
{
  g_autoptr(GPtrArray) a_only = holders_minus(a, b);
  g_autoptr(GPtrArray) b_only = holders_minus(b, a);

  return a_only->len == 0 && b_only->len == 0;
}

static void
append_holders(GString *out, const GPtrArray *holders)
{
  if (!holders || holders->len == 0) {
    g_string_append(out, "(nobody)");
    return;
  }
  for (guint i = 0; i < holders->len; i++)
    g_string_append_printf(out, "%s%s", i ? ", " : "", holder_label(g_ptr_array_index(holders, i)));
}

/* ------------------------------------------------------------ comparing */

static const char *
winner_guid(const GpRightResult *right)
{
  const GpGpoEntry *winner = right ? right->winner : NULL;

  if (!winner)
    return NULL;
  return winner->gpo ? winner->gpo->guid : winner->link->gpo_guid;
}

static gboolean
right_changed(const GpRightResult *before, const GpRightResult *after)
{
  if (!before || !after) {
    const GpRightResult *only = before ? before : after;
    return only->source == GP_SOURCE_GPO || (only->holders->len > 0 && !only->defined_nowhere);
  }
  if (before->source != after->source || g_strcmp0(winner_guid(before), winner_guid(after)) != 0)
    return TRUE;
  return !same_holders(before->holders, after->holders);
}

static const GpRightResult *
pair_right(const Pair *pair, int side, const char *right)
{
  const GpRightResult *found = gp_result_find_right(pair->result[side], right);

  if (!found && pair->extra[side])
    found = gp_result_find_right(pair->extra[side], right);
  return found;
}

/* The rights of either side, before's order first. */
static GPtrArray *
pair_rights(const Pair *pair)
{
  GPtrArray *names = g_ptr_array_new();

  for (int side = BEFORE; side <= AFTER; side++)
    for (guint i = 0; pair->result[side] && i < pair->result[side]->rights->len; i++) {
      const GpRightResult *right = g_ptr_array_index(pair->result[side]->rights, i);
      if (!g_ptr_array_find_with_equal_func(names, right->right, g_str_equal, NULL))
        g_ptr_array_add(names, right->right);
    }
  return names;
}

static RightChange *
right_change_new(const char *right, const GpRightResult *before, const GpRightResult *after)
{
  RightChange *change = g_new0(RightChange, 1);

  change->right = g_strdup(right);
  change->side[BEFORE] = before;
  change->side[AFTER] = after;
  change->effective = after ? after->holders : NULL;
  if (before && after && before->source == GP_SOURCE_GPO && after->source != GP_SOURCE_GPO) {
    change->has_persistence = TRUE;
    change->persistence = gp_engine_persistence(before, after);
    if (change->persistence == GP_PERSIST_TATTOOED)
      change->effective = before->holders; /* nothing to revert to: the old list stays */
  }
  change->gained = holders_minus(change->effective, before ? before->holders : NULL);
  change->lost = holders_minus(before ? before->holders : NULL, change->effective);
  change->why = g_ptr_array_new_with_free_func(g_free);
  return change;
}

/* ------------------------------------------------------------ why: plan lines */

static gboolean
result_has_som(const GpResult *result, const char *dn)
{
  g_autofree char *key = dn ? gp_dn_normalize(dn) : NULL;

  for (guint i = 0; key && result && i < result->soms->len; i++) {
    g_autofree char *som = gp_dn_normalize(((const GpSom *)g_ptr_array_index(result->soms, i))->dn);
    if (strcmp(som, key) == 0)
      return TRUE;
  }
  return FALSE;
}

/* TRUE when the GPO @guid decides @right (at the SOM @som_dn, when given). */
static gboolean
wins(const GpRightResult *right, const char *guid, const char *som_dn)
{
  const GpGpoEntry *winner = right ? right->winner : NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (!winner || !guid || g_strcmp0(winner_guid(right), guid) != 0)
    return FALSE;
  if (!som_dn)
    return TRUE;
  a = gp_dn_normalize(winner->som->dn);
  b = gp_dn_normalize(som_dn);
  return strcmp(a, b) == 0;
}

/* Whether plan line @target bears on @change of @pair. */
static gboolean
target_relevant(const GpChangeTarget *target, const Pair *pair, const RightChange *change)
{
  const char *guid = target->gpo_guid;
  gboolean gpo = wins(change->side[BEFORE], guid, NULL) || wins(change->side[AFTER], guid, NULL);
  gboolean link = wins(change->side[BEFORE], guid, target->som_dn)
                  || wins(change->side[AFTER], guid, target->som_dn);

  switch (target->change->kind) {
  case GP_CHANGE_LINK:
  case GP_CHANGE_UNLINK:
  case GP_CHANGE_ENFORCE:
  case GP_CHANGE_UNENFORCE:
    return link;
  case GP_CHANGE_BLOCK:
  case GP_CHANGE_UNBLOCK:
    return result_has_som(pair->result[BEFORE], target->som_dn)
           || result_has_som(pair->result[AFTER], target->som_dn);
  case GP_CHANGE_SET:
  case GP_CHANGE_CLEAR:
    return gpo && g_ascii_strcasecmp(target->right, change->right) == 0;
  case GP_CHANGE_STATUS:
  case GP_CHANGE_NEW_GPO:
    return gpo;
  case GP_CHANGE_MOVE:
  case GP_CHANGE_ADD_GROUP:
    return pair->computer[AFTER] && target->computer_dn
           && g_ascii_strcasecmp(pair->computer[AFTER]->dn, target->computer_dn) == 0;
  }
  return FALSE;
}

static void
why_from_plan(const Report *report, const Pair *pair, RightChange *change)
{
  for (guint i = 0; i < report->targets->len; i++) {
    const GpChangeTarget *target = g_ptr_array_index(report->targets, i);
    if (target_relevant(target, pair, change))
      g_ptr_array_add(change->why, g_strdup_printf("%s:%u: %s", target->change->file,
                                                   target->change->line, target->change->text));
  }
  if (change->why->len == 0)
    g_ptr_array_add(change->why, g_strdup("no plan line names these GPOs or SOMs directly"));
}

/* ------------------------------------------------------------ why: data differences */

static const GpGpo *
find_gpo(const GpModel *model, const char *guid)
{
  g_autoptr(GPtrArray) found = gp_model_find_gpos_guid(model, guid);

  return found->len ? g_ptr_array_index(found, 0) : NULL;
}

static char *
gpo_name(const GpGpo *gpo)
{
  return g_strdup_printf("GPO '%s' %s", gpo->display_name ? gpo->display_name : "?", gpo->guid);
}

static const GpRightAssignment *
gpo_defines(const GpGpo *gpo, const char *right)
{
  return gpo && gpo->machine_template ? gp_security_template_lookup(gpo->machine_template, right)
                                      : NULL;
}

/* What differs in one GPO between the snapshots, for @right. */
static void
why_gpo(const Report *report, const char *guid, const char *right, GPtrArray *why)
{
  const GpGpo *old = find_gpo(report->data[BEFORE]->model, guid);
  const GpGpo *new = find_gpo(report->data[AFTER]->model, guid);
  const GpRightAssignment *a = gpo_defines(old, right);
  const GpRightAssignment *b = gpo_defines(new, right);
  g_autofree char *name = gpo_name(new ? new : old);

  if (!old || !new) {
    g_ptr_array_add(why, g_strdup_printf("%s is %s", name, old ? "gone from NEW" : "new in NEW"));
    return;
  }
  if ((old->flags & 3u) != (new->flags & 3u))
    g_ptr_array_add(
        why, g_strdup_printf("%s: status flags %u -> %u", name, old->flags & 3u, new->flags & 3u));
  if (!a != !b)
    g_ptr_array_add(
        why, g_strdup_printf("%s %s %s", name, a ? "no longer defines" : "now defines", right));
  else if (a && !same_holders(a->holders, b->holders))
    g_ptr_array_add(why, g_strdup_printf("%s: %s edited (%u -> %u holders)", name, right,
                                         a->holders->len, b->holders->len));
  if ((old->version_number & 0xFFFFu) != (new->version_number & 0xFFFFu))
    g_ptr_array_add(why,
                    g_strdup_printf("%s: computer version %u -> %u", name,
                                    old->version_number & 0xFFFFu, new->version_number & 0xFFFFu));
}

static char *
links_text(const GpSom *som)
{
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = 0; som && i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    g_string_append_printf(out, "%s%s;%u", i ? " " : "",
                           link->gpo_guid ? link->gpo_guid : link->gpo_dn, link->options);
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
why_som(const Report *report, const GpSom *som, GPtrArray *why)
{
  const GpSom *old = gp_model_find_som(report->data[BEFORE]->model, som->dn);
  const GpSom *new = gp_model_find_som(report->data[AFTER]->model, som->dn);
  g_autofree char *old_links = links_text(old);
  g_autofree char *new_links = links_text(new);
  guint old_block = old ? old->gp_options & GP_SOM_BLOCK_INHERITANCE : 0;
  guint new_block = new ? new->gp_options &GP_SOM_BLOCK_INHERITANCE : 0;

  if (strcmp(old_links, new_links) != 0)
    g_ptr_array_add(why,
                    g_strdup_printf("links at %s: [%s] -> [%s]", som->dn, old_links, new_links));
  if (old_block != new_block)
    g_ptr_array_add(why, g_strdup_printf("%s %s inheritance", som->dn,
                                         new_block ? "now blocks" : "no longer blocks"));
}

static void
add_guid(GPtrArray *guids, const GpRightResult *right)
{
  for (guint i = 0; right && i < right->definitions->len; i++) {
    const GpGpoEntry *entry
        = ((const GpDefinition *)g_ptr_array_index(right->definitions, i))->entry;
    const char *guid = entry->gpo ? entry->gpo->guid : entry->link->gpo_guid;
    if (guid && !g_ptr_array_find_with_equal_func(guids, guid, g_str_equal, NULL))
      g_ptr_array_add(guids, (gpointer)guid);
  }
}

static void
why_computer(const Pair *pair, GPtrArray *why)
{
  const GpComputer *old = pair->computer[BEFORE];
  const GpComputer *new = pair->computer[AFTER];

  if (old && new &&g_ascii_strcasecmp(old->dn, new->dn) != 0)
    g_ptr_array_add(why, g_strdup_printf("%s moved from %s to %s", new->cn, old->dn, new->dn));
  if (old && new && old->member_of->len != new->member_of->len)
    g_ptr_array_add(why, g_strdup_printf("%s: group memberships %u -> %u", new->cn,
                                         old->member_of->len, new->member_of->len));
}

static void
why_from_data(const Report *report, const Pair *pair, RightChange *change)
{
  g_autoptr(GPtrArray) guids = g_ptr_array_new();

  add_guid(guids, change->side[BEFORE]);
  add_guid(guids, change->side[AFTER]);
  for (guint i = 0; i < guids->len; i++)
    why_gpo(report, g_ptr_array_index(guids, i), change->right, change->why);
  for (int side = BEFORE; side <= AFTER; side++)
    for (guint i = 0; pair->result[side] && i < pair->result[side]->soms->len; i++)
      if (side == BEFORE
          || !result_has_som(pair->result[BEFORE],
                             ((const GpSom *)g_ptr_array_index(pair->result[side]->soms, i))->dn))
        why_som(report, g_ptr_array_index(pair->result[side]->soms, i), change->why);
  why_computer(pair, change->why);
  if (change->why->len == 0)
    g_ptr_array_add(change->why, g_strdup("the snapshots differ elsewhere (security filtering, "
                                          "WMI filters, sites, local policy...)"));
}

/* ------------------------------------------------------------ evaluating */

/* Resolves on @side the rights only the other side has (when the catalogue knows them). */
static gboolean
fill_missing(const Report *report, Pair *pair, int side, const GPtrArray *names, GError **error)
{
  const GpModel *model = report->data[side]->model;
  GpEngineOptions engine = gp_cli_engine_options(report->options[side], report->data[side]);
  g_autoptr(GPtrArray) missing = g_ptr_array_new();

  for (guint i = 0; i < names->len; i++) {
    const char *right = g_ptr_array_index(names, i);
    if (!gp_result_find_right(pair->result[side], right) && gp_model_lookup_right(model, right))
      g_ptr_array_add(missing, (gpointer)right);
  }
  if (missing->len == 0)
    return TRUE;
  g_ptr_array_add(missing, NULL);
  engine.rights = (const char *const *)missing->pdata;
  pair->extra[side] = gp_engine_evaluate(model, pair->computer[side], &engine, error);
  return pair->extra[side] != NULL;
}

static gboolean
evaluate_pair(const Report *report, Pair *pair, GError **error)
{
  g_autoptr(GPtrArray) names = NULL;

  for (int side = BEFORE; side <= AFTER; side++) {
    GpEngineOptions engine = gp_cli_engine_options(report->options[side], report->data[side]);
    pair->result[side]
        = gp_engine_evaluate(report->data[side]->model, pair->computer[side], &engine, error);
    if (!pair->result[side])
      return FALSE;
  }
  names = pair_rights(pair);
  if (!fill_missing(report, pair, BEFORE, names, error)
      || !fill_missing(report, pair, AFTER, names, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++) {
    const char *right = g_ptr_array_index(names, i);
    const GpRightResult *before = pair_right(pair, BEFORE, right);
    const GpRightResult *after = pair_right(pair, AFTER, right);
    RightChange *change;
    if (!right_changed(before, after))
      continue;
    change = right_change_new(right, before, after);
    if (report->diff)
      why_from_data(report, pair, change);
    else
      why_from_plan(report, pair, change);
    g_ptr_array_add(pair->changes, change);
  }
  return TRUE;
}

static Pair *
pair_new(GpComputer *before, GpComputer *after)
{
  Pair *pair = g_new0(Pair, 1);

  pair->computer[BEFORE] = before;
  pair->computer[AFTER] = after;
  pair->changes = g_ptr_array_new_with_free_func((GDestroyNotify)right_change_free);
  return pair;
}

/* ------------------------------------------------------------ choosing computers */

static void
add_hypothetical(Report *report, const char *container_dn)
{
  g_autofree char *dn = g_strdup_printf("CN=%s,%s", HYPOTHETICAL_CN, container_dn);

  for (int side = BEFORE; side <= AFTER; side++)
    gp_model_ensure_computer(report->data[side]->model, dn);
}

/* Data without computers (reports, backups): one hypothetical computer per OU
 * and one in each domain's CN=Computers, in both models. */
static void
add_hypotheticals(Report *report)
{
  for (int side = BEFORE; side <= AFTER; side++) {
    const GPtrArray *soms = gp_model_soms(report->data[side]->model);
    for (guint i = 0; i < soms->len; i++) {
      const GpSom *som = g_ptr_array_index(soms, i);
      g_autofree char *computers = g_strdup_printf("CN=Computers,%s", som->dn);
      if (som->kind != GP_SOM_SITE)
        add_hypothetical(report, som->kind == GP_SOM_OU ? som->dn : computers);
    }
  }
  report->hypothetical = TRUE;
  g_ptr_array_add(report->notes,
                  g_strdup("the data holds no computers: one hypothetical computer is evaluated "
                           "per OU (\"CN=" HYPOTHETICAL_CN ",<OU>\") and per domain (in its "
                           "CN=Computers container)"));
}

static gboolean
has_computers(const Report *report)
{
  return gp_model_computers(report->data[BEFORE]->model)->len > 0
         || gp_model_computers(report->data[AFTER]->model)->len > 0;
}

/* The computer of the other snapshot: same SID, else same DN, else same cn. */
static GpComputer *
find_partner(const GpModel *model, const GpComputer *computer)
{
  const GPtrArray *computers = gp_model_computers(model);
  GpComputer *by_dn = NULL, *by_cn = NULL;

  for (guint i = 0; i < computers->len; i++) {
    GpComputer *other = g_ptr_array_index(computers, i);
    if (computer->sid && other->sid && g_ascii_strcasecmp(computer->sid, other->sid) == 0)
      return other;
    if (!by_dn && g_ascii_strcasecmp(computer->dn, other->dn) == 0)
      by_dn = other;
    if (!by_cn && computer->cn && other->cn && g_ascii_strcasecmp(computer->cn, other->cn) == 0)
      by_cn = other;
  }
  return by_dn ? by_dn : by_cn;
}

static void
pair_all_diff(Report *report)
{
  const GPtrArray *old = gp_model_computers(report->data[BEFORE]->model);
  const GPtrArray *new = gp_model_computers(report->data[AFTER]->model);
  g_autoptr(GHashTable) paired = g_hash_table_new(NULL, NULL);

  for (guint i = 0; i < old->len; i++) {
    GpComputer *computer = g_ptr_array_index(old, i);
    GpComputer *partner = find_partner(report->data[AFTER]->model, computer);
    if (!partner || g_hash_table_contains(paired, partner)) {
      g_ptr_array_add(report->only[BEFORE], g_strdup(computer->dn));
      continue;
    }
    g_hash_table_add(paired, partner);
    g_ptr_array_add(report->pairs, pair_new(computer, partner));
  }
  for (guint i = 0; i < new->len; i++)
    if (!g_hash_table_contains(paired, g_ptr_array_index(new, i)))
      g_ptr_array_add(report->only[AFTER], g_strdup(((GpComputer *)g_ptr_array_index(new, i))->dn));
}

/* whatif: both models were loaded from the same data, so the computers line up. */
static gboolean
pair_all_whatif(Report *report)
{
  const GPtrArray *before = gp_model_computers(report->data[BEFORE]->model);
  const GPtrArray *after = gp_model_computers(report->data[AFTER]->model);

  if (before->len != after->len)
    return FALSE;
  for (guint i = 0; i < before->len; i++)
    g_ptr_array_add(report->pairs,
                    pair_new(g_ptr_array_index(before, i), g_ptr_array_index(after, i)));
  return TRUE;
}

/* --computer: found in the before data (or modeled there with --ou), then its partner. */
static int
pair_one(Report *report)
{
  GpCliData *before = report->data[BEFORE];
  guint count = gp_model_computers(before->model)->len;
  GpComputer *computer = (GpComputer *)gp_cli_find_computer(before, report->options[BEFORE]);
  GpComputer *partner;

  if (!computer)
    return GP_EXIT_USAGE;
  if (gp_model_computers(before->model)->len > count)
    gp_model_ensure_computer(report->data[AFTER]->model, computer->dn); /* modeled with --ou */
  if (report->diff) {
    partner = find_partner(report->data[AFTER]->model, computer);
  } else {
    guint index = 0;
    g_ptr_array_find((GPtrArray *)gp_model_computers(before->model), computer, &index);
    partner = g_ptr_array_index(gp_model_computers(report->data[AFTER]->model), index);
  }
  if (!partner)
    return gp_cli_fail(GP_EXIT_USAGE, "the computer is not in NEW");
  g_ptr_array_add(report->pairs, pair_new(computer, partner));
  return GP_EXIT_OK;
}

static int
choose_computers(Report *report)
{
  const GpCliOptions *options = report->options[BEFORE];

  if (options->computer && options->all)
    return gp_cli_fail(GP_EXIT_USAGE, "give --computer NAME or --all, not both");
  if (options->computer)
    return pair_one(report);
  if (!has_computers(report))
    add_hypotheticals(report);
  if (report->diff) {
    pair_all_diff(report);
    return GP_EXIT_OK;
  }
  if (!pair_all_whatif(report))
    return gp_cli_fail(GP_EXIT_INTERNAL, "the two models do not hold the same computers");
  return GP_EXIT_OK;
}

static int
evaluate_all(Report *report)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < report->pairs->len; i++)
    if (!evaluate_pair(report, g_ptr_array_index(report->pairs, i), &error))
      return gp_cli_fail(GP_EXIT_USAGE, error->message);
  return GP_EXIT_OK;
}

/* ------------------------------------------------------------ summary */

typedef struct {
  guint evaluated;
  guint changed;
  GPtrArray *rights;  /* char* (borrowed), first seen first */
  GHashTable *counts; /* right -> GPtrArray of computer names (borrowed) */
} Summary;

static void
summary_clear(Summary *summary)
{
  g_ptr_array_unref(summary->rights);
  g_hash_table_unref(summary->counts);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Summary, summary_clear)

static const char *
pair_name(const Pair *pair)
{
  const GpComputer *computer
      = pair->computer[AFTER] ? pair->computer[AFTER] : pair->computer[BEFORE];

  return g_strcmp0(computer->cn, HYPOTHETICAL_CN) == 0 ? computer->dn : computer->cn;
}

static void
summarize(const Report *report, Summary *summary)
{
  summary->rights = g_ptr_array_new();
  summary->counts
      = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  summary->evaluated = report->pairs->len;
  for (guint i = 0; i < report->pairs->len; i++) {
    const Pair *pair = g_ptr_array_index(report->pairs, i);
    summary->changed += pair->changes->len > 0;
    for (guint c = 0; c < pair->changes->len; c++) {
      const RightChange *change = g_ptr_array_index(pair->changes, c);
      GPtrArray *names = g_hash_table_lookup(summary->counts, change->right);
      if (!names) {
        names = g_ptr_array_new();
        g_ptr_array_add(summary->rights, change->right);
        g_hash_table_insert(summary->counts, change->right, names);
      }
      g_ptr_array_add(names, (gpointer)pair_name(pair));
    }
  }
}

/* ------------------------------------------------------------ text */

static const char *
role_default_label(GpRole role)
{
  switch (role) {
  case GP_ROLE_DOMAIN_CONTROLLER:
    return "the domain-controller default";
  case GP_ROLE_CLIENT:
    return "the client default";
  case GP_ROLE_STANDALONE:
    return "the stand-alone default";
  default:
    return "the member-server default";
  }
}

static void
text_decider(GString *out, const GpRightResult *right, const GpResult *result)
{
  const GpGpoEntry *winner = right ? right->winner : NULL;

  if (!right)
    g_string_append(out, "not resolved (the right is outside the catalogue)");
  else if (winner)
    g_string_append_printf(out, "GPO '%s' linked at %s (link order %u)",
                           winner->gpo && winner->gpo->display_name ? winner->gpo->display_name
                                                                    : winner_guid(right),
                           winner->som->dn, winner->link->link_order);
  else if (right->defined_nowhere)
    g_string_append(out, "defined nowhere: no GPO and no local value");
  else if (right->source == GP_SOURCE_LOCAL)
    g_string_append(out, "no GPO: the local policy (--local)");
  else
    g_string_append_printf(out, "no GPO: %s", role_default_label(result->role));
}

/* What decides @change on @side: the winner, or the tattooed list after. */
static void
side_decider(GString *out, const Pair *pair, int side, const RightChange *change)
{
  if (side == AFTER && change->has_persistence && change->persistence == GP_PERSIST_TATTOOED)
    g_string_append(out, "no GPO and no local value: the last list stays (tattooed)");
  else
    text_decider(out, change->side[side], pair->result[side]);
}

static void
text_side(GString *out, const char *label, const Pair *pair, int side, const RightChange *change)
{
  const GpRightResult *right = change->side[side];

  g_string_append_printf(out, "    %-8s", label);
  side_decider(out, pair, side, change);
  g_string_append(out, "\n            ");
  append_holders(out, side == AFTER ? change->effective : (right ? right->holders : NULL));
  g_string_append_c(out, '\n');
}

static void
text_persistence(GString *out, const Pair *pair, const RightChange *change)
{
  if (!change->has_persistence)
    return;
  if (change->persistence == GP_PERSIST_REVERTED_TO_LOCAL) {
    g_string_append_printf(out,
                           "    persistence: reverted-to-local: no GPO defines it any more, so "
                           "the computer goes back to the local value (%s)\n",
                           change->side[AFTER]->local_source == GP_SOURCE_LOCAL
                               ? "the local policy"
                               : role_default_label(pair->result[AFTER]->role));
    return;
  }
  g_string_append(out, "    persistence: tattooed: no GPO defines it any more and the local "
                       "layer has no value to revert to, so the list last applied stays in "
                       "force until something defines the right again: ");
  append_holders(out, change->effective);
  g_string_append_c(out, '\n');
}

static void
text_holder_delta(GString *out, const char *label, const GPtrArray *holders)
{
  if (holders->len == 0)
    return;
  g_string_append_printf(out, "    %-8s", label);
  append_holders(out, holders);
  g_string_append_c(out, '\n');
}

static void
text_change(GString *out, const Pair *pair, const RightChange *change)
{
  const GpRightResult *any = change->side[AFTER] ? change->side[AFTER] : change->side[BEFORE];

  g_string_append_printf(out, "  %s", change->right);
  if (any && any->info && any->info->display_name)
    g_string_append_printf(out, " (%s)", any->info->display_name);
  g_string_append_c(out, '\n');
  text_side(out, "before", pair, BEFORE, change);
  text_side(out, "after", pair, AFTER, change);
  text_persistence(out, pair, change);
  text_holder_delta(out, "gains", change->gained);
  text_holder_delta(out, "loses", change->lost);
  for (guint i = 0; i < change->why->len; i++)
    g_string_append_printf(out, "    %-8s%s\n", i ? "" : "why",
                           (char *)g_ptr_array_index(change->why, i));
}

static void
text_pair(GString *out, const Pair *pair)
{
  const GpComputer *before = pair->computer[BEFORE];
  const GpComputer *after = pair->computer[AFTER];

  g_string_append_printf(out, "%s  %s", pair_name(pair), after->dn);
  if (g_ascii_strcasecmp(before->dn, after->dn) != 0)
    g_string_append_printf(out, " (was %s)", before->dn);
  g_string_append_c(out, '\n');
  for (guint i = 0; i < pair->changes->len; i++)
    text_change(out, pair, g_ptr_array_index(pair->changes, i));
  g_string_append_c(out, '\n');
}

static void
text_header(GString *out, const Report *report)
{
  if (report->diff) {
    g_string_append_printf(out, "Diff: %s -> %s\n", report->labels[BEFORE], report->labels[AFTER]);
  } else {
    g_string_append_printf(out, "What if: %s (%u change%s)\n", report->labels[BEFORE],
                           report->plan->changes->len, report->plan->changes->len == 1 ? "" : "s");
    for (guint i = 0; i < report->applied->len; i++)
      g_string_append_printf(out, "  %s\n", (char *)g_ptr_array_index(report->applied, i));
  }
  for (guint i = 0; i < report->notes->len; i++)
    g_string_append_printf(out, "Note: %s\n", (char *)g_ptr_array_index(report->notes, i));
  for (int side = BEFORE; side <= AFTER; side++)
    for (guint i = 0; i < report->only[side]->len; i++)
      g_string_append_printf(out, "Note: %s is only in %s\n",
                             (char *)g_ptr_array_index(report->only[side], i),
                             side == BEFORE ? "OLD" : "NEW");
  g_string_append_c(out, '\n');
}

static void
text_summary(GString *out, const Report *report, const Summary *summary)
{
  g_string_append_printf(out, "Summary: %u of %u computer%s change%s\n", summary->changed,
                         summary->evaluated, summary->evaluated == 1 ? "" : "s",
                         summary->changed == 1 ? "s" : "");
  for (guint i = 0; i < summary->rights->len; i++) {
    const char *right = g_ptr_array_index(summary->rights, i);
    const GPtrArray *names = g_hash_table_lookup(summary->counts, right);
    g_string_append_printf(out, "  %-40s %3u  ", right, names->len);
    for (guint n = 0; n < names->len; n++)
      g_string_append_printf(out, "%s%s", n ? ", " : "", (char *)g_ptr_array_index(names, n));
    g_string_append_c(out, '\n');
  }
  if (summary->changed && !report->diff)
    g_string_append(out, "Changes take effect at the next Group Policy refresh (90 to 120 "
                         "minutes, 5 on domain controllers, or gpupdate) and show in tokens "
                         "after a new logon or service start.\n");
}

static void
render_text(const Report *report, GString *out)
{
  g_auto(Summary) summary = { 0 };

  summarize(report, &summary);
  text_header(out, report);
  if (summary.changed == 0)
    g_string_append(out, "No computer's result changes.\n\n");
  for (guint i = 0; i < report->pairs->len; i++) {
    const Pair *pair = g_ptr_array_index(report->pairs, i);
    if (pair->changes->len)
      text_pair(out, pair);
  }
  text_summary(out, report, &summary);
}

/* ------------------------------------------------------------ JSON */

static void
json_right(JsonBuilder *b, const char *member, const GpModel *model, const GpRightResult *right)
{
  json_builder_set_member_name(b, member);
  if (right)
    gp_render_json_add_right(b, model, right);
  else
    json_builder_add_null_value(b);
}

static void
json_change(JsonBuilder *b, const Report *report, const Pair *pair, const RightChange *change)
{
  json_builder_begin_object(b);
  gp_render_json_add_computer(b, pair->result[AFTER]);
  gp_json_add_string(b, "right", change->right);
  json_right(b, "before", report->data[BEFORE]->model, change->side[BEFORE]);
  json_right(b, "after", report->data[AFTER]->model, change->side[AFTER]);
  gp_json_add_string(b, "persistence",
                     change->has_persistence && change->persistence != GP_PERSIST_NEXT_GPO
                         ? gp_persistence_to_string(change->persistence)
                         : NULL);
  gp_json_add_holders(b, "effective_holders", change->effective);
  gp_json_add_holders(b, "gained", change->gained);
  gp_json_add_holders(b, "lost", change->lost);
  gp_json_add_strings(b, "why", change->why);
  json_builder_end_object(b);
}

/* Every note of @applied that belongs to @change ("FILE:LINE: ..."). */
static void
json_plan_change(JsonBuilder *b, const Report *report, const GpChange *change)
{
  g_autofree char *prefix = g_strdup_printf("%s:%u: ", change->file, change->line);
  g_autoptr(GPtrArray) notes = g_ptr_array_new();

  for (guint i = 0; i < report->applied->len; i++)
    if (g_str_has_prefix(g_ptr_array_index(report->applied, i), prefix))
      g_ptr_array_add(notes, (char *)g_ptr_array_index(report->applied, i) + strlen(prefix));
  json_builder_begin_object(b);
  gp_json_add_string(b, "file", change->file);
  json_builder_set_member_name(b, "line");
  json_builder_add_int_value(b, change->line);
  gp_json_add_string(b, "change", gp_change_kind_to_string(change->kind));
  gp_json_add_string(b, "text", change->text);
  gp_json_add_strings(b, "applied", notes);
  json_builder_end_object(b);
}

static void
json_summary(JsonBuilder *b, const Summary *summary)
{
  json_builder_set_member_name(b, "summary");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "computers_evaluated");
  json_builder_add_int_value(b, summary->evaluated);
  json_builder_set_member_name(b, "computers_changed");
  json_builder_add_int_value(b, summary->changed);
  json_builder_set_member_name(b, "by_right");
  json_builder_begin_object(b);
  for (guint i = 0; i < summary->rights->len; i++) {
    const char *right = g_ptr_array_index(summary->rights, i);
    json_builder_set_member_name(b, right);
    json_builder_add_int_value(b, ((GPtrArray *)g_hash_table_lookup(summary->counts, right))->len);
  }
  json_builder_end_object(b);
  json_builder_end_object(b);
}

static void
json_body(JsonBuilder *b, const Report *report)
{
  json_builder_set_member_name(b, "plan");
  json_builder_begin_array(b);
  for (guint i = 0; report->plan && i < report->plan->changes->len; i++)
    json_plan_change(b, report, g_ptr_array_index(report->plan->changes, i));
  json_builder_end_array(b);
  json_builder_set_member_name(b, "changed");
  json_builder_begin_array(b);
  for (guint i = 0; i < report->pairs->len; i++) {
    const Pair *pair = g_ptr_array_index(report->pairs, i);
    for (guint c = 0; c < pair->changes->len; c++)
      json_change(b, report, pair, g_ptr_array_index(pair->changes, c));
  }
  json_builder_end_array(b);
}

static void
render_json(const Report *report, GString *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) generator = json_generator_new();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_auto(Summary) summary = { 0 };

  summarize(report, &summary);
  json_builder_begin_object(b);
  gp_json_add_string(b, "schema", report->diff ? "gpsim.diff/1" : "gpsim.whatif/1");
  if (report->diff) {
    gp_json_add_string(b, "old", report->labels[BEFORE]);
    gp_json_add_string(b, "new", report->labels[AFTER]);
    gp_json_add_strings(b, "only_in_old", report->only[BEFORE]);
    gp_json_add_strings(b, "only_in_new", report->only[AFTER]);
  }
  json_body(b, report);
  json_summary(b, &summary);
  json_builder_set_member_name(b, "hypothetical_computers");
  json_builder_add_boolean_value(b, report->hypothetical);
  gp_json_add_strings(b, "notes", report->notes);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(generator, root);
  json_generator_set_pretty(generator, TRUE);
  text = json_generator_to_data(generator, NULL);
  g_string_append_printf(out, "%s\n", text);
}

/* ------------------------------------------------------------ HTML */

#define H gp_render_html_element

static void
html_holders_line(xmlNodePtr parent, const char *cls, const char *label, const GPtrArray *holders)
{
  g_autoptr(GString) text = g_string_new(label);

  if (holders->len == 0)
    return;
  append_holders(text, holders);
  H(parent, "p", cls, text->str);
}

static void
html_side(xmlNodePtr sides, const char *label, const Pair *pair, int side,
          const RightChange *change)
{
  xmlNodePtr div = H(sides, "div", side == BEFORE ? "side before" : "side after", NULL);
  g_autoptr(GString) decider = g_string_new("Winner: ");
  const GpRightResult *right = change->side[side];

  H(div, "h4", NULL, label);
  side_decider(decider, pair, side, change);
  H(div, "p", "decider", decider->str);
  gp_render_html_add_holders(div,
                             side == AFTER ? change->effective : (right ? right->holders : NULL));
}

static void
html_change(xmlNodePtr parent, const Pair *pair, const RightChange *change)
{
  const GpRightResult *any = change->side[AFTER] ? change->side[AFTER] : change->side[BEFORE];
  xmlNodePtr div = H(parent, "div", "change", NULL);
  g_autoptr(GString) persistence = g_string_new(NULL);
  xmlNodePtr sides, why;

  if (any && any->info && any->info->display_name) {
    g_autofree char *title = g_strdup_printf("%s (%s)", change->right, any->info->display_name);
    H(div, "h3", NULL, title);
  } else {
    H(div, "h3", NULL, change->right);
  }
  sides = H(div, "div", "sides", NULL);
  html_side(sides, "Before", pair, BEFORE, change);
  html_side(sides, "After", pair, AFTER, change);
  text_persistence(persistence, pair, change);
  if (persistence->len)
    H(div, "p", "persistence", g_strstrip(persistence->str));
  html_holders_line(div, "gained", "gains: ", change->gained);
  html_holders_line(div, "lost", "loses: ", change->lost);
  why = change->why->len ? H(div, "ul", "why", NULL) : NULL;
  for (guint i = 0; i < change->why->len; i++)
    H(why, "li", NULL, g_ptr_array_index(change->why, i));
}

static void
html_pair(xmlNodePtr body, const Pair *pair)
{
  xmlNodePtr div = H(body, "div", "pair result", NULL);
  xmlNodePtr h2 = H(div, "h2", NULL, NULL);
  const GpComputer *before = pair->computer[BEFORE];
  const GpComputer *after = pair->computer[AFTER];

  H(h2, "span", "computer", pair_name(pair));
  H(div, "p", "sub", after->dn);
  if (g_ascii_strcasecmp(before->dn, after->dn) != 0) {
    g_autofree char *was = g_strdup_printf("was %s", before->dn);
    H(div, "p", "sub", was);
  }
  for (guint i = 0; i < pair->changes->len; i++)
    html_change(div, pair, g_ptr_array_index(pair->changes, i));
}

static void
html_notes(xmlNodePtr body, const Report *report)
{
  xmlNodePtr ul;

  if (report->notes->len + report->only[BEFORE]->len + report->only[AFTER]->len == 0)
    return;
  ul = H(body, "ul", "notes", NULL);
  for (guint i = 0; i < report->notes->len; i++)
    H(ul, "li", "note", g_ptr_array_index(report->notes, i));
  for (int side = BEFORE; side <= AFTER; side++)
    for (guint i = 0; i < report->only[side]->len; i++) {
      g_autofree char *text
          = g_strdup_printf("%s is only in %s", (char *)g_ptr_array_index(report->only[side], i),
                            side == BEFORE ? "OLD" : "NEW");
      H(ul, "li", "note", text);
    }
}

static void
html_header(xmlNodePtr body, const Report *report)
{
  g_autofree char *title
      = report->diff
            ? g_strdup_printf("Diff: %s -> %s", report->labels[BEFORE], report->labels[AFTER])
            : g_strdup_printf("What if: %s (%u change%s)", report->labels[BEFORE],
                              report->plan->changes->len,
                              report->plan->changes->len == 1 ? "" : "s");
  xmlNodePtr plan;

  H(body, "h1", NULL, title);
  H(body, "p", "sub",
    "Every computer evaluated before and after, offline by gpsim; only the rights whose "
    "winner or holders change are shown.");
  if (!report->diff) {
    H(body, "h2", NULL, "Plan");
    plan = H(body, "ul", "plan", NULL);
    for (guint i = 0; i < report->plan->changes->len; i++) {
      const GpChange *change = g_ptr_array_index(report->plan->changes, i);
      g_autofree char *line
          = g_strdup_printf("%s:%u: %s", change->file, change->line, change->text);
      H(plan, "li", "plan-line", line);
    }
    plan = H(body, "ul", "applied", NULL);
    for (guint i = 0; i < report->applied->len; i++)
      H(plan, "li", NULL, g_ptr_array_index(report->applied, i));
  }
  html_notes(body, report);
}

static void
html_summary(xmlNodePtr body, const Summary *summary)
{
  static const char *const heads[] = { "right", "computers", "which" };
  g_autofree char *line
      = g_strdup_printf("%u of %u computer%s change%s", summary->changed, summary->evaluated,
                        summary->evaluated == 1 ? "" : "s", summary->changed == 1 ? "s" : "");
  xmlNodePtr table;

  H(body, "h2", NULL, "Summary");
  H(body, "p", "verdict", line);
  table = H(body, "table", "summary", NULL);
  gp_render_html_row(table, TRUE, heads, G_N_ELEMENTS(heads));
  for (guint i = 0; i < summary->rights->len; i++) {
    const char *right = g_ptr_array_index(summary->rights, i);
    const GPtrArray *names = g_hash_table_lookup(summary->counts, right);
    g_autofree char *count = g_strdup_printf("%u", names->len);
    g_autoptr(GString) which = g_string_new(NULL);
    for (guint n = 0; n < names->len; n++)
      g_string_append_printf(which, "%s%s", n ? ", " : "", (char *)g_ptr_array_index(names, n));
    gp_render_html_row(table, FALSE, (const char *const[]){ right, count, which->str }, 3);
  }
}

static void
render_html(const Report *report, GString *out)
{
  g_auto(Summary) summary = { 0 };
  xmlNodePtr body = NULL;
  xmlDocPtr doc = gp_render_html_page_new(report->diff ? "gpsim diff" : "gpsim what if", &body);
  g_autofree char *text = NULL;

  summarize(report, &summary);
  html_header(body, report);
  html_summary(body, &summary);
  for (guint i = 0; i < report->pairs->len; i++) {
    const Pair *pair = g_ptr_array_index(report->pairs, i);
    if (pair->changes->len)
      html_pair(body, pair);
  }
  H(body, "p", "footer", "gpsim " GP_VERSION);
  text = gp_render_html_page_dump(doc);
  xmlFreeDoc(doc);
  g_string_append(out, text);
}

#undef H

/* Evaluates, compares and prints; common to whatif and diff. */
static int
run_report(Report *report)
{
  g_autoptr(GString) out = g_string_new(NULL);
  int status;

  if ((status = choose_computers(report)) != GP_EXIT_OK
      || (status = evaluate_all(report)) != GP_EXIT_OK)
    return status;
  if (g_strcmp0(report->options[BEFORE]->format, "json") == 0)
    render_json(report, out);
  else if (g_strcmp0(report->options[BEFORE]->format, "html") == 0)
    render_html(report, out);
  else
    render_text(report, out);
  return gp_cli_emit(report->options[BEFORE], out);
}

/* ------------------------------------------------------------ whatif */

static int
read_plan(Report *report, const GpCliOptions *options, char **positionals)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *changes = NULL;

  report->plan = gp_plan_new();
  if (positionals[0] && positionals[1])
    return gp_cli_fail(GP_EXIT_USAGE, "whatif takes one PLAN file (and --change lines)");
  if (!positionals[0] && !options->changes)
    return gp_cli_fail(GP_EXIT_USAGE, "whatif needs a PLAN file or --change \"...\" (see "
                                      "'gpsim whatif --help')");
  if (positionals[0] && !g_file_get_contents(positionals[0], &text, NULL, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  if (text && !gp_plan_parse_append(report->plan, text, positionals[0], &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  /* each --change is a line of its own plan, numbered in the order given */
  changes = options->changes ? g_strjoinv("\n", options->changes) : NULL;
  if (changes && !gp_plan_parse_append(report->plan, changes, CHANGE_LABEL, &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  report->labels[BEFORE] = positionals[0] ? positionals[0] : CHANGE_LABEL;
  return GP_EXIT_OK;
}

/* The after data: loaded like the before data, its warnings already printed once. */
static int
load_after(const GpCliOptions *options, GpCliData *data)
{
  g_autoptr(GError) error = NULL;

  if (!gp_cli_load(options, data, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  if (!gp_cli_resolve_modeling(options, data, &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  return GP_EXIT_OK;
}

static int
apply_plan(Report *report)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gp_plan_apply_with_targets(report->plan, report->data[AFTER]->model, report->applied,
                                 report->targets, &error))
    return GP_EXIT_OK;
  message = g_strdup_printf("%s; the plan was not applied (nothing changed)", error->message);
  return gp_cli_fail(GP_EXIT_USAGE, message);
}

int
gp_cmd_whatif(GpCliOptions *options, char **positionals)
{
  g_auto(Report) report = { 0 };
  g_auto(GpCliData) before = { 0 };
  g_auto(GpCliData) after = { 0 };
  int status;

  report_init(&report, FALSE);
  if (!gp_cli_check_format_html(options, "whatif"))
    return GP_EXIT_USAGE;
  if ((status = read_plan(&report, options, positionals)) != GP_EXIT_OK)
    return status;
  if ((status = gp_cli_load_data(options, &before)) != GP_EXIT_OK
      || (status = load_after(options, &after)) != GP_EXIT_OK)
    return status;
  report.options[BEFORE] = report.options[AFTER] = options;
  report.data[BEFORE] = &before;
  report.data[AFTER] = &after;
  if ((status = apply_plan(&report)) != GP_EXIT_OK)
    return status;
  return run_report(&report);
}

/* ------------------------------------------------------------ diff */

/* The data options of one snapshot: the user's modeling options with one source. */
typedef struct {
  GpCliOptions options; /* shallow copy: borrows the user's strings */
  GStrv ldif;
  GStrv sysvol;
  GStrv input;
} Snapshot;

static void
snapshot_clear(Snapshot *snapshot)
{
  g_strfreev(snapshot->ldif);
  g_strfreev(snapshot->sysvol);
  g_strfreev(snapshot->input);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Snapshot, snapshot_clear)

static GStrv
strv_from(GPtrArray *strings)
{
  g_ptr_array_add(strings, NULL);
  return (GStrv)g_ptr_array_free(strings, FALSE);
}

/* A folder of *.ldif with a sysvol/ folder (the bundled labs, `gpsim snapshot`)
 * loads as LDIF + SYSVOL; anything else is recognised like --input. */
static void
snapshot_init(Snapshot *snapshot, const GpCliOptions *user, const char *path)
{
  g_autoptr(GDir) dir = g_file_test(path, G_FILE_TEST_IS_DIR) ? g_dir_open(path, 0, NULL) : NULL;
  GPtrArray *ldifs = g_ptr_array_new();
  g_autofree char *sysvol = g_build_filename(path, "sysvol", NULL);
  const char *name;

  while (dir && (name = g_dir_read_name(dir)))
    if (g_str_has_suffix(name, ".ldif"))
      g_ptr_array_add(ldifs, g_build_filename(path, name, NULL));
  g_ptr_array_sort(ldifs, (GCompareFunc)g_strcmp0);
  snapshot->options = *user;
  snapshot->options.input = snapshot->options.gpreport = snapshot->options.backup = NULL;
  snapshot->options.gpinheritance = NULL;
  snapshot->options.rsop = NULL;
  if (ldifs->len == 0) {
    g_ptr_array_unref(ldifs);
    snapshot->input = g_new0(char *, 2);
    snapshot->input[0] = g_strdup(path);
  } else {
    snapshot->ldif = strv_from(ldifs);
    if (g_file_test(sysvol, G_FILE_TEST_IS_DIR)) {
      snapshot->sysvol = g_new0(char *, 2);
      snapshot->sysvol[0] = g_steal_pointer(&sysvol);
    }
  }
  snapshot->options.ldif = snapshot->ldif;
  snapshot->options.sysvol = snapshot->sysvol;
  snapshot->options.input = snapshot->input;
}

static int
check_diff_usage(const GpCliOptions *options, char **positionals)
{
  if (!positionals[0] || !positionals[1] || positionals[2])
    return gp_cli_fail(GP_EXIT_USAGE, "diff takes two snapshots: gpsim diff OLD NEW");
  if (options->ldif || options->sysvol || options->input || options->gpreport || options->backup
      || options->gpinheritance || options->rsop)
    return gp_cli_fail(GP_EXIT_USAGE, "diff reads its data from OLD and NEW; give no --ldif, "
                                      "--sysvol, --input... options");
  if (options->changes)
    return gp_cli_fail(GP_EXIT_USAGE, "diff takes no --change (see 'gpsim whatif')");
  return gp_cli_check_format_html(options, "diff") ? GP_EXIT_OK : GP_EXIT_USAGE;
}

int
gp_cmd_diff(GpCliOptions *options, char **positionals)
{
  g_auto(Report) report = { 0 };
  g_auto(Snapshot) old = { 0 };
  g_auto(Snapshot) new = { 0 };
  g_auto(GpCliData) before = { 0 };
  g_auto(GpCliData) after = { 0 };
  int status;

  report_init(&report, TRUE);
  if ((status = check_diff_usage(options, positionals)) != GP_EXIT_OK)
    return status;
  snapshot_init(&old, options, positionals[0]);
  snapshot_init(&new, options, positionals[1]);
  if ((status = gp_cli_load_data(&old.options, &before)) != GP_EXIT_OK
      || (status = gp_cli_load_data(&new.options, &after)) != GP_EXIT_OK)
    return status;
  report.options[BEFORE] = &old.options;
  report.options[AFTER] = &new.options;
  report.data[BEFORE] = &before;
  report.data[AFTER] = &after;
  report.labels[BEFORE] = positionals[0];
  report.labels[AFTER] = positionals[1];
  return run_report(&report);
}
