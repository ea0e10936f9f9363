/* test_audit.c - baselines, audit checks, lint and who-has on models built in memory.
 *
 * Fixture (build_corp): domain corp.test (DC=corp,DC=test, SID S-1-5-21-1-2-3,
 * NetBIOS CORP) with OUs Servers, Web (under Servers), Legacy (under Servers),
 * Desk and Domain Controllers; computers SRV1 (Servers), WEB1 (Web), APP1
 * (Legacy): member servers; PC1 (Desk): a client; DC1: a domain controller.
 * Groups CORP\App Servers (member of CORP\Tier2) and CORP\Tier2; users
 * CORP\svc-app (listed in App Servers' member attribute) and CORP\svc-web (whose
 * memberOf names App Servers).  The catalogue holds six rights with the
 * documented defaults; every GPO exists, is enabled and has the Security CSE.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "gp-audit.h"
#include "gp-loaders.h"
#include "gp-names.h"
#include "gp-plan.h"
#include "gp-test.h"

#define DOMAIN_DN   "DC=corp,DC=test"
#define DOMAIN_SID  "S-1-5-21-1-2-3"
#define SERVERS_DN  "OU=Servers," DOMAIN_DN
#define WEB_DN      "OU=Web," SERVERS_DN
#define LEGACY_DN   "OU=Legacy," SERVERS_DN
#define DESK_DN     "OU=Desk," DOMAIN_DN
#define DCS_DN      "OU=Domain Controllers," DOMAIN_DN
#define SVC_APP     DOMAIN_SID "-1105"
#define SVC_WEB     DOMAIN_SID "-1106"
#define APP_SERVERS DOMAIN_SID "-3001"
#define TIER2       DOMAIN_SID "-3002"
#define ADM         "S-1-5-32-544"
#define USERS       "S-1-5-32-545"
#define IIS_IUSRS   "S-1-5-32-568"
#define SERVICE     "S-1-5-6"
#define EVERYONE    "S-1-1-0"
#define DEF         ADM ",S-1-5-19,S-1-5-20," SERVICE
#define IMPERSONATE "SeImpersonatePrivilege"
#define SECURITY_EXTENSIONS                                                                        \
  "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"

/* ---------------------------------------------------------------- fixture */

static const struct {
  const char *constant;
  const char *display_name;
  const char *defaults; /* every role; NULL: not defined */
} catalogue[] = {
  { IMPERSONATE, "Impersonate a client after authentication", DEF },
  { "SeDebugPrivilege", "Debug programs", ADM },
  { "SeTcbPrivilege", "Act as part of the operating system", NULL },
  { "SeNetworkLogonRight", "Access this computer from the network", EVERYONE "," ADM "," USERS },
  { "SeBatchLogonRight", "Log on as a batch job", ADM },
  { "SeServiceLogonRight", "Log on as a service", "S-1-5-20" },
};

static const struct {
  const char *sid;
  const char *name;
} names[] = {
  { ADM, "BUILTIN\\Administrators" },
  { USERS, "BUILTIN\\Users" },
  { IIS_IUSRS, "BUILTIN\\IIS_IUSRS" },
  { SERVICE, "NT AUTHORITY\\SERVICE" },
  { EVERYONE, "Everyone" },
  { "S-1-5-11", "NT AUTHORITY\\Authenticated Users" },
  { "S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE" },
  { "S-1-5-20", "NT AUTHORITY\\NETWORK SERVICE" },
  { SVC_APP, "CORP\\svc-app" },
  { SVC_WEB, "CORP\\svc-web" },
  { APP_SERVERS, "CORP\\App Servers" },
  { TIER2, "CORP\\Tier2" },
  { DOMAIN_SID "-512", "CORP\\Domain Admins" },
};

/* "S-1-...,NAME": SIDs as SIDs, anything else as a name. */
static GPtrArray *
principals_from(const char *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  g_auto(GStrv) parts = g_strsplit(list, ",", -1);

  for (guint i = 0; parts[i]; i++) {
    if (!*parts[i])
      continue;
    if (g_str_has_prefix(parts[i], "S-1-"))
      g_ptr_array_add(out, gp_principal_new(parts[i], NULL));
    else
      g_ptr_array_add(out, gp_principal_new(NULL, parts[i]));
  }
  return out;
}

static void
add_catalogue(GpModel *model)
{
  for (gsize i = 0; i < G_N_ELEMENTS(catalogue); i++) {
    GpRightInfo *info = gp_right_info_new(catalogue[i].constant, catalogue[i].display_name);
    for (int role = 0; catalogue[i].defaults && role < GP_ROLE_COUNT; role++)
      info->defaults[role] = principals_from(catalogue[i].defaults);
    gp_model_add_right_info(model, info);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    gp_model_add_principal(model, names[i].sid, names[i].name);
}

/* "RIGHT=SID,SID;RIGHT=" as a GptTmpl.inf. */
static GpSecurityTemplate *
template_from(const char *rights)
{
  GpSecurityTemplate *tmpl = gp_security_template_new("GptTmpl.inf");
  g_auto(GStrv) items = g_strsplit(rights, ";", -1);

  for (guint i = 0; items[i]; i++) {
    const char *eq = strchr(items[i], '=');
    g_autofree char *right = eq ? g_strndup(items[i], (gsize)(eq - items[i])) : NULL;
    GpRightAssignment *assignment;
    if (!eq)
      continue;
    assignment = gp_right_assignment_new(right, "GptTmpl.inf", i + 1);
    g_ptr_array_extend_and_steal(assignment->holders, principals_from(eq + 1));
    gp_security_template_add(tmpl, assignment);
  }
  return tmpl;
}

/* A GPO named @name ("{00000000-...-<n>}" from a counter) defining @rights
 * (NULL: no GptTmpl.inf and no Security CSE), linked to @som_dn with @options
 * (unless NULL). */
static GpGpo *
add_gpo(GpModel *model, const char *name, const char *rights, const char *som_dn, guint options)
{
  guint n = gp_model_gpos(model)->len + 1;
  g_autofree char *dn
      = g_strdup_printf("CN={00000000-0000-0000-0000-%012u},CN=Policies,CN=System," DOMAIN_DN, n);
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, dn);

  gpo->display_name = g_strdup(name);
  gpo->in_directory = TRUE;
  gpo->version_number = 3;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->machine_extension_names = rights ? g_strdup(SECURITY_EXTENSIONS) : NULL;
  gpo->sysvol = GP_SYSVOL_READ;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = 3;
  gpo->machine_template = rights ? template_from(rights) : NULL;
  if (som_dn)
    gp_som_add_link(gp_model_ensure_som(model, som_dn, GP_SOM_OU), dn, options);
  return gpo;
}

