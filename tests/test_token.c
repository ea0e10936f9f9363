/* test_token.c - the token of an account (engine/gp-token.c) on models built
 * in memory: the SIDs and their reasons for each logon type, nested domain
 * groups, well-known accounts, IIS application pool identities, the rights
 * matched (by the account's SID, through a group, through SERVICE, by a
 * holder written as a name), the notes, and the impersonation rules.
 *
 * Fixture: domain contoso.com (CONTOSO, DOM), OU=Servers with member server
 * SRV1 and one GPO, "Rights", linked there:
 *   SeImpersonatePrivilege = Administrators, SERVICE, Impersonators
 *   SeServiceLogonRight    = svc
 *   SeDenyBatchLogonRight  = Denied
 * Users: alice (memberOf AppOps; AppOps memberOf Impersonators; Backup lists
 * alice in its member attribute), svc (no group), bob (no group), carol (in
 * Denied), guest (RID 501).  Groups Loop1 and Loop2 are members of each other.
 * The catalogue and the well-known names come from data/.
 */
#include <stdio.h>
#include <string.h>

#include "gp-loaders.h"
#include "gp-names.h"
#include "gp-test.h"
#include "gp-token.h"

#define DOM          "S-1-5-21-1-2-3"
#define DOMAIN_DN    "DC=contoso,DC=com"
#define SERVERS_DN   "OU=Servers," DOMAIN_DN
#define SRV1_DN      "CN=SRV1," SERVERS_DN
#define GPO_GUID     "{00000000-0000-0000-0000-000000000001}"
#define GPO_DN       "CN=" GPO_GUID ",CN=Policies,CN=System," DOMAIN_DN
#define ALICE        DOM "-1105"
#define SVC          DOM "-1106"
#define BOB          DOM "-1107"
#define CAROL        DOM "-1108"
#define GUEST        DOM "-501"
#define APP_OPS      DOM "-2001"
#define IMPERSONATOR DOM "-2002"
#define BACKUP       DOM "-2003"
#define LOOP1        DOM "-2004"
#define LOOP2        DOM "-2005"
#define DENIED       DOM "-2006"
#define APP_POOL     "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415"
#define IMPERSONATE  GP_IMPERSONATE_RIGHT
#define EXTENSIONS   "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"

/* ------------------------------------------------------------- fixture */

typedef struct {
  const char *dn;
  const char *sid;
  const char *name;
  const char *member_of; /* comma-separated CNs in OU=Groups, or NULL */
} Account;

static const Account users[] = {
  { "CN=alice,OU=Staff," DOMAIN_DN, ALICE, "alice", "AppOps" },
  { "CN=svc,OU=Staff," DOMAIN_DN, SVC, "svc", NULL },
  { "CN=bob,OU=Staff," DOMAIN_DN, BOB, "bob", NULL },
  { "CN=carol,OU=Staff," DOMAIN_DN, CAROL, "carol", "Denied" },
  { "CN=Guest,CN=Users," DOMAIN_DN, GUEST, "Guest", NULL },
};

static const Account groups[] = {
  { "CN=AppOps,OU=Groups," DOMAIN_DN, APP_OPS, "AppOps", "Impersonators" },
  { "CN=Impersonators,OU=Groups," DOMAIN_DN, IMPERSONATOR, "Impersonators", NULL },
  { "CN=Backup,OU=Groups," DOMAIN_DN, BACKUP, "Backup", NULL },
  { "CN=Loop1,OU=Groups," DOMAIN_DN, LOOP1, "Loop1", "Loop2" },
  { "CN=Loop2,OU=Groups," DOMAIN_DN, LOOP2, "Loop2", "Loop1" },
  { "CN=Denied,OU=Groups," DOMAIN_DN, DENIED, "Denied", NULL },
};

static void
set_string(char **field, const char *value)
{
  g_free(*field);
  *field = g_strdup(value);
}

static void
add_member_of(GPtrArray *member_of, const char *list)
{
  g_auto(GStrv) names = list ? g_strsplit(list, ",", -1) : NULL;

  for (guint i = 0; names && names[i]; i++)
    g_ptr_array_add(member_of, g_strdup_printf("CN=%s,OU=Groups," DOMAIN_DN, names[i]));
}

