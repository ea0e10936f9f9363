/* gp-access.c - security filtering (precedence-rules.md 1.6, D4).
 *
 * Exports gp_engine_computer_token(), the SIDs a domain controller sees for a
 * computer that reads GPOs, and gp_engine_check_gpo_access(), which walks a
 * GPO's DACL for that token the way the access check does and says whether
 * the computer may read the GPO and apply it.
 */
#include <string.h>

#include "gp-engine-private.h"
#include "gp-names.h"

/* ------------------------------------------------------------------ tokens */

#define RID_DOMAIN_COMPUTERS       515u
#define SID_ENTERPRISE_CONTROLLERS "S-1-5-9"
#define SID_DOMAIN_PREFIX          "S-1-5-21-"

/* The SIDs of every network logon of a domain computer. */
static const char *const logon_sids[] = {
  "S-1-1-0",      /* Everyone */
  "S-1-5-11",     /* Authenticated Users */
  "S-1-5-15",     /* This Organization */
  "S-1-5-2",      /* NETWORK */
  "S-1-5-32-545", /* BUILTIN\Users */
};

/* gp_dn_normalize() for the common DN, quickly: printable ASCII without '\\' and
 * without blanks next to ',' or '=' or at either end normalises to its
 * lower-case copy; anything else takes the general path. */
static char *
dn_key(const char *dn)
{
  const char *p;

  for (p = dn; *p; p++) {
    guchar c = (guchar)*p;
    gboolean blank = c == ' ';
    if (c < 0x20 || c > 0x7e || c == '\\'
        || (blank
            && (p == dn || p[1] == '\0' || p[1] == ',' || p[1] == '=' || p[-1] == ','
                || p[-1] == '=')))
      return gp_dn_normalize(dn);
  }
  return g_ascii_strdown(dn, p - dn);
}

/* The model's groups indexed for tokens, built once per evaluation or cache. */
struct _GpTokenIndex {
  const GpModel *model;
  GPtrArray *keys;       /* char*: each group's normalised DN, model order */
  GHashTable *by_dn;     /* normalised DN -> group index + 1 */
  GHashTable *by_sid;    /* upper-case SID -> index + 1 of the first group with it */
  GHashTable *by_member; /* normalised member DN -> GArray of guint group indexes, ascending */
};

static void
index_member(GpTokenIndex *index, const char *member, guint group)
{
  char *key = dn_key(member);
  GArray *groups = g_hash_table_lookup(index->by_member, key);

  if (!groups) {
    groups = g_array_new(FALSE, FALSE, sizeof(guint));
    g_hash_table_insert(index->by_member, key, groups);
  } else {
    g_free(key);
  }
  if (groups->len == 0 || g_array_index(groups, guint, groups->len - 1) != group)
    g_array_append_val(groups, group);
}

GpTokenIndex *
gp_token_index_new(const GpModel *model)
{
  const GPtrArray *groups = gp_model_groups(model);
  GpTokenIndex *index = g_new0(GpTokenIndex, 1);

  index->model = model;
  index->keys = g_ptr_array_new_with_free_func(g_free);
  index->by_dn = g_hash_table_new(g_str_hash, g_str_equal);
  index->by_sid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  index->by_member
      = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
  for (guint i = 0; i < groups->len; i++) {
    const GpGroup *group = g_ptr_array_index(groups, i);
    char *key = dn_key(group->dn);

    g_ptr_array_add(index->keys, key);
    if (!g_hash_table_contains(index->by_dn, key))
      g_hash_table_insert(index->by_dn, key, GUINT_TO_POINTER(i + 1));
    if (group->sid && !g_hash_table_contains(index->by_sid, group->sid))
      g_hash_table_insert(index->by_sid, g_ascii_strup(group->sid, -1), GUINT_TO_POINTER(i + 1));
    for (guint m = 0; m < group->members->len; m++)
      index_member(index, g_ptr_array_index(group->members, m), i);
  }
  return index;
}

void
gp_token_index_free(GpTokenIndex *index)
{
  if (!index)
    return;
  g_hash_table_unref(index->by_dn);
  g_hash_table_unref(index->by_sid);
  g_hash_table_unref(index->by_member);
  g_ptr_array_unref(index->keys);
  g_free(index);
}

/* Tokens are small (tens of SIDs), so plain arrays beat hash tables here. */
typedef struct {
  const GpTokenIndex *index;
  GPtrArray *sids;     /* char*, upper case, the result being built */
  GPtrArray *in_token; /* char*: normalised DNs of the computer and its groups */
  GQueue pending;      /* char* DNs (owned) of groups still to visit */
} Token;

