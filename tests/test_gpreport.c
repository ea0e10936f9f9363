/* test_gpreport.c - Get-GPOReport XML (loaders/gp-gpreport.c) and the gPLink /
 * gPOptions CSV (loaders/gp-inherit.c) through their public API. */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "gp-loaders.h"
#include "gp-test.h"

#define FILE_NAME "report.xml"

#define GUID_A    "{1B2C3D4E-0000-0000-0000-00000000A001}"
#define GUID_B    "{1B2C3D4E-0000-0000-0000-00000000B001}"
#define GUID_C    "{1B2C3D4E-0000-0000-0000-00000000C001}"
#define POLICIES  ",CN=Policies,CN=System,DC=security,DC=local"
#define DOMAIN_DN "DC=security,DC=local"

#define DC_GUID          "{2252357B-446B-48B0-8E01-D07D4B2721CF}"
#define WEF_GUID         "{3523CC97-2ED8-49E4-94B7-9CD023AD335C}"
#define T0X01_DOMAIN_SID "S-1-5-21-1008685719-736517541-3173999730"

/* ------------------------------------------------------------- fixtures */

#define TYPES_NS "xmlns=\"http://www.microsoft.com/GroupPolicy/Types\""
#define GPO_OPEN                                                                                   \
  "<GPO xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "                                           \
  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                       \
  "xmlns=\"http://www.microsoft.com/GroupPolicy/Settings\">"
#define IDENT(guid, domain)                                                                        \
  "<Identifier><Identifier " TYPES_NS ">" guid "</Identifier><Domain " TYPES_NS ">" domain         \
  "</Domain></Identifier>"
#define SIDE(tag, dir, sys, enabled)                                                               \
  "<" tag "><VersionDirectory>" dir "</VersionDirectory><VersionSysvol>" sys                       \
  "</VersionSysvol><Enabled>" enabled "</Enabled></" tag ">"
/* A <Computer> with the Security CSE holding @body. */
#define COMPUTER_SECURITY(dir, sys, body)                                                          \
  "<Computer><VersionDirectory>" dir "</VersionDirectory><VersionSysvol>" sys                      \
  "</VersionSysvol><Enabled>true</Enabled><ExtensionData><Extension "                              \
  "xmlns:q1=\"http://www.microsoft.com/GroupPolicy/Settings/Security\" "                           \
  "xsi:type=\"q1:SecuritySettings\">" body "</Extension><Name>Security</Name></ExtensionData>"     \
  "</Computer>"
#define RIGHT(name, members)                                                                       \
  "<q1:UserRightsAssignment><q1:Name>" name "</q1:Name>" members "</q1:UserRightsAssignment>"
#define MEMBER(sid, name)                                                                          \
  "<q1:Member><SID " TYPES_NS ">" sid "</SID><Name " TYPES_NS ">" name "</Name></q1:Member>"
#define LINK(name, path, enabled, no_override)                                                     \
  "<LinksTo><SOMName>" name "</SOMName><SOMPath>" path "</SOMPath><Enabled>" enabled               \
  "</Enabled><NoOverride>" no_override "</NoOverride></LinksTo>"
#define USER_OFF SIDE("User", "1", "1", "false")

/* A small but complete report of GUID_A. */
/* clang-format off */
#define SDDL_A                                                                                     \
  "<SecurityDescriptor>"                                                                           \
  "<SDDL xmlns=\"http://www.microsoft.com/GroupPolicy/Types/Security\">"                           \
  "O:DAG:DAD:PAI(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;AU)"                               \
  "(A;CI;LCRPLORC;;;AU)(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;DA)</SDDL>"                                \
  "<Owner xmlns=\"http://www.microsoft.com/GroupPolicy/Types/Security\">"                          \
  "<SID " TYPES_NS ">S-1-5-21-1-2-3-512</SID></Owner>"                                             \
  "</SecurityDescriptor>"
#define SECURITY_A                                                                                 \
  RIGHT("SeImpersonatePrivilege",                                                                  \
        MEMBER("S-1-5-32-544", "BUILTIN\\Administrators")                                          \
        MEMBER("S-1-5-21-1-2-3-1105", "SECURITY\\svc-app"))                                        \
  RIGHT("SeTcbPrivilege", "")                                                                      \
  "<q1:SecurityOptions><q1:KeyName>MACHINE\\System\\X</q1:KeyName>"                                \
  "<q1:SettingNumber>1</q1:SettingNumber></q1:SecurityOptions>"                                    \
  "<q1:Blocked>false</q1:Blocked>"
#define REPORT_A                                                                                   \
  "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n"                                                \
  GPO_OPEN IDENT(GUID_A, "SECURITY.LOCAL")                                                         \
  "<Name>Servers baseline</Name>"                                                                  \
  SDDL_A                                                                                           \
  "<FilterDataAvailable>true</FilterDataAvailable>"                                                \
  COMPUTER_SECURITY("3", "3", SECURITY_A)                                                          \
  USER_OFF                                                                                         \
  LINK("Servers", "SECURITY.LOCAL/Servers", "true", "false")                                       \
  "</GPO>\r\n"
/* clang-format on */

/* ------------------------------------------------------------------ helpers */

/* Returns: (transfer full): a model with gpsim's catalogue of rights. */
static GpModel *
model_new(void)
{
  g_autofree char *path = gp_test_data("user-rights.tsv");
  g_autoptr(GError) error = NULL;
  GpModel *model = gp_model_new();

  if (!gp_data_load_rights(path, model, &error))
    CU_FAIL(error->message);
  return model;
}

static gboolean
load_text(GpModel *model, GPtrArray *diags, const char *text, GError **error)
{
  return gp_gpreport_load_from_data(text, strlen(text), FILE_NAME, model, diags, error);
}

static void
print_diags(const GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++) {
    g_autofree char *text = gp_diagnostic_format(diags->pdata[i]);
    printf("\n  %s", text);
  }
}

/* Loads @text into @model and fails the test when the load fails. */
static void
load_ok(GpModel *model, GPtrArray *diags, const char *text)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = load_text(model, diags, text, &error);

  CU_ASSERT_TRUE(ok);
  if (error != NULL)
    printf("\nunexpected error: %s\n", error->message);
}

