/* test_rsop.c - gpresult /x files: loading, use as data, and gp_engine_verify().
 *
 * Samples (../shared/samples/rsop_xml, formats.md d): laymanstake_rsop.xml (a
 * child-domain DC, computer scope only) and the two HersheyTaichou files (user
 * and computer scope).  Cases that need them skip when the folder is absent.
 *
 * The verify tables run on a small model built in memory, against GpRsop
 * records written by hand (see the fixture comment above verify_rows).
 */
#include <string.h>

#include "gp-engine.h"
#include "gp-loaders.h"
#include "gp-names.h"
#include "gp-test.h"

#define DDP_GUID         "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define DDCP_GUID        "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
#define LOCAL_POL_GUID   "{81BB93A3-DFBD-476E-B527-823D9C0C9FA5}"
#define ACCOUNT_POL_GUID "{73E90CD2-BDF0-4CA7-BE63-42A659441BA3}"
#define CHILD_DN         "DC=Child,DC=ADLAB,DC=local"
#define IMPERSONATE      "SeImpersonatePrivilege"

/* ----------------------------------------------------------------- helpers */

static gboolean
diags_contain(const GPtrArray *diags, const char *needle)
{
  for (guint i = 0; i < diags->len; i++)
    if (strstr(((const GpDiagnostic *)g_ptr_array_index(diags, i))->message, needle))
      return TRUE;
  return FALSE;
}

static gboolean
strings_contain(const GPtrArray *strings, const char *needle)
{
  for (guint i = 0; strings && i < strings->len; i++)
    if (strstr(g_ptr_array_index(strings, i), needle))
      return TRUE;
  return FALSE;
}

/* Returns: (nullable): NULL when the samples are absent (the case is skipped). */
static GpRsop *
load_sample(const char *name, GPtrArray *diags)
{
  g_autofree char *relative = g_build_filename("rsop_xml", name, NULL);
  g_autofree char *path = gp_test_sample(relative);
  g_autoptr(GError) error = NULL;
  GpRsop *rsop;

  if (!path)
    return NULL;
  rsop = gp_rsop_load_file(path, diags, &error);
  if (error)
    printf("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL(rsop);
  return rsop;
}

static const GpRsopGpo *
find_gpo(const GpRsop *rsop, const char *guid)
{
  for (guint i = 0; i < rsop->gpos->len; i++) {
    const GpRsopGpo *gpo = g_ptr_array_index(rsop->gpos, i);
    if (g_strcmp0(gpo->guid, guid) == 0)
      return gpo;
  }
  return NULL;
}

static const GpRsopRight *
find_right(const GpRsop *rsop, const char *right)
{
  for (guint i = 0; i < rsop->rights->len; i++) {
    const GpRsopRight *candidate = g_ptr_array_index(rsop->rights, i);
    if (g_strcmp0(candidate->right, right) == 0)
      return candidate;
  }
  return NULL;
}

/* "A,B" of the members' names (or SIDs). */
static char *
members_text(const GPtrArray *members)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < members->len; i++) {
    const GpPrincipal *member = g_ptr_array_index(members, i);
    g_string_append_printf(text, "%s%s", i ? "," : "", member->name ? member->name : member->sid);
  }
  return g_strdup(text->str);
}

static void
print_mismatches(const GpVerifyResult *verify)
{
  for (guint i = 0; i < verify->mismatches->len; i++) {
    const GpMismatch *m = g_ptr_array_index(verify->mismatches, i);
    printf("\n%s: %s | %s\n", m->right ? m->right : "GPO list", m->expected, m->actual);
  }
}

/* ------------------------------------------------------------ the samples */

static void
test_laymanstake_computer(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpRsop) rsop = load_sample("laymanstake_rsop.xml", diags);

  if (!rsop)
    return;
  GP_ASSERT_STR(rsop->computer_name, "CHILD\\CHILDDC$");
  GP_ASSERT_STR(rsop->domain, "Child.ADLAB.local");
  GP_ASSERT_STR(rsop->site, "London");
  GP_ASSERT_STR(rsop->som, "Child.ADLAB.local/Domain Controllers");
  /* the file lists them as Domain(3), Local(1), Site(2), OU(4) */
  CU_ASSERT_EQUAL_FATAL(rsop->searched_soms->len, 4);
  GP_ASSERT_STR(g_ptr_array_index(rsop->searched_soms, 0), "Local");
  GP_ASSERT_STR(g_ptr_array_index(rsop->searched_soms, 1),
                "ADLAB.local/Configuration/Sites/London");
  GP_ASSERT_STR(g_ptr_array_index(rsop->searched_soms, 2), "Child.ADLAB.local");
  GP_ASSERT_STR(g_ptr_array_index(rsop->searched_soms, 3), "Child.ADLAB.local/Domain Controllers");
  CU_ASSERT_EQUAL_FATAL(rsop->security_groups->len, 14);
  GP_ASSERT_STR(((GpPrincipal *)g_ptr_array_index(rsop->security_groups, 0))->sid, "S-1-5-32-544");
  GP_ASSERT_STR(((GpPrincipal *)g_ptr_array_index(rsop->security_groups, 0))->name,
                "BUILTIN\\Administrators");
  CU_ASSERT_FALSE(diags_contain(diags, "UserResults"));
}

