/* test_report.c - reports and labs end to end: explain --format html|dot,
 * --trace, and gpsim lab list|show|answer|new, on the real binary.
 *
 * The HTML is parsed back with libxml2's HTML parser and queried with XPath;
 * the DOT is handed to Graphviz's `dot -Tsvg` when it is installed (the test
 * says it skipped otherwise).  The page is also rendered in headless Chromium
 * by tests/browser/check-html.sh (CTest label "browser").  Every bundled lab
 * is answered with its own expected answer (exit 0, and no warning that the
 * engine disagrees) and with a wrong one (exit 6).
 */
#include <glib/gstdio.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <string.h>
#include <sys/wait.h>

#include "gp-test-cli.h"

#define EXIT_WRONG_ANSWER 6

static void
assert_contains(const char *text, const char *needle)
{
  if (text && strstr(text, needle))
    return;
  printf("\n  expected to find: %s\n", needle);
  CU_FAIL("text does not contain the expected string");
}

/* gpsim explain --computer @computer [--right @right] --format @format, exit 0. */
static char *
explain(const char *computer, const char *right, const char *format)
{
  const char *with_right[]
      = { "explain", "--computer", computer, "--format", format, "--right", right, NULL };
  g_auto(GpTestRun) run = { 0 };

  if (!right)
    with_right[5] = NULL;
  gp_test_run(&run, with_right);
  CU_ASSERT_EQUAL(run.status, 0);
  return g_steal_pointer(&run.out);
}

/* ------------------------------------------------------------ HTML helpers */

static void
count_error(void *data, const xmlError *error)
{
  guint *errors = data;

  printf("\n  HTML parser: line %d: %s", error->line, error->message);
  (*errors)++;
}