static GpComputer *
add_computer(GpModel *model, const char *name, const char *ou, const char *os, guint rid)
{
  g_autofree char *dn = g_strdup_printf("CN=%s,%s", name, ou);
  GpComputer *computer = gp_model_ensure_computer(model, dn);

  computer->sam_account_name = g_strdup_printf("%s$", name);
  computer->operating_system = g_strdup(os);
  computer->has_user_account_control = TRUE;
  computer->user_account_control = rid == 1000 ? 532480u : 4096u;
  computer->primary_group_id = rid == 1000 ? 516u : 515u;
  computer->sid = g_strdup_printf(DOMAIN_SID "-%u", rid);
  return computer;
}

static void
add_groups(GpModel *model)
{
  GpGroup *app = gp_model_ensure_group(model, "CN=App Servers,OU=Groups," DOMAIN_DN);
  GpGroup *tier2 = gp_model_ensure_group(model, "CN=Tier2,OU=Groups," DOMAIN_DN);
  GpUser *svc_app = gp_model_ensure_user(model, "CN=svc-app,CN=Users," DOMAIN_DN);
  GpUser *svc_web = gp_model_ensure_user(model, "CN=svc-web,CN=Users," DOMAIN_DN);

  app->sid = g_strdup(APP_SERVERS);
  app->name = g_strdup("App Servers");
  g_ptr_array_add(app->members, g_strdup("CN=svc-app,CN=Users," DOMAIN_DN));
  g_ptr_array_add(app->member_of, g_strdup("CN=Tier2,OU=Groups," DOMAIN_DN));
  tier2->sid = g_strdup(TIER2);
  tier2->name = g_strdup("Tier2");
  svc_app->sid = g_strdup(SVC_APP);
  svc_app->name = g_strdup("svc-app");
  svc_web->sid = g_strdup(SVC_WEB);
  svc_web->name = g_strdup("svc-web");
  g_ptr_array_add(svc_web->member_of, g_strdup("CN=App Servers,OU=Groups," DOMAIN_DN));
}

static GpModel *
build_corp(void)
{
  GpModel *model = gp_model_new();
  GpDomain *domain = gp_model_ensure_domain(model, DOMAIN_DN);
  static const char *const ous[] = { SERVERS_DN, WEB_DN, LEGACY_DN, DESK_DN, DCS_DN };

  g_free(domain->dns_name);
  domain->dns_name = g_strdup("corp.test");
  domain->netbios_name = g_strdup("CORP");
  domain->sid = g_strdup(DOMAIN_SID);
  add_catalogue(model);
  gp_model_ensure_som(model, DOMAIN_DN, GP_SOM_DOMAIN);
  for (gsize i = 0; i < G_N_ELEMENTS(ous); i++)
    gp_model_ensure_som(model, ous[i], GP_SOM_OU);
  add_computer(model, "SRV1", SERVERS_DN, "Windows Server 2022 Standard", 2001);
  add_computer(model, "WEB1", WEB_DN, "Windows Server 2022 Standard", 2002);
  add_computer(model, "APP1", LEGACY_DN, "Windows Server 2022 Standard", 2003);
  add_computer(model, "PC1", DESK_DN, "Windows 11 Enterprise", 2004);
  add_computer(model, "DC1", DCS_DN, "Windows Server 2022 Datacenter", 1000);
  add_groups(model);
  return model;
}

/* Every computer evaluated with every right of the catalogue. */
static GPtrArray *
evaluate_all(const GpModel *model)
{
  GPtrArray *results = g_ptr_array_new_with_free_func((GDestroyNotify)gp_result_free);
  const GPtrArray *computers = gp_model_computers(model);
  const char *rights[G_N_ELEMENTS(catalogue) + 1] = { NULL };
  GpEngineOptions options = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS(catalogue); i++)
    rights[i] = catalogue[i].constant;
  options.rights = rights;
  options.wmi_default_false = FALSE;
  for (guint i = 0; i < computers->len; i++) {
    g_autoptr(GError) error = NULL;
    GpResult *result = gp_engine_evaluate(model, g_ptr_array_index(computers, i), &options, &error);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    g_ptr_array_add(results, result);
  }
  return results;
}

/* ------------------------------------------------------- baseline parser */

static GpBaseline *
parse(const GpModel *model, const char *text, const char *builtin, GError **error)
{
  return gp_baseline_load_from_data(text, strlen(text), "test.txt", builtin, model, error);
}

