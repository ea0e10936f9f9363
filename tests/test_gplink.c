/* test_gplink.c - gp_som_set_gplink(): link order (the last entry is 1), the
 * spellings real directories write, and every malformed entry reported with
 * the file:line it was read at while the well-formed ones are kept. */
#include "gp-test.h"

#include <stdio.h>
#include <string.h>

#include "gp-model.h"

/* Asserts @cond (evaluated once) and leaves the test when it does not hold,
 * without the longjmp of the _FATAL asserts, which would skip g_autoptr cleanup. */
#define REQUIRE(cond)                                                                              \
  do {                                                                                             \
    gboolean require_ok_ = (cond) ? TRUE : FALSE;                                                  \
    CU_assertImplementation(require_ok_, __LINE__, #cond, __FILE__, "", CU_FALSE);                 \
    if (!require_ok_)                                                                              \
      return;                                                                                      \
  } while (0)

#define FILE_NAME "dc.ldif"
#define LINE      42

#define GUID_A "{1B2C3D4E-0000-0000-0000-00000000A001}"
#define GUID_B "{1B2C3D4E-0000-0000-0000-00000000B001}"
#define GUID_C "{1B2C3D4E-0000-0000-0000-00000000C001}"
#define GUID_D "{1B2C3D4E-0000-0000-0000-00000000D001}"
/* As GPMC writes them: lower-case cn, upper-case DC. */
#define DN_A "cn={1b2c3d4e-0000-0000-0000-00000000a001},cn=policies,cn=system,DC=contoso,DC=com"
#define DN_B "cn={1b2c3d4e-0000-0000-0000-00000000b001},cn=policies,cn=system,DC=contoso,DC=com"
#define DN_C "CN={1B2C3D4E-0000-0000-0000-00000000C001},CN=Policies,CN=System,DC=contoso,DC=com"
#define DN_D "CN={1B2C3D4E-0000-0000-0000-00000000D001},CN=Policies,CN=System,DC=contoso,DC=com"

/* Returns: (transfer full) */
static GpModel *
model_with_som(GpSom **out_som)
{
  GpModel *model = gp_model_new();

  *out_som = gp_model_ensure_som(model, "OU=Web,DC=contoso,DC=com", GP_SOM_OU);
  return model;
}

/* ---------------------------------------------------------------- no links */

static const char *const empty_values[] = { NULL, "", " ", "   ", "\t \r\n" };

static void
test_gplink_empty_values(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(empty_values); i++) {
    GpSom *som;
    g_autoptr(GpModel) model = model_with_som(&som);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();

    gp_som_set_gplink(som, empty_values[i], diags, FILE_NAME, LINE);
    CU_ASSERT_EQUAL(som->links->len, 0);
    CU_ASSERT_EQUAL(diags->len, 0);
    GP_ASSERT_STR(som->gplink_raw, empty_values[i]);
  }
}

/* -------------------------------------------------------------- well formed */

typedef struct {
  const char *dn;
  const char *guid;
  guint options;
} ExpectedLink;

/* Expected links are listed in link order: [0] is link order 1. */
static const struct {
  const char *raw;
  guint n_links;
  ExpectedLink links[4];
} good_cases[] = {
  { "[LDAP://" DN_A ";0]", 1, { { DN_A, GUID_A, 0 } } },
  /* The last entry in the string is link order 1. */
  { "[LDAP://" DN_A ";2][LDAP://" DN_B ";0][LDAP://" DN_C ";1]",
    3,
    { { DN_C, GUID_C, 1 }, { DN_B, GUID_B, 0 }, { DN_A, GUID_A, 2 } } },
  /* Options 0 to 3 are kept as written. */
  { "[LDAP://" DN_D ";3][LDAP://" DN_C ";2][LDAP://" DN_B ";1][LDAP://" DN_A ";0]",
    4,
    { { DN_A, GUID_A, 0 }, { DN_B, GUID_B, 1 }, { DN_C, GUID_C, 2 }, { DN_D, GUID_D, 3 } } },
  /* The prefix in any case, or absent. */
  { "[ldap://" DN_A ";0]", 1, { { DN_A, GUID_A, 0 } } },
  { "[Ldap://" DN_C ";2]", 1, { { DN_C, GUID_C, 2 } } },
  { "[" DN_B ";1]", 1, { { DN_B, GUID_B, 1 } } },
  /* Blanks around and between entries, and around the options. */
  { " [LDAP://" DN_A ";0] [ LDAP://" DN_B " ; 2 ] ",
    2,
    { { DN_B, GUID_B, 2 }, { DN_A, GUID_A, 0 } } },
};