/* Returns: how many diagnostics of @severity contain @text (NULL: any) and sit on
 * @line (0: any line). */
static guint
count_diags(const GPtrArray *diags, GpSeverity severity, const char *text, guint line)
{
  guint n = 0;

  for (guint i = 0; i < diags->len; i++) {
    const GpDiagnostic *diag = diags->pdata[i];
    if (diag->severity != severity || (line != 0 && diag->line != line))
      continue;
    if (text == NULL || strstr(diag->message, text) != NULL)
      n++;
  }
  return n;
}

static guint
count_warnings(const GPtrArray *diags)
{
  guint n = count_diags(diags, GP_SEVERITY_WARNING, NULL, 0);

  if (n > 0)
    print_diags(diags);
  return n;
}

/* Returns: (transfer none) (nullable): the only GPO with @guid. */
static GpGpo *
find_gpo(const GpModel *model, const char *guid)
{
  g_autoptr(GPtrArray) found = gp_model_find_gpos_guid(model, guid);

  CU_ASSERT_EQUAL(found->len, 1);
  return found->len == 1 ? found->pdata[0] : NULL;
}

/* Returns: (transfer full): "sid|name,sid|name" for the holders of @right. */
static char *
holders_of(const GpGpo *gpo, const char *right)
{
  const GpRightAssignment *assignment = NULL;
  GString *out = g_string_new(NULL);

  if (gpo != NULL && gpo->machine_template != NULL)
    assignment = gp_security_template_lookup(gpo->machine_template, right);
  if (assignment == NULL)
    return g_string_free(out, TRUE);
  for (guint i = 0; i < assignment->holders->len; i++) {
    const GpPrincipal *holder = assignment->holders->pdata[i];
    g_string_append_printf(out, "%s%s|%s", i ? "," : "", holder->sid ? holder->sid : "-",
                           holder->name ? holder->name : "-");
  }
  return g_string_free(out, FALSE);
}

/* Returns: (nullable) (transfer none): the link of @som with link order @order. */
static const GpLink *
som_link(const GpSom *som, guint order)
{
  for (guint i = 0; som != NULL && i < som->links->len; i++) {
    const GpLink *link = som->links->pdata[i];
    if (link->link_order == order)
      return link;
  }
  return NULL;
}

/* Returns: (transfer full): @text as UTF-16LE with a BOM, as Windows writes it. */
static char *
utf16_with_bom(const char *text, gsize *out_len)
{
  gsize len = 0;
  g_autofree char *utf16 = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &len, NULL);
  char *out = g_malloc(len + 2);

  out[0] = '\xff';
  out[1] = '\xfe';
  memcpy(out + 2, utf16, len);
  *out_len = len + 2;
  return out;
}

/* Returns: (transfer full): @text written to a new temporary file @name. */
static char *
write_temp(const char *name, const char *data, gsize len)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-gpreport-XXXXXX", NULL);
  char *path = g_build_filename(dir, name, NULL);

  CU_ASSERT_TRUE(g_file_set_contents(path, data, (gssize)len, NULL));
  return path;
}

static void
remove_temp(const char *path)
{
  g_autofree char *dir = g_path_get_dirname(path);

  g_remove(path);
  g_rmdir(dir);
}

/* ------------------------------------------------------------ real samples */

typedef struct {
  const char *sample;
  const char *guid;
  const char *name;
  const char *domain_dn;
  guint flags;
  guint32 version; /* VersionDirectory: user << 16 | computer */
  const char *filter;
  guint n_links;
} SampleFacts;

static const SampleFacts sample_facts[] = {
  { "gpo_report_xml/t0x01_DomainSecurity_gpreport.xml", "{A5E50D84-CE44-4FC5-9793-B8DC48C66B0B}",
    "Domain Security", DOMAIN_DN, 1, 1u << 16 | 107, NULL, 1 },
  { "gpo_report_xml/t0x01_WindowsEventForwarding_gpreport.xml", WEF_GUID,
    "Windows Event Forwarding", DOMAIN_DN, 1, 1u << 16 | 46, NULL, 3 },
  { "gpmc_backup/t0x01-security-local/GPOs/{72A90472-1833-4FE8-92E4-D454256D337B}/gpreport.xml",
    DC_GUID, "Windows Server 2022 - Domain Controller", DOMAIN_DN, 1, 1u << 16 | 525,
    "Windows Server 2022", 1 },
  { "gpmc_backup/t0x01-security-local/GPOs/{BCC33A6A-B1E2-4EE9-9759-FDB4C1505B37}/gpreport.xml",
    "{240C5EF0-FCB4-4A4A-9FFC-D5BDD36B8FEE}", "Windows Server 2022 - Member Server", DOMAIN_DN, 1,
    1u << 16 | 486, "Windows Server 2022", 1 },
  { "gpmc_backup/t0x01-security-local/GPOs/{CAB5F8A2-E42D-4512-89BD-75CCFA453790}/gpreport.xml",
    "{AD630EDC-CC5B-403F-87D1-BEDC1AD206AA}", "Windows 11 - Computer", DOMAIN_DN, 1, 1u << 16 | 411,
    "Windows 11", 1 },
  { "gpmc_backup/t0x01-security-local/GPOs/{FD97D1E3-19F3-465E-BC62-B4EFD7F6EFC3}/gpreport.xml",
    "{A5E50D84-CE44-4FC5-9793-B8DC48C66B0B}", "Domain Security", DOMAIN_DN, 1, 1u << 16 | 107, NULL,
    1 },
  { "gpmc_backup/t0x01-security-local/GPOs/{11487784-8A54-41BA-99B2-F580F704F987}/gpreport.xml",
    WEF_GUID, "Windows Event Forwarding", DOMAIN_DN, 1, 1u << 16 | 46, NULL, 3 },
  { "gpmc_backup/nsacyber-shb-win10-computer/{A2A38432-E322-437F-9975-B7CC7F16F4AA}/gpreport.xml",
    "{356FB116-26CD-4FBF-830B-6D736B802FD7}", "DoD Windows 10 STIG - Computer (SHB v10.1.0)",
    "DC=idl,DC=local", 1, 2u << 16 | 7, NULL, 0 },
  { "gpmc_backup/simeononsecurity-disa-stig/DoD - Windows 8 - Computer/"
    "{2199EA28-42D1-4F0C-8043-EDD3A546BD9A}/gpreport.xml",
    "{4944CC9B-2067-425A-AEAB-BE38316D3A40}", "DoD - Windows 8 - Computer", "DC=soc,DC=lan", 1,
    2u << 16 | 2, NULL, 0 },
};