static const struct {
  const char *text;
  const char *error; /* NULL: loads; else a substring of the message */
  guint rules;
  guint marks;
} parser_rows[] = {
  { "[member-server]\nSeImpersonatePrivilege = *S-1-5-32-544, *S-1-5-19\n", NULL, 1, 0 },
  { "# comment\n\n[any]  # trailing comment\nDebug programs = *S-1-5-32-544\n", NULL, 1, 0 },
  { "\xEF\xBB\xBF[any]\r\nSeTcbPrivilege =\r\n", NULL, 1, 0 },
  { "[client]\nSeDebugPrivilege = CORP\\svc-app, Administrators\n", NULL, 1, 0 },
  { "[domain-controller]\nSeDebugPrivilege = *D-512\n", NULL, 1, 0 },
  { "mark iis = " WEB_DN
    "\nmark iis = SRV1\n[marked iis]\nSeImpersonatePrivilege += *S-1-5-32-568\n",
    NULL, 1, 2 },
  { "[ou " WEB_DN "]\nSeBatchLogonRight = *S-1-5-32-544\n[standalone]\nSeTcbPrivilege =\n", NULL, 2,
    0 },
  { "[any]\nSeTcbPrivilege =\n[member-server]\nSeTcbPrivilege =\n", NULL, 2, 0 },
  { "SeTcbPrivilege =\n", "test.txt:1: 'SeTcbPrivilege =' is outside any section", 0, 0 },
  { "[any]\n[servers]\n", "test.txt:2: unknown section '[servers]'", 0, 0 },
  { "[any\n", "test.txt:1: section header '[any' has no closing ']'", 0, 0 },
  { "[ou]\n", "test.txt:1: unknown section '[ou]'", 0, 0 },
  { "[marked]\n", "test.txt:1: unknown section '[marked]'", 0, 0 },
  { "[any]\nSeFooPrivilege = *S-1-5-32-544\n", "test.txt:2: unknown user right 'SeFooPrivilege'", 0,
    0 },
  { "[any]\nSeTcbPrivilege = *S-1-5-x\n", "test.txt:2: '*S-1-5-x' is not a SID", 0, 0 },
  { "[any]\nSeTcbPrivilege = *S-1-5-18,,*S-1-5-19\n", "test.txt:2: empty principal", 0, 0 },
  { "[any]\nSeTcbPrivilege = *S-1-5-18,\n", "test.txt:2: empty principal", 0, 0 },
  { "[any]\nSeTcbPrivilege +=\n", "test.txt:2: 'SeTcbPrivilege +=' adds nobody", 0, 0 },
  { "[any]\nSeTcbPrivilege =\n\nSeTcbPrivilege = *S-1-5-18\n",
    "test.txt:4: SeTcbPrivilege is already set for [any] at line 2", 0, 0 },
  { "mark = OU=Web\n", "test.txt:1: expected 'mark NAME = OU DN'", 0, 0 },
  { "mark i/s = OU=Web\n", "test.txt:1: expected 'mark NAME = OU DN'", 0, 0 },
  { "[any]\nhello world\n", "test.txt:2: expected a [section]", 0, 0 },
  { "include builtin\n", "test.txt:1: 'include builtin': no built-in baseline", 0, 0 },
  { "include\n", "test.txt:1: expected a [section]", 0, 0 },
};

static void
test_parser_table(void)
{
  g_autoptr(GpModel) model = build_corp();

  for (gsize i = 0; i < G_N_ELEMENTS(parser_rows); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GpBaseline) baseline = parse(model, parser_rows[i].text, NULL, &error);
    if (parser_rows[i].error) {
      CU_ASSERT_PTR_NULL(baseline);
      CU_ASSERT_PTR_NOT_NULL_FATAL(error);
      if (!strstr(error->message, parser_rows[i].error))
        printf("\nrow %zu: '%s' lacks '%s'\n", i, error->message, parser_rows[i].error);
      CU_ASSERT_PTR_NOT_NULL(strstr(error->message, parser_rows[i].error));
      continue;
    }
    if (error)
      printf("\nrow %zu: %s\n", i, error->message);
    CU_ASSERT_PTR_NOT_NULL_FATAL(baseline);
    CU_ASSERT_EQUAL(baseline->rules->len, parser_rows[i].rules);
    CU_ASSERT_EQUAL(baseline->marks->len, parser_rows[i].marks);
  }
}

static void
test_parser_values(void)
{
  g_autoptr(GpModel) model = build_corp();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpBaseline) baseline = parse(model,
                                         "[ou " WEB_DN "]\n"
                                         "Debug programs += *s-1-5-32-544, CORP\\svc-app\n"
                                         "[any]\nSeTcbPrivilege =\n",
                                         NULL, &error);
  const GpBaselineRule *rule;
  g_autofree char *described = NULL;

  CU_ASSERT_PTR_NOT_NULL_FATAL(baseline);
  rule = g_ptr_array_index(baseline->rules, 0);
  CU_ASSERT_EQUAL(rule->scope, GP_SCOPE_OU);
  GP_ASSERT_STR(rule->scope_value, WEB_DN);
  GP_ASSERT_STR(rule->right, "SeDebugPrivilege");
  CU_ASSERT_TRUE(rule->add);
  CU_ASSERT_EQUAL(rule->line, 2);
  GP_ASSERT_STR(((GpPrincipal *)g_ptr_array_index(rule->allowed, 0))->sid, ADM);
  GP_ASSERT_STR(((GpPrincipal *)g_ptr_array_index(rule->allowed, 1))->name, "CORP\\svc-app");
  described = gp_baseline_rule_describe(g_ptr_array_index(baseline->rules, 1));
  GP_ASSERT_STR(described, "[any] SeTcbPrivilege = (nobody) (test.txt:4)");
}

/* Files for include: written to a temporary folder, removed afterwards. */
typedef struct {
  char *dir;
} TempDir;

static void
temp_dir_clear(TempDir *t)
{
  g_autoptr(GDir) dir = t->dir ? g_dir_open(t->dir, 0, NULL) : NULL;
  const char *name;

  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *path = g_build_filename(t->dir, name, NULL);
    g_unlink(path);
  }
  if (t->dir)
    g_rmdir(t->dir);
  g_free(t->dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TempDir, temp_dir_clear)

