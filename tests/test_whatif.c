/* test_whatif.c - `gpsim whatif` and `gpsim diff` end to end.
 *
 * Runs the real executable on the bundled contoso lab (its plans/ folder: the
 * planning story of the lab README, persistence) and on data generated here
 * (a folder of LDIF + SYSVOL written into a temporary folder), parses the JSON
 * with json-glib and checks the answers, the exit codes and the error lines.
 * The run/parse helpers are those of gp-test-cli.c (GP_TEST_WRAPPER included).
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "gp-test-cli.h"

#define SVC_WEB "S-1-5-21-1004336348-1177238915-682003330-1106"
#define IIS_INF                                                                                    \
  "sysvol/contoso.com/Policies/{A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004}/Machine/Microsoft/Windows "  \
  "NT/SecEdit/GptTmpl.inf"
#define GEN_SVC "S-1-5-21-5-6-7-1200"
#define GEN_GPO "{0A0A0A0A-0000-4000-8000-00000000000%u}"

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

/* ------------------------------------------------------------ helpers */

static char *
plan_path(const char *name)
{
  g_autofree char *relative = g_strdup_printf("labs/contoso/plans/%s", name);

  return gp_test_fixture(relative);
}

/* Runs `gpsim @args --format json`, expects exit 0 and returns the parsed object. */
static JsonNode *
run_json(const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_auto(GpTestRun) run = { 0 };

  for (guint i = 0; args[i]; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, "--format");
  g_ptr_array_add(argv, "json");
  g_ptr_array_add(argv, NULL);
  gp_test_run(&run, (const char *const *)argv->pdata);
  if (run.status != 0)
    printf("\nstderr: %s", run.err);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  return gp_test_json(run.out);
}

static JsonObject *
root_object(JsonNode *root)
{
  return json_node_get_object(root);
}

/* "COMPUTER:RIGHT" for every entry of "changed", blank separated. */
static char *
changed_list(JsonNode *root)
{
  JsonArray *changed = json_object_get_array_member(root_object(root), "changed");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(changed); i++) {
    JsonObject *entry = json_array_get_object_element(changed, i);
    JsonObject *computer = json_object_get_object_member(entry, "computer");
    g_string_append_printf(out, "%s%s:%s", i ? " " : "", gp_test_json_string(computer, "name"),
                           gp_test_json_string(entry, "right"));
  }
  return g_string_free(out, FALSE);
}

static JsonObject *
find_change(JsonNode *root, const char *computer, const char *right)
{
  JsonArray *changed = json_object_get_array_member(root_object(root), "changed");

  for (guint i = 0; i < json_array_get_length(changed); i++) {
    JsonObject *entry = json_array_get_object_element(changed, i);
    JsonObject *who = json_object_get_object_member(entry, "computer");
    if (g_strcmp0(gp_test_json_string(who, "name"), computer) == 0
        && g_strcmp0(gp_test_json_string(entry, "right"), right) == 0)
      return entry;
  }
  return NULL;
}

/* "computers_changed RIGHT=N RIGHT=N" from "summary". */
static char *
summary_text(JsonNode *root)
{
  JsonObject *summary = json_object_get_object_member(root_object(root), "summary");
  JsonObject *by_right = json_object_get_object_member(summary, "by_right");
  g_autoptr(GList) rights = json_object_get_members(by_right);
  GString *out = g_string_new(NULL);

  g_string_append_printf(out, "%" G_GINT64_FORMAT,
                         json_object_get_int_member(summary, "computers_changed"));
  for (GList *l = rights; l; l = l->next)
    g_string_append_printf(out, " %s=%" G_GINT64_FORMAT, (char *)l->data,
                           json_object_get_int_member(by_right, l->data));
  return g_string_free(out, FALSE);
}

static char *
side_holders(JsonObject *change, const char *side)
{
  return holder_sids(
      json_object_get_array_member(json_object_get_object_member(change, side), "holders"));
}

static const char *
side_winner(JsonObject *change, const char *side)
{
  JsonNode *winner = json_object_get_member(json_object_get_object_member(change, side), "winner");

  return JSON_NODE_HOLDS_NULL(winner) ? NULL
                                      : gp_test_json_string(json_node_get_object(winner), "name");
}