static void
fixture_accounts(GpModel *model)
{
  for (gsize i = 0; i < G_N_ELEMENTS(users); i++) {
    GpUser *user = gp_model_ensure_user(model, users[i].dn);
    g_autofree char *name = g_strdup_printf("CONTOSO\\%s", users[i].name);
    user->sid = g_strdup(users[i].sid);
    user->name = g_strdup(users[i].name);
    user->primary_group_id = 513;
    add_member_of(user->member_of, users[i].member_of);
    gp_model_add_principal(model, users[i].sid, name);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(groups); i++) {
    GpGroup *group = gp_model_ensure_group(model, groups[i].dn);
    g_autofree char *name = g_strdup_printf("CONTOSO\\%s", groups[i].name);
    group->sid = g_strdup(groups[i].sid);
    group->name = g_strdup(groups[i].name);
    add_member_of(group->member_of, groups[i].member_of);
    gp_model_add_principal(model, groups[i].sid, name);
  }
  /* Backup names alice in its member list only. */
  g_ptr_array_add(gp_model_ensure_group(model, groups[2].dn)->members,
                  g_strdup("cn=alice, ou=staff, dc=contoso, dc=com"));
}

static void
add_assignment(GpSecurityTemplate *tmpl, const char *right, const char *const *sids)
{
  GpRightAssignment *assignment = gp_right_assignment_new(right, "GptTmpl.inf", 1);

  for (guint i = 0; sids[i]; i++)
    g_ptr_array_add(assignment->holders, gp_principal_new(sids[i], NULL));
  gp_security_template_add(tmpl, assignment);
}

static void
fixture_gpo(GpModel *model)
{
  static const char *const impersonate[] = { "S-1-5-32-544", "S-1-5-6", IMPERSONATOR, NULL };
  static const char *const service[] = { SVC, NULL };
  static const char *const deny_batch[] = { DENIED, NULL };
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, GPO_DN);
  GpSom *som = gp_model_ensure_som(model, SERVERS_DN, GP_SOM_OU);

  set_string(&gpo->display_name, "Rights");
  gpo->in_directory = TRUE;
  gpo->version_number = 3;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->machine_extension_names = g_strdup(EXTENSIONS);
  gpo->sysvol = GP_SYSVOL_READ;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = 3;
  gpo->machine_template = gp_security_template_new("GptTmpl.inf");
  add_assignment(gpo->machine_template, IMPERSONATE, impersonate);
  add_assignment(gpo->machine_template, "SeServiceLogonRight", service);
  add_assignment(gpo->machine_template, "SeDenyBatchLogonRight", deny_batch);
  set_string(&som->name, "Servers");
  gp_som_set_gplink(som, "[LDAP://" GPO_DN ";0]", NULL, NULL, 0);
}

static GpModel *
build_model(void)
{
  GpModel *model = gp_model_new();
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autofree char *sids = gp_test_data("well-known-sids.tsv");
  g_autoptr(GError) error = NULL;
  GpDomain *domain;
  GpComputer *computer;

  CU_ASSERT_TRUE_FATAL(gp_data_load_rights(rights, model, &error));
  CU_ASSERT_TRUE_FATAL(gp_data_load_sids(sids, model, &error));
  domain = gp_model_ensure_domain(model, DOMAIN_DN);
  set_string(&domain->netbios_name, "CONTOSO");
  set_string(&domain->sid, DOM);
  set_string(&gp_model_ensure_som(model, DOMAIN_DN, GP_SOM_DOMAIN)->name, "contoso.com");
  fixture_accounts(model);
  fixture_gpo(model);
  computer = gp_model_ensure_computer(model, SRV1_DN);
  set_string(&computer->cn, "SRV1");
  computer->operating_system = g_strdup("Windows Server 2022 Standard");
  computer->has_user_account_control = TRUE;
  computer->user_account_control = 4096;
  computer->sid = g_strdup(DOM "-1000");
  gp_model_complete(model);
  return model;
}

