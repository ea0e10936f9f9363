/* test_audit_cli.c - `gpsim audit` and `gpsim who-has` end to end.
 *
 * Runs the real executable on the bundled contoso lab (the answers its README
 * promises: svc-legacy on LEGACY01, IIS_IUSRS on the web OU), on baselines
 * written for the test, and on a domain generated into a temporary folder
 * (LDIF and SYSVOL): nested groups granted impersonation at one OU of many.
 * Run and parse helpers as in test_cli.c.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "gp-test-cli.h"

#define SVC_LEGACY_SID "S-1-5-21-1004336348-1177238915-682003330-1105"
#define LEGACY_GUID    "{A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1006}"
#define LEGACY_OU      "OU=Legacy,OU=Servers,DC=contoso,DC=com"
#define IIS_IUSRS      "S-1-5-32-568"
#define EXIT_FINDINGS  5

/* ------------------------------------------------------------ running */

/* Runs @args, checks the exit status and returns the parsed standard output. */
static JsonNode *
run_json(const char *const *args, int status)
{
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  if (run.status != status)
    printf("\nstatus %d, stderr: %s\n", run.status, run.err);
  CU_ASSERT_EQUAL_FATAL(run.status, status);
  return gp_test_json(run.out);
}

static JsonArray *
root_array(JsonNode *root, const char *member)
{
  return json_object_get_array_member(json_node_get_object(root), member);
}

/* ------------------------------------------------------------ audit */

/* "COMPUTER RIGHT SID GPO-NAME" of every finding, one a line. */
static char *
finding_lines(JsonNode *root)
{
  JsonArray *findings = root_array(root, "findings");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(findings); i++) {
    JsonObject *f = json_array_get_object_element(findings, i);
    JsonObject *principal = json_object_get_object_member(f, "principal");
    JsonNode *by = json_object_get_member(f, "granted_by");
    const char *gpo
        = JSON_NODE_HOLDS_NULL(by) ? "-" : gp_test_json_string(json_node_get_object(by), "name");
    g_string_append_printf(out, "%s %s %s %s\n", gp_test_json_string(f, "computer"),
                           gp_test_json_string(f, "right"), gp_test_json_string(principal, "sid"),
                           gpo);
  }
  return g_string_free(out, FALSE);
}

static JsonObject *
find_finding(JsonNode *root, const char *computer, const char *right, const char *sid)
{
  JsonArray *findings = root_array(root, "findings");

  for (guint i = 0; i < json_array_get_length(findings); i++) {
    JsonObject *f = json_array_get_object_element(findings, i);
    JsonObject *principal = json_object_get_object_member(f, "principal");
    if (g_strcmp0(gp_test_json_string(f, "computer"), computer) == 0
        && g_strcmp0(gp_test_json_string(f, "right"), right) == 0
        && g_strcmp0(gp_test_json_string(principal, "sid"), sid) == 0)
      return f;
  }
  return NULL;
}

static void
test_audit_builtin_finds_svc_legacy(void)
{
  const char *args[] = { "audit", "--format", "json", NULL };
  g_autoptr(JsonNode) root = run_json(args, EXIT_FINDINGS);
  JsonObject *f = find_finding(root, "LEGACY01", "SeImpersonatePrivilege", SVC_LEGACY_SID);
  JsonObject *by;

  GP_ASSERT_STR(gp_test_json_string(json_node_get_object(root), "schema"), "gpsim.audit/1");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  GP_ASSERT_STR(gp_test_json_string(json_object_get_object_member(f, "principal"), "name"),
                "CONTOSO\\svc-legacy");
  CU_ASSERT_TRUE(g_str_has_prefix(gp_test_json_string(f, "rule"),
                                  "[member-server] SeImpersonatePrivilege = *S-1-5-32-544, "
                                  "*S-1-5-19, *S-1-5-20, *S-1-5-6 (baseline.txt:"));
  GP_ASSERT_STR(gp_test_json_string(f, "source"), "gpo");
  by = json_object_get_object_member(f, "granted_by");
  GP_ASSERT_STR(gp_test_json_string(by, "guid"), LEGACY_GUID);
  GP_ASSERT_STR(gp_test_json_string(by, "name"), "Legacy App Rights");
  GP_ASSERT_STR(gp_test_json_string(by, "som"), LEGACY_OU);
  /* strict: IIS_IUSRS is not allowed on member servers unless marked IIS */
  CU_ASSERT_PTR_NOT_NULL(find_finding(root, "WEB01", "SeImpersonatePrivilege", IIS_IUSRS));
  CU_ASSERT_PTR_NOT_NULL(find_finding(root, "WEB02", "SeImpersonatePrivilege", IIS_IUSRS));
  /* svc-legacy's SeDebugPrivilege is overridden by the enforced baseline: no finding */
  CU_ASSERT_PTR_NULL(find_finding(root, "LEGACY01", "SeDebugPrivilege", SVC_LEGACY_SID));
  CU_ASSERT_FALSE(json_object_get_boolean_member(
      json_object_get_object_member(json_node_get_object(root), "summary"), "clean"));
}

