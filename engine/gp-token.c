/* gp-token.c - the token of an account on a computer, and impersonation.
 *
 * Exports gp_token_build(), which lists the SIDs an account's token carries
 * with a reason each and the user rights they give it on a computer, and
 * gp_token_can_impersonate(), which applies the documented impersonation rules
 * (rights-notes.md sections 1 and 2) to a server's token.  See gp-token.h.
 */
#include "gp-token.h"

#include <string.h>

#include "gp-names.h"

#define SID_EVERYONE          "S-1-1-0"
#define SID_AUTHENTICATED     "S-1-5-11"
#define SID_THIS_ORGANIZATION "S-1-5-15"
#define SID_BUILTIN_USERS     "S-1-5-32-545"
#define SID_BUILTIN_ADMINS    "S-1-5-32-544"
#define SID_DOMAIN_PREFIX     "S-1-5-21-"
#define RID_GUEST             501u
#define RID_DOMAIN_USERS      513u
#define RID_DOMAIN_COMPUTERS  515u

/* ------------------------------------------------------------ enumerations */

static const char *const logon_names[]
    = { "interactive", "network", "batch", "service", "com-server" };
static const char *const level_names[] = { "anonymous", "identify", "impersonate", "delegate" };
static const char *const rule_names[]
    = { "level-below-impersonate", "same-user", "explicit-credentials", "privilege-held",
        "privilege-not-held" };

