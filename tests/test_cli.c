/* test_cli.c - the gpsim binary end to end on the bundled contoso lab.
 *
 * Runs the real executable, parses its JSON with json-glib and checks the
 * answers the lab's README promises, the exit codes and the error lines.  The
 * full JSON of the main job is also compared with a golden file
 * (fixtures/labs/contoso/expected/); GP_UPDATE_EXPECTED=1 rewrites it.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/wait.h>
#include <string.h>

#include "gp-test-cli.h"

/* The explain JSON of @computer for @right on the bundled lab. */
static JsonNode *
explain_json(const char *computer, const char *right)
{
  const char *args[]
      = { "explain", "--computer", computer, "--right", right, "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  return gp_test_json(run.out);
}

static JsonObject *
first_right(JsonNode *root)
{
  JsonArray *rights = json_object_get_array_member(json_node_get_object(root), "rights");

  CU_ASSERT_EQUAL_FATAL(json_array_get_length(rights), 1);
  return json_array_get_object_element(rights, 0);
}

/* "S-1-5-32-544,S-1-5-19" from a holders array. */
static char *
holder_sids(JsonArray *holders)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(holders); i++) {
    const char *sid = gp_test_json_string(json_array_get_object_element(holders, i), "sid");
    g_string_append_printf(out, "%s%s", i ? "," : "", sid ? sid : "-");
  }
  return g_string_free(out, FALSE);
}

/* "name:STATUS:REASON" for every GPO entry, in order. */
static char *
gpo_list(JsonNode *root)
{
  JsonArray *gpos = json_object_get_array_member(json_node_get_object(root), "gpos");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(gpos); i++) {
    JsonObject *gpo = json_array_get_object_element(gpos, i);
    const char *reason = gp_test_json_string(gpo, "reason");
    g_string_append_printf(out, "%s%s%s%s", i ? " | " : "", gp_test_json_string(gpo, "name"),
                           json_object_get_boolean_member(gpo, "enforced") ? "[E]" : "",
                           reason ? "" : "");
    if (reason)
      g_string_append_printf(out, " (%s)", reason);
  }
  return g_string_free(out, FALSE);
}

/* "name=outcome" for every definition. */
static char *
definition_list(JsonObject *right)
{
  JsonArray *definitions = json_object_get_array_member(right, "definitions");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(definitions); i++) {
    JsonObject *definition = json_array_get_object_element(definitions, i);
    g_string_append_printf(out, "%s%s=%s", i ? " " : "", gp_test_json_string(definition, "name"),
                           gp_test_json_string(definition, "outcome"));
  }
  return g_string_free(out, FALSE);
}

/* ------------------------------------------------------- lab answers */

#define DEF        "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6"
#define LEGACY_SVC "S-1-5-21-1004336348-1177238915-682003330-1105"

static const struct {
  const char *computer;
  const char *right;
  const char *source;
  const char *winner; /* NULL: no GPO wins */
  const char *holders;
  gboolean greyed_out;
  const char *definitions;
} lab_answers[] = {
  { "WEB01", "SeImpersonatePrivilege", "gpo", "IIS Web Tier", DEF ",S-1-5-32-568", TRUE,
    "Old Web Settings=not-applied IIS Web Tier=won Server Baseline=overridden" },
  { "web02.contoso.com", "SeImpersonatePrivilege", "gpo", "IIS Web Tier", DEF ",S-1-5-32-568", TRUE,
    "Old Web Settings=not-applied IIS Web Tier=won Server Baseline=overridden" },
  { "APP01", "SeImpersonatePrivilege", "gpo", "Server Baseline", DEF, TRUE, "Server Baseline=won" },
  { "LEGACY01$", "SeImpersonatePrivilege", "gpo", "Legacy App Rights", DEF "," LEGACY_SVC, TRUE,
    "Legacy App Rights=won Server Baseline=not-applied" },
  { "LEGACY01", "SeDebugPrivilege", "gpo", "Contoso Security Baseline", "S-1-5-32-544", TRUE,
    "Contoso Security Baseline=won Legacy App Rights=overridden" },
  { "WS01", "SeImpersonatePrivilege", "default", NULL, DEF, FALSE, "Pilot Rights=not-applied" },
  { "DC01", "SeImpersonatePrivilege", "gpo", "Default Domain Controllers Policy", DEF, TRUE,
    "Default Domain Controllers Policy=won" },
  { "KIOSK01", "Impersonate a client after authentication", "default", NULL, DEF, FALSE, "" },
  { "WEB01", "SeTcbPrivilege", "gpo", "Contoso Security Baseline", "", TRUE,
    "Contoso Security Baseline=won" },
};

static void
test_lab_answers(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(lab_answers); i++) {
    g_autoptr(JsonNode) root = explain_json(lab_answers[i].computer, lab_answers[i].right);
    JsonObject *right = first_right(root);
    JsonNode *winner = json_object_get_member(right, "winner");
    g_autofree char *holders = holder_sids(json_object_get_array_member(right, "holders"));
    g_autofree char *definitions = definition_list(right);

    printf("\n  case %u: %s %s", i, lab_answers[i].computer, lab_answers[i].right);
    GP_ASSERT_STR(gp_test_json_string(right, "source"), lab_answers[i].source);
    GP_ASSERT_STR(JSON_NODE_HOLDS_NULL(winner)
                      ? NULL
                      : gp_test_json_string(json_node_get_object(winner), "name"),
                  lab_answers[i].winner);
    GP_ASSERT_STR(holders, lab_answers[i].holders);
    CU_ASSERT_EQUAL(json_object_get_boolean_member(right, "local_greyed_out"),
                    lab_answers[i].greyed_out);
    GP_ASSERT_STR(definitions, lab_answers[i].definitions);
  }
}