static void
test_audit_marked_iis_allows_iis_iusrs(void)
{
  g_autofree char *baseline = gp_test_fixture("baselines/contoso-web.txt");
  const char *args[] = { "audit", "--baseline", baseline, "--format", "json", NULL };
  g_autoptr(JsonNode) root = run_json(args, EXIT_FINDINGS);

  CU_ASSERT_PTR_NULL(find_finding(root, "WEB01", "SeImpersonatePrivilege", IIS_IUSRS));
  CU_ASSERT_PTR_NULL(find_finding(root, "WEB02", "SeImpersonatePrivilege", IIS_IUSRS));
  CU_ASSERT_PTR_NOT_NULL(find_finding(root, "LEGACY01", "SeImpersonatePrivilege", SVC_LEGACY_SID));
}

/* Writes @text as a baseline in a temporary folder; *out_dir to remove. */
static char *
write_baseline(const char *text, char **out_dir)
{
  char *path;

  *out_dir = g_dir_make_tmp("gpsim-audit-cli-XXXXXX", NULL);
  path = g_build_filename(*out_dir, "baseline.txt", NULL);
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static void
remove_baseline(char *dir, char *path)
{
  g_remove(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

static void
test_audit_strict_and_clean_baselines(void)
{
  char *dir = NULL;
  char *strict = write_baseline("[ou OU=Web,OU=Servers,DC=contoso,DC=com]\n"
                                "SeImpersonatePrivilege = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, "
                                "*S-1-5-6\n",
                                &dir);
  const char *strict_args[] = { "audit", "--baseline", strict, "--format", "json", NULL };
  g_autoptr(JsonNode) root = run_json(strict_args, EXIT_FINDINGS);
  g_autofree char *lines = finding_lines(root);
  char *clean_dir = NULL;
  char *clean = write_baseline("[any]\nSeTcbPrivilege =  # the lab's baseline GPO sets nobody\n",
                               &clean_dir);
  const char *clean_args[] = { "audit", "--baseline", clean, "--format", "json", NULL };
  g_autoptr(JsonNode) clean_root = run_json(clean_args, 0);

  GP_ASSERT_STR(lines, "WEB01 SeImpersonatePrivilege " IIS_IUSRS " IIS Web Tier\n"
                       "WEB02 SeImpersonatePrivilege " IIS_IUSRS " IIS Web Tier\n");
  CU_ASSERT_EQUAL(json_array_get_length(root_array(clean_root, "findings")), 0);
  /* lint is reported but does not fail the run */
  CU_ASSERT_TRUE(json_array_get_length(root_array(clean_root, "lint")) > 0);
  remove_baseline(dir, strict);
  remove_baseline(clean_dir, clean);
}

/* "kind GPO-NAME" of every lint item. */
static char *
lint_lines(JsonNode *root)
{
  JsonArray *lint = root_array(root, "lint");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(lint); i++) {
    JsonObject *l = json_array_get_object_element(lint, i);
    JsonNode *gpo = json_object_get_member(l, "gpo");
    const char *name
        = JSON_NODE_HOLDS_NULL(gpo) ? NULL : gp_test_json_string(json_node_get_object(gpo), "name");
    const char *guid
        = JSON_NODE_HOLDS_NULL(gpo) ? NULL : gp_test_json_string(json_node_get_object(gpo), "guid");
    g_string_append_printf(out, "%s %s\n", gp_test_json_string(l, "kind"),
                           name   ? name
                           : guid ? guid
                                  : "-");
  }
  return g_string_free(out, FALSE);
}

static void
test_audit_lint_on_lab(void)
{
  const char *args[] = { "audit", "--format", "json", NULL };
  g_autoptr(JsonNode) root = run_json(args, EXIT_FINDINGS);
  g_autofree char *lines = lint_lines(root);

  GP_ASSERT_STR(lines, "never-wins Default Domain Controllers Policy\n"
                       "never-wins Old Web Settings\n"
                       "never-wins Legacy App Rights\n"
                       "never-wins Pilot Rights\n"
                       "computer-disabled Old Web Settings\n"
                       "missing-gpo {A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A10FF}\n");
}

static void
test_audit_text(void)
{
  const char *args[] = { "audit", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, EXIT_FINDINGS);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "\nLEGACY01 (member-server): "));
  CU_ASSERT_PTR_NOT_NULL(
      strstr(run.out, "SeImpersonatePrivilege           CONTOSO\\svc-legacy (" SVC_LEGACY_SID
                      ")\n      granted by GPO 'Legacy App "
                      "Rights' " LEGACY_GUID " linked at " LEGACY_OU));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Lint: 6 items (informational"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "FINDINGS: the baseline is violated (exit code 5)"));
}

static const struct {
  const char *baseline; /* NULL: a path that does not exist */
  int status;
  const char *stderr_has;
} baseline_errors[] = {
  { NULL, 2, "gpsim: error: " },
  { "[member-server]\nSeImpersonatePrivilege = *S-1-5-32-544\nSeBogus = *S-1-5-6\n", 2,
    "baseline.txt:3: unknown user right 'SeBogus'" },
  { "SeTcbPrivilege =\n", 2, "baseline.txt:1: 'SeTcbPrivilege =' is outside any section" },
};

static void
test_audit_baseline_errors(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(baseline_errors); i++) {
    char *dir = NULL;
    char *path = baseline_errors[i].baseline ? write_baseline(baseline_errors[i].baseline, &dir)
                                             : g_strdup("/nonexistent/baseline.txt");
    const char *args[] = { "audit", "--baseline", path, NULL };
    g_auto(GpTestRun) run = { 0 };

    gp_test_run(&run, args);
    CU_ASSERT_EQUAL(run.status, baseline_errors[i].status);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, baseline_errors[i].stderr_has));
    CU_ASSERT_STRING_EQUAL(run.out, "");
    if (dir)
      remove_baseline(dir, path);
    else
      g_free(path);
  }
}