static gboolean
index_of(const char *const *names, gsize n, const char *text, guint *out)
{
  for (gsize i = 0; text && i < n; i++) {
    if (g_ascii_strcasecmp(names[i], text) == 0) {
      *out = (guint)i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
gp_logon_type_to_string(GpLogonType logon)
{
  return logon_names[logon];
}

gboolean
gp_logon_type_from_string(const char *text, GpLogonType *out_logon)
{
  guint i;

  if (!index_of(logon_names, G_N_ELEMENTS(logon_names), text, &i))
    return FALSE;
  *out_logon = (GpLogonType)i;
  return TRUE;
}

const char *
gp_level_to_string(GpImpersonationLevel level)
{
  return level_names[level];
}

gboolean
gp_level_from_string(const char *text, GpImpersonationLevel *out_level)
{
  guint i;

  if (!index_of(level_names, G_N_ELEMENTS(level_names), text, &i))
    return FALSE;
  *out_level = (GpImpersonationLevel)i;
  return TRUE;
}

const char *
gp_impersonate_rule_to_string(GpImpersonateRule rule)
{
  return rule_names[rule];
}

/* ------------------------------------------------------------------ records */

static void
token_sid_free(GpTokenSid *entry)
{
  g_free(entry->sid);
  g_free(entry->name);
  g_free(entry->why);
  g_free(entry);
}

static void
token_right_free(GpTokenRight *right)
{
  g_ptr_array_unref(right->also_via);
  g_free(right);
}

void
gp_token_free(GpToken *token)
{
  if (!token)
    return;
  g_free(token->account_sid);
  g_free(token->account_name);
  g_ptr_array_unref(token->sids);
  g_ptr_array_unref(token->rights);
  g_ptr_array_unref(token->notes);
  g_free(token);
}

const GpTokenSid *
gp_token_find_sid(const GpToken *token, const char *sid)
{
  for (guint i = 0; sid && i < token->sids->len; i++) {
    const GpTokenSid *entry = g_ptr_array_index(token->sids, i);
    if (g_ascii_strcasecmp(entry->sid, sid) == 0)
      return entry;
  }
  return NULL;
}

const GpTokenRight *
gp_token_find_right(const GpToken *token, const char *right)
{
  for (guint i = 0; right && i < token->rights->len; i++) {
    const GpTokenRight *held = g_ptr_array_index(token->rights, i);
    if (g_ascii_strcasecmp(held->right->right, right) == 0)
      return held;
  }
  return NULL;
}

/* ------------------------------------------------------------ the builder */

/* The directory's facts about the account: a user, else a computer. */
typedef struct {
  const char *dn;             /* (nullable) */
  const GPtrArray *member_of; /* (nullable) char* DNs */
  guint32 primary_group_id;   /* 0: the default of its kind */
  guint32 default_primary;    /* 513 for users, 515 for computers */
} Account;

typedef struct {
  char *dn;
  char *via; /* (nullable) the name of the group that led here; NULL when direct */
} Pending;

typedef struct {
  const GpModel *model;
  GpToken *token;
  GHashTable *in_token; /* normalised DN -> label (owned, NULL for the account) */
  GQueue pending;       /* Pending* (owned) */
} Builder;

static void
pending_free(Pending *pending)
{
  g_free(pending->dn);
  g_free(pending->via);
  g_free(pending);
}

/* Adds @sid with @why unless the token has it already (the first reason stays). */
static void
add_sid(Builder *b, const char *sid, const char *why)
{
  GpTokenSid *entry;
  const char *name;

  if (sid == NULL || *sid == '\0' || gp_token_find_sid(b->token, sid))
    return;
  entry = g_new0(GpTokenSid, 1);
  entry->sid = g_ascii_strup(sid, -1);
  name = gp_model_principal_name(b->model, sid);
  entry->name = g_strdup(name);
  entry->why = g_strdup(why);
  g_ptr_array_add(b->token->sids, entry);
}

static void
queue_group(Builder *b, const char *dn, const char *via)
{
  Pending *pending = g_new0(Pending, 1);

  pending->dn = g_strdup(dn);
  pending->via = g_strdup(via);
  g_queue_push_tail(&b->pending, pending);
}

/* Returns: (transfer full): how the output names @group. */
static char *
group_label(const GpModel *model, const GpGroup *group)
{
  const char *name = group->sid ? gp_model_principal_name(model, group->sid) : NULL;

  if (name)
    return g_strdup(name);
  if (group->name)
    return g_strdup(group->name);
  return gp_dn_first_value(group->dn);
}

/* Visits one pending group: records it, adds its SID, queues its groups. */
static void
visit_group(Builder *b, const Pending *pending)
{
  char *key = gp_dn_normalize(pending->dn);
  const GpGroup *group;
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;

  if (g_hash_table_contains(b->in_token, key) || !(group = gp_model_find_group(b->model, key))) {
    g_free(key);
    return;
  }
  label = group_label(b->model, group);
  g_hash_table_insert(b->in_token, key, g_strdup(label));
  why = pending->via ? g_strdup_printf("member of %s (via %s)", label, pending->via)
                     : g_strdup_printf("member of %s", label);
  add_sid(b, group->sid, why);
  for (guint i = 0; i < group->member_of->len; i++)
    queue_group(b, g_ptr_array_index(group->member_of, i), label);
}

static void
drain(Builder *b)
{
  Pending *pending;

  while ((pending = g_queue_pop_head(&b->pending))) {
    visit_group(b, pending);
    pending_free(pending);
  }
}

/* Queues the groups whose member list names something in the token.
 * Returns: TRUE when it queued any. */
static gboolean
scan_members(Builder *b)
{
  const GPtrArray *groups = gp_model_groups(b->model);
  gboolean queued = FALSE;

  for (guint i = 0; i < groups->len; i++) {
    const GpGroup *group = g_ptr_array_index(groups, i);
    g_autofree char *key = gp_dn_normalize(group->dn);

    for (guint m = 0; !g_hash_table_contains(b->in_token, key) && m < group->members->len; m++) {
      g_autofree char *member = gp_dn_normalize(g_ptr_array_index(group->members, m));
      gpointer label;

      if (!g_hash_table_lookup_extended(b->in_token, member, NULL, &label))
        continue;
      queue_group(b, group->dn, label);
      queued = TRUE;
      break;
    }
  }
  return queued;
}

/* Follows memberOf and member links until nothing new turns up. */
static void
expand(Builder *b)
{
  do
    drain(b);
  while (scan_members(b));
}

/* ------------------------------------------------------- account groups */

static Account
find_account(const GpModel *model, const char *sid)
{
  const GpUser *user = gp_model_find_user_sid(model, sid);
  const GPtrArray *computers = gp_model_computers(model);

  if (user)
    return (Account){ user->dn, user->member_of, user->primary_group_id, RID_DOMAIN_USERS };
  for (guint i = 0; i < computers->len; i++) {
    const GpComputer *computer = g_ptr_array_index(computers, i);
    if (computer->sid && g_ascii_strcasecmp(computer->sid, sid) == 0)
      return (Account){ computer->dn, computer->member_of, computer->primary_group_id,
                        RID_DOMAIN_COMPUTERS };
  }
  return (Account){ NULL, NULL, 0, RID_DOMAIN_USERS };
}

static gboolean
is_domain_sid(const char *sid)
{
  return g_ascii_strncasecmp(sid, SID_DOMAIN_PREFIX, strlen(SID_DOMAIN_PREFIX)) == 0;
}

static guint32
sid_rid(const char *sid)
{
  const char *dash = strrchr(sid, '-');

  return dash ? (guint32)g_ascii_strtoull(dash + 1, NULL, 10) : 0;
}

/* The primary group: the account's domain SID + primaryGroupID. */
static void
add_primary_group(Builder *b, const Account *account)
{
  const char *sid = b->token->account_sid;
  g_autofree char *domain = g_strndup(sid, (gsize)(strrchr(sid, '-') - sid));
  guint32 rid = account->primary_group_id ? account->primary_group_id : account->default_primary;
  g_autofree char *group_sid = g_strdup_printf("%s-%u", domain, rid);
  const GpGroup *group = gp_model_find_group_sid(b->model, group_sid);
  g_autofree char *why = g_strdup_printf("primary group (primaryGroupID %u%s)", rid,
                                         account->primary_group_id ? "" : ", assumed");

  add_sid(b, group_sid, why);
  if (group)
    queue_group(b, group->dn, NULL);
}

/* The account's domain groups, nested ones included. */
static void
add_domain_groups(Builder *b, const Account *account)
{
  if (is_domain_sid(b->token->account_sid))
    add_primary_group(b, account);
  if (account->dn)
    g_hash_table_insert(b->in_token, gp_dn_normalize(account->dn), NULL);
  for (guint i = 0; account->member_of && i < account->member_of->len; i++)
    queue_group(b, g_ptr_array_index(account->member_of, i), NULL);
  expand(b);
}

/* ------------------------------------------------------ well-known SIDs */

static gboolean
is_guest(const char *sid)
{
  return is_domain_sid(sid) && sid_rid(sid) == RID_GUEST;
}

static gboolean
is_app_pool(const char *sid)
{
  return g_ascii_strncasecmp(sid, GP_SID_APP_POOL_PREFIX, strlen(GP_SID_APP_POOL_PREFIX)) == 0;
}

static gboolean
runs_as_service(GpLogonType logon)
{
  return logon == GP_LOGON_SERVICE || logon == GP_LOGON_COM_SERVER;
}

/* Everyone, Authenticated Users, This Organization, BUILTIN\Users. */
static void
add_every_logon(Builder *b)
{
  add_sid(b, SID_EVERYONE, "Everyone: in every token");
  if (is_guest(b->token->account_sid)) {
    g_ptr_array_add(b->token->notes,
                    g_strdup("the Guest account is not a member of Authenticated Users, so "
                             "neither that group nor BUILTIN\\Users is in its token"));
    return;
  }
  add_sid(b, SID_AUTHENTICATED, "Authenticated Users: every authenticated logon");
  add_sid(b, SID_THIS_ORGANIZATION, "This Organization: an account of this organization");
  add_sid(b, SID_BUILTIN_USERS, "BUILTIN\\Users (Authenticated Users is a member)");
}

/* The SIDs Windows adds for the logon type. */
static void
add_logon_type(Builder *b)
{
  switch (b->token->logon) {
  case GP_LOGON_INTERACTIVE:
    add_sid(b, "S-1-5-4", "INTERACTIVE logon");
    add_sid(b, "S-1-2-0", "LOCAL (interactive)");
    add_sid(b, "S-1-2-1", "CONSOLE LOGON (interactive)");
    break;
  case GP_LOGON_NETWORK:
    add_sid(b, "S-1-5-2", "NETWORK logon");
    break;
  case GP_LOGON_BATCH:
    add_sid(b, "S-1-5-3", "BATCH logon");
    break;
  case GP_LOGON_SERVICE:
    add_sid(b, GP_SID_SERVICE, "logon type: SERVICE (the SCM adds it to the services it starts)");
    break;
  case GP_LOGON_COM_SERVER:
    add_sid(b, GP_SID_SERVICE,
            "logon type: SERVICE (a COM server configured to run as an account)");
    break;
  }
}

/* Local groups given by the caller, and IIS_IUSRS for application pools. */
static void
add_local_groups(Builder *b, const char *const *local_groups)
{
  const char *sid = b->token->account_sid;
  gboolean service = runs_as_service(b->token->logon);

  if (service && is_app_pool(sid))
    add_sid(b, GP_SID_IIS_IUSRS, "IIS_IUSRS: IIS adds it to application pool identities");
  for (guint i = 0; local_groups && local_groups[i]; i++) {
    const GpGroup *group = gp_model_find_group_sid(b->model, local_groups[i]);
    gboolean iis = g_ascii_strcasecmp(local_groups[i], GP_SID_IIS_IUSRS) == 0;

    if (service && iis)
      add_sid(b, local_groups[i],
              "IIS_IUSRS: IIS adds it to application pool identities "
              "(given with --local-group)");
    else
      add_sid(b, local_groups[i], "local group (given with --local-group)");
    if (group)
      queue_group(b, group->dn, NULL);
  }
  expand(b);
}

/* LocalSystem's token is made by the system, not by a logon. */
static void
add_system(Builder *b)
{
  add_sid(b, SID_BUILTIN_ADMINS, "BUILTIN\\Administrators (SYSTEM is a member)");
  add_sid(b, SID_EVERYONE, "Everyone: in every token");
  add_sid(b, SID_AUTHENTICATED, "Authenticated Users: every authenticated logon");
  g_ptr_array_add(b->token->notes,
                  g_strdup("NT AUTHORITY\\SYSTEM's token is created by the system, with no "
                           "logon-type SID; it also holds some privileges intrinsically "
                           "(SeCreateTokenPrivilege, SeCreatePermanentPrivilege), so the rights "
                           "below are a lower bound"));
}

/* --------------------------------------------------------------- rights */

/* Returns: (transfer full): the upper-case SIDs of @right's holders, names
 * resolved through the directory. */
static GHashTable *
holder_sids(const GpModel *model, const GpRightResult *right)
{
  GHashTable *sids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; right->holders && i < right->holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(right->holders, i);
    const char *sid = holder->sid;

    if (!sid && holder->name)
      sid = gp_model_principal_sid(model, holder->name);
    if (sid)
      g_hash_table_add(sids, g_ascii_strup(sid, -1));
  }
  return sids;
}

/* Returns: (transfer full) (nullable): what the token holds of @right. */
static GpTokenRight *
match_right(const GpModel *model, const GpToken *token, const GpRightResult *right)
{
  g_autoptr(GHashTable) holders = holder_sids(model, right);
  GpTokenRight *held = NULL;

  for (guint i = 0; i < token->sids->len; i++) {
    const GpTokenSid *entry = g_ptr_array_index(token->sids, i);

    if (!g_hash_table_contains(holders, entry->sid))
      continue;
    if (held) {
      g_ptr_array_add(held->also_via, (gpointer)entry);
      continue;
    }
    held = g_new0(GpTokenRight, 1);
    held->right = right;
    held->via = entry;
    held->also_via = g_ptr_array_new();
  }
  return held;
}

static void
match_rights(const GpModel *model, GpToken *token, const GpResult *result)
{
  for (guint i = 0; i < result->rights->len; i++) {
    GpTokenRight *held = match_right(model, token, g_ptr_array_index(result->rights, i));
    if (held)
      g_ptr_array_add(token->rights, held);
  }
}

/* ---------------------------------------------------------------- notes */

static const char *
account_label(const GpToken *token)
{
  return token->account_name ? token->account_name : token->account_sid;
}

static char *
next_logon_note(const GpToken *token)
{
  if (runs_as_service(token->logon))
    return g_strdup_printf("user rights are put in the token when the account logs on: a change "
                           "to their assignment takes effect at the next start of the service "
                           "(or COM server) running as %s, not at the next Group Policy refresh",
                           account_label(token));
  return g_strdup_printf("user rights are put in the token when the account logs on: a change to "
                         "their assignment takes effect at the next logon of %s, not at the next "
                         "Group Policy refresh",
                         account_label(token));
}

/* The logon right, and the deny right, Windows checks for each logon type. */
static const struct {
  GpLogonType logon;
  const char *allow;
  const char *deny;
} logon_rights[] = {
  { GP_LOGON_INTERACTIVE, "SeInteractiveLogonRight", "SeDenyInteractiveLogonRight" },
  { GP_LOGON_NETWORK, "SeNetworkLogonRight", "SeDenyNetworkLogonRight" },
  { GP_LOGON_BATCH, "SeBatchLogonRight", "SeDenyBatchLogonRight" },
  { GP_LOGON_SERVICE, "SeServiceLogonRight", "SeDenyServiceLogonRight" },
};

/* Adds a note when, by the data, Windows would refuse the logon itself. */
static void
check_logon_right(GpToken *token, const char *allow, const char *deny)
{
  const GpTokenRight *denied = gp_token_find_right(token, deny);
  const GpRightResult *allow_result = gp_result_find_right(token->result, allow);
  const char *computer = token->result->computer->cn;

  if (denied)
    g_ptr_array_add(token->notes,
                    g_strdup_printf("by this data %s refuses this logon: the token holds %s via "
                                    "%s, and a deny right overrides %s",
                                    computer, deny,
                                    denied->via->name ? denied->via->name : denied->via->sid,
                                    allow));
  else if (allow_result && !gp_token_find_right(token, allow))
    g_ptr_array_add(token->notes,
                    g_strdup_printf("by this data %s refuses this logon: no SID of the token "
                                    "holds %s (setting an account on a service in services.msc "
                                    "grants it locally; give the computer's secedit export "
                                    "with --local to include that)",
                                    computer, allow));
}

static void
add_logon_notes(GpToken *token)
{
  const char *sid = token->account_sid;

  if (!is_domain_sid(sid))
    return; /* SYSTEM, LOCAL SERVICE, NETWORK SERVICE, virtual accounts */
  for (gsize i = 0; i < G_N_ELEMENTS(logon_rights); i++)
    if (logon_rights[i].logon == token->logon)
      check_logon_right(token, logon_rights[i].allow, logon_rights[i].deny);
}

static void
add_account_notes(GpToken *token)
{
  const char *sid = token->account_sid;
  gboolean service_account = g_ascii_strcasecmp(sid, GP_SID_LOCAL_SERVICE) == 0
                             || g_ascii_strcasecmp(sid, GP_SID_NETWORK_SERVICE) == 0
                             || is_app_pool(sid);

  if (!token->in_data && is_domain_sid(sid))
    g_ptr_array_add(token->notes,
                    g_strdup_printf("%s is not in the directory data: its group memberships are "
                                    "unknown (only its primary group is assumed)",
                                    account_label(token)));
  if (service_account && !runs_as_service(token->logon))
    g_ptr_array_add(token->notes,
                    g_strdup_printf("%s only runs services; modeled with the %s logon asked for",
                                    account_label(token), gp_logon_type_to_string(token->logon)));
}

/* ------------------------------------------------------------------ build */

static GpToken *
token_new(const GpModel *model, const GpResult *result, const char *sid, GpLogonType logon)
{
  GpToken *token = g_new0(GpToken, 1);
  const char *name = gp_model_principal_name(model, sid);

  token->account_sid = g_ascii_strup(sid, -1);
  token->account_name = g_strdup(name);
  token->logon = logon;
  token->result = result;
  token->sids = g_ptr_array_new_with_free_func((GDestroyNotify)token_sid_free);
  token->rights = g_ptr_array_new_with_free_func((GDestroyNotify)token_right_free);
  token->notes = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(token->notes, next_logon_note(token));
  return token;
}

GpToken *
gp_token_build(const GpModel *model, const GpResult *computer_result, const char *account_sid,
               GpLogonType logon, const char *const *local_groups)
{
  Builder b = { model, token_new(model, computer_result, account_sid, logon),
                g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free), G_QUEUE_INIT };
  Account account = find_account(model, account_sid);

  b.token->in_data = account.dn != NULL;
  add_sid(&b, account_sid, "the account");
  if (g_ascii_strcasecmp(account_sid, GP_SID_SYSTEM) == 0) {
    add_system(&b);
  } else {
    add_domain_groups(&b, &account);
    add_every_logon(&b);
    add_logon_type(&b);
    add_local_groups(&b, local_groups);
  }
  g_hash_table_unref(b.in_token);
  add_account_notes(b.token);
  match_rights(model, b.token, computer_result);
  add_logon_notes(b.token);
  return b.token;
}

/* -------------------------------------------------------- impersonation */

void
gp_impersonation_free(GpImpersonation *impersonation)
{
  if (!impersonation)
    return;
  g_ptr_array_unref(impersonation->explanation);
  g_free(impersonation);
}

G_GNUC_PRINTF(2, 3)
static void
explain(GpImpersonation *out, const char *format, ...)
{
  va_list args;

  va_start(args, format);
  g_ptr_array_add(out->explanation, g_strdup_vprintf(format, args));
  va_end(args);
}

char *
gp_token_describe_decision(const GpResult *result, const GpRightResult *right)
{
  const GpGpoEntry *winner = right->winner;

  switch (right->source) {
  case GP_SOURCE_GPO:
    return g_strdup_printf("GPO '%s' linked at %s",
                           winner->gpo && winner->gpo->display_name ? winner->gpo->display_name
                                                                    : winner->link->gpo_dn,
                           winner->som->dn);
  case GP_SOURCE_LOCAL:
    return g_strdup("the local security policy (--local), no GPO defining it");
  case GP_SOURCE_DEFAULT:
    break;
  }
  return g_strdup_printf("the documented default for the %s role, no GPO defining it",
                         gp_role_to_string(result->role));
}

/* Returns: (transfer full): "A, B, C" or "nobody". */
static char *
holders_text(const GPtrArray *holders)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    g_string_append_printf(text, "%s%s", i ? ", " : "", holder->name ? holder->name : holder->sid);
  }
  if (text->len == 0)
    g_string_append(text, "nobody");
  return g_string_free(g_steal_pointer(&text), FALSE);
}

