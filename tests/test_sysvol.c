/* test_sysvol.c - gp_sysvol_load_dir() on SYSVOL trees built in a temporary
 * folder: the three accepted roots, names in any case, folders attached to the
 * GPO of the right domain, missing and orphan folders, unreadable ones, and
 * symbolic links, which are never followed; and the same load in two halves
 * (gp_sysvol_read_start/finish/cancel) around filling the model. */
#include "gp-test.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gp-loaders.h"

/* Asserts @cond (evaluated once) and leaves the test when it does not hold,
 * without the longjmp of the _FATAL asserts, which would skip g_autoptr cleanup. */
#define REQUIRE(cond)                                                                              \
  do {                                                                                             \
    gboolean require_ok_ = (cond) ? TRUE : FALSE;                                                  \
    CU_assertImplementation(require_ok_, __LINE__, #cond, __FILE__, "", CU_FALSE);                 \
    if (!require_ok_)                                                                              \
      return;                                                                                      \
  } while (0)

#define DDP_GUID    "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define OTHER_GUID  "{1B2C3D4E-0000-0000-0000-00000000A001}"
#define ORPHAN_GUID "{1B2C3D4E-0000-0000-0000-00000000B001}"
#define DDP_DN(dc)  "CN=" DDP_GUID ",CN=Policies,CN=System," dc
#define CONTOSO     "DC=contoso,DC=com"
#define FABRIKAM    "DC=fabrikam,DC=com"

#define TEMPLATE_PATH "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf"

/* A security template as Windows writes it (the test stores it as UTF-16LE). */
#define TEMPLATE_TEXT                                                                              \
  "[Unicode]\r\nUnicode=yes\r\n"                                                                   \
  "[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"                                         \
  "[Privilege Rights]\r\nSeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6\r\n"

/* GPT.INI is ANSI. */
static void
write_gpt_ini(const GpTestTree *tree, const char *gpo_dir, const char *name, guint32 version)
{
  g_autofree char *relative = g_build_filename(gpo_dir, name, NULL);
  g_autofree char *text
      = g_strdup_printf("[General]\r\nVersion=%u\r\ndisplayName=New GPO\r\n", version);

  gp_test_tree_write(tree, relative, text, -1);
}

/* GptTmpl.inf is UTF-16LE with a BOM. */
static void
write_template(const GpTestTree *tree, const char *gpo_dir, const char *relative_path)
{
  g_autofree char *relative = g_build_filename(gpo_dir, relative_path, NULL);
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

/* A complete GPO folder: GPT.INI and GptTmpl.inf. */
static void
write_gpo(const GpTestTree *tree, const char *gpo_dir, guint32 version)
{
  write_gpt_ini(tree, gpo_dir, "GPT.INI", version);
  write_template(tree, gpo_dir, TEMPLATE_PATH);
}

/* ------------------------------------------------------------- the model */

/* Adds @dns (NULL-terminated) as directory GPOs, as an LDIF load would. */
static void
add_directory_gpos(GpModel *model, const char *const *dns)
{
  for (gsize i = 0; dns && dns[i]; i++) {
    GpGpo *gpo = gp_model_ensure_gpo_dn(model, dns[i]);
    CU_ASSERT_PTR_NOT_NULL(gpo);
    if (gpo)
      gpo->in_directory = TRUE;
  }
}

/* Returns: (transfer full): a model with the rights catalogue and the directory
 * GPOs of @dns (NULL-terminated DNs), as an LDIF load would leave them. */
static GpModel *
model_new(const char *const *dns)
{
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autoptr(GError) error = NULL;
  GpModel *model = gp_model_new();

  if (!gp_data_load_rights(rights, model, &error))
    CU_FAIL(error->message);
  add_directory_gpos(model, dns);
  return model;
}

static GpGpo *
gpo_by_dn(const GpModel *model, const char *dn)
{
  return (GpGpo *)gp_model_find_gpo_dn(model, dn);
}

/* TRUE when @gpo's template holds the right TEMPLATE_TEXT assigns. */
static gboolean
template_was_read(const GpGpo *gpo)
{
  const GpRightAssignment *assignment;

  if (!gpo->machine_template)
    return FALSE;
  assignment = gp_security_template_lookup(gpo->machine_template, "SeImpersonatePrivilege");
  return assignment && assignment->holders->len == 2;
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

/* ------------------------------------------------------------------ roots */

static const struct {
  const char *policies; /* where the Policies folder is written */
  const char *given;    /* what gp_sysvol_load_dir() is given */
} root_cases[] = {
  { "Policies", "Policies" },
  { "contoso.com/Policies", "contoso.com" },
  { "sysvol/contoso.com/Policies", "sysvol" },
  /* C:\Windows\SYSVOL\domain\Policies: a domain folder not named like a domain. */
  { "SYSVOL/domain/Policies", "SYSVOL" },
  { "a/b/c/Policies", "a" },
  /* The given folder may be written with a trailing separator. */
  { "contoso.com/Policies", "contoso.com/" },
};

static void
test_sysvol_roots(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(root_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autofree char *gpo_dir = g_build_filename(root_cases[i].policies, DDP_GUID, NULL);
    g_autofree char *given = gp_test_tree_path(tree, root_cases[i].given);
    GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));

    write_gpo(tree, gpo_dir, 7);
    CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, &error));
    CU_ASSERT_PTR_NULL(error);
    CU_ASSERT_EQUAL(diags->len, 0);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    REQUIRE(gpo != NULL);
    if (gpo->sysvol != GP_SYSVOL_READ || diags->len) {
      printf("\ncase %" G_GSIZE_FORMAT ": state %d, problem '%s'", i, gpo->sysvol,
             gpo->sysvol_problem ? gpo->sysvol_problem : "");
      print_diags(diags);
    }
    CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
    CU_ASSERT_TRUE(gpo->has_gpt_ini);
    CU_ASSERT_EQUAL(gpo->gpt_version, 7);
    CU_ASSERT_PTR_NULL(gpo->sysvol_problem);
    CU_ASSERT_TRUE(template_was_read(gpo));
  }
}