/* ------------------------------------------------------------ the planning story */

#define DEF "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6"

static void
test_planning_story(void)
{
  g_autofree char *plan = plan_path("web-rollout.plan");
  const char *args[] = { "whatif", plan, NULL };
  g_autoptr(JsonNode) root = run_json(args);
  JsonObject *app01 = find_change(root, "APP01", "SeImpersonatePrivilege");
  g_autofree char *list = changed_list(root);
  g_autofree char *summary = summary_text(root);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  GP_ASSERT_STR(list, "APP01:SeImpersonatePrivilege APP01:SeBatchLogonRight "
                      "WEB01:SeImpersonatePrivilege WEB02:SeImpersonatePrivilege");
  GP_ASSERT_STR(summary, "3 SeImpersonatePrivilege=3 SeBatchLogonRight=1");
  CU_ASSERT_PTR_NOT_NULL_FATAL(app01);
  CU_ASSERT_PTR_NULL(find_change(root, "LEGACY01", "SeImpersonatePrivilege"));
  before = side_holders(app01, "before");
  after = side_holders(app01, "after");
  GP_ASSERT_STR(before, DEF);
  GP_ASSERT_STR(after, DEF ",S-1-5-32-568," SVC_WEB);
  GP_ASSERT_STR(side_winner(app01, "before"), "Server Baseline");
  GP_ASSERT_STR(side_winner(app01, "after"), "IIS Web Tier");
  CU_ASSERT_TRUE(JSON_NODE_HOLDS_NULL(json_object_get_member(app01, "persistence")));
}

static void
test_planning_story_text(void)
{
  g_autofree char *plan = plan_path("web-rollout.plan");
  const char *args[] = { "whatif", plan, "--right", "SeImpersonatePrivilege", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "APP01  CN=APP01,OU=Servers,DC=contoso,DC=com\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "    gains   BUILTIN\\IIS_IUSRS, CONTOSO\\svc-web\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "web-rollout.plan:9: link \"IIS Web Tier\" to "
                                         "contoso.com/Servers order 1"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Summary: 3 of 7 computers change\n"));
  CU_ASSERT_PTR_NULL(strstr(run.out, "LEGACY01"));
}

static void
test_fixed_plan(void)
{
  g_autofree char *plan = plan_path("web-rollout-fixed.plan");
  const char *args[] = { "whatif", plan, "--all", NULL };
  g_autoptr(JsonNode) root = run_json(args);
  g_autofree char *list = changed_list(root);
  g_autofree char *summary = summary_text(root);
  JsonObject *web01 = find_change(root, "WEB01", "SeImpersonatePrivilege");
  JsonArray *gained = json_object_get_array_member(web01, "gained");
  g_autofree char *gained_sids = holder_sids(gained);

  GP_ASSERT_STR(list, "WEB01:SeImpersonatePrivilege WEB02:SeImpersonatePrivilege");
  GP_ASSERT_STR(summary, "2 SeImpersonatePrivilege=2");
  GP_ASSERT_STR(gained_sids, SVC_WEB);
  GP_ASSERT_STR(gp_test_json_string(json_array_get_object_element(gained, 0), "name"),
                "CONTOSO\\svc-web");
}

/* ------------------------------------------------------------ persistence */

static void
test_persistence_reverted_to_local(void)
{
  g_autofree char *plan = plan_path("unlink-server-baseline.plan");
  const char *args[] = { "whatif", plan, "--computer", "APP01", NULL };
  g_autoptr(JsonNode) root = run_json(args);
  JsonObject *impersonate = find_change(root, "APP01", "SeImpersonatePrivilege");
  JsonObject *rdp = find_change(root, "APP01", "SeRemoteInteractiveLogonRight");
  g_autofree char *effective = NULL;
  g_autofree char *rdp_after = NULL;
  g_autofree char *list = changed_list(root);

  GP_ASSERT_STR(list, "APP01:SeRemoteInteractiveLogonRight APP01:SeDenyNetworkLogonRight "
                      "APP01:SeImpersonatePrivilege");
  CU_ASSERT_PTR_NOT_NULL_FATAL(impersonate);
  GP_ASSERT_STR(gp_test_json_string(impersonate, "persistence"), "reverted-to-local");
  GP_ASSERT_STR(gp_test_json_string(json_object_get_object_member(impersonate, "after"), "source"),
                "default");
  effective = holder_sids(json_object_get_array_member(impersonate, "effective_holders"));
  GP_ASSERT_STR(effective, DEF);
  rdp_after = holder_sids(json_object_get_array_member(rdp, "effective_holders"));
  GP_ASSERT_STR(rdp_after, "S-1-5-32-544,S-1-5-32-555");
}

static void
test_persistence_tattooed(void)
{
  g_autofree char *plan = plan_path("clear-tcb.plan");
  const char *args[] = { "whatif", plan, NULL };
  const char *text_args[] = { "whatif", plan, "--computer", "WS01", NULL };
  g_autoptr(JsonNode) root = run_json(args);
  g_autofree char *summary = summary_text(root);
  JsonObject *ws01 = find_change(root, "WS01", "SeTcbPrivilege");
  g_auto(GpTestRun) run = { 0 };

  GP_ASSERT_STR(summary, "7 SeTcbPrivilege=7");
  CU_ASSERT_PTR_NOT_NULL_FATAL(ws01);
  GP_ASSERT_STR(gp_test_json_string(ws01, "persistence"), "tattooed");
  CU_ASSERT_TRUE(json_object_get_boolean_member(json_object_get_object_member(ws01, "after"),
                                                "defined_nowhere"));
  CU_ASSERT_EQUAL(json_array_get_length(json_object_get_array_member(ws01, "effective_holders")),
                  0);
  gp_test_run(&run, text_args);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "persistence: tattooed"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "the last list stays (tattooed)"));
}