static void
test_laymanstake_gpos(void)
{
  g_autoptr(GpRsop) rsop = load_sample("laymanstake_rsop.xml", NULL);
  g_autoptr(GPtrArray) applied = NULL;
  const GpRsopGpo *local, *ddcp;

  if (!rsop)
    return;
  CU_ASSERT_EQUAL_FATAL(rsop->gpos->len, 3);
  local = g_ptr_array_index(rsop->gpos, 0);
  GP_ASSERT_STR(local->guid, "LocalGPO");
  GP_ASSERT_STR(local->name, "Local Group Policy");
  CU_ASSERT_PTR_NULL(local->domain);
  CU_ASSERT_EQUAL(local->applied_order, 0);
  /* written {6AC1786C-016F-11D2-945F-00C04fB984F9} in the file */
  ddcp = find_gpo(rsop, DDCP_GUID);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ddcp);
  GP_ASSERT_STR(ddcp->name, "Default Domain Controllers Policy");
  GP_ASSERT_STR(ddcp->domain, "Child.ADLAB.local");
  GP_ASSERT_STR(ddcp->som_path, "Child.ADLAB.local/Domain Controllers");
  CU_ASSERT_EQUAL(ddcp->som_order, 1);
  CU_ASSERT_EQUAL(ddcp->link_order, 3);
  CU_ASSERT_EQUAL(ddcp->applied_order, 2);
  CU_ASSERT_EQUAL(ddcp->version_directory, 3);
  CU_ASSERT_EQUAL(ddcp->version_sysvol, 3);
  CU_ASSERT_TRUE(ddcp->enabled && ddcp->is_valid && ddcp->filter_allowed && ddcp->link_enabled);
  CU_ASSERT_FALSE(ddcp->access_denied || ddcp->no_override);
  CU_ASSERT_EQUAL_FATAL(ddcp->extensions->len, 1);
  GP_ASSERT_STR(g_ptr_array_index(ddcp->extensions, 0), "Security");
  CU_ASSERT_EQUAL(find_gpo(rsop, DDP_GUID)->extensions->len, 3);
  applied = gp_rsop_applied_in_precedence(rsop);
  CU_ASSERT_EQUAL_FATAL(applied->len, 2);
  CU_ASSERT_PTR_EQUAL(g_ptr_array_index(applied, 0), ddcp);
  GP_ASSERT_STR(((GpRsopGpo *)g_ptr_array_index(applied, 1))->guid, DDP_GUID);
}

static void
test_laymanstake_rights(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpRsop) rsop = load_sample("laymanstake_rsop.xml", diags);
  const GpRsopRight *right;
  g_autofree char *members = NULL;

  if (!rsop)
    return;
  CU_ASSERT_EQUAL(rsop->rights->len, 24);
  for (guint i = 0; i < rsop->rights->len; i++) {
    const GpRsopRight *each = g_ptr_array_index(rsop->rights, i);
    CU_ASSERT_EQUAL(each->precedence, 1);
    GP_ASSERT_STR(each->gpo_guid, DDCP_GUID);
  }
  right = find_right(rsop, "SeSystemProfilePrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  members = members_text(right->members);
  GP_ASSERT_STR(members, "Administrators,NT SERVICE\\WdiServiceHost");
  CU_ASSERT_PTR_NULL(((GpPrincipal *)g_ptr_array_index(right->members, 0))->sid);
  CU_ASSERT_TRUE(right->line > 0);
  /* Account and SecurityOptions settings are counted, not read */
  CU_ASSERT_TRUE(diags_contain(diags, "other than user rights"));
}

static void
test_hershey_impersonate(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpRsop) rsop = load_sample("HersheyTaichou-CIS-Benchmarks_GPResult.xml", diags);
  const GpRsopRight *right;
  const GpRsopGpo *gpo;
  g_autofree char *members = NULL;

  if (!rsop)
    return;
  GP_ASSERT_STR(rsop->computer_name, "oriontech\\WIN-1CPI0V6RVEL$");
  GP_ASSERT_STR(rsop->site, "Default-First-Site-Name");
  right = find_right(rsop, IMPERSONATE);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  GP_ASSERT_STR(right->gpo_guid, LOCAL_POL_GUID);
  CU_ASSERT_EQUAL(right->precedence, 1);
  members = members_text(right->members);
  GP_ASSERT_STR(members, "Administrators,LOCAL SERVICE,NETWORK SERVICE,SERVICE");
  CU_ASSERT_EQUAL(rsop->rights->len, 40);
  /* the user side lists the same GUID not applied, named by its GUID: ignored */
  CU_ASSERT_TRUE(diags_contain(diags, "<UserResults> ignored"));
  CU_ASSERT_EQUAL(rsop->gpos->len, 3);
  gpo = find_gpo(rsop, LOCAL_POL_GUID);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->name, "2 Local Policies DC");
  CU_ASSERT_EQUAL(gpo->applied_order, 1);
  CU_ASSERT_TRUE(gpo->is_valid && gpo->filter_allowed);
  CU_ASSERT_EQUAL(find_gpo(rsop, ACCOUNT_POL_GUID)->som_order, 2);
}

/* The other Hershey file: two GPOs linked to the Domain Controllers OU. */
static void
test_hershey_example_gpos(void)
{
  g_autoptr(GpRsop) rsop = load_sample("HersheyTaichou-CIS-Benchmarks_GPResult-Example.xml", NULL);
  g_autoptr(GPtrArray) applied = NULL;

  if (!rsop)
    return;
  CU_ASSERT_EQUAL_FATAL(rsop->gpos->len, 4);
  CU_ASSERT_EQUAL(rsop->rights->len, 40);
  applied = gp_rsop_applied_in_precedence(rsop);
  CU_ASSERT_EQUAL_FATAL(applied->len, 3);
  GP_ASSERT_STR(((GpRsopGpo *)g_ptr_array_index(applied, 0))->guid, ACCOUNT_POL_GUID);
  GP_ASSERT_STR(((GpRsopGpo *)g_ptr_array_index(applied, 1))->guid, LOCAL_POL_GUID);
  GP_ASSERT_STR(((GpRsopGpo *)g_ptr_array_index(applied, 2))->guid, DDP_GUID);
}

/* ------------------------------------------------------------ broken input */

#define RSOP_OPEN                                                                                  \
  "<?xml version=\"1.0\"?><Rsop xmlns=\"http://www.microsoft.com/GroupPolicy/Rsop\">"

