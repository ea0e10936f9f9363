/* gp-verify.c - gp_engine_verify(): the simulation against what a client recorded.
 *
 * Two comparisons, each mismatch carrying its likely causes, most likely first:
 *  - the applied GPOs in precedence order, by GUID, the local GPO left out: one
 *    mismatch for the first difference (a GPO missing, one too many, or the
 *    order);
 *  - every right the client recorded a winner for (Precedence 1): gpsim's
 *    winner, then the holders as sets; and every right a GPO decides in gpsim
 *    that the client did not record.
 * Any part of the record or the result may be missing: what cannot be
 * compared goes to the notes.
 */
#include <string.h>

#include "gp-engine-private.h"
#include "gp-names.h"

#define LOCAL_GPO_ID "LocalGPO"

#define CAUSE_WMI          "WMI filter value differs from the modeling assumption (--wmi)"
#define CAUSE_GROUPS       "security group membership at logon differs (--add-group)"
#define CAUSE_MISSING_DATA "the GPO or its link is missing from the data"
#define CAUSE_BLOCK        "block inheritance differs between the data and the client (gPOptions)"
#define CAUSE_LOCAL        "local changes or a GPO applied since (secpol.msc)"
#define CAUSE_NAMES        "names that could not be matched: check the principal directory"
#define CAUSE_ORDER        "link order or enforcement changed since the client's last refresh (export age)"
#define CAUSE_NOT_LISTED                                                                           \
  "the client's list does not have it: links changed since its last refresh (export age), or "     \
  "the computer's OU or site differ (--ou, --site)"

typedef struct {
  const GpModel *model; /* (nullable) */
  const GpResult *result;
  const GpRsop *rsop;
  GpVerifyResult *out;
} Verify;

/* ------------------------------------------------------------- lifetimes */

static void
mismatch_free(GpMismatch *mismatch)
{
  g_free(mismatch->right);
  g_free(mismatch->expected);
  g_free(mismatch->actual);
  g_ptr_array_unref(mismatch->likely_causes);
  g_free(mismatch);
}

void
gp_verify_result_free(GpVerifyResult *verify)
{
  if (!verify)
    return;
  g_ptr_array_unref(verify->mismatches);
  g_ptr_array_unref(verify->notes);
  g_free(verify);
}

/* Takes ownership of @expected and @actual.  Returns: (transfer none) */
static GpMismatch *
add_mismatch(const Verify *v, GpMismatchKind kind, const char *right, char *expected, char *actual)
{
  GpMismatch *mismatch = g_new0(GpMismatch, 1);

  mismatch->kind = kind;
  mismatch->right = g_strdup(right);
  mismatch->expected = expected;
  mismatch->actual = actual;
  mismatch->likely_causes = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(v->out->mismatches, mismatch);
  return mismatch;
}

/* Takes ownership of @cause; a cause already listed is not repeated. */
static void
add_cause(GPtrArray *causes, char *cause)
{
  for (guint i = 0; i < causes->len; i++) {
    if (strcmp(g_ptr_array_index(causes, i), cause) == 0) {
      g_free(cause);
      return;
    }
  }
  g_ptr_array_add(causes, cause);
}

/* --------------------------------------------------------------- lookups */

static guint
len_of(const GPtrArray *array)
{
  return array ? array->len : 0;
}

static gboolean
same_id(const char *a, const char *b)
{
  return a && b && g_ascii_strcasecmp(a, b) == 0;
}

static gboolean
is_local_id(const char *id)
{
  return same_id(id, LOCAL_GPO_ID);
}

/* Returns: (nullable): the entry's GPO GUID (or link DN when it holds none). */
static const char *
entry_guid(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return NULL;
  if (entry->gpo)
    return entry->gpo->guid;
  if (!entry->link)
    return NULL;
  return entry->link->gpo_guid ? entry->link->gpo_guid : entry->link->gpo_dn;
}

/* Returns: (nullable): gpsim's first entry for @guid, applied ones first. */
static const GpGpoEntry *
find_entry(const GpResult *result, const char *guid, gboolean applied_only)
{
  const GpGpoEntry *any = NULL;

  for (guint i = 0; i < len_of(result->entries); i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (!same_id(entry_guid(entry), guid))
      continue;
    if (entry->applied)
      return entry;
    any = any ? any : entry;
  }
  return applied_only ? NULL : any;
}