/* ----------------------------------------------------------- name casing */

static const struct {
  const char *guid_folder;
  const char *gpt_ini;
  const char *template_path;
} casing_cases[] = {
  { DDP_GUID, "GPT.INI", "MACHINE/MICROSOFT/WINDOWS NT/SECEDIT/GPTTMPL.INF" },
  { DDP_GUID, "gpt.ini", "Machine/microsoft/windows nt/SecEdit/GptTmpl.inf" },
  { "{31b2f340-016d-11d2-945f-00c04fb984f9}", "Gpt.Ini",
    "machine/Microsoft/Windows NT/secedit/gpttmpl.inf" },
  { "{31b2f340-016D-11d2-945F-00c04fb984f9}", "GPT.ini", TEMPLATE_PATH },
};

static void
test_sysvol_name_case(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(casing_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autofree char *gpo_dir = g_build_filename("Policies", casing_cases[i].guid_folder, NULL);
    g_autofree char *given = gp_test_tree_path(tree, "Policies");
    GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));

    write_gpt_ini(tree, gpo_dir, casing_cases[i].gpt_ini, 3);
    write_template(tree, gpo_dir, casing_cases[i].template_path);
    CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
    REQUIRE(gpo != NULL);
    CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
    CU_ASSERT_EQUAL(gpo->gpt_version, 3);
    CU_ASSERT_TRUE(template_was_read(gpo));
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  }
}

/* ----------------------------------------------------- what a folder holds */

typedef enum {
  GPT_NONE,
  GPT_GOOD,
  GPT_NO_GENERAL,
} GptKind;

static const struct {
  GptKind gpt;
  const char *template; /* NULL: no GptTmpl.inf; "" the real one; else raw bytes */
  GpSysvolState state;
  gboolean has_gpt_ini;
  gboolean template_read;
  const char *problem; /* part of gpo->sysvol_problem; NULL: none */
} content_cases[] = {
  { GPT_GOOD, "", GP_SYSVOL_READ, TRUE, TRUE, NULL },
  /* GPT.INI alone: read, with no template. */
  { GPT_GOOD, NULL, GP_SYSVOL_READ, TRUE, FALSE, NULL },
  { GPT_NONE, "", GP_SYSVOL_UNREADABLE, FALSE, FALSE, "has no GPT.INI" },
  { GPT_NONE, NULL, GP_SYSVOL_UNREADABLE, FALSE, FALSE, "has no GPT.INI" },
  { GPT_NO_GENERAL, "", GP_SYSVOL_UNREADABLE, FALSE, FALSE, "[General]" },
  /* A template that is not one. */
  { GPT_GOOD, "just some text\r\n", GP_SYSVOL_UNREADABLE, TRUE, FALSE, "GptTmpl.inf" },
};

static void
write_content_case(const GpTestTree *tree, const char *gpo_dir, gsize i)
{
  g_autofree char *template = NULL;

  if (content_cases[i].gpt == GPT_GOOD)
    write_gpt_ini(tree, gpo_dir, "GPT.INI", 5);
  if (content_cases[i].gpt == GPT_NO_GENERAL) {
    g_autofree char *ini = g_build_filename(gpo_dir, "GPT.INI", NULL);
    gp_test_tree_write(tree, ini, "[Other]\r\nVersion=5\r\n", -1);
  }
  if (!content_cases[i].template)
    return;
  if (!content_cases[i].template[0]) {
    write_template(tree, gpo_dir, TEMPLATE_PATH);
    return;
  }
  template = g_build_filename(gpo_dir, TEMPLATE_PATH, NULL);
  gp_test_tree_write(tree, template, content_cases[i].template, -1);
}

static void
test_sysvol_folder_contents(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(content_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autofree char *gpo_dir = g_build_filename("Policies", DDP_GUID, NULL);
    g_autofree char *given = gp_test_tree_path(tree, "Policies");
    GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));
    gboolean unreadable = content_cases[i].state == GP_SYSVOL_UNREADABLE;

    gp_test_tree_mkdir(tree, gpo_dir);
    write_content_case(tree, gpo_dir, i);
    CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
    REQUIRE(gpo != NULL);
    CU_ASSERT_EQUAL(gpo->sysvol, content_cases[i].state);
    CU_ASSERT_EQUAL(gpo->has_gpt_ini, content_cases[i].has_gpt_ini);
    CU_ASSERT_EQUAL(template_was_read(gpo), content_cases[i].template_read);
    if (!content_cases[i].template_read)
      CU_ASSERT_PTR_NULL(gpo->machine_template);
    if (!content_cases[i].problem) {
      CU_ASSERT_PTR_NULL(gpo->sysvol_problem);
    } else {
      CU_ASSERT_PTR_NOT_NULL(
          gpo->sysvol_problem ? strstr(gpo->sysvol_problem, content_cases[i].problem) : NULL);
    }
    /* An unreadable folder is a warning naming the GPO. */
    CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING) > 0, unreadable);
    if (unreadable)
      CU_ASSERT_PTR_NOT_NULL(find_diag(diags, "GPO " DDP_GUID " is unreadable"));
  }
}