static const struct {
  const char *name;
  const char *text;
  const char *message; /* part of the error */
} broken[] = {
  { "not XML", "this is not XML at all", "bad.xml:" },
  { "empty", "", "bad.xml" },
  { "wrong root", "<GPO><Name>x</Name></GPO>",
    "bad.xml: not a gpresult /x RSoP file (root <GPO>)" },
  { "no ComputerResults", RSOP_OPEN "<UserResults><Name>u</Name></UserResults></Rsop>",
    "gpresult /scope computer /x" },
  { "DOCTYPE", "<!DOCTYPE Rsop [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Rsop>&x;</Rsop>",
    "DOCTYPE" },
  { "truncated", RSOP_OPEN "<ComputerResults><Name>CONTOSO\\WEB01$</Name><GPO><Name>x",
    "not well-formed" },
};

static void
test_broken_input(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(broken); i++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GpRsop) rsop
        = gp_rsop_load_from_data(broken[i].text, strlen(broken[i].text), "bad.xml", diags, &error);

    CU_ASSERT_PTR_NULL(rsop);
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT_EQUAL(error->domain, GP_LOAD_ERROR);
    if (!strstr(error->message, broken[i].message))
      printf("\n%s: '%s' lacks '%s'\n", broken[i].name, error->message, broken[i].message);
    CU_ASSERT_PTR_NOT_NULL(strstr(error->message, broken[i].message));
  }
}

/* A real file cut in the middle (UTF-16LE: an even number of bytes). */
static void
test_truncated_sample(void)
{
  g_autofree char *path = gp_test_sample("rsop_xml/laymanstake_rsop.xml");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GpRsop) rsop = NULL;
  gsize len = 0;

  if (!path)
    return;
  data = gp_test_read(path, &len);
  CU_ASSERT_PTR_NOT_NULL_FATAL(data);
  rsop = gp_rsop_load_from_data(data, (len / 2) & ~(gsize)1, "cut.xml", NULL, &error);
  CU_ASSERT_PTR_NULL(rsop);
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
  CU_ASSERT_PTR_NOT_NULL(error ? strstr(error->message, "cut.xml:") : NULL);
}

static void
test_missing_file(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpRsop) rsop = gp_rsop_load_file("/nonexistent/rsop.xml", NULL, &error);

  CU_ASSERT_PTR_NULL(rsop);
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_IO));
}

/* Odd but loadable: every problem becomes a warning and the rest is kept. */
static const char partial_xml[] = RSOP_OPEN
    "<DataType>PlanningData</DataType><ComputerResults>"
    "<Name>CONTOSO\\WEB01$</Name><Domain>contoso.com</Domain><SOM>contoso.com</SOM>"
    "<SearchedSOM><Path>contoso.com</Path><Order>x</Order></SearchedSOM><SearchedSOM/>"
    "<SecurityGroup><SID>*S-1-5-11</SID><Name>Authenticated Users</Name></SecurityGroup>"
    "<SecurityGroup><SID>bogus</SID><Name>Odd</Name></SecurityGroup><SecurityGroup/>"
    "<GPO><Name>No id</Name><Path><Identifier>nope</Identifier></Path></GPO>"
    "<GPO><Name>No link</Name><Path><Identifier>{11111111-2222-3333-4444-555555555555}"
    "</Identifier></Path><VersionDirectory>-1</VersionDirectory></GPO>"
    "<ExtensionData><Extension><UserRightsAssignment><Name>SeDebugPrivilege</Name>"
    "<Precedence>1</Precedence><Member><Name>Administrators</Name></Member><Member/>"
    "</UserRightsAssignment><UserRightsAssignment><Precedence>1</Precedence>"
    "</UserRightsAssignment><UserRightsAssignment><Name>SeDebugPrivilege</Name>"
    "<Precedence>1</Precedence></UserRightsAssignment><UserRightsAssignment>"
    "<Name>SeTcbPrivilege</Name></UserRightsAssignment></Extension></ExtensionData>"
    "</ComputerResults></Rsop>";

static void
test_partial_record(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpRsop) rsop
      = gp_rsop_load_from_data(partial_xml, strlen(partial_xml), "p.xml", diags, &error);
  static const char *const expected[] = { "not LoggedData",
                                          "<Order> 'x' is not a number",
                                          "<SearchedSOM> without a <Path>",
                                          "'bogus' is not a SID",
                                          "neither a SID nor a name",
                                          "'nope' is neither a GUID",
                                          "has no <Link>",
                                          "<VersionDirectory> '-1'",
                                          "without a <Name> skipped",
                                          "second setting with precedence 1",
                                          "the GPO it came from is not named",
                                          "no <Precedence>" };

  CU_ASSERT_PTR_NOT_NULL_FATAL(rsop);
  for (gsize i = 0; i < G_N_ELEMENTS(expected); i++) {
    if (!diags_contain(diags, expected[i]))
      printf("\nno diagnostic '%s'\n", expected[i]);
    CU_ASSERT_TRUE(diags_contain(diags, expected[i]));
  }
  CU_ASSERT_EQUAL(rsop->searched_soms->len, 1);
  CU_ASSERT_EQUAL_FATAL(rsop->security_groups->len, 2);
  GP_ASSERT_STR(((GpPrincipal *)g_ptr_array_index(rsop->security_groups, 0))->sid, "S-1-5-11");
  CU_ASSERT_PTR_NULL(((GpPrincipal *)g_ptr_array_index(rsop->security_groups, 1))->sid);
  CU_ASSERT_EQUAL_FATAL(rsop->gpos->len, 1);
  CU_ASSERT_EQUAL(((GpRsopGpo *)g_ptr_array_index(rsop->gpos, 0))->applied_order, 0);
  CU_ASSERT_EQUAL_FATAL(rsop->rights->len, 2);
  CU_ASSERT_EQUAL(((GpRsopRight *)g_ptr_array_index(rsop->rights, 0))->members->len, 1);
  CU_ASSERT_EQUAL(((GpRsopRight *)g_ptr_array_index(rsop->rights, 1))->precedence, 0);
}