/* Returns: (nullable): the client's record of @guid, an applied one first. */
static const GpRsopGpo *
find_record(const GpRsop *rsop, const char *guid)
{
  const GpRsopGpo *any = NULL;

  for (guint i = 0; i < len_of(rsop->gpos); i++) {
    const GpRsopGpo *record = g_ptr_array_index(rsop->gpos, i);
    if (!same_id(record->guid, guid))
      continue;
    if (record->applied_order > 0)
      return record;
    any = any ? any : record;
  }
  return any;
}

static gboolean
client_applied(const GpRsop *rsop, const char *guid)
{
  const GpRsopGpo *record = find_record(rsop, guid);

  return record && record->applied_order > 0;
}

static const char *
record_label(const GpRsopGpo *record)
{
  if (record->name && *record->name)
    return record->name;
  return record->guid ? record->guid : "(unnamed GPO)";
}

/* The data's GPO with this GUID, in @domain (a DNS name) when there are several. */
static const GpGpo *
model_gpo(const GpModel *model, const char *guid, const char *domain)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *domain_dn = NULL;
  g_autofree char *want = NULL;

  if (!model || !guid)
    return NULL;
  found = gp_model_find_gpos_guid(model, guid);
  if (domain && *domain && !strchr(domain, '/') && (domain_dn = gp_dn_from_canonical(domain)))
    want = gp_dn_normalize(domain_dn);
  for (guint i = 0; want && i < found->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(found, i);
    g_autofree char *part = gpo->dn ? gp_dn_domain_part(gpo->dn) : NULL;
    g_autofree char *key = part ? gp_dn_normalize(part) : NULL;
    if (key && strcmp(key, want) == 0)
      return gpo;
  }
  return found->len ? g_ptr_array_index(found, 0) : NULL;
}

/* ---------------------------------------------------------------- causes */

/* Versions are compared on the computer half (low 16 bits). */
static void
add_version_cause(const Verify *v, const GpRsopGpo *record, GPtrArray *causes)
{
  const GpGpo *gpo = record ? model_gpo(v->model, record->guid, record->domain) : NULL;
  guint data = 0, client = 0;

  if (!gpo)
    return;
  if (gpo->in_directory) {
    data = gpo->version_number & 0xFFFFu;
    client = record->version_directory & 0xFFFFu;
  }
  if (data == client && gpo->has_gpt_ini) {
    data = gpo->gpt_version & 0xFFFFu;
    client = record->version_sysvol & 0xFFFFu;
  }
  if (data == client)
    return;
  add_cause(causes,
            g_strdup_printf("GPO '%s' is at version %u in the data and %u on the client: "
                            "the export is %s than the client's last refresh "
                            "(replication or export age)",
                            record_label(record), data, client, data > client ? "newer" : "older"));
}

static const char *
reason_cause(GpReason reason)
{
  switch (reason) {
  case GP_REASON_NONE:
    return NULL;
  case GP_REASON_WMI_FILTER_FALSE:
    return CAUSE_WMI;
  case GP_REASON_SECURITY_FILTER_DENIED:
    return CAUSE_GROUPS;
  case GP_REASON_GPO_NOT_FOUND:
    return CAUSE_MISSING_DATA;
  case GP_REASON_BLOCKED:
    return CAUSE_BLOCK;
  case GP_REASON_LINK_DISABLED:
    return "the link is disabled in the data but was enabled on the client (export age)";
  case GP_REASON_COMPUTER_SETTINGS_DISABLED:
    return "the GPO status differs: computer settings are disabled in the data";
  case GP_REASON_EMPTY_GPO:
    return "the data has no computer settings for the GPO (version 0)";
  case GP_REASON_BAD_FUNCTIONALITY_VERSION:
    return "gPCFunctionalityVersion is not 2 in the data";
  case GP_REASON_SECURITY_CSE_NOT_REGISTERED:
    return "the Security CSE is not registered on the GPO in the data (gPCMachineExtensionNames)";
  case GP_REASON_SYSVOL_UNREADABLE:
    return "the GPO's SYSVOL folder is missing or unreadable in the data";
  }
  return NULL;
}

/* The client applied @guid, gpsim did not. */
static void
causes_not_applied_by_gpsim(const Verify *v, const char *guid, GPtrArray *causes)
{
  const GpGpoEntry *entry = find_entry(v->result, guid, FALSE);
  const char *cause = entry ? reason_cause(entry->reason) : CAUSE_MISSING_DATA;

  if (cause)
    add_cause(causes, g_strdup(cause));
  add_version_cause(v, find_record(v->rsop, guid), causes);
}