static char *
write_file(const TempDir *t, const char *name, const char *text)
{
  char *path = g_build_filename(t->dir, name, NULL);

  CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static void
test_parser_includes(void)
{
  g_autoptr(GpModel) model = build_corp();
  g_auto(TempDir) t = { g_dir_make_tmp("gpsim-audit-XXXXXX", NULL) };
  g_autofree char *builtin
      = write_file(&t, "builtin.txt", "[member-server]\nSeImpersonatePrivilege = *S-1-5-32-544\n");
  g_autofree char *part = write_file(&t, "part.txt", "[any]\nSeTcbPrivilege =\n");
  g_autofree char *user = write_file(&t, "user.txt",
                                     "include builtin\ninclude part.txt\n[member-server]\n"
                                     "SeImpersonatePrivilege = *S-1-5-32-544, *S-1-5-6\n");
  g_autofree char *loop = write_file(&t, "loop.txt", "include loop.txt\n");
  g_autofree char *bad = write_file(&t, "bad.txt", "include part.txt\n[any]\nnonsense\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GpBaseline) baseline = gp_baseline_load_file(user, builtin, model, &error);

  CU_ASSERT_PTR_NOT_NULL_FATAL(baseline);
  /* the built-in line, the included file's, then the user's own override */
  CU_ASSERT_EQUAL(baseline->rules->len, 3);
  CU_ASSERT_PTR_NULL(gp_baseline_load_file(loop, builtin, model, &error));
  CU_ASSERT_PTR_NOT_NULL(error && strstr(error->message, "includes itself"));
  g_clear_error(&error);
  CU_ASSERT_PTR_NULL(gp_baseline_load_file(bad, builtin, model, &error));
  CU_ASSERT_PTR_NOT_NULL(error && strstr(error->message, "bad.txt:3:"));
  g_clear_error(&error);
  CU_ASSERT_PTR_NULL(gp_baseline_load_file("/nonexistent/baseline.txt", NULL, model, &error));
  CU_ASSERT_PTR_NOT_NULL(error);
}

/* The shipped baseline and the example load against the real catalogue. */
static void
test_shipped_baselines_load(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autofree char *builtin = gp_test_data("baseline.txt");
  g_autofree char *example = gp_test_fixture("baselines/contoso-web.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(GpBaseline) shipped = NULL;
  g_autoptr(GpBaseline) web = NULL;

  CU_ASSERT_TRUE_FATAL(gp_data_load_rights(rights, model, &error));
  shipped = gp_baseline_load_file(builtin, builtin, model, &error);
  if (error)
    printf("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL(shipped);
  CU_ASSERT_TRUE(shipped->rules->len >= 30);
  web = gp_baseline_load_file(example, builtin, model, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  CU_ASSERT_EQUAL(web->rules->len, shipped->rules->len + 1);
  CU_ASSERT_EQUAL(web->marks->len, 1);
}

/* ------------------------------------------------------------------ check */

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Audit findings of every computer as "COMPUTER RIGHT HOLDER-SID" lines, sorted. */
static char *
audit_lines(const GpModel *model, const char *baseline_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpBaseline) baseline = parse(model, baseline_text, NULL, &error);
  g_autoptr(GPtrArray) results = evaluate_all(model);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

  CU_ASSERT_PTR_NOT_NULL_FATAL(baseline);
  for (guint r = 0; r < results->len; r++) {
    g_autoptr(GPtrArray) found = gp_audit_check(model, g_ptr_array_index(results, r), baseline);
    for (guint i = 0; i < found->len; i++) {
      const GpAuditFinding *f = g_ptr_array_index(found, i);
      g_ptr_array_add(lines,
                      g_strdup_printf("%s %s %s", f->computer->cn, f->right,
                                      f->principal->sid ? f->principal->sid : f->principal->name));
    }
  }
  g_ptr_array_sort(lines, compare_strings);
  g_ptr_array_add(lines, NULL);
  return g_strjoinv("\n", (char **)lines->pdata);
}

/* A GPO at Servers granting svc-app impersonation on SRV1, WEB1 (APP1 too: Legacy
 * does not block here), and IIS_IUSRS at Web. */
static GpModel *
build_check_model(void)
{
  GpModel *model = build_corp();

  add_gpo(model, "Servers", IMPERSONATE "=" DEF "," SVC_APP, SERVERS_DN, 0);
  add_gpo(model, "Web", IMPERSONATE "=" DEF "," IIS_IUSRS, WEB_DN, 0);
  add_gpo(model, "Everywhere", "SeTcbPrivilege=" EVERYONE, DOMAIN_DN, 0);
  return model;
}

static const struct {
  const char *id;
  const char *baseline;
  const char *expected;
} check_rows[] = {
  /* a role scope: member servers only; PC1 and DC1 keep the four defaults anyway */
  { "role", "[member-server]\n" IMPERSONATE " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6\n",
    "APP1 " IMPERSONATE " " SVC_APP "\nSRV1 " IMPERSONATE " " SVC_APP "\nWEB1 " IMPERSONATE
    " " IIS_IUSRS },
  /* an OU rule overrides the role rule for the computers under it */
  { "ou-override",
    "[member-server]\n" IMPERSONATE " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6\n"
    "[ou " SERVERS_DN "]\n" IMPERSONATE " += CORP\\svc-app\n"
    "[ou " WEB_DN "]\n" IMPERSONATE " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6, *" IIS_IUSRS
    "\n",
    "" },
  /* the deeper OU wins over the shallower one, whatever the order in the file */
  { "deeper-ou",
    "[ou " WEB_DN "]\n" IMPERSONATE " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6\n"
    "[ou " SERVERS_DN "]\n" IMPERSONATE
    " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6, *" SVC_APP ", *" IIS_IUSRS "\n",
    "WEB1 " IMPERSONATE " " IIS_IUSRS },
  /* marks: by OU and by computer name; [marked] adds to the role's list */
  { "marks",
    "mark iis = " WEB_DN "\nmark app = srv1\n"
    "[member-server]\n" IMPERSONATE " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6\n"
    "[marked iis]\n" IMPERSONATE " += *" IIS_IUSRS "\n[marked app]\n" IMPERSONATE " += svc-app\n",
    "APP1 " IMPERSONATE " " SVC_APP },
  /* += lists accumulate from [any] through the role */
  { "plus-lists",
    "[any]\n" IMPERSONATE " = *S-1-5-32-544\n" IMPERSONATE " += *S-1-5-19, *S-1-5-20\n"
    "[member-server]\n" IMPERSONATE " += *S-1-5-6, *" IIS_IUSRS ", *" SVC_APP "\n",
    "DC1 " IMPERSONATE " " SERVICE "\nPC1 " IMPERSONATE " " SERVICE },
  /* "=" with nobody: every holder is a finding, whatever decided it */
  { "nobody", "[any]\nSeTcbPrivilege =\n",
    "APP1 SeTcbPrivilege " EVERYONE "\nDC1 SeTcbPrivilege " EVERYONE
    "\nPC1 SeTcbPrivilege " EVERYONE "\nSRV1 SeTcbPrivilege " EVERYONE
    "\nWEB1 SeTcbPrivilege " EVERYONE },
  /* "+=" alone does not cover a right */
  { "plus-alone", "[member-server]\n" IMPERSONATE " += *S-1-5-32-544\n", "" },
  /* a role rule does not touch other roles; defaults are checked too */
  { "defaults", "[client]\nSeNetworkLogonRight = *S-1-5-32-544, *S-1-5-32-545\n",
    "PC1 SeNetworkLogonRight " EVERYONE },
  /* domain-relative: *D-512 is CORP\Domain Admins on DC1 */
  { "domain-relative", "[domain-controller]\nSeDebugPrivilege = *D-512\n",
    "DC1 SeDebugPrivilege " ADM },
};

static void
test_check_table(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(check_rows); i++) {
    g_autoptr(GpModel) model = build_check_model();
    g_autofree char *lines = audit_lines(model, check_rows[i].baseline);
    if (strcmp(lines, check_rows[i].expected) != 0)
      printf("\nrow %s:\n%s\n--- expected:\n%s\n", check_rows[i].id, lines, check_rows[i].expected);
    CU_ASSERT_STRING_EQUAL(lines, check_rows[i].expected);
  }
}

static void
test_check_domain_admins_allowed(void)
{
  g_autoptr(GpModel) model = build_check_model();
  g_autofree char *lines = NULL;

  add_gpo(model, "DCs", "SeDebugPrivilege=" DOMAIN_SID "-512", DCS_DN, 0);
  lines = audit_lines(model, "[domain-controller]\nSeDebugPrivilege = *D-512\n");
  GP_ASSERT_STR(lines, "");
}

static void
test_check_finding_fields(void)
{
  g_autoptr(GpModel) model = build_check_model();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpBaseline) baseline = parse(model,
                                         "[member-server]\n" IMPERSONATE
                                         " = *S-1-5-32-544\nSeNetworkLogonRight = Administrators\n",
                                         NULL, &error);
  g_autoptr(GPtrArray) results = evaluate_all(model);
  const GpResult *srv1 = g_ptr_array_index(results, 0);
  g_autoptr(GPtrArray) found = gp_audit_check(model, srv1, baseline);
  const GpAuditFinding *first, *network;

  CU_ASSERT_PTR_NOT_NULL_FATAL(baseline);
  GP_ASSERT_STR(srv1->computer->cn, "SRV1");
  /* SRV1: the four others of Servers' list, then Everyone and Users from the default */
  CU_ASSERT_EQUAL_FATAL(found->len, 6);
  first = g_ptr_array_index(found, 0);
  GP_ASSERT_STR(first->right, IMPERSONATE);
  GP_ASSERT_STR(first->principal->name, "NT AUTHORITY\\LOCAL SERVICE");
  CU_ASSERT_EQUAL(first->source, GP_SOURCE_GPO);
  CU_ASSERT_PTR_NOT_NULL_FATAL(first->granted_by);
  GP_ASSERT_STR(first->granted_by->gpo->display_name, "Servers");
  GP_ASSERT_STR(first->rule, "[member-server] SeImpersonatePrivilege = *S-1-5-32-544 (test.txt:2)");
  network = g_ptr_array_index(found, 4);
  GP_ASSERT_STR(network->right, "SeNetworkLogonRight");
  GP_ASSERT_STR(network->principal->sid, EVERYONE);
  CU_ASSERT_EQUAL(network->source, GP_SOURCE_DEFAULT);
  CU_ASSERT_PTR_NULL(network->granted_by);
}

/* ------------------------------------------------------------------- lint */

/* The lint kinds found, as "kind kind ...". */
static char *
lint_kinds(const GpModel *model)
{
  g_autoptr(GPtrArray) results = evaluate_all(model);
  g_autoptr(GPtrArray) lint = gp_audit_lint(model, results);
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < lint->len; i++) {
    const GpLintFinding *l = g_ptr_array_index(lint, i);
    g_string_append_printf(out, "%s%s", i ? " " : "", gp_lint_kind_to_string(l->kind));
    CU_ASSERT_PTR_NOT_NULL(l->message);
  }
  return g_string_free(out, FALSE);
}

static void
lint_never_wins(GpModel *model)
{
  add_gpo(model, "Enforced", "SeDebugPrivilege=" ADM, DOMAIN_DN, GP_LINK_ENFORCED);
  add_gpo(model, "Loser", "SeDebugPrivilege=" ADM "," SVC_APP, SERVERS_DN, 0);
}

static void
lint_option_3(GpModel *model)
{
  add_gpo(model, "Both", NULL, SERVERS_DN, 3);
}

static void
lint_computer_disabled(GpModel *model)
{
  add_gpo(model, "Half", "SeBatchLogonRight=" ADM, NULL, 0)->flags = 2;
}

static void
lint_missing_gpo(GpModel *model)
{
  gp_som_add_link(gp_model_ensure_som(model, DESK_DN, GP_SOM_OU),
                  "CN={11111111-2222-3333-4444-555555555555},CN=Policies,CN=System," DOMAIN_DN, 0);
}

static void
lint_template_without_cse(GpModel *model)
{
  GpGpo *gpo = add_gpo(model, "NoCse", "SeBatchLogonRight=" ADM, DESK_DN, 0);

  g_clear_pointer(&gpo->machine_extension_names, g_free);
}

static void
lint_cse_without_template(GpModel *model)
{
  add_gpo(model, "NoTemplate", NULL, NULL, 0)->machine_extension_names
      = g_strdup(SECURITY_EXTENSIONS);
}

static void
lint_duplicate_link(GpModel *model)
{
  GpGpo *gpo = add_gpo(model, "Twice", NULL, DESK_DN, 0);

  gp_som_add_link(gp_model_ensure_som(model, DESK_DN, GP_SOM_OU), gpo->dn, 0);
}

static void
lint_empty_impersonate(GpModel *model)
{
  add_gpo(model, "NoImpersonation", IMPERSONATE "=", DESK_DN, 0);
}

static const struct {
  const char *id;
  void (*setup)(GpModel *model);
  const char *kinds;
} lint_rows[] = {
  { "clean", NULL, "" },
  { "never-wins", lint_never_wins, "never-wins" },
  { "option-3", lint_option_3, "link-option-3" },
  /* a GPO linked nowhere never wins either */
  { "computer-disabled", lint_computer_disabled, "never-wins computer-disabled" },
  { "missing-gpo", lint_missing_gpo, "missing-gpo" },
  /* without the CSE the GPO does not apply, so its definition never wins */
  { "template-without-cse", lint_template_without_cse, "never-wins template-without-cse" },
  { "cse-without-template", lint_cse_without_template, "cse-without-template" },
  { "duplicate-link", lint_duplicate_link, "duplicate-link" },
  { "empty-impersonate", lint_empty_impersonate, "empty-impersonate" },
};

static void
test_lint_table(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(lint_rows); i++) {
    g_autoptr(GpModel) model = build_corp();
    g_autofree char *kinds = NULL;
    if (lint_rows[i].setup)
      lint_rows[i].setup(model);
    kinds = lint_kinds(model);
    if (strcmp(kinds, lint_rows[i].kinds) != 0)
      printf("\nrow %s: '%s', expected '%s'\n", lint_rows[i].id, kinds, lint_rows[i].kinds);
    CU_ASSERT_STRING_EQUAL(kinds, lint_rows[i].kinds);
  }
}