/* ------------------------------------------------------------ as data */

static GpModel *
model_with_catalogue(void)
{
  GpModel *model = gp_model_new();
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autofree char *sids = gp_test_data("well-known-sids.tsv");

  CU_ASSERT_TRUE(gp_data_load_rights(rights, model, NULL));
  CU_ASSERT_TRUE(gp_data_load_sids(sids, model, NULL));
  return model;
}

static const GpLink *
som_link(const GpModel *model, const char *som_dn, guint index)
{
  const GpSom *som = gp_model_find_som(model, som_dn);

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  CU_ASSERT_FATAL(index < som->links->len);
  return g_ptr_array_index(som->links, index);
}

static void
test_add_laymanstake(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpRsop) rsop = load_sample("laymanstake_rsop.xml", diags);
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GPtrArray) computers = NULL;
  const GpComputer *computer;
  const GpDomain *domain;

  if (!rsop)
    return;
  model = model_with_catalogue();
  gp_rsop_add_to_model(rsop, model, diags);
  computers = gp_model_find_computers(model, "CHILDDC");
  CU_ASSERT_EQUAL_FATAL(computers->len, 1);
  computer = g_ptr_array_index(computers, 0);
  GP_ASSERT_STR(computer->dn, "CN=CHILDDC,OU=Domain Controllers," CHILD_DN);
  GP_ASSERT_STR(computer->sam_account_name, "CHILDDC$");
  GP_ASSERT_STR(computer->site, "London");
  GP_ASSERT_STR(computer->sid, "S-1-5-21-304267769-2348985942-3530825558-1001");
  CU_ASSERT_EQUAL(computer->primary_group_id, 516);
  domain = gp_model_find_domain(model, CHILD_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  GP_ASSERT_STR(domain->netbios_name, "CHILD");
  GP_ASSERT_STR(domain->sid, "S-1-5-21-304267769-2348985942-3530825558");
  CU_ASSERT_PTR_NOT_NULL(gp_model_find_site(model, "London"));
  CU_ASSERT_PTR_NOT_NULL(
      gp_model_find_som(model, "CN=London,CN=Sites,CN=Configuration,DC=ADLAB,DC=local"));
  GP_ASSERT_STR(gp_model_principal_sid(model, "CHILD\\Domain Controllers"),
                "S-1-5-21-304267769-2348985942-3530825558-516");
  CU_ASSERT_TRUE(diags_contain(diags, "only the winning setting of each user right"));
}

