/* test_backup.c - gp_backup_load_dir() on the real GPMC backups of
 * ../shared/samples/gpmc_backup (a single backup, a DISA package with its
 * manifest, t0x01's folder of backups with gpreport.xml links, two manifests
 * whose folders were not published) and on backups generated in a temporary
 * folder: several backups of one GPO, names in any case, missing or
 * symlinked templates, broken Backup.xml, security descriptors, WMI filters,
 * the version packing, GPOs already in the model. */
#include "gp-test.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gp-loaders.h"
#include "gp-names.h"

/* Asserts @cond (evaluated once) and leaves the test when it does not hold,
 * without the longjmp of the _FATAL asserts, which would skip g_autoptr cleanup. */
#define REQUIRE(cond)                                                                              \
  do {                                                                                             \
    gboolean require_ok_ = (cond) ? TRUE : FALSE;                                                  \
    CU_assertImplementation(require_ok_, __LINE__, #cond, __FILE__, "", CU_FALSE);                 \
    if (!require_ok_)                                                                              \
      return;                                                                                      \
  } while (0)

#define POLICIES(guid, domain_dn) "CN=" guid ",CN=Policies,CN=System," domain_dn

/* Samples (formats.md b). */
#define NSA_DIR     "gpmc_backup/nsacyber-shb-win10-computer"
#define NSA_BACKUP  NSA_DIR "/{A2A38432-E322-437F-9975-B7CC7F16F4AA}"
#define NSA_GUID    "{356FB116-26CD-4FBF-830B-6D736B802FD7}"
#define NSA_DN      POLICIES(NSA_GUID, "DC=idl,DC=local")
#define DISA_ROOT   "gpmc_backup/simeononsecurity-disa-stig"
#define DISA_DIR    DISA_ROOT "/DoD - Windows 8 - Computer"
#define DISA_GUID   "{4944CC9B-2067-425A-AEAB-BE38316D3A40}"
#define DISA_DN     POLICIES(DISA_GUID, "DC=soc,DC=lan")
#define T0X01_ROOT  "gpmc_backup/t0x01-security-local"
#define T0X01_DIR   T0X01_ROOT "/GPOs"
#define T0X01_DC    "DC=security,DC=local"
#define WEF_GUID    "{3523CC97-2ED8-49E4-94B7-9CD023AD335C}"
#define DC22_GUID   "{2252357B-446B-48B0-8E01-D07D4B2721CF}"
#define WS2022_WMI  "{08F90B17-D944-4D93-86B6-8B3BFC6BA165}"
#define ADMIN_SID   "S-1-5-32-544"
#define SERVICE_SID "S-1-5-6"

/* Generated backups. */
#define GPO_GUID     "{1B2C3D4E-0000-0000-0000-00000000C001}"
#define GPO2_GUID    "{1B2C3D4E-0000-0000-0000-00000000C002}"
#define BACKUP_A     "{AAAAAAAA-1111-4111-8111-000000000001}"
#define BACKUP_B     "{AAAAAAAA-1111-4111-8111-000000000002}"
#define BACKUP_C     "{AAAAAAAA-1111-4111-8111-000000000003}"
#define BACKUP_LOWER "{aaaaaaaa-1111-4111-8111-00000000000d}"
#define CONTOSO      "contoso.com"
#define CONTOSO_DC   "DC=contoso,DC=com"
#define GPO_DN       POLICIES(GPO_GUID, CONTOSO_DC)
#define GPO2_DN      POLICIES(GPO2_GUID, CONTOSO_DC)
#define WMI_ID       "{0D0E0F00-AAAA-4BBB-8CCC-000000000001}"

#define TEMPLATE_PATH "DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf"
#define TEMPLATE_TEXT                                                                              \
  "[Unicode]\r\nUnicode=yes\r\n"                                                                   \
  "[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"                                         \
  "[Privilege Rights]\r\nSeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6\r\n"

/* A self-relative descriptor: DACL with one ACE allowing Authenticated Users
 * to read properties. */
#define SD_HEX                                                                                     \
  "01 00 04 80 00 00 00 00 00 00 00 00 00 00 00 00 14 00 00 00 "                                   \
  "02 00 1c 00 01 00 00 00 00 00 14 00 10 00 00 00 01 01 00 00 00 00 00 05 0b 00 00 00"

/* GptTmpl.inf is UTF-16LE with a BOM. */
static void
write_template(const GpTestTree *tree, const char *relative)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *utf16 = g_convert(TEMPLATE_TEXT, -1, "UTF-16LE", "UTF-8", NULL, &len, &error);
  g_autoptr(GString) bytes = g_string_new_len("\xff\xfe", 2);

  if (!utf16) {
    CU_FAIL(error->message);
    return;
  }
  g_string_append_len(bytes, utf16, (gssize)len);
  gp_test_tree_write(tree, relative, bytes->str, (gssize)bytes->len);
}

