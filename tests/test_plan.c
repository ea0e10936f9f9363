/* test_plan.c - the plan syntax (gp_plan_parse) and applying plans (gp_plan_apply).
 *
 * Parser cases are rows of `parse_rows`, each rendered back to a one-line
 * summary; errors are rows of `error_rows` with the message expected.  Apply
 * cases run on the bundled contoso lab, loaded through the real loaders, and
 * compare a probe of the model (links of a SOM, a GPO's right...) after the plan.
 */
#include <stdio.h>
#include <string.h>

#include "gp-engine.h"
#include "gp-loaders.h"
#include "gp-names.h"
#include "gp-plan.h"
#include "gp-test.h"

#define SVC_WEB         "S-1-5-21-1004336348-1177238915-682003330-1106"
#define SERVERS         "OU=Servers,DC=contoso,DC=com"
#define WEB_OU          "OU=Web,OU=Servers,DC=contoso,DC=com"
#define IIS_GUID        "{A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004}"
#define BASE_GUID       "{A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1003}"
#define WEB_SERVERS_SID "S-1-5-21-1004336348-1177238915-682003330-1107"

/* ------------------------------------------------------------ parser */

/* "kind gpo=.. som=.. computer=.. group=.. right=.. [p1|p2] E D oN sN" */
static char *
change_summary(const GpChange *change)
{
  GString *out = g_string_new(gp_change_kind_to_string(change->kind));

  if (change->gpo)
    g_string_append_printf(out, " gpo=%s", change->gpo);
  if (change->som)
    g_string_append_printf(out, " som=%s", change->som);
  if (change->computer)
    g_string_append_printf(out, " computer=%s", change->computer);
  if (change->group)
    g_string_append_printf(out, " group=%s", change->group);
  if (change->right)
    g_string_append_printf(out, " right=%s", change->right);
  if (change->principals) {
    g_string_append(out, " [");
    for (guint i = 0; i < change->principals->len; i++)
      g_string_append_printf(out, "%s%s", i ? "|" : "",
                             (char *)g_ptr_array_index(change->principals, i));
    g_string_append(out, "]");
  }
  if (change->enforced)
    g_string_append(out, " E");
  if (change->disabled)
    g_string_append(out, " D");
  if (change->order)
    g_string_append_printf(out, " o%u", change->order);
  if (change->kind == GP_CHANGE_STATUS)
    g_string_append_printf(out, " s%u", change->status_flags);
  return g_string_free(out, FALSE);
}

static const struct {
  const char *text;
  const char *expected;
} parse_rows[] = {
  { "link \"IIS Web Tier\" to contoso.com/Servers",
    "link gpo=IIS Web Tier som=contoso.com/Servers" },
  { "LINK IIS Web Tier TO OU=Servers,DC=contoso,DC=com enforced disabled order 2",
    "link gpo=IIS Web Tier som=OU=Servers,DC=contoso,DC=com E D o2" },
  { "link {A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004} to Servers order 1 enforced",
    "link gpo={A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004} som=Servers E o1" },
  { "link \"to\" to \"order\"", "link gpo=to som=order" },
  { "unlink \"Server Baseline\" from contoso.com/Servers",
    "unlink gpo=Server Baseline som=contoso.com/Servers" },
  { "enforce Server Baseline at Servers", "enforce gpo=Server Baseline som=Servers" },
  { "unenforce \"Contoso Security Baseline\" at contoso.com",
    "unenforce gpo=Contoso Security Baseline som=contoso.com" },
  { "block contoso.com/Servers/Web", "block som=contoso.com/Servers/Web" },
  { "unblock \"OU=Legacy,OU=Servers,DC=contoso,DC=com\"",
    "unblock som=OU=Legacy,OU=Servers,DC=contoso,DC=com" },
  { "status \"Old Web Settings\" enabled", "status gpo=Old Web Settings s0" },
  { "status Old Web Settings user-disabled", "status gpo=Old Web Settings s1" },
  { "status X computer-disabled", "status gpo=X s2" },
  { "status X DISABLED", "status gpo=X s3" },
  { "set \"IIS Web Tier\" SeImpersonatePrivilege = *S-1-5-32-544, CONTOSO\\svc-web",
    "set gpo=IIS Web Tier right=SeImpersonatePrivilege [*S-1-5-32-544|CONTOSO\\svc-web]" },
  { "set X SeTcbPrivilege =", "set gpo=X right=SeTcbPrivilege []" },
  { "set X SeTcbPrivilege=*S-1-5-32-544,*S-1-5-19",
    "set gpo=X right=SeTcbPrivilege [*S-1-5-32-544|*S-1-5-19]" },
  { "set X SeBatchLogonRight =*S-1-5-32-544", "set gpo=X right=SeBatchLogonRight [*S-1-5-32-544]" },
  { "set X \"Log on as a batch job\" = NT AUTHORITY\\LOCAL SERVICE, \"odd, name\"",
    "set gpo=X right=Log on as a batch job [NT AUTHORITY\\LOCAL SERVICE|odd, name]" },
  { "set CN={A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004},CN=Policies,CN=System,DC=contoso,DC=com "
    "SeDebugPrivilege = S-1-5-32-544",
    "set gpo=CN={A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004},CN=Policies,CN=System,DC=contoso,DC=com "
    "right=SeDebugPrivilege [S-1-5-32-544]" },
  { "clear \"IIS Web Tier\" SeBatchLogonRight", "clear gpo=IIS Web Tier right=SeBatchLogonRight" },
  { "clear IIS Web Tier \"Log on as a batch job\"",
    "clear gpo=IIS Web Tier right=Log on as a batch job" },
  { "move APP01 to contoso.com/Servers/Web", "move som=contoso.com/Servers/Web computer=APP01" },
  { "add WEB02 to \"Web Servers\"", "add computer=WEB02 group=Web Servers" },
  { "add WEB02 to CONTOSO\\Web Servers", "add computer=WEB02 group=CONTOSO\\Web Servers" },
  { "new gpo \"Web Impersonation\"", "new gpo=Web Impersonation" },
  { "new Web Impersonation", "new gpo=Web Impersonation" },
  { "new gpo GPO", "new gpo=GPO" },
  { "block Servers   # a comment \"with a quote", "block som=Servers" },
  { "block \"Web # not a comment\"", "block som=Web # not a comment" },
  { "block \"say \\\"hi\\\"\"", "block som=say \"hi\"" },
  { "  \tblock Servers\r", "block som=Servers" },
};