/* Returns: (transfer full) (nullable): a model holding @sample, or NULL when
 * the samples are absent (the test is then skipped). */
static GpModel *
load_sample(const char *sample, GPtrArray *diags)
{
  g_autofree char *path = gp_test_sample(sample);
  g_autoptr(GError) error = NULL;
  GpModel *model;

  if (path == NULL)
    return NULL;
  model = model_new();
  CU_ASSERT_TRUE(gp_gpreport_load_file(path, model, diags, &error));
  if (error != NULL)
    printf("\n%s: %s", sample, error->message);
  return model;
}

static guint
count_links(const GpModel *model, const char *gpo_dn)
{
  const GPtrArray *soms = gp_model_soms(model);
  guint n = 0;

  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = soms->pdata[i];
    for (guint j = 0; j < som->links->len; j++)
      n += g_ascii_strcasecmp(((GpLink *)som->links->pdata[j])->gpo_dn, gpo_dn) == 0;
  }
  return n;
}

static void
check_sample(const SampleFacts *facts, const GpModel *model, const GPtrArray *diags)
{
  GpGpo *gpo = find_gpo(model, facts->guid);
  g_autofree char *dn
      = g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", facts->guid, facts->domain_dn);
  const GpWmiFilter *filter = NULL;
  g_autofree char *filter_id = NULL;

  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->dn, dn);
  GP_ASSERT_STR(gpo->display_name, facts->name);
  CU_ASSERT_TRUE(gpo->in_directory);
  CU_ASSERT_EQUAL(gpo->flags, facts->flags);
  CU_ASSERT_EQUAL(gpo->version_number, facts->version);
  CU_ASSERT_TRUE(gpo->has_gpt_ini);
  CU_ASSERT_EQUAL(gpo->gpt_version, facts->version);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
  CU_ASSERT_TRUE(gpo->has_functionality_version && gpo->functionality_version == 2);
  CU_ASSERT_TRUE(gp_gpo_has_security_cse(gpo));
  CU_ASSERT_PTR_NOT_NULL(gpo->machine_template);
  CU_ASSERT_PTR_NOT_NULL(gpo->security_descriptor);
  CU_ASSERT_PTR_NOT_NULL(gp_model_find_domain(model, facts->domain_dn));
  CU_ASSERT_PTR_NOT_NULL(gp_model_find_som(model, facts->domain_dn));
  if (gpo->wql_filter != NULL && strchr(gpo->wql_filter, '{') != NULL) {
    filter_id = g_strndup(strchr(gpo->wql_filter, '{'), 38);
    filter = gp_model_find_wmi_filter(model, filter_id);
  }
  GP_ASSERT_STR(filter ? filter->name : NULL, facts->filter);
  CU_ASSERT_EQUAL(count_links(model, dn), facts->n_links);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "link order within a SOM", 0),
                  facts->n_links > 0 ? 1 : 0);
}

/* Every saved report loads without a warning, with its identity and status. */
static void
test_samples(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sample_facts); i++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_sample(sample_facts[i].sample, diags);

    if (model == NULL)
      return;
    printf("\n  sample: %s", sample_facts[i].sample);
    CU_ASSERT_EQUAL(count_warnings(diags), 0);
    check_sample(&sample_facts[i], model, diags);
  }
}

#define DC_SAMPLE                                                                                  \
  "gpmc_backup/t0x01-security-local/GPOs/{72A90472-1833-4FE8-92E4-D454256D337B}/gpreport.xml"
#define WEF_SAMPLE "gpo_report_xml/t0x01_WindowsEventForwarding_gpreport.xml"

/* The DC baseline's SeImpersonatePrivilege, in report order, with names. */
static void
test_sample_dc_impersonate(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_sample(DC_SAMPLE, diags);
  GpGpo *gpo = model ? find_gpo(model, DC_GUID) : NULL;
  g_autofree char *holders = NULL;
  const GpRightAssignment *tcb;

  if (model == NULL)
    return;
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->machine_template);
  holders = holders_of(gpo, "SeImpersonatePrivilege");
  GP_ASSERT_STR(holders, "S-1-5-32-544|BUILTIN\\Administrators,S-1-5-19|NT AUTHORITY\\LOCAL "
                         "SERVICE,S-1-5-20|NT AUTHORITY\\NETWORK SERVICE,S-1-5-6|NT "
                         "AUTHORITY\\SERVICE");
  CU_ASSERT_EQUAL(gpo->machine_template->rights->len, 39);
  /* <UserRightsAssignment> with a Name only: defined-empty. */
  tcb = gp_security_template_lookup(gpo->machine_template, "SeCreateTokenPrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
  CU_ASSERT_EQUAL(tcb->holders->len, 0);
  CU_ASSERT_PTR_NOT_NULL(tcb->file);
  CU_ASSERT_TRUE(tcb->line > 135);
  GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-6"), "NT AUTHORITY\\SERVICE");
  GP_ASSERT_STR(gp_model_principal_sid(model, "NETWORK SERVICE"), "S-1-5-20");
  CU_ASSERT_EQUAL(gpo->machine_template->sections->len, 3);
}

/* The WEF GPO's three links, two of them disabled, in OUs of SECURITY.LOCAL. */
static void
test_sample_wef_links(void)
{
  static const struct {
    const char *dn;
    const char *name;
    guint options;
  } expected[] = {
    { "OU=Member Servers,OU=Assets and Enterprise Management,OU=Enterprise," DOMAIN_DN,
      "Member Servers", 0 },
    { "OU=Computers,OU=Resources," DOMAIN_DN, "Computers", GP_LINK_DISABLED },
    { "OU=Domain Controllers,OU=Assets and Enterprise Management,OU=Enterprise," DOMAIN_DN,
      "Domain Controllers", GP_LINK_DISABLED },
  };
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_sample(WEF_SAMPLE, diags);

  if (model == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS(expected); i++) {
    const GpSom *som = gp_model_find_som(model, expected[i].dn);
    const GpLink *link = som_link(som, 1);

    CU_ASSERT_PTR_NOT_NULL_FATAL(som);
    CU_ASSERT_EQUAL(som->kind, GP_SOM_OU);
    GP_ASSERT_STR(som->name, expected[i].name);
    CU_ASSERT_EQUAL(som->links->len, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(link);
    GP_ASSERT_STR(link->gpo_guid, WEF_GUID);
    CU_ASSERT_EQUAL(link->options, expected[i].options);
    CU_ASSERT_TRUE(som->link_order_assumed);
    CU_ASSERT_TRUE(som->block_unknown);
  }
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "--gpinheritance", 0), 1);
}

