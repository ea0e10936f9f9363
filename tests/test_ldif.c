/* test_ldif.c - the LDIF loader (loaders/gp-ldif.c) through its public API. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "gp-loaders.h"
#include "gp-test.h"

#define FILE_NAME "test.ldif"

#define DDP_GUID  "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define DDCP_GUID "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
#define GUID_A    "{1B2C3D4E-0000-0000-0000-00000000A001}"
#define GUID_B    "{1B2C3D4E-0000-0000-0000-00000000B001}"

#define CONTOSO_SID "S-1-5-21-1111-2222-3333"
/* S-1-5-21-1111-2222-3333-1105 as stored in objectSid. */
#define ALICE_SID_BASE64 "AQUAAAAAAAUVAAAAVwQAAK4IAAAFDQAAUQQAAA=="

#define OU_HEAD                                                                                    \
  "dn: OU=Servers,DC=contoso,DC=com\n"                                                             \
  "objectClass: top\n"                                                                             \
  "objectClass: organizationalUnit\n"

#define GPC_HEAD                                                                                   \
  "dn: CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com\n"                                    \
  "objectClass: top\n"                                                                             \
  "objectClass: container\n"                                                                       \
  "objectClass: groupPolicyContainer\n"

/* ------------------------------------------------------------------ helpers */

/* Loads @text as FILE_NAME into @model; @diags and @error may be NULL. */
static gboolean
load_text(GpModel *model, GPtrArray *diags, const char *text, GError **error)
{
  return gp_ldif_load_from_data(text, strlen(text), FILE_NAME, model, diags, error);
}

/* Loads @text into a new model and fails the test when the load fails. */
static GpModel *
load_ok(const char *text, GPtrArray *diags)
{
  g_autoptr(GError) error = NULL;
  GpModel *model = gp_model_new();
  gboolean ok = load_text(model, diags, text, &error);

  CU_ASSERT_TRUE(ok);
  CU_ASSERT_PTR_NULL(error);
  if (error != NULL)
    printf("\nunexpected error: %s\n", error->message);
  return model;
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

static void
print_diags(const GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++) {
    g_autofree char *text = gp_diagnostic_format(diags->pdata[i]);
    printf("\n  %s", text);
  }
}

static guint
count_warnings(const GPtrArray *diags)
{
  guint n = count_diags(diags, GP_SEVERITY_WARNING, NULL, 0);

  if (n > 0)
    print_diags(diags);
  return n;
}

/* Returns: (transfer full): @text with every @from replaced by @to. */
static char *
replace_all(const char *text, const char *from, const char *to)
{
  g_auto(GStrv) parts = g_strsplit(text, from, -1);

  return g_strjoinv(to, parts);
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

static guint
count_soms(const GpModel *model, GpSomKind kind)
{
  const GPtrArray *soms = gp_model_soms(model);
  guint n = 0;

  for (guint i = 0; i < soms->len; i++)
    if (((const GpSom *)soms->pdata[i])->kind == kind)
      n++;
  return n;
}

/* ---------------------------------------------------------------- folding */

typedef struct {
  const char *name;
  const char *ldif;
  const char *dn; /* looked up in another case than written where possible */
  guint n_links;
  const char *order1_guid;
  const char *order2_guid;
  guint line; /* first physical line of the dn */
} FoldCase;

static const FoldCase fold_cases[] = {
  { "break inside a GUID",
    "# leading comment\n" OU_HEAD "gPLink: [LDAP://cn={1B2C3D4E-0000-0000-0000-00000000B0\n"
    " 01},cn=policies,cn=system,DC=contoso,DC=com;2][LDAP://cn={1B2C3D4E-0000-0000-0000-0000\n"
    " 0000A001},cn=policies,cn=system,DC=contoso,DC=com;0]\n",
    "ou=servers,dc=contoso,dc=com", 2, GUID_A, GUID_B, 2 },
  { "break inside the DN and in the option",
    "dn: OU=Web Servers,OU=Ser\n"
    " vers,DC=con\n"
    " toso,DC=com\n"
    "objectClass: organizationalUnit\n"
    "gPLink: [LDAP://CN=" GUID_A ",CN=Policies,CN=Sys\n"
    " tem,DC=contoso,DC=com;\n"
    " 0]\n",
    "OU=Web Servers,OU=Servers,DC=contoso,DC=com", 1, GUID_A, NULL, 1 },
  { "break inside the attribute name",
    OU_HEAD "gPLi\n"
            " nk: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;0]\n",
    "OU=Servers,DC=contoso,DC=com", 1, GUID_A, NULL, 1 },
  { "continuation of a comment",
    "# a comment that goes on\n"
    "  and on: over two lines\n" OU_HEAD "gPLink: [LDAP://cn=" GUID_A
    ",cn=policies,cn=system,DC=contoso,DC=com;0]\n"
    "# trailing comment\n"
    " still comment\n",
    "OU=Servers,DC=contoso,DC=com", 1, GUID_A, NULL, 3 },
};

static void
test_folded_lines(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(fold_cases); i++) {
    const FoldCase *c = &fold_cases[i];
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(c->ldif, diags);
    const GpSom *som = gp_model_find_som(model, c->dn);

    printf("\n  case: %s", c->name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(som);
    CU_ASSERT_EQUAL(som->kind, GP_SOM_OU);
    CU_ASSERT_EQUAL(som->links->len, c->n_links);
    CU_ASSERT_EQUAL(som->line, c->line);
    GP_ASSERT_STR(som_link(som, 1) ? som_link(som, 1)->gpo_guid : NULL, c->order1_guid);
    if (c->order2_guid != NULL)
      GP_ASSERT_STR(som_link(som, 2) ? som_link(som, 2)->gpo_guid : NULL, c->order2_guid);
    CU_ASSERT_EQUAL(count_warnings(diags), 0);
  }
}

/* The folded DN keeps the words on both sides of the break. */
static void
test_folded_dn_name(void)
{
  g_autoptr(GpModel) model = load_ok(fold_cases[1].ldif, NULL);
  const GpSom *som = gp_model_find_som(model, fold_cases[1].dn);

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  GP_ASSERT_STR(som->name, "Web Servers");
  GP_ASSERT_STR(som->dn, "OU=Web Servers,OU=Servers,DC=contoso,DC=com");
  GP_ASSERT_STR(som->file, FILE_NAME);
}

/* ----------------------------------------------------------------- base64 */

static void
test_base64_values(void)
{
  const char *dn = "OU=Ao\xc3\xbbt,DC=contoso,DC=com";
  const char *gplink = "[LDAP://cn=" GUID_B ",cn=policies,cn=system,DC=contoso,DC=com;2]";
  g_autofree char *dn64 = g_base64_encode((const guchar *)dn, strlen(dn));
  g_autofree char *link64 = g_base64_encode((const guchar *)gplink, strlen(gplink));
  g_autofree char *text
      = g_strdup_printf("dn:: %s\nobjectClass: organizationalUnit\n"
                        "gPLink:: %s\n\n" GPC_HEAD "displayName:: U3RyYXTDqWdpZSBBb8O7dA==\n",
                        dn64, link64);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpSom *som = gp_model_find_som(model, dn);
  const GpGpo *gpo
      = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  GP_ASSERT_STR(som->name, "Ao\xc3\xbbt");
  GP_ASSERT_STR(som->gplink_raw, gplink);
  CU_ASSERT_EQUAL(som->links->len, 1);
  GP_ASSERT_STR(som_link(som, 1) ? som_link(som, 1)->gpo_guid : NULL, GUID_B);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->display_name, "Strat\xc3\xa9gie Ao\xc3\xbbt");
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
}

/* A gPLink of a single space (GPMC's "no links") must be base64 in LDIF. */
static void
test_base64_space_gplink(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(OU_HEAD "gPLink:: IA==\ngPOptions: 1\n", diags);
  const GpSom *som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  GP_ASSERT_STR(som->gplink_raw, " ");
  CU_ASSERT_EQUAL(som->links->len, 0);
  CU_ASSERT_EQUAL(som->gp_options, GP_SOM_BLOCK_INHERITANCE);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
}

typedef struct {
  const char *line;
  const char *what;
} BadValueCase;

static const BadValueCase bad_base64_cases[] = {
  { "displayName:: U3RyYXTDqWdpZSBBb8O7dA=", "length not a multiple of 4" },
  { "displayName:: U3Ry$XTDqWdpZSBBb8O7dA==", "character outside the alphabet" },
  { "displayName:: U3Ry YXTD", "blank inside" },
  { "displayName:: ====", "padding only" },
  { "displayName:: U3==RyYX", "padding in the middle" },
  { "displayName:: U3RyY===", "three padding characters" },
  { "displayName:< file:///etc/passwd", "URL value" },
  { "displayName:: //79", "bytes that are not UTF-8" },
};

static void
test_bad_base64_skips_attribute(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad_base64_cases); i++) {
    const BadValueCase *c = &bad_base64_cases[i];
    g_autofree char *text = g_strdup_printf(GPC_HEAD "%s\nflags: 1\n", c->line);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);
    const GpGpo *gpo
        = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");

    printf("\n  case: %s", c->what);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
    CU_ASSERT_PTR_NULL(gpo->display_name);
    CU_ASSERT_EQUAL(gpo->flags, 1);
    CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "displayName", 5), 1);
    CU_ASSERT_EQUAL(diags->len, 1);
  }
}

/* -------------------------------------------------------------- objectSid */

typedef struct {
  const char *line;
  const char *sid; /* NULL: no principal, one warning */
} SidCase;

static const SidCase sid_cases[] = {
  { "objectSid: S-1-5-21-1111-2222-3333-1105", "S-1-5-21-1111-2222-3333-1105" },
  { "objectSid:: " ALICE_SID_BASE64, "S-1-5-21-1111-2222-3333-1105" },
  { "objectSid;binary:: " ALICE_SID_BASE64, "S-1-5-21-1111-2222-3333-1105" },
  { "OBJECTSID:: " ALICE_SID_BASE64, "S-1-5-21-1111-2222-3333-1105" },
  { "objectSid:: AQEAAAAAAAU=", NULL },     /* claims one sub-authority, has none */
  { "objectSid: S-1-5-21-abc", NULL },      /* text that is not a SID */
  { "objectSid:: AQUAAAAAAAUVAAAA", NULL }, /* cut short */
};

static void
test_object_sid_forms(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sid_cases); i++) {
    const SidCase *c = &sid_cases[i];
    g_autofree char *text
        = g_strdup_printf("dn: CN=Alice,OU=Staff,DC=contoso,DC=com\nobjectClass: top\n"
                          "objectClass: person\nobjectClass: organizationalPerson\n"
                          "objectClass: user\nsAMAccountName: alice\n%s\n",
                          c->line);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);

    printf("\n  case: %s", c->line);
    if (c->sid != NULL) {
      GP_ASSERT_STR(gp_model_principal_name(model, c->sid), "CONTOSO\\alice");
      GP_ASSERT_STR(gp_model_principal_sid(model, "CONTOSO\\alice"), c->sid);
      CU_ASSERT_EQUAL(diags->len, 0);
    } else {
      CU_ASSERT_PTR_NULL(gp_model_principal_sid(model, "alice"));
      CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "objectSid", 7), 1);
    }
  }
}

/* ---------------------------------------------------- ldapsearch and ldifde */

static const char ldapsearch_output[]
    = "# extended LDIF\n"
      "#\n"
      "# LDAPv3\n"
      "# base <DC=contoso,DC=com> with scope subtree\n"
      "# filter: (|(objectClass=domainDNS)(objectClass=organizationalUnit))\n"
      "# requesting: ALL\n"
      "#\n"
      "\n"
      "version: 1\n"
      "\n"
      "# contoso.com\n"
      "dn: DC=contoso,DC=com\n"
      "objectClass: top\n"
      "objectClass: domain\n"
      "objectClass: domainDNS\n"
      "gPLink: [LDAP://CN=" DDP_GUID ",CN=Policies,CN=System,DC=contoso,DC=com;0]\n"
      "objectSid: " CONTOSO_SID "\n"
      "\n"
      "# Servers, contoso.com\n"
      "dn: OU=Servers,DC=contoso,DC=com\n"
      "objectClass: top\n"
      "objectClass: organizationalUnit\n"
      "ou: Servers\n"
      "gPLink: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;2]\n"
      "gPOptions: 1\n"
      "\n"
      "# search reference\n"
      "ref: ldap://ForestDnsZones.contoso.com/DC=ForestDnsZones,DC=contoso,DC=com\n"
      "\n"
      "# search result\n"
      "search: 2\n"
      "result: 0 Success\n"
      "\n"
      "# numResponses: 4\n"
      "# numEntries: 2\n"
      "# numReferences: 1\n";

static void
test_ldapsearch_comments_and_trailers(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(ldapsearch_output, diags);
  const GpSom *domain = gp_model_find_som(model, "DC=contoso,DC=com");
  const GpSom *ou = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");
  const GpDomain *record = gp_model_find_domain(model, "dc=CONTOSO,dc=COM");

  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ou);
  CU_ASSERT_PTR_NOT_NULL_FATAL(record);
  CU_ASSERT_EQUAL(domain->kind, GP_SOM_DOMAIN);
  GP_ASSERT_STR(domain->name, "contoso.com");
  CU_ASSERT_EQUAL(domain->line, 12);
  GP_ASSERT_STR(som_link(domain, 1) ? som_link(domain, 1)->gpo_guid : NULL, DDP_GUID);
  GP_ASSERT_STR(record->dns_name, "contoso.com");
  GP_ASSERT_STR(record->sid, CONTOSO_SID);
  CU_ASSERT_PTR_NULL(record->netbios_name);
  CU_ASSERT_EQUAL(ou->gp_options, GP_SOM_BLOCK_INHERITANCE);
  CU_ASSERT_EQUAL(som_link(ou, 1) ? som_link(ou, 1)->options : 0, GP_LINK_ENFORCED);
  CU_ASSERT_EQUAL(gp_model_soms(model)->len, 2);
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_ldapsearch_failed_result(void)
{
  const char *text = OU_HEAD "\n"
                             "# search result\n"
                             "search: 2\n"
                             "result: 4 Size limit exceeded\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);

  CU_ASSERT_PTR_NOT_NULL(gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com"));
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "Size limit exceeded", 7), 1);
}

typedef struct {
  const char *first_line;
  guint warnings;
} VersionCase;

static const VersionCase version_cases[] = {
  { "version: 1\n", 0 },
  { "version:1\n", 0 },
  { "version: 2\n", 1 },
};

static void
test_version_line(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(version_cases); i++) {
    g_autofree char *text = g_strconcat(version_cases[i].first_line, OU_HEAD, NULL);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);
    const GpSom *som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");

    CU_ASSERT_PTR_NOT_NULL_FATAL(som);
    CU_ASSERT_EQUAL(som->line, 2);
    CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "version", 1),
                    version_cases[i].warnings);
  }
}

static void
test_ldifde_changetype(void)
{
  const char *text = "dn: OU=Servers,DC=contoso,DC=com\n"
                     "changetype: add\n"
                     "objectClass: organizationalUnit\n"
                     "gPLink: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;0]\n"
                     "\n"
                     "dn: OU=Old,DC=contoso,DC=com\n"
                     "changetype: modify\n"
                     "replace: gPLink\n"
                     "gPLink: [LDAP://cn=" GUID_B ",cn=policies,cn=system,DC=contoso,DC=com;0]\n"
                     "-\n"
                     "\n"
                     "dn: OU=Gone,DC=contoso,DC=com\n"
                     "changetype: delete\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpSom *som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  CU_ASSERT_EQUAL(som->links->len, 1);
  CU_ASSERT_PTR_NULL(gp_model_find_som(model, "OU=Old,DC=contoso,DC=com"));
  CU_ASSERT_PTR_NULL(gp_model_find_som(model, "OU=Gone,DC=contoso,DC=com"));
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "'modify'", 7), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "'delete'", 13), 1);
  CU_ASSERT_EQUAL(diags->len, 2);
}

/* ---------------------------------------------------------- line endings */

typedef struct {
  const char *name;
  const char *eol;
} EolCase;

static const EolCase eol_cases[] = {
  { "LF", "\n" },
  { "CRLF", "\r\n" },
};