/* ------------------------------------------------- missing and orphan folders */

static void
test_sysvol_missing_and_orphan(void)
{
  static const char *const dns[]
      = { DDP_DN(CONTOSO), "CN=" OTHER_GUID ",CN=Policies,CN=System," CONTOSO, DDP_DN(FABRIKAM),
          NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GPtrArray) orphans = NULL;
  g_autofree char *given = gp_test_tree_path(tree, "contoso.com");
  g_autofree char *orphan_dir = gp_test_tree_path(tree, "contoso.com/Policies/" ORPHAN_GUID);
  GpGpo *other = gpo_by_dn(model, "CN=" OTHER_GUID ",CN=Policies,CN=System," CONTOSO);
  GpGpo *fabrikam = gpo_by_dn(model, DDP_DN(FABRIKAM));
  const GpGpo *orphan;
  const GpDiagnostic *note;

  write_gpo(tree, "contoso.com/Policies/" DDP_GUID, 1);
  write_gpo(tree, "contoso.com/Policies/" ORPHAN_GUID, 2);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
  REQUIRE(other != NULL && fabrikam != NULL);
  /* A directory GPO of the domain with no folder is missing. */
  CU_ASSERT_EQUAL(other->sysvol, GP_SYSVOL_MISSING);
  CU_ASSERT_PTR_NULL(other->machine_template);
  /* Another domain's GPO: this SYSVOL says nothing about it. */
  CU_ASSERT_EQUAL(fabrikam->sysvol, GP_SYSVOL_NOT_GIVEN);
  CU_ASSERT_PTR_NULL(fabrikam->machine_template);
  /* A folder with no directory GPO: kept as a GPO known by GUID, with a note. */
  orphans = gp_model_find_gpos_guid(model, ORPHAN_GUID);
  REQUIRE(orphans->len == 1);
  orphan = g_ptr_array_index(orphans, 0);
  CU_ASSERT_FALSE(orphan->in_directory);
  CU_ASSERT_PTR_NULL(orphan->dn);
  CU_ASSERT_EQUAL(orphan->sysvol, GP_SYSVOL_READ);
  CU_ASSERT_EQUAL(orphan->gpt_version, 2);
  CU_ASSERT_TRUE(template_was_read(orphan));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 4);
  CU_ASSERT_EQUAL(diags->len, 1);
  note = find_diag(diags, "has no groupPolicyContainer");
  REQUIRE(note != NULL);
  CU_ASSERT_EQUAL(note->severity, GP_SEVERITY_NOTE);
  GP_ASSERT_STR(note->file, orphan_dir);
  CU_ASSERT_PTR_NOT_NULL(strstr(note->message, ORPHAN_GUID));
}

/* A Policies folder given directly covers every domain of the data. */
static void
test_sysvol_missing_any_domain(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), DDP_DN(FABRIKAM), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autofree char *given = gp_test_tree_path(tree, "Policies");
  GpGpo *contoso = gpo_by_dn(model, DDP_DN(CONTOSO));
  GpGpo *fabrikam = gpo_by_dn(model, DDP_DN(FABRIKAM));

  write_gpo(tree, "Policies/" OTHER_GUID, 1);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, NULL, NULL));
  REQUIRE(contoso != NULL && fabrikam != NULL);
  CU_ASSERT_EQUAL(contoso->sysvol, GP_SYSVOL_MISSING);
  CU_ASSERT_EQUAL(fabrikam->sysvol, GP_SYSVOL_MISSING);
}

/* ------------------------------------------------------- domain matching */

/* The Default Domain Policy has the same GUID in every domain: each domain's
 * folder goes to that domain's GPO, whatever order the model holds them in. */
static const struct {
  const char *dns[3];
} shared_guid_cases[] = {
  { { DDP_DN(CONTOSO), DDP_DN(FABRIKAM), NULL } },
  { { DDP_DN(FABRIKAM), DDP_DN(CONTOSO), NULL } },
  { { "cn={31b2f340-016d-11d2-945f-00c04fb984f9},cn=policies,cn=system,dc=FABRIKAM,dc=COM",
      DDP_DN(CONTOSO), NULL } },
};

