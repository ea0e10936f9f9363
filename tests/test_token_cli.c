/* test_token_cli.c - `gpsim token` and `gpsim can-impersonate` end to end.
 *
 * Runs the real executable on the bundled contoso lab (svc-legacy on LEGACY01,
 * svc-web on WEB01) and on small forests this file generates (an LDIF export
 * and a SYSVOL copy with a chain of nested groups of a given depth), parses the
 * JSON with json-glib and checks the answers, the text, and the usage errors.
 * The run and parse helpers are those of test_cli.c.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "gp-test-cli.h"

#define CONTOSO     "S-1-5-21-1004336348-1177238915-682003330"
#define SVC_LEGACY  CONTOSO "-1105"
#define SVC_WEB     CONTOSO "-1106"
#define SERVICE     "S-1-5-6"
#define IIS_IUSRS   "S-1-5-32-568"
#define IMPERSONATE "SeImpersonatePrivilege"
#define MAX_ARGS    24

/* ------------------------------------------------- running gpsim (test_cli.c) */

/* --------------------------------------------------------------- helpers */

/* Runs gpsim with @args plus "--format json" and returns the parsed output. */
static JsonNode *
run_json(const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_auto(GpTestRun) run = { 0 };

  for (guint i = 0; args[i]; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, (gpointer) "--format");
  g_ptr_array_add(argv, (gpointer) "json");
  g_ptr_array_add(argv, NULL);
  gp_test_run(&run, (const char *const *)argv->pdata);
  if (run.status != 0)
    printf("\n  stderr: %s", run.err);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  return gp_test_json(run.out);
}

static JsonObject *
find_by(JsonArray *array, const char *member, const char *value)
{
  for (guint i = 0; array && i < json_array_get_length(array); i++) {
    JsonObject *object = json_array_get_object_element(array, i);
    if (g_strcmp0(gp_test_json_string(object, member), value) == 0)
      return object;
  }
  return NULL;
}

static JsonObject *
token_right(JsonNode *root, const char *right)
{
  return find_by(json_object_get_array_member(json_node_get_object(root), "rights"), "right",
                 right);
}

static JsonObject *
token_group(JsonNode *root, const char *sid)
{
  return find_by(json_object_get_array_member(json_node_get_object(root), "groups"), "sid", sid);
}

/* "SID,SID" of a right's "also_via". */
static char *
also_via(JsonObject *right)
{
  JsonArray *others = json_object_get_array_member(right, "also_via");
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < json_array_get_length(others); i++)
    g_string_append_printf(out, "%s%s", i ? "," : "",
                           gp_test_json_string(json_array_get_object_element(others, i), "sid"));
  return g_string_free(out, FALSE);
}

static const char *
via_sid(JsonObject *right)
{
  return gp_test_json_string(json_object_get_object_member(right, "via"), "sid");
}

static const char *
decided_by(JsonObject *right)
{
  JsonNode *node = json_object_get_member(right, "decided_by");

  return JSON_NODE_HOLDS_NULL(node) ? NULL
                                    : gp_test_json_string(json_node_get_object(node), "name");
}

static gboolean
strings_contain(JsonArray *strings, const char *needle)
{
  for (guint i = 0; i < json_array_get_length(strings); i++)
    if (strstr(json_array_get_string_element(strings, i), needle))
      return TRUE;
  return FALSE;
}

static gboolean
notes_contain(JsonNode *root, const char *member, const char *needle)
{
  return strings_contain(json_object_get_array_member(json_node_get_object(root), member), needle);
}

/* ------------------------------------------------------- the contoso lab */

static const struct {
  const char *args[8];
  const char *via; /* NULL: the token does not hold SeImpersonatePrivilege */
  const char *also_via;
  const char *decided_by;
} lab_tokens[] = {
  { { "--computer", "LEGACY01", "--account", "svc-legacy", "--logon", "service" },
    SVC_LEGACY,
    SERVICE,
    "Legacy App Rights" },
  { { "--computer", "WEB01", "--account", "CONTOSO\\svc-web", "--logon", "service" },
    SERVICE,
    "",
    "IIS Web Tier" },
  { { "--computer", "WEB01", "--account", "svc-web", "--logon", "service", "--local-group",
      "IIS_IUSRS" },
    SERVICE,
    IIS_IUSRS,
    "IIS Web Tier" },
  { { "--computer", "WEB01", "--account", "*" SVC_WEB, "--logon", "com-server" },
    SERVICE,
    "",
    "IIS Web Tier" },
  { { "--computer", "WEB01", "--account", "svc-web" }, NULL, NULL, NULL },
  { { "--computer", "LEGACY01", "--account", "svc-legacy", "--logon", "network" },
    SVC_LEGACY,
    "",
    "Legacy App Rights" },
  { { "--computer", "WEB01", "--account", "NETWORK SERVICE", "--logon", "service" },
    "S-1-5-20",
    SERVICE,
    "IIS Web Tier" },
};