static void
test_line_endings(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(eol_cases); i++) {
    g_autofree char *text = replace_all(fold_cases[0].ldif, "\n", eol_cases[i].eol);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);
    const GpSom *som = gp_model_find_som(model, fold_cases[0].dn);

    printf("\n  case: %s", eol_cases[i].name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(som);
    CU_ASSERT_EQUAL(som->links->len, 2);
    GP_ASSERT_STR(som_link(som, 2) ? som_link(som, 2)->gpo_dn : NULL,
                  "cn=" GUID_B ",cn=policies,cn=system,DC=contoso,DC=com");
    CU_ASSERT_PTR_NULL(strchr(som->gplink_raw, '\r'));
    CU_ASSERT_EQUAL(count_warnings(diags), 0);
  }
}

/* ldifde -u writes UTF-16LE with a BOM. */
static void
test_utf16_input(void)
{
  const char *text = "dn: OU=R\xc3\xa9seau,DC=contoso,DC=com\r\n"
                     "objectClass: organizationalUnit\r\n"
                     "gPOptions: 1\r\n";
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *utf16 = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &len, &error);
  g_autofree char *bytes = g_malloc(len + 2);
  g_autoptr(GpModel) model = gp_model_new();
  const GpSom *som;

  CU_ASSERT_PTR_NOT_NULL_FATAL(utf16);
  bytes[0] = '\xff';
  bytes[1] = '\xfe';
  memcpy(bytes + 2, utf16, len);
  CU_ASSERT_TRUE(gp_ldif_load_from_data(bytes, len + 2, FILE_NAME, model, NULL, &error));
  CU_ASSERT_PTR_NULL(error);
  som = gp_model_find_som(model, "OU=R\xc3\xa9seau,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  GP_ASSERT_STR(som->name, "R\xc3\xa9seau");
  CU_ASSERT_EQUAL(som->gp_options, 1);
}

/* ------------------------------------------------------------- merging */

static void
test_merge_two_files(void)
{
  const char *first
      = OU_HEAD "gPLink: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;0]\n"
                "\n" GPC_HEAD "displayName: Baseline\n";
  const char *second = "dn: ou=SERVERS,dc=Contoso,dc=COM\n"
                       "objectClass: organizationalUnit\n"
                       "gPOptions: 1\n"
                       "\n"
                       "dn: cn=" GUID_A ",cn=policies,cn=system,dc=contoso,dc=com\n"
                       "objectClass: groupPolicyContainer\n"
                       "versionNumber: 65537\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = gp_model_new();
  const GpSom *som;
  const GpGpo *gpo;

  CU_ASSERT_TRUE(gp_ldif_load_from_data(first, strlen(first), "a.ldif", model, diags, NULL));
  CU_ASSERT_TRUE(gp_ldif_load_from_data(second, strlen(second), "b.ldif", model, diags, NULL));
  som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");
  gpo = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_EQUAL(count_soms(model, GP_SOM_OU), 1);
  CU_ASSERT_EQUAL(som->links->len, 1);
  CU_ASSERT_EQUAL(som->gp_options, GP_SOM_BLOCK_INHERITANCE);
  GP_ASSERT_STR(som->file, "a.ldif"); /* where the links came from */
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 1);
  GP_ASSERT_STR(gpo->display_name, "Baseline");
  CU_ASSERT_EQUAL(gpo->version_number, 65537);
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
}

/* ----------------------------------------------------------- Samba sample */

static char *
samba_template(void)
{
  g_autofree char *path = gp_test_sample("ldif/samba_provision_group_policy.ldif");
  g_autofree char *raw = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  if (path == NULL)
    return NULL;
  raw = gp_test_read(path, NULL);
  if (raw == NULL)
    return NULL;
  /* The same values Samba's provision would fill in; the DC GUID as Windows
   * often writes it, with a lower-case 'f'. */
  a = replace_all(raw, "${POLICYGUID}", "31B2F340-016D-11D2-945F-00C04FB984F9");
  b = replace_all(a, "${POLICYGUID_DC}", "6AC1786C-016F-11D2-945F-00C04fB984F9");
  c = replace_all(b, "${DOMAINDN}", "DC=samdom,DC=example,DC=com");
  return replace_all(c, "${DNSDOMAIN}", "samdom.example.com");
}

static void
test_samba_sample(void)
{
  g_autofree char *text = samba_template();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = NULL;
  const GpGpo *ddp;
  const GpGpo *ddcp;

  if (text == NULL)
    return;
  model = load_ok(text, diags);
  ddp = gp_model_find_gpo_dn(model, "CN=" DDP_GUID ",CN=Policies,CN=System,DC=samdom,DC=example,"
                                    "DC=com");
  ddcp = gp_model_find_gpo_dn(model, "cn=" DDCP_GUID ",cn=policies,cn=system,dc=samdom,"
                                     "dc=example,dc=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(ddp);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ddcp);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 2);
  GP_ASSERT_STR(ddp->guid, DDP_GUID);
  GP_ASSERT_STR(ddp->display_name, "Default Domain Policy");
  CU_ASSERT_TRUE(ddp->in_directory);
  CU_ASSERT_EQUAL(ddp->flags, 0);
  CU_ASSERT_EQUAL(ddp->version_number, 0);
  CU_ASSERT_TRUE(ddp->has_functionality_version);
  CU_ASSERT_EQUAL(ddp->functionality_version, 2);
  GP_ASSERT_STR(ddp->file_sys_path,
                "\\\\samdom.example.com\\sysvol\\samdom.example.com\\Policies\\" DDP_GUID);
  GP_ASSERT_STR(ddp->machine_extension_names,
                "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"
                "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
                "[{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]");
  CU_ASSERT_TRUE(gp_gpo_has_security_cse(ddp));
  CU_ASSERT_EQUAL(ddp->line, 1);
  GP_ASSERT_STR(ddp->file, FILE_NAME);
  GP_ASSERT_STR(ddcp->guid, DDCP_GUID);
  GP_ASSERT_STR(ddcp->display_name, "Default Domain Controllers Policy");
  CU_ASSERT_EQUAL(ddcp->line, 32);
  CU_ASSERT_TRUE(gp_gpo_has_security_cse(ddcp));
  CU_ASSERT_EQUAL(count_warnings(diags), 0);
  /* The CN=User and CN=Machine children are containers gpsim does not use. */
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE,
                              "skipped 4 records of classes not used yet: "
                              "container(4)",
                              0),
                  1);
}

/* ---------------------------------------------------------- object classes */

static const char ignored_classes_ldif[]
    = "dn: CN=Policies,CN=System,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: container\n\n"
      "dn: CN=Default Domain,CN=System,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: classStore\n\n"
      "dn: CN=User,"
      "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: container\n\n"
      "dn: CN=NTDS Site Settings,CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: nTDSSiteSettings\n\n"
      "dn: CN=Other,CN=System,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: CLASSSTORE\n\n"
      "dn: CN=NoClass,DC=contoso,DC=com\n"
      "description: ldapsearch asked for other attributes\n\n"
      "dn: CN=S-1-5-11,CN=ForeignSecurityPrincipals,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: foreignSecurityPrincipal\nobjectSid: S-1-5-11\n\n"
      "dn: CN=Machine,"
      "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: container\n\n" OU_HEAD;

static void
test_ignored_classes_note(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(ignored_classes_ldif, diags);
  const GpDiagnostic *note;

  CU_ASSERT_PTR_NOT_NULL(gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com"));
  CU_ASSERT_EQUAL_FATAL(diags->len, 1);
  note = diags->pdata[0];
  CU_ASSERT_EQUAL(note->severity, GP_SEVERITY_NOTE);
  CU_ASSERT_EQUAL(note->line, 0);
  GP_ASSERT_STR(note->file, FILE_NAME);
  GP_ASSERT_STR(note->message, "skipped 8 records of classes not used yet: container(3), "
                               "classStore(2), nTDSSiteSettings(1), (no objectClass)(1), "
                               "foreignSecurityPrincipal(1)");
  CU_ASSERT_PTR_NULL(gp_model_principal_name(model, "S-1-5-11"));
}

static void
test_no_note_when_everything_used(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(ldapsearch_output, diags);

  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, NULL, 0), 0);
}

static void
test_container_with_gplink_warns(void)
{
  const char *text = "dn: CN=Computers,DC=contoso,DC=com\n"
                     "objectClass: top\n"
                     "objectClass: container\n"
                     "gPLink: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;0]\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);

  CU_ASSERT_PTR_NULL(gp_model_find_som(model, "CN=Computers,DC=contoso,DC=com"));
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "container", 4), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_NOTE, "container(1)", 0), 1);
}

static void
test_site_and_gpc_without_guid(void)
{
  const char *text = "dn: CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=contoso,DC=com\n"
                     "objectClass: top\n"
                     "objectClass: site\n"
                     "cn: Default-First-Site-Name\n"
                     "gPLink: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;1]\n"
                     "\n"
                     "dn: CN=NotAGuid,CN=Policies,CN=System,DC=contoso,DC=com\n"
                     "objectClass: groupPolicyContainer\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpSom *site = gp_model_find_site(model, "default-first-site-name");

  CU_ASSERT_PTR_NOT_NULL_FATAL(site);
  CU_ASSERT_EQUAL(site->kind, GP_SOM_SITE);
  GP_ASSERT_STR(site->name, "Default-First-Site-Name");
  CU_ASSERT_EQUAL(som_link(site, 1) ? som_link(site, 1)->options : 0, GP_LINK_DISABLED);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "NotAGuid", 7), 1);
  CU_ASSERT_EQUAL(diags->len, 1);
}

/* ------------------------------------------------------------- computers */

static const char computer_ldif[] = "dn: CN=WEB01,OU=Servers,DC=contoso,DC=com\n"
                                    "%s"
                                    "cn: WEB01\n"
                                    "sAMAccountName: WEB01$\n"
                                    "dNSHostName: web01.contoso.com\n"
                                    "operatingSystem: Windows Server 2022 Datacenter\n"
                                    "userAccountControl: 4096\n"
                                    "primaryGroupID: 515\n"
                                    "objectSid:: " ALICE_SID_BASE64 "\n"
                                    "memberOf: CN=Web Servers,OU=Groups,DC=contoso,DC=com\n"
                                    "memberOf: CN=Tier1,OU=Groups,DC=contoso,DC=com\n"
                                    "memberOf: cn=web servers, ou=groups, dc=contoso, dc=com\n";

/* objectClass in hierarchy order (AD, Samba) and sorted (some tools). */
static const char *const computer_classes[] = {
  "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
  "objectClass: user\nobjectClass: computer\n",
  "objectClass: computer\nobjectClass: organizationalPerson\nobjectClass: person\n"
  "objectClass: top\nobjectClass: user\n",
};

static void
test_computer_record(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(computer_classes); i++) {
    g_autofree char *text = g_strdup_printf(computer_ldif, computer_classes[i]);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);
    g_autoptr(GPtrArray) found = gp_model_find_computers(model, "web01.CONTOSO.com");
    const GpComputer *c;

    CU_ASSERT_EQUAL_FATAL(found->len, 1);
    c = found->pdata[0];
    GP_ASSERT_STR(c->cn, "WEB01");
    GP_ASSERT_STR(c->sam_account_name, "WEB01$");
    GP_ASSERT_STR(c->operating_system, "Windows Server 2022 Datacenter");
    CU_ASSERT_TRUE(c->has_user_account_control);
    CU_ASSERT_EQUAL(c->user_account_control, 4096);
    CU_ASSERT_EQUAL(c->primary_group_id, 515);
    GP_ASSERT_STR(c->sid, "S-1-5-21-1111-2222-3333-1105");
    CU_ASSERT_EQUAL_FATAL(c->member_of->len, 2);
    GP_ASSERT_STR(c->member_of->pdata[1], "CN=Tier1,OU=Groups,DC=contoso,DC=com");
    CU_ASSERT_EQUAL(c->line, 1);
    GP_ASSERT_STR(gp_model_principal_name(model, c->sid), "CONTOSO\\WEB01$");
    CU_ASSERT_EQUAL(gp_model_computers(model)->len, 1);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

/* Without a cn attribute the computer is named after its first RDN. */
static void
test_computer_without_cn(void)
{
  const char *text = "dn: CN=FILE02,CN=Computers,DC=contoso,DC=com\n"
                     "objectClass: computer\n"
                     "objectSid: S-1-5-21-1111-2222-3333-2001\n";
  g_autoptr(GpModel) model = load_ok(text, NULL);
  g_autoptr(GPtrArray) found = gp_model_find_computers(model, "file02");

  CU_ASSERT_EQUAL_FATAL(found->len, 1);
  GP_ASSERT_STR(((const GpComputer *)found->pdata[0])->cn, "FILE02");
  CU_ASSERT_FALSE(((const GpComputer *)found->pdata[0])->has_user_account_control);
  /* No sAMAccountName: no name to give the SID. */
  CU_ASSERT_PTR_NULL(gp_model_principal_name(model, "S-1-5-21-1111-2222-3333-2001"));
}

typedef struct {
  const char *value;
  gboolean valid;
  guint32 expected;
} UacCase;

static const UacCase uac_cases[] = {
  { "4096", TRUE, 4096u },
  { "-2147479552", TRUE, 0x80001000u }, /* high bit printed as signed */
  { "4294967295", TRUE, 4294967295u },
  { "0", TRUE, 0u },
  { "4294967296", FALSE, 0u },
  { "-2147483649", FALSE, 0u },
  { "12abc", FALSE, 0u },
  { "0x1000", FALSE, 0u },
  { "", FALSE, 0u },
};

static void
test_user_account_control_values(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(uac_cases); i++) {
    const UacCase *c = &uac_cases[i];
    g_autofree char *text = g_strdup_printf("dn: CN=WEB01,DC=contoso,DC=com\n"
                                            "objectClass: computer\n"
                                            "userAccountControl: %s\n",
                                            c->value);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);
    g_autoptr(GPtrArray) found = gp_model_find_computers(model, "WEB01");
    const GpComputer *computer;

    printf("\n  case: '%s'", c->value);
    CU_ASSERT_EQUAL_FATAL(found->len, 1);
    computer = found->pdata[0];
    CU_ASSERT_EQUAL(computer->has_user_account_control, c->valid);
    CU_ASSERT_EQUAL(computer->user_account_control, c->expected);
    CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "userAccountControl", 3),
                    c->valid ? 0 : 1);
  }
}

typedef struct {
  const char *line;
  const char *attribute;
} BadIntegerCase;

static const BadIntegerCase bad_integer_cases[] = {
  { "flags: abc", "flags" },
  { "flags: 1.5", "flags" },
  { "versionNumber: 4294967296", "versionNumber" },
  { "gPCFunctionalityVersion: 2x", "gPCFunctionalityVersion" },
  { "gPCFunctionalityVersion: 99999999999", "gPCFunctionalityVersion" },
};

/* A bad number is reported on its line and leaves the field as it was. */
static void
test_bad_integers(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad_integer_cases); i++) {
    const BadIntegerCase *c = &bad_integer_cases[i];
    g_autofree char *text
        = g_strdup_printf(GPC_HEAD "flags: 2\nversionNumber: 7\n"
                                   "gPCFunctionalityVersion: 2\n\n" GPC_HEAD "%s\n",
                          c->line);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);
    const GpGpo *gpo
        = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");

    printf("\n  case: %s", c->line);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
    CU_ASSERT_EQUAL(gpo->flags, 2);
    CU_ASSERT_EQUAL(gpo->version_number, 7);
    CU_ASSERT_EQUAL(gpo->functionality_version, 2);
    CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, c->attribute, 13), 1);
    CU_ASSERT_EQUAL(diags->len, 1);
  }
}

static void
test_bad_gpoptions(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(OU_HEAD "gPOptions: yes\n", diags);
  const GpSom *som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  CU_ASSERT_EQUAL(som->gp_options, 0);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "gPOptions", 4), 1);
}

/* ------------------------------------------------------------- principals */

static const char principals_ldif[]
    = "dn: CN=Bob,OU=Staff,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
      "objectClass: user\n"
      "sAMAccountName: bob\n"
      "objectSid: S-1-5-21-1111-2222-3333-1106\n"
      "\n"
      "dn: CN=Web Admins,OU=Groups,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: group\n"
      "sAMAccountName: Web Admins\n"
      "objectSid: S-1-5-21-1111-2222-3333-1107\n"
      "\n"
      "dn: CN=Administrators,CN=Builtin,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: group\n"
      "sAMAccountName: Administrators\n"
      "objectSid: S-1-5-32-544\n"
      "\n"
      "dn: CN=web-gmsa,CN=Managed Service Accounts,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
      "objectClass: user\nobjectClass: computer\nobjectClass: msDS-GroupManagedServiceAccount\n"
      "sAMAccountName: web-gmsa$\n"
      "objectSid: S-1-5-21-1111-2222-3333-1108\n"
      "%s";