static void
check_link(const GpLink *link, const ExpectedLink *expected, guint order)
{
  GP_ASSERT_STR(link->gpo_dn, expected->dn);
  GP_ASSERT_STR(link->gpo_guid, expected->guid);
  CU_ASSERT_EQUAL(link->options, expected->options);
  CU_ASSERT_EQUAL(link->link_order, order);
}

static void
test_gplink_well_formed(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(good_cases); i++) {
    GpSom *som;
    g_autoptr(GpModel) model = model_with_som(&som);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();

    gp_som_set_gplink(som, good_cases[i].raw, diags, FILE_NAME, LINE);
    GP_ASSERT_STR(som->gplink_raw, good_cases[i].raw);
    CU_ASSERT_EQUAL(diags->len, 0);
    CU_ASSERT_EQUAL(som->links->len, good_cases[i].n_links);
    if (som->links->len != good_cases[i].n_links) {
      printf("\ncase %" G_GSIZE_FORMAT ": %u links\n", i, som->links->len);
      continue;
    }
    for (guint j = 0; j < som->links->len; j++)
      check_link(g_ptr_array_index(som->links, j), &good_cases[i].links[j], j + 1);
  }
}

/* -------------------------------------------------------------- malformed */

static const struct {
  const char *raw;
  const char *kept_guids; /* link order 1 first, ',' between; "" for none */
  guint n_diags;
  GpSeverity severity; /* of the first finding */
  const char *message; /* part of the first finding */
} bad_cases[] = {
  /* Bits other than 1 and 2: kept, the extra bits ignored. */
  { "[LDAP://" DN_A ";4][LDAP://" DN_B ";0]", GUID_B "," GUID_A, 1, GP_SEVERITY_WARNING,
    "has options 4; bits other than 1 (disabled) and 2 (enforced) are ignored" },
  /* Options that are not a 32-bit decimal number: skipped. */
  { "[LDAP://" DN_A ";99999999999][LDAP://" DN_B ";0]", GUID_B, 1, GP_SEVERITY_WARNING,
    "has options '99999999999', not a number from 0 to 4294967295; entry skipped" },
  { "[LDAP://" DN_A ";yes][LDAP://" DN_B ";0]", GUID_B, 1, GP_SEVERITY_WARNING,
    "has options 'yes', not a number" },
  { "[LDAP://" DN_A ";-1][LDAP://" DN_B ";0]", GUID_B, 1, GP_SEVERITY_WARNING,
    "has options '-1', not a number" },
  { "[LDAP://" DN_A ";][LDAP://" DN_B ";0]", GUID_B, 1, GP_SEVERITY_WARNING,
    "has options '', not a number" },
  { "[LDAP://" DN_A "][LDAP://" DN_B ";0]", GUID_B, 1, GP_SEVERITY_WARNING,
    "has no ';options' part; entry skipped" },
  { "[LDAP://" DN_B ";0][LDAP://" DN_A ";0", GUID_B, 1, GP_SEVERITY_WARNING,
    "has no closing ']'; entry skipped" },
  { "junk[LDAP://" DN_A ";0]", GUID_A, 1, GP_SEVERITY_WARNING,
    "gPLink has text 'junk' outside [...] entries; ignored" },
  { "[LDAP://" DN_A ";0]tail", GUID_A, 1, GP_SEVERITY_WARNING,
    "gPLink has text 'tail' outside [...] entries; ignored" },
  { "[LDAP://" DN_A ";0] x [LDAP://" DN_B ";2]", GUID_B "," GUID_A, 1, GP_SEVERITY_WARNING,
    "text 'x ' outside" },
  /* Samba's "empty link looks like [ ]". */
  { "[][LDAP://" DN_A ";0]", GUID_A, 1, GP_SEVERITY_NOTE, "empty entry '[]'; ignored" },
  { "[ ]", "", 1, GP_SEVERITY_NOTE, "empty entry '[]'; ignored" },
  /* Two problems in one value: both reported, in string order. */
  { "junk[LDAP://" DN_A ";x][LDAP://" DN_B ";1]", GUID_B, 2, GP_SEVERITY_WARNING,
    "text 'junk' outside" },
};