/* gpsim applied @guid, the client did not. */
static void
causes_not_applied_by_client(const Verify *v, const char *guid, GPtrArray *causes)
{
  const GpRsopGpo *record = find_record(v->rsop, guid);
  const char *cause;

  if (!record)
    cause = CAUSE_NOT_LISTED;
  else if (record->access_denied)
    cause = CAUSE_GROUPS;
  else if (!record->link_enabled)
    cause = "the link is disabled on the client (export age)";
  else if (!record->enabled)
    cause = "computer settings are disabled on the client (GPO status; export age)";
  else if (!record->filter_allowed && record->is_valid)
    cause = CAUSE_WMI;
  else if (!record->is_valid)
    cause = "the client found the GPO empty or could not read it (replication)";
  else
    cause = CAUSE_BLOCK;
  add_cause(causes, g_strdup(cause));
  add_version_cause(v, record, causes);
}

/* ------------------------------------------------------------- GPO list */

/* Returns: (transfer container): gpsim's applied GPOs, precedence order. */
static GPtrArray *
sim_applied_list(const GpResult *result)
{
  GPtrArray *list = g_ptr_array_new();

  for (guint i = 0; i < len_of(result->entries); i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->applied && !entry->is_local && entry_guid(entry))
      g_ptr_array_add(list, (gpointer)entry);
  }
  return list;
}

/* Returns: (transfer container): the client's applied GPOs, precedence order. */
static GPtrArray *
client_applied_list(const GpRsop *rsop)
{
  GPtrArray *list = rsop->gpos ? gp_rsop_applied_in_precedence(rsop) : g_ptr_array_new();

  for (guint i = list->len; i > 0; i--) {
    const GpRsopGpo *record = g_ptr_array_index(list, i - 1);
    if (!record->guid || is_local_id(record->guid))
      g_ptr_array_remove_index(list, i - 1);
  }
  return list;
}

static gboolean
list_has(const GPtrArray *list, gboolean sim, const char *guid)
{
  for (guint i = 0; i < list->len; i++) {
    const char *id = sim ? entry_guid(g_ptr_array_index(list, i))
                         : ((const GpRsopGpo *)g_ptr_array_index(list, i))->guid;
    if (same_id(id, guid))
      return TRUE;
  }
  return FALSE;
}

static char *
list_text(const GPtrArray *list, gboolean sim)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < list->len; i++) {
    const void *item = g_ptr_array_index(list, i);
    g_string_append_printf(text, "%s%s", i ? ", " : "",
                           sim ? gp_entry_label(item) : record_label(item));
  }
  return g_strdup(text->len ? text->str : "none");
}

typedef struct {
  GPtrArray *sim;    /* const GpGpoEntry* */
  GPtrArray *client; /* const GpRsopGpo* */
  guint at;          /* index of the first difference */
} Lists;

/* The client applied lists->client[at]; gpsim did not apply it at all. */
static void
gpo_missing(const Verify *v, const Lists *lists)
{
  const GpRsopGpo *record = g_ptr_array_index(lists->client, lists->at);
  const GpGpoEntry *entry = find_entry(v->result, record->guid, FALSE);
  g_autofree char *client = list_text(lists->client, FALSE);
  g_autofree char *sim = list_text(lists->sim, TRUE);
  GpMismatch *mismatch = add_mismatch(
      v, GP_MISMATCH_GPO_LIST, NULL,
      g_strdup_printf("'%s' %s applied at precedence %u; client's list: %s", record_label(record),
                      record->guid, lists->at + 1, client),
      g_strdup_printf("%s%s; gpsim's list: %s", entry ? "not applied: " : "not on gpsim's list",
                      entry ? gp_reason_describe(entry->reason) : "", sim));

  causes_not_applied_by_gpsim(v, record->guid, mismatch->likely_causes);
}

