/* test_access.c - security filtering (engine/gp-access.c): the computer's token
 * (primary group, nested groups through memberOf and member, cycles, extra
 * groups, well-known SIDs, domain controllers) and the DACL walk that decides
 * Read and Apply Group Policy, ACE order, inherit-only, object types and
 * generic rights included. */
#include "gp-test.h"

#include <stdio.h>
#include <string.h>

#include "gp-engine-private.h"

#define DOM         "S-1-5-21-1-2-3"
#define AU          "S-1-5-11"
#define APPLY       GP_APPLY_GROUP_POLICY_GUID
#define OTHER_GUID  "{BF967AA5-0DE6-11D0-A285-00AA003049E2}"
#define READ_MASK   0x00020094u /* RP LC LO RC */
#define RP          GP_ACCESS_READ_PROPERTY
#define CR          GP_ACCESS_CONTROL_ACCESS
#define FULL        0x000F01FFu
#define IO          GP_ACE_INHERIT_ONLY
#define CI          0x02u
#define DOMAIN_DN   "DC=contoso,DC=com"
#define COMPUTER_DN "CN=WEB01,OU=Servers," DOMAIN_DN
#define MAX_ACES    4

typedef struct {
  GpAceType type;
  guint8 flags;
  guint32 mask;
  const char *object_type;
  const char *sid;
} TestAce;

static GpSecurityDescriptor *
sd_of(const TestAce *aces)
{
  GpSecurityDescriptor *sd = gp_security_descriptor_new();

  for (guint i = 0; i < MAX_ACES && aces[i].sid; i++)
    g_ptr_array_add(sd->dacl, gp_ace_new(aces[i].type, aces[i].flags, aces[i].mask,
                                         aces[i].object_type, aces[i].sid));
  return sd;
}

static GPtrArray *
strings_of(const char *const *sids)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; sids[i]; i++)
    g_ptr_array_add(out, g_strdup(sids[i]));
  return out;
}

