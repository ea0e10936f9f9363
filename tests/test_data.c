/* test_data.c - gpsim's own reference data (loaders/gp-data.c): the real
 * data/user-rights.tsv and data/well-known-sids.tsv, and broken copies of them,
 * which are errors naming file:line. */
#include "gp-test.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

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

/* Returns: (transfer full): a model holding the real catalogue and SID names. */
static GpModel *
reference_model_new(void)
{
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autofree char *sids = gp_test_data("well-known-sids.tsv");
  g_autoptr(GError) error = NULL;
  GpModel *model = gp_model_new();

  if (!gp_data_load_rights(rights, model, &error) || !gp_data_load_sids(sids, model, &error))
    CU_FAIL(error->message);
  CU_ASSERT_PTR_NULL(error);
  return model;
}

/* -------------------------------------------------------------- the rights */

static void
test_data_rights_count(void)
{
  g_autoptr(GpModel) model = reference_model_new();
  const GPtrArray *rights = gp_model_rights(model);
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

  CU_ASSERT_EQUAL(rights->len, 45);
  /* Each constant once, each findable by its display name. */
  for (guint i = 0; i < rights->len; i++) {
    const GpRightInfo *info = g_ptr_array_index(rights, i);
    CU_ASSERT_TRUE(g_hash_table_add(seen, info->constant));
    CU_ASSERT_TRUE(g_str_has_prefix(info->constant, "Se"));
    CU_ASSERT_PTR_EQUAL(gp_model_lookup_right(model, info->display_name), info);
  }
}

typedef struct {
  const char *constant;
  const char *display_name;
  gboolean is_logon_right;
  /* Holders for every role, "*SID" or a bare name, ',' between; NULL: not defined. */
  const char *defaults[GP_ROLE_COUNT];
} RightCase;

#define ALL_ROLES(holders)                                                                         \
  {                                                                                                \
    holders, holders, holders, holders                                                             \
  }

static const RightCase right_cases[] = {
  { "SeImpersonatePrivilege", "Impersonate a client after authentication", FALSE,
    ALL_ROLES("*S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6") },
  { "SeNetworkLogonRight",
    "Access this computer from the network",
    TRUE,
    { "*S-1-1-0,*S-1-5-32-544,*S-1-5-11,*S-1-5-9,*S-1-5-32-554",
      "*S-1-1-0,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551",
      "*S-1-1-0,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551",
      "*S-1-1-0,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551" } },
  { "SeDenyNetworkLogonRight", "Deny access to this computer from the network", TRUE,
    ALL_ROLES("Guest") },
  { "SeTcbPrivilege", "Act as part of the operating system", FALSE, ALL_ROLES(NULL) },
  { "SeDenyInteractiveLogonRight", "Deny log on locally", TRUE, ALL_ROLES(NULL) },
  { "SeCreateTokenPrivilege",
    "Create a token object",
    FALSE,
    { "*S-1-5-18", "*S-1-5-18", "*S-1-5-18", NULL } },
  { "SeMachineAccountPrivilege",
    "Add workstations to domain",
    FALSE,
    { "*S-1-5-11", NULL, NULL, NULL } },
  { "SeAssignPrimaryTokenPrivilege", "Replace a process level token", FALSE,
    ALL_ROLES("*S-1-5-20,*S-1-5-19") },
};