static void
test_precedence_list_web01(void)
{
  g_autoptr(JsonNode) root = explain_json("WEB01", "SeImpersonatePrivilege");
  g_autofree char *list = gpo_list(root);

  GP_ASSERT_STR(list, "Contoso Security Baseline[E] | Old Web Settings (COMPUTER_SETTINGS_DISABLED)"
                      " | IIS Web Tier | Server Baseline | Default Domain Policy | HQ Site Settings"
                      " | Local Group Policy");
}

static void
test_precedence_list_blocked_ou(void)
{
  g_autoptr(JsonNode) root = explain_json("LEGACY01", "SeImpersonatePrivilege");
  g_autofree char *list = gpo_list(root);

  GP_ASSERT_STR(list, "Contoso Security Baseline[E] | Legacy App Rights | Local Group Policy"
                      " | Server Baseline (BLOCKED) | Default Domain Policy (BLOCKED)"
                      " | HQ Site Settings (BLOCKED)");
}

static void
test_precedence_list_disabled_and_dangling(void)
{
  g_autoptr(JsonNode) root = explain_json("WS01", "SeImpersonatePrivilege");
  g_autofree char *list = gpo_list(root);

  GP_ASSERT_STR(list, "Contoso Security Baseline[E] | Workstation Baseline"
                      " | {A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A10FF} (GPO_NOT_FOUND)"
                      " | Default Domain Policy | HQ Site Settings | Local Group Policy"
                      " | Pilot Rights (LINK_DISABLED)");
}

static void
test_computer_block(void)
{
  g_autoptr(JsonNode) root = explain_json("DC01", "SeImpersonatePrivilege");
  JsonObject *computer = json_object_get_object_member(json_node_get_object(root), "computer");

  GP_ASSERT_STR(gp_test_json_string(json_node_get_object(root), "schema"), "gpsim.explain/1");
  GP_ASSERT_STR(gp_test_json_string(computer, "name"), "DC01");
  GP_ASSERT_STR(gp_test_json_string(computer, "dn"),
                "CN=DC01,OU=Domain Controllers,DC=contoso,DC=com");
  GP_ASSERT_STR(gp_test_json_string(computer, "role"), "domain-controller");
  GP_ASSERT_STR(gp_test_json_string(computer, "site"), "HQ");
}

static void
test_holder_names(void)
{
  g_autoptr(JsonNode) root = explain_json("LEGACY01", "SeImpersonatePrivilege");
  JsonArray *holders = json_object_get_array_member(first_right(root), "holders");
  GString *names = g_string_new(NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < json_array_get_length(holders); i++)
    g_string_append_printf(names, "%s%s", i ? "; " : "",
                           gp_test_json_string(json_array_get_object_element(holders, i), "name"));
  text = g_string_free(names, FALSE);
  GP_ASSERT_STR(text, "BUILTIN\\Administrators; NT AUTHORITY\\LOCAL SERVICE; "
                      "NT AUTHORITY\\NETWORK SERVICE; NT AUTHORITY\\SERVICE; CONTOSO\\svc-legacy");
}

static void
test_all_rights_without_right_option(void)
{
  const char *args[] = { "explain", "--computer", "WEB01", "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rights;
  GString *names = g_string_new(NULL);
  g_autofree char *text = NULL;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  rights = json_object_get_array_member(json_node_get_object(root), "rights");
  for (guint i = 0; i < json_array_get_length(rights); i++)
    g_string_append_printf(names, "%s ",
                           gp_test_json_string(json_array_get_object_element(rights, i), "right"));
  text = g_string_free(names, FALSE);
  /* Defined by some GPO on WEB01's list, in catalogue order. */
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "SeImpersonatePrivilege "));
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "SeTimeZonePrivilege "));
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "SeDebugPrivilege "));
  CU_ASSERT_PTR_NULL(strstr(text, "SeShutdownPrivilege ")); /* only the workstations' GPO */
}

static void
test_local_policy_option(void)
{
  g_autofree char *local = gp_test_fixture("labs/contoso/local/WEB01-secedit.inf");
  const char *args[] = { "explain", "--computer", "WS01",     "--right", "SeImpersonatePrivilege",
                         "--local", local,        "--format", "json",    NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *right;
  g_autofree char *holders = NULL;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  right = first_right(root);
  holders = holder_sids(json_object_get_array_member(right, "holders"));
  GP_ASSERT_STR(gp_test_json_string(right, "source"), "local");
  GP_ASSERT_STR(holders, "S-1-5-19,S-1-5-20,S-1-5-32-544,S-1-5-32-568,S-1-5-6");
}

static void
test_site_option_none(void)
{
  const char *args[] = { "explain", "--computer", "WEB01",    "--right", "SeTimeZonePrivilege",
                         "--site",  "",           "--format", "json",    NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *computer;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  computer = json_object_get_object_member(json_node_get_object(root), "computer");
  CU_ASSERT_TRUE(json_node_is_null(json_object_get_member(computer, "site")));
  GP_ASSERT_STR(gp_test_json_string(first_right(root), "source"), "default");
}

static void
test_text_output_sentences(void)
{
  const char *args[]
      = { "explain", "--computer", "WEB01", "--right", "SeImpersonatePrivilege", NULL };
  const char *ws_args[]
      = { "explain", "--computer", "WS01", "--right", "SeImpersonatePrivilege", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GpTestRun) ws = { 0 };

  gp_test_run(&run, args);
  gp_test_run(&ws, ws_args);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out,
                                "greyed out in secpol.msc because GPO 'IIS Web Tier' "
                                "linked at OU=Web,OU=Servers,DC=contoso,DC=com defines it"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "BUILTIN\\IIS_IUSRS"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ws.out, "editable: no applied GPO defines it"));
}