/* Parses @text as HTML; fails on any parser error. */
static htmlDocPtr
parse_html(const char *text)
{
  guint errors = 0;
  htmlDocPtr doc;

  xmlSetStructuredErrorFunc(&errors, (xmlStructuredErrorFunc)count_error);
  doc = htmlReadMemory(text, (int)strlen(text), "report.html", "UTF-8", HTML_PARSE_NONET);
  xmlSetStructuredErrorFunc(NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
  CU_ASSERT_EQUAL(errors, 0);
  return doc;
}

/* The text content of every node @xpath selects, joined with " | ". */
static char *
xpath_text(htmlDocPtr doc, const char *xpath)
{
  g_autoptr(GString) out = g_string_new(NULL);
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  xmlXPathObjectPtr found = xmlXPathEvalExpression((const xmlChar *)xpath, context);

  for (int i = 0; found && found->nodesetval && i < found->nodesetval->nodeNr; i++) {
    xmlChar *content = xmlNodeGetContent(found->nodesetval->nodeTab[i]);
    g_autofree char *text = g_strdup((const char *)content);
    g_string_append_printf(out, "%s%s", i ? " | " : "", g_strstrip(g_strdelimit(text, "\n", ' ')));
    xmlFree(content);
  }
  xmlXPathFreeObject(found);
  xmlXPathFreeContext(context);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static int
xpath_count(htmlDocPtr doc, const char *xpath)
{
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  xmlXPathObjectPtr found = xmlXPathEvalExpression((const xmlChar *)xpath, context);
  int count = found && found->nodesetval ? found->nodesetval->nodeNr : 0;

  xmlXPathFreeObject(found);
  xmlXPathFreeContext(context);
  return count;
}

/* Self-contained: no script, no external reference of any kind. */
static void
assert_self_contained(const char *text, htmlDocPtr doc)
{
  CU_ASSERT_EQUAL(xpath_count(doc, "//script"), 0);
  CU_ASSERT_EQUAL(xpath_count(doc, "//link | //img | //iframe | //object | //embed"), 0);
  CU_ASSERT_EQUAL(xpath_count(doc, "//@src | //@href | //@*[starts-with(name(), 'on')]"), 0);
  CU_ASSERT_PTR_NULL(strstr(text, "http://"));
  CU_ASSERT_PTR_NULL(strstr(text, "https://"));
  CU_ASSERT_PTR_NULL(strstr(text, "url("));
  CU_ASSERT_PTR_NULL(strstr(text, "@import"));
  CU_ASSERT_EQUAL(xpath_count(doc, "/html/head/style"), 1);
}

/* ------------------------------------------------------------ HTML */

static void
test_html_web01(void)
{
  g_autofree char *text = explain("WEB01", "SeImpersonatePrivilege", "html");
  htmlDocPtr doc = parse_html(text);
  g_autofree char *tree_winner
      = xpath_text(doc, "//li[contains(@class,'winner')]//span[@class='gpo']");
  g_autofree char *row_winner
      = xpath_text(doc, "//table[@class='precedence']//tr[@class='winner']/td[2]");
  g_autofree char *denied = xpath_text(doc, "//li[contains(@class,'not-applied')]");
  g_autofree char *holders = xpath_text(doc, "//table[@class='holders']//td");
  g_autofree char *greyed = xpath_text(doc, "//p[@class='greyed']");
  g_autofree char *soms = xpath_text(doc, "//div[@class='som-head']");

  CU_ASSERT_TRUE(g_str_has_prefix(text, "<!DOCTYPE html>"));
  assert_self_contained(text, doc);
  GP_ASSERT_STR(tree_winner, "IIS Web Tier");
  GP_ASSERT_STR(row_winner, "IIS Web Tier");
  assert_contains(denied, "Old Web Settings");
  assert_contains(denied, "computer configuration disabled (GPO status)");
  assert_contains(holders, "BUILTIN\\IIS_IUSRS");
  assert_contains(holders, "S-1-5-32-568");
  assert_contains(holders, "NT AUTHORITY\\LOCAL SERVICE");
  assert_contains(greyed, "greyed out in secpol.msc because GPO 'IIS Web Tier'");
  /* The tree runs from the site down to the computer. */
  GP_ASSERT_STR(soms,
                "site CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com | domain DC=contoso,DC=com"
                " | ou OU=Servers,DC=contoso,DC=com | ou OU=Web,OU=Servers,DC=contoso,DC=com"
                " | computer CN=WEB01,OU=Web,OU=Servers,DC=contoso,DC=com");
  CU_ASSERT_EQUAL(xpath_count(doc, "//li[contains(@class,'link')]/span[@class='order' and .='L2']"
                                   "/following-sibling::span[@class='gpo' and .='IIS Web Tier']"),
                  1);
  CU_ASSERT_EQUAL(xpath_count(doc, "//span[@class='gpo' and .='Contoso Security Baseline']"
                                   "/following-sibling::span[@class='badge enforced']"),
                  1);
  xmlFreeDoc(doc);
}

static void
test_html_blocked_disabled_dangling(void)
{
  g_autofree char *legacy = explain("LEGACY01", NULL, "html");
  g_autofree char *ws01 = explain("WS01", "SeImpersonatePrivilege", "html");
  htmlDocPtr doc = parse_html(legacy);
  htmlDocPtr ws = parse_html(ws01);
  g_autofree char *blocked = xpath_text(doc, "//li[contains(@class,'blocked')]/span[@class='gpo']");
  g_autofree char *blocker = xpath_text(doc, "//span[@class='badge block']/..");
  g_autofree char *disabled
      = xpath_text(ws, "//li[contains(@class,'disabled')]/span[@class='gpo']");
  g_autofree char *reasons
      = xpath_text(ws, "//table[@class='precedence']//tr[@class='not-applied']");
  g_autofree char *verdict = xpath_text(ws, "//p[contains(@class,'verdict')]");
  g_autofree char *rights = xpath_text(doc, "//div[@class='right']/h2");

  GP_ASSERT_STR(blocked, "HQ Site Settings | Default Domain Policy | Server Baseline");
  assert_contains(blocker, "OU=Legacy,OU=Servers,DC=contoso,DC=com");
  assert_contains(blocker, "blocks inheritance");
  assert_contains(rights, "SeDebugPrivilege (Debug programs)");
  GP_ASSERT_STR(disabled, "Pilot Rights");
  assert_contains(reasons, "GPO not found in the directory data");
  assert_contains(verdict, "no applied GPO defines it");
  assert_self_contained(ws01, ws);
  xmlFreeDoc(doc);
  xmlFreeDoc(ws);
}

/* ------------------------------------------------------------ a hostile name */

#define ESC_DOMAIN "DC=esc,DC=test"
#define ESC_GUID   "{0E5C0E5C-0000-4000-8000-0000000000E5}"
#define ESC_NAME   "<b>&amp; \"R&D\" Policy</b> \\ end"

static void
remove_tree(const char *path)
{
  if (!g_file_test(path, G_FILE_TEST_IS_SYMLINK) && g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *entry;

    while (dir && (entry = g_dir_read_name(dir))) {
      g_autofree char *child = g_build_filename(path, entry, NULL);
      remove_tree(child);
    }
    g_rmdir(path);
    return;
  }
  g_remove(path);
}

/* An LDIF with one GPO whose displayName needs escaping everywhere. */
static char *
escape_ldif(void)
{
  g_autofree char *name = g_base64_encode((const guchar *)ESC_NAME, strlen(ESC_NAME));

  return g_strdup_printf(
      "dn: " ESC_DOMAIN "\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\n"
      "gPLink: [LDAP://cn=" ESC_GUID ",cn=policies,cn=system," ESC_DOMAIN ";0]\n\n"
      "dn: CN=" ESC_GUID ",CN=Policies,CN=System," ESC_DOMAIN "\nobjectClass: top\n"
      "objectClass: container\nobjectClass: groupPolicyContainer\ncn: " ESC_GUID "\n"
      "displayName:: %s\nflags: 0\nversionNumber: 1\ngPCFunctionalityVersion: 2\n"
      "gPCFileSysPath: \\\\esc.test\\SysVol\\esc.test\\Policies\\" ESC_GUID "\n"
      "gPCMachineExtensionNames: [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
      "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]\n\n"
      "dn: CN=ESC01,CN=Computers," ESC_DOMAIN "\nobjectClass: top\nobjectClass: computer\n"
      "cn: ESC01\nsAMAccountName: ESC01$\nuserAccountControl: 4096\n"
      "operatingSystem: Windows Server 2022 Standard\n",
      name);
}

static void
write_escape_fixture(const char *dir)
{
  static const char inf[] = "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\n"
                            "Revision=1\r\n[Privilege Rights]\r\n"
                            "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6\r\n";
  g_autofree char *ldif = escape_ldif();
  g_autofree char *ldif_path = g_build_filename(dir, "esc.ldif", NULL);
  g_autofree char *gpo = g_build_filename(dir, "sysvol", "esc.test", "Policies", ESC_GUID, NULL);
  g_autofree char *sec
      = g_build_filename(gpo, "Machine", "Microsoft", "Windows NT", "SecEdit", NULL);
  g_autofree char *gpt = g_build_filename(gpo, "GPT.INI", NULL);
  g_autofree char *tmpl = g_build_filename(sec, "GptTmpl.inf", NULL);

  CU_ASSERT_EQUAL_FATAL(g_mkdir_with_parents(sec, 0700), 0);
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(ldif_path, ldif, -1, NULL));
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(gpt, "[General]\r\nVersion=1\r\n", -1, NULL));
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(tmpl, inf, -1, NULL));
}