/* SRV1 evaluated with every right of the catalogue. */
static GpResult *
evaluate(const GpModel *model)
{
  const GPtrArray *catalogue = gp_model_rights(model);
  g_autoptr(GPtrArray) all = g_ptr_array_new();
  g_autoptr(GPtrArray) found = gp_model_find_computers(model, "SRV1");
  GpEngineOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  GpResult *result;

  for (guint i = 0; i < catalogue->len; i++)
    g_ptr_array_add(all, ((GpRightInfo *)g_ptr_array_index(catalogue, i))->constant);
  g_ptr_array_add(all, NULL);
  options.rights = (const char *const *)all->pdata;
  options.site = "";
  CU_ASSERT_EQUAL_FATAL(found->len, 1);
  result = gp_engine_evaluate(model, g_ptr_array_index(found, 0), &options, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  return result;
}

/* Everything a case needs, freed in the right order by one cleanup. */
typedef struct {
  GpModel *model;
  GpResult *result;
  GpToken *token;
} Fixture;

static void
fixture_clear(Fixture *f)
{
  gp_token_free(f->token);
  gp_result_free(f->result);
  gp_model_free(f->model);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Fixture, fixture_clear)

static void
fixture_token(Fixture *f, const char *sid, GpLogonType logon, const char *const *local_groups)
{
  f->model = build_model();
  f->result = evaluate(f->model);
  f->token = gp_token_build(f->model, f->result, sid, logon, local_groups);
}

/* "SID,SID,..." in token order. */
static char *
token_sids(const GpToken *token)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < token->sids->len; i++)
    g_string_append_printf(out, "%s%s", i ? "," : "",
                           ((const GpTokenSid *)g_ptr_array_index(token->sids, i))->sid);
  return g_string_free(out, FALSE);
}

static const char *
why_of(const GpToken *token, const char *sid)
{
  const GpTokenSid *entry = gp_token_find_sid(token, sid);

  return entry ? entry->why : NULL;
}

static gboolean
notes_contain(const GPtrArray *notes, const char *needle)
{
  for (guint i = 0; i < notes->len; i++)
    if (strstr(g_ptr_array_index(notes, i), needle))
      return TRUE;
  return FALSE;
}

/* ----------------------------------------------------------- logon types */

#define EVERY_LOGON "S-1-1-0,S-1-5-11,S-1-5-15,S-1-5-32-545"
#define BOB_BASE    BOB "," DOM "-513," EVERY_LOGON

static const struct {
  GpLogonType logon;
  const char *sids; /* the whole token of bob, in order */
  const char *why;  /* the reason of the last SID */
} logon_cases[] = {
  { GP_LOGON_INTERACTIVE, BOB_BASE ",S-1-5-4,S-1-2-0,S-1-2-1", "CONSOLE LOGON (interactive)" },
  { GP_LOGON_NETWORK, BOB_BASE ",S-1-5-2", "NETWORK logon" },
  { GP_LOGON_BATCH, BOB_BASE ",S-1-5-3", "BATCH logon" },
  { GP_LOGON_SERVICE, BOB_BASE ",S-1-5-6",
    "logon type: SERVICE (the SCM adds it to the services it starts)" },
  { GP_LOGON_COM_SERVER, BOB_BASE ",S-1-5-6",
    "logon type: SERVICE (a COM server configured to run as an account)" },
};

static void
test_logon_types(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(logon_cases); i++) {
    g_auto(Fixture) f = { 0 };
    g_autofree char *sids = NULL;
    const GpTokenSid *last;

    printf("\n  case: %s", gp_logon_type_to_string(logon_cases[i].logon));
    fixture_token(&f, BOB, logon_cases[i].logon, NULL);
    sids = token_sids(f.token);
    GP_ASSERT_STR(sids, logon_cases[i].sids);
    last = g_ptr_array_index(f.token->sids, f.token->sids->len - 1);
    GP_ASSERT_STR(last->why, logon_cases[i].why);
    GP_ASSERT_STR(why_of(f.token, BOB), "the account");
    GP_ASSERT_STR(why_of(f.token, DOM "-513"), "primary group (primaryGroupID 513)");
    GP_ASSERT_STR(why_of(f.token, "S-1-5-32-545"),
                  "BUILTIN\\Users (Authenticated Users is a member)");
    GP_ASSERT_STR(gp_token_find_sid(f.token, "S-1-5-6") ? "SERVICE" : NULL,
                  logon_cases[i].logon >= GP_LOGON_SERVICE ? "SERVICE" : NULL);
    CU_ASSERT_TRUE(f.token->in_data);
  }
}