static const char *
sid_text(const GpTokenSid *entry)
{
  return entry->name ? entry->name : entry->sid;
}

/* Returns: (transfer full): "; also via A, B" or "". */
static char *
also_via_text(const GpTokenRight *held)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < held->also_via->len; i++)
    g_string_append_printf(text, "%s%s", i ? ", " : "; also via ",
                           sid_text(g_ptr_array_index(held->also_via, i)));
  return g_string_free(g_steal_pointer(&text), FALSE);
}

static void
explain_privilege_held(GpImpersonation *out, const GpToken *token, const GpTokenRight *held)
{
  g_autofree char *decision = gp_token_describe_decision(token->result, held->right);
  g_autofree char *also = also_via_text(held);

  out->answer = TRUE;
  out->rule = GP_IMPERSONATE_PRIVILEGE_HELD;
  out->held = held;
  explain(out, "%s's token (%s logon) holds SeImpersonatePrivilege via %s (%s)%s",
          account_label(token), gp_logon_type_to_string(token->logon), sid_text(held->via),
          held->via->why, also);
  explain(out, "on %s, SeImpersonatePrivilege is decided by %s", token->result->computer->cn,
          decision);
}

static void
explain_privilege_missing(GpImpersonation *out, const GpToken *token,
                          const GpImpersonationRequest *request)
{
  const GpRightResult *right = gp_result_find_right(token->result, GP_IMPERSONATE_RIGHT);
  g_autofree char *decision = right ? gp_token_describe_decision(token->result, right) : NULL;
  g_autofree char *holders = right ? holders_text(right->holders) : NULL;

  out->answer = FALSE;
  out->rule = GP_IMPERSONATE_PRIVILEGE_NOT_HELD;
  explain(out,
          "none of the three conditions applies: the level is %s, the client %s is another "
          "user, and the session did not log on with explicit credentials",
          gp_level_to_string(request->level),
          request->client_name ? request->client_name : request->client_sid);
  if (right)
    explain(out, "on %s, SeImpersonatePrivilege is decided by %s: holders %s",
            token->result->computer->cn, decision, holders);
  else
    explain(out, "SeImpersonatePrivilege was not resolved for %s", token->result->computer->cn);
  explain(out,
          "no SID of %s's token (%s logon) is among them, so it cannot impersonate the "
          "client",
          account_label(token), gp_logon_type_to_string(token->logon));
}