static const char contoso_cross_ref[]
    = "\n"
      "dn: CN=CONTOSO,CN=Partitions,CN=Configuration,DC=contoso,DC=com\n"
      "objectClass: top\n"
      "objectClass: crossRef\n"
      "nCName: DC=contoso,DC=com\n"
      "nETBIOSName: CORP\n"
      "dnsRoot: contoso.com\n";

typedef struct {
  const char *name;
  const char *tail;
  const char *netbios;
} PrincipalCase;

static const PrincipalCase principal_cases[] = {
  { "no crossRef: first DC label", "", "CONTOSO" },
  { "crossRef after the users", contoso_cross_ref, "CORP" },
};

static void
test_principals(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(principal_cases); i++) {
    const PrincipalCase *c = &principal_cases[i];
    g_autofree char *text = g_strdup_printf(principals_ldif, c->tail);
    g_autofree char *bob = g_strdup_printf("%s\\bob", c->netbios);
    g_autofree char *admins = g_strdup_printf("%s\\Web Admins", c->netbios);
    g_autofree char *gmsa = g_strdup_printf("%s\\web-gmsa$", c->netbios);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(text, diags);

    printf("\n  case: %s", c->name);
    GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-21-1111-2222-3333-1106"), bob);
    GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-21-1111-2222-3333-1107"), admins);
    GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-32-544"), "BUILTIN\\Administrators");
    GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-21-1111-2222-3333-1108"), gmsa);
    /* A gMSA is not a machine that applies policy. */
    CU_ASSERT_EQUAL(gp_model_computers(model)->len, 0);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

/* Users and managed service accounts fill a GpUser (for the tokens of
 * accounts); computers do not, and keep their own record. */
static const char users_ldif[]
    = "dn: CN=Alice,OU=Staff,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
      "objectClass: user\n"
      "sAMAccountName: alice\n"
      "objectSid:: " ALICE_SID_BASE64 "\n"
      "primaryGroupID: 513\n"
      "memberOf: CN=Web Admins,OU=Groups,DC=contoso,DC=com\n"
      "memberOf: CN=Tier1,OU=Groups,DC=contoso,DC=com\n"
      "\n"
      "dn: CN=web-gmsa,CN=Managed Service Accounts,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
      "objectClass: user\nobjectClass: computer\nobjectClass: msDS-GroupManagedServiceAccount\n"
      "sAMAccountName: web-gmsa$\n"
      "objectSid: S-1-5-21-1111-2222-3333-1108\n"
      "primaryGroupID: 515\n"
      "memberOf: CN=Web Admins,OU=Groups,DC=contoso,DC=com\n"
      "\n"
      "dn: CN=WEB01,OU=Servers,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: user\nobjectClass: computer\n"
      "sAMAccountName: WEB01$\n"
      "objectSid: S-1-5-21-1111-2222-3333-1109\n"
      "\n"
      "dn: CN=Web Admins,OU=Groups,DC=contoso,DC=com\n"
      "objectClass: top\nobjectClass: group\n"
      "sAMAccountName: Web Admins\n"
      "objectSid: S-1-5-21-1111-2222-3333-1107\n";

static void
test_users_for_tokens(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(users_ldif, diags);
  const GpUser *alice = gp_model_find_user_sid(model, "s-1-5-21-1111-2222-3333-1105");
  const GpUser *gmsa = gp_model_find_user_sid(model, "S-1-5-21-1111-2222-3333-1108");

  CU_ASSERT_EQUAL(gp_model_users(model)->len, 2);
  CU_ASSERT_PTR_NOT_NULL_FATAL(alice);
  GP_ASSERT_STR(alice->dn, "CN=Alice,OU=Staff,DC=contoso,DC=com");
  GP_ASSERT_STR(alice->name, "alice");
  CU_ASSERT_EQUAL(alice->primary_group_id, 513);
  CU_ASSERT_EQUAL_FATAL(alice->member_of->len, 2);
  GP_ASSERT_STR(alice->member_of->pdata[0], "CN=Web Admins,OU=Groups,DC=contoso,DC=com");
  GP_ASSERT_STR(alice->member_of->pdata[1], "CN=Tier1,OU=Groups,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(gmsa);
  GP_ASSERT_STR(gmsa->name, "web-gmsa$");
  CU_ASSERT_EQUAL(gmsa->primary_group_id, 515);
  CU_ASSERT_EQUAL(gmsa->member_of->len, 1);
  /* the principal directory still names them */
  GP_ASSERT_STR(gp_model_principal_name(model, alice->sid), "CONTOSO\\alice");
  CU_ASSERT_PTR_NULL(gp_model_find_user_sid(model, "S-1-5-21-1111-2222-3333-1109"));
  CU_ASSERT_EQUAL(gp_model_computers(model)->len, 1);
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_cross_ref_sets_netbios_name(void)
{
  g_autofree char *text = g_strconcat(ldapsearch_output, contoso_cross_ref, NULL);
  g_autoptr(GpModel) model = load_ok(text, NULL);
  const GpDomain *domain = gp_model_find_domain(model, "DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  GP_ASSERT_STR(domain->netbios_name, "CORP");
  GP_ASSERT_STR(domain->sid, CONTOSO_SID);
  CU_ASSERT_EQUAL(gp_model_domains(model)->len, 1);
}

/* -------------------------------------------------------- leniency, misc */

/* Attribute names in any case, options stripped, FILL spaces after ':' dropped. */
static void
test_attribute_names_any_case(void)
{
  const char *text
      = "DN:   OU=Servers,DC=contoso,DC=com\n"
        "OBJECTCLASS: TOP\n"
        "objectclass: ORGANIZATIONALUNIT\n"
        "GPLINK;lang-en:    [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=com;0]\n"
        "gpoptions: 1\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpSom *som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  GP_ASSERT_STR(som->dn, "OU=Servers,DC=contoso,DC=com");
  CU_ASSERT_EQUAL(som->kind, GP_SOM_OU);
  CU_ASSERT_EQUAL(som->links->len, 1);
  CU_ASSERT_EQUAL(som->gp_options, 1);
  CU_ASSERT_EQUAL(diags->len, 0);
}

/* Several blank lines, blank lines made of spaces, no final newline. */
static void
test_blank_line_variants(void)
{
  const char *text = "\n\n" OU_HEAD "\n  \n\t\n\n" GPC_HEAD "displayName: Last";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpGpo *gpo
      = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL(gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com"));
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->display_name, "Last");
  CU_ASSERT_EQUAL(gpo->line, 10);
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_empty_input(void)
{
  static const char *const texts[] = { "", "\n\n", "# only a comment\n", "version: 1\n" };

  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = load_ok(texts[i], diags);

    CU_ASSERT_EQUAL(gp_model_soms(model)->len, 0);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

static void
test_over_long_lines(void)
{
  g_autofree char *value = g_strnfill(1024 * 1024 + 1, 'x');
  g_autofree char *attribute = g_strdup_printf(OU_HEAD "description: %s\ngPOptions: 1\n", value);
  g_autofree char *dn = g_strdup_printf("dn: OU=%s,DC=contoso,DC=com\n"
                                        "objectClass: organizationalUnit\n\n" OU_HEAD,
                                        value);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(attribute, diags);
  g_autoptr(GpModel) model2 = load_ok(dn, diags);
  const GpSom *som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  CU_ASSERT_EQUAL(som->gp_options, 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "attribute skipped", 4), 1);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "record skipped", 1), 1);
  CU_ASSERT_EQUAL(gp_model_soms(model2)->len, 1);
}

static void
test_load_file(void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp("gpsim-ldif-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GpModel) model = gp_model_new();
  const GpSom *som;

  CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
  path = g_build_filename(dir, "export.ldif", NULL);
  missing = g_build_filename(dir, "missing.ldif", NULL);
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, ldapsearch_output, -1, &error));
  CU_ASSERT_TRUE(gp_ldif_load_file(path, model, NULL, &error));
  som = gp_model_find_som(model, "OU=Servers,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  GP_ASSERT_STR(som->file, path);
  CU_ASSERT_FALSE(gp_ldif_load_file(missing, model, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_IO));
  CU_ASSERT_PTR_NOT_NULL(error ? strstr(error->message, missing) : NULL);
  g_unlink(path);
  g_rmdir(dir);
}

/* -------------------------------------------------------------- bad input */

typedef struct {
  const char *name;
  const char *text;
  guint line;
  const char *what; /* part of the message */
} SyntaxCase;

static const SyntaxCase syntax_cases[] = {
  { "no dn", "objectClass: top\nobjectClass: organizationalUnit\n", 1, "not 'dn:'" },
  { "no dn after a comment", "# comment\n\nou: Servers\n", 3, "not 'dn:'" },
  { "line without colon", OU_HEAD "objectClass organizationalUnit\n", 4, "no ':'" },
  { "ldifde separator outside modify", OU_HEAD "-\n", 4, "no ':'" },
  { "continuation at file start", " OU=Servers,DC=contoso,DC=com\n" OU_HEAD, 1, "starts with" },
  { "continuation after a blank line", OU_HEAD "\n more\n", 5, "blank line" },
  { "dn in bad base64", "dn:: T1U9$$$$\nobjectClass: top\n", 1, "base64" },
  { "dn in base64 of non-UTF-8", "dn:: //79\nobjectClass: top\n", 1, "base64" },
  { "dn as a URL", "dn:< file:///etc/passwd\n", 1, "dn:<" },
  { "two DNs in a record", OU_HEAD "dn: OU=Other,DC=contoso,DC=com\n", 4, "second 'dn:'" },
  { "bad attribute name", OU_HEAD "gP Link: x\n", 4, "not an attribute name" },
  { "empty attribute name", OU_HEAD ": x\n", 4, "not an attribute name" },
  { "error after a good record", OU_HEAD "\n" GPC_HEAD "garbage\n", 9, "no ':'" },
};

static void
test_syntax_errors(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(syntax_cases); i++) {
    const SyntaxCase *c = &syntax_cases[i];
    g_autoptr(GError) error = NULL;
    g_autoptr(GpModel) model = gp_model_new();
    g_autofree char *where = g_strdup_printf(FILE_NAME ":%u: ", c->line);

    printf("\n  case: %s", c->name);
    CU_ASSERT_FALSE(load_text(model, NULL, c->text, &error));
    CU_ASSERT_TRUE_FATAL(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
    CU_ASSERT_TRUE(g_str_has_prefix(error->message, where));
    CU_ASSERT_PTR_NOT_NULL(strstr(error->message, c->what));
    if (!g_str_has_prefix(error->message, where) || strstr(error->message, c->what) == NULL)
      printf("\n  message: %s", error->message);
    /* A file that cannot be loaded leaves the model as it was. */
    CU_ASSERT_EQUAL(gp_model_soms(model)->len, 0);
    CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
  }
}

static const char truncation_source[]
    = "version: 1\n"
      "\n"
      "# contoso.com\n"
      "dn: DC=contoso,DC=com\n"
      "objectClass: top\n"
      "objectClass: domainDNS\n"
      "objectSid:: AQQAAAAAAAUVAAAAVwQAAK4IAAAFDQAA\n"
      "gPLink: [LDAP://CN=" DDP_GUID ",CN=Policies,CN=System,DC=co\n"
      " ntoso,DC=com;0]\n"
      "\n" GPC_HEAD "displayName:: U3RyYXTDqWdpZSBBb8O7dA==\n"
      "versionNumber: 65537\n"
      "\n"
      "search: 2\n"
      "result: 0 Success\n";

/* Cut at every byte: each prefix loads, or fails with a located error; nothing
 * crashes (run under valgrind or ASan to see the difference). */
static void
test_truncated_everywhere(void)
{
  gsize len = strlen(truncation_source);
  guint failures = 0;

  for (gsize cut = 0; cut <= len; cut++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = gp_model_new();
    gboolean ok = gp_ldif_load_from_data(truncation_source, cut, FILE_NAME, model, diags, &error);

    if (ok) {
      CU_ASSERT_PTR_NULL(error);
      continue;
    }
    failures++;
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
    CU_ASSERT_TRUE(error != NULL && g_str_has_prefix(error->message, FILE_NAME ":"));
  }
  /* Cuts inside "objectClass" before its ':' are syntax errors. */
  CU_ASSERT_TRUE(failures > 0);
}

/* A cut inside the last record keeps what came before it. */
static void
test_truncated_mid_record(void)
{
  const char *cut = strstr(truncation_source, "displayName::");
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = gp_model_new();
  gsize len = (gsize)(cut - truncation_source) + strlen("displayName:: U3RyY");
  const GpSom *som;
  const GpDomain *domain;
  const GpGpo *gpo;

  CU_ASSERT_TRUE(gp_ldif_load_from_data(truncation_source, len, FILE_NAME, model, diags, NULL));
  som = gp_model_find_som(model, "DC=contoso,DC=com");
  domain = gp_model_find_domain(model, "DC=contoso,DC=com");
  gpo = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(som);
  CU_ASSERT_PTR_NOT_NULL_FATAL(domain);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_EQUAL(som->links->len, 1);
  GP_ASSERT_STR(domain->sid, CONTOSO_SID);
  CU_ASSERT_PTR_NULL(gpo->display_name);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "base64", 15), 1);
}

/* Random bytes, and random bytes spliced into good LDIF: never a crash, and a
 * failed load always says why. */
static void
test_binary_garbage(void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(2849);
  gsize source_len = strlen(truncation_source);

  for (guint round = 0; round < 400; round++) {
    gsize len = (gsize)g_rand_int_range(rand, 1, 600);
    g_autofree char *bytes = g_malloc(len + source_len);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpModel) model = gp_model_new();
    gsize total = len;

    for (gsize i = 0; i < len; i++)
      bytes[i] = (char)g_rand_int_range(rand, round % 2 ? 1 : 0, 256);
    if (round % 4 == 3) {
      /* Good text with a few bytes overwritten. */
      memcpy(bytes, truncation_source, source_len);
      for (guint k = 0; k < 4; k++)
        bytes[g_rand_int_range(rand, 0, (gint32)source_len)] = (char)g_rand_int_range(rand, 1, 256);
      total = source_len;
    }
    if (!gp_ldif_load_from_data(bytes, total, FILE_NAME, model, diags, &error)) {
      CU_ASSERT_PTR_NOT_NULL_FATAL(error);
      CU_ASSERT_EQUAL(error->domain, GP_LOAD_ERROR);
      CU_ASSERT_TRUE(g_str_has_prefix(error->message, FILE_NAME));
    } else {
      CU_ASSERT_PTR_NULL(error);
    }
  }
}

static void
test_nul_bytes_are_an_encoding_error(void)
{
  static const char bytes[] = "dn: OU=A,DC=x\n\0objectClass: top\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GpModel) model = gp_model_new();

  CU_ASSERT_FALSE(gp_ldif_load_from_data(bytes, sizeof bytes - 1, FILE_NAME, model, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_ENCODING));
}

/* ------------------------------------------- fidelity: groups, WMI, sites */