static void
test_logon_type_names(void)
{
  GpLogonType logon;
  GpImpersonationLevel level;

  CU_ASSERT_TRUE(gp_logon_type_from_string("COM-Server", &logon));
  CU_ASSERT_EQUAL(logon, GP_LOGON_COM_SERVER);
  CU_ASSERT_FALSE(gp_logon_type_from_string("remote", &logon));
  CU_ASSERT_TRUE(gp_level_from_string("Delegate", &level));
  CU_ASSERT_EQUAL(level, GP_LEVEL_DELEGATE);
  CU_ASSERT_FALSE(gp_level_from_string("full", &level));
  GP_ASSERT_STR(gp_impersonate_rule_to_string(GP_IMPERSONATE_PRIVILEGE_NOT_HELD),
                "privilege-not-held");
}

/* --------------------------------------------------------- nested groups */

static const struct {
  const char *sid;
  const char *why;
} alice_groups[] = {
  { ALICE, "the account" },
  { DOM "-513", "primary group (primaryGroupID 513)" },
  { APP_OPS, "member of CONTOSO\\AppOps" },
  { IMPERSONATOR, "member of CONTOSO\\Impersonators (via CONTOSO\\AppOps)" },
  { BACKUP, "member of CONTOSO\\Backup" },
  { "S-1-5-2", "NETWORK logon" },
};

static void
test_nested_groups(void)
{
  g_auto(Fixture) f = { 0 };

  fixture_token(&f, ALICE, GP_LOGON_NETWORK, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(alice_groups); i++)
    GP_ASSERT_STR(why_of(f.token, alice_groups[i].sid), alice_groups[i].why);
  GP_ASSERT_STR(gp_token_find_sid(f.token, APP_OPS)->name, "CONTOSO\\AppOps");
  CU_ASSERT_PTR_NULL(gp_token_find_sid(f.token, LOOP1));
}

/* Groups that are members of each other end; a local group that is a
 * directory group brings its own groups. */
static void
test_group_cycle_and_local_groups(void)
{
  static const char *const local[] = { LOOP1, NULL };
  g_auto(Fixture) f = { 0 };

  fixture_token(&f, BOB, GP_LOGON_INTERACTIVE, local);
  GP_ASSERT_STR(why_of(f.token, LOOP1), "local group (given with --local-group)");
  GP_ASSERT_STR(why_of(f.token, LOOP2), "member of CONTOSO\\Loop2 (via CONTOSO\\Loop1)");
  CU_ASSERT_EQUAL(f.token->sids->len, 11);
}

/* -------------------------------------------------- well-known accounts */

static const struct {
  const char *account;
  GpLogonType logon;
  const char *sids;
  const char *note; /* (nullable) substring of a note */
} well_known_cases[] = {
  { GP_SID_SYSTEM, GP_LOGON_SERVICE, "S-1-5-18,S-1-5-32-544,S-1-1-0,S-1-5-11",
    "created by the system" },
  { GP_SID_LOCAL_SERVICE, GP_LOGON_SERVICE, "S-1-5-19," EVERY_LOGON ",S-1-5-6", NULL },
  { GP_SID_NETWORK_SERVICE, GP_LOGON_SERVICE, "S-1-5-20," EVERY_LOGON ",S-1-5-6", NULL },
  { GP_SID_NETWORK_SERVICE, GP_LOGON_INTERACTIVE,
    "S-1-5-20," EVERY_LOGON ",S-1-5-4,S-1-2-0,S-1-2-1", "only runs services" },
  { GUEST, GP_LOGON_NETWORK, GUEST "," DOM "-513,S-1-1-0,S-1-5-2",
    "not a member of Authenticated Users" },
  { DOM "-9999", GP_LOGON_NETWORK, DOM "-9999," DOM "-513," EVERY_LOGON ",S-1-5-2",
    "not in the directory data" },
};

static void
test_well_known_accounts(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(well_known_cases); i++) {
    g_auto(Fixture) f = { 0 };
    g_autofree char *sids = NULL;

    printf("\n  case: %s %s", well_known_cases[i].account,
           gp_logon_type_to_string(well_known_cases[i].logon));
    fixture_token(&f, well_known_cases[i].account, well_known_cases[i].logon, NULL);
    sids = token_sids(f.token);
    GP_ASSERT_STR(sids, well_known_cases[i].sids);
    if (well_known_cases[i].note)
      CU_ASSERT_TRUE(notes_contain(f.token->notes, well_known_cases[i].note));
  }
}