static void
test_parse_every_kind(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(parse_rows); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GpPlan) plan = gp_plan_parse(parse_rows[i].text, "t.plan", &error);
    g_autofree char *summary = NULL;

    printf("\n  row %u: %s", i, parse_rows[i].text);
    if (!plan) {
      CU_FAIL(error->message);
      continue;
    }
    CU_ASSERT_EQUAL_FATAL(plan->changes->len, 1);
    summary = change_summary(g_ptr_array_index(plan->changes, 0));
    GP_ASSERT_STR(summary, parse_rows[i].expected);
  }
}

static void
test_parse_lines_and_comments(void)
{
  const char *text = "\xEF\xBB\xBF# a plan\n"
                     "\n"
                     "block Servers\r\n"
                     "   # indented comment\n"
                     "unblock Servers # trailing comment\n"
                     "new gpo \"A B\"";
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPlan) plan = gp_plan_parse(text, "p.plan", &error);
  const GpChange *first, *second, *third;

  CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
  CU_ASSERT_EQUAL_FATAL(plan->changes->len, 3);
  first = g_ptr_array_index(plan->changes, 0);
  second = g_ptr_array_index(plan->changes, 1);
  third = g_ptr_array_index(plan->changes, 2);
  CU_ASSERT_EQUAL(first->line, 3);
  CU_ASSERT_EQUAL(second->line, 5);
  CU_ASSERT_EQUAL(third->line, 6);
  GP_ASSERT_STR(first->file, "p.plan");
  GP_ASSERT_STR(first->text, "block Servers");
  GP_ASSERT_STR(second->text, "unblock Servers");
  GP_ASSERT_STR(third->text, "new gpo \"A B\"");
}

static void
test_parse_append_numbers_each_text(void)
{
  g_autoptr(GpPlan) plan = gp_plan_new();
  g_autoptr(GError) error = NULL;

  CU_ASSERT_TRUE(gp_plan_parse_append(plan, "block A\nblock B", "f.plan", &error));
  CU_ASSERT_TRUE(gp_plan_parse_append(plan, "unblock C", "--change", &error));
  CU_ASSERT_EQUAL_FATAL(plan->changes->len, 3);
  CU_ASSERT_EQUAL(((GpChange *)g_ptr_array_index(plan->changes, 2))->line, 1);
  GP_ASSERT_STR(((GpChange *)g_ptr_array_index(plan->changes, 2))->file, "--change");
  /* a failing text leaves the plan as it was */
  CU_ASSERT_FALSE(gp_plan_parse_append(plan, "block D\nfrobnicate", "g.plan", &error));
  CU_ASSERT_EQUAL(plan->changes->len, 3);
}