static JsonNode *
lab_token(guint row)
{
  const char *args[MAX_ARGS] = { "token" };
  guint n = 1;

  for (guint i = 0; i < G_N_ELEMENTS(lab_tokens[row].args) && lab_tokens[row].args[i]; i++)
    args[n++] = lab_tokens[row].args[i];
  args[n] = NULL;
  return run_json(args);
}

static void
test_lab_tokens(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(lab_tokens); i++) {
    g_autoptr(JsonNode) root = lab_token(i);
    JsonObject *right = token_right(root, IMPERSONATE);
    g_autofree char *others = right ? also_via(right) : NULL;

    printf("\n  case %u: %s", i, lab_tokens[i].args[3]);
    GP_ASSERT_STR(gp_test_json_string(json_node_get_object(root), "schema"), "gpsim.token/1");
    GP_ASSERT_STR(right ? via_sid(right) : NULL, lab_tokens[i].via);
    if (!right)
      continue;
    GP_ASSERT_STR(others, lab_tokens[i].also_via);
    GP_ASSERT_STR(decided_by(right), lab_tokens[i].decided_by);
    GP_ASSERT_STR(gp_test_json_string(right, "source"), "gpo");
    GP_ASSERT_STR(gp_test_json_string(right, "display_name"),
                  "Impersonate a client after authentication");
  }
}

/* The groups and their reasons, and the notes, for svc-legacy as a service. */
static void
test_lab_token_groups(void)
{
  g_autoptr(JsonNode) root = lab_token(0);
  JsonObject *top = json_node_get_object(root);
  JsonObject *account = json_object_get_object_member(top, "account");

  GP_ASSERT_STR(gp_test_json_string(top, "computer"), "LEGACY01");
  GP_ASSERT_STR(gp_test_json_string(top, "logon"), "service");
  GP_ASSERT_STR(gp_test_json_string(account, "sid"), SVC_LEGACY);
  GP_ASSERT_STR(gp_test_json_string(account, "name"), "CONTOSO\\svc-legacy");
  GP_ASSERT_STR(gp_test_json_string(token_group(root, SVC_LEGACY), "why"), "the account");
  GP_ASSERT_STR(gp_test_json_string(token_group(root, CONTOSO "-513"), "name"),
                "CONTOSO\\Domain Users");
  GP_ASSERT_STR(gp_test_json_string(token_group(root, SERVICE), "why"),
                "logon type: SERVICE (the SCM adds it to the services it starts)");
  CU_ASSERT_PTR_NULL(token_group(root, "S-1-5-4"));
  CU_ASSERT_PTR_NOT_NULL(token_group(root, "S-1-5-11"));
  CU_ASSERT_TRUE(notes_contain(root, "notes", "next start of the service"));
  /* svc-legacy also gets the service logon right from the same GPO */
  GP_ASSERT_STR(via_sid(token_right(root, "SeServiceLogonRight")), SVC_LEGACY);
  /* and not SeDebugPrivilege: the enforced baseline wins it */
  CU_ASSERT_PTR_NULL(token_right(root, "SeDebugPrivilege"));
}

/* svc-web logging on interactively: the logon SIDs, no SERVICE, and the note. */
static void
test_lab_token_interactive(void)
{
  g_autoptr(JsonNode) root = lab_token(4);
  JsonObject *iis = NULL;

  GP_ASSERT_STR(gp_test_json_string(token_group(root, "S-1-2-0"), "why"), "LOCAL (interactive)");
  CU_ASSERT_PTR_NOT_NULL(token_group(root, "S-1-5-4"));
  CU_ASSERT_PTR_NULL(token_group(root, SERVICE));
  CU_ASSERT_TRUE(notes_contain(root, "notes", "next logon of CONTOSO\\svc-web"));
  json_node_unref(root);
  root = lab_token(2);
  iis = token_group(root, IIS_IUSRS);
  GP_ASSERT_STR(iis ? gp_test_json_string(iis, "why") : NULL,
                "IIS_IUSRS: IIS adds it to application pool identities (given with "
                "--local-group)");
}