/* ------------------------------------------------------------ plans that fail */

static void
test_failing_line_changes_nothing(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-plan-XXXXXX", NULL);
  g_autofree char *plan = g_build_filename(dir, "bad.plan", NULL);
  const char *args[] = { "whatif", plan, NULL };
  const char *syntax_args[] = { "whatif", "--change", "block Web", "--change", "lnk A to B", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GpTestRun) syntax = { 0 };

  CU_ASSERT_TRUE_FATAL(
      g_file_set_contents(plan,
                          "# a plan with a typo on line 3\n"
                          "block contoso.com/Servers/Web\n"
                          "unlink \"Server Baseline\" from contoso.com/Servers/Web\n",
                          -1, NULL));
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 1);
  CU_ASSERT_STRING_EQUAL(run.out, "");
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "bad.plan:3: GPO 'Server Baseline' is not linked at "
                                         "OU=Web,OU=Servers,DC=contoso,DC=com"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "the plan was not applied (nothing changed)"));
  gp_test_run(&syntax, syntax_args);
  CU_ASSERT_EQUAL(syntax.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(syntax.err, "gpsim: error: --change:2: unknown change 'lnk'"));
  g_unlink(plan);
  g_rmdir(dir);
}

static void
test_usage_errors(void)
{
  const char *none[] = { "whatif", NULL };
  const char *missing[] = { "whatif", "/nonexistent/x.plan", NULL };
  const char *both[] = { "whatif", "--change", "block Web", "--all", "--computer", "APP01", NULL };
  const char *diff_one[] = { "diff", "/tmp", NULL };
  const char *ambiguous[] = { "whatif", "--change", "add WEB0 to \"Web Servers\"", NULL };
  g_auto(GpTestRun) r1 = { 0 };
  g_auto(GpTestRun) r2 = { 0 };
  g_auto(GpTestRun) r3 = { 0 };
  g_auto(GpTestRun) r4 = { 0 };
  g_auto(GpTestRun) r5 = { 0 };

  gp_test_run(&r1, none);
  gp_test_run(&r2, missing);
  gp_test_run(&r3, both);
  gp_test_run(&r4, diff_one);
  gp_test_run(&r5, ambiguous);
  CU_ASSERT_EQUAL(r1.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r1.err, "whatif needs a PLAN file or --change"));
  CU_ASSERT_EQUAL(r2.status, 2);
  CU_ASSERT_EQUAL(r3.status, 1);
  CU_ASSERT_EQUAL(r4.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r4.err, "diff takes two snapshots"));
  CU_ASSERT_EQUAL(r5.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(r5.err, "--change:1: no computer named 'WEB0'"));
}