/* The holders as "*SID" or a bare name, ',' between, as the cases write them. */
static char *
holders_text(const GPtrArray *holders)
{
  g_autoptr(GString) out = g_string_new(NULL);

  if (!holders)
    return NULL;
  for (guint i = 0; i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    if (i > 0)
      g_string_append_c(out, ',');
    if (holder->sid && holder->name)
      g_string_append_printf(out, "*%s=%s", holder->sid, holder->name);
    else if (holder->sid)
      g_string_append_printf(out, "*%s", holder->sid);
    else
      g_string_append(out, holder->name);
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
check_right(const GpModel *model, const RightCase *expected)
{
  const GpRightInfo *info = gp_model_lookup_right(model, expected->constant);

  CU_ASSERT_PTR_NOT_NULL(info);
  if (!info) {
    printf("\n%s is not in the catalogue\n", expected->constant);
    return;
  }
  GP_ASSERT_STR(info->constant, expected->constant);
  GP_ASSERT_STR(info->display_name, expected->display_name);
  CU_ASSERT_EQUAL(info->is_logon_right, expected->is_logon_right);
  for (int role = 0; role < GP_ROLE_COUNT; role++) {
    g_autofree char *text = holders_text(info->defaults[role]);
    GP_ASSERT_STR(text, expected->defaults[role]);
  }
}

static void
test_data_rights_defaults(void)
{
  g_autoptr(GpModel) model = reference_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(right_cases); i++)
    check_right(model, &right_cases[i]);
}

/* The Guest default is a name only: nothing is guessed for its SID. */
static void
test_data_rights_bare_name(void)
{
  g_autoptr(GpModel) model = reference_model_new();
  const GpRightInfo *info = gp_model_lookup_right(model, "SeDenyNetworkLogonRight");
  const GpPrincipal *guest;

  REQUIRE(info != NULL);
  for (int role = 0; role < GP_ROLE_COUNT; role++) {
    REQUIRE(info->defaults[role] != NULL && info->defaults[role]->len == 1);
    guest = g_ptr_array_index(info->defaults[role], 0);
    GP_ASSERT_STR(guest->name, "Guest");
    CU_ASSERT_PTR_NULL(guest->sid);
  }
}

/* ---------------------------------------------------------------- the SIDs */

static const struct {
  const char *sid;
  const char *name;
} sid_name_cases[] = {
  { "S-1-5-32-568", "BUILTIN\\IIS_IUSRS" },
  { "S-1-5-6", "NT AUTHORITY\\SERVICE" },
  { "S-1-5-32-544", "BUILTIN\\Administrators" },
  { "S-1-5-32-546", "BUILTIN\\Guests" },
  /* Domain accounts, named once the domain's SID is known. */
  { "S-1-5-21-1004336348-1177238915-682003330-512", "CONTOSO\\Domain Admins" },
  { "S-1-5-21-1004336348-1177238915-682003330-501", "CONTOSO\\Guest" },
  { "S-1-5-21-1004336348-1177238915-682003330-519", "CONTOSO\\Enterprise Admins" },
  { "S-1-5-21-1004336348-1177238915-682003330-1105", NULL },
  { "S-1-5-21-1-2-3-512", NULL },
};

static void
test_data_sids(void)
{
  g_autoptr(GpModel) model = reference_model_new();
  GpDomain *domain = gp_model_ensure_domain(model, "DC=contoso,DC=com");

  domain->sid = g_strdup("S-1-5-21-1004336348-1177238915-682003330");
  /* Not yet completed: the D-512 row names nobody. */
  CU_ASSERT_PTR_NULL(gp_model_principal_name(model, sid_name_cases[4].sid));
  gp_model_complete(model);
  for (gsize i = 0; i < G_N_ELEMENTS(sid_name_cases); i++)
    GP_ASSERT_STR(gp_model_principal_name(model, sid_name_cases[i].sid), sid_name_cases[i].name);
  GP_ASSERT_STR(gp_model_principal_sid(model, "contoso\\domain admins"),
                "S-1-5-21-1004336348-1177238915-682003330-512");
  GP_ASSERT_STR(gp_model_principal_sid(model, "IIS_IUSRS"), "S-1-5-32-568");
  /* "D-512" is a template, not a principal. */
  CU_ASSERT_PTR_NULL(gp_model_principal_name(model, "D-512"));
}

/* ------------------------------------------------------------- broken data */

typedef gboolean (*DataLoader)(const char *path, GpModel *model, GError **error);

static const struct {
  DataLoader load;
  const char *contents;
  gboolean ok;
  guint line;          /* of the error */
  const char *message; /* after "PATH:LINE: " */
} broken_cases[] = {
  { gp_data_load_rights,
    "constant\tdisplay_name\tkind\n"
    "SeTcbPrivilege\tAct as part of the operating system\tprivilege\t-\n",
    FALSE, 2, "expected 9 tab-separated columns, found 4; reinstall gpsim" },
  /* Comments and blank lines count in line numbers. */
  { gp_data_load_rights,
    "# comment\n\nheader\n"
    "SeTcbPrivilege\tAct\tprivilege\t-\t-\t-\t-\t-\t-\n"
    "\n"
    "SeDebugPrivilege\tDebug programs\n",
    FALSE, 6, "expected 9 tab-separated columns, found 2; reinstall gpsim" },
  { gp_data_load_rights, "header\r\nSeTcbPrivilege\tAct\tprivilege\t-\t-\t-\t-\t-\t-\r\n", TRUE, 0,
    NULL },
  { gp_data_load_sids, "sid\tname\nS-1-5-6\n", FALSE, 2,
    "expected 'SID<TAB>name'; reinstall gpsim" },
  { gp_data_load_sids, "sid\tname\nS-1-5-6\t\n", FALSE, 2,
    "expected 'SID<TAB>name'; reinstall gpsim" },
  { gp_data_load_sids, "# c\nsid\tname\nS-1-5-6\tNT AUTHORITY\\SERVICE\nNOT-A-SID\tFoo\n", FALSE, 4,
    "'NOT-A-SID' is not a SID; reinstall gpsim" },
  { gp_data_load_sids, "sid\tname\nS-1-5-\tFoo\n", FALSE, 2,
    "'S-1-5-' is not a SID; reinstall gpsim" },
  { gp_data_load_sids, "sid\tname\nD-abc\tFoo\n", FALSE, 2,
    "'D-abc' is not a SID; reinstall gpsim" },
  { gp_data_load_sids, "sid\tname\r\nS-1-5-6\tSERVICE\r\nD-512\tDomain Admins\r\n", TRUE, 0, NULL },
  { gp_data_load_sids, "", TRUE, 0, NULL },
};

static void
check_broken(gsize i, const char *path)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gboolean ok = broken_cases[i].load(path, model, &error);

  CU_ASSERT_EQUAL(ok, broken_cases[i].ok);
  if (broken_cases[i].ok) {
    CU_ASSERT_PTR_NULL(error);
    return;
  }
  expected = g_strdup_printf("%s:%u: %s", path, broken_cases[i].line, broken_cases[i].message);
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_SYNTAX));
  GP_ASSERT_STR(error ? error->message : NULL, expected);
}