static void
test_sysvol_domain_matching(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(shared_guid_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(shared_guid_cases[i].dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autofree char *given = gp_test_tree_path(tree, "sysvol");
    GpGpo *contoso = gpo_by_dn(model, DDP_DN(CONTOSO));
    GpGpo *fabrikam = gpo_by_dn(model, DDP_DN(FABRIKAM));

    write_gpo(tree, "sysvol/contoso.com/Policies/" DDP_GUID, 11);
    write_gpo(tree, "sysvol/Fabrikam.COM/Policies/" DDP_GUID, 22);
    CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
    REQUIRE(contoso != NULL && fabrikam != NULL);
    CU_ASSERT_EQUAL(contoso->sysvol, GP_SYSVOL_READ);
    CU_ASSERT_EQUAL(contoso->gpt_version, 11);
    CU_ASSERT_EQUAL(fabrikam->sysvol, GP_SYSVOL_READ);
    CU_ASSERT_EQUAL(fabrikam->gpt_version, 22);
    CU_ASSERT_TRUE(template_was_read(contoso));
    CU_ASSERT_TRUE(template_was_read(fabrikam));
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 2);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

/* However the folder is written, the domain is read from the folder holding
 * Policies: fabrikam's GPO comes first in the model and must not get the folder. */
static const char *const domain_path_cases[] = {
  "contoso.com",
  "contoso.com/",
  "contoso.com/.",
  "contoso.com/Policies",
  "contoso.com/Policies/",
  "contoso.com/Policies/.",
  "contoso.com/Policies/../Policies",
};

static void
test_sysvol_domain_from_path(void)
{
  static const char *const dns[] = { DDP_DN(FABRIKAM), DDP_DN(CONTOSO), NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(domain_path_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autofree char *given = gp_test_tree_path(tree, domain_path_cases[i]);
    GpGpo *contoso = gpo_by_dn(model, DDP_DN(CONTOSO));
    GpGpo *fabrikam = gpo_by_dn(model, DDP_DN(FABRIKAM));

    write_gpo(tree, "contoso.com/Policies/" DDP_GUID, 5);
    CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
    REQUIRE(contoso != NULL && fabrikam != NULL);
    if (contoso->sysvol != GP_SYSVOL_READ)
      printf("\n'%s': contoso's GPO not read", domain_path_cases[i]);
    CU_ASSERT_EQUAL(contoso->sysvol, GP_SYSVOL_READ);
    CU_ASSERT_EQUAL(contoso->gpt_version, 5);
    CU_ASSERT_EQUAL(fabrikam->sysvol, GP_SYSVOL_NOT_GIVEN);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 2);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

/* A folder of a domain whose GPO the directory data lacks is not given to
 * another domain's GPO of the same GUID. */
static void
test_sysvol_domain_not_borrowed(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *given = gp_test_tree_path(tree, "sysvol");
  GpGpo *contoso = gpo_by_dn(model, DDP_DN(CONTOSO));

  write_gpo(tree, "sysvol/fabrikam.com/Policies/" DDP_GUID, 22);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
  REQUIRE(contoso != NULL);
  CU_ASSERT_EQUAL(contoso->sysvol, GP_SYSVOL_NOT_GIVEN);
  CU_ASSERT_PTR_NULL(contoso->machine_template);
  all = gp_model_find_gpos_guid(model, DDP_GUID);
  REQUIRE(all->len == 2);
  CU_ASSERT_EQUAL(((const GpGpo *)g_ptr_array_index(all, 1))->gpt_version, 22);
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_NOTE), 1);
}

/* ---------------------------------------------------------- symbolic links */

static void
test_sysvol_symlinked_template(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *given = gp_test_tree_path(tree, "Policies");
  g_autofree char *secret = gp_test_tree_path(outside, "GptTmpl.inf");
  GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));

  write_template(outside, ".", "GptTmpl.inf");
  write_gpt_ini(tree, "Policies/" DDP_GUID, "GPT.INI", 4);
  gp_test_tree_symlink(tree, secret, "Policies/" DDP_GUID "/" TEMPLATE_PATH);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
  REQUIRE(gpo != NULL);
  CU_ASSERT_PTR_NULL(gpo->machine_template);
  /* Not read, and not mistaken for a folder without a template. */
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_UNREADABLE);
  CU_ASSERT_PTR_NOT_NULL(gpo->sysvol_problem ? strstr(gpo->sysvol_problem, "symbolic link") : NULL);
  CU_ASSERT_EQUAL(count_severity(diags, GP_SEVERITY_WARNING), 1);
}

/* A symbolic link anywhere on the way (here "Machine") is not followed either. */
static void
test_sysvol_symlinked_subfolder(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autofree char *given = gp_test_tree_path(tree, "Policies");
  g_autofree char *machine = gp_test_tree_path(outside, "Machine");
  GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));

  write_template(outside, ".", TEMPLATE_PATH);
  write_gpt_ini(tree, "Policies/" DDP_GUID, "GPT.INI", 4);
  gp_test_tree_symlink(tree, machine, "Policies/" DDP_GUID "/Machine");
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, NULL, NULL));
  REQUIRE(gpo != NULL);
  CU_ASSERT_PTR_NULL(gpo->machine_template);
  CU_ASSERT_NOT_EQUAL(gpo->sysvol, GP_SYSVOL_READ);
}

static void
test_sysvol_symlinked_gpt_ini(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autofree char *given = gp_test_tree_path(tree, "Policies");
  g_autofree char *ini = gp_test_tree_path(outside, "GPT.INI");
  GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));

  write_gpt_ini(outside, ".", "GPT.INI", 9);
  write_template(tree, "Policies/" DDP_GUID, TEMPLATE_PATH);
  gp_test_tree_symlink(tree, ini, "Policies/" DDP_GUID "/GPT.INI");
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, NULL, NULL));
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_UNREADABLE);
  CU_ASSERT_FALSE(gpo->has_gpt_ini);
  CU_ASSERT_NOT_EQUAL(gpo->gpt_version, 9);
}