/* ------------------------------------------------------------ --change and JSON */

static void
test_change_options(void)
{
  const char *args[] = { "whatif",
                         "--change",
                         "status \"Old Web Settings\" enabled",
                         "--change",
                         "link \"Pilot Rights\" to contoso.com/Servers/Legacy order 1",
                         "--right",
                         "SeImpersonatePrivilege",
                         NULL };
  g_autoptr(JsonNode) root = run_json(args);
  g_autofree char *list = changed_list(root);
  JsonArray *plan = json_object_get_array_member(root_object(root), "plan");
  JsonObject *second = json_array_get_object_element(plan, 1);
  JsonObject *legacy = find_change(root, "LEGACY01", "SeImpersonatePrivilege");
  JsonArray *why = json_object_get_array_member(legacy, "why");

  GP_ASSERT_STR(list, "WEB01:SeImpersonatePrivilege WEB02:SeImpersonatePrivilege "
                      "LEGACY01:SeImpersonatePrivilege");
  CU_ASSERT_EQUAL(json_array_get_length(plan), 2);
  GP_ASSERT_STR(gp_test_json_string(second, "file"), "--change");
  CU_ASSERT_EQUAL(json_object_get_int_member(second, "line"), 2);
  GP_ASSERT_STR(gp_test_json_string(second, "change"), "link");
  GP_ASSERT_STR(json_array_get_string_element(json_object_get_array_member(second, "applied"), 0),
                "linked 'Pilot Rights' at OU=Legacy,OU=Servers,DC=contoso,DC=com as link order 1");
  CU_ASSERT_EQUAL(json_array_get_length(why), 1);
  GP_ASSERT_STR(json_array_get_string_element(why, 0),
                "--change:2: link \"Pilot Rights\" to contoso.com/Servers/Legacy order 1");
  GP_ASSERT_STR(side_winner(legacy, "after"), "Pilot Rights");
}

/* The contract: every field of gpsim.whatif/1, computer and rights as in gpsim.explain/1. */
static void
test_json_schema(void)
{
  g_autofree char *plan = plan_path("web-rollout.plan");
  const char *args[] = { "whatif", plan, "--computer", "APP01", NULL };
  g_autoptr(JsonNode) root = run_json(args);
  JsonObject *top = root_object(root);
  JsonObject *entry = find_change(root, "APP01", "SeImpersonatePrivilege");
  JsonObject *computer = json_object_get_object_member(entry, "computer");
  JsonObject *after = json_object_get_object_member(entry, "after");
  const char *top_members[] = { "schema", "plan", "changed", "summary", "notes" };
  const char *entry_members[] = { "computer",          "right",  "before", "after", "persistence",
                                  "effective_holders", "gained", "lost",   "why" };
  const char *right_members[] = { "right",           "display_name",      "source",      "winner",
                                  "holders",         "local_greyed_out",  "definitions", "local",
                                  "defined_nowhere", "if_winner_removed", "notes" };

  GP_ASSERT_STR(gp_test_json_string(top, "schema"), "gpsim.whatif/1");
  for (guint i = 0; i < G_N_ELEMENTS(top_members); i++)
    CU_ASSERT_TRUE(json_object_has_member(top, top_members[i]));
  for (guint i = 0; i < G_N_ELEMENTS(entry_members); i++)
    CU_ASSERT_TRUE(json_object_has_member(entry, entry_members[i]));
  for (guint i = 0; i < G_N_ELEMENTS(right_members); i++)
    CU_ASSERT_TRUE(json_object_has_member(after, right_members[i]));
  GP_ASSERT_STR(gp_test_json_string(computer, "dn"), "CN=APP01,OU=Servers,DC=contoso,DC=com");
  GP_ASSERT_STR(gp_test_json_string(computer, "role"), "member-server");
  CU_ASSERT_TRUE(json_object_has_member(computer, "site_reason"));
  GP_ASSERT_STR(gp_test_json_string(after, "display_name"),
                "Impersonate a client after authentication");
  CU_ASSERT_EQUAL(json_object_get_int_member(json_object_get_object_member(top, "summary"),
                                             "computers_evaluated"),
                  1);
}