/* gpsim applied lists->sim[at]; the client did not apply it at all. */
static void
gpo_extra(const Verify *v, const Lists *lists)
{
  const GpGpoEntry *entry = g_ptr_array_index(lists->sim, lists->at);
  const char *guid = entry_guid(entry);
  const GpRsopGpo *record = find_record(v->rsop, guid);
  g_autofree char *client = list_text(lists->client, FALSE);
  g_autofree char *sim = list_text(lists->sim, TRUE);
  GpMismatch *mismatch = add_mismatch(
      v, GP_MISMATCH_GPO_LIST, NULL,
      g_strdup_printf("%s; client's list: %s",
                      record ? "not applied on the client" : "not on the client's list", client),
      g_strdup_printf("'%s' %s applied at precedence %u; gpsim's list: %s", gp_entry_label(entry),
                      guid, lists->at + 1, sim));

  causes_not_applied_by_client(v, guid, mismatch->likely_causes);
}

/* Both apply the same GPOs so far, in another order. */
static void
gpo_order(const Verify *v, const Lists *lists)
{
  const GpRsopGpo *record = g_ptr_array_index(lists->client, lists->at);
  const GpGpoEntry *entry = g_ptr_array_index(lists->sim, lists->at);
  g_autofree char *client = list_text(lists->client, FALSE);
  g_autofree char *sim = list_text(lists->sim, TRUE);
  GpMismatch *mismatch = add_mismatch(v, GP_MISMATCH_GPO_LIST, NULL,
                                      g_strdup_printf("'%s' at precedence %u; client's list: %s",
                                                      record_label(record), lists->at + 1, client),
                                      g_strdup_printf("'%s' at precedence %u; gpsim's list: %s",
                                                      gp_entry_label(entry), lists->at + 1, sim));

  if (entry->som && entry->som->link_order_assumed)
    add_cause(mismatch->likely_causes,
              g_strdup_printf("link order within '%s' is assumed in the data (Get-GPOReport "
                              "gives none): give gPLink (LDIF or --gpinheritance)",
                              entry->som->name ? entry->som->name : entry->som->dn));
  add_cause(mismatch->likely_causes, g_strdup(CAUSE_ORDER));
}

static void
compare_gpo_lists(const Verify *v)
{
  Lists lists = { sim_applied_list(v->result), client_applied_list(v->rsop), 0 };
  guint n = MAX(lists.sim->len, lists.client->len);

  v->out->gpos_compared = lists.client->len;
  for (lists.at = 0; lists.at < n; lists.at++) {
    const GpRsopGpo *record
        = lists.at < lists.client->len ? g_ptr_array_index(lists.client, lists.at) : NULL;
    const GpGpoEntry *entry
        = lists.at < lists.sim->len ? g_ptr_array_index(lists.sim, lists.at) : NULL;
    if (record && entry && same_id(record->guid, entry_guid(entry)))
      continue;
    if (record && (!entry || !list_has(lists.sim, TRUE, record->guid)))
      gpo_missing(v, &lists);
    else if (entry && (!record || !list_has(lists.client, FALSE, entry_guid(entry))))
      gpo_extra(v, &lists);
    else
      gpo_order(v, &lists);
    break;
  }
  g_ptr_array_unref(lists.sim);
  g_ptr_array_unref(lists.client);
}

/* ---------------------------------------------------------------- rights */

static gboolean
template_defines(const GpModel *model, const GpSecurityTemplate *tmpl, const char *right)
{
  const GpRightInfo *info = model ? gp_model_lookup_right(model, right) : NULL;

  if (!tmpl)
    return FALSE;
  return gp_security_template_lookup(tmpl, right)
         || (info && gp_security_template_lookup(tmpl, info->constant));
}

static char *
client_winner_text(const Verify *v, const char *guid)
{
  const GpRsopGpo *record = find_record(v->rsop, guid);

  return g_strdup_printf("'%s' %s", record ? record_label(record) : guid, guid);
}

static char *
sim_winner_text(const GpRightResult *sim)
{
  const char *guid = sim->winner ? entry_guid(sim->winner) : NULL;

  if (sim->source == GP_SOURCE_GPO && sim->winner)
    return g_strdup_printf("'%s' %s", gp_entry_label(sim->winner), guid ? guid : "");
  if (sim->source == GP_SOURCE_LOCAL)
    return g_strdup("the local policy (--local)");
  return g_strdup("the documented default of the computer's role");
}