static void
test_lab_token_text(void)
{
  const char *args[] = { "token",      "--computer", "LEGACY01", "--account",
                         "svc-legacy", "--logon",    "service",  NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Account    CONTOSO\\svc-legacy (" SVC_LEGACY ")\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Groups in the token:\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "  SeImpersonatePrivilege (Impersonate a client after "
                                         "authentication)\n      via CONTOSO\\svc-legacy"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "also via NT AUTHORITY\\SERVICE"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "decided by GPO 'Legacy App Rights' linked at "
                                         "OU=Legacy,OU=Servers,DC=contoso,DC=com"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "takes effect at the next start of the service"));
}

/* A virtual account named by its name gets the SID Windows derives. */
static void
test_lab_app_pool_account(void)
{
  const char *args[]
      = { "token",   "--computer", "WEB01", "--account", "IIS APPPOOL\\DefaultAppPool",
          "--logon", "service",    NULL };
  g_autoptr(JsonNode) root = run_json(args);
  JsonObject *account = json_object_get_object_member(json_node_get_object(root), "account");
  JsonObject *right = token_right(root, IMPERSONATE);
  g_autofree char *others = right ? also_via(right) : NULL;

  GP_ASSERT_STR(gp_test_json_string(account, "sid"),
                "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
  GP_ASSERT_STR(gp_test_json_string(account, "name"), "IIS APPPOOL\\DefaultAppPool");
  GP_ASSERT_STR(gp_test_json_string(token_group(root, IIS_IUSRS), "why"),
                "IIS_IUSRS: IIS adds it to application pool identities");
  GP_ASSERT_STR(others, IIS_IUSRS);
}

/* ------------------------------------------------- can-impersonate, lab */

static const struct {
  const char *args[12];
  gboolean answer;
  const char *rule;
  const char *explanation; /* substring of one explanation line */
} lab_impersonations[] = {
  { { "--computer", "LEGACY01", "--server-account", "svc-legacy", "--client", "svc-web" },
    TRUE,
    "privilege-held",
    "on LEGACY01, SeImpersonatePrivilege is decided by GPO 'Legacy App Rights'" },
  { { "--computer", "WEB01", "--server-account", "svc-web", "--client", "svc-legacy", "--logon",
      "interactive", "--level", "identify" },
    TRUE,
    "level-below-impersonate",
    "condition 3" },
  { { "--computer", "WEB01", "--server-account", "svc-web", "--client", "svc-legacy", "--logon",
      "interactive" },
    FALSE,
    "privilege-not-held",
    "decided by GPO 'IIS Web Tier' linked at OU=Web,OU=Servers,DC=contoso,DC=com: holders "
    "BUILTIN\\Administrators, NT AUTHORITY\\LOCAL SERVICE, NT AUTHORITY\\NETWORK SERVICE, "
    "NT AUTHORITY\\SERVICE, BUILTIN\\IIS_IUSRS" },
  { { "--computer", "WEB01", "--server-account", "svc-web", "--client", "svc-legacy", "--logon",
      "interactive", "--explicit-credentials" },
    TRUE,
    "explicit-credentials",
    "condition 2" },
  { { "--computer", "WEB01", "--server-account", "svc-web", "--client", "CONTOSO\\svc-web",
      "--logon", "batch" },
    TRUE,
    "same-user",
    "condition 1" },
  { { "--computer", "WEB01", "--server-account", "svc-web", "--client", "svc-legacy", "--same-user",
      "--logon", "batch" },
    TRUE,
    "same-user",
    "condition 1" },
  { { "--computer", "WEB01", "--server-account", "svc-web", "--client", "svc-legacy", "--level",
      "delegate" },
    TRUE,
    "privilege-held",
    "trusted for delegation" },
};

static JsonNode *
lab_impersonation(guint row)
{
  const char *args[MAX_ARGS] = { "can-impersonate" };
  guint n = 1;

  for (guint i = 0;
       i < G_N_ELEMENTS(lab_impersonations[row].args) && lab_impersonations[row].args[i]; i++)
    args[n++] = lab_impersonations[row].args[i];
  args[n] = NULL;
  return run_json(args);
}

static void
test_lab_can_impersonate(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(lab_impersonations); i++) {
    g_autoptr(JsonNode) root = lab_impersonation(i);
    JsonObject *top = json_node_get_object(root);

    printf("\n  case %u: %s", i, lab_impersonations[i].rule);
    GP_ASSERT_STR(gp_test_json_string(top, "schema"), "gpsim.can-impersonate/1");
    CU_ASSERT_EQUAL(json_object_get_boolean_member(top, "answer"), lab_impersonations[i].answer);
    GP_ASSERT_STR(gp_test_json_string(top, "rule"), lab_impersonations[i].rule);
    CU_ASSERT_TRUE(notes_contain(root, "explanation", lab_impersonations[i].explanation));
    CU_ASSERT_TRUE(notes_contain(root, "notes", "user rights are put in the token"));
  }
}