/* Control characters in names reach JSON escaped, all of U+0000..U+001F. */
static void
test_json_escapes_controls(void)
{
  g_autofree char *ldif_path = gp_test_fixture("labs/contoso/contoso.ldif");
  g_autofree char *sysvol = gp_test_fixture("labs/contoso/sysvol");
  g_autofree char *text = NULL;
  g_autofree char *encoded = g_base64_encode((const guchar *)"Default\x1f"
                                                             "Domain\x01Policy",
                                             21);
  g_autofree char *line = g_strdup_printf("displayName:: %s", encoded);
  g_autoptr(GpTestTree) tree = gp_test_tree_new();
  g_autofree char *ldif = gp_test_tree_path(tree, "controls.ldif");
  const char *args[]
      = { "rsop", "--ldif", ldif, "--sysvol", sysvol, "--right", "SeImpersonatePrivilege", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GStrv) parts = NULL;
  g_autofree char *changed = NULL;

  CU_ASSERT_TRUE_FATAL(g_file_get_contents(ldif_path, &text, NULL, NULL));
  parts = g_strsplit(text, "displayName: Default Domain Policy", 2);
  CU_ASSERT_EQUAL_FATAL(g_strv_length(parts), 2);
  changed = g_strjoinv(line, parts);
  gp_test_tree_write(tree, "controls.ldif", changed, -1);
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Default\\u001fDomain\\u0001Policy"));
  CU_ASSERT_PTR_NULL(strchr(run.out, 0x1f));
}

static void
test_rsop_jsonl(void)
{
  const char *args[] = { "rsop", "--right", "SeImpersonatePrivilege", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  guint objects = 0;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  lines = g_strsplit(run.out, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    g_autoptr(JsonNode) root = NULL;
    if (!lines[i][0])
      continue;
    root = gp_test_json(lines[i]);
    CU_ASSERT_PTR_NOT_NULL_FATAL(root);
    GP_ASSERT_STR(gp_test_json_string(json_node_get_object(root), "schema"), "gpsim.explain/1");
    objects++;
  }
  CU_ASSERT_EQUAL(objects, 7); /* DC01 APP01 WEB01 WEB02 LEGACY01 WS01 KIOSK01 */
}

/* ------------------------------------------------------ errors, exits */

static const struct {
  const char *args[8];
  int status;
  const char *stderr_has;
} error_cases[] = {
  { { "explain", "--computer", "NOPE", NULL }, 1, "no computer named 'NOPE'" },
  { { "explain", "--computer", "NOPE", NULL }, 1, "WEB01" },
  { { "explain", "--computer", "WEB01", "--right", "SeMadeUpPrivilege", NULL },
    1,
    "unknown user right 'SeMadeUpPrivilege'" },
  { { "explain", NULL }, 1, "explain needs --computer" },
  { { "explain", "--computer", "WEB01", "--format", "xml", NULL }, 1, "--format" },
  { { "frobnicate", NULL }, 1, "unknown command 'frobnicate'" },
  { { "explain", "--computer", "WEB01", "--ldif", "/nonexistent/x.ldif", NULL },
    2,
    "/nonexistent/x.ldif" },
  { { "explain", "--computer", "WEB01", "--sysvol", "/nonexistent", NULL }, 2, "/nonexistent" },
  { { "explain", "--bogus", NULL }, 1, "bogus" },
};

static void
test_error_exit_codes(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(error_cases); i++) {
    g_auto(GpTestRun) run = { 0 };
    gp_test_run(&run, error_cases[i].args);
    printf("\n  case %u: status %d, stderr: %s", i, run.status, run.err);
    CU_ASSERT_EQUAL(run.status, error_cases[i].status);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, error_cases[i].stderr_has));
    CU_ASSERT_STRING_EQUAL(run.out, "");
  }
}

static void
test_output_file_is_atomic(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "out.json", NULL);
  const char *ok_args[]
      = { "explain", "--computer", "WEB01", "--format", "json", "-o", path, NULL };
  const char *bad_args[]
      = { "explain", "--computer", "NOPE", "--format", "json", "-o", path, NULL };
  g_auto(GpTestRun) ok = { 0 };
  g_auto(GpTestRun) bad = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  gp_test_run(&ok, ok_args);
  CU_ASSERT_EQUAL(ok.status, 0);
  CU_ASSERT_STRING_EQUAL(ok.out, "");
  CU_ASSERT_TRUE_FATAL(g_file_get_contents(path, &before, NULL, NULL));
  gp_test_run(&bad, bad_args);
  CU_ASSERT_EQUAL(bad.status, 1);
  CU_ASSERT_TRUE_FATAL(g_file_get_contents(path, &after, NULL, NULL));
  CU_ASSERT_STRING_EQUAL(before, after); /* an error never truncates an existing output */
  g_remove(path);
  g_rmdir(dir);
}