static gboolean
is_same_user(const GpToken *token, const GpImpersonationRequest *request)
{
  return request->same_user
         || (request->client_sid
             && g_ascii_strcasecmp(request->client_sid, token->account_sid) == 0);
}

static void
decide(GpImpersonation *out, const GpToken *token, const GpImpersonationRequest *request)
{
  const GpTokenRight *held = gp_token_find_right(token, GP_IMPERSONATE_RIGHT);

  out->answer = TRUE;
  if (request->level < GP_LEVEL_IMPERSONATE) {
    out->rule = GP_IMPERSONATE_LEVEL_BELOW;
    explain(out,
            "condition 3: the requested level, %s, is below Impersonate, so no privilege "
            "is needed",
            gp_level_to_string(request->level));
    explain(out, "the server gets an identification token: it can read the client's identity "
                 "and check access with it, but not act as the client (a token below "
                 "Impersonate cannot be used to impersonate, even with SeImpersonatePrivilege)");
  } else if (is_same_user(token, request)) {
    out->rule = GP_IMPERSONATE_SAME_USER;
    explain(out, "condition 1: the token being impersonated is for the server's own user, %s",
            account_label(token));
  } else if (request->explicit_credentials) {
    out->rule = GP_IMPERSONATE_EXPLICIT_CREDENTIALS;
    explain(out, "condition 2: the server's session logged on with explicit credentials to "
                 "create the client's token (LogonUser), so no privilege is needed");
  } else if (held) {
    explain_privilege_held(out, token, held);
  } else {
    explain_privilege_missing(out, token, request);
  }
}

GpImpersonation *
gp_token_can_impersonate(const GpToken *server_token, const GpImpersonationRequest *request)
{
  GpImpersonation *out = g_new0(GpImpersonation, 1);

  out->explanation = g_ptr_array_new_with_free_func(g_free);
  decide(out, server_token, request);
  if (request->level == GP_LEVEL_DELEGATE)
    explain(out,
            "delegate level: using the client's identity on other computers also needs "
            "%s trusted for delegation in the directory (and the client not marked "
            "sensitive); gpsim does not model that",
            account_label(server_token));
  return out;
}