static gboolean
contains(const GPtrArray *sids, const char *sid)
{
  for (guint i = 0; i < sids->len; i++)
    if (strcmp(g_ptr_array_index(sids, i), sid) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_unique(const GPtrArray *sids)
{
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

  for (guint i = 0; i < sids->len; i++)
    CU_ASSERT(g_hash_table_add(seen, g_ptr_array_index(sids, i)));
}

/* ---------------------------------------------------------- access tables */

/* A member server in group -1107, not in -2000. */
static const char *const server_token[] = {
  DOM "-1105", DOM "-515", DOM "-1107", "S-1-1-0", AU, "S-1-5-15", "S-1-5-2", "S-1-5-32-545", NULL,
};

static const struct {
  const char *name;
  TestAce aces[MAX_ACES];
  GpAccessResult expected;
  const char *why;
} access_cases[] = {
  { "default GPO DACL",
    { { GP_ACE_ALLOW, CI, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, CI, CR, APPLY, AU } },
    GP_ACCESS_GRANTED,
    "Read granted by ACE 1 (allow Read to S-1-5-11); Apply Group Policy granted by ACE 2 (allow "
    "Apply Group Policy to S-1-5-11)" },
  { "Apply only for a group the computer is not in",
    { { GP_ACE_ALLOW, CI, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, CI, CR, APPLY, DOM "-2000" } },
    GP_ACCESS_NO_APPLY,
    "no ACE grants Apply Group Policy to the computer's token" },
  { "deny before allow",
    { { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU },
      { GP_ACE_DENY, 0, CR, APPLY, DOM "-1107" },
      { GP_ACE_ALLOW, 0, CR, APPLY, AU } },
    GP_ACCESS_NO_APPLY,
    "denied by ACE 2 (deny Apply Group Policy to S-1-5-21-1-2-3-1107)" },
  { "allow before deny",
    { { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU },
      { GP_ACE_ALLOW, 0, CR, APPLY, AU },
      { GP_ACE_DENY, 0, CR, APPLY, DOM "-1107" } },
    GP_ACCESS_GRANTED,
    NULL },
  { "inherit-only allow ignored",
    { { GP_ACE_ALLOW, CI | IO, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, 0, CR, APPLY, AU } },
    GP_ACCESS_NO_READ,
    "no ACE grants Read to the computer's token" },
  { "inherit-only deny ignored",
    { { GP_ACE_DENY, IO, FULL, NULL, AU }, { GP_ACE_ALLOW, 0, READ_MASK | CR, NULL, AU } },
    GP_ACCESS_GRANTED,
    NULL },
  { "Read denied to Authenticated Users",
    { { GP_ACE_DENY, 0, RP, NULL, AU },
      { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU },
      { GP_ACE_ALLOW, 0, CR, APPLY, AU } },
    GP_ACCESS_NO_READ,
    "denied by ACE 1 (deny Read to S-1-5-11)" },
  { "object ACE with another GUID does not grant Apply",
    { { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, 0, CR, OTHER_GUID, AU } },
    GP_ACCESS_NO_APPLY,
    "no ACE grants Apply Group Policy to the computer's token" },
  { "object ACE with another GUID does not deny Apply",
    { { GP_ACE_DENY, 0, CR, OTHER_GUID, AU }, { GP_ACE_ALLOW, 0, READ_MASK | CR, NULL, AU } },
    GP_ACCESS_GRANTED,
    NULL },
  { "Read on one property is not Read",
    { { GP_ACE_ALLOW, 0, RP, OTHER_GUID, AU }, { GP_ACE_ALLOW, 0, CR, APPLY, AU } },
    GP_ACCESS_NO_READ,
    NULL },
  { "CR with no object type grants Apply",
    { { GP_ACE_ALLOW, 0, READ_MASK | CR, NULL, AU } },
    GP_ACCESS_GRANTED,
    "Read granted by ACE 1 (allow Read to S-1-5-11); Apply Group Policy granted by ACE 1 (allow "
    "Apply Group Policy to S-1-5-11)" },
  { "GENERIC_ALL grants both",
    { { GP_ACE_ALLOW, 0, GP_ACCESS_GENERIC_ALL, NULL, DOM "-1107" } },
    GP_ACCESS_GRANTED,
    NULL },
  { "full control grants both",
    { { GP_ACE_ALLOW, 0, FULL, NULL, "S-1-1-0" } },
    GP_ACCESS_GRANTED,
    NULL },
  { "GENERIC_READ grants Read only",
    { { GP_ACE_ALLOW, 0, GP_ACCESS_GENERIC_READ, NULL, AU } },
    GP_ACCESS_NO_APPLY,
    NULL },
  { "GENERIC_ALL deny denies Read first",
    { { GP_ACE_DENY, 0, GP_ACCESS_GENERIC_ALL, NULL, DOM "-1107" },
      { GP_ACE_ALLOW, 0, FULL, NULL, AU } },
    GP_ACCESS_NO_READ,
    "denied by ACE 1 (deny Read to S-1-5-21-1-2-3-1107)" },
  { "deny to a group the computer is not in",
    { { GP_ACE_DENY, 0, FULL, NULL, DOM "-2000" }, { GP_ACE_ALLOW, 0, FULL, NULL, AU } },
    GP_ACCESS_GRANTED,
    NULL },
  { "audit and other ACEs never decide",
    { { GP_ACE_OTHER, 0, FULL, NULL, AU }, { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU } },
    GP_ACCESS_NO_APPLY,
    NULL },
  { "empty DACL", { { 0 } }, GP_ACCESS_NO_READ, "no ACE grants Read to the computer's token" },
  { "SIDs and GUIDs compared in any case",
    { { GP_ACE_ALLOW, 0, READ_MASK, NULL, "s-1-5-11" },
      { GP_ACE_ALLOW, 0, CR, "edacfd8f-ffb3-11d1-b41d-00a0c968f939", "s-1-5-21-1-2-3-1107" } },
    GP_ACCESS_GRANTED,
    NULL },
};

static void
test_access_table(void)
{
  g_autoptr(GPtrArray) token = strings_of(server_token);

  for (gsize i = 0; i < G_N_ELEMENTS(access_cases); i++) {
    GpSecurityDescriptor *sd = sd_of(access_cases[i].aces);
    g_autofree char *why = NULL;
    GpAccessResult result = gp_engine_check_gpo_access(sd, token, &why);

    if (result != access_cases[i].expected)
      printf("\ncase '%s': result %d, expected %d (%s)\n", access_cases[i].name, result,
             access_cases[i].expected, why);
    CU_ASSERT_EQUAL(result, access_cases[i].expected);
    CU_ASSERT_PTR_NOT_NULL(why);
    if (access_cases[i].why)
      GP_ASSERT_STR(why, access_cases[i].why);
    CU_ASSERT_EQUAL(gp_engine_check_gpo_access(sd, token, NULL), result);
    gp_security_descriptor_free(sd);
  }
}

static void
test_access_null_dacl(void)
{
  g_autoptr(GPtrArray) token = strings_of(server_token);
  GpSecurityDescriptor *sd = gp_security_descriptor_new();
  g_autofree char *why = NULL;
  g_autofree char *why_none = NULL;

  g_clear_pointer(&sd->dacl, g_ptr_array_unref);
  CU_ASSERT_EQUAL(gp_engine_check_gpo_access(sd, token, &why), GP_ACCESS_GRANTED);
  GP_ASSERT_STR(why, "the descriptor has no DACL");
  CU_ASSERT_EQUAL(gp_engine_check_gpo_access(NULL, token, &why_none), GP_ACCESS_GRANTED);
  CU_ASSERT_PTR_NOT_NULL(why_none);
  gp_security_descriptor_free(sd);
}

/* ------------------------------------------------------------------ tokens */

static GpComputer *
add_computer(GpModel *model, const char *sid, guint32 primary_group_id)
{
  GpComputer *computer = gp_model_ensure_computer(model, COMPUTER_DN);

  computer->sid = g_strdup(sid);
  computer->primary_group_id = primary_group_id;
  computer->operating_system = g_strdup("Windows Server 2022 Standard");
  return computer;
}

static GpGroup *
add_group(GpModel *model, const char *cn, const char *sid)
{
  g_autofree char *dn = g_strdup_printf("CN=%s,OU=Groups," DOMAIN_DN, cn);
  GpGroup *group = gp_model_ensure_group(model, dn);

  group->sid = g_strdup(sid);
  return group;
}

static void
add_dn(GPtrArray *list, const char *dn)
{
  g_ptr_array_add(list, g_strdup(dn));
}

static void
test_token_member_server(void)
{
  static const char *const expected[] = {
    DOM "-1105", DOM "-515", "S-1-1-0", AU, "S-1-5-15", "S-1-5-2", "S-1-5-32-545",
  };
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, "s-1-5-21-1-2-3-1105", 0);
  g_autoptr(GPtrArray) token = gp_engine_computer_token(model, computer, NULL);

  CU_ASSERT_EQUAL_FATAL(token->len, G_N_ELEMENTS(expected));
  for (gsize i = 0; i < G_N_ELEMENTS(expected); i++)
    GP_ASSERT_STR(g_ptr_array_index(token, i), expected[i]);
  CU_ASSERT_FALSE(contains(token, "S-1-5-9"));
}

static void
test_token_domain_controller(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1000", 516);
  g_autoptr(GPtrArray) token = NULL;

  computer->has_user_account_control = TRUE;
  computer->user_account_control = 0x82000;
  token = gp_engine_computer_token(model, computer, NULL);
  CU_ASSERT(contains(token, DOM "-516"));
  CU_ASSERT_FALSE(contains(token, DOM "-515"));
  CU_ASSERT(contains(token, "S-1-5-9"));
  CU_ASSERT(contains(token, AU));
  assert_unique(token);
}

/* Without its own SID the computer's domain comes from its DN; without either
 * there is no primary group, and nothing fails. */
static void
test_token_domain_sid_from_domain(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, NULL, 0);
  g_autoptr(GPtrArray) bare = gp_engine_computer_token(model, computer, NULL);
  g_autoptr(GPtrArray) token = NULL;

  CU_ASSERT_EQUAL(bare->len, 5);
  gp_model_ensure_domain(model, DOMAIN_DN)->sid = g_strdup(DOM);
  token = gp_engine_computer_token(model, computer, NULL);
  GP_ASSERT_STR(g_ptr_array_index(token, 0), DOM "-515");
  CU_ASSERT_EQUAL(token->len, 6);
}