/* ------------------------------------------------------------ who-has */

static JsonObject *
find_entry(JsonNode *root, const char *computer, const char *right)
{
  JsonArray *entries = root_array(root, "entries");

  for (guint i = 0; i < json_array_get_length(entries); i++) {
    JsonObject *e = json_array_get_object_element(entries, i);
    if (g_strcmp0(gp_test_json_string(e, "computer"), computer) == 0
        && g_strcmp0(gp_test_json_string(e, "right"), right) == 0)
      return e;
  }
  return NULL;
}

static const char *
removal_plan(JsonObject *entry, const char *kind)
{
  JsonArray *removals = json_object_get_array_member(entry, "removals");

  for (guint i = 0; i < json_array_get_length(removals); i++) {
    JsonObject *r = json_array_get_object_element(removals, i);
    if (g_strcmp0(gp_test_json_string(r, "kind"), kind) == 0)
      return gp_test_json_string(r, "plan");
  }
  return NULL;
}

/* "COMPUTER RIGHT KIND" of every entry whose first via is not well-known. */
static char *
granted_lines(JsonNode *root)
{
  JsonArray *entries = root_array(root, "entries");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(entries); i++) {
    JsonObject *e = json_array_get_object_element(entries, i);
    JsonObject *via = json_array_get_object_element(json_object_get_array_member(e, "via"), 0);
    if (g_strcmp0(gp_test_json_string(via, "kind"), "well-known") != 0)
      g_string_append_printf(out, "%s %s %s\n", gp_test_json_string(e, "computer"),
                             gp_test_json_string(e, "right"), gp_test_json_string(via, "kind"));
  }
  return g_string_free(out, FALSE);
}