/* FilterName becomes a WMI filter of the domain, shared by the GPOs that name it. */
static void
test_sample_wmi_filter(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_sample(DC_SAMPLE, diags);
  g_autofree char *member_path = gp_test_sample(sample_facts[3].sample);
  const GpWmiFilter *filter;
  GpGpo *dc;
  GpGpo *member;
  g_autofree char *wql = NULL;

  if (model == NULL || member_path == NULL)
    return;
  CU_ASSERT_TRUE(gp_gpreport_load_file(member_path, model, diags, NULL));
  filter = gp_model_find_wmi_filter(model, "windows server 2022");
  CU_ASSERT_PTR_NOT_NULL_FATAL(filter);
  GP_ASSERT_STR(filter->name, "Windows Server 2022");
  GP_ASSERT_STR(filter->domain_dn, DOMAIN_DN);
  CU_ASSERT_PTR_NULL(filter->query);
  CU_ASSERT_EQUAL(gp_model_wmi_filters(model)->len, 1);
  dc = find_gpo(model, DC_GUID);
  wql = g_strdup_printf("[security.local;%s;0]", filter->id);
  GP_ASSERT_STR(dc ? dc->wql_filter : NULL, wql);
  member = find_gpo(model, sample_facts[3].guid);
  GP_ASSERT_STR(member ? member->wql_filter : NULL, wql);
}

/* <SDDL>, with DA resolved through the owner's domain: Authenticated Users may apply. */
static void
test_sample_descriptor(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_sample(DC_SAMPLE, diags);
  GpGpo *gpo = model ? find_gpo(model, DC_GUID) : NULL;
  const GpSecurityDescriptor *sd;
  guint apply = 0;
  guint domain_admins = 0;

  if (model == NULL)
    return;
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  sd = gpo->security_descriptor;
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd);
  CU_ASSERT_PTR_NOT_NULL_FATAL(sd->dacl);
  GP_ASSERT_STR(sd->owner, T0X01_DOMAIN_SID "-512");
  for (guint i = 0; i < sd->dacl->len; i++) {
    const GpAce *ace = sd->dacl->pdata[i];
    apply += ace->type == GP_ACE_ALLOW && g_strcmp0(ace->sid, "S-1-5-11") == 0
             && g_strcmp0(ace->object_type, GP_APPLY_GROUP_POLICY_GUID) == 0
             && (ace->mask & GP_ACCESS_CONTROL_ACCESS) != 0;
    domain_admins += g_strcmp0(ace->sid, T0X01_DOMAIN_SID "-512") == 0;
  }
  CU_ASSERT_EQUAL(apply, 1);
  CU_ASSERT_EQUAL(domain_admins, 2);
  GP_ASSERT_STR(gp_model_find_domain(model, DOMAIN_DN)->sid, T0X01_DOMAIN_SID);
}

/* The same GPO from Get-GPOReport and from a backup's gpreport.xml: one GPO. */
static void
test_sample_same_gpo_twice(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_sample(sample_facts[0].sample, diags);
  g_autofree char *again = gp_test_sample(sample_facts[5].sample);
  const GpSom *domain;

  if (model == NULL || again == NULL)
    return;
  CU_ASSERT_TRUE(gp_gpreport_load_file(again, model, diags, NULL));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  domain = gp_model_find_som(model, DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  CU_ASSERT_EQUAL(domain->kind, GP_SOM_DOMAIN);
  GP_ASSERT_STR(domain->name, "security.local");
  CU_ASSERT_EQUAL(domain->links->len, 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "already loaded from other data", 0), 1);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
}

/* ----------------------------------------------------------- inline XML */

/* Everything a small report gives, read from UTF-8 text that still declares utf-16. */
static void
test_report_fields(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *gpo;
  g_autofree char *holders = NULL;
  const GpInfSection *options;

  load_ok(model, diags, REPORT_A);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  gpo = find_gpo(model, GUID_A);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->dn, "CN=" GUID_A POLICIES);
  GP_ASSERT_STR(gpo->display_name, "Servers baseline");
  CU_ASSERT_EQUAL(gpo->flags, 1);
  CU_ASSERT_EQUAL(gpo->version_number, 1u << 16 | 3);
  GP_ASSERT_STR(gpo->file, FILE_NAME);
  holders = holders_of(gpo, "SeImpersonatePrivilege");
  GP_ASSERT_STR(holders, "S-1-5-32-544|BUILTIN\\Administrators,S-1-5-21-1-2-3-1105|SECURITY\\"
                         "svc-app");
  GP_ASSERT_STR(gp_model_principal_sid(model, "svc-app"), "S-1-5-21-1-2-3-1105");
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->machine_template);
  CU_ASSERT_EQUAL(gpo->machine_template->sections->len, 2);
  options = gpo->machine_template->sections->pdata[0];
  GP_ASSERT_STR(options->name, "SecurityOptions (gpreport)");
  CU_ASSERT_EQUAL_FATAL(options->entries->len, 1);
  GP_ASSERT_STR(((GpInfEntry *)options->entries->pdata[0])->key, "MACHINE\\System\\X");
  GP_ASSERT_STR(((GpInfEntry *)options->entries->pdata[0])->value, "1");
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->security_descriptor);
  GP_ASSERT_STR(gpo->security_descriptor->owner, "S-1-5-21-1-2-3-512");
  CU_ASSERT_PTR_NULL(gpo->wql_filter);
}