/* ------------------------------------------------------ generated backups */

/* What one generated backup holds; NULL and 0 fields take the defaults. */
typedef struct {
  const char *id;          /* backup ID; BACKUP_A */
  const char *guid;        /* GPO_GUID */
  const char *domain;      /* CONTOSO */
  const char *time;        /* BackupTime; "2023-01-01T00:00:00" */
  const char *name;        /* DisplayName; NULL: no element */
  const char *info_name;   /* GPODisplayName; "Info name" */
  guint options;           /* Options */
  guint32 user_version;    /* UserVersionNumber */
  guint32 machine_version; /* MachineVersionNumber */
  const char *wmi;         /* WMIFilter text; NULL: <WMIFilter/> */
  const char *sd;          /* SecurityDescriptor text; NULL: no element */
  const char *backup_file; /* "Backup.xml" */
  const char *info_file;   /* "bkupInfo.xml" */
  const char *template;    /* path of GptTmpl.inf; TEMPLATE_PATH; "" for none */
} Fake;

#define OR(value, fallback) ((value) ? (value) : (fallback))

/* Returns: (transfer full): the <BackupInst> children of @fake. */
static char *
inst_children(const Fake *fake)
{
  return g_strdup_printf("<GPOGuid><![CDATA[%s]]></GPOGuid><GPODomain><![CDATA[%s]]></GPODomain>"
                         "<BackupTime><![CDATA[%s]]></BackupTime><ID><![CDATA[%s]]></ID>"
                         "<Comment><![CDATA[]]></Comment>"
                         "<GPODisplayName><![CDATA[%s]]></GPODisplayName>",
                         OR(fake->guid, GPO_GUID), OR(fake->domain, CONTOSO),
                         OR(fake->time, "2023-01-01T00:00:00"), OR(fake->id, BACKUP_A),
                         OR(fake->info_name, "Info name"));
}

/* Returns: (transfer full): Backup.xml of @fake, as GPMC writes it (one long line). */
static char *
backup_xml(const Fake *fake)
{
  g_autofree char *sd
      = fake->sd ? g_strdup_printf("<SecurityDescriptor>%s</SecurityDescriptor>", fake->sd)
                 : g_strdup("");
  g_autofree char *name
      = fake->name ? g_strdup_printf("<DisplayName><![CDATA[%s]]></DisplayName>", fake->name)
                   : g_strdup("");
  g_autofree char *wmi = fake->wmi
                             ? g_strdup_printf("<WMIFilter><![CDATA[%s]]></WMIFilter>"
                                               "<WMIFilterName><![CDATA[Servers]]></WMIFilterName>",
                                               fake->wmi)
                             : g_strdup("<WMIFilter/>");

  return g_strdup_printf(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><!-- Copyright (c) Microsoft Corporation.  All "
      "rights reserved. --><GroupPolicyBackupScheme bkp:version=\"2.0\" "
      "bkp:type=\"GroupPolicyBackupTemplate\" "
      "xmlns:bkp=\"http://www.microsoft.com/GroupPolicy/GPOOperations\" "
      "xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations\">\r\n    "
      "<GroupPolicyObject><SecurityGroups/><FilePaths/><GroupPolicyCoreSettings>"
      "<ID><![CDATA[%s]]></ID><Domain><![CDATA[%s]]></Domain>%s%s"
      "<Options><![CDATA[%u]]></Options><UserVersionNumber><![CDATA[%u]]></UserVersionNumber>"
      "<MachineVersionNumber><![CDATA[%u]]></MachineVersionNumber>"
      "<MachineExtensionGuids><![CDATA[[" GP_SECURITY_CSE_GUID
      "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]]]></MachineExtensionGuids>"
      "<UserExtensionGuids/>%s</GroupPolicyCoreSettings>\r\n</GroupPolicyObject>"
      "</GroupPolicyBackupScheme>",
      OR(fake->guid, GPO_GUID), OR(fake->domain, CONTOSO), sd, name, fake->options,
      fake->user_version, fake->machine_version, wmi);
}

/* Writes @fake into @folder (relative to the tree). */
static void
write_backup(const GpTestTree *tree, const char *folder, const Fake *fake)
{
  g_autofree char *children = inst_children(fake);
  g_autofree char *info = g_strdup_printf(
      "<BackupInst xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\">%s"
      "</BackupInst>",
      children);
  g_autofree char *xml = backup_xml(fake);
  g_autofree char *backup_path
      = g_build_filename(folder, OR(fake->backup_file, "Backup.xml"), NULL);
  g_autofree char *info_path = g_build_filename(folder, OR(fake->info_file, "bkupInfo.xml"), NULL);
  g_autofree char *template = g_build_filename(folder, OR(fake->template, TEMPLATE_PATH), NULL);

  gp_test_tree_write(tree, backup_path, xml, -1);
  gp_test_tree_write(tree, info_path, info, -1);
  if (!fake->template || fake->template[0])
    write_template(tree, template);
}