static void
test_explicit_sources_match_bundled_lab(void)
{
  g_autofree char *ldif = gp_test_fixture("labs/contoso/contoso.ldif");
  g_autofree char *sysvol = gp_test_fixture("labs/contoso/sysvol");
  const char *explicit_args[] = { "rsop", "--ldif", ldif, "--sysvol", sysvol, NULL };
  const char *bundled_args[] = { "rsop", NULL };
  g_auto(GpTestRun) explicit_run = { 0 };
  g_auto(GpTestRun) bundled = { 0 };

  gp_test_run(&explicit_run, explicit_args);
  gp_test_run(&bundled, bundled_args);
  CU_ASSERT_EQUAL(explicit_run.status, 0);
  CU_ASSERT_EQUAL(bundled.status, 0);
  CU_ASSERT_STRING_EQUAL(explicit_run.out, bundled.out);
}

static void
test_golden_main_job(void)
{
  const char *args[] = { "explain",  "--computer", "WEB01", "--right", "SeImpersonatePrivilege",
                         "--format", "json",       NULL };
  g_autofree char *expected_path
      = gp_test_fixture("labs/contoso/expected/WEB01-SeImpersonatePrivilege.json");
  g_autofree char *expected = NULL;
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  if (g_getenv("GP_UPDATE_EXPECTED"))
    CU_ASSERT_TRUE(g_file_set_contents(expected_path, run.out, -1, NULL));
  CU_ASSERT_TRUE_FATAL(g_file_get_contents(expected_path, &expected, NULL, NULL));
  GP_ASSERT_STR(run.out, expected);
}

/* ------------------------------------------------- the fabrikam forest */

#define FAB_DEF     "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6"
#define FAB_SVC_APP "S-1-5-21-2000000001-2000000002-2000000003-1103"

static const struct {
  const char *computer;
  const char *right;
  const char *extra[4]; /* modeling options */
  const char *winner;   /* NULL: no GPO wins */
  const char *holders;
} fabrikam_answers[] = {
  { "APP01", "SeImpersonatePrivilege", { NULL }, "Server 2022 Rights", FAB_DEF ",S-1-5-32-568" },
  { "APP02",
    "SeImpersonatePrivilege",
    { "--wmi", "Server 2022 only=false", NULL },
    "App Team Impersonation",
    FAB_DEF "," FAB_SVC_APP },
  { "APP01",
    "SeImpersonatePrivilege",
    { "--wmi", "assume-false", NULL },
    "Impersonation Hardening",
    "S-1-5-32-544,S-1-5-6" },
  { "APP01",
    "SeImpersonatePrivilege",
    { "--wmi", "Server 2022 only=false", "--add-group", "App Servers" },
    "App Team Impersonation",
    FAB_DEF "," FAB_SVC_APP },
  { "FAB-DC01", "SeImpersonatePrivilege", { NULL }, "Default Domain Controllers Policy", FAB_DEF },
  { "APP01", "SeTimeZonePrivilege", { "--ip", "10.1.5.7", NULL }, "Paris Site Rights", NULL },
  { "APP01", "SeTimeZonePrivilege", { "--ip", "10.1.9.9", NULL }, "London Site Rights", NULL },
  { "APP01", "SeTimeZonePrivilege", { "--ip", "192.168.1.1", NULL }, NULL, NULL },
  { "FAB-DC01", "SeTimeZonePrivilege", { NULL }, "London Site Rights", NULL },
  { "EMEA-WS01", "SeImpersonatePrivilege", { NULL }, NULL, FAB_DEF },
};

static JsonNode *
fabrikam_json(guint row)
{
  g_autofree char *root_ldif = gp_test_fixture("labs/fabrikam/fabrikam.ldif");
  g_autofree char *child_ldif = gp_test_fixture("labs/fabrikam/emea.ldif");
  g_autofree char *sysvol = gp_test_fixture("labs/fabrikam/sysvol");
  g_autoptr(GPtrArray) args = g_ptr_array_new();
  g_auto(GpTestRun) run = { 0 };
  const char *base[] = { "explain",
                         "--ldif",
                         root_ldif,
                         "--ldif",
                         child_ldif,
                         "--sysvol",
                         sysvol,
                         "--computer",
                         fabrikam_answers[row].computer,
                         "--right",
                         fabrikam_answers[row].right,
                         "--format",
                         "json" };

  for (guint i = 0; i < G_N_ELEMENTS(base); i++)
    g_ptr_array_add(args, (gpointer)base[i]);
  for (guint i = 0; i < 4 && fabrikam_answers[row].extra[i]; i++)
    g_ptr_array_add(args, (gpointer)fabrikam_answers[row].extra[i]);
  g_ptr_array_add(args, NULL);
  gp_test_run(&run, (const char *const *)args->pdata);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  return gp_test_json(run.out);
}