static void
test_groups_for_tokens(void)
{
  const char *text = "dn: CN=App Servers,OU=Servers,DC=contoso,DC=com\n"
                     "objectClass: top\nobjectClass: group\n"
                     "objectSid: S-1-5-21-1-2-3-1200\nsAMAccountName: App Servers\n"
                     "member: CN=Tier2,OU=Servers,DC=contoso,DC=com\n"
                     "member: CN=WEB01,OU=Servers,DC=contoso,DC=com\n"
                     "memberOf: CN=All Servers,DC=contoso,DC=com\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpGroup *group = gp_model_find_group(model, "cn=app servers,ou=servers,dc=contoso,dc=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(group);
  GP_ASSERT_STR(group->sid, "S-1-5-21-1-2-3-1200");
  GP_ASSERT_STR(group->name, "App Servers");
  CU_ASSERT_EQUAL(group->members->len, 2);
  CU_ASSERT_EQUAL(group->member_of->len, 1);
  CU_ASSERT_PTR_EQUAL(gp_model_find_group_sid(model, "s-1-5-21-1-2-3-1200"), group);
  GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-21-1-2-3-1200"), "CONTOSO\\App Servers");
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_wmi_filter_and_wql_link(void)
{
  const char *text
      = "dn: CN={AAAAAAAA-0000-0000-0000-000000000001},CN=SOM,CN=WMIPolicy,CN=System,"
        "DC=contoso,DC=com\n"
        "objectClass: top\nobjectClass: msWMI-Som\n"
        "msWMI-ID: {aaaaaaaa-0000-0000-0000-000000000001}\n"
        "msWMI-Name: Server 2022 only\n"
        "msWMI-Parm2: 1;3;10;45;WQL;root\\CIMv2;SELECT * FROM Win32_OperatingSystem;\n\n" GPC_HEAD
        "gPCWQLFilter: [contoso.com;{AAAAAAAA-0000-0000-0000-000000000001};0]\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpWmiFilter *filter = gp_model_find_wmi_filter(model, "server 2022 only");
  const GpGpo *gpo
      = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(filter);
  GP_ASSERT_STR(filter->id, "{AAAAAAAA-0000-0000-0000-000000000001}");
  CU_ASSERT_PTR_NOT_NULL(filter->query);
  GP_ASSERT_STR(filter->domain_dn, "DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->wql_filter, "[contoso.com;{AAAAAAAA-0000-0000-0000-000000000001};0]");
}

static void
test_wmi_filter_without_id_warns(void)
{
  const char *text = "dn: CN=Broken,CN=SOM,CN=WMIPolicy,CN=System,DC=contoso,DC=com\n"
                     "objectClass: top\nobjectClass: msWMI-Som\nmsWMI-Name: x\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);

  CU_ASSERT_EQUAL(gp_model_wmi_filters(model)->len, 0);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "msWMI-ID", 1), 1);
}

static void
test_subnets_and_dc_server_site(void)
{
  const char *text = "dn: CN=DC01,OU=Domain Controllers,DC=contoso,DC=com\n"
                     "objectClass: top\nobjectClass: computer\ncn: DC01\n\n"
                     "dn: CN=10.1.0.0/16,CN=Subnets,CN=Sites,CN=Configuration,DC=contoso,DC=com\n"
                     "objectClass: top\nobjectClass: subnet\ncn: 10.1.0.0/16\n"
                     "siteObject: CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com\n\n"
                     "dn: CN=DC01,CN=Servers,CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com\n"
                     "objectClass: top\nobjectClass: server\n"
                     "serverReference: CN=DC01,OU=Domain Controllers,DC=contoso,DC=com\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GPtrArray *subnets = gp_model_subnets(model);
  const GpComputer *dc = g_ptr_array_index(gp_model_computers(model), 0);

  gp_model_complete(model); /* gives server objects' sites to their computers */

  CU_ASSERT_EQUAL_FATAL(subnets->len, 1);
  GP_ASSERT_STR(((GpSubnet *)g_ptr_array_index(subnets, 0))->cidr, "10.1.0.0/16");
  GP_ASSERT_STR(((GpSubnet *)g_ptr_array_index(subnets, 0))->site_dn,
                "CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com");
  GP_ASSERT_STR(dc->site, "HQ");
  CU_ASSERT_EQUAL(diags->len, 0);
}

/* nTSecurityDescriptor as ldbsearch prints it (SDDL, domain aliases resolved with
 * the domain's SID even when the domain record comes later) and as base64. */
static void
test_security_descriptor_sddl(void)
{
  const char *text = GPC_HEAD "nTSecurityDescriptor: O:DAG:DAD:PAI(A;CI;RPLCLORC;;;AU)"
                              "(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;DC)\n\n"
                              "dn: DC=contoso,DC=com\nobjectClass: top\nobjectClass: domainDNS\n"
                              "objectSid: S-1-5-21-1-2-3\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpGpo *gpo
      = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");
  const GpAce *apply;

  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->security_descriptor);
  CU_ASSERT_EQUAL_FATAL(gpo->security_descriptor->dacl->len, 2);
  apply = g_ptr_array_index(gpo->security_descriptor->dacl, 1);
  GP_ASSERT_STR(apply->sid, "S-1-5-21-1-2-3-515");
  GP_ASSERT_STR(apply->object_type, GP_APPLY_GROUP_POLICY_GUID);
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_security_descriptor_bad_is_a_warning(void)
{
  const char *text = GPC_HEAD "nTSecurityDescriptor: D:(A;;ZZ;;;AU)\n"
                              "gPCFunctionalityVersion: 2\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpGpo *gpo
      = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");

  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_PTR_NULL(gpo->security_descriptor);
  CU_ASSERT_EQUAL(count_diags(diags, GP_SEVERITY_WARNING, "nTSecurityDescriptor", 0), 1);
}

static void
test_security_descriptor_binary(void)
{
  /* Self-relative SD: DACL present, one ACE allowing RPLCLORC to Authenticated Users. */
  const char *text = GPC_HEAD
      "nTSecurityDescriptor:: AQAEgAAAAAAAAAAAAAAAABQAAAAEABwAAQAAAAACFACUAAIAAQEAAAAAAAULAAAA\n";
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = load_ok(text, diags);
  const GpGpo *gpo
      = gp_model_find_gpo_dn(model, "CN=" GUID_A ",CN=Policies,CN=System,DC=contoso,DC=com");
  const GpAce *ace;

  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->security_descriptor);
  CU_ASSERT_EQUAL_FATAL(gpo->security_descriptor->dacl->len, 1);
  ace = g_ptr_array_index(gpo->security_descriptor->dacl, 0);
  GP_ASSERT_STR(ace->sid, "S-1-5-11");
  CU_ASSERT_EQUAL(ace->mask, 0x20094u);
  CU_ASSERT_EQUAL(diags->len, 0);
}

/* ------------------------------------------------- chunked loads (gp-ldif.c)
 *
 * gp_ldif_load_from_data() cuts a large text at blank lines into chunks that
 * threads split and parse, then applies the records in file order.  Whatever
 * the cuts, the model, the findings (and their order) and the error must be
 * those of a single pass: small inputs are one chunk for
 * gp_ldif_load_from_data(), so it is the reference, and gp_ldif_load_chunked()
 * with tiny chunks puts a cut at (nearly) every blank line. */

/* The chunk sizes a text is cut at. */
typedef struct {
  const gsize *sizes;
  gsize n;
} ChunkSizes;

#define CHUNK_SIZES(array)                                                                         \
  {                                                                                                \
    array, G_N_ELEMENTS(array)                                                                     \
  }

/* 1 and 2 cut at every blank line; the others leave a few records per chunk. */
static const gsize all_sizes[] = { 1, 2, 5, 17, 64, 300, 4096 };
/* Under valgrind, where each chunk's arena block (1 MiB) is slow to hand out:
 * every blank line, a few records, many records. */
static const gsize valgrind_sizes[] = { 1, 17, 4096 };

/* Returns: @full, or @light under valgrind. */
static ChunkSizes
pick_sizes(ChunkSizes full, ChunkSizes light)
{
  return gp_test_under_valgrind() ? light : full;
}

static ChunkSizes
chunk_sizes(void)
{
  return pick_sizes((ChunkSizes)CHUNK_SIZES(all_sizes), (ChunkSizes)CHUNK_SIZES(valgrind_sizes));
}

/* The blocks a whole export file is read in: under valgrind, where a read()
 * a byte is slow, no blocks of 1 (the shorter texts have them). */
static ChunkSizes
file_sizes(void)
{
  static const gsize light[] = { 17, 4096 };

  return pick_sizes((ChunkSizes)CHUNK_SIZES(all_sizes), (ChunkSizes)CHUNK_SIZES(light));
}

/* ------------------------------------------------------------ model dump */

static void
dump_str(GString *out, const char *key, const char *value)
{
  g_autofree char *escaped = value ? g_strescape(value, NULL) : NULL;

  if (value == NULL)
    g_string_append_printf(out, " %s=NULL", key);
  else
    g_string_append_printf(out, " %s=\"%s\"", key, escaped);
}

static void
dump_uint(GString *out, const char *key, guint64 value)
{
  g_string_append_printf(out, " %s=%" G_GUINT64_FORMAT, key, value);
}

/* A list of strings (DNs), in order. */
static void
dump_list(GString *out, const char *key, const GPtrArray *list)
{
  if (list == NULL) {
    g_string_append_printf(out, " %s=NULL", key);
    return;
  }
  g_string_append_printf(out, " %s=[", key);
  for (guint i = 0; i < list->len; i++) {
    g_autofree char *escaped = g_strescape(list->pdata[i], NULL);
    g_string_append_printf(out, "%s\"%s\"", i ? "," : "", escaped);
  }
  g_string_append_c(out, ']');
}

/* Remembers @sid (nullable) once, in first-seen order, for the principals. */
static void
note_sid(GPtrArray *sids, GHashTable *seen, const char *sid)
{
  if (sid == NULL || g_hash_table_contains(seen, sid))
    return;
  g_hash_table_add(seen, (gpointer)sid);
  g_ptr_array_add(sids, (gpointer)sid);
}

static void
dump_domains(GString *out, const GpModel *model, GPtrArray *sids, GHashTable *seen)
{
  const GPtrArray *domains = gp_model_domains(model);

  for (guint i = 0; i < domains->len; i++) {
    const GpDomain *domain = domains->pdata[i];
    g_string_append(out, "domain");
    dump_str(out, "dn", domain->dn);
    dump_str(out, "dns", domain->dns_name);
    dump_str(out, "netbios", domain->netbios_name);
    dump_str(out, "sid", domain->sid);
    g_string_append_c(out, '\n');
    note_sid(sids, seen, domain->sid);
  }
}

static void
dump_soms(GString *out, const GpModel *model)
{
  const GPtrArray *soms = gp_model_soms(model);

  for (guint i = 0; i < soms->len; i++) {
    const GpSom *som = soms->pdata[i];
    g_string_append(out, "som");
    dump_str(out, "dn", som->dn);
    dump_str(out, "kind", gp_som_kind_to_string(som->kind));
    dump_str(out, "name", som->name);
    dump_str(out, "gplink", som->gplink_raw);
    dump_uint(out, "gpoptions", som->gp_options);
    dump_uint(out, "order_assumed", (guint64)som->link_order_assumed);
    dump_uint(out, "block_unknown", (guint64)som->block_unknown);
    dump_str(out, "file", som->file);
    dump_uint(out, "line", som->line);
    g_string_append_c(out, '\n');
    for (guint j = 0; j < som->links->len; j++) {
      const GpLink *link = som->links->pdata[j];
      g_string_append(out, "  link");
      dump_str(out, "gpo_dn", link->gpo_dn);
      dump_str(out, "guid", link->gpo_guid);
      dump_uint(out, "options", link->options);
      dump_uint(out, "order", link->link_order);
      g_string_append_c(out, '\n');
    }
  }
}

static void
dump_security_descriptor(GString *out, const GpSecurityDescriptor *sd, GPtrArray *sids,
                         GHashTable *seen)
{
  g_string_append(out, "  sd");
  dump_str(out, "owner", sd->owner);
  note_sid(sids, seen, sd->owner);
  if (sd->dacl == NULL) {
    g_string_append(out, " dacl=NULL\n");
    return;
  }
  dump_uint(out, "aces", sd->dacl->len);
  g_string_append_c(out, '\n');
  for (guint i = 0; i < sd->dacl->len; i++) {
    const GpAce *ace = sd->dacl->pdata[i];
    g_string_append(out, "    ace");
    dump_uint(out, "type", ace->type);
    dump_uint(out, "flags", ace->flags);
    dump_uint(out, "mask", ace->mask);
    dump_str(out, "object_type", ace->object_type);
    dump_str(out, "sid", ace->sid);
    g_string_append_c(out, '\n');
    note_sid(sids, seen, ace->sid);
  }
}

static void
dump_gpos(GString *out, const GpModel *model, GPtrArray *sids, GHashTable *seen)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  for (guint i = 0; i < gpos->len; i++) {
    const GpGpo *gpo = gpos->pdata[i];
    g_string_append(out, "gpo");
    dump_str(out, "guid", gpo->guid);
    dump_str(out, "dn", gpo->dn);
    dump_str(out, "name", gpo->display_name);
    dump_uint(out, "in_directory", (guint64)gpo->in_directory);
    dump_uint(out, "flags", gpo->flags);
    dump_uint(out, "version", gpo->version_number);
    dump_uint(out, "has_fv", (guint64)gpo->has_functionality_version);
    g_string_append_printf(out, " fv=%d", gpo->functionality_version);
    dump_str(out, "path", gpo->file_sys_path);
    dump_str(out, "machine_ext", gpo->machine_extension_names);
    dump_str(out, "wql", gpo->wql_filter);
    dump_uint(out, "sysvol", gpo->sysvol);
    dump_uint(out, "template", gpo->machine_template != NULL);
    dump_uint(out, "sd", gpo->security_descriptor != NULL);
    dump_str(out, "file", gpo->file);
    dump_uint(out, "line", gpo->line);
    g_string_append_c(out, '\n');
    if (gpo->security_descriptor != NULL)
      dump_security_descriptor(out, gpo->security_descriptor, sids, seen);
  }
}

static void
dump_computers(GString *out, const GpModel *model, GPtrArray *sids, GHashTable *seen)
{
  const GPtrArray *computers = gp_model_computers(model);

  for (guint i = 0; i < computers->len; i++) {
    const GpComputer *computer = computers->pdata[i];
    g_string_append(out, "computer");
    dump_str(out, "dn", computer->dn);
    dump_str(out, "cn", computer->cn);
    dump_str(out, "sam", computer->sam_account_name);
    dump_str(out, "dns", computer->dns_host_name);
    dump_str(out, "os", computer->operating_system);
    dump_uint(out, "has_uac", (guint64)computer->has_user_account_control);
    dump_uint(out, "uac", computer->user_account_control);
    dump_uint(out, "primary_group", computer->primary_group_id);
    dump_str(out, "sid", computer->sid);
    dump_list(out, "member_of", computer->member_of);
    dump_str(out, "site", computer->site);
    dump_str(out, "file", computer->file);
    dump_uint(out, "line", computer->line);
    g_string_append_c(out, '\n');
    note_sid(sids, seen, computer->sid);
  }
}

static void
dump_groups(GString *out, const GpModel *model, GPtrArray *sids, GHashTable *seen)
{
  const GPtrArray *groups = gp_model_groups(model);

  for (guint i = 0; i < groups->len; i++) {
    const GpGroup *group = groups->pdata[i];
    g_string_append(out, "group");
    dump_str(out, "dn", group->dn);
    dump_str(out, "sid", group->sid);
    dump_str(out, "name", group->name);
    dump_list(out, "member_of", group->member_of);
    dump_list(out, "members", group->members);
    g_string_append_c(out, '\n');
    note_sid(sids, seen, group->sid);
  }
}

static void
dump_users(GString *out, const GpModel *model, GPtrArray *sids, GHashTable *seen)
{
  const GPtrArray *users = gp_model_users(model);

  for (guint i = 0; i < users->len; i++) {
    const GpUser *user = users->pdata[i];
    g_string_append(out, "user");
    dump_str(out, "dn", user->dn);
    dump_str(out, "sid", user->sid);
    dump_str(out, "name", user->name);
    dump_list(out, "member_of", user->member_of);
    dump_uint(out, "primary_group", user->primary_group_id);
    g_string_append_c(out, '\n');
    note_sid(sids, seen, user->sid);
  }
}

static void
dump_wmi_and_subnets(GString *out, const GpModel *model)
{
  const GPtrArray *filters = gp_model_wmi_filters(model);
  const GPtrArray *subnets = gp_model_subnets(model);

  for (guint i = 0; i < filters->len; i++) {
    const GpWmiFilter *filter = filters->pdata[i];
    g_string_append(out, "wmi");
    dump_str(out, "id", filter->id);
    dump_str(out, "name", filter->name);
    dump_str(out, "query", filter->query);
    dump_str(out, "domain_dn", filter->domain_dn);
    g_string_append_c(out, '\n');
  }
  for (guint i = 0; i < subnets->len; i++) {
    const GpSubnet *subnet = subnets->pdata[i];
    g_string_append(out, "subnet");
    dump_str(out, "cidr", subnet->cidr);
    dump_str(out, "site_dn", subnet->site_dn);
    g_string_append_c(out, '\n');
  }
}