/* Writes @folder/manifest.xml listing @fakes (NULL-terminated). */
static void
write_manifest(const GpTestTree *tree, const char *folder, const Fake *const *fakes)
{
  g_autoptr(GString) xml = g_string_new(
      "<Backups xmlns=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\" "
      "xmlns:mfst=\"http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest\" "
      "mfst:version=\"1.0\">");
  g_autofree char *path = g_build_filename(folder, "manifest.xml", NULL);

  for (gsize i = 0; fakes[i]; i++) {
    g_autofree char *children = inst_children(fakes[i]);
    g_string_append_printf(xml, "<BackupInst>%s</BackupInst>", children);
  }
  g_string_append(xml, "</Backups>");
  gp_test_tree_write(tree, path, xml->str, -1);
}

/* ------------------------------------------------------------- the model */

/* Returns: (transfer full): a model with the rights catalogue. */
static GpModel *
model_new(void)
{
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autoptr(GError) error = NULL;
  GpModel *model = gp_model_new();

  if (!gp_data_load_rights(rights, model, &error))
    CU_FAIL(error->message);
  return model;
}

static const GpGpo *
gpo_by_dn(const GpModel *model, const char *dn)
{
  return gp_model_find_gpo_dn(model, dn);
}

/* TRUE when @gpo's template gives SeImpersonatePrivilege to Administrators
 * and SERVICE, among @n holders. */
static gboolean
impersonate_read(const GpGpo *gpo, guint n)
{
  const GpRightAssignment *assignment;
  gboolean admins = FALSE;
  gboolean service = FALSE;

  if (!gpo || !gpo->machine_template)
    return FALSE;
  assignment = gp_security_template_lookup(gpo->machine_template, "SeImpersonatePrivilege");
  if (!assignment || assignment->holders->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++) {
    const GpPrincipal *holder = g_ptr_array_index(assignment->holders, i);
    admins |= g_strcmp0(holder->sid, ADMIN_SID) == 0;
    service |= g_strcmp0(holder->sid, SERVICE_SID) == 0;
  }
  return admins && service;
}

static guint
count_severity(const GPtrArray *diags, GpSeverity severity)
{
  guint n = 0;

  for (guint i = 0; i < diags->len; i++)
    n += ((const GpDiagnostic *)g_ptr_array_index(diags, i))->severity == severity;
  return n;
}

static void
print_diags(const GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++) {
    g_autofree char *text = gp_diagnostic_format(g_ptr_array_index(diags, i));
    printf("\n  %s", text);
  }
}

/* Returns: (transfer none) (nullable): the first finding whose message holds @part. */
static const GpDiagnostic *
find_diag(const GPtrArray *diags, const char *part)
{
  for (guint i = 0; i < diags->len; i++) {
    const GpDiagnostic *diag = g_ptr_array_index(diags, i);
    if (strstr(diag->message, part))
      return diag;
  }
  return NULL;
}

static guint
count_diags(const GPtrArray *diags, const char *part)
{
  guint n = 0;

  for (guint i = 0; i < diags->len; i++)
    n += strstr(((const GpDiagnostic *)g_ptr_array_index(diags, i))->message, part) != NULL;
  return n;
}

/* Loads @path into @model, expecting success. */
static gboolean
load_ok(const char *path, GpModel *model, GPtrArray *diags)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = gp_backup_load_dir(path, model, diags, &error);

  if (!ok)
    printf("\n  %s", error ? error->message : "no error set");
  CU_ASSERT_TRUE(ok);
  CU_ASSERT_PTR_NULL(error);
  return ok;
}

/* ----------------------------------------------------------------- samples */

/* nsacyber: the folder of one backup, given itself or through its parent. */
static void
check_nsacyber(const GpModel *model)
{
  const GpGpo *gpo = gpo_by_dn(model, NSA_DN);

  REQUIRE(gpo != NULL);
  GP_ASSERT_STR(gpo->guid, NSA_GUID);
  GP_ASSERT_STR(gpo->display_name, "DoD Windows 10 STIG - Computer (SHB v10.1.0)");
  CU_ASSERT_TRUE(gpo->in_directory);
  CU_ASSERT_EQUAL(gpo->flags, 1);
  /* 458759 = 7 << 16 | 7 (computer), 131074 = 2 << 16 | 2 (user). */
  CU_ASSERT_EQUAL(gpo->version_number & 0xFFFFu, 7);
  CU_ASSERT_EQUAL(gpo->gpt_version & 0xFFFFu, 7);
  CU_ASSERT_EQUAL(gpo->version_number, (2u << 16) | 7u);
  CU_ASSERT_EQUAL(gpo->gpt_version, (2u << 16) | 7u);
  CU_ASSERT_TRUE(gpo->has_gpt_ini);
  CU_ASSERT_TRUE(gpo->has_functionality_version);
  CU_ASSERT_EQUAL(gpo->functionality_version, 2);
  CU_ASSERT_TRUE(gp_gpo_has_security_cse(gpo));
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
  CU_ASSERT_TRUE(impersonate_read(gpo, 4));
  CU_ASSERT_PTR_NULL(gpo->wql_filter);
  REQUIRE(gpo->security_descriptor != NULL);
  CU_ASSERT_PTR_NOT_NULL(gpo->security_descriptor->dacl);
  if (gpo->security_descriptor->dacl)
    CU_ASSERT_EQUAL(gpo->security_descriptor->dacl->len, 8);
}