static char *
explain_escape(const char *dir, const char *format)
{
  g_autofree char *ldif = g_build_filename(dir, "esc.ldif", NULL);
  g_autofree char *sysvol = g_build_filename(dir, "sysvol", NULL);
  const char *args[] = { "explain",  "--ldif",  ldif,
                         "--sysvol", sysvol,    "--computer",
                         "ESC01",    "--right", "SeImpersonatePrivilege",
                         "--format", format,    NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 0);
  return g_steal_pointer(&run.out);
}

static void
test_html_escapes_text(void)
{
  g_autofree char *dir = g_dir_make_tmp("gpsim-report-XXXXXX", NULL);
  g_autofree char *text = NULL;
  g_autofree char *winner = NULL;
  htmlDocPtr doc;

  write_escape_fixture(dir);
  text = explain_escape(dir, "html");
  doc = parse_html(text);
  winner = xpath_text(doc, "//li[contains(@class,'winner')]/span[@class='gpo']");
  GP_ASSERT_STR(winner, ESC_NAME);
  CU_ASSERT_EQUAL(xpath_count(doc, "//body//b"), 0);
  CU_ASSERT_PTR_NULL(strstr(text, "<b>&amp;"));
  assert_contains(text, "&lt;b&gt;&amp;amp; \"R&amp;D\" Policy&lt;/b&gt;");
  assert_self_contained(text, doc);
  xmlFreeDoc(doc);
  remove_tree(dir);
}

/* ------------------------------------------------------------ DOT */

/* Runs `dot -Tsvg` on @text; FALSE (after a skip message) when dot is absent. */
static gboolean
graphviz_accepts(const char *text, char **svg)
{
  g_autofree char *dot = g_find_program_in_path("dot");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  if (!dot) {
    gp_test_skip("Graphviz 'dot' is not installed: the DOT syntax is not checked by Graphviz");
    return FALSE;
  }
  dir = g_dir_make_tmp("gpsim-dot-XXXXXX", NULL);
  path = g_build_filename(dir, "report.dot", NULL);
  CU_ASSERT_TRUE_FATAL(g_file_set_contents(path, text, -1, NULL));
  {
    const char *argv[] = { dot, "-Tsvg", path, NULL };
    CU_ASSERT_TRUE(
        g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, svg, &err, &wait_status, NULL));
  }
  if (err && *err)
    printf("\n  dot says: %s", err);
  CU_ASSERT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  remove_tree(dir);
  return TRUE;
}