static void
test_fabrikam_answers(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(fabrikam_answers); i++) {
    g_autoptr(JsonNode) root = fabrikam_json(i);
    JsonObject *right = first_right(root);
    JsonNode *winner = json_object_get_member(right, "winner");
    g_autofree char *holders = holder_sids(json_object_get_array_member(right, "holders"));

    printf("\n  case %u: %s %s", i, fabrikam_answers[i].computer, fabrikam_answers[i].right);
    GP_ASSERT_STR(JSON_NODE_HOLDS_NULL(winner)
                      ? NULL
                      : gp_test_json_string(json_node_get_object(winner), "name"),
                  fabrikam_answers[i].winner);
    if (fabrikam_answers[i].holders)
      GP_ASSERT_STR(holders, fabrikam_answers[i].holders);
  }
}

/* Security filtering, the WMI assumption and the dangling link, as the JSON says them. */
static void
test_fabrikam_reasons(void)
{
  g_autoptr(JsonNode) app01 = fabrikam_json(2);
  g_autoptr(JsonNode) ws = fabrikam_json(9);
  g_autofree char *app_list = gpo_list(app01);
  g_autofree char *ws_list = gpo_list(ws);

  CU_ASSERT_PTR_NOT_NULL(strstr(app_list, "Server 2022 Rights (WMI_FILTER_FALSE)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(app_list, "App Team Impersonation (SECURITY_FILTER_DENIED)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(app_list, "Print Spooler Fix (SECURITY_FILTER_DENIED)"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ws_list, "(GPO_NOT_FOUND)"));
  /* no inheritance from the parent domain, enforced or not */
  CU_ASSERT_PTR_NULL(strstr(ws_list, "Legacy Import"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ws_list, "Root Baseline")); /* linked on emea itself */
}

static void
test_wmi_sensitivity_note(void)
{
  g_autoptr(JsonNode) root = fabrikam_json(0);
  JsonArray *notes = json_object_get_array_member(first_right(root), "notes");
  gboolean found = FALSE;

  for (guint i = 0; i < json_array_get_length(notes); i++)
    found |= strstr(json_array_get_string_element(notes, i),
                    "if WMI filter 'Server 2022 only' were false")
             != NULL;
  CU_ASSERT_TRUE(found);
}

static void
test_standalone_local_only(void)
{
  g_autofree char *local = gp_test_fixture("labs/contoso/local/WEB01-secedit.inf");
  const char *args[] = { "explain",  "--local", local, "--right", "SeImpersonatePrivilege",
                         "--format", "json",    NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *computer;
  g_autofree char *list = NULL;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  computer = json_object_get_object_member(json_node_get_object(root), "computer");
  GP_ASSERT_STR(gp_test_json_string(computer, "role"), "standalone");
  list = gpo_list(root);
  GP_ASSERT_STR(list, "Local Group Policy");
  GP_ASSERT_STR(gp_test_json_string(first_right(root), "source"), "local");
}

static void
test_modeling_errors(void)
{
  const char *args[] = { "explain", "--computer", "WEB01", "--wmi", "Nope=false", NULL };
  const char *group_args[]
      = { "explain", "--computer", "WEB01", "--add-group", "No Such Group", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GpTestRun) group = { 0 };

  gp_test_run(&run, args);
  gp_test_run(&group, group_args);
  CU_ASSERT_EQUAL(run.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "no WMI filter named 'Nope'"));
  CU_ASSERT_EQUAL(group.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(group.err, "No Such Group"));
}

/* ------------------------------------------------ verify: gpresult /x */

#define WEB01_RSOP       "labs/contoso/rsop/WEB01-gpresult.xml"
#define WEB01_RSOP_STALE "labs/contoso/rsop/WEB01-gpresult-stale.xml"

static void
test_verify_agrees(void)
{
  g_autofree char *rsop = gp_test_fixture(WEB01_RSOP);
  const char *args[] = { "verify", "--rsop", rsop, NULL };
  const char *json_args[] = { "verify", "--rsop", rsop, "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GpTestRun) json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "CONTOSO\\WEB01$, site HQ"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Compared 5 applied GPOs and 9 rights: 0 mismatches"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "AGREE"));
  CU_ASSERT_PTR_NULL(strstr(run.out, "MISMATCH"));
  gp_test_run(&json, json_args);
  CU_ASSERT_EQUAL_FATAL(json.status, 0);
  root = gp_test_json(json.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  object = json_node_get_object(root);
  GP_ASSERT_STR(gp_test_json_string(object, "schema"), "gpsim.verify/1");
  CU_ASSERT_TRUE(json_object_get_boolean_member(object, "agree"));
  CU_ASSERT_EQUAL(json_array_get_length(json_object_get_array_member(object, "mismatches")), 0);
}

/* TRUE when one of @causes names the age of the export or replication. */
static gboolean
causes_name_age(JsonArray *causes)
{
  for (guint i = 0; i < json_array_get_length(causes); i++) {
    const char *cause = json_array_get_string_element(causes, i);
    if (strstr(cause, "export age") || strstr(cause, "replication"))
      return TRUE;
  }
  return FALSE;
}

/* Recorded before IIS Web Tier had computer settings: Server Baseline won on the client. */
static void
test_verify_disagrees(void)
{
  g_autofree char *rsop = gp_test_fixture(WEB01_RSOP_STALE);
  const char *args[] = { "verify", "--rsop", rsop, "--format", "json", NULL };
  const char *text_args[] = { "verify", "--rsop", rsop, NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GpTestRun) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *mismatches;
  gboolean gpo_list = FALSE, impersonate = FALSE;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 4);
  root = gp_test_json(run.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  object = json_node_get_object(root);
  CU_ASSERT_FALSE(json_object_get_boolean_member(object, "agree"));
  mismatches = json_object_get_array_member(object, "mismatches");
  CU_ASSERT_TRUE_FATAL(json_array_get_length(mismatches) > 0);
  for (guint i = 0; i < json_array_get_length(mismatches); i++) {
    JsonObject *mismatch = json_array_get_object_element(mismatches, i);
    JsonArray *causes = json_object_get_array_member(mismatch, "likely_causes");
    const char *kind = gp_test_json_string(mismatch, "kind");
    const char *right = gp_test_json_string(mismatch, "right");

    CU_ASSERT_TRUE(json_array_get_length(causes) > 0);
    if (g_strcmp0(kind, "GPO list") == 0) {
      gpo_list = TRUE;
      CU_ASSERT_PTR_NOT_NULL(strstr(gp_test_json_string(mismatch, "actual"), "IIS Web Tier"));
      CU_ASSERT_TRUE(causes_name_age(causes));
    }
    if (g_strcmp0(right, "SeImpersonatePrivilege") == 0) {
      impersonate = TRUE;
      GP_ASSERT_STR(kind, "winner");
      CU_ASSERT_PTR_NOT_NULL(strstr(gp_test_json_string(mismatch, "expected"), "Server Baseline"));
      CU_ASSERT_PTR_NOT_NULL(strstr(gp_test_json_string(mismatch, "actual"), "IIS Web Tier"));
      CU_ASSERT_TRUE(causes_name_age(causes));
    }
  }
  CU_ASSERT_TRUE(gpo_list);
  CU_ASSERT_TRUE(impersonate);
  gp_test_run(&text, text_args);
  CU_ASSERT_EQUAL(text.status, 4);
  CU_ASSERT_PTR_NOT_NULL(strstr(text.out, "MISMATCH (winner): SeImpersonatePrivilege"));
  CU_ASSERT_PTR_NOT_NULL(strstr(text.out, "likely cause: "));
  CU_ASSERT_PTR_NULL(strstr(text.out, "AGREE"));
}

static void
test_verify_needs_rsop(void)
{
  const char *args[] = { "verify", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "verify needs --rsop FILE"));
  CU_ASSERT_STRING_EQUAL(run.out, "");
}