static void
test_add_laymanstake_gpos(void)
{
  g_autoptr(GpRsop) rsop = load_sample("laymanstake_rsop.xml", NULL);
  g_autoptr(GpModel) model = NULL;
  const GpGpo *ddcp;
  const GpRightAssignment *assignment;
  g_autofree char *holders = NULL;

  if (!rsop)
    return;
  model = model_with_catalogue();
  gp_rsop_add_to_model(rsop, model, NULL);
  ddcp = gp_model_find_gpo_dn(model, "CN=" DDCP_GUID ",CN=Policies,CN=System," CHILD_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ddcp);
  CU_ASSERT_TRUE(ddcp->in_directory);
  GP_ASSERT_STR(ddcp->display_name, "Default Domain Controllers Policy");
  CU_ASSERT_EQUAL(ddcp->version_number, 3);
  CU_ASSERT_TRUE(ddcp->has_gpt_ini);
  CU_ASSERT_EQUAL(ddcp->gpt_version, 3);
  CU_ASSERT_EQUAL(ddcp->flags, 0);
  CU_ASSERT_TRUE(gp_gpo_has_security_cse(ddcp));
  CU_ASSERT_PTR_NOT_NULL_FATAL(ddcp->machine_template);
  CU_ASSERT_EQUAL(ddcp->machine_template->rights->len, 24);
  assignment = gp_security_template_lookup(ddcp->machine_template, "SeBackupPrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(assignment);
  holders = members_text(assignment->holders);
  GP_ASSERT_STR(holders, "Administrators,Backup Operators,Server Operators");
  /* the Default Domain Policy wins nothing: no template */
  CU_ASSERT_PTR_NULL(gp_model_find_gpo_dn(model, "CN=" DDP_GUID ",CN=Policies,CN=System," CHILD_DN)
                         ->machine_template);
  GP_ASSERT_STR(som_link(model, "OU=Domain Controllers," CHILD_DN, 0)->gpo_guid, DDCP_GUID);
  GP_ASSERT_STR(som_link(model, CHILD_DN, 0)->gpo_guid, DDP_GUID);
  CU_ASSERT_EQUAL(gp_model_find_som(model, CHILD_DN)->kind, GP_SOM_DOMAIN);
}

/* SOMOrder 1 is processed first: it gets the highest link order number. */
static void
test_add_link_order(void)
{
  g_autoptr(GpRsop) rsop = load_sample("HersheyTaichou-CIS-Benchmarks_GPResult-Example.xml", NULL);
  g_autoptr(GpModel) model = NULL;
  const char *dc_ou = "OU=Domain Controllers,DC=corp,DC=oriontech,DC=info";
  const GpLink *first, *second;

  if (!rsop)
    return;
  model = model_with_catalogue();
  gp_rsop_add_to_model(rsop, model, NULL);
  CU_ASSERT_EQUAL(gp_model_find_som(model, dc_ou)->links->len, 2);
  first = som_link(model, dc_ou, 0);
  second = som_link(model, dc_ou, 1);
  GP_ASSERT_STR(first->gpo_guid, ACCOUNT_POL_GUID);
  CU_ASSERT_EQUAL(first->link_order, 1);
  GP_ASSERT_STR(second->gpo_guid, LOCAL_POL_GUID);
  CU_ASSERT_EQUAL(second->link_order, 2);
  CU_ASSERT_EQUAL(first->options, 0);
  GP_ASSERT_STR(gp_model_find_domain(model, "DC=corp,DC=oriontech,DC=info")->netbios_name,
                "ORIONTECH");
}

/* A record evaluated as data agrees with itself. */
static void
add_then_verify(const char *sample, const char *sam, const char *winner, guint gpos, guint rights)
{
  g_autoptr(GpRsop) rsop = load_sample(sample, NULL);
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GPtrArray) computers = NULL;
  g_autoptr(GpResult) result = NULL;
  g_autoptr(GpVerifyResult) verify = NULL;
  const GpRightResult *right;

  if (!rsop)
    return;
  model = model_with_catalogue();
  gp_rsop_add_to_model(rsop, model, NULL);
  gp_model_complete(model);
  computers = gp_model_find_computers(model, sam);
  CU_ASSERT_EQUAL_FATAL(computers->len, 1);
  result = gp_engine_evaluate(model, g_ptr_array_index(computers, 0), NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  CU_ASSERT_EQUAL(result->role, GP_ROLE_DOMAIN_CONTROLLER);
  right = gp_result_find_right(result, "SeDebugPrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right->winner);
  GP_ASSERT_STR(right->winner->gpo->guid, winner);
  verify = gp_engine_verify(model, result, rsop);
  print_mismatches(verify);
  CU_ASSERT_EQUAL(verify->mismatches->len, 0);
  CU_ASSERT_EQUAL(verify->gpos_compared, gpos);
  CU_ASSERT_EQUAL(verify->rights_compared, rights);
}

static void
test_add_then_verify_hershey(void)
{
  add_then_verify("HersheyTaichou-CIS-Benchmarks_GPResult.xml", "WIN-1CPI0V6RVEL$", LOCAL_POL_GUID,
                  2, 40);
}

static void
test_add_then_verify_laymanstake(void)
{
  add_then_verify("laymanstake_rsop.xml", "CHILDDC$", DDCP_GUID, 2, 24);
}

/* Directory data is the better source: a SOM's gPLink and a GPO's attributes stay. */
static void
test_add_keeps_directory_data(void)
{
  g_autoptr(GpRsop) rsop = load_sample("laymanstake_rsop.xml", NULL);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = NULL;
  const char *other = "CN={AAAAAAAA-0000-0000-0000-000000000001},CN=Policies,CN=System," CHILD_DN;
  g_autofree char *gplink = g_strdup_printf("[LDAP://%s;0]", other);
  GpSom *som;
  GpGpo *ddp;

  if (!rsop)
    return;
  model = gp_model_new();
  som = gp_model_ensure_som(model, "OU=Domain Controllers," CHILD_DN, GP_SOM_OU);
  gp_som_set_gplink(som, gplink, diags, "x.ldif", 1);
  ddp = gp_model_ensure_gpo_dn(model, "CN=" DDP_GUID ",CN=Policies,CN=System," CHILD_DN);
  ddp->in_directory = TRUE;
  ddp->version_number = 0x00050007;
  gp_rsop_add_to_model(rsop, model, diags);
  CU_ASSERT_EQUAL(som->links->len, 1);
  GP_ASSERT_STR(som_link(model, "OU=Domain Controllers," CHILD_DN, 0)->gpo_dn, other);
  CU_ASSERT_EQUAL(ddp->version_number, 0x00050007);
  CU_ASSERT_PTR_NULL(ddp->display_name);
  CU_ASSERT_TRUE(diags_contain(diags, "keep the links of their gPLink"));
}

/* A computer whose SOM is the domain sits in CN=Computers. */
static void
test_add_computer_in_domain_root(void)
{
  g_autoptr(GpRsop) rsop = gp_rsop_new("hand.xml");
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) computers = NULL;

  rsop->computer_name = g_strdup("CONTOSO\\WEB01$");
  rsop->domain = g_strdup("contoso.com");
  rsop->som = g_strdup("contoso.com");
  gp_rsop_add_to_model(rsop, model, NULL);
  computers = gp_model_find_computers(model, "web01");
  CU_ASSERT_EQUAL_FATAL(computers->len, 1);
  GP_ASSERT_STR(((GpComputer *)g_ptr_array_index(computers, 0))->dn,
                "CN=WEB01,CN=Computers,DC=contoso,DC=com");
  CU_ASSERT_PTR_NULL(((GpComputer *)g_ptr_array_index(computers, 0))->site);
}

/* ------------------------------------------------------------------ verify */

/* Fixture: domain contoso.com with OU=Servers and computer SRV1 in it, a member
 * server.  GPO A is linked to the domain, B (link order 1) and C (2) to Servers,
 * so gpsim applies B C A.  Every GPO is complete (version 3, Security CSE,
 * SYSVOL read).  A sets SeImpersonatePrivilege = Administrators,SERVICE; B sets
 * it to the four defaults (H_DEF), so B wins; C sets SeDebugPrivilege =
 * Administrators.  SID_APP is "CONTOSO\svc-app", also known as "Application Service".
 *
 * Model tweaks (blank separated): nolinkC (C not linked), noimpB (B defines no
 * right), appB (B adds SID_APP), wmiC (C has a WMI filter, assumed false),
 * verBn (B at version n in the data).
 *
 * The client's record: `client` lists its GPOs in precedence order, the applied
 * ones plain, "C!denied" / "C!wmi" for C not applied (AccessDenied, FilterAllowed
 * false); every GPO at version 3.  SeImpersonatePrivilege is recorded won by
 * `imp` with `members`, SeDebugPrivilege won by `debug` with Administrators.
 */
#define CONTOSO_DN "DC=contoso,DC=com"
#define SERVERS_DN "OU=Servers," CONTOSO_DN
#define SRV1_DN    "CN=SRV1," SERVERS_DN
#define SID_APP    "S-1-5-21-1111111111-2222222222-3333333333-1105"
#define H_DEF      "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6"
#define M_DEF      "Administrators,LOCAL SERVICE,NETWORK SERVICE,SERVICE"
#define WMI_FILTER "[contoso.com;{F0000000-0000-0000-0000-000000000000};0]"

typedef struct {
  const char *id;
  const char *tweaks;
  const char *client;
  const char *imp;     /* GPO name, NULL: not recorded */
  const char *members; /* comma list of names */
  const char *debug;   /* GPO name, NULL: not recorded */
  /* expected */
  guint n_mismatches;
  GpMismatchKind kind; /* of the first mismatch */
  const char *cause;   /* substring of its first cause */
  const char *expected_part;
  const char *actual_part;
} VerifyRow;

static const VerifyRow verify_rows[] = {
  { "agree", "", "B C A", "B", M_DEF, "C", 0, 0, NULL, NULL, NULL },
  { "missing_gpo", "nolinkC", "B C A", "B", M_DEF, "C", 2, GP_MISMATCH_GPO_LIST,
    "the GPO or its link is missing from the data", "'C' {C0000000", "not on gpsim's list" },
  { "order_swapped", "", "C B A", "B", M_DEF, "C", 1, GP_MISMATCH_GPO_LIST,
    "link order or enforcement changed", "'C' at precedence 1", "'B' at precedence 1" },
  { "other_winner", "noimpB", "B C A", "B", M_DEF, "C", 1, GP_MISMATCH_WINNER,
    "'B' does not define SeImpersonatePrivilege in the data", "'B' {B0000000", "'A' {A0000000" },
  { "other_holders", "", "B C A", "B", "Administrators,LOCAL SERVICE", "C", 1, GP_MISMATCH_HOLDERS,
    "local changes or a GPO applied since", "Administrators, LOCAL SERVICE",
    "(not on the client: NT AUTHORITY\\NETWORK SERVICE, "
    "NT AUTHORITY\\SERVICE)" },
  { "holders_by_directory", "appB", "B C A", "B", M_DEF ",Application Service", "C", 0, 0, NULL,
    NULL, NULL },
  { "holders_by_short_name", "appB", "B C A", "B", M_DEF ",svc-app", "C", 0, 0, NULL, NULL, NULL },
  { "holders_unresolved", "", "B C A", "B", M_DEF ",Mystery", "C", 1, GP_MISMATCH_HOLDERS,
    "names that could not be matched", "(not in gpsim: Mystery)", NULL },
  { "wmi_in_gpsim", "wmiC", "B C A", "B", M_DEF, "C", 2, GP_MISMATCH_GPO_LIST,
    "WMI filter value differs from the modeling assumption (--wmi)", NULL,
    "not applied: WMI filter evaluated false" },
  { "wmi_on_client", "", "B A C!wmi", "B", M_DEF, NULL, 2, GP_MISMATCH_GPO_LIST,
    "WMI filter value differs from the modeling assumption (--wmi)", "not applied on the client",
    "'C' {C0000000" },
  { "access_denied", "", "B A C!denied", "B", M_DEF, NULL, 2, GP_MISMATCH_GPO_LIST,
    "security group membership at logon differs (--add-group)", NULL, NULL },
  { "data_newer", "verB5", "B C A", "B", "Administrators", "C", 1, GP_MISMATCH_HOLDERS,
    "version 5 in the data and 3 on the client: the export is newer", NULL, NULL },
  { "data_older", "verB1", "B C A", "B", "Administrators", "C", 1, GP_MISMATCH_HOLDERS,
    "the export is older than the client's last refresh", NULL, NULL },
};

static char *
guid_of(char name)
{
  return g_strdup_printf("{%c0000000-0000-0000-0000-000000000000}", name);
}

static GpSecurityTemplate *
template_with(const char *right, const char *sids)
{
  GpSecurityTemplate *tmpl = gp_security_template_new(NULL);
  GpRightAssignment *assignment = gp_right_assignment_new(right, NULL, 0);
  g_auto(GStrv) list = g_strsplit(sids, ",", -1);

  for (guint i = 0; list[i]; i++)
    g_ptr_array_add(assignment->holders, gp_principal_new(list[i], NULL));
  gp_security_template_add(tmpl, assignment);
  return tmpl;
}

static GpGpo *
fixture_gpo(GpModel *model, char name)
{
  g_autofree char *guid = guid_of(name);
  g_autofree char *dn = g_strdup_printf("CN=%s,CN=Policies,CN=System," CONTOSO_DN, guid);
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, dn);

  gpo->in_directory = TRUE;
  gpo->display_name = g_strdup_printf("%c", name);
  gpo->version_number = gpo->gpt_version = 3;
  gpo->has_gpt_ini = gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->machine_extension_names = g_strdup("[" GP_SECURITY_CSE_GUID "]");
  gpo->sysvol = GP_SYSVOL_READ;
  return gpo;
}