/* gpsim applies the GPO but its settings in the data lack @right. */
static void
causes_undefined(const Verify *v, const GpGpoEntry *entry, const char *right, GPtrArray *causes)
{
  const GpGpo *gpo = entry->gpo;

  if (gpo && gpo->sysvol == GP_SYSVOL_NOT_GIVEN && !gpo->machine_template)
    add_cause(causes, g_strdup_printf("the settings of '%s' are not in the data (give SYSVOL, a "
                                      "backup or Get-GPOReport)",
                                      gp_entry_label(entry)));
  else
    add_cause(causes, g_strdup_printf("'%s' does not define %s in the data: its settings "
                                      "changed since the client's last refresh (export age)",
                                      gp_entry_label(entry), right));
  add_version_cause(v, find_record(v->rsop, entry_guid(entry)), causes);
}

/* Why the client's winner @guid does not decide @right in gpsim. */
static void
causes_client_winner(const Verify *v, const char *guid, const char *right, GPtrArray *causes)
{
  const GpGpoEntry *entry = find_entry(v->result, guid, TRUE);

  if (!entry)
    causes_not_applied_by_gpsim(v, guid, causes);
  else if (!entry->gpo || !template_defines(v->model, entry->gpo->machine_template, right))
    causes_undefined(v, entry, right, causes);
}

static void
winner_mismatch(const Verify *v, const GpRsopRight *recorded, const GpRightResult *sim)
{
  const char *sim_guid = sim->winner ? entry_guid(sim->winner) : NULL;
  GpMismatch *mismatch
      = add_mismatch(v, GP_MISMATCH_WINNER, recorded->right,
                     client_winner_text(v, recorded->gpo_guid), sim_winner_text(sim));
  GPtrArray *causes = mismatch->likely_causes;

  causes_client_winner(v, recorded->gpo_guid, recorded->right, causes);
  if (sim_guid && !client_applied(v->rsop, sim_guid)) {
    causes_not_applied_by_client(v, sim_guid, causes);
  } else if (sim_guid && causes->len == 0) {
    /* both apply both GPOs, both GPOs define the right in the data */
    add_version_cause(v, find_record(v->rsop, sim_guid), causes);
    add_cause(causes, g_strdup("the GPOs' precedence differs (see the GPO list)"));
  }
}

/* The client recorded @recorded; gpsim has no result for the right. */
static void
right_missing(const Verify *v, const GpRsopRight *recorded)
{
  g_autofree char *winner = recorded->gpo_guid ? client_winner_text(v, recorded->gpo_guid) : NULL;
  const GpGpoEntry *entry
      = recorded->gpo_guid ? find_entry(v->result, recorded->gpo_guid, TRUE) : NULL;
  GpMismatch *mismatch = add_mismatch(
      v, GP_MISMATCH_MISSING, recorded->right,
      g_strdup_printf("defined by %s", winner ? winner : "a GPO the file does not name"),
      g_strdup("not resolved by gpsim"));

  if (entry && entry->gpo
      && template_defines(v->model, entry->gpo->machine_template, recorded->right))
    add_cause(mismatch->likely_causes,
              g_strdup("the simulation was asked for other rights only (--right)"));
  else if (recorded->gpo_guid)
    causes_client_winner(v, recorded->gpo_guid, recorded->right, mismatch->likely_causes);
}

/* ---------------------------------------------------------------- holders */

static const char *
short_name(const char *name)
{
  const char *backslash = strrchr(name, '\\');

  return backslash ? backslash + 1 : name;
}

/* Equal, or equal once the qualified one loses its "DOMAIN\" prefix. */
static gboolean
names_match(const char *a, const char *b)
{
  if (!a || !b)
    return FALSE;
  if (g_ascii_strcasecmp(a, b) == 0)
    return TRUE;
  if (!strchr(a, '\\') && g_ascii_strcasecmp(a, short_name(b)) == 0)
    return TRUE;
  return !strchr(b, '\\') && g_ascii_strcasecmp(short_name(a), b) == 0;
}

/* Returns: (nullable): the SID given, else the one the directory has for the name. */
static const char *
principal_sid(const GpModel *model, const GpPrincipal *principal)
{
  if (principal->sid)
    return principal->sid;
  return model && principal->name ? gp_model_principal_sid(model, principal->name) : NULL;
}

static gboolean
principals_match(const GpModel *model, const GpPrincipal *member, const GpPrincipal *holder)
{
  const char *member_sid = principal_sid(model, member);
  const char *holder_sid = principal_sid(model, holder);

  return (member_sid && holder_sid && g_ascii_strcasecmp(member_sid, holder_sid) == 0)
         || names_match(member->name, holder->name);
}

static const char *
principal_text(const GpPrincipal *principal)
{
  return principal->name ? principal->name : principal->sid ? principal->sid : "?";
}