static const struct {
  const char *text;
  const char *message;
} error_rows[] = {
  { "block A\nfrobnicate X", "e.plan:2: unknown change 'frobnicate'; expected link, unlink" },
  { "link A B",
    "e.plan:1: missing 'to'; expected 'link GPO to SOM [enforced] [disabled] [order N]'" },
  { "link to B", "e.plan:1: missing the GPO; expected 'link GPO to SOM" },
  { "\n\nlink A to", "e.plan:3: missing the SOM; expected" },
  { "link A to B order", "e.plan:1: 'order' needs a link order" },
  { "link A to B order 0", "e.plan:1: bad link order '0'; expected a number from 1" },
  { "link A to B order x2", "e.plan:1: 'order' needs a link order" },
  { "link A to B enforced now", "e.plan:1: unexpected 'now' after the SOM" },
  { "unlink A to B", "e.plan:1: missing 'from'; expected 'unlink GPO from SOM'" },
  { "enforce A", "e.plan:1: missing 'at'; expected 'enforce GPO at SOM'" },
  { "block", "e.plan:1: missing the SOM; expected 'block SOM'" },
  { "status A on", "e.plan:1: unknown status 'on'; expected enabled, computer-disabled" },
  { "status enabled", "e.plan:1: missing the GPO or its status" },
  { "set A SeTcbPrivilege", "e.plan:1: missing '='; expected 'set GPO RIGHT = principal, ...'" },
  { "set SeTcbPrivilege = x", "e.plan:1: missing the GPO" },
  { "set A R = a,,b", "e.plan:1: empty principal in the list" },
  { "set A R = a,", "e.plan:1: empty principal in the list" },
  { "clear A", "e.plan:1: missing the GPO or the right; expected 'clear GPO RIGHT'" },
  { "move A", "e.plan:1: missing 'to'; expected 'move COMPUTER to OU'" },
  { "add A to", "e.plan:1: missing the group; expected 'add COMPUTER to GROUP'" },
  { "new", "e.plan:1: missing the new GPO's name; expected 'new gpo NAME'" },
  { "block \"unterminated", "e.plan:1: unterminated quote" },
};

static void
test_parse_errors(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(error_rows); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GpPlan) plan = gp_plan_parse(error_rows[i].text, "e.plan", &error);

    printf("\n  row %u: %s", i, error_rows[i].text);
    CU_ASSERT_PTR_NULL(plan);
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    CU_ASSERT_TRUE(g_error_matches(error, GP_PLAN_ERROR, GP_PLAN_ERROR_SYNTAX));
    if (!g_str_has_prefix(error->message, error_rows[i].message))
      printf("\n    got: %s", error->message);
    CU_ASSERT_TRUE(g_str_has_prefix(error->message, error_rows[i].message));
  }
}

/* ------------------------------------------------------------ the lab model */

static GpModel *
lab_model(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autofree char *rights = gp_test_data("user-rights.tsv");
  g_autofree char *sids = gp_test_data("well-known-sids.tsv");
  g_autofree char *ldif = gp_test_fixture("labs/contoso/contoso.ldif");
  g_autofree char *sysvol = gp_test_fixture("labs/contoso/sysvol");

  if (!gp_data_load_rights(rights, model, &error) || !gp_data_load_sids(sids, model, &error)
      || !gp_ldif_load_file(ldif, model, diags, &error)
      || !gp_sysvol_load_dir(sysvol, model, diags, &error)) {
    CU_FAIL_FATAL(error->message);
    return NULL;
  }
  gp_model_complete(model);
  return g_steal_pointer(&model);
}

static const GpGpo *
gpo_named(const GpModel *model, const char *name)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  for (guint i = 0; i < gpos->len; i++) {
    const GpGpo *gpo = g_ptr_array_index(gpos, i);
    if (g_strcmp0(gpo->display_name, name) == 0)
      return gpo;
  }
  return NULL;
}

/* "Name[E][D] Name" for the links of @dn, link order 1 first; "|raw" appended. */
static char *
probe_links(const GpModel *model, const char *dn)
{
  const GpSom *som = gp_model_find_som(model, dn);
  GString *out = g_string_new(NULL);

  for (guint i = 0; som && i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    const GpGpo *gpo = gp_model_find_gpo_dn(model, link->gpo_dn);
    g_string_append_printf(out, "%s%u:%s%s%s", i ? " " : "", link->link_order,
                           gpo && gpo->display_name ? gpo->display_name : link->gpo_guid,
                           link->options & GP_LINK_ENFORCED ? "[E]" : "",
                           link->options & GP_LINK_DISABLED ? "[D]" : "");
  }
  return g_string_free(out, FALSE);
}