static void
test_backup_sample_single(void)
{
  static const char *const given[] = { NSA_BACKUP, NSA_DIR };

  for (gsize i = 0; i < G_N_ELEMENTS(given); i++) {
    g_autofree char *path = gp_test_sample(given[i]);
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();

    if (!path)
      return;
    REQUIRE(load_ok(path, model, diags));
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
    if (count_severity(diags, GP_SEVERITY_WARNING))
      print_diags(diags);
    check_nsacyber(model);
  }
}

/* DISA package: manifest.xml one level above the backup; or the package root. */
static void
test_backup_sample_manifest(void)
{
  static const char *const given[] = { DISA_DIR, DISA_ROOT };

  for (gsize i = 0; i < G_N_ELEMENTS(given); i++) {
    g_autofree char *path = gp_test_sample(given[i]);
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    const GpGpo *gpo;

    if (!path)
      return;
    REQUIRE(load_ok(path, model, diags));
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    gpo = gpo_by_dn(model, DISA_DN);
    REQUIRE(gpo != NULL);
    GP_ASSERT_STR(gpo->display_name, "DoD - Windows 8 - Computer");
    CU_ASSERT_EQUAL(gpo->flags, 1);
    CU_ASSERT_EQUAL(gpo->version_number, (2u << 16) | 2u);
    CU_ASSERT_EQUAL(gpo->gpt_version, (2u << 16) | 2u);
    CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
    CU_ASSERT_TRUE(impersonate_read(gpo, 4));
  }
}

/* TRUE when the SOM at canonical @path links @guid with @options. */
static gboolean
som_links(const GpModel *model, const char *path, const char *guid, guint options)
{
  g_autofree char *dn = gp_dn_from_canonical(path);
  const GpSom *som = dn ? gp_model_find_som(model, dn) : NULL;

  for (guint i = 0; som && i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    if (g_strcmp0(link->gpo_guid, guid) == 0)
      return link->options == options;
  }
  return FALSE;
}

static void
check_t0x01(const GpModel *model)
{
  const GpGpo *dc = gpo_by_dn(model, POLICIES(DC22_GUID, T0X01_DC));
  const GpGpo *wef = gpo_by_dn(model, POLICIES(WEF_GUID, T0X01_DC));
  const GpWmiFilter *filter = gp_model_find_wmi_filter(model, WS2022_WMI);

  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 5);
  REQUIRE(dc != NULL && wef != NULL);
  GP_ASSERT_STR(dc->display_name, "Windows Server 2022 - Domain Controller");
  /* 34406925 = 525 << 16 | 525 (formats.md b). */
  CU_ASSERT_EQUAL(dc->version_number & 0xFFFFu, 525);
  CU_ASSERT_EQUAL(dc->gpt_version & 0xFFFFu, 525);
  CU_ASSERT_TRUE(impersonate_read(dc, 4));
  GP_ASSERT_STR(dc->wql_filter, "[SECURITY.LOCAL;" WS2022_WMI ";0]");
  REQUIRE(filter != NULL);
  GP_ASSERT_STR(filter->name, "Windows Server 2022");
  /* The WEF GPO has a template without [Privilege Rights]. */
  GP_ASSERT_STR(wef->display_name, "Windows Event Forwarding");
  CU_ASSERT_PTR_NOT_NULL(wef->machine_template);
  /* gpreport.xml's <LinksTo>: enabled, then two disabled links. */
  CU_ASSERT_TRUE(som_links(model,
                           "SECURITY.LOCAL/Enterprise/Assets and Enterprise "
                           "Management/Member Servers",
                           WEF_GUID, 0));
  CU_ASSERT_TRUE(
      som_links(model, "SECURITY.LOCAL/Resources/Computers", WEF_GUID, GP_LINK_DISABLED));
  CU_ASSERT_TRUE(som_links(model,
                           "SECURITY.LOCAL/Enterprise/Assets and Enterprise "
                           "Management/Domain Controllers",
                           WEF_GUID, GP_LINK_DISABLED));
  CU_ASSERT_TRUE(som_links(model,
                           "SECURITY.LOCAL/Enterprise/Assets and Enterprise "
                           "Management/Domain Controllers",
                           DC22_GUID, 0));
}