/* A <report> of two GPOs, in two domains, UTF-8 without a BOM but declaring utf-16. */
static void
test_report_root(void)
{
  /* clang-format off */
  const char *text =
      "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
      "<report>\n"
      GPO_OPEN IDENT(GUID_A, "security.local") "<Name>First</Name>"
      SIDE("Computer", "1", "1", "false") "</GPO>\n"
      "<Wrapper>"
      GPO_OPEN IDENT(GUID_B, "child.security.local") "<Name>Second</Name></GPO>"
      "</Wrapper>\n"
      "</report>\n";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *first;
  GpGpo *second;

  load_ok(model, diags, text);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 2);
  first = find_gpo(model, GUID_A);
  second = find_gpo(model, GUID_B);
  CU_ASSERT_PTR_NOT_NULL_FATAL(first);
  CU_ASSERT_PTR_NOT_NULL_FATAL(second);
  GP_ASSERT_STR(first->display_name, "First");
  CU_ASSERT_EQUAL(first->flags, 2);
  CU_ASSERT_PTR_NULL(first->machine_template);
  CU_ASSERT_FALSE(gp_gpo_has_security_cse(first));
  GP_ASSERT_STR(second->dn, "CN=" GUID_B ",CN=Policies,CN=System,DC=child,DC=security,DC=local");
  CU_ASSERT_EQUAL(second->flags, 0);
  CU_ASSERT_EQUAL(gp_model_domains(model)->len, 2);
  CU_ASSERT_PTR_NOT_NULL(gp_model_find_som(model, "DC=child,DC=security,DC=local"));
}

/* UTF-16LE with a BOM, CRLF, and a bare LF inside a name: lines still count right. */
static void
test_report_utf16(void)
{
  /* clang-format off */
  const char *text =
      "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n"          /* line 1 */
      GPO_OPEN "\r\n"                                             /* 2 */
      IDENT(GUID_A, "SECURITY.LOCAL") "\r\n"                      /* 3 */
      "<Name>two\nlines</Name>\r\n"                               /* 4, 5 */
      "<Computer><ExtensionData><Extension "
      "xmlns:q1=\"http://www.microsoft.com/GroupPolicy/Settings/Security\" "
      "xsi:type=\"q1:SecuritySettings\">\r\n"                     /* 6 */
      RIGHT("SeMadeUpPrivilege", "") "\r\n"                       /* 7 */
      "</Extension><Name>Security</Name></ExtensionData></Computer></GPO>\r\n";
  /* clang-format on */
  gsize len = 0;
  g_autofree char *data = utf16_with_bom(text, &len);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *gpo;

  CU_ASSERT_TRUE(gp_gpreport_load_from_data(data, len, FILE_NAME, model, diags, NULL));
  gpo = find_gpo(model, GUID_A);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->display_name, "two\nlines");
  CU_ASSERT_EQUAL(
      count_diags(diags, GP_SEVERITY_WARNING, "unknown user right 'SeMadeUpPrivilege'", 7), 1);
  CU_ASSERT_EQUAL(diags->len, 1);
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(gpo->machine_template, "SeMadeUpPrivilege"));
}

/* Name only: defined-empty; a display name is matched to the constant. */
static void
test_report_rights(void)
{
  /* clang-format off */
  const char *text =
      GPO_OPEN IDENT(GUID_A, "security.local")
      COMPUTER_SECURITY("1", "1",
          RIGHT("SeDebugPrivilege", "")
          RIGHT("Impersonate a client after authentication",
                "<q1:Member><Name " TYPES_NS ">Guest</Name></q1:Member>"
                "<q1:Member><SID " TYPES_NS ">s-1-5-19</SID></q1:Member>"
                "<q1:Member><SID " TYPES_NS ">S-1-X</SID></q1:Member>"
                "<q1:Member/>")
          RIGHT("SeBogusRight", MEMBER("S-1-5-32-544", "BUILTIN\\Administrators")))
      "</GPO>";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *gpo;
  const GpRightAssignment *debug;
  g_autofree char *holders = NULL;

  load_ok(model, diags, text);
  gpo = find_gpo(model, GUID_A);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->machine_template);
  debug = gp_security_template_lookup(gpo->machine_template, "SeDebugPrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(debug);
  CU_ASSERT_EQUAL(debug->holders->len, 0);
  holders = holders_of(gpo, "SeImpersonatePrivilege");
  GP_ASSERT_STR(holders, "-|Guest,S-1-5-19|-");
  GP_ASSERT_STR(((GpRightAssignment *)gpo->machine_template->rights->pdata[2])->right,
                "SeBogusRight");
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "unknown user right 'SeBogusRight'", 0),
                  1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "'S-1-X' is not a SID", 0), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "neither <SID> nor <Name>", 0), 1);
  CU_ASSERT_EQUAL(diags->len, 3);
}

/* Versions that differ, or are not numbers, are reported. */
static void
test_report_versions(void)
{
  /* clang-format off */
  const char *text =
      GPO_OPEN IDENT(GUID_A, "security.local") "\n"
      SIDE("Computer", "5", "4", "true") "\n"
      SIDE("User", "x", "", "true")
      "</GPO>";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *gpo;

  load_ok(model, diags, text);
  gpo = find_gpo(model, GUID_A);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_EQUAL(gpo->version_number, 5);
  CU_ASSERT_EQUAL(gpo->gpt_version, 4);
  CU_ASSERT_EQUAL(
      count_diags(diags, GP_SEVERITY_WARNING,
                  "Computer VersionDirectory 5 differs from VersionSysvol 4 (replication", 2),
      1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "<VersionDirectory> 'x'", 3), 1);
  CU_ASSERT_EQUAL(diags->len, 2);
}

#define LDIF_TEXT                                                                                  \
  "dn: CN=" GUID_A POLICIES "\n"                                                                   \
  "objectClass: top\nobjectClass: container\nobjectClass: groupPolicyContainer\n"                  \
  "displayName: From LDIF\nflags: 0\nversionNumber: 65539\ngPCFunctionalityVersion: 2\n\n"         \
  "dn: OU=Servers," DOMAIN_DN "\n"                                                                 \
  "objectClass: top\nobjectClass: organizationalUnit\n"                                            \
  "gPLink: [LDAP://cn=" GUID_C ",cn=policies,cn=system," DOMAIN_DN ";0]\n"