/* A {GUID} folder that is a symbolic link: a warning, the GPO is missing. */
static void
test_sysvol_symlinked_gpo_folder(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(dns);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *given = gp_test_tree_path(tree, "Policies");
  g_autofree char *link = gp_test_tree_path(tree, "Policies/" DDP_GUID);
  g_autofree char *target = gp_test_tree_path(outside, "gpo");
  GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));
  const GpDiagnostic *warning;

  write_gpo(outside, "gpo", 4);
  write_gpo(tree, "Policies/" OTHER_GUID, 1);
  gp_test_tree_symlink(tree, target, "Policies/" DDP_GUID);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
  REQUIRE(gpo != NULL);
  CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_MISSING);
  CU_ASSERT_PTR_NULL(gpo->machine_template);
  CU_ASSERT_NOT_EQUAL(gpo->gpt_version, 4);
  warning = find_diag(diags, "symbolic link not followed");
  REQUIRE(warning != NULL);
  CU_ASSERT_EQUAL(warning->severity, GP_SEVERITY_WARNING);
  GP_ASSERT_STR(warning->file, link);
}

/* The search for Policies does not go through symbolic links. */
static void
test_sysvol_symlinked_policies(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpTestTree) outside = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *policies = gp_test_tree_path(outside, "Policies");

  write_gpo(outside, "Policies/" DDP_GUID, 4);
  gp_test_tree_symlink(tree, policies, "contoso.com/Policies");
  CU_ASSERT_FALSE(gp_sysvol_load_dir(tree->root, model, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
}

/* ------------------------------------------------------------ bad paths */

typedef enum {
  SETUP_NOTHING,
  SETUP_FILE,
  SETUP_EMPTY_DIR,
  SETUP_NO_GUID,
  SETUP_TOO_DEEP,
} BadSetup;

static const struct {
  BadSetup setup;
  const char *given;
  GpLoadError code;
  const char *message; /* part of the error */
} bad_path_cases[] = {
  { SETUP_NOTHING, "absent", GP_LOAD_ERROR_IO, "not a folder" },
  { SETUP_FILE, "GPT.INI", GP_LOAD_ERROR_IO, "not a folder" },
  { SETUP_EMPTY_DIR, "Policies", GP_LOAD_ERROR_SYNTAX, "no {GUID} GPO folders found" },
  { SETUP_NO_GUID, "Policies", GP_LOAD_ERROR_SYNTAX, "no {GUID} GPO folders found" },
  { SETUP_TOO_DEEP, "a", GP_LOAD_ERROR_SYNTAX, "no {GUID} GPO folders found" },
};

static void
setup_bad_path(const GpTestTree *tree, BadSetup setup)
{
  switch (setup) {
  case SETUP_NOTHING:
    break;
  case SETUP_FILE:
    write_gpt_ini(tree, ".", "GPT.INI", 1);
    break;
  case SETUP_EMPTY_DIR:
    gp_test_tree_mkdir(tree, "Policies");
    break;
  case SETUP_NO_GUID:
    write_gpo(tree, "Policies/{not-a-guid}", 1);
    write_gpo(tree, "Policies/PolicyDefinitions", 1);
    break;
  case SETUP_TOO_DEEP:
    write_gpo(tree, "a/b/c/d/Policies/" DDP_GUID, 1);
    break;
  }
}

static void
test_sysvol_bad_paths(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(bad_path_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autofree char *given = gp_test_tree_path(tree, bad_path_cases[i].given);
    GpGpo *gpo = gpo_by_dn(model, DDP_DN(CONTOSO));

    setup_bad_path(tree, bad_path_cases[i].setup);
    CU_ASSERT_FALSE(gp_sysvol_load_dir(given, model, diags, &error));
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, bad_path_cases[i].code));
    REQUIRE(error != NULL);
    CU_ASSERT_TRUE(g_str_has_prefix(error->message, given));
    CU_ASSERT_PTR_NOT_NULL(strstr(error->message, bad_path_cases[i].message));
    /* The model is left as it was. */
    CU_ASSERT_EQUAL(diags->len, 0);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    REQUIRE(gpo != NULL);
    CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_NOT_GIVEN);
  }
}

/* --------------------------------------------------------- many folders */

/* Enough folders for gp-sysvol.c to read them on worker threads, and more
 * than it reads ahead of the one it attaches (1 024). */
#define MANY_FOLDERS  1100
#define MANY_POLICIES "contoso.com/Policies"

typedef enum {
  MANY_PLAIN,         /* GPT.INI, no directory GPO: a note */
  MANY_IN_DIRECTORY,  /* GPT.INI of a directory GPO: nothing to say */
  MANY_NO_GPT_INI,    /* the note, then "unreadable" */
  MANY_UNKNOWN_RIGHT, /* the template's warning, then the note */
  MANY_LINK,          /* a symbolic link: a warning, no GPO */
  MANY_FILE,          /* a file named like a GPO folder: skipped */
  MANY_KINDS
} ManyKind;

#define MANY_TEMPLATE "[Privilege Rights]\r\nSeBogusRight = *S-1-5-32-544\r\n"

static char *
many_guid(guint index)
{
  return g_strdup_printf("{1B2C3D4E-0000-0000-0000-%012X}", index);
}

/* The index written in a folder name of many_guid(). */
static guint
many_index(const char *name)
{
  return (guint)g_ascii_strtoull(name + strlen("{1B2C3D4E-0000-0000-0000-"), NULL, 16);
}