/* t0x01: five backups without a manifest, given as GPOs/ or one level above. */
static void
test_backup_sample_folder(void)
{
  static const char *const given[] = { T0X01_DIR, T0X01_ROOT };

  for (gsize i = 0; i < G_N_ELEMENTS(given); i++) {
    g_autofree char *path = gp_test_sample(given[i]);
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();

    if (!path)
      return;
    REQUIRE(load_ok(path, model, diags));
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
    if (count_severity(diags, GP_SEVERITY_WARNING))
      print_diags(diags);
    check_t0x01(model);
  }
}

/* The manifests published without their backup folders. */
static void
test_backup_sample_bare_manifests(void)
{
  static const struct {
    const char *file;
    guint entries;
  } manifests[] = {
    { "gpmc_backup/losttroll-vulnerabledirectory_manifest.xml", 3 },
    { "gpmc_backup/troennes-private-secure-windows_manifest.xml", 10 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(manifests); i++) {
    g_autofree char *sample = gp_test_sample(manifests[i].file);
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autofree char *data = NULL;
    gsize len = 0;

    if (!sample)
      return;
    data = gp_test_read(sample, &len);
    REQUIRE(data != NULL);
    gp_test_tree_write(tree, "manifest.xml", data, (gssize)len);
    CU_ASSERT_FALSE(gp_backup_load_dir(tree->root, model, diags, &error));
    REQUIRE(error != NULL);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
    CU_ASSERT_EQUAL(count_diags(diags, "has no folder"), manifests[i].entries);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
  }
}

/* ------------------------------------------------------- generated backups */

/* Newest BackupTime wins, whatever the folders' order; one warning. */
static void
test_backup_newest_wins(void)
{
  static const char *const times[][3] = {
    { "2021-05-01T10:00:00", "2023-02-01T09:00:00", "2022-12-31T23:59:59" },
    { "2023-02-01T09:00:00", "2021-05-01T10:00:00", "2022-12-31T23:59:59" },
    { "2021-05-01T10:00:00", "2022-12-31T23:59:59", "2023-02-01T09:00:00" },
  };
  static const char *const ids[] = { BACKUP_A, BACKUP_B, BACKUP_C };

  for (gsize c = 0; c < G_N_ELEMENTS(times); c++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    const GpDiagnostic *diag;
    const char *lost;
    const GpGpo *gpo;
    gsize newest = 0;

    for (gsize i = 0; i < 3; i++) {
      Fake fake = { .id = ids[i], .time = times[c][i], .name = times[c][i] };
      write_backup(tree, ids[i], &fake);
      if (strcmp(times[c][i], times[c][newest]) > 0)
        newest = i;
    }
    REQUIRE(load_ok(tree->root, model, diags));
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    gpo = gpo_by_dn(model, GPO_DN);
    REQUIRE(gpo != NULL);
    GP_ASSERT_STR(gpo->display_name, "2023-02-01T09:00:00");
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 1);
    diag = find_diag(diags, "backed up more than once");
    REQUIRE(diag != NULL);
    for (gsize i = 0; i < 3; i++)
      CU_ASSERT_PTR_NOT_NULL(strstr(diag->message, ids[i]));
    lost = strstr(diag->message, "not loaded:");
    REQUIRE(lost != NULL);
    for (gsize i = 0; i < 3; i++)
      CU_ASSERT_EQUAL(strstr(lost, ids[i]) != NULL, i != newest);
  }
}

/* Same GUID in two domains: two GPOs, no warning. */
static void
test_backup_same_guid_two_domains(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake contoso = { .id = BACKUP_A, .name = "Contoso" };
  Fake fabrikam = { .id = BACKUP_B, .domain = "fabrikam.com", .name = "Fabrikam" };
  const GpGpo *gpo;

  write_backup(tree, BACKUP_A, &contoso);
  write_backup(tree, BACKUP_B, &fabrikam);
  REQUIRE(load_ok(tree->root, model, diags));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 2);
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
  gpo = gpo_by_dn(model, POLICIES(GPO_GUID, "DC=fabrikam,DC=com"));
  REQUIRE(gpo != NULL);
  GP_ASSERT_STR(gpo->display_name, "Fabrikam");
}