/* "A,B" -> the GUIDs of @links in order, joined the same way. */
static char *
joined_guids(const GPtrArray *links)
{
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = 0; i < links->len; i++) {
    const GpLink *link = g_ptr_array_index(links, i);
    if (i > 0)
      g_string_append_c(out, ',');
    g_string_append(out, link->gpo_guid ? link->gpo_guid : "(null)");
    CU_ASSERT_EQUAL(link->link_order, i + 1);
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Every finding carries the file:line the attribute was read at. */
static void
check_located(const GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++) {
    const GpDiagnostic *diag = g_ptr_array_index(diags, i);
    g_autofree char *text = gp_diagnostic_format(diag);
    GP_ASSERT_STR(diag->file, FILE_NAME);
    CU_ASSERT_EQUAL(diag->line, LINE);
    CU_ASSERT_TRUE(g_str_has_prefix(text, FILE_NAME ":42: "));
  }
}

static void
test_gplink_malformed(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
    GpSom *som;
    g_autoptr(GpModel) model = model_with_som(&som);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autofree char *guids = NULL;
    const GpDiagnostic *first;

    gp_som_set_gplink(som, bad_cases[i].raw, diags, FILE_NAME, LINE);
    guids = joined_guids(som->links);
    GP_ASSERT_STR(guids, bad_cases[i].kept_guids);
    GP_ASSERT_STR(som->gplink_raw, bad_cases[i].raw);
    CU_ASSERT_EQUAL(diags->len, bad_cases[i].n_diags);
    if (diags->len == 0)
      continue;
    check_located(diags);
    first = g_ptr_array_index(diags, 0);
    CU_ASSERT_EQUAL(first->severity, bad_cases[i].severity);
    if (!strstr(first->message, bad_cases[i].message))
      printf("\ncase %" G_GSIZE_FORMAT ": '%s' lacks '%s'\n", i, first->message,
             bad_cases[i].message);
    CU_ASSERT_PTR_NOT_NULL(strstr(first->message, bad_cases[i].message));
  }
}

/* Options 4 is kept with the bit as written; the engine tests bits. */
static void
test_gplink_unknown_bits_kept(void)
{
  GpSom *som;
  g_autoptr(GpModel) model = model_with_som(&som);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  const GpLink *link;

  gp_som_set_gplink(som, "[LDAP://" DN_A ";6]", diags, FILE_NAME, LINE);
  REQUIRE(som->links->len == 1);
  link = g_ptr_array_index(som->links, 0);
  CU_ASSERT_EQUAL(link->options, 6);
  CU_ASSERT_TRUE(link->options & GP_LINK_ENFORCED);
  CU_ASSERT_FALSE(link->options & GP_LINK_DISABLED);
  CU_ASSERT_EQUAL(diags->len, 1);
}

/* A DN that names no GPO by GUID (SSSD's test data) is kept for the report. */
static const struct {
  const char *raw;
  const char *dn;
} no_guid_cases[] = {
  { "[OU=Sales,DC=FOO,DC=COM;0]", "OU=Sales,DC=FOO,DC=COM" },
  { "[LDAP://cn=NotAGuid,cn=policies,cn=system,DC=x;0]", "cn=NotAGuid,cn=policies,cn=system,DC=x" },
  { "[LDAP://cn={1b2c3d4e-0000},cn=policies,DC=x;0]", "cn={1b2c3d4e-0000},cn=policies,DC=x" },
};