/* The holders of @right in GPO @name: "sid-or-name,...", "undefined" or "no GPO". */
static char *
probe_right(const GpModel *model, const char *name, const char *right)
{
  const GpGpo *gpo = gpo_named(model, name);
  const GpRightAssignment *assignment
      = gpo && gpo->machine_template ? gp_security_template_lookup(gpo->machine_template, right)
                                     : NULL;
  GString *out = g_string_new(NULL);

  if (!gpo || !assignment) {
    g_string_append(out, gpo ? "undefined" : "no GPO");
    return g_string_free(out, FALSE);
  }
  for (guint i = 0; i < assignment->holders->len; i++) {
    const GpPrincipal *p = g_ptr_array_index(assignment->holders, i);
    g_string_append_printf(out, "%s%s", i ? "," : "", p->sid ? p->sid : p->name);
  }
  return g_string_free(out, FALSE);
}

static char *
probe_computer(const GpModel *model, const char *name)
{
  g_autoptr(GPtrArray) found = gp_model_find_computers(model, name);
  const GpComputer *computer = found->len == 1 ? g_ptr_array_index(found, 0) : NULL;
  GString *out = g_string_new(NULL);

  if (!computer)
    return g_string_free(out, FALSE);
  g_string_append_printf(out, "%s cn=%s", computer->dn, computer->cn);
  for (guint i = 0; i < computer->member_of->len; i++)
    g_string_append_printf(out, " member=%s", (char *)g_ptr_array_index(computer->member_of, i));
  return g_string_free(out, FALSE);
}

/* Probes: "links:DN", "block:DN", "flags:GPO", "right:GPO:RIGHT", "computer:NAME", "gpo:NAME". */
static char *
probe(const GpModel *model, const char *what)
{
  g_auto(GStrv) parts = g_strsplit(what, ":", 3);
  const GpGpo *gpo = NULL;

  if (strcmp(parts[0], "links") == 0)
    return probe_links(model, parts[1]);
  if (strcmp(parts[0], "block") == 0)
    return g_strdup_printf("%u", gp_model_find_som(model, parts[1])->gp_options);
  if (strcmp(parts[0], "right") == 0)
    return probe_right(model, parts[1], parts[2]);
  if (strcmp(parts[0], "computer") == 0)
    return probe_computer(model, parts[1]);
  gpo = gpo_named(model, parts[1]);
  if (!gpo)
    return g_strdup("no GPO");
  if (strcmp(parts[0], "flags") == 0)
    return g_strdup_printf("%u", gpo->flags);
  return g_strdup_printf("%s %s dir=%d fv=%d ver=%08x gpt=%08x cse=%d sysvol=%d rights=%u",
                         gpo->guid, gpo->dn, gpo->in_directory, gpo->functionality_version,
                         gpo->version_number, gpo->gpt_version, gp_gpo_has_security_cse(gpo),
                         gpo->sysvol == GP_SYSVOL_READ,
                         gpo->machine_template ? gpo->machine_template->rights->len : 99);
}