/* Manifest IDs and folder names in different case; file names in any case. */
static void
test_backup_name_case(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  /* Upper-case ID, lower-case folder; lower-case ID, upper-case folder. */
  Fake first = { .id = BACKUP_A,
                 .backup_file = "BACKUP.XML",
                 .info_file = "BKUPINFO.XML",
                 .template = "DOMAINSYSVOL/gpo/MACHINE/Microsoft/WINDOWS NT/secedit/GPTTMPL.INF" };
  Fake second = { .id = BACKUP_LOWER,
                  .guid = "{1b2c3d4e-0000-0000-0000-00000000c002}",
                  .backup_file = "backup.xml",
                  .template = "domainsysvol/GPO/machine/MICROSOFT/Windows NT/SecEdit/gpttmpl.inf" };
  const Fake *const listed[] = { &first, &second, NULL };
  g_autofree char *lower = g_ascii_strdown(BACKUP_A, -1);
  g_autofree char *upper = g_ascii_strup(BACKUP_LOWER, -1);

  write_backup(tree, lower, &first);
  write_backup(tree, upper, &second);
  write_manifest(tree, "", listed);
  REQUIRE(load_ok(tree->root, model, diags));
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
  if (count_severity(diags, GP_SEVERITY_WARNING))
    print_diags(diags);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 2);
  CU_ASSERT_TRUE(impersonate_read(gpo_by_dn(model, GPO_DN), 2));
  CU_ASSERT_TRUE(impersonate_read(gpo_by_dn(model, GPO2_DN), 2));
}

/* Entries whose folder is missing are warnings; unlisted folders a note. */
static void
test_backup_manifest_entries(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake present = { .id = BACKUP_A, .name = "Present" };
  Fake missing = { .id = BACKUP_B, .guid = GPO2_GUID, .info_name = "Gone" };
  Fake unlisted = { .id = BACKUP_C, .guid = GPO2_GUID, .name = "Unlisted" };
  const Fake *const listed[] = { &present, &missing, NULL };
  const GpDiagnostic *diag;

  write_backup(tree, BACKUP_A, &present);
  write_backup(tree, BACKUP_C, &unlisted);
  write_manifest(tree, "", listed);
  REQUIRE(load_ok(tree->root, model, diags));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  CU_ASSERT_PTR_NOT_NULL(gpo_by_dn(model, GPO_DN));
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 1);
  diag = find_diag(diags, "has no folder");
  REQUIRE(diag != NULL);
  CU_ASSERT_PTR_NOT_NULL(strstr(diag->message, BACKUP_B));
  CU_ASSERT_PTR_NOT_NULL(strstr(diag->message, "Gone"));
  diag = find_diag(diags, "not listed in manifest.xml");
  REQUIRE(diag != NULL);
  CU_ASSERT_EQUAL(diag->severity, GP_SEVERITY_NOTE);
  CU_ASSERT_PTR_NOT_NULL(strstr(diag->file, BACKUP_C));
}

/* A manifest that is not XML: said, and the folders are scanned instead. */
static void
test_backup_broken_manifest(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake fake = { .id = BACKUP_A };

  write_backup(tree, "packages/" BACKUP_A, &fake);
  gp_test_tree_write(tree, "manifest.xml", "<Backups><BackupInst>", -1);
  REQUIRE(load_ok(tree->root, model, diags));
  CU_ASSERT_PTR_NOT_NULL(gpo_by_dn(model, GPO_DN));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "looking for backup folders instead"));
}

/* No GptTmpl.inf: read, with no template, and nothing to say. */
static void
test_backup_missing_template(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake fake = { .id = BACKUP_A, .template = "" };
  g_autofree char *folder = gp_test_tree_path(tree, BACKUP_A);
  const GpGpo *gpo;

  write_backup(tree, BACKUP_A, &fake);
  gp_test_tree_write(tree, BACKUP_A "/DomainSysvol/GPO/Machine/registry.pol", "PReg", -1);
  REQUIRE(load_ok(folder, model, diags));
  gpo = gpo_by_dn(model, GPO_DN);
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
  CU_ASSERT_PTR_NULL(gpo->machine_template);
  CU_ASSERT_PTR_NULL(gpo->sysvol_problem);
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
}

/* A template that is not one: unreadable, with the reason. */
static void
test_backup_unreadable_template(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake fake = { .id = BACKUP_A, .template = "" };
  const GpGpo *gpo;

  write_backup(tree, BACKUP_A, &fake);
  gp_test_tree_write(tree, BACKUP_A "/" TEMPLATE_PATH, "just some text\r\n", -1);
  REQUIRE(load_ok(tree->root, model, diags));
  gpo = gpo_by_dn(model, GPO_DN);
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_UNREADABLE);
  CU_ASSERT_PTR_NULL(gpo->machine_template);
  CU_ASSERT_PTR_NOT_NULL(gpo->sysvol_problem);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "GPO " GPO_GUID " is unreadable"));
}

/* Backup.xml missing, not XML or not a backup: that backup is skipped with a
 * warning naming its folder; the others load; all broken is an error. */