static void
test_lint_messages(void)
{
  g_autoptr(GpModel) model = build_corp();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) lint = NULL;
  const GpLintFinding *l;

  lint_never_wins(model);
  lint_empty_impersonate(model);
  results = evaluate_all(model);
  lint = gp_audit_lint(model, results);
  CU_ASSERT_EQUAL_FATAL(lint->len, 2);
  l = g_ptr_array_index(lint, 0);
  GP_ASSERT_STR(l->gpo_name, "Loser");
  GP_ASSERT_STR(l->message, "'Loser' defines SeDebugPrivilege but decides it on no computer: "
                            "overridden by 'Enforced' on SRV1, WEB1, APP1");
  l = g_ptr_array_index(lint, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(l->message, "services (IIS, SQL Server, print spooler...) lose "
                                            "impersonation; it decides it on PC1"));
}

/* ---------------------------------------------------------------- who-has */

static const char *const impersonate_only[] = { IMPERSONATE, NULL };

/* "COMPUTER RIGHT VIA|VIA" lines for @sid. */
static char *
who_has_lines(const GpModel *model, const char *sid, const char *const *rights)
{
  g_autoptr(GPtrArray) results = evaluate_all(model);
  g_autoptr(GPtrArray) entries = gp_audit_who_has(model, results, sid, rights);
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(entries, i);
    g_string_append_printf(out, "%s%s %s", out->len ? "\n" : "", entry->computer->cn,
                           entry->right->right);
    for (guint v = 0; v < entry->via->len; v++) {
      const GpWhoHasVia *via = g_ptr_array_index(entry->via, v);
      g_string_append_printf(out, "%s%s", v ? "|" : " ", via->text);
      CU_ASSERT_TRUE(via->kind == GP_VIA_GROUP
                         ? g_str_has_prefix(via->text, "member of ")
                         : g_str_has_prefix(via->text, gp_via_kind_to_string(via->kind)));
    }
  }
  return g_string_free(out, FALSE);
}