static void
test_lab_can_impersonate_fields_and_text(void)
{
  g_autoptr(JsonNode) root = lab_impersonation(0);
  JsonObject *top = json_node_get_object(root);
  const char *args[] = { "can-impersonate", "--computer", "LEGACY01", "--server-account",
                         "svc-legacy",      "--client",   "svc-web",  NULL };
  g_auto(GpTestRun) run = { 0 };

  GP_ASSERT_STR(gp_test_json_string(top, "logon"), "service");
  GP_ASSERT_STR(gp_test_json_string(top, "level"), "impersonate");
  GP_ASSERT_STR(gp_test_json_string(json_object_get_object_member(top, "server_account"), "sid"),
                SVC_LEGACY);
  GP_ASSERT_STR(gp_test_json_string(json_object_get_object_member(top, "client"), "name"),
                "CONTOSO\\svc-web");
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL_FATAL(run.status, 0);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Answer     YES (privilege-held)\n"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "Level      impersonate\n"));
}

/* ------------------------------------------------------ usage errors */

static const struct {
  const char *args[12];
  const char *stderr_has;
} error_cases[] = {
  { { "token", "--computer", "WEB01", NULL }, "token needs --account" },
  { { "token", "--computer", "WEB01", "--account", "nobody", NULL }, "give its SID" },
  { { "token", "--computer", "WEB01", "--account", "Web Servers", NULL }, "is a group" },
  { { "token", "--computer", "WEB01", "--account", "svc-web", "--logon", "remote", NULL },
    "--logon 'remote'" },
  { { "token", "--computer", "WEB01", "--account", "svc-web", "--local-group", "nope", NULL },
    "--local-group 'nope'" },
  { { "token", "--account", "svc-web", NULL }, "token needs --computer" },
  { { "token", "--computer", "NOPE", "--account", "svc-web", NULL }, "no computer named 'NOPE'" },
  { { "token", "--computer", "WEB01", "--account", "svc-web", "--format", "jsonl", NULL },
    "--format" },
  { { "can-impersonate", "--computer", "WEB01", "--client", "svc-web", NULL },
    "can-impersonate needs --server-account" },
  { { "can-impersonate", "--computer", "WEB01", "--server-account", "svc-web", "--client",
      "svc-legacy", "--level", "full", NULL },
    "--level 'full'" },
  { { "can-impersonate", "--computer", "WEB01", "--server-account", "svc-web", "--client", "ghost",
      NULL },
    "--client 'ghost'" },
};

static void
test_usage_errors(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(error_cases); i++) {
    g_auto(GpTestRun) run = { 0 };

    gp_test_run(&run, error_cases[i].args);
    printf("\n  case %u: status %d", i, run.status);
    CU_ASSERT_EQUAL(run.status, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(run.err, error_cases[i].stderr_has));
    CU_ASSERT_STRING_EQUAL(run.out, "");
  }
}

/* --------------------------------------------------- generated forests */

/* A forest generated for @depth: domain example.test, OU=Servers holding SRV1
 * and linking GPO "Generated Rights" (SeImpersonatePrivilege = Administrators,
 * SERVICE, G<depth>), users alice and bob, and groups G1..G<depth> where alice
 * is in G1 and each Gi is in Gi+1 - written as memberOf on odd levels and as
 * the parent's member list on even ones. */
#define GEN_DOM  "S-1-5-21-700-800-900"
#define GEN_GUID "{0C0FFEE0-1234-4321-ABCD-000000000001}"
#define GEN_BASE "DC=example,DC=test"
#define GEN_GPO  "CN=" GEN_GUID ",CN=Policies,CN=System," GEN_BASE