/* The names of the accounts every domain has, which principal records may
 * give: a well-known RID after each domain SID. */
static const guint domain_rids[] = { 500, 501, 512, 513, 515, 516, 519 };

static void
dump_principals(GString *out, const GpModel *model, const GPtrArray *sids)
{
  for (guint i = 0; i < sids->len; i++) {
    const char *sid = sids->pdata[i];
    g_string_append(out, "principal");
    dump_str(out, "sid", sid);
    dump_str(out, "name", gp_model_principal_name(model, sid));
    g_string_append_c(out, '\n');
  }
  for (guint i = 0; i < gp_model_domains(model)->len; i++) {
    const GpDomain *domain = gp_model_domains(model)->pdata[i];
    for (gsize j = 0; domain->sid != NULL && j < G_N_ELEMENTS(domain_rids); j++) {
      g_autofree char *sid = g_strdup_printf("%s-%u", domain->sid, domain_rids[j]);
      g_string_append(out, "principal");
      dump_str(out, "sid", sid);
      dump_str(out, "name", gp_model_principal_name(model, sid));
      g_string_append_c(out, '\n');
    }
  }
}

/* Returns: (transfer full): everything the LDIF loader can fill in @model, one
 * object a line, in the model's own order (which is file order). */
static char *
dump_model(const GpModel *model)
{
  GString *out = g_string_new(NULL);
  g_autoptr(GPtrArray) sids = g_ptr_array_new();
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

  dump_domains(out, model, sids, seen);
  dump_soms(out, model);
  dump_gpos(out, model, sids, seen);
  dump_computers(out, model, sids, seen);
  dump_groups(out, model, sids, seen);
  dump_users(out, model, sids, seen);
  dump_wmi_and_subnets(out, model);
  dump_principals(out, model, sids);
  return g_string_free(out, FALSE);
}

/* ------------------------------------------------------------ comparison */

/* What one load gives, as text to compare. */
typedef struct {
  gboolean ok;
  char *error; /* (nullable) "DOMAIN code N: message" */
  char *diags; /* the formatted findings, one a line, in order */
  char *model; /* dump_model() after the load, then after gp_model_complete() */
  guint computers;
} LdifOutcome;

static void
ldif_outcome_clear(LdifOutcome *outcome)
{
  g_clear_pointer(&outcome->error, g_free);
  g_clear_pointer(&outcome->diags, g_free);
  g_clear_pointer(&outcome->model, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(LdifOutcome, ldif_outcome_clear)

static char *
format_diags(const GPtrArray *diags)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < diags->len; i++) {
    g_autofree char *line = gp_diagnostic_format(diags->pdata[i]);
    g_string_append_printf(out, "%s\n", line);
  }
  return g_string_free(out, FALSE);
}

/* Fills @outcome from a load into @model that gave @diags and @error; then
 * completes @model. */
static void
record_outcome(GpModel *model, const GPtrArray *diags, const GError *error, LdifOutcome *outcome)
{
  g_autofree char *loaded = NULL;
  g_autofree char *completed = NULL;

  CU_ASSERT_TRUE(outcome->ok == (error == NULL));
  if (error != NULL)
    outcome->error = g_strdup_printf("%s code %d: %s", g_quark_to_string(error->domain),
                                     error->code, error->message);
  outcome->diags = format_diags(diags);
  outcome->computers = gp_model_computers(model)->len;
  loaded = dump_model(model);
  gp_model_complete(model);
  completed = dump_model(model);
  outcome->model = g_strconcat(loaded, "-- completed\n", completed, NULL);
}

/* Returns: (transfer full): a new model holding @before (nullable), loaded in
 * one pass as "before.ldif", with its findings in @diags. */
static GpModel *
model_with(const char *before, GPtrArray *diags)
{
  GpModel *model = gp_model_new();

  if (before != NULL)
    CU_ASSERT_TRUE(
        gp_ldif_load_from_data(before, strlen(before), "before.ldif", model, diags, NULL));
  return model;
}

/* Loads @len bytes of @data as @file into a new model that already holds
 * @before (nullable, see model_with()), cut into chunks of @chunk_bytes, or by
 * gp_ldif_load_from_data() when @chunk_bytes is 0. */
static void
load_named_outcome(const char *data, gsize len, const char *file, const char *before,
                   gsize chunk_bytes, LdifOutcome *outcome)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_with(before, diags);
  g_autoptr(GError) error = NULL;

  if (chunk_bytes == 0)
    outcome->ok = gp_ldif_load_from_data(data, len, file, model, diags, &error);
  else
    outcome->ok = gp_ldif_load_chunked(data, len, file, model, diags, chunk_bytes, &error);
  record_outcome(model, diags, error, outcome);
}

static void
load_outcome(const char *data, gsize len, const char *before, gsize chunk_bytes,
             LdifOutcome *outcome)
{
  load_named_outcome(data, len, FILE_NAME, before, chunk_bytes, outcome);
}

/* Returns: TRUE when @actual is @expected; else prints the first line that
 * differs (whole dumps would drown it).  @how names the load. */
static gboolean
same_text(const char *how, const char *what, const char *actual, const char *expected)
{
  g_auto(GStrv) a = NULL;
  g_auto(GStrv) e = NULL;
  guint i = 0;

  if (g_strcmp0(actual, expected) == 0)
    return TRUE;
  if (actual == NULL || expected == NULL) {
    printf("\n%s: %s is '%s', one pass gives '%s'", how, what, actual ? actual : "(null)",
           expected ? expected : "(null)");
    return FALSE;
  }
  a = g_strsplit(actual, "\n", -1);
  e = g_strsplit(expected, "\n", -1);
  while (a[i] != NULL && e[i] != NULL && strcmp(a[i], e[i]) == 0)
    i++;
  printf("\n%s: %s differs at line %u:\n  this load: %s\n  one pass:  %s", how, what, i + 1,
         a[i] ? a[i] : "(end)", e[i] ? e[i] : "(end)");
  return FALSE;
}

static gboolean
same_outcome(const char *how, const LdifOutcome *outcome, const LdifOutcome *reference)
{
  gboolean same = outcome->ok == reference->ok;

  if (!same)
    printf("\n%s: ok=%d, one pass gives ok=%d", how, outcome->ok, reference->ok);
  same = same_text(how, "the error", outcome->error, reference->error) && same;
  same = same_text(how, "the findings", outcome->diags, reference->diags) && same;
  return same_text(how, "the model", outcome->model, reference->model) && same;
}

/* Loads @data in one pass into @reference, then cut at each of @sizes, and
 * checks every cut gives the same.  @before as load_outcome(). */
static void
check_memory_sizes(const char *name, const char *data, gsize len, const char *before,
                   ChunkSizes sizes, LdifOutcome *reference)
{
  load_outcome(data, len, before, 0, reference);
  for (gsize i = 0; i < sizes.n; i++) {
    g_autofree char *how = g_strdup_printf("%s, chunks of %" G_GSIZE_FORMAT, name, sizes.sizes[i]);
    g_auto(LdifOutcome) chunked = { 0 };
    load_outcome(data, len, before, sizes.sizes[i], &chunked);
    CU_ASSERT_TRUE(same_outcome(how, &chunked, reference));
  }
}

/* --------------------------------------------- files read as they parse
 *
 * gp_ldif_load_files() reads a file block by block, cuts each block at its
 * last blank line and parses the pieces while it reads on; anything unusual
 * (not a regular file, a BOM, bytes that are not plain UTF-8) is read again
 * whole.  Whatever the blocks, a file must give what its bytes give to
 * gp_ldif_load_from_data() under the file's path as name, since messages and
 * locations name it.  Blocks of 1 and 2 bytes put a cut at every blank line,
 * and make every read end inside a line. */

/* Loads the file @path into a new model holding @before (nullable, see
 * model_with()), read in blocks of @chunk_bytes by gp_ldif_load_files_chunked(),
 * or by gp_ldif_load_file() when @chunk_bytes is 0. */
static void
load_file_outcome(const char *path, const char *before, gsize chunk_bytes, LdifOutcome *outcome)
{
  const char *paths[] = { path, NULL };
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpModel) model = model_with(before, diags);
  g_autoptr(GError) error = NULL;

  if (chunk_bytes == 0)
    outcome->ok = gp_ldif_load_file(path, model, diags, &error);
  else
    outcome->ok = gp_ldif_load_files_chunked(paths, model, diags, chunk_bytes, &error);
  record_outcome(model, diags, error, outcome);
}

/* Checks that the file @path gives what @reference says, read in blocks of
 * each of @sizes, then by gp_ldif_load_file().  @before as load_file_outcome(). */
static void
check_file_against(const char *name, const char *path, const char *before, ChunkSizes sizes,
                   const LdifOutcome *reference)
{
  for (gsize i = 0; i <= sizes.n; i++) {
    gsize size = i < sizes.n ? sizes.sizes[i] : 0;
    g_autofree char *how
        = size ? g_strdup_printf("%s, file read in blocks of %" G_GSIZE_FORMAT, name, size)
               : g_strdup_printf("%s, gp_ldif_load_file()", name);
    g_auto(LdifOutcome) outcome = { 0 };

    load_file_outcome(path, before, size, &outcome);
    CU_ASSERT_TRUE(same_outcome(how, &outcome, reference));
  }
}

/* The file @path holds the @len bytes of @data: checks it gives what
 * gp_ldif_load_from_data() gives them under its path (@reference). */
static void
check_file_sizes(const char *name, const char *path, const char *data, gsize len,
                 const char *before, ChunkSizes sizes, LdifOutcome *reference)
{
  load_named_outcome(data, len, path, before, 0, reference);
  check_file_against(name, path, before, sizes, reference);
}

/* check_file_sizes() on @data written to a temporary file. */
static void
check_text_file(const char *name, const char *data, gsize len, const char *before, ChunkSizes sizes,
                LdifOutcome *reference)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autofree char *path = gp_test_tree_path(tree, FILE_NAME);

  gp_test_tree_write(tree, FILE_NAME, data, (gssize)len);
  check_file_sizes(name, path, data, len, before, sizes, reference);
}

/* @data in memory cut at each of @sizes, then as a file read in blocks of
 * each of @sizes: all must give what one pass gives (@reference). */
static void
check_chunked_sizes(const char *name, const char *data, gsize len, const char *before,
                    ChunkSizes sizes, LdifOutcome *reference)
{
  g_auto(LdifOutcome) from_file = { 0 };

  check_memory_sizes(name, data, len, before, sizes, reference);
  check_text_file(name, data, len, before, sizes, &from_file);
  CU_ASSERT_EQUAL(from_file.ok, reference->ok);
}

static void
check_chunked(const char *name, const char *data, gsize len, LdifOutcome *reference)
{
  check_chunked_sizes(name, data, len, NULL, chunk_sizes(), reference);
}

/* The model dump of an outcome has @needle (a line or part of one). */
static void
assert_dump_has(const LdifOutcome *outcome, const char *needle)
{
  gboolean found = outcome->model != NULL && strstr(outcome->model, needle) != NULL;

  if (!found)
    printf("\nthe model dump lacks '%s'", needle);
  CU_ASSERT_TRUE(found);
}

/* --------------------------------------------------------- chunked: files */

/* Returns: (transfer full): every LDIF file the tests have: fixtures/ (labs,
 * hostile), the fuzz seeds and, when present, the shared samples. */
static GPtrArray *
ldif_inputs(void)
{
  g_autofree char *fixtures = gp_test_source("fixtures");
  g_autofree char *seeds = gp_test_source("tests/fuzz/corpus/fuzz_ldif");
  g_autofree char *samples = gp_test_samples_dir();
  GPtrArray *paths = gp_test_find_files(fixtures, ".ldif");
  g_autoptr(GPtrArray) more = gp_test_find_files(seeds, ".ldif");

  g_ptr_array_extend_and_steal(paths, g_steal_pointer(&more));
  if (samples == NULL) {
    printf("\n  (no %s: the samples are not compared)", "../shared/samples");
    return paths;
  }
  more = gp_test_find_files(samples, ".ldif");
  g_ptr_array_extend_and_steal(paths, g_steal_pointer(&more));
  return paths;
}

static void
test_chunked_files(void)
{
  g_autoptr(GPtrArray) paths = ldif_inputs();
  guint loaded = 0, computers = 0;

  /* fixtures/ alone holds 7 lab exports and 5 hostile files. */
  CU_ASSERT_TRUE(paths->len >= 12);
  for (guint i = 0; i < paths->len; i++) {
    gsize len = 0;
    g_autofree char *data = gp_test_read(paths->pdata[i], &len);
    g_auto(LdifOutcome) reference = { 0 };

    if (data == NULL)
      continue;
    check_memory_sizes(paths->pdata[i], data, len, NULL, chunk_sizes(), &reference);
    /* The file itself, read in blocks, against its bytes under its path. */
    ldif_outcome_clear(&reference);
    check_file_sizes(paths->pdata[i], paths->pdata[i], data, len, NULL, file_sizes(), &reference);
    loaded += reference.ok;
    computers += reference.computers;
  }
  /* Most inputs load, and the labs have computers: the dumps are not empty. */
  CU_ASSERT_TRUE(loaded >= 10);
  CU_ASSERT_TRUE(computers >= 20);
}

/* Loaded on top of another export, objects merge by DN; a failed load leaves
 * the first export's objects as they were. */
static void
test_chunked_files_merged(void)
{
  g_autofree char *first_path = gp_test_fixture("labs/fabrikam/fabrikam.ldif");
  g_autofree char *first = gp_test_read(first_path, NULL);
  g_autoptr(GPtrArray) paths = ldif_inputs();
  static const gsize full[] = { 1, 300 };
  static const gsize light[] = { 300 };
  ChunkSizes sizes = pick_sizes((ChunkSizes)CHUNK_SIZES(full), (ChunkSizes)CHUNK_SIZES(light));

  for (guint i = 0; first != NULL && i < paths->len; i++) {
    gsize len = 0;
    g_autofree char *data = gp_test_read(paths->pdata[i], &len);
    g_auto(LdifOutcome) reference = { 0 };

    if (data == NULL)
      continue;
    check_chunked_sizes(paths->pdata[i], data, len, first, sizes, &reference);
    /* Unless it is a copy of the first export, whose objects it takes over. */
    if (strcmp(data, first) != 0)
      assert_dump_has(&reference, "file=\"before.ldif\"");
  }
}

/* Checks @text (NUL-terminated) and returns whether the one pass loaded it. */
static gboolean
check_chunked_text(const char *name, const char *text)
{
  g_auto(LdifOutcome) reference = { 0 };

  check_chunked(name, text, strlen(text), &reference);
  return reference.ok;
}

/* The texts of the tables above: folds, bad base64, syntax errors, records of
 * every class. */
static void
test_chunked_table_texts(void)
{
  g_autofree char *principals = g_strdup_printf(principals_ldif, contoso_cross_ref);
  g_autofree char *computer = g_strdup_printf(computer_ldif, computer_classes[0]);
  const char *const texts[] = { principals, users_ldif, ignored_classes_ldif, computer };

  for (gsize i = 0; i < G_N_ELEMENTS(fold_cases); i++)
    CU_ASSERT_TRUE(check_chunked_text(fold_cases[i].name, fold_cases[i].ldif));
  for (gsize i = 0; i < G_N_ELEMENTS(syntax_cases); i++)
    CU_ASSERT_FALSE(check_chunked_text(syntax_cases[i].name, syntax_cases[i].text));
  for (gsize i = 0; i < G_N_ELEMENTS(bad_base64_cases); i++) {
    g_autofree char *text
        = g_strdup_printf(OU_HEAD "\n" GPC_HEAD "%s\nflags: 1\n", bad_base64_cases[i].line);
    CU_ASSERT_TRUE(check_chunked_text(bad_base64_cases[i].what, text));
  }
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    CU_ASSERT_TRUE(check_chunked_text("a text of the tests above", texts[i]));
}

/* The text is decoded before it is cut: UTF-16 and a UTF-8 BOM, and the Samba
 * sample with its values filled in when the samples are there. */