/* A move is explained by its line, and the computer is shown at its new DN. */
static void
test_move_explained(void)
{
  const char *args[] = { "whatif",
                         "--change",
                         "move APP01 to contoso.com/Servers/Legacy",
                         "--right",
                         "SeServiceLogonRight",
                         NULL };
  g_autoptr(JsonNode) root = run_json(args);
  JsonObject *app01 = find_change(root, "APP01", "SeServiceLogonRight");
  JsonObject *computer = json_object_get_object_member(app01, "computer");

  GP_ASSERT_STR(gp_test_json_string(computer, "dn"),
                "CN=APP01,OU=Legacy,OU=Servers,DC=contoso,DC=com");
  GP_ASSERT_STR(side_winner(app01, "after"), "Legacy App Rights");
  GP_ASSERT_STR(json_array_get_string_element(json_object_get_array_member(app01, "why"), 0),
                "--change:1: move APP01 to contoso.com/Servers/Legacy");
}

/* ------------------------------------------------------------ diff */

/* Copies the folder @from into @to, recursively (regular files and folders). */
static void
copy_tree(const char *from, const char *to)
{
  g_autoptr(GDir) dir = g_dir_open(from, 0, NULL);
  const char *name;

  CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
  CU_ASSERT_EQUAL(g_mkdir_with_parents(to, 0700), 0);
  while ((name = g_dir_read_name(dir))) {
    g_autofree char *source = g_build_filename(from, name, NULL);
    g_autofree char *target = g_build_filename(to, name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    if (g_file_test(source, G_FILE_TEST_IS_DIR)) {
      copy_tree(source, target);
      continue;
    }
    CU_ASSERT_TRUE(g_file_get_contents(source, &data, &len, NULL));
    CU_ASSERT_TRUE(g_file_set_contents(target, data, (gssize)len, NULL));
  }
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
      g_unlink(child);
  }
  g_rmdir(path);
}

/* Adds svc-web to the SeImpersonatePrivilege line of IIS Web Tier's GptTmpl.inf
 * (UTF-16LE in the lab; written back as UTF-8, which the loader reads too). */