static const struct {
  const char *plan;
  const char *probe;
  const char *before;
  const char *after;
} apply_rows[] = {
  /* link: appended, at an order, with options; every way to name a GPO and a SOM */
  { "link \"IIS Web Tier\" to contoso.com/Servers", "links:" SERVERS, "1:Server Baseline",
    "1:Server Baseline 2:IIS Web Tier" },
  { "link iis web tier to Servers order 1", "links:" SERVERS, "1:Server Baseline",
    "1:IIS Web Tier 2:Server Baseline" },
  { "link " IIS_GUID " to " SERVERS " enforced disabled", "links:" SERVERS, "1:Server Baseline",
    "1:Server Baseline 2:IIS Web Tier[E][D]" },
  { "link CN=" IIS_GUID ",CN=Policies,CN=System,DC=contoso,DC=com to \"" SERVERS "\" order 2",
    "links:" SERVERS, "1:Server Baseline", "1:Server Baseline 2:IIS Web Tier" },
  { "link \"Server Baseline\" to Web order 2", "links:" WEB_OU, "1:Old Web Settings 2:IIS Web Tier",
    "1:Old Web Settings 2:Server Baseline 3:IIS Web Tier" },
  { "link \"Server Baseline\" to HQ", "links:CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com",
    "1:HQ Site Settings", "1:HQ Site Settings 2:Server Baseline" },
  /* unlink renumbers */
  { "unlink \"Old Web Settings\" from contoso.com/Servers/Web", "links:" WEB_OU,
    "1:Old Web Settings 2:IIS Web Tier", "1:IIS Web Tier" },
  { "link \"Server Baseline\" to Web\nunlink \"Old Web Settings\" from Web", "links:" WEB_OU,
    "1:Old Web Settings 2:IIS Web Tier", "1:IIS Web Tier 2:Server Baseline" },
  /* enforce, unenforce */
  { "enforce \"Server Baseline\" at Servers", "links:" SERVERS, "1:Server Baseline",
    "1:Server Baseline[E]" },
  { "unenforce \"Contoso Security Baseline\" at contoso.com", "links:DC=contoso,DC=com",
    "1:Contoso Security Baseline[E] 2:Default Domain Policy",
    "1:Contoso Security Baseline 2:Default Domain Policy" },
  /* block, unblock */
  { "block contoso.com/Servers/Web", "block:" WEB_OU, "0", "1" },
  { "unblock Legacy", "block:OU=Legacy,OU=Servers,DC=contoso,DC=com", "1", "0" },
  /* status */
  { "status \"Old Web Settings\" enabled", "flags:Old Web Settings", "2", "0" },
  { "status \"IIS Web Tier\" computer-disabled", "flags:IIS Web Tier", "0", "2" },
  { "status \"IIS Web Tier\" disabled", "flags:IIS Web Tier", "0", "3" },
  { "status \"IIS Web Tier\" user-disabled", "flags:IIS Web Tier", "0", "1" },
  /* set: SIDs, names resolved through the directory, names kept, empty list */
  { "set \"IIS Web Tier\" SeImpersonatePrivilege = *S-1-5-32-544, CONTOSO\\svc-web, "
    "s-1-5-19, svc-legacy, LocalOnlyAccount",
    "right:IIS Web Tier:SeImpersonatePrivilege",
    "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6,S-1-5-32-568",
    "S-1-5-32-544," SVC_WEB ",S-1-5-19,S-1-5-21-1004336348-1177238915-682003330-1105,"
    "LocalOnlyAccount" },
  { "set \"Server Baseline\" \"Act as part of the operating system\" =",
    "right:Server Baseline:SeTcbPrivilege", "undefined", "" },
  /* clear */
  { "clear \"IIS Web Tier\" SeBatchLogonRight", "right:IIS Web Tier:SeBatchLogonRight",
    "S-1-5-32-544,S-1-5-32-568", "undefined" },
  { "set \"Server Baseline\" SeTcbPrivilege = *S-1-5-18\nclear \"Server Baseline\" SeTcbPrivilege",
    "right:Server Baseline:SeTcbPrivilege", "undefined", "undefined" },
  /* move, add */
  { "move APP01 to contoso.com/Servers/Web", "computer:APP01", "CN=APP01," SERVERS " cn=APP01",
    "CN=APP01," WEB_OU " cn=APP01" },
  { "move kiosk01$ to CN=Computers,DC=contoso,DC=com", "computer:KIOSK01",
    "CN=KIOSK01,CN=Computers,DC=contoso,DC=com cn=KIOSK01",
    "CN=KIOSK01,CN=Computers,DC=contoso,DC=com cn=KIOSK01" },
  { "add WEB02 to \"Web Servers\"", "computer:WEB02", "CN=WEB02," WEB_OU " cn=WEB02",
    "CN=WEB02," WEB_OU " cn=WEB02 member=CN=Web Servers," SERVERS },
  { "add app01.contoso.com to " WEB_SERVERS_SID, "computer:APP01", "CN=APP01," SERVERS " cn=APP01",
    "CN=APP01," SERVERS " cn=APP01 member=CN=Web Servers," SERVERS },
  /* new: a fresh GPO, usable in later lines, in the domain of its first link */
  { "new gpo \"Web Impersonation\"\nset \"Web Impersonation\" SeImpersonatePrivilege = "
    "*S-1-5-32-544\nlink \"web impersonation\" to Web order 1",
    "links:" WEB_OU, "1:Old Web Settings 2:IIS Web Tier",
    "1:Web Impersonation 2:Old Web Settings 3:IIS Web Tier" },
};

static void
test_apply_each_kind(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(apply_rows); i++) {
    g_autoptr(GpModel) model = lab_model();
    g_autoptr(GError) error = NULL;
    g_autoptr(GpPlan) plan = gp_plan_parse(apply_rows[i].plan, "a.plan", &error);
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *before = probe(model, apply_rows[i].probe);
    g_autofree char *after = NULL;

    printf("\n  row %u: %s", i, apply_rows[i].plan);
    CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
    GP_ASSERT_STR(before, apply_rows[i].before);
    if (!gp_plan_apply(plan, model, notes, &error)) {
      printf("\n    error: %s", error->message);
      CU_FAIL("the plan did not apply");
      continue;
    }
    after = probe(model, apply_rows[i].probe);
    GP_ASSERT_STR(after, apply_rows[i].after);
    CU_ASSERT_TRUE(notes->len >= plan->changes->len);
    CU_ASSERT_TRUE(g_str_has_prefix(g_ptr_array_index(notes, 0), "a.plan:1: "));
  }
}