/* computer -> A -> B -> C through memberOf; a group with no SID still passes
 * its memberships on. */
static void
test_token_nested_member_of(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);
  GpGroup *a = add_group(model, "A", DOM "-2001");
  GpGroup *b = add_group(model, "B", NULL);
  GpGroup *c = add_group(model, "C", DOM "-2003");
  g_autoptr(GPtrArray) token = NULL;

  add_dn(computer->member_of, "cn=a, ou=groups, dc=CONTOSO, dc=com");
  add_dn(a->member_of, b->dn);
  add_dn(b->member_of, c->dn);
  token = gp_engine_computer_token(model, computer, NULL);
  CU_ASSERT(contains(token, DOM "-2001"));
  CU_ASSERT(contains(token, DOM "-2003"));
  assert_unique(token);
}

/* G1's member list names the computer (in another spelling), G2's names G1. */
static void
test_token_members_lists(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);
  GpGroup *g2 = add_group(model, "G2", DOM "-2102");
  GpGroup *g1 = add_group(model, "G1", DOM "-2101");
  GpGroup *g3 = add_group(model, "G3", DOM "-2103");
  g_autoptr(GPtrArray) token = NULL;

  add_dn(g1->members, "cn=web01 , ou=SERVERS,dc=contoso,dc=com");
  add_dn(g2->members, g1->dn);
  add_dn(g3->members, "CN=Other,OU=Servers," DOMAIN_DN);
  token = gp_engine_computer_token(model, computer, NULL);
  CU_ASSERT(contains(token, DOM "-2101"));
  CU_ASSERT(contains(token, DOM "-2102"));
  CU_ASSERT_FALSE(contains(token, DOM "-2103"));
}