static void
test_who_has_svc_legacy(void)
{
  const char *args[] = { "who-has", "--principal", "svc-legacy", "--format", "json", NULL };
  g_autoptr(JsonNode) root = run_json(args, 0);
  JsonObject *e = find_entry(root, "LEGACY01", "SeImpersonatePrivilege");
  JsonObject *principal = json_object_get_object_member(json_node_get_object(root), "principal");
  g_autofree char *granted = granted_lines(root);

  GP_ASSERT_STR(gp_test_json_string(json_node_get_object(root), "schema"), "gpsim.who-has/1");
  GP_ASSERT_STR(gp_test_json_string(principal, "sid"), SVC_LEGACY_SID);
  GP_ASSERT_STR(gp_test_json_string(principal, "name"), "CONTOSO\\svc-legacy");
  GP_ASSERT_STR(granted, "LEGACY01 SeImpersonatePrivilege direct\n"
                         "LEGACY01 SeServiceLogonRight direct\n");
  CU_ASSERT_PTR_NOT_NULL_FATAL(e);
  GP_ASSERT_STR(gp_test_json_string(json_object_get_object_member(e, "granted_by"), "name"),
                "Legacy App Rights");
  GP_ASSERT_STR(removal_plan(e, "edit"), "set \"Legacy App Rights\" SeImpersonatePrivilege = "
                                         "*S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6");
  GP_ASSERT_STR(removal_plan(e, "unlink"), "unlink \"Legacy App Rights\" from \"" LEGACY_OU "\"");
  /* the winner is linked at LEGACY01's own OU: no new link needed */
  CU_ASSERT_PTR_NULL(removal_plan(e, "new-link"));
}

static void
test_who_has_names_resolve(void)
{
  static const char *const forms[]
      = { "CONTOSO\\svc-legacy", "*" SVC_LEGACY_SID, SVC_LEGACY_SID, "SVC-LEGACY" };

  for (gsize i = 0; i < G_N_ELEMENTS(forms); i++) {
    const char *args[] = { "who-has",  "--principal", forms[i], "--right", "SeImpersonatePrivilege",
                           "--format", "json",        NULL };
    g_autoptr(JsonNode) root = run_json(args, 0);
    JsonObject *principal = json_object_get_object_member(json_node_get_object(root), "principal");
    GP_ASSERT_STR(gp_test_json_string(principal, "sid"), SVC_LEGACY_SID);
    CU_ASSERT_PTR_NOT_NULL(find_entry(root, "LEGACY01", "SeImpersonatePrivilege"));
  }
}

static void
test_who_has_service_everywhere(void)
{
  const char *args[] = { "who-has",  "--principal", "S-1-5-6", "--right", "SeImpersonatePrivilege",
                         "--format", "json",        NULL };
  g_autoptr(JsonNode) root = run_json(args, 0);
  JsonObject *summary = json_object_get_object_member(json_node_get_object(root), "summary");
  JsonArray *computers = json_object_get_array_member(summary, "computers");
  g_autofree char *granted = granted_lines(root);

  CU_ASSERT_EQUAL(json_array_get_length(computers), 7);
  GP_ASSERT_STR(granted, "DC01 SeImpersonatePrivilege direct\n"
                         "APP01 SeImpersonatePrivilege direct\n"
                         "WEB01 SeImpersonatePrivilege direct\n"
                         "WEB02 SeImpersonatePrivilege direct\n"
                         "LEGACY01 SeImpersonatePrivilege direct\n"
                         "WS01 SeImpersonatePrivilege direct\n"
                         "KIOSK01 SeImpersonatePrivilege direct\n");
}