static void
write_many_folder(const GpTestTree *tree, guint index)
{
  g_autofree char *guid = many_guid(index);
  g_autofree char *dir = g_build_filename(MANY_POLICIES, guid, NULL);
  g_autofree char *template = g_build_filename(dir, TEMPLATE_PATH, NULL);

  switch ((ManyKind)(index % MANY_KINDS)) {
  case MANY_UNKNOWN_RIGHT:
    gp_test_tree_write(tree, template, MANY_TEMPLATE, -1);
    /* fall through */
  case MANY_PLAIN:
  case MANY_IN_DIRECTORY:
    write_gpt_ini(tree, dir, "GPT.INI", index);
    break;
  case MANY_NO_GPT_INI:
    gp_test_tree_mkdir(tree, dir);
    break;
  case MANY_LINK:
    gp_test_tree_symlink(tree, "../elsewhere", dir);
    break;
  case MANY_FILE:
  case MANY_KINDS:
    gp_test_tree_write(tree, dir, "not a folder", -1);
    break;
  }
}

/* Returns: (transfer full): the directory GPOs' DNs, NULL-terminated. */
static GStrv
many_directory_dns(void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

  for (guint i = MANY_IN_DIRECTORY; i < MANY_FOLDERS; i += MANY_KINDS) {
    g_autofree char *guid = many_guid(i);
    g_autofree char *dn = g_strdup_printf("CN=%s,CN=Policies,CN=System," CONTOSO, guid);
    g_strv_builder_add(builder, dn);
  }
  return g_strv_builder_end(builder);
}

/* Appends what the folder @name of @policies must bring, in the order one
 * thread reading folder after folder finds it; messages are parts. */
static void
expect_many_folder(GPtrArray *expected, const char *policies, const char *name)
{
  guint index = many_index(name);
  g_autofree char *dir = g_build_filename(policies, name, NULL);
  g_autofree char *template = g_build_filename(dir, TEMPLATE_PATH, NULL);
  const char *orphan = "has no groupPolicyContainer";

  switch ((ManyKind)(index % MANY_KINDS)) {
  case MANY_PLAIN:
    gp_diag_add(expected, GP_SEVERITY_NOTE, dir, 0, "%s", orphan);
    break;
  case MANY_NO_GPT_INI:
    gp_diag_add(expected, GP_SEVERITY_NOTE, dir, 0, "%s", orphan);
    gp_diag_add(expected, GP_SEVERITY_WARNING, dir, 0, "is unreadable");
    break;
  case MANY_UNKNOWN_RIGHT:
    gp_diag_add(expected, GP_SEVERITY_WARNING, template, 2, "unknown user right 'SeBogusRight'");
    gp_diag_add(expected, GP_SEVERITY_NOTE, dir, 0, "%s", orphan);
    break;
  case MANY_LINK:
    gp_diag_add(expected, GP_SEVERITY_WARNING, dir, 0, "symbolic link not followed");
    break;
  case MANY_IN_DIRECTORY:
  case MANY_FILE:
  case MANY_KINDS:
    break;
  }
}

static gboolean
diag_matches(const GpDiagnostic *actual, const GpDiagnostic *expected)
{
  return actual->severity == expected->severity && g_strcmp0(actual->file, expected->file) == 0
         && actual->line == expected->line && strstr(actual->message, expected->message);
}

/* Every finding, in the order of the folder listing. */
static void
check_many_diags(const GpTestTree *tree, const GPtrArray *diags)
{
  g_autofree char *policies = gp_test_tree_path(tree, MANY_POLICIES);
  g_autoptr(GDir) handle = g_dir_open(policies, 0, NULL);
  g_autoptr(GPtrArray) expected = gp_diag_list_new();
  const char *name;

  REQUIRE(handle != NULL);
  while ((name = g_dir_read_name(handle)))
    expect_many_folder(expected, policies, name);
  CU_ASSERT_EQUAL(diags->len, expected->len);
  for (guint i = 0; i < MIN(diags->len, expected->len); i++) {
    if (diag_matches(g_ptr_array_index(diags, i), g_ptr_array_index(expected, i)))
      continue;
    g_autofree char *got = gp_diagnostic_format(g_ptr_array_index(diags, i));
    g_autofree char *want = gp_diagnostic_format(g_ptr_array_index(expected, i));
    printf("\nfinding %u: got '%s', expected '%s'", i, got, want);
    CU_FAIL("findings out of order");
    return;
  }
}

/* Each folder went to its GPO; links and files made none. */
static void
check_many_gpos(const GpModel *model)
{
  guint folders = 0;

  for (guint i = 0; i < MANY_FOLDERS; i++) {
    ManyKind kind = (ManyKind)(i % MANY_KINDS);
    g_autofree char *guid = many_guid(i);
    g_autoptr(GPtrArray) gpos = gp_model_find_gpos_guid(model, guid);
    const GpGpo *gpo;

    if (kind == MANY_LINK || kind == MANY_FILE) {
      CU_ASSERT_EQUAL(gpos->len, 0);
      continue;
    }
    folders++;
    REQUIRE(gpos->len == 1);
    gpo = g_ptr_array_index(gpos, 0);
    CU_ASSERT_EQUAL(gpo->in_directory, kind == MANY_IN_DIRECTORY);
    CU_ASSERT_EQUAL(gpo->sysvol, kind == MANY_NO_GPT_INI ? GP_SYSVOL_UNREADABLE : GP_SYSVOL_READ);
    CU_ASSERT_EQUAL(gpo->gpt_version, kind == MANY_NO_GPT_INI ? 0 : i);
    CU_ASSERT_EQUAL(gpo->machine_template != NULL, kind == MANY_UNKNOWN_RIGHT);
  }
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, folders);
}

/* Many folders are read on worker threads: the model and the findings, in
 * their order, are what reading them one after the other gives. */