/* A GPO and an OU already read from LDIF: the report only fills what LDIF lacks. */
static void
test_report_after_ldif(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *gpo;
  const GpSom *servers;
  g_autofree char *holders = NULL;

  CU_ASSERT_TRUE(
      gp_ldif_load_from_data(LDIF_TEXT, strlen(LDIF_TEXT), "a.ldif", model, diags, NULL));
  load_ok(model, diags, REPORT_A);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  gpo = find_gpo(model, GUID_A);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->display_name, "From LDIF");
  CU_ASSERT_EQUAL(gpo->flags, 0);
  CU_ASSERT_EQUAL(gpo->version_number, 65539);
  GP_ASSERT_STR(gpo->file, "a.ldif");
  /* gPCMachineExtensionNames was read (absent): the directory says no CSE. */
  CU_ASSERT_PTR_NULL(gpo->machine_extension_names);
  /* What LDIF cannot hold comes from the report. */
  holders = holders_of(gpo, "SeImpersonatePrivilege");
  CU_ASSERT_TRUE(g_str_has_prefix(holders, "S-1-5-32-544|"));
  CU_ASSERT_TRUE(gpo->has_gpt_ini);
  CU_ASSERT_EQUAL(gpo->gpt_version, 1u << 16 | 3);
  CU_ASSERT_PTR_NOT_NULL(gpo->security_descriptor);
  servers = gp_model_find_som(model, "OU=Servers," DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(servers);
  CU_ASSERT_EQUAL(servers->links->len, 1);
  GP_ASSERT_STR(som_link(servers, 1)->gpo_guid, GUID_C);
  CU_ASSERT_FALSE(servers->link_order_assumed);
  CU_ASSERT_FALSE(servers->block_unknown);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "1 GPO (" GUID_A ") already loaded", 0), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "1 <LinksTo> not used", 0), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "--gpinheritance", 0), 0);
}

#define LINKS_GPO(guid, links) GPO_OPEN IDENT(guid, "SECURITY.LOCAL") links "</GPO>"

/* Links to the domain root and a nested OU; order = order read; one note. */
static void
test_report_links(void)
{
  /* clang-format off */
  const char *text =
      "<report>"
      LINKS_GPO(GUID_A,
                LINK("SECURITY", "SECURITY.LOCAL", "true", "true")
                LINK("Web", "SECURITY.LOCAL/Servers/Web", "false", "true"))
      LINKS_GPO(GUID_B,
                LINK("Web", "SECURITY.LOCAL/Servers/Web", "true", "false")
                LINK("Web", "SECURITY.LOCAL/Servers/Web", "true", "false"))
      "</report>";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  const GpSom *domain;
  const GpSom *web;

  load_ok(model, diags, text);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  domain = gp_model_find_som(model, DOMAIN_DN);
  web = gp_model_find_som(model, "OU=Web,OU=Servers," DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  CU_ASSERT_EQUAL(domain->kind, GP_SOM_DOMAIN);
  GP_ASSERT_STR(domain->name, "security.local");
  CU_ASSERT_EQUAL(domain->links->len, 1);
  CU_ASSERT_EQUAL(som_link(domain, 1)->options, GP_LINK_ENFORCED);
  CU_ASSERT_EQUAL(web->kind, GP_SOM_OU);
  GP_ASSERT_STR(web->name, "Web");
  CU_ASSERT_EQUAL(web->links->len, 2);
  GP_ASSERT_STR(som_link(web, 1)->gpo_guid, GUID_A);
  CU_ASSERT_EQUAL(som_link(web, 1)->options, GP_LINK_DISABLED | GP_LINK_ENFORCED);
  GP_ASSERT_STR(som_link(web, 2)->gpo_guid, GUID_B);
  CU_ASSERT_EQUAL(som_link(web, 2)->options, 0);
  CU_ASSERT_TRUE(web->link_order_assumed && web->block_unknown);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE,
                              "link order within a SOM and block inheritance are not in "
                              "Get-GPOReport XML",
                              0),
                  1);
}

/* A site path becomes a site SOM; a path with an empty part is skipped. */
static void
test_report_link_site(void)
{
  /* clang-format off */
  const char *text =
      LINKS_GPO(GUID_A,
                LINK("HQ", "security.local/Configuration/Sites/HQ", "true", "false")
                LINK("bad", "SECURITY.LOCAL//x", "true", "false")
                "<LinksTo><SOMName>none</SOMName></LinksTo>");
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  const GpSom *site;

  load_ok(model, diags, text);
  site = gp_model_find_som(model, "CN=HQ,CN=Sites,CN=Configuration," DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(site);
  CU_ASSERT_EQUAL(site->kind, GP_SOM_SITE);
  GP_ASSERT_STR(site->name, "HQ");
  GP_ASSERT_STR(som_link(site, 1)->gpo_guid, GUID_A);
  CU_ASSERT_TRUE(site->link_order_assumed && site->block_unknown);
  CU_ASSERT_EQUAL(
      count_diags(diags, GP_SEVERITY_WARNING, "no usable <SOMPath> ('SECURITY.LOCAL//x')", 0), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "no usable <SOMPath> ('')", 0), 1);
  CU_ASSERT_EQUAL(gp_model_soms(model)->len, 2);
}

/* A filter known by id only (gPCWQLFilter): the report names it. */
static void
test_report_names_filter(void)
{
  /* clang-format off */
  const char *ldif =
      "dn: CN=" GUID_A POLICIES "\n"
      "objectClass: groupPolicyContainer\n"
      "gPCWQLFilter: [security.local;{AAAAAAAA-0000-0000-0000-000000000002};0]\n";
  const char *text =
      GPO_OPEN IDENT(GUID_A, "security.local") "<FilterName>Servers only</FilterName></GPO>";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  const GpWmiFilter *filter;

  CU_ASSERT_TRUE(gp_ldif_load_from_data(ldif, strlen(ldif), "w.ldif", model, diags, NULL));
  load_ok(model, diags, text);
  GP_ASSERT_STR(find_gpo(model, GUID_A)->wql_filter,
                "[security.local;{AAAAAAAA-0000-0000-0000-000000000002};0]");
  filter = gp_model_find_wmi_filter(model, "{AAAAAAAA-0000-0000-0000-000000000002}");
  CU_ASSERT_PTR_NOT_NULL_FATAL(filter);
  GP_ASSERT_STR(filter->name, "Servers only");
  CU_ASSERT_EQUAL(gp_model_wmi_filters(model)->len, 1);
}