/* Well-known accounts hold their documented default rights. */
static void
test_network_service_rights(void)
{
  g_auto(Fixture) f = { 0 };
  const GpTokenRight *held;

  fixture_token(&f, GP_SID_NETWORK_SERVICE, GP_LOGON_SERVICE, NULL);
  GP_ASSERT_STR(f.token->account_name, "NT AUTHORITY\\NETWORK SERVICE");
  /* the GPO replaces the default list: SERVICE, not NETWORK SERVICE, holds it */
  held = gp_token_find_right(f.token, IMPERSONATE);
  CU_ASSERT_PTR_NOT_NULL_FATAL(held);
  GP_ASSERT_STR(held->via->sid, "S-1-5-6");
  held = gp_token_find_right(f.token, "SeAuditPrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(held);
  GP_ASSERT_STR(held->via->sid, GP_SID_NETWORK_SERVICE);
  CU_ASSERT_EQUAL(held->right->source, GP_SOURCE_DEFAULT);
}

/* ------------------------------------------------------- IIS app pools */

static const struct {
  const char *account;
  GpLogonType logon;
  gboolean given;  /* --local-group IIS_IUSRS */
  const char *why; /* NULL: not in the token */
} iis_cases[] = {
  { APP_POOL, GP_LOGON_SERVICE, FALSE, "IIS_IUSRS: IIS adds it to application pool identities" },
  { APP_POOL, GP_LOGON_COM_SERVER, FALSE, "IIS_IUSRS: IIS adds it to application pool identities" },
  { APP_POOL, GP_LOGON_INTERACTIVE, FALSE, NULL },
  { BOB, GP_LOGON_SERVICE, FALSE, NULL },
  { BOB, GP_LOGON_SERVICE, TRUE,
    "IIS_IUSRS: IIS adds it to application pool identities (given with --local-group)" },
  { BOB, GP_LOGON_NETWORK, TRUE, "local group (given with --local-group)" },
};

static void
test_iis_app_pool_identity(void)
{
  static const char *const iis[] = { GP_SID_IIS_IUSRS, NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(iis_cases); i++) {
    g_auto(Fixture) f = { 0 };

    printf("\n  case %zu", i);
    fixture_token(&f, iis_cases[i].account, iis_cases[i].logon, iis_cases[i].given ? iis : NULL);
    GP_ASSERT_STR(why_of(f.token, GP_SID_IIS_IUSRS), iis_cases[i].why);
  }
}

/* --------------------------------------------------------------- rights */

static const struct {
  const char *account;
  GpLogonType logon;
  const char *right;
  const char *via;      /* NULL: the token does not hold the right */
  const char *also_via; /* the other matches, comma-separated */
} right_cases[] = {
  { SVC, GP_LOGON_SERVICE, "SeServiceLogonRight", SVC, "" },
  { SVC, GP_LOGON_SERVICE, IMPERSONATE, "S-1-5-6", "" },
  { SVC, GP_LOGON_INTERACTIVE, IMPERSONATE, NULL, NULL },
  { ALICE, GP_LOGON_NETWORK, IMPERSONATE, IMPERSONATOR, "" },
  { ALICE, GP_LOGON_SERVICE, IMPERSONATE, IMPERSONATOR, "S-1-5-6" },
  { BOB, GP_LOGON_INTERACTIVE, IMPERSONATE, NULL, NULL },
  { BOB, GP_LOGON_COM_SERVER, IMPERSONATE, "S-1-5-6", "" },
  { BOB, GP_LOGON_INTERACTIVE, "SeChangeNotifyPrivilege", "S-1-1-0", "S-1-5-32-545" },
};

static char *
also_via(const GpTokenRight *held)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < held->also_via->len; i++)
    g_string_append_printf(out, "%s%s", i ? "," : "",
                           ((const GpTokenSid *)g_ptr_array_index(held->also_via, i))->sid);
  return g_string_free(out, FALSE);
}

static void
test_rights_matching(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(right_cases); i++) {
    g_auto(Fixture) f = { 0 };
    const GpTokenRight *held;
    g_autofree char *others = NULL;

    printf("\n  case %zu: %s", i, right_cases[i].right);
    fixture_token(&f, right_cases[i].account, right_cases[i].logon, NULL);
    held = gp_token_find_right(f.token, right_cases[i].right);
    GP_ASSERT_STR(held ? held->via->sid : NULL, right_cases[i].via);
    if (!held)
      continue;
    others = also_via(held);
    GP_ASSERT_STR(others, right_cases[i].also_via);
  }
}

/* The GPO that decided, as the engine resolved it, and every held right comes
 * from the result. */