static void
test_sysvol_many_folders(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_auto(GStrv) dns = many_directory_dns();
  g_autoptr(GpModel) model = model_new((const char *const *)dns);
  g_autoptr(GpModel) quiet = model_new((const char *const *)dns);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *given = gp_test_tree_path(tree, "contoso.com");

  for (guint i = 0; i < MANY_FOLDERS; i++)
    write_many_folder(tree, i);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, diags, NULL));
  check_many_diags(tree, diags);
  check_many_gpos(model);
  /* Findings may be unwanted. */
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, quiet, NULL, NULL));
  check_many_gpos(quiet);
}

/* ----------------------------------------- reading ahead: start and finish */

/* The folders are read before the directory GPOs are in the model, as gpsim
 * reads SYSVOL while the LDIF loads: attaching them uses the model as it is
 * at finish, so the result is what gp_sysvol_load_dir() gives then. */
static void
read_then_fill(const GpTestTree *tree, gulong pause_us)
{
  g_auto(GStrv) dns = many_directory_dns();
  g_autoptr(GpModel) model = model_new(NULL);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *given = gp_test_tree_path(tree, "contoso.com");
  GpSysvolRead *read = gp_sysvol_read_start(given, model);

  REQUIRE(read != NULL);
  /* Starting touches no GPO: the folders wait for finish. */
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
  add_directory_gpos(model, (const char *const *)dns);
  g_usleep(pause_us);
  CU_ASSERT_TRUE(gp_sysvol_read_finish(read, model, diags, NULL));
  check_many_diags(tree, diags);
  check_many_gpos(model);
}

/* Finished at once (the background has read a part, finishing the rest) and
 * after a pause (read in the background, likely all). */
static void
test_sysvol_read_then_fill(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();

  for (guint i = 0; i < MANY_FOLDERS; i++)
    write_many_folder(tree, i);
  read_then_fill(tree, 0);
  read_then_fill(tree, 200 * 1000);
}

/* The same with a few folders, read when finishing: a GPO added after start
 * gets its folder, another is marked missing, an orphan gets its note. */
static void
test_sysvol_read_then_fill_few(void)
{
  static const char *const dns[]
      = { DDP_DN(CONTOSO), "CN=" OTHER_GUID ",CN=Policies,CN=System," CONTOSO, NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autoptr(GpModel) model = model_new(NULL);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autofree char *given = gp_test_tree_path(tree, "contoso.com");
  GpSysvolRead *read;
  GpGpo *ddp, *other;

  write_gpo(tree, "contoso.com/Policies/" DDP_GUID, 3);
  write_gpo(tree, "contoso.com/Policies/" ORPHAN_GUID, 4);
  read = gp_sysvol_read_start(given, model);
  add_directory_gpos(model, dns);
  CU_ASSERT_TRUE(gp_sysvol_read_finish(read, model, diags, NULL));
  ddp = gpo_by_dn(model, DDP_DN(CONTOSO));
  other = gpo_by_dn(model, "CN=" OTHER_GUID ",CN=Policies,CN=System," CONTOSO);
  REQUIRE(ddp != NULL && other != NULL);
  CU_ASSERT_EQUAL(ddp->sysvol, GP_SYSVOL_READ);
  CU_ASSERT_EQUAL(ddp->gpt_version, 3);
  CU_ASSERT_TRUE(template_was_read(ddp));
  CU_ASSERT_EQUAL(other->sysvol, GP_SYSVOL_MISSING);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 3);
  CU_ASSERT_EQUAL(diags->len, 1);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, ORPHAN_GUID));
}

/* TRUE when @a and @b hold the same findings in the same order. */
static gboolean
same_diags(const GPtrArray *a, const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    g_autofree char *left = gp_diagnostic_format(g_ptr_array_index(a, i));
    g_autofree char *right = gp_diagnostic_format(g_ptr_array_index(b, i));
    if (strcmp(left, right) != 0)
      return FALSE;
  }
  return TRUE;
}

/* Two SYSVOL copies read at once, finished in order: what loading one after
 * the other gives (gpsim starts every --sysvol before the LDIF). */
static void
test_sysvol_read_two(void)
{
  static const char *const fabrikam_dns[] = { DDP_DN(FABRIKAM), NULL };
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_auto(GStrv) dns = many_directory_dns();
  g_autoptr(GpModel) model = model_new(NULL);
  g_autoptr(GpModel) expected = model_new(NULL);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GPtrArray) expected_diags = gp_diag_list_new();
  g_autofree char *contoso = gp_test_tree_path(tree, "contoso.com");
  g_autofree char *fabrikam = gp_test_tree_path(tree, "fabrikam.com");
  GpSysvolRead *first, *second;

  for (guint i = 0; i < MANY_FOLDERS; i++)
    write_many_folder(tree, i);
  write_gpo(tree, "fabrikam.com/Policies/" DDP_GUID, 8);
  write_gpo(tree, "fabrikam.com/Policies/" ORPHAN_GUID, 9);
  first = gp_sysvol_read_start(contoso, model);
  second = gp_sysvol_read_start(fabrikam, model);
  add_directory_gpos(model, (const char *const *)dns);
  add_directory_gpos(model, fabrikam_dns);
  CU_ASSERT_TRUE(gp_sysvol_read_finish(first, model, diags, NULL));
  CU_ASSERT_TRUE(gp_sysvol_read_finish(second, model, diags, NULL));

  add_directory_gpos(expected, (const char *const *)dns);
  add_directory_gpos(expected, fabrikam_dns);
  CU_ASSERT_TRUE(gp_sysvol_load_dir(contoso, expected, expected_diags, NULL));
  CU_ASSERT_TRUE(gp_sysvol_load_dir(fabrikam, expected, expected_diags, NULL));
  CU_ASSERT_TRUE(same_diags(diags, expected_diags));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, gp_model_gpos(expected)->len);
  REQUIRE(gpo_by_dn(model, DDP_DN(FABRIKAM)) != NULL);
  CU_ASSERT_EQUAL(gpo_by_dn(model, DDP_DN(FABRIKAM))->gpt_version, 8);
}