/* A WMI filter known by name before (LDIF): its real id is used. */
static void
test_report_known_filter(void)
{
  /* clang-format off */
  const char *ldif =
      "dn: CN={AAAAAAAA-0000-0000-0000-000000000001},CN=SOM,CN=WMIPolicy,CN=System," DOMAIN_DN "\n"
      "objectClass: msWMI-Som\n"
      "msWMI-ID: {AAAAAAAA-0000-0000-0000-000000000001}\n"
      "msWMI-Name: Servers\n";
  const char *text =
      GPO_OPEN IDENT(GUID_A, "security.local") "<FilterName>servers</FilterName></GPO>";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();

  CU_ASSERT_TRUE(gp_ldif_load_from_data(ldif, strlen(ldif), "w.ldif", model, diags, NULL));
  load_ok(model, diags, text);
  GP_ASSERT_STR(find_gpo(model, GUID_A)->wql_filter,
                "[security.local;{AAAAAAAA-0000-0000-0000-000000000001};0]");
  CU_ASSERT_EQUAL(gp_model_wmi_filters(model)->len, 1);
}

/* Input that is not a report: an error, and the model untouched. */
static void
test_report_refused(void)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "<GPO><Identifier><Identifier>" GUID_A "</Identifier>", "not well-formed" },
    { "this is not XML", "not well-formed" },
    { "", "" },
    { "<?xml version=\"1.0\"?><!DOCTYPE GPO [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<GPO>&x;</GPO>",
      "DOCTYPE" },
    { "<Rsop><ComputerResults/></Rsop>",
      FILE_NAME ": not a Get-GPOReport XML (root <Rsop>); expected <GPO> or <report>" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GError) error = NULL;

    printf("\n  case %zu", i);
    CU_ASSERT_FALSE(load_text(model, diags, cases[i].text, &error));
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
    CU_ASSERT_PTR_NOT_NULL(strstr(error->message, cases[i].message));
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
    CU_ASSERT_EQUAL(gp_model_soms(model)->len, 0);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

/* GPOs without a usable identity are skipped with a warning; the others load. */
static void
test_report_bad_gpos(void)
{
  /* clang-format off */
  const char *text =
      "<report>\n"
      GPO_OPEN "<Name>No id</Name></GPO>\n"                                   /* line 2 */
      GPO_OPEN IDENT("{not-a-guid}", "security.local") "</GPO>\n"             /* 3 */
      GPO_OPEN IDENT(GUID_B, "bad/domain") "</GPO>\n"                         /* 4 */
      GPO_OPEN IDENT(GUID_A, "security.local")                                /* 5 */
      "<SecurityDescriptor><SDDL xmlns=\"x\">O:DAG:DA</SDDL></SecurityDescriptor></GPO>\n"
      "</report>";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  GpGpo *gpo;

  load_ok(model, diags, text);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "without <Identifier>", 2), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "'{not-a-guid}' is not a GUID", 3), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "no usable <Domain> ('bad/domain')", 4),
                  1);
  /* DA without any domain SID in the data: the descriptor cannot be read. */
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "security descriptor cannot be read", 5),
                  1);
  gpo = find_gpo(model, GUID_A);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_PTR_NULL(gpo->security_descriptor);
  CU_ASSERT_EQUAL(diags->len, 4);
}

/* ------------------------------------------------------ inheritance CSV */

#define CSV_HEADER "#TYPE Selected.Microsoft.ActiveDirectory.Management.ADObject\r\n"
#define SITE_DN    "CN=Default-First-Site-Name,CN=Sites,CN=Configuration," DOMAIN_DN
#define CSV_LINK(guid, options)                                                                    \
  "[LDAP://cn=" guid ",cn=policies,cn=system,DC=security,DC=local;" options "]"

static gboolean
load_csv(GpModel *model, GPtrArray *diags, const char *data, gsize len, GError **error)
{
  g_autofree char *path = write_temp("inheritance.csv", data, len);
  gboolean ok = gp_inheritance_load_file(path, model, diags, error);

  remove_temp(path);
  return ok;
}

static void
test_inherit_export(void)
{
  /* clang-format off */
  const char *text =
      CSV_HEADER
      "\"DistinguishedName\",\"gPLink\",\"gPOptions\"\r\n"
      "\"" DOMAIN_DN "\",\"" CSV_LINK(GUID_C, "0") "\",\"\"\r\n"
      "\"OU=Servers," DOMAIN_DN "\",\"" CSV_LINK(GUID_A, "0") CSV_LINK(GUID_B, "2") "\",\"1\"\r\n";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GError) error = NULL;
  const GpSom *domain;
  const GpSom *servers;

  CU_ASSERT_TRUE(load_csv(model, diags, text, strlen(text), &error));
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  domain = gp_model_find_som(model, DOMAIN_DN);
  servers = gp_model_find_som(model, "OU=Servers," DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  CU_ASSERT_PTR_NOT_NULL_FATAL(servers);
  CU_ASSERT_EQUAL(domain->kind, GP_SOM_DOMAIN);
  GP_ASSERT_STR(domain->name, "security.local");
  CU_ASSERT_EQUAL(domain->gp_options, 0);
  CU_ASSERT_EQUAL(domain->links->len, 1);
  CU_ASSERT_EQUAL(servers->kind, GP_SOM_OU);
  CU_ASSERT_EQUAL(servers->gp_options, GP_SOM_BLOCK_INHERITANCE);
  CU_ASSERT_EQUAL(servers->links->len, 2);
  GP_ASSERT_STR(som_link(servers, 1)->gpo_guid, GUID_B);
  CU_ASSERT_EQUAL(som_link(servers, 1)->options, GP_LINK_ENFORCED);
  GP_ASSERT_STR(som_link(servers, 2)->gpo_guid, GUID_A);
  CU_ASSERT_EQUAL(servers->line, 4);
  CU_ASSERT_PTR_NOT_NULL(gp_model_find_domain(model, DOMAIN_DN));
}