static void
test_backup_broken_backup_xml(void)
{
  static const char *const broken[] = { "this is not XML", "<Other/>", NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(broken); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autofree char *folder = gp_test_tree_path(tree, BACKUP_B);
    g_autofree char *backup_xml_path = gp_test_tree_path(tree, BACKUP_B "/Backup.xml");
    Fake good = { .id = BACKUP_A };
    Fake bad = { .id = BACKUP_B, .guid = GPO2_GUID };
    const GpDiagnostic *diag;

    write_backup(tree, BACKUP_A, &good);
    write_backup(tree, BACKUP_B, &bad);
    if (broken[i])
      gp_test_tree_write(tree, BACKUP_B "/Backup.xml", broken[i], -1);
    else
      CU_ASSERT_EQUAL(g_remove(backup_xml_path), 0);
    REQUIRE(load_ok(tree->root, model, diags));
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    CU_ASSERT_PTR_NOT_NULL(gpo_by_dn(model, GPO_DN));
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 1);
    diag = find_diag(diags, "skipped");
    REQUIRE(diag != NULL);
    GP_ASSERT_STR(diag->file, folder);
    /* The broken backup alone: nothing can be read. */
    CU_ASSERT_FALSE(gp_backup_load_dir(folder, model, diags, &error));
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
  }
}

/* Security descriptors as hex bytes; an odd digit is a warning. */
static void
test_backup_security_descriptor(void)
{
  static const struct {
    const char *hex;
    gboolean read;
  } cases[] = {
    { SD_HEX, TRUE },
    { SD_HEX " 0", FALSE },
    { "01 00 04 8", FALSE },
    { "zz 00", FALSE },
    /* Hex bytes that are no descriptor. */
    { "01 00", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new();
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    Fake fake = { .id = BACKUP_A, .sd = cases[i].hex };
    const GpGpo *gpo;
    const GpAce *ace;

    write_backup(tree, BACKUP_A, &fake);
    REQUIRE(load_ok(tree->root, model, diags));
    gpo = gpo_by_dn(model, GPO_DN);
    REQUIRE(gpo != NULL);
    CU_ASSERT_EQUAL(gpo->security_descriptor != NULL, cases[i].read);
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), cases[i].read ? 0 : 1);
    CU_ASSERT_EQUAL(find_diag(diags, "security descriptor") != NULL, !cases[i].read);
    if (!cases[i].read)
      continue;
    REQUIRE(gpo->security_descriptor->dacl && gpo->security_descriptor->dacl->len == 1);
    ace = g_ptr_array_index(gpo->security_descriptor->dacl, 0);
    CU_ASSERT_EQUAL(ace->type, GP_ACE_ALLOW);
    GP_ASSERT_STR(ace->sid, "S-1-5-11");
  }
}

/* Options, the two version numbers, the WMI filter, GPODisplayName. */
static void
test_backup_core_settings(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake fake = { .id = BACKUP_A,
                .options = 2,
                .user_version = (3u << 16) | 4u,
                .machine_version = (5u << 16) | 6u,
                .wmi = "MSFT_SomFilter.ID=\"" WMI_ID "\",Domain=\"CONTOSO.COM\"",
                .info_name = "From bkupInfo" };
  const GpWmiFilter *filter;
  const GpGpo *gpo;

  write_backup(tree, BACKUP_A, &fake);
  REQUIRE(load_ok(tree->root, model, diags));
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 0);
  gpo = gpo_by_dn(model, GPO_DN);
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->flags, 2);
  CU_ASSERT_EQUAL(gpo->version_number, (3u << 16) | 5u);
  CU_ASSERT_EQUAL(gpo->gpt_version, (4u << 16) | 6u);
  GP_ASSERT_STR(gpo->display_name, "From bkupInfo");
  GP_ASSERT_STR(gpo->wql_filter, "[CONTOSO.COM;" WMI_ID ";0]");
  filter = gp_model_find_wmi_filter(model, WMI_ID);
  REQUIRE(filter != NULL);
  GP_ASSERT_STR(filter->name, "Servers");
  CU_ASSERT_PTR_NOT_NULL(gp_model_find_wmi_filter(model, "servers"));
}

/* Values out of range are warnings and defaults. */
static void
test_backup_bad_values(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake fake = { .id = BACKUP_A, .options = 7, .wmi = "MSFT_SomFilter.ID=\"nope\"" };
  const GpGpo *gpo;

  write_backup(tree, BACKUP_A, &fake);
  REQUIRE(load_ok(tree->root, model, diags));
  gpo = gpo_by_dn(model, GPO_DN);
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->flags, 0);
  CU_ASSERT_PTR_NULL(gpo->wql_filter);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "Options"));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "WMIFilter"));
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 2);
}