static void
test_rights_decided_by(void)
{
  g_auto(Fixture) f = { 0 };
  const GpTokenRight *held;
  g_autofree char *decision = NULL;

  fixture_token(&f, SVC, GP_LOGON_SERVICE, NULL);
  held = gp_token_find_right(f.token, "SeServiceLogonRight");
  CU_ASSERT_PTR_NOT_NULL_FATAL(held);
  CU_ASSERT_EQUAL(held->right->source, GP_SOURCE_GPO);
  GP_ASSERT_STR(held->right->winner->gpo->display_name, "Rights");
  decision = gp_token_describe_decision(f.result, held->right);
  GP_ASSERT_STR(decision, "GPO 'Rights' linked at " SERVERS_DN);
  held = gp_token_find_right(f.token, "SeChangeNotifyPrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(held);
  g_free(decision);
  decision = gp_token_describe_decision(f.result, held->right);
  GP_ASSERT_STR(decision, "the documented default for the member-server role, no GPO defining it");
  for (guint i = 0; i < f.token->rights->len; i++) {
    const GpTokenRight *right = g_ptr_array_index(f.token->rights, i);
    CU_ASSERT_PTR_EQUAL(gp_result_find_right(f.result, right->right->right), right->right);
  }
}

/* A holder written as a bare name matches through the directory. */
static void
test_rights_holder_by_name(void)
{
  g_auto(Fixture) f = { 0 };
  GpRightResult *right;
  GpPrincipal *holder;

  f.model = build_model();
  f.result = evaluate(f.model);
  right = (GpRightResult *)gp_result_find_right(f.result, "SeServiceLogonRight");
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  CU_ASSERT_EQUAL_FATAL(right->holders->len, 1);
  holder = g_ptr_array_index(right->holders, 0);
  g_clear_pointer(&holder->sid, g_free);
  g_free(holder->name);
  holder->name = g_strdup("svc");
  f.token = gp_token_build(f.model, f.result, SVC, GP_LOGON_SERVICE, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gp_token_find_right(f.token, "SeServiceLogonRight"));
  GP_ASSERT_STR(gp_token_find_right(f.token, "SeServiceLogonRight")->via->sid, SVC);
}

/* ---------------------------------------------------------------- notes */

static const struct {
  const char *account;
  GpLogonType logon;
  const char *first;   /* the next-logon note */
  const char *refused; /* (nullable) substring of a refusal note */
} note_cases[] = {
  { SVC, GP_LOGON_SERVICE,
    "takes effect at the next start of the service (or COM server) running "
    "as CONTOSO\\svc, not at the next Group Policy refresh",
    NULL },
  { ALICE, GP_LOGON_INTERACTIVE, "takes effect at the next logon of CONTOSO\\alice", NULL },
  { BOB, GP_LOGON_SERVICE, "next start of the service",
    "no SID of the token holds SeServiceLogonRight" },
  { CAROL, GP_LOGON_BATCH, "next logon of CONTOSO\\carol",
    "the token holds SeDenyBatchLogonRight via CONTOSO\\Denied" },
};

static void
test_notes(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(note_cases); i++) {
    g_auto(Fixture) f = { 0 };

    printf("\n  case %zu", i);
    fixture_token(&f, note_cases[i].account, note_cases[i].logon, NULL);
    CU_ASSERT_TRUE_FATAL(f.token->notes->len >= 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(f.token->notes, 0), note_cases[i].first));
    if (note_cases[i].refused) {
      CU_ASSERT_TRUE(notes_contain(f.token->notes, note_cases[i].refused));
    } else {
      CU_ASSERT_FALSE(notes_contain(f.token->notes, "refuses this logon"));
    }
  }
}

/* ------------------------------------------------------ impersonation */