static void
test_chunked_encodings(void)
{
  g_autofree char *bom = g_strconcat("\xef\xbb\xbf", truncation_source, NULL);
  g_autofree char *samples = gp_test_samples_dir();
  /* samba_template() would mark the case skipped without the samples. */
  g_autofree char *samba = samples != NULL ? samba_template() : NULL;
  gsize utf16_len = 0;
  g_autofree char *utf16 = g_convert(bom, -1, "UTF-16LE", "UTF-8", NULL, &utf16_len, NULL);
  g_auto(LdifOutcome) reference = { 0 };

  CU_ASSERT_PTR_NOT_NULL_FATAL(utf16);
  check_chunked("UTF-16LE with BOM", utf16, utf16_len, &reference);
  assert_dump_has(&reference, "name=\"Strat\\303\\251gie Ao\\303\\273t\"");
  CU_ASSERT_TRUE(check_chunked_text("UTF-8 with BOM", bom));
  if (samba != NULL)
    CU_ASSERT_TRUE(check_chunked_text("the Samba sample", samba));
}

/* Every prefix of a small export: cuts inside records, comments and folds. */
static void
test_chunked_every_prefix(void)
{
  gsize len = strlen(truncation_source);
  static const gsize full[] = { 1, 5, 64 };
  static const gsize light[] = { 1 };
  ChunkSizes sizes = pick_sizes((ChunkSizes)CHUNK_SIZES(full), (ChunkSizes)CHUNK_SIZES(light));

  /* As files too: under valgrind, where a load's threads and reads are
   * slow, every fourth prefix and the whole text. */
  guint file_every = gp_test_under_valgrind() ? 4 : 1;

  for (gsize cut = 0; cut <= len; cut++) {
    g_autofree char *name = g_strdup_printf("the first %" G_GSIZE_FORMAT " bytes", cut);
    g_auto(LdifOutcome) reference = { 0 };

    if (cut % file_every == 0 || cut == len)
      check_chunked_sizes(name, truncation_source, cut, NULL, sizes, &reference);
    else
      check_memory_sizes(name, truncation_source, cut, NULL, sizes, &reference);
  }
}

/* ----------------------------------------------------- chunked: cut points */

#define SERVER(cn)                                                                                 \
  "dn: CN=" cn ",OU=Servers,DC=contoso,DC=com\n"                                                   \
  "objectClass: top\n"                                                                             \
  "objectClass: computer\n"                                                                        \
  "cn: " cn "\n"

/* A value that is not base64: a warning, and the attribute is skipped. */
#define BAD_OS "operatingSystem:: ab$=\n"

typedef struct {
  const char *name;
  const char *text;
  const char *error_at; /* (nullable) what the one-pass error starts with; NULL: loads */
  guint warnings;       /* in the one-pass findings */
  const char *dump_has; /* (nullable) part of the one-pass model dump */
} CutCase;

/* Line numbers count from 1 in the text as written (CRLF keeps them). */
/* clang-format off */
static const CutCase cut_cases[] = {
  { "blank lines of spaces, tabs and CR",
    OU_HEAD "  \n"
    SERVER("WEB01") "\t \r\n"
    SERVER("WEB02") "\r\n\r\n"
    SERVER("WEB03") " \r\n\t\n"
    SERVER("WEB04"),
    NULL, 0, "cn=\"WEB04\"" },
  { "comment blocks with continuations after a blank line",
    OU_HEAD "\n"
    "# comment\n continued: like an attribute\n  dn: like a DN\n\n"
    SERVER("WEB01") "\n"
    "# another comment\n more\n"
    SERVER("WEB02") "# inside a record\n more\ndNSHostName: w2\n\n"
    "#\n \n"
    SERVER("WEB03"),
    NULL, 0, "dns=\"w2\"" },
  { "a line of one space ends a comment",
    OU_HEAD "\n# comment\n \n" SERVER("WEB01"),
    NULL, 0, "cn=\"WEB01\"" },
  { "continuation after a blank line in the middle",
    OU_HEAD "\n" SERVER("WEB01") "\n" SERVER("WEB02") "\n continued\n" SERVER("WEB03"),
    FILE_NAME ":15: continuation line", 0, NULL },
  { "continuation after a blank line of spaces",
    OU_HEAD "\n" SERVER("WEB01") "   \n continued\n",
    FILE_NAME ":10: continuation line", 0, NULL },
  { "continuation after a comment and a blank line",
    OU_HEAD "\n# comment\n more\n\t\n more\n",
    FILE_NAME ":8: continuation line", 0, NULL },
  { "a blank line inside a fold",
    SERVER("WEB01") "\ndn: OU=A,\n \n DC=contoso,DC=com\n",
    FILE_NAME ":8: continuation line", 0, NULL },
  { "continuation at the start, after a version record",
    "version: 1\n\n\n x\n",
    FILE_NAME ":4: continuation line", 0, NULL },
  { "continuation at the very start",
    " x\n\n" OU_HEAD,
    FILE_NAME ":1: file starts", 0, NULL },
  { "late syntax error, bad base64 before and after",
    GPC_HEAD "displayName:: ====\n\n"
    SERVER("WEB01") BAD_OS "\n"
    SERVER("WEB02") BAD_OS "garbage\n" BAD_OS "\n"
    SERVER("WEB03") BAD_OS "\n"
    SERVER("WEB04") BAD_OS,
    FILE_NAME ":18: line 'garbage'", 3, NULL },
  { "late syntax error, a bad record before",
    OU_HEAD "\n"
    SERVER("WEB01") BAD_OS "\n"
    SERVER("WEB02") "\n"
    SERVER("WEB03") "dn: OU=Second,DC=contoso,DC=com\n\n"
    SERVER("WEB04") BAD_OS "\n"
    "not a record\n",
    FILE_NAME ":20: second 'dn:'", 1, NULL },
  { "two syntax errors: the first wins",
    SERVER("WEB01") BAD_OS "\n"
    SERVER("WEB02") "x y\n\n"
    SERVER("WEB03") BAD_OS "\n"
    SERVER("WEB04") ": z\n",
    FILE_NAME ":11: line 'x y'", 1, NULL },
  { "a continuation error after a syntax error wins",
    SERVER("WEB01") BAD_OS "\n"
    SERVER("WEB02") "garbage\n\n"
    SERVER("WEB03") BAD_OS "\n"
    " more\n",
    FILE_NAME ":19: continuation line", 1, NULL },
  { "a continuation error after warnings",
    SERVER("WEB01") BAD_OS "\n"
    SERVER("WEB02") BAD_OS "\n"
    SERVER("WEB03") BAD_OS "\n"
    " more\n",
    FILE_NAME ":19: continuation line", 3, NULL },
  { "no final newline",
    OU_HEAD "\n" SERVER("WEB01") "\n" GPC_HEAD "displayName: Last",
    NULL, 0, "name=\"Last\"" },
  { "a blank line without final newline",
    OU_HEAD "\n" SERVER("WEB01") "\n \t",
    NULL, 0, "cn=\"WEB01\"" },
  { "only blank lines",
    "\n\n \n\t\n\r\n \r\n\n",
    NULL, 0, NULL },
  { "a lone CR is not a line end",
    OU_HEAD "\n\r\r\n" SERVER("WEB01"),
    FILE_NAME ":5: line '?", 0, NULL },
  { "version, changetype and trailers",
    "version: 1\n\n"
    OU_HEAD "\n"
    SERVER("WEB01") "changetype: modify\nreplace: cn\ncn: x\n-\n\n"
    SERVER("WEB02") "changetype: add\n\n"
    "# refldap://x\n"
    "search: 2\nresult: 32 No such object\n",
    NULL, 2, "cn=\"WEB02\"" },
  { "descriptor and principals named by records in later chunks",
    GPC_HEAD "nTSecurityDescriptor: O:DAG:DAD:PAI(A;CI;RPLCLORC;;;AU)(A;CI;CR;;;DC)\n\n"
    "dn: CN=Web Admins,OU=Groups,DC=contoso,DC=com\nobjectClass: top\nobjectClass: group\n"
    "sAMAccountName: Web Admins\nobjectSid: S-1-5-21-1-2-3-1107\n"
    "member: CN=WEB01,OU=Servers,DC=contoso,DC=com\n\n"
    SERVER("WEB01") "objectSid: S-1-5-21-1-2-3-1109\nsAMAccountName: WEB01$\n"
    "memberOf: CN=Web Admins,OU=Groups,DC=contoso,DC=com\n\n"
    "dn: DC=contoso,DC=com\nobjectClass: top\nobjectClass: domainDNS\n"
    "objectSid: S-1-5-21-1-2-3\n\n"
    "dn: CN=WEB01,CN=Servers,CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com\n"
    "objectClass: top\nobjectClass: server\n"
    "serverReference: CN=WEB01,OU=Servers,DC=contoso,DC=com\n\n"
    "dn: CN=CONTOSO,CN=Partitions,CN=Configuration,DC=contoso,DC=com\n"
    "objectClass: top\nobjectClass: crossRef\nnCName: DC=contoso,DC=com\n"
    "nETBIOSName: CORP\ndnsRoot: contoso.com\n",
    NULL, 0, "name=\"CORP\\\\Web Admins\"" },
};
/* clang-format on */

static void
check_cut_case(const CutCase *c, const char *name, const char *text)
{
  g_auto(LdifOutcome) reference = { 0 };
  guint warnings = 0;

  check_chunked(name, text, strlen(text), &reference);
  /* The one pass does what the case says, so that a loader that loses
   * records or findings everywhere alike still fails. */
  CU_ASSERT_EQUAL(reference.ok, c->error_at == NULL);
  if (c->error_at != NULL) {
    g_autofree char *expected = g_strdup_printf("%s code %d: %s", g_quark_to_string(GP_LOAD_ERROR),
                                                GP_LOAD_ERROR_SYNTAX, c->error_at);
    if (reference.error == NULL || !g_str_has_prefix(reference.error, expected)) {
      printf("\n%s: error '%s', expected '%s...'", name, reference.error, expected);
      CU_FAIL("unexpected error");
    }
  }
  for (const char *p = reference.diags; (p = strstr(p, ": warning: ")) != NULL; p++)
    warnings++;
  if (warnings != c->warnings)
    printf("\n%s: %u warnings, expected %u:\n%s", name, warnings, c->warnings, reference.diags);
  CU_ASSERT_EQUAL(warnings, c->warnings);
  if (c->dump_has != NULL)
    assert_dump_has(&reference, c->dump_has);
}

/* Returns: (transfer full): @text with CRLF line ends; lines that end in CR
 * already keep it, so that a blank "\r\n" stays one blank line. */
static char *
to_crlf(const char *text)
{
  GString *out = g_string_new(NULL);

  for (const char *p = text; *p != '\0'; p++) {
    if (*p == '\n' && (p == text || p[-1] != '\r'))
      g_string_append_c(out, '\r');
    g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

/* Each case as written, then with CRLF line ends (same lines, same numbers). */
static void
test_chunked_cut_points(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(cut_cases); i++) {
    const CutCase *c = &cut_cases[i];
    g_autofree char *crlf = to_crlf(c->text);
    g_autofree char *crlf_name = g_strconcat(c->name, ", CRLF", NULL);

    printf("\n  case: %s", c->name);
    check_cut_case(c, c->name, c->text);
    check_cut_case(c, crlf_name, crlf);
  }
}

/* ------------------------------------------------ chunked: a large export */

/* Returns: how many computers the large export has: 3000, enough for about
 * 300 chunks of 4096 bytes; fewer under valgrind, still dozens of chunks. */
static guint
large_computers(void)
{
  return gp_test_under_valgrind() ? 400 : 3000;
}

/* Returns: (transfer full): a domain, an OU, a GPO and @n computers, with what
 * makes cuts hard spread over the file: comment blocks with continuations,
 * folds, blank lines of spaces, tabs and CR, CRLF records, and one bad base64
 * value every 97 computers (a warning each). */
static char *
large_export(guint n)
{
  GString *out
      = g_string_new("version: 1\n\n"
                     "dn: DC=contoso,DC=com\nobjectClass: top\nobjectClass: domainDNS\n"
                     "objectSid: S-1-5-21-1-2-3\n"
                     "gPLink: [LDAP://cn=" GUID_A ",cn=policies,cn=system,DC=contoso,DC=c\n"
                     " om;0]\n\n" OU_HEAD "\n" GPC_HEAD "displayName: Servers\n\n");
  static const char *const separators[] = { "\n", "  \n", "\t\r\n", "\n\n", " \t \n" };

  for (guint i = 0; i < n; i++) {
    g_autofree char *record = g_strdup_printf(
        "dn: CN=PC%u,OU=Servers,DC=contoso,DC=com\nobjectClass: top\nobjectClass: computer\n"
        "cn: PC%u\nsAMAccountName: PC%u$\ndNSHostName: pc%u.contoso.co\n m\n"
        "operatingSystem: Windows 11\nuserAccountControl: 4096\nprimaryGroupID: 515\n"
        "objectSid: S-1-5-21-1-2-3-%u\nmemberOf: CN=Group%u,OU=Servers,DC=contoso,DC=com\n"
        "%s",
        i, i, i, i, 2000 + i, i % 10, i % 97 == 0 ? "description:: a$==\n" : "");

    if (i % 100 == 0)
      g_string_append_printf(out, "# block %u\n continued\n  and more\n", i);
    if (i % 7 == 0) {
      g_autofree char *crlf = replace_all(record, "\n", "\r\n");
      g_string_append(out, crlf);
    } else {
      g_string_append(out, record);
    }
    g_string_append(out, separators[i % G_N_ELEMENTS(separators)]);
  }
  return g_string_free(out, FALSE);
}

/* Returns: how many warnings the computers before PC@index give. */
static guint
warnings_before(guint index)
{
  return (index + 96) / 97;
}

/* The number of the line of @text that @at starts. */
static guint
line_of(const char *text, const char *at)
{
  guint line = 1;

  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  return line;
}

/* Returns: (transfer full): @text with @insert put before the dn of computer
 * PC@index, whose line number goes to @out_line. */
static char *
insert_before_computer(const char *text, guint index, const char *insert, guint *out_line)
{
  g_autofree char *dn = g_strdup_printf("dn: CN=PC%u,", index);
  const char *at = strstr(text, dn);

  g_assert(at != NULL);
  *out_line = line_of(text, at);
  return g_strdup_printf("%.*s%s%s", (int)(at - text), text, insert, at);
}

/* The blocks a large export is read from its file in: every size of the
 * other texts, and blocks of many records.  Reads of 1 and 2 bytes take most
 * of the time (a read() a byte): the export without errors has them, the
 * others 5 and 17, which also end most reads inside a line and cut at nearly
 * every blank line. */
static const gsize large_file_sizes[] = { 1, 2, 5, 17, 64, 300, 4096, 65536 };
static const gsize large_file_sizes_quick[] = { 5, 17, 300, 4096, 65536 };
static const gsize large_file_sizes_light[] = { 17, 4096 };

static void
check_large_sizes(const char *name, const char *text, ChunkSizes blocks, LdifOutcome *reference)
{
  static const gsize full[] = { 64, 4096, 65536 };
  static const gsize light[] = { 4096 };
  g_auto(LdifOutcome) from_file = { 0 };

  /* Chunks of 4096 bytes must be many, not one. */
  CU_ASSERT_TRUE(strlen(text) > 20 * 4096);
  check_memory_sizes(name, text, strlen(text), NULL,
                     pick_sizes((ChunkSizes)CHUNK_SIZES(full), (ChunkSizes)CHUNK_SIZES(light)),
                     reference);
  check_text_file(name, text, strlen(text), NULL,
                  pick_sizes(blocks, (ChunkSizes)CHUNK_SIZES(large_file_sizes_light)), &from_file);
  CU_ASSERT_EQUAL(from_file.ok, reference->ok);
}

static void
check_large(const char *name, const char *text, LdifOutcome *reference)
{
  check_large_sizes(name, text, (ChunkSizes)CHUNK_SIZES(large_file_sizes_quick), reference);
}

static guint
count_lines_with(const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

static void
test_chunked_large_export(void)
{
  guint n = large_computers();
  g_autofree char *text = large_export(n);
  g_auto(LdifOutcome) reference = { 0 };
  g_autofree char *last = g_strdup_printf("cn=\"PC%u\"", n - 1);
  g_autofree char *folded = g_strdup_printf("dns=\"pc%u.contoso.com\"", n - 1);

  check_large_sizes("the large export", text, (ChunkSizes)CHUNK_SIZES(large_file_sizes),
                    &reference);
  CU_ASSERT_TRUE(reference.ok);
  CU_ASSERT_EQUAL(reference.computers, n);
  CU_ASSERT_EQUAL(count_lines_with(reference.diags, ": warning: "), warnings_before(n));
  /* Once after the load, once after gp_model_complete(). */
  CU_ASSERT_EQUAL(count_lines_with(reference.model, "\ncomputer "), 2 * n);
  assert_dump_has(&reference, last);
  assert_dump_has(&reference, folded);
}

/* A syntax error near the end: only the warnings before it are reported. */
static void
test_chunked_large_late_error(void)
{
  guint n = large_computers(), bad = n - n / 30, line = 0;
  g_autofree char *clean = large_export(n);
  g_autofree char *text = insert_before_computer(clean, bad, "dn: OU=Bad\nbroken\n\n", &line);
  g_autofree char *where = g_strdup_printf(": %s:%u: line 'broken'", FILE_NAME, line + 1);
  g_auto(LdifOutcome) reference = { 0 };

  check_large("the large export with a late error", text, &reference);
  CU_ASSERT_FALSE(reference.ok);
  CU_ASSERT_PTR_NOT_NULL(reference.error ? strstr(reference.error, where) : NULL);
  CU_ASSERT_EQUAL(count_lines_with(reference.diags, ": warning: "), warnings_before(bad));
  CU_ASSERT_EQUAL(reference.computers, 0);
}

/* A continuation after a blank line near the end wins over an earlier
 * syntax error, and keeps the warnings before that error only. */
static void
test_chunked_large_continuation_error(void)
{
  guint n = large_computers(), bad = n / 2, late = n - n / 60, bad_line = 0, late_line = 0;
  g_autofree char *clean = large_export(n);
  g_autofree char *with_bad
      = insert_before_computer(clean, bad, "dn: OU=Bad\nbroken\n\n", &bad_line);
  g_autofree char *text = insert_before_computer(with_bad, late, "\n continued\n\n", &late_line);
  g_autofree char *where = g_strdup_printf(": %s:%u: continuation line", FILE_NAME, late_line + 1);
  g_auto(LdifOutcome) reference = { 0 };

  check_large("the large export with a continuation error", text, &reference);
  CU_ASSERT_FALSE(reference.ok);
  CU_ASSERT_PTR_NOT_NULL(reference.error ? strstr(reference.error, where) : NULL);
  CU_ASSERT_EQUAL(count_lines_with(reference.diags, ": warning: "), warnings_before(bad));
  CU_ASSERT_EQUAL(reference.computers, 0);
}

/* ---------------------------------------------- several files at once
 *
 * gp_ldif_load_files() reads and parses the next files while it applies one:
 * the model, the findings and the error must be those of gp_ldif_load_file()
 * on each file in turn, stopping at the first that fails. */

/* What gp_ldif_load_file() on each of @paths in turn gives in one model,
 * stopping at the first that fails: what gp_ldif_load_files() promises. */
static void
load_one_by_one(const char *const *paths, LdifOutcome *outcome)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;

  outcome->ok = TRUE;
  for (guint i = 0; outcome->ok && paths[i] != NULL; i++)
    outcome->ok = gp_ldif_load_file(paths[i], model, diags, &error);
  record_outcome(model, diags, error, outcome);
}

/* gp_ldif_load_files_chunked() with blocks of @chunk_bytes, or
 * gp_ldif_load_files() when 0. */
static void
load_files_outcome(const char *const *paths, gsize chunk_bytes, LdifOutcome *outcome)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;

  if (chunk_bytes == 0)
    outcome->ok = gp_ldif_load_files(paths, model, diags, &error);
  else
    outcome->ok = gp_ldif_load_files_chunked(paths, model, diags, chunk_bytes, &error);
  record_outcome(model, diags, error, outcome);
}