static void
test_apply_new_gpo(void)
{
  g_autoptr(GpModel) model = lab_model();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpPlan) plan = gp_plan_parse(
      "new gpo \"Web Impersonation\"\nlink \"Web Impersonation\" to Web", "n.plan", &error);
  g_autofree char *guid = gp_plan_new_gpo_guid("web impersonation");
  g_autofree char *again = gp_plan_new_gpo_guid("Web Impersonation");
  g_autofree char *other = gp_plan_new_gpo_guid("Web Impersonation 2");
  g_autofree char *expected = NULL;
  g_autofree char *state = NULL;
  g_autofree char *normal = gp_guid_normalize(guid);

  GP_ASSERT_STR(guid, again); /* reproducible, any case */
  GP_ASSERT_STR(normal, guid);
  CU_ASSERT_STRING_NOT_EQUAL(guid, other);
  CU_ASSERT_EQUAL(guid[15], '5');
  CU_ASSERT_TRUE_FATAL(gp_plan_apply(plan, model, NULL, &error));
  state = probe(model, "gpo:Web Impersonation");
  expected = g_strdup_printf("%s CN=%s,CN=Policies,CN=System,DC=contoso,DC=com dir=1 fv=2 "
                             "ver=00010001 gpt=00010001 cse=1 sysvol=1 rights=0",
                             guid, guid);
  GP_ASSERT_STR(state, expected);
}

/* set on a GPO with no GptTmpl.inf creates one and registers the Security CSE. */
static void
test_apply_set_creates_template(void)
{
  g_autoptr(GpModel) model = lab_model();
  g_autoptr(GError) error = NULL;
  GpGpo *gpo = (GpGpo *)gpo_named(model, "Pilot Rights");
  g_autoptr(GpPlan) plan
      = gp_plan_parse("set \"Pilot Rights\" SeDebugPrivilege = *S-1-5-32-544", "s.plan", &error);
  guint32 version;

  gp_security_template_free(gpo->machine_template);
  gpo->machine_template = NULL;
  g_free(gpo->machine_extension_names);
  gpo->machine_extension_names = NULL;
  version = gpo->version_number;
  CU_ASSERT_TRUE_FATAL(gp_plan_apply(plan, model, NULL, &error));
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo->machine_template);
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(gpo->machine_template, "SeDebugPrivilege"));
  CU_ASSERT_TRUE(gp_gpo_has_security_cse(gpo));
  CU_ASSERT_EQUAL(gpo->version_number, version + 1);
}

/* ------------------------------------------------------------ failures */

static const struct {
  const char *plan;
  GpPlanError code;
  const char *message;
} failure_rows[] = {
  { "block Servers\nlink \"Nope\" to Servers", GP_PLAN_ERROR_NOT_FOUND,
    "f.plan:2: no GPO named 'Nope' in the data" },
  { "link \"IIS Web Tier\" to Nowhere", GP_PLAN_ERROR_NOT_FOUND,
    "f.plan:1: no site, domain or OU named 'Nowhere'" },
  { "link \"IIS Web Tier\" to Web", GP_PLAN_ERROR_INVALID,
    "f.plan:1: GPO 'IIS Web Tier' is already linked at " WEB_OU },
  { "link \"IIS Web Tier\" to Servers order 3", GP_PLAN_ERROR_INVALID,
    "f.plan:1: order 3: " SERVERS " would have 2 links; expected an order from 1 to 2" },
  { "unlink \"IIS Web Tier\" from Servers", GP_PLAN_ERROR_INVALID,
    "f.plan:1: GPO 'IIS Web Tier' is not linked at " SERVERS },
  { "unlink \"IIS Web Tier\" from Web\nunlink \"IIS Web Tier\" from Web", GP_PLAN_ERROR_INVALID,
    "f.plan:2: GPO 'IIS Web Tier' is not linked at " WEB_OU },
  { "enforce \"IIS Web Tier\" at Servers", GP_PLAN_ERROR_INVALID,
    "f.plan:1: GPO 'IIS Web Tier' "
    "is not linked" },
  { "block HQ", GP_PLAN_ERROR_INVALID, "f.plan:1: CN=HQ,CN=Sites" },
  { "set \"IIS Web Tier\" SeFlyPrivilege = *S-1-5-32-544", GP_PLAN_ERROR_NOT_FOUND,
    "f.plan:1: unknown user right 'SeFlyPrivilege'" },
  { "set \"IIS Web Tier\" SeDebugPrivilege = *S-1-X", GP_PLAN_ERROR_INVALID,
    "f.plan:1: '*S-1-X' is not a SID" },
  { "clear \"IIS Web Tier\" SeDebugPrivilege", GP_PLAN_ERROR_INVALID,
    "f.plan:1: GPO 'IIS Web Tier' does not define SeDebugPrivilege" },
  { "move NOPE01 to Web", GP_PLAN_ERROR_NOT_FOUND, "f.plan:1: no computer named 'NOPE01'" },
  { "move APP01 to HQ", GP_PLAN_ERROR_INVALID, "f.plan:1: CN=HQ,CN=Sites" },
  { "add WEB01 to \"No Such Group\"", GP_PLAN_ERROR_NOT_FOUND,
    "f.plan:1: no group named 'No Such Group'" },
  { "new gpo \"Server Baseline\"", GP_PLAN_ERROR_INVALID,
    "f.plan:1: a GPO named 'Server Baseline' already exists" },
  { "new gpo A\nnew gpo a", GP_PLAN_ERROR_INVALID, "f.plan:2: a GPO named 'a' already exists" },
  { "unlink \"New One\" from Web\nnew gpo \"New One\"", GP_PLAN_ERROR_NOT_FOUND,
    "f.plan:1: no GPO named 'New One'" },
};