static const struct {
  const char *name;
  const char *server;
  GpLogonType logon;
  const char *client;
  GpImpersonationLevel level;
  gboolean explicit_credentials;
  gboolean same_user;
  gboolean answer;
  GpImpersonateRule rule;
  const char *explanation; /* substring of the explanation */
} imp_cases[] = {
  { "anonymous level", BOB, GP_LOGON_INTERACTIVE, ALICE, GP_LEVEL_ANONYMOUS, FALSE, FALSE, TRUE,
    GP_IMPERSONATE_LEVEL_BELOW, "condition 3: the requested level, anonymous" },
  { "identify level", BOB, GP_LOGON_INTERACTIVE, ALICE, GP_LEVEL_IDENTIFY, FALSE, FALSE, TRUE,
    GP_IMPERSONATE_LEVEL_BELOW, "identification token" },
  { "same user, told", BOB, GP_LOGON_INTERACTIVE, ALICE, GP_LEVEL_IMPERSONATE, FALSE, TRUE, TRUE,
    GP_IMPERSONATE_SAME_USER, "condition 1" },
  { "same user, same SID", BOB, GP_LOGON_INTERACTIVE, BOB, GP_LEVEL_IMPERSONATE, FALSE, FALSE, TRUE,
    GP_IMPERSONATE_SAME_USER, "server's own user, CONTOSO\\bob" },
  { "explicit credentials", BOB, GP_LOGON_INTERACTIVE, ALICE, GP_LEVEL_IMPERSONATE, TRUE, FALSE,
    TRUE, GP_IMPERSONATE_EXPLICIT_CREDENTIALS, "condition 2" },
  { "privilege via SERVICE", BOB, GP_LOGON_SERVICE, ALICE, GP_LEVEL_IMPERSONATE, FALSE, FALSE, TRUE,
    GP_IMPERSONATE_PRIVILEGE_HELD, "decided by GPO 'Rights'" },
  { "privilege via a group", ALICE, GP_LOGON_NETWORK, BOB, GP_LEVEL_IMPERSONATE, FALSE, FALSE, TRUE,
    GP_IMPERSONATE_PRIVILEGE_HELD, "via CONTOSO\\Impersonators" },
  { "no privilege", BOB, GP_LOGON_INTERACTIVE, ALICE, GP_LEVEL_IMPERSONATE, FALSE, FALSE, FALSE,
    GP_IMPERSONATE_PRIVILEGE_NOT_HELD,
    "holders BUILTIN\\Administrators, NT AUTHORITY\\SERVICE, CONTOSO\\Impersonators" },
  { "delegate, privilege", BOB, GP_LOGON_SERVICE, ALICE, GP_LEVEL_DELEGATE, FALSE, FALSE, TRUE,
    GP_IMPERSONATE_PRIVILEGE_HELD, "trusted for delegation" },
  { "delegate, no privilege", BOB, GP_LOGON_BATCH, ALICE, GP_LEVEL_DELEGATE, FALSE, FALSE, FALSE,
    GP_IMPERSONATE_PRIVILEGE_NOT_HELD, "trusted for delegation" },
};

static gboolean
explanation_contains(const GpImpersonation *imp, const char *needle)
{
  return notes_contain(imp->explanation, needle);
}

static void
test_can_impersonate_rules(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(imp_cases); i++) {
    g_auto(Fixture) f = { 0 };
    GpImpersonationRequest request = { imp_cases[i].client, NULL, imp_cases[i].level,
                                       imp_cases[i].explicit_credentials, imp_cases[i].same_user };
    g_autoptr(GpImpersonation) imp = NULL;

    printf("\n  case: %s", imp_cases[i].name);
    fixture_token(&f, imp_cases[i].server, imp_cases[i].logon, NULL);
    imp = gp_token_can_impersonate(f.token, &request);
    CU_ASSERT_EQUAL(imp->answer, imp_cases[i].answer);
    GP_ASSERT_STR(gp_impersonate_rule_to_string(imp->rule),
                  gp_impersonate_rule_to_string(imp_cases[i].rule));
    CU_ASSERT_TRUE(explanation_contains(imp, imp_cases[i].explanation));
    CU_ASSERT_EQUAL(imp->held != NULL, imp_cases[i].rule == GP_IMPERSONATE_PRIVILEGE_HELD);
    if (imp_cases[i].level != GP_LEVEL_DELEGATE)
      CU_ASSERT_FALSE(explanation_contains(imp, "delegation"));
  }
}

static const GpTestCase cases[] = {
  GP_TEST(test_logon_types),
  GP_TEST(test_logon_type_names),
  GP_TEST(test_nested_groups),
  GP_TEST(test_group_cycle_and_local_groups),
  GP_TEST(test_well_known_accounts),
  GP_TEST(test_network_service_rights),
  GP_TEST(test_iis_app_pool_identity),
  GP_TEST(test_rights_matching),
  GP_TEST(test_rights_decided_by),
  GP_TEST(test_rights_holder_by_name),
  GP_TEST(test_notes),
  GP_TEST(test_can_impersonate_rules),
};

GP_TEST_MAIN("token", cases)