static void
test_dot_web01(void)
{
  g_autofree char *text = explain("WEB01", "SeImpersonatePrivilege", "dot");
  g_autofree char *svg = NULL;

  CU_ASSERT_TRUE(g_str_has_prefix(text, "digraph gpsim {"));
  assert_contains(text, "som_3 [label=\"site CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com\"");
  assert_contains(text, "som_3 -> som_2");
  assert_contains(text, "som_0 -> computer");
  assert_contains(text, "[label=\"L1 Contoso Security Baseline [E]\\nprecedence 1\"");
  assert_contains(text, "[label=\"L2 IIS Web Tier\\nprecedence 3\", style=\"filled,bold\", "
                        "fillcolor=\"#ffd84d\"");
  assert_contains(text, "L1 Old Web Settings\\nnot applied: computer configuration disabled");
  assert_contains(text, "BUILTIN\\\\IIS_IUSRS S-1-5-32-568");
  assert_contains(text, "link_0_1 -> right_0");
  if (graphviz_accepts(text, &svg))
    assert_contains(svg, "IIS Web Tier");
}

static void
test_dot_blocked_disabled_escaped(void)
{
  g_autofree char *legacy = explain("LEGACY01", "SeImpersonatePrivilege", "dot");
  g_autofree char *ws01 = explain("WS01", "SeImpersonatePrivilege", "dot");
  g_autofree char *dir = g_dir_make_tmp("gpsim-report-XXXXXX", NULL);
  g_autofree char *esc = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *svg2 = NULL;

  assert_contains(legacy, "BLOCKS INHERITANCE");
  assert_contains(legacy, "L1 Server Baseline\\nblocked by OU=Legacy,OU=Servers,DC=contoso,DC=com");
  assert_contains(ws01, "L2 Pilot Rights\\ndisabled link\", style=\"dotted,filled\"");
  assert_contains(ws01, "local -> right_0");
  write_escape_fixture(dir);
  esc = explain_escape(dir, "dot");
  assert_contains(esc, "L1 <b>&amp;amp; \\\"R&amp;D\\\" Policy</b> \\\\ end\\n");
  if (graphviz_accepts(legacy, &svg) && graphviz_accepts(esc, &svg2))
    assert_contains(svg2, "&lt;b&gt;&amp;amp; &quot;R&amp;D&quot; Policy&lt;/b&gt; \\ end");
  remove_tree(dir);
}

/* ------------------------------------------------------------ --trace */

static void
assert_in_order(const char *text, const char *const *steps, gsize n)
{
  const char *at = text;

  for (gsize i = 0; i < n; i++) {
    const char *found = at ? strstr(at, steps[i]) : NULL;
    if (!found)
      printf("\n  missing, or out of order: %s", steps[i]);
    CU_ASSERT_PTR_NOT_NULL(found);
    at = found;
  }
}

static void
test_trace_steps(void)
{
  static const char *const steps[] = {
    "1. Build the SOM list (rule 1.3)",
    "start at CN=WEB01,OU=Web,OU=Servers,DC=contoso,DC=com",
    "parent OU=Web,OU=Servers,DC=contoso,DC=com is an OU: added",
    "parent DC=contoso,DC=com is the domain root: added; the walk stops here",
    "site HQ: added last (assumed: the only site in the data",
    "\n2. Read the links of each SOM (rule 1.4)",
    "L1 Old Web Settings (option 0: enabled), L2 IIS Web Tier (option 0: enabled)",
    "L1 Contoso Security Baseline (option 2: enforced)",
    "\n3. Order the enforced links (rule 1.5)",
    "precedence 1: Contoso Security Baseline (domain DC=contoso,DC=com, L1)",
    "\n4. Apply block inheritance (rule 1.5)",
    "no SOM on the list blocks inheritance: nothing is dropped",
    "precedence 7: Local Group Policy (local)",
    "\n5. Filter each GPO (rule 1.6, D1-D8",
    "2 Old Web Settings: not applied: D3 computer configuration disabled (GPO status)",
    "5 applied / 1 not applied",
    "\n6. Resolve each right (rule 1.7 and section 3)",
    "2 Old Web Settings: defines it, but is not applied",
    "3 IIS Web Tier: applied and defines it: WINS with its whole list of 5: "
    "BUILTIN\\Administrators",
    "overridden and never merged: Server Baseline (4)",
    "greyed out in secpol.msc: yes",
  };
  const char *args[]
      = { "explain", "--computer", "WEB01", "--right", "SeImpersonatePrivilege", "--trace", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 0);
  assert_in_order(run.out, steps, G_N_ELEMENTS(steps));
}