static gboolean
strv_has(const GPtrArray *array, const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp(g_ptr_array_index(array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
token_add_sid(Token *token, const char *sid)
{
  char *upper;

  if (sid == NULL || *sid == '\0')
    return;
  upper = g_ascii_strup(sid, -1);
  if (strv_has(token->sids, upper)) {
    g_free(upper);
    return;
  }
  g_ptr_array_add(token->sids, upper);
}

static const GpGroup *
index_group(const GpTokenIndex *index, GHashTable *table, const char *key)
{
  guint position = GPOINTER_TO_UINT(g_hash_table_lookup(table, key));

  return position ? g_ptr_array_index(gp_model_groups(index->model), position - 1) : NULL;
}

/* Visits every pending group DN: records it, adds its SID, and queues the
 * groups it is a member of.  A DN already seen is skipped, so cycles end. */
static void
token_drain(Token *token)
{
  char *dn;

  while ((dn = g_queue_pop_head(&token->pending))) {
    char *key = dn_key(dn);
    const GpGroup *group;

    g_free(dn);
    if (strv_has(token->in_token, key)) {
      g_free(key);
      continue;
    }
    g_ptr_array_add(token->in_token, key);
    group = index_group(token->index, token->index->by_dn, key);
    if (group == NULL)
      continue;
    token_add_sid(token, group->sid);
    for (guint i = 0; i < group->member_of->len; i++)
      g_queue_push_tail(&token->pending, g_strdup(g_ptr_array_index(group->member_of, i)));
  }
}

static gint
compare_guint(gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *)a, y = *(const guint *)b;

  return x < y ? -1 : x > y;
}

/* Queues, in model order, the groups not yet in the token whose member list
 * names something in it.  Returns: TRUE when it queued any. */
static gboolean
token_scan_members(Token *token)
{
  const GPtrArray *groups = gp_model_groups(token->index->model);
  g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(guint));
  guint queued = 0;

  for (guint i = 0; i < token->in_token->len; i++) {
    GArray *holders
        = g_hash_table_lookup(token->index->by_member, g_ptr_array_index(token->in_token, i));
    for (guint k = 0; holders && k < holders->len; k++) {
      guint group = g_array_index(holders, guint, k);
      if (!strv_has(token->in_token, g_ptr_array_index(token->index->keys, group)))
        g_array_append_val(found, group);
    }
  }
  g_array_sort(found, compare_guint);
  for (guint i = 0; i < found->len; i++) {
    guint group = g_array_index(found, guint, i);
    if (i > 0 && g_array_index(found, guint, i - 1) == group)
      continue;
    g_queue_push_tail(&token->pending, g_strdup(((GpGroup *)groups->pdata[group])->dn));
    queued++;
  }
  return queued > 0;
}

/* Follows memberOf and member links until nothing new turns up. */
static void
token_expand(Token *token)
{
  do
    token_drain(token);
  while (token_scan_members(token));
}

/* Adds @sid and queues the model's group of that SID, so that the groups it is
 * a member of join the token too. */
static void
token_add_group_sid(Token *token, const char *sid)
{
  g_autofree char *upper = NULL;
  const GpGroup *group;

  if (sid == NULL || *sid == '\0')
    return;
  token_add_sid(token, sid);
  upper = g_ascii_strup(sid, -1);
  group = index_group(token->index, token->index->by_sid, upper);
  if (group)
    g_queue_push_tail(&token->pending, g_strdup(group->dn));
}

/* Returns: (transfer full) (nullable): the SID of the computer's domain: its
 * own SID without the last RID, else the SID of the domain its DN is in. */
static char *
domain_sid_of(const GpModel *model, const GpComputer *computer)
{
  g_autofree char *domain_dn = NULL;
  const GpDomain *domain;
  const char *last_dash;

  if (computer->sid && gp_sid_is_valid(computer->sid)
      && g_ascii_strncasecmp(computer->sid, SID_DOMAIN_PREFIX, strlen(SID_DOMAIN_PREFIX)) == 0) {
    last_dash = strrchr(computer->sid, '-');
    return g_strndup(computer->sid, (gsize)(last_dash - computer->sid));
  }
  domain_dn = computer->dn ? gp_dn_domain_part(computer->dn) : NULL;
  domain = domain_dn ? gp_model_find_domain(model, domain_dn) : NULL;
  return domain && domain->sid ? g_strdup(domain->sid) : NULL;
}

/* Adds the primary group: domain SID + primaryGroupID (515 when absent). */
static void
token_add_primary_group(Token *token, const GpComputer *computer)
{
  g_autofree char *domain_sid = domain_sid_of(token->index->model, computer);
  g_autofree char *sid = NULL;
  guint32 rid = computer->primary_group_id ? computer->primary_group_id : RID_DOMAIN_COMPUTERS;

  if (domain_sid == NULL)
    return;
  sid = g_strdup_printf("%s-%u", domain_sid, rid);
  token_add_group_sid(token, sid);
}

static gboolean
is_domain_controller(const GpComputer *computer)
{
  gboolean assumed = FALSE;
  g_autofree char *reason = NULL;

  return gp_engine_computer_role(computer, &assumed, &reason) == GP_ROLE_DOMAIN_CONTROLLER;
}

GPtrArray *
gp_token_index_token(const GpTokenIndex *index, const GpComputer *computer,
                     const char *const *extra_groups)
{
  Token token = { index, g_ptr_array_new_with_free_func(g_free),
                  g_ptr_array_new_with_free_func(g_free), G_QUEUE_INIT };

  token_add_sid(&token, computer->sid);
  if (computer->dn)
    g_ptr_array_add(token.in_token, dn_key(computer->dn));
  token_add_primary_group(&token, computer);
  for (guint i = 0; i < computer->member_of->len; i++)
    g_queue_push_tail(&token.pending, g_strdup(g_ptr_array_index(computer->member_of, i)));
  token_expand(&token);
  for (guint i = 0; extra_groups && extra_groups[i]; i++)
    token_add_group_sid(&token, extra_groups[i]);
  token_expand(&token);
  for (gsize i = 0; i < G_N_ELEMENTS(logon_sids); i++)
    token_add_sid(&token, logon_sids[i]);
  if (is_domain_controller(computer))
    token_add_sid(&token, SID_ENTERPRISE_CONTROLLERS);
  g_ptr_array_unref(token.in_token);
  return token.sids;
}

GPtrArray *
gp_engine_computer_token(const GpModel *model, const GpComputer *computer,
                         const char *const *extra_groups)
{
  GpTokenIndex *index = gp_token_index_new(model);
  GPtrArray *sids = gp_token_index_token(index, computer, extra_groups);

  gp_token_index_free(index);
  return sids;
}

/* ---------------------------------------------------------- access check */

typedef enum {
  RIGHT_READ,
  RIGHT_APPLY,
  RIGHT_COUNT,
} GpoRight;

static const char *const right_names[RIGHT_COUNT] = { "Read", "Apply Group Policy" };

/* Who decided a right: 1-based ACE numbers, 0 for none. */
typedef struct {
  guint granted_by;
  guint denied_by;
} RightState;

static gboolean
token_has(const GPtrArray *token, const char *sid)
{
  for (guint i = 0; sid && i < token->len; i++)
    if (g_ascii_strcasecmp(g_ptr_array_index(token, i), sid) == 0)
      return TRUE;
  return FALSE;
}

/* TRUE when @object_type names Apply Group Policy; the usual "{...}" form is
 * compared in place, any other spelling normalised first. */
static gboolean
is_apply_guid(const char *object_type)
{
  g_autofree char *normal = NULL;

  if (object_type[0] == '{' && strlen(object_type) == strlen(GP_APPLY_GROUP_POLICY_GUID))
    return g_ascii_strcasecmp(object_type, GP_APPLY_GROUP_POLICY_GUID) == 0;
  normal = gp_guid_normalize(object_type);
  return g_strcmp0(normal, GP_APPLY_GROUP_POLICY_GUID) == 0;
}

/* Returns: the GpoRight bits @ace speaks about.  Read is READ_PROPERTY on the
 * whole object (no object type); Apply is CONTROL_ACCESS on the whole object or
 * on the Apply Group Policy right.  Generic bits count as what they map to. */
static guint
ace_rights(const GpAce *ace)
{
  gboolean whole = ace->object_type == NULL;
  gboolean apply_object = whole || is_apply_guid(ace->object_type);
  guint32 mask = ace->mask;
  guint rights = 0;

  if (mask & GP_ACCESS_GENERIC_ALL)
    mask |= GP_ACCESS_READ_PROPERTY | GP_ACCESS_CONTROL_ACCESS;
  if (mask & GP_ACCESS_GENERIC_READ)
    mask |= GP_ACCESS_READ_PROPERTY;
  if (whole && (mask & GP_ACCESS_READ_PROPERTY))
    rights |= 1u << RIGHT_READ;
  if (apply_object && (mask & GP_ACCESS_CONTROL_ACCESS))
    rights |= 1u << RIGHT_APPLY;
  return rights;
}

/* Applies ACE number @number to @states: the first ACE to name a right decides it. */
static void
apply_ace(const GpAce *ace, guint number, RightState *states)
{
  guint rights = ace_rights(ace);

  for (guint r = 0; r < RIGHT_COUNT; r++) {
    if (!(rights & (1u << r)) || states[r].granted_by || states[r].denied_by)
      continue;
    if (ace->type == GP_ACE_ALLOW)
      states[r].granted_by = number;
    else
      states[r].denied_by = number;
  }
}

/* Returns: (transfer full): why @right is as @state says. */
static char *
describe_right(const GPtrArray *dacl, GpoRight right, const RightState *state)
{
  guint number = state->denied_by ? state->denied_by : state->granted_by;
  const GpAce *ace;

  if (number == 0)
    return g_strdup_printf("no ACE grants %s to the computer's token", right_names[right]);
  ace = g_ptr_array_index(dacl, number - 1);
  return g_strdup_printf("%s by ACE %u (%s %s to %s)", state->denied_by ? "denied" : "granted",
                         number, state->denied_by ? "deny" : "allow", right_names[right], ace->sid);
}

/* Decides from the final @states and says why in @out_why (nullable). */
static GpAccessResult
access_verdict(const GPtrArray *dacl, const RightState *states, char **out_why)
{
  GpAccessResult result = GP_ACCESS_GRANTED;
  g_autofree char *read = describe_right(dacl, RIGHT_READ, &states[RIGHT_READ]);
  g_autofree char *apply = describe_right(dacl, RIGHT_APPLY, &states[RIGHT_APPLY]);

  if (!states[RIGHT_READ].granted_by)
    result = GP_ACCESS_NO_READ;
  else if (!states[RIGHT_APPLY].granted_by)
    result = GP_ACCESS_NO_APPLY;
  if (out_why == NULL)
    return result;
  if (result == GP_ACCESS_NO_READ)
    *out_why = g_steal_pointer(&read);
  else if (result == GP_ACCESS_NO_APPLY)
    *out_why = g_steal_pointer(&apply);
  else
    *out_why = g_strdup_printf("Read %s; Apply Group Policy %s", read, apply);
  return result;
}

static void
walk_dacl(const GPtrArray *dacl, const GPtrArray *token, RightState *states)
{
  for (guint i = 0; i < dacl->len; i++) {
    const GpAce *ace = g_ptr_array_index(dacl, i);

    if (ace->type == GP_ACE_OTHER || (ace->flags & GP_ACE_INHERIT_ONLY)
        || !token_has(token, ace->sid))
      continue;
    apply_ace(ace, i + 1, states);
  }
}

GpAccessResult
gp_engine_check_gpo_access(const GpSecurityDescriptor *sd, const GPtrArray *token, char **out_why)
{
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };

  if (sd == NULL || sd->dacl == NULL) {
    if (out_why)
      *out_why = g_strdup(sd ? "the descriptor has no DACL" : "no security descriptor is known");
    return GP_ACCESS_GRANTED;
  }
  walk_dacl(sd->dacl, token, states);
  return access_verdict(sd->dacl, states, out_why);
}