static void
test_data_broken_files(void)
{
  g_autofree char *dir = g_build_filename(g_get_tmp_dir(), "gpsim-data-XXXXXX", NULL);

  REQUIRE(g_mkdtemp(dir) != NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(broken_cases); i++) {
    g_autofree char *name = g_strdup_printf("case-%" G_GSIZE_FORMAT ".tsv", i);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autoptr(GError) error = NULL;

    CU_ASSERT_TRUE(g_file_set_contents(path, broken_cases[i].contents, -1, &error));
    check_broken(i, path);
    CU_ASSERT_EQUAL(g_remove(path), 0);
  }
  CU_ASSERT_EQUAL(g_rmdir(dir), 0);
}

static void
test_data_missing_file(void)
{
  static const DataLoader loaders[] = { gp_data_load_rights, gp_data_load_sids };
  g_autofree char *path = gp_test_data("no-such-file.tsv");

  for (gsize i = 0; i < G_N_ELEMENTS(loaders); i++) {
    g_autoptr(GpModel) model = gp_model_new();
    g_autoptr(GError) error = NULL;

    CU_ASSERT_FALSE(loaders[i](path, model, &error));
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_IO));
    CU_ASSERT_TRUE(error && g_str_has_prefix(error->message, path));
    CU_ASSERT_PTR_NOT_NULL(error ? strstr(error->message, "cannot read gpsim data file") : NULL);
    CU_ASSERT_EQUAL(gp_model_rights(model)->len, 0);
  }
}

/* One entry a line: tests/CMakeLists.txt registers each line as a CTest test. */
/* clang-format off */
static const GpTestCase cases[] = {
  GP_TEST(test_data_rights_count),
  GP_TEST(test_data_rights_defaults),
  GP_TEST(test_data_rights_bare_name),
  GP_TEST(test_data_sids),
  GP_TEST(test_data_broken_files),
  GP_TEST(test_data_missing_file),
};
/* clang-format on */

GP_TEST_MAIN("data", cases)