static void
test_gplink_dn_without_guid(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(no_guid_cases); i++) {
    GpSom *som;
    g_autoptr(GpModel) model = model_with_som(&som);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    const GpLink *link;
    const GpDiagnostic *diag;

    gp_som_set_gplink(som, no_guid_cases[i].raw, diags, FILE_NAME, LINE);
    CU_ASSERT_EQUAL(som->links->len, 1);
    CU_ASSERT_EQUAL(diags->len, 1);
    if (som->links->len != 1 || diags->len != 1)
      continue;
    link = g_ptr_array_index(som->links, 0);
    GP_ASSERT_STR(link->gpo_dn, no_guid_cases[i].dn);
    CU_ASSERT_PTR_NULL(link->gpo_guid);
    CU_ASSERT_EQUAL(link->link_order, 1);
    diag = g_ptr_array_index(diags, 0);
    CU_ASSERT_EQUAL(diag->severity, GP_SEVERITY_WARNING);
    CU_ASSERT_PTR_NOT_NULL(strstr(diag->message, "does not name a GPO by GUID"));
    check_located(diags);
  }
}

/* ------------------------------------------------------------- replacement */

static void
test_gplink_replaced(void)
{
  GpSom *som;
  g_autoptr(GpModel) model = model_with_som(&som);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  const GpLink *link;

  gp_som_set_gplink(som, "[LDAP://" DN_A ";0][LDAP://" DN_B ";0][LDAP://" DN_C ";0]", diags,
                    FILE_NAME, LINE);
  CU_ASSERT_EQUAL(som->links->len, 3);
  gp_som_set_gplink(som, "[LDAP://" DN_D ";2]", diags, FILE_NAME, LINE);
  REQUIRE(som->links->len == 1);
  link = g_ptr_array_index(som->links, 0);
  GP_ASSERT_STR(link->gpo_guid, GUID_D);
  CU_ASSERT_EQUAL(link->link_order, 1);
  GP_ASSERT_STR(som->gplink_raw, "[LDAP://" DN_D ";2]");

  /* Parsing the SOM's own raw value again gives the same links. */
  gp_som_set_gplink(som, som->gplink_raw, diags, FILE_NAME, LINE);
  REQUIRE(som->links->len == 1);
  link = g_ptr_array_index(som->links, 0);
  GP_ASSERT_STR(link->gpo_guid, GUID_D);
  GP_ASSERT_STR(som->gplink_raw, "[LDAP://" DN_D ";2]");

  gp_som_set_gplink(som, NULL, diags, FILE_NAME, LINE);
  CU_ASSERT_EQUAL(som->links->len, 0);
  CU_ASSERT_PTR_NULL(som->gplink_raw);
  CU_ASSERT_EQUAL(diags->len, 0);
}

/* A NULL list discards findings; the well-formed entries are still kept. */
static void
test_gplink_null_diags(void)
{
  GpSom *som;
  g_autoptr(GpModel) model = model_with_som(&som);

  gp_som_set_gplink(som, "x[LDAP://" DN_A ";z][LDAP://" DN_B ";1][", NULL, NULL, 0);
  REQUIRE(som->links->len == 1);
  GP_ASSERT_STR(((const GpLink *)g_ptr_array_index(som->links, 0))->gpo_guid, GUID_B);
}

/* One entry a line: tests/CMakeLists.txt registers each line as a CTest test. */
/* clang-format off */
static const GpTestCase cases[] = {
  GP_TEST(test_gplink_empty_values),
  GP_TEST(test_gplink_well_formed),
  GP_TEST(test_gplink_malformed),
  GP_TEST(test_gplink_unknown_bits_kept),
  GP_TEST(test_gplink_dn_without_guid),
  GP_TEST(test_gplink_replaced),
  GP_TEST(test_gplink_null_diags),
};
/* clang-format on */

GP_TEST_MAIN("gplink", cases)