static void
fixture_gpos(GpModel *model, const char *tweaks, GpSom *domain, GpSom *servers)
{
  GpGpo *a = fixture_gpo(model, 'A');
  GpGpo *b = fixture_gpo(model, 'B');
  GpGpo *c = fixture_gpo(model, 'C');
  const char *version = strstr(tweaks, "verB");

  a->machine_template = template_with(IMPERSONATE, "S-1-5-32-544,S-1-5-6");
  if (strstr(tweaks, "noimpB"))
    b->machine_template = gp_security_template_new(NULL);
  else
    b->machine_template
        = template_with(IMPERSONATE, strstr(tweaks, "appB") ? H_DEF "," SID_APP : H_DEF);
  if (version)
    b->version_number = b->gpt_version = (guint32)g_ascii_strtoull(version + 4, NULL, 10);
  c->machine_template = template_with("SeDebugPrivilege", "S-1-5-32-544");
  if (strstr(tweaks, "wmiC")) {
    /* The filter object is in the data: an absent one would let the GPO apply. */
    c->wql_filter = g_strdup(WMI_FILTER);
    gp_model_ensure_wmi_filter(model, "{F0000000-0000-0000-0000-000000000000}");
  }
  gp_som_add_link(domain, a->dn, 0);
  gp_som_add_link(servers, b->dn, 0);
  if (!strstr(tweaks, "nolinkC"))
    gp_som_add_link(servers, c->dn, 0);
}