/* "A, B (not in gpsim: B)", or "nobody". */
static char *
principals_text(const GPtrArray *all, const GPtrArray *only, const char *only_label)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < len_of(all); i++)
    g_string_append_printf(text, "%s%s", i ? ", " : "", principal_text(g_ptr_array_index(all, i)));
  if (!text->len)
    g_string_append(text, "nobody");
  if (only->len)
    g_string_append_printf(text, " (%s: ", only_label);
  for (guint i = 0; i < only->len; i++)
    g_string_append_printf(text, "%s%s", i ? ", " : "", principal_text(g_ptr_array_index(only, i)));
  if (only->len)
    g_string_append_c(text, ')');
  return g_strdup(text->str);
}

typedef struct {
  GPtrArray *only_client; /* const GpPrincipal*: members gpsim lacks */
  GPtrArray *only_sim;    /* const GpPrincipal*: holders the client lacks */
  gboolean unresolved;    /* some of them have no SID and no directory entry */
} HolderDiff;

/* Set difference both ways, each holder matching one member at most. */
static void
diff_holders(const Verify *v, const GPtrArray *members, const GPtrArray *holders, HolderDiff *diff)
{
  g_autofree gboolean *used = g_new0(gboolean, len_of(holders) + 1);

  for (guint i = 0; i < len_of(members); i++) {
    const GpPrincipal *member = g_ptr_array_index(members, i);
    gboolean found = FALSE;
    for (guint j = 0; j < len_of(holders) && !found; j++) {
      found = !used[j] && principals_match(v->model, member, g_ptr_array_index(holders, j));
      used[j] = used[j] || found;
    }
    if (found)
      continue;
    g_ptr_array_add(diff->only_client, (gpointer)member);
    diff->unresolved = diff->unresolved || !principal_sid(v->model, member);
  }
  for (guint j = 0; j < len_of(holders); j++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, j);
    if (used[j])
      continue;
    g_ptr_array_add(diff->only_sim, (gpointer)holder);
    diff->unresolved = diff->unresolved || !principal_sid(v->model, holder);
  }
}

static void
compare_holders(const Verify *v, const GpRsopRight *recorded, const GpRightResult *sim)
{
  HolderDiff diff = { g_ptr_array_new(), g_ptr_array_new(), FALSE };
  GpMismatch *mismatch;

  diff_holders(v, recorded->members, sim->holders, &diff);
  if (diff.only_client->len || diff.only_sim->len) {
    mismatch = add_mismatch(v, GP_MISMATCH_HOLDERS, recorded->right,
                            principals_text(recorded->members, diff.only_client, "not in gpsim"),
                            principals_text(sim->holders, diff.only_sim, "not on the client"));
    if (diff.unresolved)
      add_cause(mismatch->likely_causes, g_strdup(CAUSE_NAMES));
    if (recorded->gpo_guid)
      add_version_cause(v, find_record(v->rsop, recorded->gpo_guid), mismatch->likely_causes);
    add_cause(mismatch->likely_causes, g_strdup(CAUSE_LOCAL));
  }
  g_ptr_array_unref(diff.only_client);
  g_ptr_array_unref(diff.only_sim);
}

static gboolean
same_winner(const GpRightResult *sim, const char *guid)
{
  return sim->source == GP_SOURCE_GPO && sim->winner && same_id(entry_guid(sim->winner), guid);
}

/* One right the client recorded a winner for. */
static void
compare_right(const Verify *v, const GpRsopRight *recorded)
{
  const GpRightResult *sim = gp_result_find_right(v->result, recorded->right);

  v->out->rights_compared++;
  if (!sim)
    right_missing(v, recorded);
  else if (recorded->gpo_guid && !same_winner(sim, recorded->gpo_guid))
    winner_mismatch(v, recorded, sim);
  else
    compare_holders(v, recorded, sim);
}

static gboolean
client_recorded(const GpRsop *rsop, const GpRightResult *sim)
{
  for (guint i = 0; i < len_of(rsop->rights); i++) {
    const GpRsopRight *recorded = g_ptr_array_index(rsop->rights, i);
    if (!recorded->right)
      continue;
    if (g_ascii_strcasecmp(recorded->right, sim->right) == 0
        || (sim->info && g_ascii_strcasecmp(recorded->right, sim->info->display_name) == 0))
      return TRUE;
  }
  return FALSE;
}