/* @paths (NULL-terminated) loaded together, in blocks of every size and by
 * default, give what they give one by one (@reference). */
static void
check_several(const char *name, const char *const *paths, LdifOutcome *reference)
{
  /* Blocks of about a record and of many; the cuts themselves are checked
   * above, file by file. */
  static const gsize full[] = { 5, 17, 4096 };
  static const gsize light[] = { 17 };
  ChunkSizes sizes = pick_sizes((ChunkSizes)CHUNK_SIZES(full), (ChunkSizes)CHUNK_SIZES(light));

  printf("\n  case: %s", name);
  load_one_by_one(paths, reference);
  for (gsize i = 0; i <= sizes.n; i++) {
    gsize size = i < sizes.n ? sizes.sizes[i] : 0;
    g_autofree char *how
        = size ? g_strdup_printf("%s, files read in blocks of %" G_GSIZE_FORMAT, name, size)
               : g_strdup_printf("%s, gp_ldif_load_files()", name);
    g_auto(LdifOutcome) outcome = { 0 };

    load_files_outcome(paths, size, &outcome);
    CU_ASSERT_TRUE(same_outcome(how, &outcome, reference));
  }
}

/* The text holds @needle (nullable outcome text). */
static gboolean
has(const char *text, const char *needle)
{
  return text != NULL && strstr(text, needle) != NULL;
}

/* Returns: (transfer full): an export of another domain, northwind.com, with
 * @n computers (warnings as in large_export()), that also changes two
 * objects of large_export(): the OU's options and the GPO's version. */
static char *
other_export(guint n)
{
  g_autofree char *computers = large_export(n);
  g_autofree char *northwind = replace_all(computers, "contoso", "northwind");

  return g_strconcat("dn: ou=SERVERS,dc=Contoso,dc=COM\nobjectClass: organizationalUnit\n"
                     "gPOptions: 1\n\n"
                     "dn: cn=" GUID_A ",cn=policies,cn=system,dc=contoso,dc=com\n"
                     "objectClass: groupPolicyContainer\nversionNumber: 65537\n\n",
                     northwind, NULL);
}

/* Returns: (transfer full): @text as UTF-16LE after a BOM, in @len bytes. */
static char *
utf16_with_bom(const char *text, gsize *len)
{
  gsize utf16_len = 0;
  g_autofree char *utf16 = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &utf16_len, NULL);
  char *bytes = g_malloc(utf16_len + 2);

  g_assert(utf16 != NULL);
  bytes[0] = '\xff';
  bytes[1] = '\xfe';
  memcpy(bytes + 2, utf16, utf16_len);
  *len = utf16_len + 2;
  return bytes;
}

/* Returns: (transfer full): @text with the @len bytes of @insert put @count
 * bytes into the dn line of computer PC@index; its length goes to @out_len. */
static char *
insert_in_computer(const char *text, guint index, gsize count, const char *insert, gsize len,
                   gsize *out_len)
{
  g_autofree char *dn = g_strdup_printf("dn: CN=PC%u,", index);
  const char *at = strstr(text, dn);
  gsize head, total = strlen(text);
  char *out;

  g_assert(at != NULL);
  head = (gsize)(at - text) + count;
  out = g_malloc(total + len + 1);
  memcpy(out, text, head);
  memcpy(out + head, insert, len);
  memcpy(out + head + len, text + head, total - head + 1);
  *out_len = total + len;
  return out;
}

/* The files of the cases below, in a temporary folder. */
typedef struct {
  GpTestTree *tree;
  char *a;       /* contoso: many chunks, a warning every 97 computers */
  char *b;       /* northwind, and changes to two objects of a */
  char *b_error; /* b with a syntax error near its end */
  char *b_utf16; /* b as UTF-16LE with a BOM: read whole */
  char *b_nul;   /* b with a NUL near its end: an encoding error */
  char *c;       /* fabrikam, a lab fixture */
  char *missing;
  char *folder;
  guint a_computers, b_computers;
} SeveralFiles;

static void
several_files_clear(SeveralFiles *files)
{
  g_clear_pointer(&files->tree, gp_test_tree_free);
  g_free(files->a);
  g_free(files->b);
  g_free(files->b_error);
  g_free(files->b_utf16);
  g_free(files->b_nul);
  g_free(files->c);
  g_free(files->missing);
  g_free(files->folder);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SeveralFiles, several_files_clear)

/* Writes @len bytes of @data as @name in the folder.  Returns: (transfer full) its path. */
static char *
several_write(const SeveralFiles *files, const char *name, const char *data, gsize len)
{
  gp_test_tree_write(files->tree, name, data, (gssize)len);
  return gp_test_tree_path(files->tree, name);
}

static void
several_files_init(SeveralFiles *files)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *b_error = NULL;
  g_autofree char *b_utf16 = NULL;
  g_autofree char *b_nul = NULL;
  gsize utf16_len = 0, nul_len = 0;
  guint line = 0;

  files->a_computers = gp_test_under_valgrind() ? 60 : 200;
  files->b_computers = gp_test_under_valgrind() ? 40 : 120;
  files->tree = gp_test_tree_new();
  a = large_export(files->a_computers);
  b = other_export(files->b_computers);
  b_error = insert_before_computer(b, files->b_computers - 5, "dn: OU=Bad\nbroken\n\n", &line);
  b_utf16 = utf16_with_bom(b, &utf16_len);
  b_nul = insert_in_computer(b, files->b_computers - 5, 4, "", 1, &nul_len);
  files->a = several_write(files, "a.ldif", a, strlen(a));
  files->b = several_write(files, "b.ldif", b, strlen(b));
  files->b_error = several_write(files, "b-error.ldif", b_error, strlen(b_error));
  files->b_utf16 = several_write(files, "b-utf16.ldif", b_utf16, utf16_len);
  files->b_nul = several_write(files, "b-nul.ldif", b_nul, nul_len);
  files->c = gp_test_fixture("labs/fabrikam/fabrikam.ldif");
  files->missing = gp_test_tree_path(files->tree, "missing.ldif");
  gp_test_tree_mkdir(files->tree, "folder.ldif");
  files->folder = gp_test_tree_path(files->tree, "folder.ldif");
}

/* Counts the warnings located in @path among formatted findings. */
static guint
warnings_in(const char *diags, const char *path)
{
  g_autofree char *needle = g_strconcat(path, ":", NULL);
  g_auto(GStrv) lines = g_strsplit(diags ? diags : "", "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix(lines[i], needle) && strstr(lines[i], ": warning: ") != NULL;
  return n;
}

/* Three good files: b merges into a's objects, c is another forest. */
static void
test_files_several(void)
{
  g_auto(SeveralFiles) files = { 0 };
  g_auto(LdifOutcome) reference = { 0 };

  several_files_init(&files);
  {
    const char *paths[] = { files.a, files.b, files.c, NULL };
    check_several("a, b and c", paths, &reference);
  }
  /* The one-by-one load did load all three, b over a. */
  CU_ASSERT_TRUE(reference.ok);
  CU_ASSERT_EQUAL(warnings_in(reference.diags, files.a), warnings_before(files.a_computers));
  CU_ASSERT_EQUAL(warnings_in(reference.diags, files.b), warnings_before(files.b_computers));
  assert_dump_has(&reference, "DC=northwind,DC=com");
  assert_dump_has(&reference, "DC=fabrikam,DC=com");
  assert_dump_has(&reference, "version=65537");
}

/* A file that fails stops the load: the files before it stay applied, it
 * and the files after it are not, and the findings are those of the files
 * before it and of its text before the error. */
static void
test_files_several_failing(void)
{
  g_auto(SeveralFiles) files = { 0 };

  several_files_init(&files);
  {
    const char *paths[] = { files.a, files.b_error, files.c, NULL };
    g_auto(LdifOutcome) reference = { 0 };
    g_autofree char *where = g_strconcat(": ", files.b_error, ":", NULL);

    check_several("b has a syntax error", paths, &reference);
    CU_ASSERT_FALSE(reference.ok);
    CU_ASSERT_TRUE(has(reference.error, where) && has(reference.error, "line 'broken'"));
    CU_ASSERT_EQUAL(warnings_in(reference.diags, files.a), warnings_before(files.a_computers));
    CU_ASSERT_EQUAL(warnings_in(reference.diags, files.b_error),
                    warnings_before(files.b_computers - 5));
    CU_ASSERT_EQUAL(reference.computers, files.a_computers);
    CU_ASSERT_FALSE(has(reference.model, "northwind") || has(reference.model, "fabrikam"));
  }
  {
    const char *paths[] = { files.a, files.b_nul, files.c, NULL };
    g_auto(LdifOutcome) reference = { 0 };

    check_several("b has a NUL", paths, &reference);
    CU_ASSERT_FALSE(reference.ok);
    CU_ASSERT_TRUE(has(reference.error, files.b_nul));
    CU_ASSERT_EQUAL(reference.computers, files.a_computers);
  }
  {
    const char *paths[] = { files.a, files.b, files.missing, NULL };
    g_auto(LdifOutcome) reference = { 0 };

    check_several("c is missing", paths, &reference);
    CU_ASSERT_FALSE(reference.ok);
    CU_ASSERT_TRUE(has(reference.error, files.missing));
    CU_ASSERT_EQUAL(reference.computers, files.a_computers + files.b_computers);
  }
}

/* Returns: (transfer full): the error message of gp_ldif_load_file() on
 * @path alone, into a new model. */
static char *
load_file_error(const char *path)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GError) error = NULL;

  CU_ASSERT_FALSE(gp_ldif_load_file(path, model, NULL, &error));
  return error ? g_strdup(error->message) : NULL;
}

/* What the whole-file path (g_file_get_contents()) says of a path it cannot
 * read, as gp_ldif_load_file() always said it; nothing is loaded. */
static void
unreadable_outcome(const char *path, LdifOutcome *outcome)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) io = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  CU_ASSERT_FALSE(g_file_get_contents(path, &contents, NULL, &io));
  if (io != NULL)
    gp_set_load_error(&error, GP_LOAD_ERROR_IO, path, 0, "cannot read the LDIF file: %s",
                      io->message);
  outcome->ok = FALSE;
  record_outcome(model, diags, error, outcome);
}

/* The first file missing: its error, in the words gp_ldif_load_file() has
 * on it alone, which are those of the whole-file path. */
static void
test_files_several_first_missing(void)
{
  g_auto(SeveralFiles) files = { 0 };
  g_auto(LdifOutcome) reference = { 0 };
  g_auto(LdifOutcome) whole = { 0 };
  g_autofree char *alone = NULL;

  several_files_init(&files);
  alone = load_file_error(files.missing);
  unreadable_outcome(files.missing, &whole);
  {
    const char *paths[] = { files.missing, files.b, files.c, NULL };
    check_several("a is missing", paths, &reference);
  }
  CU_ASSERT_FALSE(reference.ok);
  CU_ASSERT_TRUE(alone != NULL && reference.error != NULL
                 && g_str_has_suffix(reference.error, alone));
  GP_ASSERT_STR(reference.error, whole.error);
  GP_ASSERT_STR(reference.diags, "");
  CU_ASSERT_FALSE(has(reference.model, "northwind") || has(reference.model, "fabrikam"));
}

/* Files read whole (UTF-16) between streamed ones, the same file twice, a
 * folder last, no file at all. */
static void
test_files_several_mixed(void)
{
  g_auto(SeveralFiles) files = { 0 };

  several_files_init(&files);
  {
    const char *paths[] = { files.a, files.b_utf16, files.c, files.b_utf16, files.a, NULL };
    g_auto(LdifOutcome) reference = { 0 };

    check_several("UTF-16 between plain files", paths, &reference);
    CU_ASSERT_TRUE(reference.ok);
    CU_ASSERT_EQUAL(warnings_in(reference.diags, files.b_utf16),
                    2 * warnings_before(files.b_computers));
    assert_dump_has(&reference, "DC=northwind,DC=com");
  }
  {
    const char *paths[] = { files.b, files.b, files.folder, NULL };
    g_auto(LdifOutcome) reference = { 0 };

    check_several("b twice, then a folder", paths, &reference);
    CU_ASSERT_FALSE(reference.ok);
    CU_ASSERT_TRUE(has(reference.error, files.folder));
    CU_ASSERT_EQUAL(warnings_in(reference.diags, files.b), 2 * warnings_before(files.b_computers));
  }
  {
    const char *paths[] = { NULL };
    g_auto(LdifOutcome) reference = { 0 };
    g_autoptr(GpModel) empty = gp_model_new();
    g_autofree char *dump = dump_model(empty);

    check_several("no file", paths, &reference);
    CU_ASSERT_TRUE(reference.ok);
    CU_ASSERT_TRUE(g_str_has_prefix(reference.model, dump));
  }
}