/* A -> B -> A through memberOf, and C <-> D through member lists: the walk ends
 * and every SID is there once. */
static void
test_token_cycles(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);
  GpGroup *a = add_group(model, "A", DOM "-2201");
  GpGroup *b = add_group(model, "B", DOM "-2202");
  GpGroup *c = add_group(model, "C", DOM "-2203");
  GpGroup *d = add_group(model, "D", DOM "-2204");
  g_autoptr(GPtrArray) token = NULL;

  add_dn(computer->member_of, a->dn);
  add_dn(a->member_of, b->dn);
  add_dn(b->member_of, a->dn);
  add_dn(b->members, a->dn);
  add_dn(c->members, COMPUTER_DN);
  add_dn(c->members, d->dn);
  add_dn(d->members, c->dn);
  add_dn(c->member_of, d->dn);
  token = gp_engine_computer_token(model, computer, NULL);
  for (guint rid = 2201; rid <= 2204; rid++) {
    g_autofree char *sid = g_strdup_printf(DOM "-%u", rid);
    CU_ASSERT(contains(token, sid));
  }
  assert_unique(token);
}

/* The same group reached several ways, and extra groups repeating token SIDs,
 * appear once; extra groups are upper-cased and bring their own groups. */
static void
test_token_unique_and_extra_groups(void)
{
  static const char *const extra[]
      = { "s-1-5-21-1-2-3-3000", DOM "-2301", AU, DOM "-2303", "", NULL };
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);
  GpGroup *a = add_group(model, "A", DOM "-2301");
  GpGroup *c = add_group(model, "C", DOM "-2303");
  GpGroup *d = add_group(model, "D", DOM "-2304");
  g_autoptr(GPtrArray) token = NULL;

  add_dn(computer->member_of, a->dn);
  add_dn(computer->member_of, a->dn);
  add_dn(a->members, COMPUTER_DN);
  add_dn(c->member_of, d->dn);
  token = gp_engine_computer_token(model, computer, extra);
  assert_unique(token);
  CU_ASSERT(contains(token, DOM "-3000"));
  CU_ASSERT(contains(token, DOM "-2301"));
  CU_ASSERT(contains(token, DOM "-2304"));
  CU_ASSERT_EQUAL(token->len, 2 + 1 + 3 + 5);
}