/* Rights a GPO decides in gpsim that the client did not record at all. */
static void
compare_unrecorded(const Verify *v)
{
  for (guint i = 0; i < len_of(v->result->rights); i++) {
    const GpRightResult *sim = g_ptr_array_index(v->result->rights, i);
    const char *guid = sim->winner ? entry_guid(sim->winner) : NULL;
    g_autofree char *winner = NULL;
    GpMismatch *mismatch;

    if (sim->source != GP_SOURCE_GPO || !guid || client_recorded(v->rsop, sim))
      continue;
    winner = sim_winner_text(sim);
    mismatch
        = add_mismatch(v, GP_MISMATCH_MISSING, sim->right, g_strdup("not recorded by the client"),
                       g_strdup_printf("defined by %s", winner));
    if (!client_applied(v->rsop, guid)) {
      causes_not_applied_by_client(v, guid, mismatch->likely_causes);
      continue;
    }
    add_version_cause(v, find_record(v->rsop, guid), mismatch->likely_causes);
    add_cause(mismatch->likely_causes,
              g_strdup("the GPO's settings in the data differ from what the client applied "
                       "(export age)"));
  }
}

static void
compare_rights(const Verify *v)
{
  guint local = 0, losing = 0, unknown = 0;

  for (guint i = 0; i < len_of(v->rsop->rights); i++) {
    const GpRsopRight *recorded = g_ptr_array_index(v->rsop->rights, i);
    if (!recorded->right)
      continue;
    if (recorded->precedence == 0)
      unknown++;
    else if (recorded->precedence > 1)
      losing++;
    else if (is_local_id(recorded->gpo_guid))
      local++;
    else
      compare_right(v, recorded);
  }
  if (local)
    g_ptr_array_add(v->out->notes,
                    g_strdup_printf("%u rights were set by the local GPO on the client: not "
                                    "compared (gpsim's local layer is --local or the documented "
                                    "defaults)",
                                    local));
  if (losing)
    g_ptr_array_add(v->out->notes, g_strdup_printf("%u settings of GPOs that lost to another "
                                                   "were not compared: only winners are",
                                                   losing));
  if (unknown)
    g_ptr_array_add(v->out->notes, g_strdup_printf("%u recorded settings have no precedence: "
                                                   "not compared",
                                                   unknown));
}

/* ------------------------------------------------------------------ entry */

/* "CHILD\\CHILDDC$" and the simulated computer should be one machine. */
static void
note_computer(const Verify *v)
{
  const GpComputer *computer = v->result->computer;
  const char *name = v->rsop->computer_name;
  g_autofree char *bare = NULL;
  g_autofree char *sam = NULL;

  if (!computer || !name || !*name)
    return;
  bare = g_strdup(short_name(name));
  if (*bare && bare[strlen(bare) - 1] == '$')
    bare[strlen(bare) - 1] = '\0';
  sam = computer->sam_account_name ? g_strdup(computer->sam_account_name) : NULL;
  if (sam && *sam && sam[strlen(sam) - 1] == '$')
    sam[strlen(sam) - 1] = '\0';
  if (!same_id(bare, computer->cn) && !same_id(bare, sam))
    g_ptr_array_add(v->out->notes,
                    g_strdup_printf("the file was recorded on %s; the simulation is of %s", name,
                                    computer->cn ? computer->cn : computer->dn));
}

GpVerifyResult *
gp_engine_verify(const GpModel *model, const GpResult *result, const GpRsop *rsop)
{
  GpVerifyResult *out = g_new0(GpVerifyResult, 1);
  Verify v = { model, result, rsop, out };

  out->mismatches = g_ptr_array_new_with_free_func((GDestroyNotify)mismatch_free);
  out->notes = g_ptr_array_new_with_free_func(g_free);
  if (!result || !rsop) {
    g_ptr_array_add(out->notes, g_strdup("nothing to compare: no simulation or no record"));
    return out;
  }
  note_computer(&v);
  if (len_of(rsop->gpos))
    compare_gpo_lists(&v);
  else
    g_ptr_array_add(out->notes, g_strdup("the file lists no GPO: the GPO list was not compared"));
  compare_rights(&v);
  if (len_of(rsop->rights))
    compare_unrecorded(&v);
  else
    g_ptr_array_add(out->notes, g_strdup("the file records no user rights (no Security extension "
                                         "data): gpsim's rights were not compared"));
  return out;
}