static void
edit_iis_template(const char *lab)
{
  g_autofree char *path = g_build_filename(lab, IIS_INF, NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;
  const char *line;
  const char *end;
  gsize len = 0;

  CU_ASSERT_TRUE_FATAL(g_file_get_contents(path, &raw, &len, NULL));
  text = g_convert(raw + 2, (gssize)len - 2, "UTF-8", "UTF-16LE", NULL, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(text);
  line = strstr(text, "SeImpersonatePrivilege = ");
  CU_ASSERT_PTR_NOT_NULL_FATAL(line);
  end = strchr(line, '\r');
  edited = g_string_new_len(text, end - text);
  g_string_append(edited, ",*" SVC_WEB);
  g_string_append(edited, end);
  CU_ASSERT_TRUE(g_file_set_contents(path, edited->str, (gssize)edited->len, NULL));
}

static void
test_diff_snapshots(void)
{
  g_autofree char *lab = gp_test_fixture("labs/contoso");
  g_autofree char *tmp = g_dir_make_tmp("gpsim-diff-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename(tmp, "contoso-later", NULL);
  const char *args[] = { "diff", lab, copy, NULL };
  const char *text_args[] = { "diff", lab, copy, "--right", "SeImpersonatePrivilege", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *list = NULL;
  JsonObject *web01;
  g_auto(GpTestRun) run = { 0 };

  copy_tree(lab, copy);
  edit_iis_template(copy);
  root = run_json(args);
  list = changed_list(root);
  GP_ASSERT_STR(gp_test_json_string(root_object(root), "schema"), "gpsim.diff/1");
  CU_ASSERT_EQUAL(json_array_get_length(json_object_get_array_member(root_object(root), "plan")),
                  0);
  GP_ASSERT_STR(list, "WEB01:SeImpersonatePrivilege WEB02:SeImpersonatePrivilege");
  web01 = find_change(root, "WEB01", "SeImpersonatePrivilege");
  GP_ASSERT_STR(json_array_get_string_element(json_object_get_array_member(web01, "why"), 0),
                "GPO 'IIS Web Tier' {A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004}: SeImpersonatePrivilege "
                "edited (5 -> 6 holders)");
  gp_test_run(&run, text_args);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Diff: "));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "    gains   CONTOSO\\svc-web\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Summary: 2 of 7 computers change\n"));
  remove_tree(tmp);
  CU_ASSERT_FALSE(g_file_test(tmp, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------ generated data */

/* GPO n of the generated domain: its SYSVOL folder, and its directory object in @ldif.
 * GPO 0 (linked at the domain) sets SeDebugPrivilege, the others SeTcbPrivilege
 * = GEN_SVC (a right no role has a default for). */
static void
generate_gpo(const char *dir, guint n, GString *ldif)
{
  g_autofree char *guid = g_strdup_printf(GEN_GPO, n);
  g_autofree char *root = g_build_filename(dir, "sysvol", "gen.test", "Policies", guid, NULL);
  g_autofree char *secedit
      = g_build_filename(root, "Machine", "Microsoft", "Windows NT", "SecEdit", NULL);
  g_autofree char *inf = g_build_filename(secedit, "GptTmpl.inf", NULL);
  g_autofree char *ini = g_build_filename(root, "GPT.INI", NULL);
  g_autofree char *template
      = g_strdup_printf("[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\n%s\r\n[Version]\r\n"
                        "signature=\"$CHICAGO$\"\r\nRevision=1\r\n",
                        n ? "SeTcbPrivilege = *" GEN_SVC : "SeDebugPrivilege = *S-1-5-32-544");

  CU_ASSERT_EQUAL(g_mkdir_with_parents(secedit, 0700), 0);
  CU_ASSERT_TRUE(g_file_set_contents(ini, "[General]\r\nVersion=1\r\n", -1, NULL));
  CU_ASSERT_TRUE(g_file_set_contents(inf, template, -1, NULL));
  g_string_append_printf(ldif,
                         "dn: CN=%s,CN=Policies,CN=System,DC=gen,DC=test\n"
                         "objectClass: groupPolicyContainer\ncn: %s\ndisplayName: Gen %u\n"
                         "flags: 0\nversionNumber: 1\ngPCFunctionalityVersion: 2\n"
                         "gPCMachineExtensionNames: [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
                         "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\n\n",
                         guid, guid, n);
}

/* OU n, linking GPO n, with two computers when @computers. */
static void
generate_ou(guint n, gboolean computers, GString *ldif)
{
  g_autofree char *guid = g_strdup_printf(GEN_GPO, n);

  g_string_append_printf(ldif,
                         "dn: OU=OU%u,DC=gen,DC=test\nobjectClass: organizationalUnit\n"
                         "ou: OU%u\ngPLink: [LDAP://cn=%s,cn=policies,cn=system,DC=gen,"
                         "DC=test;0]\n\n",
                         n, n, guid);
  for (guint c = 1; computers && c <= 2; c++)
    g_string_append_printf(ldif,
                           "dn: CN=PC%u-%u,OU=OU%u,DC=gen,DC=test\nobjectClass: computer\n"
                           "cn: PC%u-%u\nsAMAccountName: PC%u-%u$\n"
                           "operatingSystem: Windows Server 2022 Standard\n"
                           "userAccountControl: 4096\n\n",
                           n, c, n, n, c, n, c);
}

/* Writes into @dir a domain gen.test (gen.ldif and sysvol/) with GPO 0 linked at
 * the domain and @ous OUs (OU1...), OU n linking GPO n. */
static void
generate_lab(const char *dir, guint ous, gboolean computers)
{
  g_autoptr(GString) ldif = g_string_new("version: 1\n\n");
  g_autofree char *path = g_build_filename(dir, "gen.ldif", NULL);

  g_string_append_printf(ldif,
                         "dn: DC=gen,DC=test\nobjectClass: top\nobjectClass: domain\n"
                         "objectClass: domainDNS\ndc: gen\ngPLink: [LDAP://cn=" GEN_GPO
                         ",cn=policies,cn=system,DC=gen,DC=test;0]\n\n",
                         0u);
  for (guint n = 0; n <= ous; n++) {
    generate_gpo(dir, n, ldif);
    if (n > 0)
      generate_ou(n, computers, ldif);
  }
  CU_ASSERT_TRUE(g_file_set_contents(path, ldif->str, -1, NULL));
}

/* Many computers: unlinking one OU's GPO tattoos SeTcbPrivilege there, and only there. */
static void
test_generated_tattooed(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-gen-XXXXXX", NULL);
  g_autofree char *ldif = g_build_filename(dir, "gen.ldif", NULL);
  g_autofree char *sysvol = g_build_filename(dir, "sysvol", NULL);
  const char *args[] = {
    "whatif", "--ldif", ldif, "--sysvol", sysvol, "--change", "unlink \"Gen 3\" from gen.test/OU3",
    NULL
  };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *list = NULL;
  g_autofree char *effective = NULL;
  JsonObject *pc;

  generate_lab(dir, 6, TRUE);
  root = run_json(args);
  list = changed_list(root);
  GP_ASSERT_STR(list, "PC3-1:SeTcbPrivilege PC3-2:SeTcbPrivilege");
  pc = find_change(root, "PC3-1", "SeTcbPrivilege");
  GP_ASSERT_STR(gp_test_json_string(pc, "persistence"), "tattooed");
  effective = holder_sids(json_object_get_array_member(pc, "effective_holders"));
  GP_ASSERT_STR(effective, GEN_SVC);
  CU_ASSERT_EQUAL(json_array_get_length(json_object_get_array_member(pc, "lost")), 0);
  CU_ASSERT_EQUAL(
      json_object_get_int_member(json_object_get_object_member(root_object(root), "summary"),
                                 "computers_evaluated"),
      12);
  remove_tree(dir);
}

/* No computers in the data: one hypothetical computer per OU, and the output says so. */
static void
test_generated_without_computers(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-gen-XXXXXX", NULL);
  g_autofree char *ldif = g_build_filename(dir, "gen.ldif", NULL);
  /* --input: the LDIF file is recognised from its content */
  const char *args[] = { "whatif",
                         "--input",
                         ldif,
                         "--change",
                         "new gpo Extra",
                         "--change",
                         "set Extra SeDebugPrivilege = *" GEN_SVC,
                         "--change",
                         "link Extra to OU2 enforced",
                         NULL };
  const char *text_args[]
      = { "whatif", "--ldif", ldif, "--change", "status \"Gen 1\" enabled", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *list = NULL;
  JsonArray *notes;
  g_auto(GpTestRun) run = { 0 };

  generate_lab(dir, 3, FALSE);
  root = run_json(args);
  list = changed_list(root);
  GP_ASSERT_STR(list, "(any computer):SeDebugPrivilege");
  CU_ASSERT_TRUE(json_object_get_boolean_member(root_object(root), "hypothetical_computers"));
  GP_ASSERT_STR(
      gp_test_json_string(json_object_get_object_member(
                              find_change(root, "(any computer)", "SeDebugPrivilege"), "computer"),
                          "dn"),
      "CN=(any computer),OU=OU2,DC=gen,DC=test");
  notes = json_object_get_array_member(root_object(root), "notes");
  CU_ASSERT_PTR_NOT_NULL(strstr(json_array_get_string_element(notes, 0), "no computers"));
  gp_test_run(&run, text_args);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Note: the data holds no computers"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Summary: 0 of 4 computers change"));
  remove_tree(dir);
}

static const GpTestCase cases[] = {
  GP_TEST(test_planning_story),
  GP_TEST(test_planning_story_text),
  GP_TEST(test_fixed_plan),
  GP_TEST(test_persistence_reverted_to_local),
  GP_TEST(test_persistence_tattooed),
  GP_TEST(test_failing_line_changes_nothing),
  GP_TEST(test_usage_errors),
  GP_TEST(test_change_options),
  GP_TEST(test_json_schema),
  GP_TEST(test_move_explained),
  GP_TEST(test_diff_snapshots),
  GP_TEST(test_generated_tattooed),
  GP_TEST(test_generated_without_computers),
};

GP_TEST_MAIN("whatif", cases)