static GpModel *
build_who_has_model(void)
{
  GpModel *model = build_corp();

  add_gpo(model, "Tier2 Rights", IMPERSONATE "=" DEF "," TIER2, SERVERS_DN, 0);
  add_gpo(model, "App Rights", "SeBatchLogonRight=" ADM "," SVC_APP, LEGACY_DN, 0);
  return model;
}

static void
test_who_has_nested_groups(void)
{
  g_autoptr(GpModel) model = build_who_has_model();
  g_autofree char *app = who_has_lines(model, SVC_APP, impersonate_only);
  g_autofree char *web = who_has_lines(model, SVC_WEB, impersonate_only);
  g_autofree char *batch = NULL;
  const char *chain = "member of CORP\\App Servers > CORP\\Tier2|well-known: SERVICE is in "
                      "the token of every account running as a service";
  g_autofree char *expected = g_strdup_printf(
      "SRV1 %s %s\nWEB1 %s %s\nAPP1 %s %s\n"
      "PC1 %s well-known: SERVICE is in the token of every account running as a service\n"
      "DC1 %s well-known: SERVICE is in the token of every account running as a service",
      IMPERSONATE, chain, IMPERSONATE, chain, IMPERSONATE, chain, IMPERSONATE, IMPERSONATE);

  GP_ASSERT_STR(app, expected);
  /* svc-web reaches App Servers through its own memberOf */
  GP_ASSERT_STR(web, expected);
  batch = who_has_lines(model, SVC_APP, (const char *const[]){ "Log on as a batch job", NULL });
  GP_ASSERT_STR(batch, "APP1 SeBatchLogonRight direct");
}

static void
test_who_has_principal_kinds(void)
{
  g_autoptr(GpModel) model = build_who_has_model();
  g_autofree char *group = who_has_lines(model, APP_SERVERS, impersonate_only);
  g_autofree char *service = who_has_lines(model, SERVICE, impersonate_only);
  g_autofree char *computer = who_has_lines(model, DOMAIN_SID "-2001", impersonate_only);

  /* a group: its own groups, no well-known ones */
  GP_ASSERT_STR(group, "SRV1 " IMPERSONATE " member of CORP\\Tier2\nWEB1 " IMPERSONATE
                       " member of CORP\\Tier2\nAPP1 " IMPERSONATE " member of CORP\\Tier2");
  /* SERVICE holds it directly everywhere */
  GP_ASSERT_STR(service,
                "SRV1 " IMPERSONATE " direct\nWEB1 " IMPERSONATE " direct\nAPP1 " IMPERSONATE
                " direct\nPC1 " IMPERSONATE " direct\nDC1 " IMPERSONATE " direct");
  /* a computer account does not run as a service: SERVICE does not include it */
  GP_ASSERT_STR(computer, "");
}

static const GpWhoHasEntry *
find_entry(const GPtrArray *entries, const char *computer, const char *right)
{
  for (guint i = 0; i < entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(entries, i);
    if (strcmp(entry->computer->cn, computer) == 0 && strcmp(entry->right->right, right) == 0)
      return entry;
  }
  return NULL;
}