/* ---------------------------------------------------- files read whole */

/* Checks @len bytes of @data as a file read in blocks of every size, against
 * gp_ldif_load_from_data(): @reference is cleared first. */
static void
check_whole(const char *name, const char *data, gsize len, LdifOutcome *reference)
{
  printf("\n  case: %s", name);
  ldif_outcome_clear(reference);
  check_text_file(name, data, len, NULL, chunk_sizes(), reference);
}

/* Each content that sends a file to the whole-file path, and plain UTF-8
 * beyond ASCII that does not, read in blocks of every size: what
 * gp_ldif_load_from_data() gives the bytes.  The surprises come late in a
 * text of many blocks, once the blocks before are parsed. */
static void
test_files_fallback_contents(void)
{
  guint n = gp_test_under_valgrind() ? 40 : 150, late = n - n / 5;
  g_autofree char *text = large_export(n);
  gsize utf16_len = 0, nul_len = 0, end_len = 0, cp1252_len = 0;
  g_autofree char *utf16 = utf16_with_bom(text, &utf16_len);
  g_autofree char *utf16be = g_convert(text, -1, "UTF-16BE", "UTF-8", NULL, NULL, NULL);
  g_autofree char *utf8_bom = g_strconcat("\xef\xbb\xbf", text, NULL);
  g_autofree char *late_bom = g_strconcat("\n\xef\xbb\xbf", text, NULL);
  g_autofree char *nul = insert_in_computer(text, late, 4, "", 1, &nul_len);
  g_autofree char *nul_at_end = insert_in_computer(text, n - 1, 0, "", 1, &end_len);
  g_autofree char *cp1252 = insert_in_computer(text, late, 7, "Caf\xe9 ", 5, &cp1252_len);
  g_autofree char *cut_char = g_strconcat(text, "\xc3", NULL);
  g_autofree char *accents = replace_all(text, "Windows 11",
                                         "Windows 11 \xc3\xa9"
                                         "dition \xe2\x82\xac \xf0\x9f\x98\x80");
  g_auto(LdifOutcome) reference = { 0 };
  gsize text_len = strlen(text);

  CU_ASSERT_PTR_NOT_NULL_FATAL(utf16be);
  check_whole("UTF-16LE with BOM", utf16, utf16_len, &reference);
  CU_ASSERT_TRUE(reference.ok);
  CU_ASSERT_EQUAL(reference.computers, n);
  {
    /* FE FF then the UTF-16BE text. */
    g_autofree char *be = g_malloc(2 * text_len + 2);
    memcpy(be, "\xfe\xff", 2);
    memcpy(be + 2, utf16be, 2 * text_len);
    check_whole("UTF-16BE with BOM", be, 2 * text_len + 2, &reference);
  }
  {
    /* Without a BOM, UTF-16 has no blank line to cut a block at: the whole
     * file is read, a byte at a time with blocks of 1, before it is found
     * not to be UTF-8; a small text keeps that short. */
    gsize be_len = 0, le_len = 0;
    g_autofree char *be
        = g_convert(truncation_source, -1, "UTF-16BE", "UTF-8", NULL, &be_len, NULL);
    g_autofree char *le
        = g_convert(truncation_source, -1, "UTF-16LE", "UTF-8", NULL, &le_len, NULL);
    check_whole("UTF-16BE without BOM", be, be_len, &reference);
    check_whole("UTF-16LE without BOM", le, le_len, &reference);
    CU_ASSERT_TRUE(reference.ok);
  }
  check_whole("UTF-8 with BOM", utf8_bom, strlen(utf8_bom), &reference);
  CU_ASSERT_TRUE(reference.ok);
  CU_ASSERT_EQUAL(reference.computers, n);
  /* Not a BOM: a character of the second line, in a later block. */
  check_whole("a BOM after a blank line", late_bom, strlen(late_bom), &reference);
  check_whole("a NUL in the middle", nul, nul_len, &reference);
  CU_ASSERT_FALSE(reference.ok);
  check_whole("a NUL in the last record", nul_at_end, end_len, &reference);
  CU_ASSERT_FALSE(reference.ok);
  check_whole("Windows-1252 late in the text", cp1252, cp1252_len, &reference);
  CU_ASSERT_TRUE(reference.ok);
  CU_ASSERT_EQUAL(reference.computers, n);
  assert_dump_has(&reference, "Caf\\303\\251 ");
  check_whole("a UTF-8 character cut at the end", cut_char, strlen(cut_char), &reference);
  /* Read in blocks: reads of 1 and 2 bytes end inside its characters. */
  check_whole("UTF-8 beyond ASCII", accents, strlen(accents), &reference);
  CU_ASSERT_TRUE(reference.ok);
  assert_dump_has(&reference, "dition");
  check_whole("an empty file", "", 0, &reference);
  CU_ASSERT_TRUE(reference.ok);
}

/* Paths that are not regular files: the same error as ever, whatever the
 * blocks; a symbolic link to a file reads the file. */
static void
test_files_fallback_paths(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  static const char *const unreadable[] = { "missing.ldif", "folder.ldif", "dangling.ldif" };
  g_autofree char *link = gp_test_tree_path(tree, "link.ldif");
  g_auto(LdifOutcome) reference = { 0 };

  gp_test_tree_mkdir(tree, "folder.ldif");
  gp_test_tree_write(tree, "target.ldif", truncation_source, -1);
  gp_test_tree_symlink(tree, "target.ldif", "link.ldif");
  gp_test_tree_symlink(tree, "nowhere.ldif", "dangling.ldif");
  for (gsize i = 0; i < G_N_ELEMENTS(unreadable); i++) {
    g_autofree char *path = gp_test_tree_path(tree, unreadable[i]);
    g_auto(LdifOutcome) expected = { 0 };

    printf("\n  case: %s", unreadable[i]);
    unreadable_outcome(path, &expected);
    CU_ASSERT_TRUE(has(expected.error, path));
    check_file_against(unreadable[i], path, NULL, chunk_sizes(), &expected);
  }
  check_file_sizes("a symbolic link", link, truncation_source, strlen(truncation_source), NULL,
                   chunk_sizes(), &reference);
  CU_ASSERT_TRUE(reference.ok);
}

/* ------------------------------------------------------ FIFOs and pipes */

/* Writes a text to a FIFO or a pipe once, as a program writing to it would. */
typedef struct {
  const char *fifo; /* (nullable) a FIFO, opened once a reader has it open */
  int fd;           /* without @fifo: the write end of a pipe */
  int read_end;     /* and its read end, closed once the load returned */
  const char *data;
  gsize len;
  gint done; /* (atomic) the load returned */
} PipeWriter;

/* Opens the FIFO for writing once a reader has it open; -1 when the load
 * returned first.  Never blocks, so that the test cannot hang. */
static int
fifo_open_writer(PipeWriter *writer)
{
  while (!g_atomic_int_get(&writer->done)) {
    int fd = open(writer->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      fcntl(fd, F_SETFL, 0);
      return fd;
    }
    g_usleep(1000);
  }
  return -1;
}

static gpointer
pipe_write(gpointer data)
{
  PipeWriter *writer = data;
  sigset_t pipe_signal;
  gsize written = 0;
  int fd;

  /* A reader that closes early gives EPIPE, not a SIGPIPE ending the test. */
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, NULL);
  fd = writer->fifo ? fifo_open_writer(writer) : writer->fd;
  if (fd < 0)
    return NULL;
  while (written < writer->len) {
    ssize_t n = write(fd, writer->data + written, writer->len - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    written += (gsize)n;
  }
  close(fd);
  /* A loader that opens the FIFO again would wait for a writer forever: it
   * gets one that writes nothing, and the comparison shows what it lost. */
  while (writer->fifo && (fd = fifo_open_writer(writer)) >= 0) {
    close(fd);
    g_usleep(1000);
  }
  return NULL;
}

/* Loads @path (a FIFO, or the read end of @writer's pipe) in blocks of
 * @chunk_bytes while a thread writes @text to it, and checks the outcome is
 * what gp_ldif_load_from_data() gives @text under that name. */
static void
check_pipe_load(const char *how, const char *path, PipeWriter *writer, const char *text,
                gsize chunk_bytes)
{
  g_auto(LdifOutcome) reference = { 0 };
  g_auto(LdifOutcome) outcome = { 0 };
  GThread *thread;

  load_named_outcome(text, strlen(text), path, NULL, 0, &reference);
  CU_ASSERT_TRUE(reference.ok);
  writer->data = text;
  writer->len = strlen(text);
  thread = g_thread_new("pipe-writer", pipe_write, writer);
  load_file_outcome(path, NULL, chunk_bytes, &outcome);
  g_atomic_int_set(&writer->done, 1);
  if (writer->fifo == NULL)
    close(writer->read_end); /* a writer still blocked gets EPIPE */
  g_thread_join(thread);
  CU_ASSERT_TRUE(same_outcome(how, &outcome, &reference));
}

/* Starts counting how many times @path is closed after an open to read.
 * Returns: what count_read_closes() takes, -1 where it cannot count. */
static int
watch_read_closes(const char *path)
{
#ifdef __linux__
  /* Opens and writers' closes are watched too: they separate the read
   * closes, which inotify would merge when one follows another. */
  int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

  if (watch >= 0
      && inotify_add_watch(watch, path, IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0) {
    close(watch);
    watch = -1;
  }
  return watch;
#else
  (void)path;
  return -1;
#endif
}

/* Returns: how many opens to read were closed since watch_read_closes();
 * stops watching. */
static guint
count_read_closes(int watch)
{
  guint count = 0;
#ifdef __linux__
  char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  ssize_t len;

  while ((len = read(watch, events, sizeof events)) > 0) {
    for (char *p = events; p < events + len;) {
      const struct inotify_event *event = (const struct inotify_event *)p;
      count += (event->mask & IN_CLOSE_NOWRITE) != 0;
      p += sizeof *event + event->len;
    }
  }
  close(watch);
#else
  (void)watch;
#endif
  return count;
}

/* The texts a FIFO or a pipe carries: one that a pipe holds whole, so that
 * the writer is gone before the loader reads (echo ... > fifo), and one of
 * more than a pipe holds, so that the writer waits for reads. */
static void
pipe_texts(char **small, char **large)
{
  *small = g_strdup(truncation_source);
  *large = large_export(400);
  CU_ASSERT_TRUE(strlen(*large) > 65536);
}

static const gsize pipe_sizes[] = { 0, 17, 4096 };

static char *
pipe_how(const char *what, const char *text_name, gsize size)
{
  return size ? g_strdup_printf("%s, %s text, read in blocks of %" G_GSIZE_FORMAT, what, text_name,
                                size)
              : g_strdup_printf("%s, %s text, gp_ldif_load_file()", what, text_name);
}

/* A FIFO (mkfifo; a program writes to it once) is opened once and read
 * whole. */
static void
test_files_fifo(void)
{
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autofree char *path = gp_test_tree_path(tree, "fifo.ldif");
  g_autofree char *small = NULL;
  g_autofree char *large = NULL;

  pipe_texts(&small, &large);
  for (gsize i = 0; i < 2 * G_N_ELEMENTS(pipe_sizes); i++) {
    gsize size = pipe_sizes[i % G_N_ELEMENTS(pipe_sizes)];
    gboolean is_small = i < G_N_ELEMENTS(pipe_sizes);
    g_autofree char *how = pipe_how("a FIFO", is_small ? "a small" : "a large", size);
    PipeWriter writer = { .fifo = path };
    int watch;

    CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
    watch = watch_read_closes(path);
    check_pipe_load(how, path, &writer, is_small ? small : large, size);
    /* A FIFO is read once: what an open leaves unread is dropped when it
     * closes, and the next open waits for another writer.  Whether the text
     * is lost depends on when the writer closes; a second open is wrong
     * whenever it closes, so the opens are counted too. */
    if (watch >= 0) {
      guint opens = count_read_closes(watch);
      if (opens != 1)
        printf("\n%s: the FIFO was opened %u times to read", how, opens);
      CU_ASSERT_EQUAL(opens, 1);
    }
    CU_ASSERT_EQUAL(g_unlink(path), 0);
  }
}

/* The read end of a pipe named /dev/fd/N, as bash's <(command) gives it. */
static void
test_files_pipe(void)
{
  g_autofree char *small = NULL;
  g_autofree char *large = NULL;

  if (!g_file_test("/dev/fd", G_FILE_TEST_IS_DIR)) {
    gp_test_skip("no /dev/fd");
    return;
  }
  pipe_texts(&small, &large);
  for (gsize i = 0; i < 2 * G_N_ELEMENTS(pipe_sizes); i++) {
    gsize size = pipe_sizes[i % G_N_ELEMENTS(pipe_sizes)];
    gboolean is_small = i < G_N_ELEMENTS(pipe_sizes);
    g_autofree char *how = pipe_how("a pipe", is_small ? "a small" : "a large", size);
    int fds[2];
    g_autofree char *path = NULL;
    PipeWriter writer = { 0 };

    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    path = g_strdup_printf("/dev/fd/%d", fds[0]);
    writer.read_end = fds[0];
    writer.fd = fds[1];
    check_pipe_load(how, path, &writer, is_small ? small : large, size);
  }
}

static const GpTestCase cases[] = {
  GP_TEST(test_folded_lines),
  GP_TEST(test_folded_dn_name),
  GP_TEST(test_base64_values),
  GP_TEST(test_base64_space_gplink),
  GP_TEST(test_bad_base64_skips_attribute),
  GP_TEST(test_object_sid_forms),
  GP_TEST(test_ldapsearch_comments_and_trailers),
  GP_TEST(test_ldapsearch_failed_result),
  GP_TEST(test_version_line),
  GP_TEST(test_ldifde_changetype),
  GP_TEST(test_line_endings),
  GP_TEST(test_utf16_input),
  GP_TEST(test_merge_two_files),
  GP_TEST(test_samba_sample),
  GP_TEST(test_ignored_classes_note),
  GP_TEST(test_groups_for_tokens),
  GP_TEST(test_wmi_filter_and_wql_link),
  GP_TEST(test_wmi_filter_without_id_warns),
  GP_TEST(test_subnets_and_dc_server_site),
  GP_TEST(test_security_descriptor_sddl),
  GP_TEST(test_security_descriptor_bad_is_a_warning),
  GP_TEST(test_security_descriptor_binary),
  GP_TEST(test_no_note_when_everything_used),
  GP_TEST(test_container_with_gplink_warns),
  GP_TEST(test_site_and_gpc_without_guid),
  GP_TEST(test_computer_record),
  GP_TEST(test_computer_without_cn),
  GP_TEST(test_user_account_control_values),
  GP_TEST(test_bad_integers),
  GP_TEST(test_bad_gpoptions),
  GP_TEST(test_principals),
  GP_TEST(test_users_for_tokens),
  GP_TEST(test_cross_ref_sets_netbios_name),
  GP_TEST(test_attribute_names_any_case),
  GP_TEST(test_blank_line_variants),
  GP_TEST(test_empty_input),
  GP_TEST(test_over_long_lines),
  GP_TEST(test_load_file),
  GP_TEST(test_syntax_errors),
  GP_TEST(test_truncated_everywhere),
  GP_TEST(test_truncated_mid_record),
  GP_TEST(test_binary_garbage),
  GP_TEST(test_nul_bytes_are_an_encoding_error),
  GP_TEST(test_chunked_files),
  GP_TEST(test_chunked_files_merged),
  GP_TEST(test_chunked_table_texts),
  GP_TEST(test_chunked_encodings),
  GP_TEST(test_chunked_every_prefix),
  GP_TEST(test_chunked_cut_points),
  GP_TEST(test_chunked_large_export),
  GP_TEST(test_chunked_large_late_error),
  GP_TEST(test_chunked_large_continuation_error),
  GP_TEST(test_files_several),
  GP_TEST(test_files_several_failing),
  GP_TEST(test_files_several_first_missing),
  GP_TEST(test_files_several_mixed),
  GP_TEST(test_files_fallback_contents),
  GP_TEST(test_files_fallback_paths),
  GP_TEST(test_files_fifo),
  GP_TEST(test_files_pipe),
};

GP_TEST_MAIN("ldif", cases)