/* Domain Computers (the primary group) is itself a member of another group. */
static void
test_token_primary_group_nesting(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);
  GpGroup *computers = add_group(model, "Domain Computers", DOM "-515");
  GpGroup *parent = add_group(model, "Servers Parent", DOM "-2401");
  g_autoptr(GPtrArray) token = NULL;

  add_dn(computers->member_of, parent->dn);
  token = gp_engine_computer_token(model, computer, NULL);
  CU_ASSERT(contains(token, DOM "-2401"));
}

static GpComputer *
add_named_computer(GpModel *model, const char *cn, const char *sid)
{
  g_autofree char *dn = g_strdup_printf("CN=%s,OU=Servers," DOMAIN_DN, cn);
  GpComputer *computer = gp_model_ensure_computer(model, dn);

  computer->sid = g_strdup(sid);
  return computer;
}

static void
assert_same_token(const GPtrArray *token, const GPtrArray *expected)
{
  CU_ASSERT_EQUAL_FATAL(token->len, expected->len);
  for (guint i = 0; i < token->len; i++)
    GP_ASSERT_STR(g_ptr_array_index(token, i), g_ptr_array_index(expected, i));
}

/* One index remembers what computers with the same groups share; each token is
 * still the one a fresh index gives, in the same order, when a computer's own
 * SID is also a shared group's (WEB02) and when its DN is also a group's, one
 * the others reach but it does not (WEB04). */
static void
test_token_index_shared(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpGroup *a = add_group(model, "A", DOM "-2501");
  GpGroup *b = add_group(model, "B", DOM "-2502");
  GpComputer *computers[] = {
    add_named_computer(model, "WEB01", DOM "-1105"),
    add_named_computer(model, "WEB02", DOM "-2502"),
    add_named_computer(model, "WEB03", DOM "-1107"),
    add_named_computer(model, "WEB04", DOM "-1108"),
  };
  GpTokenIndex *index = NULL;

  add_dn(a->member_of, b->dn);
  for (gsize i = 0; i < G_N_ELEMENTS(computers); i++)
    if (i != 2)
      add_dn(a->members, computers[i]->dn);
  add_dn(computers[2]->member_of, a->dn);
  gp_model_ensure_group(model, computers[3]->dn)->sid = g_strdup(DOM "-2504");
  add_dn(a->member_of, computers[3]->dn);
  index = gp_token_index_new(model);
  for (guint round = 0; round < 2; round++) {
    for (gsize i = 0; i < G_N_ELEMENTS(computers); i++) {
      g_autoptr(GPtrArray) token = gp_token_index_token(index, computers[i], NULL);
      g_autoptr(GPtrArray) alone = gp_engine_computer_token(model, computers[i], NULL);
      assert_same_token(token, alone);
      assert_unique(token);
      CU_ASSERT(contains(token, DOM "-2502"));
    }
  }
  gp_token_index_free(index);
}

/* Descriptors that name the computers of test_token_index_decisions(): WEB03's
 * own SID (in another case too), WEB01's, WEB02's (also group B's), and WEB03's
 * in inherit-only and other ACEs, which never decide. */
static const TestAce own_sid_dacls[][MAX_ACES] = {
  { { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU },
    { GP_ACE_DENY, 0, CR, APPLY, DOM "-1107" },
    { GP_ACE_ALLOW, 0, CR, APPLY, AU } },
  { { GP_ACE_DENY, 0, FULL, NULL, "s-1-5-21-1-2-3-1107" }, { GP_ACE_ALLOW, 0, FULL, NULL, AU } },
  { { GP_ACE_ALLOW, 0, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, 0, CR, APPLY, DOM "-1105" } },
  { { GP_ACE_DENY, 0, RP, NULL, DOM "-2502" }, { GP_ACE_ALLOW, 0, FULL, NULL, AU } },
  { { GP_ACE_DENY, IO, FULL, NULL, DOM "-1107" },
    { GP_ACE_OTHER, 0, FULL, NULL, DOM "-1107" },
    { GP_ACE_ALLOW, CI | IO, CR, APPLY, DOM "-1107" },
    { GP_ACE_ALLOW, 0, READ_MASK | CR, NULL, AU } },
  { { GP_ACE_ALLOW, IO, FULL, NULL, DOM "-1107" },
    { GP_ACE_ALLOW, 0, READ_MASK, NULL, DOM "-2501" } },
};