static void
test_trace_block_and_containers(void)
{
  static const char *const legacy_steps[] = {
    "OU=Legacy,OU=Servers,DC=contoso,DC=com blocks inheritance (gPOptions 1)",
    "Server Baseline (ou OU=Servers,DC=contoso,DC=com, L1)",
    "1 Contoso Security Baseline: applied and defines it: WINS",
    "overridden and never merged: Legacy App Rights (2)",
  };
  static const char *const kiosk_steps[] = {
    "parent CN=Computers,DC=contoso,DC=com is a container, not a SOM: skipped",
    "no applied GPO defines it: the local layer decides (the documented default",
    "greyed out in secpol.msc: no, editable",
  };
  const char *legacy[]
      = { "explain", "-c", "LEGACY01", "--right", "SeDebugPrivilege", "--trace", NULL };
  const char *kiosk[]
      = { "explain", "-c", "KIOSK01", "--right", "SeImpersonatePrivilege", "--trace", NULL };
  g_auto(GpTestRun) a = { 0 };
  g_auto(GpTestRun) b = { 0 };

  gp_test_run(&a, legacy);
  gp_test_run(&b, kiosk);
  CU_ASSERT_EQUAL(a.status, 0);
  CU_ASSERT_EQUAL(b.status, 0);
  assert_in_order(a.out, legacy_steps, G_N_ELEMENTS(legacy_steps));
  assert_in_order(b.out, kiosk_steps, G_N_ELEMENTS(kiosk_steps));
}

static void
test_format_errors(void)
{
  const char *bad_format[] = { "explain", "-c", "WEB01", "--format", "pdf", NULL };
  const char *trace_json[] = { "explain", "-c", "WEB01", "--format", "json", "--trace", NULL };
  const char *trace_rsop[] = { "rsop", "--trace", NULL };
  g_auto(GpTestRun) a = { 0 };
  g_auto(GpTestRun) b = { 0 };
  g_auto(GpTestRun) c = { 0 };

  gp_test_run(&a, bad_format);
  gp_test_run(&b, trace_json);
  gp_test_run(&c, trace_rsop);
  CU_ASSERT_EQUAL(a.status, 1);
  assert_contains(a.err, "explain --format takes 'text', 'json', 'html' or 'dot'");
  CU_ASSERT_EQUAL(b.status, 1);
  assert_contains(b.err, "explain --trace goes with --format text");
  CU_ASSERT_EQUAL(c.status, 1);
  CU_ASSERT_STRING_EQUAL(a.out, "");
}

/* ------------------------------------------------------------ labs */

static const char *const required_labs[] = {
  "link-order",          "enforced-levels",    "block-inheritance",
  "disabled-and-status", "security-filtering", "greyed-out",
};

static void
test_lab_list(void)
{
  const char *args[] = { "lab", "list", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 0);
  for (guint i = 0; i < G_N_ELEMENTS(required_labs); i++)
    assert_contains(run.out, required_labs[i]);
  assert_contains(run.out, "Link order: three GPOs on one OU");
  CU_ASSERT_PTR_NULL(strstr(run.out, "\ncontoso ")); /* data-only folders are not labs */
  CU_ASSERT_TRUE(strstr(run.out, "block-inheritance") < strstr(run.out, "link-order"));
}

static void
test_lab_show(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(required_labs); i++) {
    const char *args[] = { "lab", "show", required_labs[i], NULL };
    g_autofree char *heading = g_strdup_printf("Lab %s: ", required_labs[i]);
    g_auto(GpTestRun) run = { 0 };

    gp_test_run(&run, args);
    CU_ASSERT_EQUAL(run.status, 0);
    assert_contains(run.out, heading);
    assert_contains(run.out, "  q1. ");
    assert_contains(run.out, "Answer with: gpsim lab answer");
    assert_contains(run.out, "Explore with: gpsim explain --ldif");
  }
}

/* A certainly wrong answer for a question of @kind whose right answer is @expected. */
static const char *
wrong_answer(const char *kind, const char *expected)
{
  if (g_strcmp0(kind, "greyed") == 0)
    return g_ascii_strcasecmp(expected, "yes") == 0 ? "no" : "yes";
  if (g_strcmp0(kind, "holders") == 0)
    return "S-1-5-7, Guest";
  return "No Such GPO";
}

static void
check_question(const char *lab, GKeyFile *ini, const char *group)
{
  g_autofree char *expected = g_key_file_get_string(ini, group, "answer", NULL);
  g_autofree char *kind = g_key_file_get_string(ini, group, "kind", NULL);
  g_autofree char *then = g_key_file_get_string(ini, group, "then", NULL);
  const char *asked = g_strcmp0(kind, "whatif") == 0 && then ? then : kind;
  const char *right[] = { "lab", "answer", lab, group, expected, NULL };
  const char *wrong[] = { "lab", "answer", lab, group, wrong_answer(asked, expected), NULL };
  g_auto(GpTestRun) ok = { 0 };
  g_auto(GpTestRun) ko = { 0 };

  printf("\n  %s %s (%s): %s", lab, group, kind, expected);
  CU_ASSERT_PTR_NOT_NULL_FATAL(expected);
  gp_test_run(&ok, right);
  CU_ASSERT_EQUAL(ok.status, 0);
  assert_contains(ok.out, "\ncorrect: ");
  assert_contains(ok.out, "Precedence chain for ");
  CU_ASSERT_PTR_NULL(strstr(ok.err, "disagrees with the engine")); /* lab file == engine */
  gp_test_run(&ko, wrong);
  CU_ASSERT_EQUAL(ko.status, EXIT_WRONG_ANSWER);
  assert_contains(ko.out, "\nnot quite: the answer is ");
  assert_contains(ko.out, "\nWhy:\n");
}