static void
test_apply_failures(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(failure_rows); i++) {
    g_autoptr(GpModel) model = lab_model();
    g_autoptr(GError) error = NULL;
    g_autoptr(GpPlan) plan = gp_plan_parse(failure_rows[i].plan, "f.plan", &error);

    printf("\n  row %u: %s", i, failure_rows[i].plan);
    CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
    CU_ASSERT_FALSE(gp_plan_apply(plan, model, NULL, &error));
    CU_ASSERT_PTR_NOT_NULL_FATAL(error);
    if (!g_str_has_prefix(error->message, failure_rows[i].message))
      printf("\n    got: %s", error->message);
    CU_ASSERT_TRUE(g_str_has_prefix(error->message, failure_rows[i].message));
    CU_ASSERT_TRUE(g_error_matches(error, GP_PLAN_ERROR, failure_rows[i].code));
  }
}

/* Ambiguous names are errors that list the candidates. */
static void
test_apply_ambiguity_lists_candidates(void)
{
  g_autoptr(GpModel) model = lab_model();
  g_autoptr(GError) error = NULL;
  GpGpo *twin = gp_model_ensure_gpo_dn(
      model, "CN={0D0E0F10-1111-4222-8333-444455556666},CN=Policies,CN=System,DC=contoso,DC=com");
  g_autoptr(GpPlan) plan = gp_plan_parse("link \"server baseline\" to Web", "amb.plan", &error);
  GpSom *som = gp_model_ensure_som(model, "OU=Web,OU=Workstations,DC=contoso,DC=com", GP_SOM_OU);
  g_autoptr(GpPlan) som_plan = gp_plan_parse("block Web", "amb.plan", &error);

  twin->display_name = g_strdup("Server Baseline");
  CU_ASSERT_FALSE(gp_plan_apply(plan, model, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_PLAN_ERROR, GP_PLAN_ERROR_AMBIGUOUS));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "amb.plan:1: 'server baseline' names 2 GPOs"));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, BASE_GUID));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "{0D0E0F10-1111-4222-8333-444455556666}"));
  g_clear_error(&error);
  som->name = g_strdup("Web");
  CU_ASSERT_FALSE(gp_plan_apply(som_plan, model, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_PLAN_ERROR, GP_PLAN_ERROR_AMBIGUOUS));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "'Web' names 2 SOMs"));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, WEB_OU));
  CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "OU=Web,OU=Workstations,DC=contoso,DC=com"));
}

/* Every probe of the model, to compare a model before and after a failed plan. */
static char *
model_state(const GpModel *model)
{
  const char *probes[]
      = { "links:" SERVERS, "links:" WEB_OU,          "links:DC=contoso,DC=com",
          "block:" WEB_OU,  "flags:Old Web Settings", "right:IIS Web Tier:SeImpersonatePrivilege",
          "computer:APP01", "computer:WEB02",         "gpo:Fresh" };
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < G_N_ELEMENTS(probes); i++) {
    g_autofree char *value = probe(model, probes[i]);
    g_string_append_printf(out, "%s=%s\n", probes[i], value);
  }
  g_string_append_printf(out, "gpos=%u\n", gp_model_gpos(model)->len);
  return g_string_free(out, FALSE);
}