/* gp_token_index_decisions() against gp_access_decisions() on a fresh token:
 * WEB01, WEB03 and WEB05 (no SID of its own) share their groups, WEB02's own
 * SID is group B's, WEB04's DN is a group's (nothing shared).  WEB01 goes
 * first, so WEB03 meets descriptors the index already decided for their shared
 * part, some of which name WEB03 itself. */
static void
test_token_index_decisions(void)
{
  static const char *const extra[] = { DOM "-1107", NULL };
  g_autoptr(GpModel) model = gp_model_new();
  GpGroup *a = add_group(model, "A", DOM "-2501");
  GpGroup *b = add_group(model, "B", DOM "-2502");
  GpComputer *computers[] = {
    add_named_computer(model, "WEB01", DOM "-1105"),
    add_named_computer(model, "WEB02", DOM "-2502"),
    add_named_computer(model, "WEB03", DOM "-1107"),
    add_named_computer(model, "WEB04", DOM "-1108"),
    add_named_computer(model, "WEB05", NULL),
  };
  g_autoptr(GPtrArray) sds
      = g_ptr_array_new_with_free_func((GDestroyNotify)gp_security_descriptor_free);
  GpSecurityDescriptor *no_dacl = gp_security_descriptor_new();
  GpTokenIndex *index = NULL;
  g_auto(GpTokenRef) shared_ref = { 0 };

  gp_model_ensure_domain(model, DOMAIN_DN)->sid = g_strdup(DOM);
  add_dn(a->member_of, b->dn);
  for (gsize i = 0; i < G_N_ELEMENTS(computers); i++)
    add_dn(a->members, computers[i]->dn);
  gp_model_ensure_group(model, computers[3]->dn)->sid = g_strdup(DOM "-2504");
  for (gsize i = 0; i < G_N_ELEMENTS(own_sid_dacls); i++)
    g_ptr_array_add(sds, sd_of(own_sid_dacls[i]));
  for (gsize i = 0; i < G_N_ELEMENTS(access_cases); i++)
    g_ptr_array_add(sds, sd_of(access_cases[i].aces));
  g_ptr_array_add(sds, no_dacl);
  g_clear_pointer(&no_dacl->dacl, g_ptr_array_unref);
  g_ptr_array_add(sds, NULL);
  index = gp_token_index_new(model);
  for (guint round = 0; round < 4; round++) {
    const char *const *groups = round >= 2 ? extra : NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(computers); i++) {
      g_autoptr(GPtrArray) token = gp_engine_computer_token(model, computers[i], groups);
      g_auto(GpTokenRef) ref = { 0 };
      for (guint k = 0; k < sds->len; k++) {
        guint expected[4], got[4], again[4];
        gp_access_decisions(sds->pdata[k], token, expected);
        gp_token_index_decisions(index, &ref, computers[i], groups, sds->pdata[k], got);
        /* One ref passed from computer to computer follows them. */
        gp_token_index_decisions(index, &shared_ref, computers[i], groups, sds->pdata[k], again);
        if (memcmp(got, expected, sizeof got) != 0)
          printf("\n%s, descriptor %u, round %u: %u %u %u %u, expected %u %u %u %u\n",
                 computers[i]->cn ? computers[i]->cn : computers[i]->dn, k, round, got[0], got[1],
                 got[2], got[3], expected[0], expected[1], expected[2], expected[3]);
        CU_ASSERT_EQUAL(memcmp(got, expected, sizeof got), 0);
        CU_ASSERT_EQUAL(memcmp(again, expected, sizeof again), 0);
      }
      /* Every computer but WEB04 got its decisions from the shared part. */
      CU_ASSERT_EQUAL(ref.shared == NULL, i == 3);
    }
  }
  gp_token_ref_clear(&shared_ref);
  gp_token_index_free(index);
}

/* ------------------------------------------------ token and check together */