void
gp_access_decisions(const GpSecurityDescriptor *sd, const GPtrArray *token, guint out[4])
{
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };

  if (sd != NULL && sd->dacl != NULL)
    walk_dacl(sd->dacl, token, states);
  out[0] = states[RIGHT_READ].granted_by;
  out[1] = states[RIGHT_READ].denied_by;
  out[2] = states[RIGHT_APPLY].granted_by;
  out[3] = states[RIGHT_APPLY].denied_by;
}

static gboolean
is_logon_sid(const char *sid)
{
  for (gsize i = 0; sid && i < G_N_ELEMENTS(logon_sids); i++)
    if (g_ascii_strcasecmp(sid, logon_sids[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Every computer's token holds the logon SIDs: an allow ACE for one of them
 * reached before any deny ACE for the same right settles the right, whatever
 * else the token holds.  Returns: TRUE when both rights are settled so. */
gboolean
gp_access_token_independent(const GpSecurityDescriptor *sd)
{
  gboolean settled[RIGHT_COUNT] = { FALSE, FALSE };

  if (sd == NULL || sd->dacl == NULL)
    return TRUE;
  for (guint i = 0; i < sd->dacl->len; i++) {
    const GpAce *ace = g_ptr_array_index(sd->dacl, i);
    guint rights;

    if (ace->type == GP_ACE_OTHER || (ace->flags & GP_ACE_INHERIT_ONLY))
      continue;
    rights = ace_rights(ace);
    for (guint r = 0; r < RIGHT_COUNT; r++) {
      if (!(rights & (1u << r)) || settled[r])
        continue;
      if (ace->type != GP_ACE_ALLOW)
        return FALSE;
      settled[r] = is_logon_sid(ace->sid);
    }
  }
  return settled[RIGHT_READ] && settled[RIGHT_APPLY];
}