static const GpRemoval *
find_removal(const GpWhoHasEntry *entry, GpRemovalKind kind)
{
  for (guint i = 0; entry && i < entry->removals->len; i++)
    if (((const GpRemoval *)g_ptr_array_index(entry->removals, i))->kind == kind)
      return g_ptr_array_index(entry->removals, i);
  return NULL;
}

static void
test_who_has_removals(void)
{
  g_autoptr(GpModel) model = build_who_has_model();
  g_autoptr(GPtrArray) results = evaluate_all(model);
  g_autoptr(GPtrArray) entries = gp_audit_who_has(model, results, SVC_APP, NULL);
  const GpWhoHasEntry *web = find_entry(entries, "WEB1", IMPERSONATE);
  const GpWhoHasEntry *batch = find_entry(entries, "APP1", "SeBatchLogonRight");

  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  GP_ASSERT_STR(web->granted_by->gpo->display_name, "Tier2 Rights");
  GP_ASSERT_STR(find_removal(web, GP_REMOVAL_EDIT)->plan,
                "set \"Tier2 Rights\" SeImpersonatePrivilege = *S-1-5-32-544, *S-1-5-19, "
                "*S-1-5-20, *S-1-5-6");
  GP_ASSERT_STR(find_removal(web, GP_REMOVAL_UNLINK)->plan,
                "unlink \"Tier2 Rights\" from \"OU=Servers,DC=corp,DC=test\"");
  /* inherited from OU=Servers: a new GPO linked first at OU=Web wins */
  GP_ASSERT_STR(find_removal(web, GP_REMOVAL_NEW_LINK)->plan,
                "new gpo \"SeImpersonatePrivilege without svc-app\"\n"
                "set \"SeImpersonatePrivilege without svc-app\" SeImpersonatePrivilege = "
                "*S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6\n"
                "link \"SeImpersonatePrivilege without svc-app\" to \"OU=Web,OU=Servers,DC=corp,"
                "DC=test\" order 1");
  CU_ASSERT_EQUAL(web->notes->len, 2); /* still through SERVICE; or leave App Servers */
  /* at its own SOM: no new link; nothing else defines the right and the role
   * default has no svc-app, so unlinking works */
  CU_ASSERT_PTR_NOT_NULL_FATAL(batch);
  CU_ASSERT_PTR_NULL(find_removal(batch, GP_REMOVAL_NEW_LINK));
  GP_ASSERT_STR(find_removal(batch, GP_REMOVAL_EDIT)->plan,
                "set \"App Rights\" SeBatchLogonRight = *S-1-5-32-544");
  CU_ASSERT_PTR_NOT_NULL(find_removal(batch, GP_REMOVAL_UNLINK));
}

static void
test_who_has_unlink_blocked(void)
{
  g_autoptr(GpModel) model = build_corp();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const GpWhoHasEntry *tcb;
  const GpWhoHasEntry *web;

  /* no local value for SeTcbPrivilege: unlinking leaves the list (tattooed) */
  add_gpo(model, "Tcb", "SeTcbPrivilege=" SVC_APP, DESK_DN, 0);
  /* OU=Servers grants it too: unlinking the Web GPO leaves it granted */
  add_gpo(model, "Servers", IMPERSONATE "=" DEF "," SVC_APP, SERVERS_DN, 0);
  add_gpo(model, "Web", IMPERSONATE "=" DEF "," SVC_APP, WEB_DN, 0);
  results = evaluate_all(model);
  entries = gp_audit_who_has(model, results, SVC_APP, NULL);
  tcb = find_entry(entries, "PC1", "SeTcbPrivilege");
  web = find_entry(entries, "WEB1", IMPERSONATE);
  CU_ASSERT_PTR_NOT_NULL_FATAL(tcb);
  CU_ASSERT_PTR_NULL(find_removal(tcb, GP_REMOVAL_UNLINK));
  CU_ASSERT_PTR_NOT_NULL(find_removal(tcb, GP_REMOVAL_EDIT));
  CU_ASSERT_PTR_NOT_NULL(strstr(g_ptr_array_index(tcb->notes, 0), "tattooed"));
  CU_ASSERT_PTR_NOT_NULL_FATAL(web);
  CU_ASSERT_PTR_NULL(find_removal(web, GP_REMOVAL_UNLINK));
  CU_ASSERT_PTR_NOT_NULL(find_removal(web, GP_REMOVAL_EDIT));
}

static void
test_who_has_default_decides(void)
{
  g_autoptr(GpModel) model = build_corp();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const GpWhoHasEntry *pc1;

  /* a role default that names the account (only possible with a changed catalogue) */
  for (int role = 0; role < GP_ROLE_COUNT; role++)
    g_ptr_array_add(((GpRightInfo *)g_ptr_array_index(gp_model_rights(model), 4))->defaults[role],
                    gp_principal_new(SVC_APP, NULL));
  results = evaluate_all(model);
  entries = gp_audit_who_has(model, results, SVC_APP,
                             (const char *const[]){ "SeBatchLogonRight", NULL });
  pc1 = find_entry(entries, "PC1", "SeBatchLogonRight");
  CU_ASSERT_PTR_NOT_NULL_FATAL(pc1);
  CU_ASSERT_PTR_NULL(pc1->granted_by);
  CU_ASSERT_EQUAL(pc1->removals->len, 1);
  GP_ASSERT_STR(
      find_removal(pc1, GP_REMOVAL_NEW_LINK)->plan,
      "new gpo \"SeBatchLogonRight without svc-app\"\n"
      "set \"SeBatchLogonRight without svc-app\" SeBatchLogonRight = *S-1-5-32-544\n"
      "link \"SeBatchLogonRight without svc-app\" to \"OU=Desk,DC=corp,DC=test\" order 1");
}

/* Each suggested plan, applied to a fresh copy of the model with gpsim's plan
 * code, leaves the principal without the right except through well-known groups. */