static GpModel *
verify_model(const char *tweaks, GpComputer **out_computer)
{
  GpModel *model = model_with_catalogue();
  GpSom *domain, *servers;
  GpComputer *computer;

  gp_model_add_principal(model, SID_APP, "CONTOSO\\svc-app");
  gp_model_add_principal(model, SID_APP, "Application Service");
  gp_model_ensure_domain(model, CONTOSO_DN);
  domain = gp_model_ensure_som(model, CONTOSO_DN, GP_SOM_DOMAIN);
  domain->name = g_strdup("contoso.com");
  servers = gp_model_ensure_som(model, SERVERS_DN, GP_SOM_OU);
  servers->name = g_strdup("Servers");
  fixture_gpos(model, tweaks, domain, servers);
  computer = gp_model_ensure_computer(model, SRV1_DN);
  computer->sam_account_name = g_strdup("SRV1$");
  computer->operating_system = g_strdup("Windows Server 2022 Standard");
  computer->has_user_account_control = TRUE;
  computer->user_account_control = 4096;
  computer->primary_group_id = 515;
  gp_model_complete(model);
  *out_computer = computer;
  return model;
}

static GpRsopGpo *
client_gpo(char name, guint applied_order)
{
  GpRsopGpo *gpo = gp_rsop_gpo_new();

  gpo->guid = guid_of(name);
  gpo->name = g_strdup_printf("%c", name);
  gpo->domain = g_strdup("contoso.com");
  gpo->som_path = g_strdup(name == 'A' ? "contoso.com" : "contoso.com/Servers");
  gpo->version_directory = gpo->version_sysvol = 3;
  gpo->applied_order = applied_order;
  return gpo;
}

static void
client_right(GpRsop *rsop, const char *right, const char *winner, const char *members)
{
  GpRsopRight *out = gp_rsop_right_new(right);
  g_auto(GStrv) names = g_strsplit(members, ",", -1);

  out->gpo_guid = guid_of(winner[0]);
  out->precedence = 1;
  for (guint i = 0; names[i]; i++)
    g_ptr_array_add(out->members, gp_principal_new(NULL, names[i]));
  g_ptr_array_add(rsop->rights, out);
}

static GpRsop *
client_record(const VerifyRow *row)
{
  GpRsop *rsop = gp_rsop_new("client.xml");
  g_auto(GStrv) tokens = g_strsplit(row->client, " ", -1);
  guint applied = 0;

  rsop->computer_name = g_strdup("CONTOSO\\SRV1$");
  /* precedence order: the last one listed was processed first */
  for (guint i = g_strv_length(tokens); i > 0; i--) {
    const char *token = tokens[i - 1];
    GpRsopGpo *gpo = client_gpo(token[0], strchr(token, '!') ? 0 : ++applied);
    gpo->access_denied = strstr(token, "!denied") != NULL;
    gpo->filter_allowed = strstr(token, "!denied") == NULL && strstr(token, "!wmi") == NULL;
    g_ptr_array_add(rsop->gpos, gpo);
  }
  if (row->imp)
    client_right(rsop, IMPERSONATE, row->imp, row->members);
  if (row->debug)
    client_right(rsop, "SeDebugPrivilege", row->debug, "Administrators");
  return rsop;
}

static void
print_verify(const char *id, const GpVerifyResult *verify)
{
  for (guint i = 0; i < verify->mismatches->len; i++) {
    const GpMismatch *m = g_ptr_array_index(verify->mismatches, i);
    printf("\n%s #%u kind %d %s\n  expected: %s\n  actual:   %s\n", id, i, m->kind,
           m->right ? m->right : "", m->expected, m->actual);
    for (guint j = 0; j < m->likely_causes->len; j++)
      printf("  cause: %s\n", (const char *)g_ptr_array_index(m->likely_causes, j));
  }
}

static void
check_first_mismatch(const VerifyRow *row, const GpMismatch *first)
{
  CU_ASSERT_EQUAL(first->kind, row->kind);
  CU_ASSERT_TRUE_FATAL(first->likely_causes->len > 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(first->likely_causes, 0), row->cause));
  if (row->expected_part)
    CU_ASSERT_PTR_NOT_NULL(strstr(first->expected, row->expected_part));
  if (row->actual_part)
    CU_ASSERT_PTR_NOT_NULL(strstr(first->actual, row->actual_part));
}

static void
run_verify_row(const char *id)
{
  const VerifyRow *row = NULL;
  GpComputer *computer = NULL;
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpRsop) rsop = NULL;
  g_autoptr(GpResult) result = NULL;
  g_autoptr(GpVerifyResult) verify = NULL;
  GpEngineOptions options = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS(verify_rows) && !row; i++)
    row = g_strcmp0(verify_rows[i].id, id) == 0 ? &verify_rows[i] : NULL;
  CU_ASSERT_PTR_NOT_NULL_FATAL(row);
  model = verify_model(row->tweaks, &computer);
  rsop = client_record(row);
  options.wmi_default_false = strstr(row->tweaks, "wmiC") != NULL;
  result = gp_engine_evaluate(model, computer, &options, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  verify = gp_engine_verify(model, result, rsop);
  if (verify->mismatches->len != row->n_mismatches || row->n_mismatches)
    print_verify(id, verify);
  CU_ASSERT_EQUAL_FATAL(verify->mismatches->len, row->n_mismatches);
  CU_ASSERT_EQUAL(verify->gpos_compared, strstr(row->client, "!") ? 2 : 3);
  CU_ASSERT_EQUAL(verify->rights_compared, (row->imp != NULL) + (row->debug != NULL));
  if (row->n_mismatches)
    check_first_mismatch(row, g_ptr_array_index(verify->mismatches, 0));
}

