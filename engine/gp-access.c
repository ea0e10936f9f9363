/* gp-access.c - security filtering (precedence-rules.md 1.6, D4).
 *
 * Exports gp_engine_computer_token(), the SIDs a domain controller sees for a
 * computer that reads GPOs, and gp_engine_check_gpo_access(), which walks a
 * GPO's DACL for that token the way the access check does and says whether
 * the computer may read the GPO and apply it.
 */
#include <string.h>

#include "gp-engine.h"
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

typedef struct {
  const GpModel *model;
  GPtrArray *sids;       /* char*, the result being built */
  GHashTable *seen_sids; /* upper-case SID -> (borrowed from sids) */
  GHashTable *in_token;  /* normalised DNs: the computer and its groups */
  GQueue pending;        /* char* DNs (owned) of groups still to visit */
} Token;

static void
token_add_sid(Token *token, const char *sid)
{
  char *upper;

  if (sid == NULL || *sid == '\0')
    return;
  upper = g_ascii_strup(sid, -1);
  if (g_hash_table_contains(token->seen_sids, upper)) {
    g_free(upper);
    return;
  }
  g_ptr_array_add(token->sids, upper);
  g_hash_table_add(token->seen_sids, upper);
}

/* Visits every pending group DN: records it, adds its SID, and queues the
 * groups it is a member of.  A DN already seen is skipped, so cycles end. */
static void
token_drain(Token *token)
{
  char *dn;

  while ((dn = g_queue_pop_head(&token->pending))) {
    char *key = gp_dn_normalize(dn);
    const GpGroup *group;

    if (g_hash_table_contains(token->in_token, key)) {
      g_free(key);
      g_free(dn);
      continue;
    }
    g_hash_table_add(token->in_token, key);
    group = gp_model_find_group(token->model, dn);
    g_free(dn);
    if (group == NULL)
      continue;
    token_add_sid(token, group->sid);
    for (guint i = 0; i < group->member_of->len; i++)
      g_queue_push_tail(&token->pending, g_strdup(g_ptr_array_index(group->member_of, i)));
  }
}

/* TRUE when @group's member list names the computer or a group in the token. */
static gboolean
has_member_in_token(const Token *token, const GpGroup *group)
{
  for (guint i = 0; i < group->members->len; i++) {
    g_autofree char *key = gp_dn_normalize(g_ptr_array_index(group->members, i));
    if (g_hash_table_contains(token->in_token, key))
      return TRUE;
  }
  return FALSE;
}

/* Queues the groups not yet in the token whose member list names something in
 * it.  Returns: TRUE when it queued any. */
static gboolean
token_scan_members(Token *token)
{
  const GPtrArray *groups = gp_model_groups(token->model);
  gboolean queued = FALSE;

  for (guint i = 0; i < groups->len; i++) {
    const GpGroup *group = g_ptr_array_index(groups, i);
    g_autofree char *key = gp_dn_normalize(group->dn);

    if (g_hash_table_contains(token->in_token, key) || !has_member_in_token(token, group))
      continue;
    g_queue_push_tail(&token->pending, g_strdup(group->dn));
    queued = TRUE;
  }
  return queued;
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
  const GpGroup *group;

  if (sid == NULL || *sid == '\0')
    return;
  token_add_sid(token, sid);
  group = gp_model_find_group_sid(token->model, sid);
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
  g_autofree char *domain_sid = domain_sid_of(token->model, computer);
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
gp_engine_computer_token(const GpModel *model, const GpComputer *computer,
                         const char *const *extra_groups)
{
  Token token
      = { model, g_ptr_array_new_with_free_func(g_free), g_hash_table_new(g_str_hash, g_str_equal),
          g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), G_QUEUE_INIT };

  token_add_sid(&token, computer->sid);
  if (computer->dn)
    g_hash_table_add(token.in_token, gp_dn_normalize(computer->dn));
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
  g_hash_table_unref(token.seen_sids);
  g_hash_table_unref(token.in_token);
  return token.sids;
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

/* Returns: the GpoRight bits @ace speaks about.  Read is READ_PROPERTY on the
 * whole object (no object type); Apply is CONTROL_ACCESS on the whole object or
 * on the Apply Group Policy right.  Generic bits count as what they map to. */
static guint
ace_rights(const GpAce *ace)
{
  g_autofree char *object_type = ace->object_type ? gp_guid_normalize(ace->object_type) : NULL;
  gboolean whole = ace->object_type == NULL;
  gboolean apply_object = whole || g_strcmp0(object_type, GP_APPLY_GROUP_POLICY_GUID) == 0;
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

GpAccessResult
gp_engine_check_gpo_access(const GpSecurityDescriptor *sd, const GPtrArray *token, char **out_why)
{
  RightState states[RIGHT_COUNT] = { { 0, 0 }, { 0, 0 } };

  if (sd == NULL || sd->dacl == NULL) {
    if (out_why)
      *out_why = g_strdup(sd ? "the descriptor has no DACL" : "no security descriptor is known");
    return GP_ACCESS_GRANTED;
  }
  for (guint i = 0; i < sd->dacl->len; i++) {
    const GpAce *ace = g_ptr_array_index(sd->dacl, i);

    if (ace->type == GP_ACE_OTHER || (ace->flags & GP_ACE_INHERIT_ONLY)
        || !token_has(token, ace->sid))
      continue;
    apply_ace(ace, i + 1, states);
  }
  return access_verdict(sd->dacl, states, out_why);
}