static void
check_plan_removes(GpModel *(*build)(void), const char *sid, const char *computer,
                   const char *right, const char *plan_text)
{
  g_autoptr(GpModel) model = build();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPlan) plan = gp_plan_parse(plan_text, "suggestion", &error);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const GpWhoHasEntry *entry;

  if (error)
    printf("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
  CU_ASSERT_TRUE(gp_plan_apply(plan, model, NULL, &error));
  if (error)
    printf("\n%s\n", error->message);
  results = evaluate_all(model);
  entries = gp_audit_who_has(model, results, sid, (const char *const[]){ right, NULL });
  entry = find_entry(entries, computer, right);
  for (guint i = 0; entry && i < entry->via->len; i++)
    CU_ASSERT_EQUAL(((const GpWhoHasVia *)g_ptr_array_index(entry->via, i))->kind,
                    GP_VIA_WELL_KNOWN);
}

static void
test_who_has_suggestions_apply(void)
{
  g_autoptr(GpModel) model = build_who_has_model();
  g_autoptr(GPtrArray) results = evaluate_all(model);
  g_autoptr(GPtrArray) entries = gp_audit_who_has(model, results, SVC_APP, NULL);
  guint checked = 0;

  for (guint i = 0; i < entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(entries, i);
    for (guint r = 0; r < entry->removals->len; r++, checked++)
      check_plan_removes(build_who_has_model, SVC_APP, entry->computer->cn, entry->right->right,
                         ((const GpRemoval *)g_ptr_array_index(entry->removals, r))->plan);
  }
  CU_ASSERT_TRUE(checked >= 8);
}

/* -------------------------------------------------------- generated data */

/* A generated domain: @depth nested groups G1 < G2 < ... (the account in G1),
 * @ous OUs with two computers each, and one GPO granting the outermost group
 * impersonation at OU number @target.  who-has must find exactly the two
 * computers of that OU with the whole chain, and the audit exactly them. */
static GpModel *
build_generated(guint depth, guint ous, guint target)
{
  GpModel *model = build_corp();
  GpUser *user = gp_model_ensure_user(model, "CN=gen-user,CN=Users," DOMAIN_DN);
  g_autofree char *top_sid = NULL;

  user->sid = g_strdup(DOMAIN_SID "-5000");
  for (guint g = 1; g <= depth; g++) {
    g_autofree char *dn = g_strdup_printf("CN=G%u,OU=Groups," DOMAIN_DN, g);
    GpGroup *group = gp_model_ensure_group(model, dn);
    group->sid = g_strdup_printf(DOMAIN_SID "-%u", 6000 + g);
    group->name = g_strdup_printf("G%u", g);
    if (g == 1)
      g_ptr_array_add(group->members, g_strdup("CN=gen-user,CN=Users," DOMAIN_DN));
    else
      g_ptr_array_add(group->members, g_strdup_printf("CN=G%u,OU=Groups," DOMAIN_DN, g - 1));
    g_free(top_sid);
    top_sid = g_strdup(group->sid);
  }
  for (guint o = 0; o < ous; o++) {
    g_autofree char *ou = g_strdup_printf("OU=Gen%u," SERVERS_DN, o);
    g_autofree char *grant = g_strdup_printf(IMPERSONATE "=" DEF ",%s", top_sid);
    gp_model_ensure_som(model, ou, GP_SOM_OU);
    for (guint c = 0; c < 2; c++) {
      g_autofree char *name = g_strdup_printf("GEN%u-%u", o, c);
      add_computer(model, name, ou, "Windows Server 2019 Standard", 7000 + o * 2 + c);
    }
    if (o == target)
      add_gpo(model, "Generated Grant", grant, ou, 0);
  }
  return model;
}

static void
check_generated(guint depth, guint ous, guint target)
{
  g_autoptr(GpModel) model = build_generated(depth, ous, target);
  g_autoptr(GPtrArray) results = evaluate_all(model);
  g_autoptr(GPtrArray) entries
      = gp_audit_who_has(model, results, DOMAIN_SID "-5000", impersonate_only);
  g_autofree char *findings = audit_lines(
      model, "[member-server]\n" IMPERSONATE " = *S-1-5-32-544, *S-1-5-19, *S-1-5-20, *S-1-5-6\n");
  g_autofree char *expected = g_strdup_printf("GEN%u-0 " IMPERSONATE " " DOMAIN_SID
                                              "-%u\nGEN%u-1 " IMPERSONATE " " DOMAIN_SID "-%u",
                                              target, 6000 + depth, target, 6000 + depth);
  guint granted = 0;

  for (guint i = 0; i < entries->len; i++) {
    const GpWhoHasEntry *entry = g_ptr_array_index(entries, i);
    const GpWhoHasVia *via = g_ptr_array_index(entry->via, 0);
    if (via->kind != GP_VIA_GROUP)
      continue;
    granted++;
    CU_ASSERT_EQUAL(via->chain->len, depth);
    CU_ASSERT_TRUE(g_str_has_prefix(entry->computer->cn, "GEN"));
    CU_ASSERT_EQUAL(entry->computer->cn[3] - '0', (int)target);
    CU_ASSERT_PTR_NOT_NULL(find_removal(entry, GP_REMOVAL_EDIT));
  }
  CU_ASSERT_EQUAL(granted, 2);
  GP_ASSERT_STR(findings, expected);
}

static void
test_generated_models(void)
{
  for (guint depth = 1; depth <= 6; depth++)
    for (guint target = 0; target < 4; target++)
      check_generated(depth, 4, target);
}

static const GpTestCase cases[] = {
  GP_TEST(test_parser_table),
  GP_TEST(test_parser_values),
  GP_TEST(test_parser_includes),
  GP_TEST(test_shipped_baselines_load),
  GP_TEST(test_check_table),
  GP_TEST(test_check_domain_admins_allowed),
  GP_TEST(test_check_finding_fields),
  GP_TEST(test_lint_table),
  GP_TEST(test_lint_messages),
  GP_TEST(test_who_has_nested_groups),
  GP_TEST(test_who_has_principal_kinds),
  GP_TEST(test_who_has_removals),
  GP_TEST(test_who_has_unlink_blocked),
  GP_TEST(test_who_has_default_decides),
  GP_TEST(test_who_has_suggestions_apply),
  GP_TEST(test_generated_models),
};

GP_TEST_MAIN("audit", cases)