#define VERIFY_CASE(name)                                                                          \
  static void test_verify_##name(void)                                                             \
  {                                                                                                \
    run_verify_row(#name);                                                                         \
  }

VERIFY_CASE(agree)
VERIFY_CASE(missing_gpo)
VERIFY_CASE(order_swapped)
VERIFY_CASE(other_winner)
VERIFY_CASE(other_holders)
VERIFY_CASE(holders_by_directory)
VERIFY_CASE(holders_by_short_name)
VERIFY_CASE(holders_unresolved)
VERIFY_CASE(wmi_in_gpsim)
VERIFY_CASE(wmi_on_client)
VERIFY_CASE(access_denied)
VERIFY_CASE(data_newer)
VERIFY_CASE(data_older)

/* What cannot be compared is said; nothing crashes on a half-empty record. */
static void
test_verify_notes_and_partial_data(void)
{
  static const VerifyRow row = { "notes", "", "B C A", NULL, NULL, NULL, 0, 0, NULL, NULL, NULL };
  GpComputer *computer = NULL;
  g_autoptr(GpModel) model = verify_model("", &computer);
  g_autoptr(GpRsop) rsop = client_record(&row);
  g_autoptr(GpResult) result = gp_engine_evaluate(model, computer, NULL, NULL);
  g_autoptr(GpVerifyResult) verify = NULL;
  GpRsopRight *local = gp_rsop_right_new("SeDebugPrivilege");
  GpRsopRight *losing = gp_rsop_right_new(IMPERSONATE);
  GpRsopRight *odd = gp_rsop_right_new(NULL);

  local->gpo_guid = g_strdup("LocalGPO");
  local->precedence = 1;
  losing->gpo_guid = guid_of('A');
  losing->precedence = 2;
  g_ptr_array_add(odd->members, gp_principal_new(NULL, NULL));
  odd->precedence = 1;
  g_ptr_array_add(rsop->rights, local);
  g_ptr_array_add(rsop->rights, losing);
  g_ptr_array_add(rsop->rights, odd);
  g_ptr_array_add(rsop->gpos, gp_rsop_gpo_new()); /* no GUID at all */
  g_clear_pointer(&rsop->computer_name, g_free);
  rsop->computer_name = g_strdup("CONTOSO\\OTHER$");
  verify = gp_engine_verify(model, result, rsop);
  print_verify("notes", verify);
  CU_ASSERT_TRUE(strings_contain(verify->notes, "1 rights were set by the local GPO"));
  CU_ASSERT_TRUE(strings_contain(verify->notes, "1 settings of GPOs that lost"));
  CU_ASSERT_TRUE(strings_contain(verify->notes, "recorded on CONTOSO\\OTHER$"));
  CU_ASSERT_EQUAL(verify->rights_compared, 0);
}

static void
test_verify_nothing(void)
{
  GpComputer *computer = NULL;
  g_autoptr(GpModel) model = verify_model("", &computer);
  g_autoptr(GpRsop) empty = gp_rsop_new(NULL);
  g_autoptr(GpResult) result = gp_engine_evaluate(model, computer, NULL, NULL);
  g_autoptr(GpVerifyResult) none = gp_engine_verify(model, NULL, NULL);
  g_autoptr(GpVerifyResult) verify = gp_engine_verify(NULL, result, empty);

  CU_ASSERT_EQUAL(none->mismatches->len, 0);
  CU_ASSERT_TRUE(strings_contain(none->notes, "nothing to compare"));
  CU_ASSERT_EQUAL(verify->mismatches->len, 0);
  CU_ASSERT_TRUE(strings_contain(verify->notes, "lists no GPO"));
  CU_ASSERT_TRUE(strings_contain(verify->notes, "records no user rights"));
}

static const GpTestCase cases[] = {
  GP_TEST(test_laymanstake_computer),
  GP_TEST(test_laymanstake_gpos),
  GP_TEST(test_laymanstake_rights),
  GP_TEST(test_hershey_impersonate),
  GP_TEST(test_hershey_example_gpos),
  GP_TEST(test_broken_input),
  GP_TEST(test_truncated_sample),
  GP_TEST(test_missing_file),
  GP_TEST(test_partial_record),
  GP_TEST(test_add_laymanstake),
  GP_TEST(test_add_laymanstake_gpos),
  GP_TEST(test_add_link_order),
  GP_TEST(test_add_then_verify_hershey),
  GP_TEST(test_add_then_verify_laymanstake),
  GP_TEST(test_add_keeps_directory_data),
  GP_TEST(test_add_computer_in_domain_root),
  GP_TEST(test_verify_agree),
  GP_TEST(test_verify_missing_gpo),
  GP_TEST(test_verify_order_swapped),
  GP_TEST(test_verify_other_winner),
  GP_TEST(test_verify_other_holders),
  GP_TEST(test_verify_holders_by_directory),
  GP_TEST(test_verify_holders_by_short_name),
  GP_TEST(test_verify_holders_unresolved),
  GP_TEST(test_verify_wmi_in_gpsim),
  GP_TEST(test_verify_wmi_on_client),
  GP_TEST(test_verify_access_denied),
  GP_TEST(test_verify_data_newer),
  GP_TEST(test_verify_data_older),
  GP_TEST(test_verify_notes_and_partial_data),
  GP_TEST(test_verify_nothing),
};
GP_TEST_MAIN("rsop", cases)