/* A plan whose last line fails changes nothing, though every other line was good. */
static void
test_apply_all_or_nothing(void)
{
  g_autoptr(GpModel) model = lab_model();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GpPlan) plan
      = gp_plan_parse("new gpo Fresh\n"
                      "link Fresh to Servers order 1\n"
                      "link \"IIS Web Tier\" to Servers enforced\n"
                      "unlink \"Old Web Settings\" from Web\n"
                      "block Web\n"
                      "status \"Old Web Settings\" enabled\n"
                      "set \"IIS Web Tier\" SeImpersonatePrivilege = *S-1-5-32-544\n"
                      "move APP01 to Web\n"
                      "add WEB02 to \"Web Servers\"\n"
                      "unlink \"IIS Web Tier\" from contoso.com/Workstations\n",
                      "aon.plan", &error);
  g_autofree char *before = model_state(model);
  g_autofree char *after = NULL;

  CU_ASSERT_PTR_NOT_NULL_FATAL(plan);
  CU_ASSERT_FALSE(gp_plan_apply(plan, model, notes, &error));
  CU_ASSERT_TRUE(g_str_has_prefix(error->message, "aon.plan:10: GPO 'IIS Web Tier' is not linked"));
  CU_ASSERT_EQUAL(notes->len, 0);
  after = model_state(model);
  GP_ASSERT_STR(after, before);
}

/* The planning story of the lab README, through the engine. */
static void
test_apply_then_evaluate(void)
{
  g_autoptr(GpModel) model = lab_model();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gp_test_fixture("labs/contoso/plans/web-rollout.plan");
  g_autofree char *text = gp_test_read(path, NULL);
  g_autoptr(GpPlan) plan = gp_plan_parse(text, path, &error);
  const char *rights[] = { "SeImpersonatePrivilege", NULL };
  GpEngineOptions options = { .rights = rights };
  const char *names[] = { "APP01", "LEGACY01" };
  const char *winners[] = { "IIS Web Tier", "Legacy App Rights" };

  CU_ASSERT_TRUE_FATAL(gp_plan_apply(plan, model, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autoptr(GPtrArray) found = gp_model_find_computers(model, names[i]);
    g_autoptr(GpResult) result
        = gp_engine_evaluate(model, g_ptr_array_index(found, 0), &options, &error);
    const GpRightResult *right = gp_result_find_right(result, "SeImpersonatePrivilege");
    gboolean svc_web = FALSE;
    GP_ASSERT_STR(right->winner->gpo->display_name, winners[i]);
    for (guint h = 0; h < right->holders->len; h++)
      svc_web
          |= g_strcmp0(((GpPrincipal *)g_ptr_array_index(right->holders, h))->sid, SVC_WEB) == 0;
    CU_ASSERT_EQUAL(svc_web, i == 0);
  }
}

/* gp_model_move_computer keeps the by-DN index right. */
static void
test_model_move_computer(void)
{
  g_autoptr(GpModel) model = lab_model();
  g_autoptr(GPtrArray) found = gp_model_find_computers(model, "APP01");
  GpComputer *app01 = g_ptr_array_index(found, 0);
  GpComputer *web01 = NULL;
  g_autoptr(GPtrArray) web = gp_model_find_computers(model, "WEB01");
  guint count = gp_model_computers(model)->len;

  web01 = g_ptr_array_index(web, 0);
  CU_ASSERT_FALSE(gp_model_move_computer(model, app01, web01->dn));
  GP_ASSERT_STR(app01->dn, "CN=APP01," SERVERS);
  CU_ASSERT_TRUE(gp_model_move_computer(model, app01, "CN=APP02," WEB_OU));
  GP_ASSERT_STR(app01->cn, "APP02");
  CU_ASSERT_PTR_EQUAL(
      gp_model_ensure_computer(model, "cn=app02,ou=web,ou=servers,dc=contoso,dc=com"), app01);
  CU_ASSERT_EQUAL(gp_model_computers(model)->len, count);
  gp_model_ensure_computer(model, "CN=APP01," SERVERS); /* the old DN is free again */
  CU_ASSERT_EQUAL(gp_model_computers(model)->len, count + 1);
}

static const GpTestCase cases[] = {
  GP_TEST(test_parse_every_kind),
  GP_TEST(test_parse_lines_and_comments),
  GP_TEST(test_parse_append_numbers_each_text),
  GP_TEST(test_parse_errors),
  GP_TEST(test_apply_each_kind),
  GP_TEST(test_apply_new_gpo),
  GP_TEST(test_apply_set_creates_template),
  GP_TEST(test_apply_failures),
  GP_TEST(test_apply_ambiguity_lists_candidates),
  GP_TEST(test_apply_all_or_nothing),
  GP_TEST(test_apply_then_evaluate),
  GP_TEST(test_model_move_computer),
};

GP_TEST_MAIN("plan", cases)