/* ------------------------------------------------------ show, --input */

static void
test_show_text(void)
{
  const char *args[] = { "show", NULL };
  g_auto(GpTestRun) run = { 0 };
  const char *web, *old, *iis;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "contoso.com (DC=contoso,DC=com) NetBIOS CONTOSO"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "CN=WEB01,OU=Web,OU=Servers,DC=contoso,DC=com"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "OU=Legacy,OU=Servers,DC=contoso,DC=com (ou) [blocks "
                                         "inheritance]"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "LINK DISABLED"));
  /* OU=Web's links, link order 1 first */
  web = strstr(run.out, "  OU=Web,OU=Servers,DC=contoso,DC=com (ou)\n");
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  old = strstr(web, " 1  Old Web Settings ");
  iis = strstr(web, " 2  IIS Web Tier ");
  CU_ASSERT_PTR_NOT_NULL_FATAL(old);
  CU_ASSERT_PTR_NOT_NULL_FATAL(iis);
  CU_ASSERT_TRUE(old < iis);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "SeImpersonatePrivilege = BUILTIN\\Administrators "
                                         "(S-1-5-32-544)"));
}

/* The name of the GPO with @guid in a gpsim.show/1 document. */
static const char *
show_gpo_name(JsonObject *show, const char *guid)
{
  JsonArray *gpos = json_object_get_array_member(show, "gpos");

  for (guint i = 0; i < json_array_get_length(gpos); i++) {
    JsonObject *gpo = json_array_get_object_element(gpos, i);
    if (g_strcmp0(gp_test_json_string(gpo, "guid"), guid) == 0)
      return gp_test_json_string(gpo, "name");
  }
  return NULL;
}

static JsonObject *
show_som(JsonObject *show, const char *dn)
{
  JsonArray *soms = json_object_get_array_member(show, "soms");

  for (guint i = 0; i < json_array_get_length(soms); i++) {
    JsonObject *som = json_array_get_object_element(soms, i);
    if (g_strcmp0(gp_test_json_string(som, "dn"), dn) == 0)
      return som;
  }
  return NULL;
}

static gboolean
show_has_computer(JsonObject *show, const char *name)
{
  JsonArray *computers = json_object_get_array_member(show, "computers");

  for (guint i = 0; i < json_array_get_length(computers); i++)
    if (g_strcmp0(gp_test_json_string(json_array_get_object_element(computers, i), "name"), name)
        == 0)
      return TRUE;
  return FALSE;
}