static void
gen_group(GString *ldif, guint level, guint depth)
{
  g_string_append_printf(ldif,
                         "dn: CN=G%u,OU=Groups," GEN_BASE "\nobjectClass: top\nobjectClass: group\n"
                         "sAMAccountName: G%u\nobjectSid: " GEN_DOM "-%u\n",
                         level, level, 3000 + level);
  if (level < depth && level % 2 == 1)
    g_string_append_printf(ldif, "memberOf: CN=G%u,OU=Groups," GEN_BASE "\n", level + 1);
  if (level > 1 && (level - 1) % 2 == 0)
    g_string_append_printf(ldif, "member: CN=G%u,OU=Groups," GEN_BASE "\n", level - 1);
  g_string_append(ldif, "\n");
}

static void
gen_user(GString *ldif, const char *name, guint rid, const char *member_of)
{
  g_string_append_printf(ldif,
                         "dn: CN=%s,OU=Staff," GEN_BASE "\nobjectClass: top\nobjectClass: person\n"
                         "objectClass: organizationalPerson\nobjectClass: user\n"
                         "sAMAccountName: %s\nobjectSid: " GEN_DOM "-%u\nprimaryGroupID: 513\n",
                         name, name, rid);
  if (member_of)
    g_string_append_printf(ldif, "memberOf: %s\n", member_of);
  g_string_append(ldif, "\n");
}

static char *
gen_ldif(guint depth)
{
  g_autoptr(GString) ldif = g_string_new(NULL);

  g_string_append(ldif, "dn: " GEN_BASE "\nobjectClass: top\nobjectClass: domain\n"
                        "objectClass: domainDNS\nobjectSid: " GEN_DOM "\n\n"
                        "dn: OU=Servers," GEN_BASE "\nobjectClass: top\n"
                        "objectClass: organizationalUnit\ngPLink: [LDAP://" GEN_GPO ";0]\n\n"
                        "dn: " GEN_GPO "\nobjectClass: top\nobjectClass: container\n"
                        "objectClass: groupPolicyContainer\ndisplayName: Generated Rights\n"
                        "flags: 0\nversionNumber: 1\ngPCFunctionalityVersion: 2\n"
                        "gPCMachineExtensionNames: [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
                        "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\n\n"
                        "dn: CN=SRV1,OU=Servers," GEN_BASE "\nobjectClass: top\n"
                        "objectClass: person\nobjectClass: organizationalPerson\n"
                        "objectClass: user\nobjectClass: computer\nsAMAccountName: SRV1$\n"
                        "operatingSystem: Windows Server 2022 Standard\n"
                        "userAccountControl: 4096\nprimaryGroupID: 515\n"
                        "objectSid: " GEN_DOM "-1000\n\n");
  gen_user(ldif, "alice", 1105, "CN=G1,OU=Groups," GEN_BASE);
  gen_user(ldif, "bob", 1106, NULL);
  for (guint level = 1; level <= depth; level++)
    gen_group(ldif, level, depth);
  return g_string_free(g_steal_pointer(&ldif), FALSE);
}

static gboolean
write_file(const char *dir, const char *relative, const char *text)
{
  g_autofree char *path = g_build_filename(dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname(path);

  return g_mkdir_with_parents(parent, 0700) == 0 && g_file_set_contents(path, text, -1, NULL);
}

/* Writes the forest of @depth into a new temporary folder.  Returns: (transfer full) */
static char *
gen_forest(guint depth)
{
  char *dir = g_dir_make_tmp("gpsim-token-XXXXXX", NULL);
  g_autofree char *ldif = gen_ldif(depth);
  g_autofree char *inf = g_strdup_printf(
      "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"
      "[Privilege Rights]\r\n" IMPERSONATE " = *S-1-5-32-544,*S-1-5-6,*" GEN_DOM "-%u\r\n",
      3000 + depth);

  CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
  CU_ASSERT_TRUE(write_file(dir, "example.ldif", ldif));
  CU_ASSERT_TRUE(
      write_file(dir, "sysvol/Policies/" GEN_GUID "/GPT.INI", "[General]\r\nVersion=1\r\n"));
  CU_ASSERT_TRUE(write_file(
      dir, "sysvol/Policies/" GEN_GUID "/Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf", inf));
  return dir;
}

static void
remove_tree(const char *path)
{
  g_autoptr(GDir) dir = g_file_test(path, G_FILE_TEST_IS_DIR) ? g_dir_open(path, 0, NULL) : NULL;
  const char *name;

  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *child = g_build_filename(path, name, NULL);
    remove_tree(child);
  }
  g_remove(path);
}