static void
test_lab_answers_every_lab(void)
{
  g_autofree char *labs = gp_test_fixture("labs");
  g_autoptr(GDir) dir = g_dir_open(labs, 0, NULL);
  const char *name;
  guint lab_count = 0;

  CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
  while ((name = g_dir_read_name(dir))) {
    g_autofree char *path = g_build_filename(labs, name, "lab.ini", NULL);
    g_autoptr(GKeyFile) ini = g_key_file_new();
    g_auto(GStrv) groups = NULL;
    if (!g_file_test(path, G_FILE_TEST_EXISTS))
      continue;
    CU_ASSERT_TRUE_FATAL(g_key_file_load_from_file(ini, path, G_KEY_FILE_NONE, NULL));
    groups = g_key_file_get_groups(ini, NULL);
    CU_ASSERT_TRUE(g_strv_length(groups) >= 4); /* [lab] and at least three questions */
    for (guint i = 0; groups[i]; i++)
      if (strcmp(groups[i], "lab") != 0)
        check_question(name, ini, groups[i]);
    lab_count++;
  }
  CU_ASSERT_TRUE(lab_count >= G_N_ELEMENTS(required_labs));
}

static void
test_lab_answer_forms(void)
{
  static const char *const correct[][3] = {
    { "link-order", "Q1", "{5a1b7c3d-2e4f-4a6b-8c9d-0e1f2a3b4001}" },
    { "link-order", "1", "  app pool IDENTITIES " },
    { "link-order", "q2", "*S-1-5-32-544; LOCAL SERVICE, network service, S-1-5-6, svc-apppool" },
    { "block-inheritance", "q2", "the local policy" },
    { "greyed-out", "q6", "Yes" },
    { "disabled-and-status", "q3", "editable" },
  };
  static const char *const wrong[][3] = {
    { "link-order", "q2", "Administrators, LOCAL SERVICE, NETWORK SERVICE, SERVICE" },
    { "link-order", "q1", "App Tier Baseline" },
    { "greyed-out", "q1", "maybe" },
  };

  for (guint i = 0; i < G_N_ELEMENTS(correct); i++) {
    const char *args[] = { "lab", "answer", correct[i][0], correct[i][1], correct[i][2], NULL };
    g_auto(GpTestRun) run = { 0 };
    gp_test_run(&run, args);
    printf("\n  %s %s '%s' -> %d", correct[i][0], correct[i][1], correct[i][2], run.status);
    CU_ASSERT_EQUAL(run.status, 0);
  }
  for (guint i = 0; i < G_N_ELEMENTS(wrong); i++) {
    const char *args[] = { "lab", "answer", wrong[i][0], wrong[i][1], wrong[i][2], NULL };
    g_auto(GpTestRun) run = { 0 };
    gp_test_run(&run, args);
    CU_ASSERT_EQUAL(run.status, EXIT_WRONG_ANSWER);
  }
}

static void
test_lab_whatif_before_after(void)
{
  const char *args[]
      = { "lab", "answer", "block-inheritance", "q5", "Domain Service Accounts", NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 0);
  assert_contains(run.out, "Before the change: local (no applied GPO defines it");
  assert_contains(run.out,
                  "after it: Domain Service Accounts {9E4F1B26-5C7D-4E8F-A0B1-C2D3E4F5A602}");
  assert_contains(run.out, "After the change. Precedence chain for SeServiceLogonRight on VAULT01");
}

static void
test_lab_errors(void)
{
  static const char *const cases[][6] = {
    { "lab", "show", "no-such-lab", NULL },
    { "lab", "show", "../contoso", NULL },
    { "lab", "show", "contoso", NULL },
    { "lab", "answer", "link-order", "q9", "x", NULL },
    { "lab", "answer", "link-order", "q1", NULL },
    { "lab", "new", "--seed", "4", "extra", NULL },
    { "lab", "frobnicate", NULL },
  };
  static const char *const messages[] = {
    "no lab named 'no-such-lab'; labs: block-inheritance",
    "no lab named '../contoso'",
    "no lab named 'contoso'",
    "lab link-order has no question 'q9'",
    "usage: gpsim lab answer NAME QUESTION \"ANSWER\"",
    "usage: gpsim lab new --seed S [--out DIR]",
    "unknown lab verb",
  };

  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_auto(GpTestRun) run = { 0 };
    gp_test_run(&run, cases[i]);
    CU_ASSERT_EQUAL(run.status, 1);
    assert_contains(run.err, messages[i]);
  }
}