static void
test_show_json(void)
{
  const char *args[] = { "show", "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *show, *web;
  JsonArray *links;
  GString *text = g_string_new(NULL);
  g_autofree char *order = NULL;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  show = json_node_get_object(root);
  GP_ASSERT_STR(gp_test_json_string(show, "schema"), "gpsim.show/1");
  CU_ASSERT_EQUAL(json_array_get_length(json_object_get_array_member(show, "gpos")), 10);
  CU_ASSERT_TRUE(show_has_computer(show, "WEB01"));
  web = show_som(show, "OU=Web,OU=Servers,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  links = json_object_get_array_member(web, "links");
  for (guint i = 0; i < json_array_get_length(links); i++) {
    JsonObject *link = json_array_get_object_element(links, i);
    g_string_append_printf(text, "%s%" G_GINT64_FORMAT ":%s", i ? " | " : "",
                           json_object_get_int_member(link, "link_order"),
                           show_gpo_name(show, gp_test_json_string(link, "guid")));
  }
  order = g_string_free(text, FALSE);
  GP_ASSERT_STR(order, "1:Old Web Settings | 2:IIS Web Tier");
}

/* A path with no hint in its name: recognised from the content. */
static void
test_show_positional_source(void)
{
  g_autofree char *ldif = gp_test_fixture("labs/contoso/contoso.ldif");
  g_autofree char *dir = g_dir_make_tmp("gpsim-cli-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename(dir, "directory-export.dat", NULL);
  g_autofree char *data = NULL;
  const char *args[] = { "show", copy, "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;

  data = gp_test_read(ldif, &len);
  CU_ASSERT_PTR_NOT_NULL_FATAL(data);
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(copy, data, (gssize)len, NULL));
  gp_test_run(&run, args);
  g_remove(copy);
  g_rmdir(dir);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  CU_ASSERT_TRUE(show_has_computer(json_node_get_object(root), "WEB01"));
  CU_ASSERT_EQUAL(
      json_array_get_length(json_object_get_array_member(json_node_get_object(root), "gpos")), 10);
}

static void
test_input_detects_ldif_and_sysvol(void)
{
  g_autofree char *ldif = gp_test_fixture("labs/contoso/contoso.ldif");
  g_autofree char *sysvol = gp_test_fixture("labs/contoso/sysvol");
  const char *input_args[] = { "rsop", "--input", ldif, "--input", sysvol, NULL };
  const char *explicit_args[] = { "rsop", "--ldif", ldif, "--sysvol", sysvol, NULL };
  g_auto(GpTestRun) input = { 0 };
  g_auto(GpTestRun) explicit_run = { 0 };

  gp_test_run(&input, input_args);
  gp_test_run(&explicit_run, explicit_args);
  CU_ASSERT_EQUAL(input.status, 0);
  CU_ASSERT_EQUAL(explicit_run.status, 0);
  CU_ASSERT_STRING_EQUAL(input.out, explicit_run.out);
  /* the SYSVOL copy was read: IIS Web Tier's template gives IIS_IUSRS */
  CU_ASSERT_PTR_NOT_NULL(strstr(input.out, "S-1-5-32-568"));
}

static guint
count_lines(const char *text)
{
  guint lines = 0;

  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  return lines;
}

static void
test_input_unknown_file(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "notes.txt", NULL);
  const char *args[] = { "show", "--input", path, NULL };
  g_auto(GpTestRun) run = { 0 };

  CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, "Shopping list\neggs, milk\n", -1, NULL));
  gp_test_run(&run, args);
  g_remove(path);
  g_rmdir(dir);
  CU_ASSERT_EQUAL(run.status, 2);
  CU_ASSERT_STRING_EQUAL(run.out, "");
  CU_ASSERT_EQUAL(count_lines(run.err), 1);
  CU_ASSERT_TRUE(g_str_has_prefix(run.err, "gpsim: error: "));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, path));
}

/* -------------------------------------------- the real samples (skipped without) */

static void
test_sample_show_gpreport_links(void)
{
  g_autofree char *report
      = gp_test_sample("gpo_report_xml/t0x01_WindowsEventForwarding_gpreport.xml");
  const char *args[] = { "show", "--gpreport", report, "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *gpos, *soms;
  const char *guid;
  guint links = 0, disabled = 0;

  if (!report)
    return;
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  gpos = json_object_get_array_member(json_node_get_object(root), "gpos");
  CU_ASSERT_EQUAL_FATAL(json_array_get_length(gpos), 1);
  GP_ASSERT_STR(gp_test_json_string(json_array_get_object_element(gpos, 0), "name"),
                "Windows Event Forwarding");
  guid = gp_test_json_string(json_array_get_object_element(gpos, 0), "guid");
  soms = json_object_get_array_member(json_node_get_object(root), "soms");
  for (guint i = 0; i < json_array_get_length(soms); i++) {
    JsonArray *som_links
        = json_object_get_array_member(json_array_get_object_element(soms, i), "links");
    for (guint l = 0; l < json_array_get_length(som_links); l++) {
      JsonObject *link = json_array_get_object_element(som_links, l);
      if (g_strcmp0(gp_test_json_string(link, "guid"), guid) != 0)
        continue;
      links++;
      disabled += !json_object_get_boolean_member(link, "enabled");
    }
  }
  CU_ASSERT_EQUAL(links, 3);
  CU_ASSERT_EQUAL(disabled, 2);
}

static void
test_sample_show_backup(void)
{
  g_autofree char *backup = gp_test_sample("gpmc_backup/nsacyber-shb-win10-computer");
  const char *args[] = { "show", "--backup", backup, "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *gpos, *rights;
  gboolean impersonate = FALSE;

  if (!backup)
    return;
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  gpos = json_object_get_array_member(json_node_get_object(root), "gpos");
  CU_ASSERT_EQUAL_FATAL(json_array_get_length(gpos), 1);
  GP_ASSERT_STR(gp_test_json_string(json_array_get_object_element(gpos, 0), "name"),
                "DoD Windows 10 STIG - Computer (SHB v10.1.0)");
  rights = json_object_get_array_member(json_array_get_object_element(gpos, 0), "rights");
  for (guint i = 0; i < json_array_get_length(rights); i++)
    impersonate |= g_strcmp0(gp_test_json_string(json_array_get_object_element(rights, i), "right"),
                             "SeImpersonatePrivilege")
                   == 0;
  CU_ASSERT_TRUE(impersonate);
}

/* Every sample file or folder, given to --input alone, loads.  The two root
 * manifests published without their backup folders are not data by themselves:
 * they are refused with one error line (exit 2). */
static void
test_sample_show_input_every_sample(void)
{
  static const char *const folders[]
      = { "gpo_report_xml", "gpmc_backup", "rsop_xml", "secedit_export", "gpttmpl_inf" };
  g_autofree char *samples = gp_test_sample("");
  guint tried = 0;

  if (!samples)
    return;
  for (guint f = 0; f < G_N_ELEMENTS(folders); f++) {
    g_autofree char *folder = g_build_filename(samples, folders[f], NULL);
    g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    while ((name = g_dir_read_name(dir)))
      g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    for (guint i = 0; i < names->len; i++) {
      g_autofree char *path = g_build_filename(folder, g_ptr_array_index(names, i), NULL);
      const char *args[] = { "show", "--input", path, NULL };
      gboolean bare_manifest = g_str_has_suffix(path, "_manifest.xml");
      g_auto(GpTestRun) run = { 0 };

      gp_test_run(&run, args);
      printf("\n  %s: status %d", path, run.status);
      tried++;
      if (bare_manifest) {
        CU_ASSERT_EQUAL(run.status, 2);
        CU_ASSERT_EQUAL(count_lines(run.err), 1);
        CU_ASSERT_PTR_NOT_NULL(strstr(run.err, path));
        continue;
      }
      CU_ASSERT_EQUAL(run.status, 0);
      CU_ASSERT_PTR_NULL(strstr(run.err, "error:"));
      CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "GPOs:"));
    }
  }
  CU_ASSERT_TRUE(tried >= 17);
}