static void
test_who_has_text_and_errors(void)
{
  const char *text_args[] = { "who-has", "--principal", "svc-legacy", NULL };
  const char *unknown_args[] = { "who-has", "--principal", "nobody-here", NULL };
  const char *missing_args[] = { "who-has", NULL };
  g_auto(GpTestRun) text = { 0 };
  g_auto(GpTestRun) unknown = { 0 };
  g_auto(GpTestRun) missing = { 0 };

  gp_test_run(&text, text_args);
  CU_ASSERT_EQUAL(text.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(text.out, "\nLEGACY01  SeImpersonatePrivilege (Impersonate a "
                                          "client after authentication)\n    via direct"));
  CU_ASSERT_PTR_NOT_NULL(strstr(text.out, "        set \"Legacy App Rights\" "
                                          "SeImpersonatePrivilege = *S-1-5-32-544, *S-1-5-19, "
                                          "*S-1-5-20, *S-1-5-6\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(text.out, "Through well-known groups only"));
  gp_test_run(&unknown, unknown_args);
  CU_ASSERT_EQUAL(unknown.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(unknown.err, "'nobody-here' names no account or group"));
  gp_test_run(&missing, missing_args);
  CU_ASSERT_EQUAL(missing.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(missing.err, "who-has needs --principal"));
}

/* ------------------------------------------------------- generated data */

#define GEN_DOMAIN "DC=gen,DC=test"
#define GEN_SID    "S-1-5-21-7-8-9"
#define GEN_OUS    5
#define GEN_DEPTH  3
#define GEN_TARGET 3
#define GEN_GUID   "{6E6E6E6E-0000-4000-8000-000000000001}"
#define SECURITY_CSE                                                                               \
  "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"

static void
gen_ldif_groups(GString *ldif)
{
  g_string_append(ldif, "dn: CN=svc-gen,CN=Users," GEN_DOMAIN "\nobjectClass: top\n"
                        "objectClass: person\nobjectClass: user\nsAMAccountName: svc-gen\n"
                        "objectSid: " GEN_SID "-1500\n\n");
  for (guint g = 1; g <= GEN_DEPTH; g++) {
    g_string_append_printf(ldif,
                           "dn: CN=G%u,OU=Groups," GEN_DOMAIN "\nobjectClass: top\n"
                           "objectClass: group\nsAMAccountName: G%u\nobjectSid: " GEN_SID "-%u\n",
                           g, g, 1600 + g);
    if (g == 1)
      g_string_append(ldif, "member: CN=svc-gen,CN=Users," GEN_DOMAIN "\n\n");
    else
      g_string_append_printf(ldif, "member: CN=G%u,OU=Groups," GEN_DOMAIN "\n\n", g - 1);
  }
}

static void
gen_ldif_ous(GString *ldif)
{
  for (guint o = 0; o < GEN_OUS; o++) {
    g_string_append_printf(ldif,
                           "dn: OU=Tier%u," GEN_DOMAIN "\nobjectClass: top\n"
                           "objectClass: organizationalUnit\nou: Tier%u\n",
                           o, o);
    if (o == GEN_TARGET)
      g_string_append(ldif,
                      "gPLink: [LDAP://CN=" GEN_GUID ",CN=Policies,CN=System," GEN_DOMAIN ";0]\n");
    g_string_append_c(ldif, '\n');
    for (guint c = 0; c < 2; c++)
      g_string_append_printf(ldif,
                             "dn: CN=SRV%u%u,OU=Tier%u," GEN_DOMAIN "\nobjectClass: top\n"
                             "objectClass: computer\nsAMAccountName: SRV%u%u$\n"
                             "operatingSystem: Windows Server 2022 Standard\n"
                             "userAccountControl: 4096\nprimaryGroupID: 515\n"
                             "objectSid: " GEN_SID "-%u\n\n",
                             o, c, o, o, c, 2000 + o * 10 + c);
  }
}

static char *
gen_ldif(void)
{
  GString *ldif = g_string_new("dn: " GEN_DOMAIN "\nobjectClass: top\nobjectClass: domain\n"
                               "objectClass: domainDNS\ndc: gen\nobjectSid: " GEN_SID "\n\n");

  g_string_append(ldif,
                  "dn: CN=" GEN_GUID ",CN=Policies,CN=System," GEN_DOMAIN
                  "\nobjectClass: top\nobjectClass: container\n"
                  "objectClass: groupPolicyContainer\ncn: " GEN_GUID "\n"
                  "displayName: Generated Grant\nflags: 0\nversionNumber: 1\n"
                  "gPCFunctionalityVersion: 2\ngPCMachineExtensionNames: " SECURITY_CSE "\n\n");
  gen_ldif_groups(ldif);
  gen_ldif_ous(ldif);
  return g_string_free(ldif, FALSE);
}

/* The generated domain in @dir: gen.ldif and Policies/{GUID}/... */
static void
write_generated(const char *dir)
{
  g_autofree char *ldif = gen_ldif();
  g_autofree char *ldif_path = g_build_filename(dir, "gen.ldif", NULL);
  g_autofree char *gpo = g_build_filename(dir, "Policies", GEN_GUID, NULL);
  g_autofree char *secedit
      = g_build_filename(gpo, "Machine", "Microsoft", "Windows NT", "SecEdit", NULL);
  g_autofree char *gpt = g_build_filename(gpo, "GPT.INI", NULL);
  g_autofree char *inf = g_build_filename(secedit, "GptTmpl.inf", NULL);

  CU_ASSERT_EQUAL_FATAL(g_mkdir_with_parents(secedit, 0700), 0);
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(ldif_path, ldif, -1, NULL));
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(gpt, "[General]\r\nVersion=1\r\n", -1, NULL));
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(
      inf,
      "[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\nSeImpersonatePrivilege = "
      "*S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6,*" GEN_SID "-1603\r\n[Version]\r\n"
      "signature=\"$CHICAGO$\"\r\nRevision=1\r\n",
      -1, NULL));
}