/* What cannot be loaded is reported by finish, in gp_sysvol_load_dir()'s
 * words, with the model left as it was; cancelling instead reports nothing. */
static void
test_sysvol_read_bad_paths(void)
{
  static const char *const dns[] = { DDP_DN(CONTOSO), NULL };

  for (gsize i = 0; i < G_N_ELEMENTS(bad_path_cases); i++) {
    g_autoptr(GpTestTree) tree = gp_test_tree_new();
    g_autoptr(GpModel) model = model_new(dns);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) expected = NULL;
    g_autofree char *given = gp_test_tree_path(tree, bad_path_cases[i].given);
    GpSysvolRead *read;

    setup_bad_path(tree, bad_path_cases[i].setup);
    CU_ASSERT_FALSE(gp_sysvol_load_dir(given, model, NULL, &expected));
    gp_sysvol_read_cancel(gp_sysvol_read_start(given, model));
    read = gp_sysvol_read_start(given, model);
    REQUIRE(read != NULL && expected != NULL);
    CU_ASSERT_FALSE(gp_sysvol_read_finish(read, model, diags, &error));
    REQUIRE(error != NULL);
    CU_ASSERT_TRUE(g_error_matches(error, expected->domain, expected->code));
    GP_ASSERT_STR(error->message, expected->message);
    CU_ASSERT_EQUAL(diags->len, 0);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
    CU_ASSERT_EQUAL(gpo_by_dn(model, DDP_DN(CONTOSO))->sysvol, GP_SYSVOL_NOT_GIVEN);
  }
}

/* All GPOs of the model still as no SYSVOL left them. */
static void
check_untouched(const GpModel *model, guint n_gpos)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  CU_ASSERT_EQUAL(gpos->len, n_gpos);
  for (guint i = 0; i < gpos->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(gpos, i);
    CU_ASSERT_EQUAL(gpo->sysvol, GP_SYSVOL_NOT_GIVEN);
    CU_ASSERT_PTR_NULL(gpo->machine_template);
  }
}

/* A read cancelled (gpsim: the LDIF failed) changes no model and leaks
 * nothing, whether its workers are still reading or done. */
static void
test_sysvol_read_cancel(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_auto(GStrv) dns = many_directory_dns();
  g_autoptr(GpModel) model = model_new((const char *const *)dns);
  g_autofree char *given = gp_test_tree_path(tree, "contoso.com");
  g_autofree char *few = gp_test_tree_path(tree, "few");
  guint n_gpos = gp_model_gpos(model)->len;

  for (guint i = 0; i < MANY_FOLDERS; i++)
    write_many_folder(tree, i);
  write_gpo(tree, "few/Policies/" DDP_GUID, 1);
  /* At once, while the workers read. */
  gp_sysvol_read_cancel(gp_sysvol_read_start(given, model));
  /* Once they are likely done. */
  {
    g_autoptr(GpSysvolRead) read = gp_sysvol_read_start(given, model);
    g_usleep(50 * 1000);
  }
  /* Few folders: nothing read before finishing. */
  gp_sysvol_read_cancel(gp_sysvol_read_start(few, model));
  gp_sysvol_read_cancel(NULL);
  check_untouched(model, n_gpos);
  /* Nothing left behind that a later load would meet. */
  CU_ASSERT_TRUE(gp_sysvol_load_dir(given, model, NULL, NULL));
  check_many_gpos(model);
}

/* One entry a line: tests/CMakeLists.txt registers each line as a CTest test. */
/* clang-format off */
static const GpTestCase cases[] = {
  GP_TEST(test_sysvol_roots),
  GP_TEST(test_sysvol_name_case),
  GP_TEST(test_sysvol_folder_contents),
  GP_TEST(test_sysvol_missing_and_orphan),
  GP_TEST(test_sysvol_missing_any_domain),
  GP_TEST(test_sysvol_domain_matching),
  GP_TEST(test_sysvol_domain_from_path),
  GP_TEST(test_sysvol_domain_not_borrowed),
  GP_TEST(test_sysvol_symlinked_template),
  GP_TEST(test_sysvol_symlinked_subfolder),
  GP_TEST(test_sysvol_symlinked_gpt_ini),
  GP_TEST(test_sysvol_symlinked_gpo_folder),
  GP_TEST(test_sysvol_symlinked_policies),
  GP_TEST(test_sysvol_bad_paths),
  GP_TEST(test_sysvol_many_folders),
  GP_TEST(test_sysvol_read_then_fill),
  GP_TEST(test_sysvol_read_then_fill_few),
  GP_TEST(test_sysvol_read_two),
  GP_TEST(test_sysvol_read_bad_paths),
  GP_TEST(test_sysvol_read_cancel),
};
/* clang-format on */

GP_TEST_MAIN("sysvol", cases)