/* Get-GPOReport data has no computers: --ou places a hypothetical one. */
static void
test_sample_explain_gpreport_hypothetical(void)
{
  g_autofree char *report = gp_test_sample(
      "gpmc_backup/t0x01-security-local/GPOs/{BCC33A6A-B1E2-4EE9-9759-FDB4C1505B37}/gpreport.xml");
  const char *ou = "OU=Member Servers,OU=Assets and Enterprise Management,OU=Enterprise,"
                   "DC=security,DC=local";
  const char *args[] = { "explain",    "--gpreport", report,
                         "--computer", "SRV1",       "--ou",
                         ou,           "--right",    "SeImpersonatePrivilege",
                         "--format",   "json",       NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *note = NULL;
  g_autofree char *holders = NULL;
  JsonObject *right;
  JsonNode *winner;

  if (!report)
    return;
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  root = gp_test_json(run.out);
  CU_ASSERT_PTR_NOT_NULL_FATAL(root);
  right = first_right(root);
  winner = json_object_get_member(right, "winner");
  CU_ASSERT_FALSE_FATAL(JSON_NODE_HOLDS_NULL(winner));
  GP_ASSERT_STR(gp_test_json_string(json_node_get_object(winner), "name"),
                "Windows Server 2022 - Member Server");
  holders = holder_sids(json_object_get_array_member(right, "holders"));
  GP_ASSERT_STR(holders, DEF);
  note = g_strdup_printf("gpsim: note: 'SRV1' is not in the data: modeled as a new computer in %s",
                         ou);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, note));
  CU_ASSERT_PTR_NULL(strstr(run.out, "modeled as a new computer")); /* stdout stays JSON */
}

static const GpTestCase cases[] = {
  GP_TEST(test_lab_answers),
  GP_TEST(test_precedence_list_web01),
  GP_TEST(test_precedence_list_blocked_ou),
  GP_TEST(test_precedence_list_disabled_and_dangling),
  GP_TEST(test_computer_block),
  GP_TEST(test_holder_names),
  GP_TEST(test_all_rights_without_right_option),
  GP_TEST(test_local_policy_option),
  GP_TEST(test_site_option_none),
  GP_TEST(test_text_output_sentences),
  GP_TEST(test_rsop_jsonl),
  GP_TEST(test_json_escapes_controls),
  GP_TEST(test_error_exit_codes),
  GP_TEST(test_output_file_is_atomic),
  GP_TEST(test_explicit_sources_match_bundled_lab),
  GP_TEST(test_golden_main_job),
  GP_TEST(test_fabrikam_answers),
  GP_TEST(test_fabrikam_reasons),
  GP_TEST(test_wmi_sensitivity_note),
  GP_TEST(test_standalone_local_only),
  GP_TEST(test_modeling_errors),
  GP_TEST(test_verify_agrees),
  GP_TEST(test_verify_disagrees),
  GP_TEST(test_verify_needs_rsop),
  GP_TEST(test_show_text),
  GP_TEST(test_show_json),
  GP_TEST(test_show_positional_source),
  GP_TEST(test_input_detects_ldif_and_sysvol),
  GP_TEST(test_input_unknown_file),
  GP_TEST(test_sample_show_gpreport_links),
  GP_TEST(test_sample_show_backup),
  GP_TEST(test_sample_show_input_every_sample),
  GP_TEST(test_sample_explain_gpreport_hypothetical),
};

GP_TEST_MAIN("cli", cases)