static void
remove_tree(const char *path)
{
  g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *child = g_build_filename(path, name, NULL);
    if (g_file_test(child, G_FILE_TEST_IS_DIR))
      remove_tree(child);
    else
      g_remove(child);
  }
  g_rmdir(path);
}

static void
test_generated_domain(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-gen-XXXXXX", NULL);
  g_autofree char *ldif = g_build_filename(dir, "gen.ldif", NULL);
  g_autofree char *sysvol = g_build_filename(dir, "Policies", NULL);
  const char *who_args[] = { "who-has",  "--principal", "svc-gen",  "--ldif", ldif,
                             "--sysvol", sysvol,        "--format", "json",   NULL };
  const char *audit_args[]
      = { "audit", "--ldif", ldif, "--sysvol", sysvol, "--format", "json", NULL };
  g_autoptr(JsonNode) who = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autofree char *granted = NULL;
  g_autofree char *findings = NULL;
  JsonObject *via;

  write_generated(dir);
  who = run_json(who_args, 0);
  audit = run_json(audit_args, EXIT_FINDINGS);
  granted = granted_lines(who);
  GP_ASSERT_STR(granted,
                "SRV30 SeImpersonatePrivilege group\nSRV31 SeImpersonatePrivilege group\n");
  via = json_array_get_object_element(
      json_object_get_array_member(find_entry(who, "SRV30", "SeImpersonatePrivilege"), "via"), 0);
  GP_ASSERT_STR(gp_test_json_string(via, "text"), "member of GEN\\G1 > GEN\\G2 > GEN\\G3");
  findings = finding_lines(audit);
  CU_ASSERT_PTR_NOT_NULL(
      strstr(findings, "SRV30 SeImpersonatePrivilege " GEN_SID "-1603 Generated Grant\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(findings, "SRV30 SeNetworkLogonRight S-1-1-0 -\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(findings, "SRV31 SeImpersonatePrivilege " GEN_SID "-1603"));
  CU_ASSERT_PTR_NULL(strstr(findings, "SRV20 SeImpersonatePrivilege"));
  remove_tree(dir);
}

static const GpTestCase cases[] = {
  GP_TEST(test_audit_builtin_finds_svc_legacy),
  GP_TEST(test_audit_marked_iis_allows_iis_iusrs),
  GP_TEST(test_audit_strict_and_clean_baselines),
  GP_TEST(test_audit_lint_on_lab),
  GP_TEST(test_audit_text),
  GP_TEST(test_audit_baseline_errors),
  GP_TEST(test_who_has_svc_legacy),
  GP_TEST(test_who_has_names_resolve),
  GP_TEST(test_who_has_service_everywhere),
  GP_TEST(test_who_has_text_and_errors),
  GP_TEST(test_generated_domain),
};

GP_TEST_MAIN("auditcli", cases)