/* Runs @command on the forest in @dir with @extra options, as JSON. */
static JsonNode *
gen_json(const char *dir, const char *command, const char *const *extra)
{
  g_autofree char *ldif = g_build_filename(dir, "example.ldif", NULL);
  g_autofree char *sysvol = g_build_filename(dir, "sysvol", NULL);
  const char *args[MAX_ARGS]
      = { command, "--ldif", ldif, "--sysvol", sysvol, "--computer", "SRV1" };
  guint n = 7;

  for (guint i = 0; extra[i]; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  return run_json(args);
}

static void
check_generated_depth(guint depth)
{
  static const char *const alice[] = { "--account", "EXAMPLE\\alice", "--logon", "network", NULL };
  g_autofree char *dir = gen_forest(depth);
  g_autoptr(JsonNode) root = gen_json(dir, "token", alice);
  g_autofree char *top_sid = g_strdup_printf(GEN_DOM "-%u", 3000 + depth);
  g_autofree char *why
      = depth == 1 ? g_strdup("member of EXAMPLE\\G1")
                   : g_strdup_printf("member of EXAMPLE\\G%u (via EXAMPLE\\G%u)", depth, depth - 1);
  JsonObject *right = token_right(root, IMPERSONATE);

  printf("\n  depth %u", depth);
  for (guint level = 1; level <= depth; level++) {
    g_autofree char *sid = g_strdup_printf(GEN_DOM "-%u", 3000 + level);
    CU_ASSERT_PTR_NOT_NULL(token_group(root, sid));
  }
  GP_ASSERT_STR(gp_test_json_string(token_group(root, top_sid), "why"), why);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  GP_ASSERT_STR(via_sid(right), top_sid);
  GP_ASSERT_STR(decided_by(right), "Generated Rights");
  remove_tree(dir);
}

static void
test_generated_nested_groups(void)
{
  static const guint depths[] = { 1, 2, 5, 8 };

  for (gsize i = 0; i < G_N_ELEMENTS(depths); i++)
    check_generated_depth(depths[i]);
}

static const struct {
  const char *extra[10];
  gboolean answer;
  const char *rule;
  const char *explanation;
} generated_impersonations[] = {
  { { "--server-account", "alice", "--client", "bob", "--logon", "batch" },
    TRUE,
    "privilege-held",
    "via EXAMPLE\\G3 (member of EXAMPLE\\G3 (via EXAMPLE\\G2))" },
  { { "--server-account", "bob", "--client", "alice", "--logon", "interactive" },
    FALSE,
    "privilege-not-held",
    "decided by GPO 'Generated Rights' linked at OU=Servers,DC=example,DC=test: holders "
    "BUILTIN\\Administrators, NT AUTHORITY\\SERVICE, EXAMPLE\\G3" },
  { { "--server-account", "bob", "--client", "alice", "--logon", "interactive", "--level",
      "anonymous" },
    TRUE,
    "level-below-impersonate",
    "condition 3: the requested level, anonymous" },
  { { "--server-account", "bob", "--client", "alice" },
    TRUE,
    "privilege-held",
    "via NT AUTHORITY\\SERVICE" },
};

static void
test_generated_can_impersonate(void)
{
  g_autofree char *dir = gen_forest(3);

  for (guint i = 0; i < G_N_ELEMENTS(generated_impersonations); i++) {
    g_autoptr(JsonNode) root = gen_json(dir, "can-impersonate", generated_impersonations[i].extra);
    JsonObject *top = json_node_get_object(root);

    printf("\n  case %u: %s", i, generated_impersonations[i].rule);
    CU_ASSERT_EQUAL(json_object_get_boolean_member(top, "answer"),
                    generated_impersonations[i].answer);
    GP_ASSERT_STR(gp_test_json_string(top, "rule"), generated_impersonations[i].rule);
    CU_ASSERT_TRUE(notes_contain(root, "explanation", generated_impersonations[i].explanation));
  }
  remove_tree(dir);
}

static const GpTestCase cases[] = {
  GP_TEST(test_lab_tokens),
  GP_TEST(test_lab_token_groups),
  GP_TEST(test_lab_token_interactive),
  GP_TEST(test_lab_token_text),
  GP_TEST(test_lab_app_pool_account),
  GP_TEST(test_lab_can_impersonate),
  GP_TEST(test_lab_can_impersonate_fields_and_text),
  GP_TEST(test_usage_errors),
  GP_TEST(test_generated_nested_groups),
  GP_TEST(test_generated_can_impersonate),
};

GP_TEST_MAIN("tokencli", cases)