/* PowerShell 7: no #TYPE, columns in another order and case; UTF-16LE from 5.1. */
static void
test_inherit_encodings(void)
{
  /* clang-format off */
  const char *text =
      "\"gpoptions\",\"GPLINK\",\"distinguishedname\",\"Name\"\n"
      "\"0\",\"" CSV_LINK(GUID_A, "1") "\",\"OU=Web," DOMAIN_DN "\",\"Web\"\n"
      "\"\",\"\",\"" SITE_DN "\",\"x\"\n";
  /* clang-format on */
  gsize len = 0;
  g_autofree char *utf16 = utf16_with_bom(text, &len);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  const GpSom *web;
  const GpSom *site;

  CU_ASSERT_TRUE(load_csv(model, diags, utf16, len, NULL));
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  web = gp_model_find_som(model, "OU=Web," DOMAIN_DN);
  site = gp_model_find_som(model, SITE_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  CU_ASSERT_PTR_NOT_NULL_FATAL(site);
  CU_ASSERT_EQUAL(web->links->len, 1);
  CU_ASSERT_EQUAL(som_link(web, 1)->options, GP_LINK_DISABLED);
  CU_ASSERT_EQUAL(site->kind, GP_SOM_SITE);
  GP_ASSERT_STR(site->name, "Default-First-Site-Name");
  CU_ASSERT_EQUAL(site->links->len, 0);
}

static void
test_inherit_missing_column(void)
{
  const char *text = CSV_HEADER "\"DistinguishedName\",\"gPLink\"\r\n\"" DOMAIN_DN "\",\"\"\r\n";
  const char *open_quote = "DistinguishedName,gPLink,gPOptions\n\"" DOMAIN_DN ",,\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  CU_ASSERT_FALSE(load_csv(model, diags, text, strlen(text), &error));
  CU_ASSERT_PTR_NOT_NULL_FATAL(error);
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, ":2: no 'gPOptions' column in the header "
                                                "(found: DistinguishedName, gPLink)"));
  CU_ASSERT_FALSE(load_csv(model, diags, open_quote, strlen(open_quote), &error2));
  CU_ASSERT_PTR_NOT_NULL_FATAL(error2);
  CU_ASSERT_PTR_NOT_NULL(strstr(error2->message, ":2: quoted field never closed"));
  CU_ASSERT_EQUAL(gp_model_soms(model)->len, 0);
}

static void
test_inherit_bad_rows(void)
{
  const char *text = "DistinguishedName,gPLink,gPOptions\n"
                     "\"CN=Users," DOMAIN_DN "\",,0\n"
                     "\"OU=A," DOMAIN_DN "\",,yes\n"
                     "\"OU=B," DOMAIN_DN "\"\n"
                     "\n"
                     "\"OU=C," DOMAIN_DN "\",\"[bad]\",0\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();

  CU_ASSERT_TRUE(load_csv(model, diags, text, strlen(text), NULL));
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "not a domain, OU or site DN", 2), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "gPOptions 'yes'", 3), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "row has 1 fields", 4), 1);
  CU_ASSERT_TRUE(count_diags(diags, GP_SEVERITY_WARNING, NULL, 6) >= 1);
  CU_ASSERT_EQUAL(gp_model_soms(model)->len, 1);
}

/* The CSV fills in what a Get-GPOReport had to assume. */
static void
test_inherit_fixes_report(void)
{
  /* clang-format off */
  const char *report =
      LINKS_GPO(GUID_A, LINK("Web", "SECURITY.LOCAL/Servers/Web", "true", "false"));
  const char *csv =
      CSV_HEADER
      "\"DistinguishedName\",\"gPLink\",\"gPOptions\"\r\n"
      "\"OU=Web,OU=Servers," DOMAIN_DN "\",\"" CSV_LINK(GUID_A, "0") CSV_LINK(GUID_B, "0")
      "\",\"1\"\r\n";
  /* clang-format on */
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_new();
  const GpSom *web;

  load_ok(model, diags, report);
  web = gp_model_find_som(model, "OU=Web,OU=Servers," DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  CU_ASSERT_TRUE(web->link_order_assumed && web->block_unknown);
  CU_ASSERT_TRUE(load_csv(model, diags, csv, strlen(csv), NULL));
  CU_ASSERT_FALSE(web->link_order_assumed);
  CU_ASSERT_FALSE(web->block_unknown);
  CU_ASSERT_EQUAL(web->gp_options, 1);
  CU_ASSERT_EQUAL(web->links->len, 2);
  GP_ASSERT_STR(som_link(web, 1)->gpo_guid, GUID_B);
  /* A report read after the CSV leaves the SOM alone. */
  load_ok(model, diags,
          LINKS_GPO(GUID_C, LINK("Web", "SECURITY.LOCAL/Servers/Web", "true", "false")));
  CU_ASSERT_EQUAL(web->links->len, 2);
  CU_ASSERT_FALSE(web->link_order_assumed);
}

/* One entry a line: tests/CMakeLists.txt registers each line as a CTest test. */
/* clang-format off */
static const GpTestCase cases[] = {
  GP_TEST(test_samples),
  GP_TEST(test_sample_dc_impersonate),
  GP_TEST(test_sample_wef_links),
  GP_TEST(test_sample_wmi_filter),
  GP_TEST(test_sample_descriptor),
  GP_TEST(test_sample_same_gpo_twice),
  GP_TEST(test_report_fields),
  GP_TEST(test_report_root),
  GP_TEST(test_report_utf16),
  GP_TEST(test_report_rights),
  GP_TEST(test_report_versions),
  GP_TEST(test_report_after_ldif),
  GP_TEST(test_report_links),
  GP_TEST(test_report_link_site),
  GP_TEST(test_report_names_filter),
  GP_TEST(test_report_known_filter),
  GP_TEST(test_report_refused),
  GP_TEST(test_report_bad_gpos),
  GP_TEST(test_inherit_export),
  GP_TEST(test_inherit_encodings),
  GP_TEST(test_inherit_missing_column),
  GP_TEST(test_inherit_bad_rows),
  GP_TEST(test_inherit_fixes_report),
};
/* clang-format on */
GP_TEST_MAIN("gpreport", cases)