static GpAccessResult
check_with_model(const GpModel *model, const GpComputer *computer, const TestAce *aces,
                 const char *const *extra, char **why)
{
  g_autoptr(GPtrArray) token = gp_engine_computer_token(model, computer, extra);
  GpSecurityDescriptor *sd = sd_of(aces);
  GpAccessResult result = gp_engine_check_gpo_access(sd, token, why);

  gp_security_descriptor_free(sd);
  return result;
}

/* Deny Apply to a group two levels up memberOf, then to one reached through
 * member lists: both stop the GPO. */
static void
test_check_nested_deny(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);
  GpGroup *a = add_group(model, "A", DOM "-2501");
  GpGroup *b = add_group(model, "B", DOM "-2502");
  GpGroup *m = add_group(model, "M", DOM "-2503");
  TestAce deny_b[MAX_ACES] = { { GP_ACE_DENY, 0, CR, APPLY, DOM "-2502" },
                               { GP_ACE_ALLOW, CI, READ_MASK, NULL, AU },
                               { GP_ACE_ALLOW, CI, CR, APPLY, AU } };
  g_autofree char *why = NULL;

  add_dn(computer->member_of, a->dn);
  add_dn(a->member_of, b->dn);
  add_dn(m->members, COMPUTER_DN);
  CU_ASSERT_EQUAL(check_with_model(model, computer, deny_b, NULL, &why), GP_ACCESS_NO_APPLY);
  GP_ASSERT_STR(why, "denied by ACE 1 (deny Apply Group Policy to S-1-5-21-1-2-3-2502)");
  deny_b[0].sid = DOM "-2503";
  CU_ASSERT_EQUAL(check_with_model(model, computer, deny_b, NULL, NULL), GP_ACCESS_NO_APPLY);
  deny_b[0].sid = DOM "-2999";
  CU_ASSERT_EQUAL(check_with_model(model, computer, deny_b, NULL, NULL), GP_ACCESS_GRANTED);
}

/* --add-group: an extra SID makes the Apply ACE of a filtered GPO match. */
static void
test_check_extra_group(void)
{
  static const char *const extra[] = { DOM "-3000", NULL };
  static const TestAce filtered[MAX_ACES]
      = { { GP_ACE_ALLOW, CI, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, CI, CR, APPLY, DOM "-3000" } };
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);

  CU_ASSERT_EQUAL(check_with_model(model, computer, filtered, NULL, NULL), GP_ACCESS_NO_APPLY);
  CU_ASSERT_EQUAL(check_with_model(model, computer, filtered, extra, NULL), GP_ACCESS_GRANTED);
}

/* Apply granted to Domain Controllers only: a DC gets it, a member server not. */
static void
test_check_domain_controllers_only(void)
{
  static const TestAce dcs_only[MAX_ACES]
      = { { GP_ACE_ALLOW, CI, READ_MASK, NULL, AU }, { GP_ACE_ALLOW, CI, CR, APPLY, "S-1-5-9" } };
  g_autoptr(GpModel) model = gp_model_new();
  GpComputer *computer = add_computer(model, DOM "-1105", 0);

  CU_ASSERT_EQUAL(check_with_model(model, computer, dcs_only, NULL, NULL), GP_ACCESS_NO_APPLY);
  computer->primary_group_id = 516;
  CU_ASSERT_EQUAL(check_with_model(model, computer, dcs_only, NULL, NULL), GP_ACCESS_GRANTED);
}

static const GpTestCase cases[] = {
  GP_TEST(test_access_table),
  GP_TEST(test_access_null_dacl),
  GP_TEST(test_token_member_server),
  GP_TEST(test_token_domain_controller),
  GP_TEST(test_token_domain_sid_from_domain),
  GP_TEST(test_token_nested_member_of),
  GP_TEST(test_token_members_lists),
  GP_TEST(test_token_cycles),
  GP_TEST(test_token_unique_and_extra_groups),
  GP_TEST(test_token_primary_group_nesting),
  GP_TEST(test_token_index_shared),
  GP_TEST(test_token_index_decisions),
  GP_TEST(test_check_nested_deny),
  GP_TEST(test_check_extra_group),
  GP_TEST(test_check_domain_controllers_only),
};
GP_TEST_MAIN("access", cases)