/* ------------------------------------------------------------ whatif, diff, audit: HTML */

/* Runs gpsim with @args, expecting @status, and parses the page it prints. */
static htmlDocPtr
run_html(const char *const *args, int status, char **out_text)
{
  g_auto(GpTestRun) run = { 0 };
  htmlDocPtr doc;

  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, status);
  CU_ASSERT_TRUE_FATAL(run.out && g_str_has_prefix(run.out, "<!DOCTYPE html>"));
  doc = parse_html(run.out);
  assert_self_contained(run.out, doc);
  *out_text = g_steal_pointer(&run.out);
  return doc;
}

static void
test_html_whatif(void)
{
  g_autofree char *plan = gp_test_fixture("labs/contoso/plans/web-rollout.plan");
  const char *args[] = { "whatif", plan, "--format", "html", NULL };
  g_autofree char *text = NULL;
  htmlDocPtr doc = run_html(args, 0, &text);
  g_autofree char *lines = xpath_text(doc, "//ul[@class='plan']/li");
  g_autofree char *summary = xpath_text(doc, "//table[@class='summary']//td");
  g_autofree char *gained = xpath_text(
      doc,
      "//div[contains(@class,'pair') and h2/span[@class='computer']='APP01']"
      "//div[@class='change' and starts-with(h3,'SeImpersonatePrivilege')]/p[@class='gained']");
  g_autofree char *before
      = xpath_text(doc, "//div[contains(@class,'pair') and h2/span[@class='computer']='APP01']"
                        "//div[@class='change' and starts-with(h3,'SeImpersonatePrivilege')]"
                        "//div[@class='side before']/p[@class='decider']");
  g_autofree char *after
      = xpath_text(doc, "//div[contains(@class,'pair') and h2/span[@class='computer']='APP01']"
                        "//div[@class='change' and starts-with(h3,'SeImpersonatePrivilege')]"
                        "//div[@class='side after']//td");

  assert_contains(lines, "web-rollout.plan:5: set \"IIS Web Tier\" SeImpersonatePrivilege");
  assert_contains(lines, "web-rollout.plan:9: link \"IIS Web Tier\" to contoso.com/Servers");
  assert_contains(summary, "SeImpersonatePrivilege | 3 | APP01, WEB01, WEB02");
  assert_contains(gained, "CONTOSO\\svc-web");
  assert_contains(before, "GPO 'Server Baseline'");
  assert_contains(after, "CONTOSO\\svc-web");
  CU_ASSERT_EQUAL(xpath_count(doc, "//div[@class='sides']/div[contains(@class,'side')]"),
                  2 * xpath_count(doc, "//div[@class='change']"));
  xmlFreeDoc(doc);
}

static void
test_html_diff(void)
{
  g_autofree char *lab = gp_test_fixture("labs/contoso");
  const char *args[] = { "diff", lab, lab, "--format", "html", NULL };
  const char *bad[] = { "diff", lab, lab, "--format", "pdf", NULL };
  g_autofree char *text = NULL;
  htmlDocPtr doc = run_html(args, 0, &text);
  g_autofree char *verdict = xpath_text(doc, "//p[@class='verdict']");
  g_auto(GpTestRun) run = { 0 };

  assert_contains(verdict, "0 of 7 computers change");
  CU_ASSERT_EQUAL(xpath_count(doc, "//div[@class='change']"), 0);
  xmlFreeDoc(doc);
  gp_test_run(&run, bad);
  CU_ASSERT_EQUAL(run.status, 1);
  assert_contains(run.err, "diff --format takes 'text', 'json' or 'html'");
}

static void
test_html_audit(void)
{
  const char *args[] = { "audit", "--format", "html", NULL };
  g_autofree char *text = NULL;
  htmlDocPtr doc = run_html(args, 5, &text);
  g_autofree char *heads = xpath_text(doc, "//table[@class='findings']//th");
  int rows = xpath_count(doc, "//table[@class='findings']//tr[td]");
  int lint = xpath_count(doc, "//ul[@class='lint']/li");

  GP_ASSERT_STR(heads, "computer | right | principal | rule | granted by");
  CU_ASSERT_TRUE(rows > 0);
  CU_ASSERT_TRUE(lint > 0);
  CU_ASSERT_EQUAL(xpath_count(doc, "//table[@class='findings']//tr[td and count(td) != 5]"), 0);
  xmlFreeDoc(doc);
}

/* ------------------------------------------------------------ lab new */