/* A GPO already in the model keeps its values; the backup fills the rest. */
static void
test_backup_existing_gpo(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  Fake fake = { .id = BACKUP_A, .name = "Backed up", .machine_version = (9u << 16) | 9u };
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, GPO_DN);

  REQUIRE(gpo != NULL);
  gpo->in_directory = TRUE;
  gpo->display_name = g_strdup("Live");
  gpo->version_number = 12;
  write_backup(tree, BACKUP_A, &fake);
  REQUIRE(load_ok(tree->root, model, diags));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  GP_ASSERT_STR(gpo->display_name, "Live");
  CU_ASSERT_EQUAL(gpo->version_number, 12);
  CU_ASSERT_PTR_NOT_NULL(gpo->machine_extension_names);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
  CU_ASSERT_EQUAL(gpo->gpt_version, 9);
  CU_ASSERT_TRUE(impersonate_read(gpo, 2));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "already loaded"));
}

/* Symbolic links are never followed: template, Backup.xml, backup folders. */
static void
test_backup_symlinks(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *given = gp_test_tree_path(tree, "backups");
  g_autofree char *real_template = gp_test_tree_path(outside, "GptTmpl.inf");
  g_autofree char *real_backup = gp_test_tree_path(outside, BACKUP_C);
  Fake fake = { .id = BACKUP_A, .template = "" };
  Fake other = { .id = BACKUP_C, .guid = GPO2_GUID };
  const GpGpo *gpo;

  write_template(outside, "GptTmpl.inf");
  write_backup(outside, BACKUP_C, &other);
  write_backup(tree, "backups/" BACKUP_A, &fake);
  gp_test_tree_symlink(tree, real_template, "backups/" BACKUP_A "/" TEMPLATE_PATH);
  gp_test_tree_symlink(tree, real_backup, "backups/" BACKUP_C);
  REQUIRE(load_ok(given, model, diags));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  gpo = gpo_by_dn(model, GPO_DN);
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_UNREADABLE);
  CU_ASSERT_PTR_NULL(gpo->machine_template);
  CU_ASSERT_PTR_NOT_NULL(gpo->sysvol_problem ? strstr(gpo->sysvol_problem, "symbolic link") : NULL);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "is unreadable"));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "symbolic link to a folder not followed"));
  CU_ASSERT_PTR_NULL(gpo_by_dn(model, GPO2_DN));
}

/* A symlinked Backup.xml is not read. */
static void
test_backup_symlinked_backup_xml(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = gp_test_tree_path(tree, BACKUP_A);
  g_autofree char *real = gp_test_tree_path(outside, "x/Backup.xml");
  g_autofree char *link = gp_test_tree_path(tree, BACKUP_A "/Backup.xml");
  Fake fake = { .id = BACKUP_A };

  write_backup(outside, "x", &fake);
  write_backup(tree, BACKUP_A, &fake);
  CU_ASSERT_EQUAL(g_remove(link), 0);
  gp_test_tree_symlink(tree, real, BACKUP_A "/Backup.xml");
  CU_ASSERT_FALSE(gp_backup_load_dir(folder, model, diags, &error));
  CU_ASSERT_PTR_NOT_NULL(error);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "symbolic link"));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
}

/* A file, a missing path, an empty folder. */
static void
test_backup_bad_paths(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new();
  g_autofree char *file = gp_test_tree_path(tree, "Backup.xml");
  g_autofree char *missing = gp_test_tree_path(tree, "nowhere");
  g_autofree char *empty = gp_test_tree_path(tree, "empty");
  const char *const paths[] = { file, missing, empty };
  const GpLoadError codes[] = { GP_LOAD_ERROR_IO, GP_LOAD_ERROR_IO, GP_LOAD_ERROR_SYNTAX };
  Fake fake = { 0 };

  write_backup(tree, "", &fake);
  CU_ASSERT_EQUAL(g_mkdir(empty, 0700), 0);
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;

    CU_ASSERT_FALSE(gp_backup_load_dir(paths[i], model, diags, &error));
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, codes[i]));
    CU_ASSERT_PTR_NOT_NULL(error ? strstr(error->message, paths[i]) : NULL);
  }
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
}

static const GpTestCase cases[] = {
  GP_TEST(test_backup_sample_single),
  GP_TEST(test_backup_sample_manifest),
  GP_TEST(test_backup_sample_folder),
  GP_TEST(test_backup_sample_bare_manifests),
  GP_TEST(test_backup_newest_wins),
  GP_TEST(test_backup_same_guid_two_domains),
  GP_TEST(test_backup_name_case),
  GP_TEST(test_backup_manifest_entries),
  GP_TEST(test_backup_broken_manifest),
  GP_TEST(test_backup_missing_template),
  GP_TEST(test_backup_unreadable_template),
  GP_TEST(test_backup_broken_backup_xml),
  GP_TEST(test_backup_security_descriptor),
  GP_TEST(test_backup_core_settings),
  GP_TEST(test_backup_bad_values),
  GP_TEST(test_backup_existing_gpo),
  GP_TEST(test_backup_symlinks),
  GP_TEST(test_backup_symlinked_backup_xml),
  GP_TEST(test_backup_bad_paths),
};
GP_TEST_MAIN("backup", cases)