static char *
read_text(const char *path)
{
  char *text = NULL;

  CU_ASSERT_TRUE(g_file_get_contents(path, &text, NULL, NULL));
  return text;
}

static void
test_lab_new(void)
{
  g_autofree char *tmp = g_dir_make_tmp("gpsim-labnew-XXXXXX", NULL);
  g_autofree char *one = g_build_filename(tmp, "one", NULL);
  g_autofree char *two = g_build_filename(tmp, "two", NULL);
  g_autofree char *ini_one = g_build_filename(one, "lab.ini", NULL);
  g_autofree char *ini_two = g_build_filename(two, "lab.ini", NULL);
  const char *new_one[] = { "lab", "new", "--seed", "11", "--out", one, NULL };
  const char *new_two[] = { "lab", "new", "--seed", "11", "--out", two, NULL };
  g_autofree char *text_one = NULL, *text_two = NULL;
  g_autoptr(GKeyFile) ini = g_key_file_new();
  g_auto(GpTestRun) first = { 0 };
  g_auto(GpTestRun) second = { 0 };
  g_auto(GpTestRun) again = { 0 };

  gp_test_run(&first, new_one);
  gp_test_run(&second, new_two);
  CU_ASSERT_EQUAL(first.status, 0);
  CU_ASSERT_EQUAL(second.status, 0);
  text_one = read_text(ini_one);
  text_two = read_text(ini_two);
  GP_ASSERT_STR(text_one, text_two);
  CU_ASSERT_TRUE_FATAL(g_key_file_load_from_data(ini, text_one, -1, G_KEY_FILE_NONE, NULL));
  for (guint q = 1; q <= 3; q++) {
    g_autofree char *group = g_strdup_printf("q%u", q);
    g_autofree char *answer = g_key_file_get_string(ini, group, "answer", NULL);
    const char *args[] = { "lab", "answer", one, group, answer, NULL };
    g_auto(GpTestRun) run = { 0 };
    CU_ASSERT_PTR_NOT_NULL_FATAL(answer);
    gp_test_run(&run, args);
    CU_ASSERT_EQUAL(run.status, 0);
    assert_contains(run.out, "correct: ");
    CU_ASSERT_PTR_NULL(run.err ? strstr(run.err, "disagrees") : NULL);
  }
  gp_test_run(&again, new_one);
  CU_ASSERT_EQUAL(again.status, 1);
  assert_contains(again.err, "refusing to overwrite");
  remove_tree(tmp);
}

static void
test_lab_new_default_folder(void)
{
  g_autofree char *tmp = g_dir_make_tmp("gpsim-labnew-XXXXXX", NULL);
  g_autofree char *cwd = g_get_current_dir();
  g_autofree char *ini = g_build_filename(tmp, "lab-3", "lab.ini", NULL);
  const char *args[] = { "lab", "new", "--seed", "3", NULL };
  const char *show[] = { "lab", "show", "lab-3", NULL };
  const char *wrong[] = { "lab", "answer", "lab-3", "q3", "maybe", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_auto(GpTestRun) shown = { 0 };
  g_auto(GpTestRun) answered = { 0 };

  CU_ASSERT_EQUAL_FATAL(g_chdir(tmp), 0);
  gp_test_run(&run, args);
  gp_test_run(&shown, show);
  gp_test_run(&answered, wrong);
  CU_ASSERT_EQUAL(g_chdir(cwd), 0);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_TRUE(g_file_test(ini, G_FILE_TEST_IS_REGULAR));
  CU_ASSERT_EQUAL(shown.status, 0);
  assert_contains(shown.out, "Questions (3):");
  assert_contains(shown.out, "Answer with: gpsim lab answer lab-3 QUESTION");
  CU_ASSERT_EQUAL(answered.status, EXIT_WRONG_ANSWER);
  remove_tree(tmp);
}

static const GpTestCase cases[] = {
  GP_TEST(test_html_web01),
  GP_TEST(test_html_blocked_disabled_dangling),
  GP_TEST(test_html_escapes_text),
  GP_TEST(test_dot_web01),
  GP_TEST(test_dot_blocked_disabled_escaped),
  GP_TEST(test_trace_steps),
  GP_TEST(test_trace_block_and_containers),
  GP_TEST(test_format_errors),
  GP_TEST(test_lab_list),
  GP_TEST(test_lab_show),
  GP_TEST(test_lab_answers_every_lab),
  GP_TEST(test_lab_answer_forms),
  GP_TEST(test_lab_whatif_before_after),
  GP_TEST(test_lab_errors),
  GP_TEST(test_html_whatif),
  GP_TEST(test_html_diff),
  GP_TEST(test_html_audit),
  GP_TEST(test_lab_new),
  GP_TEST(test_lab_new_default_folder),
};

GP_TEST_MAIN("report", cases)
