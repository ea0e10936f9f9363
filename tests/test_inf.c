/* test_inf.c - security templates (GptTmpl.inf, secedit /export) and GPT.INI:
 * syntax variants, warnings with their lines, broken input, and facts read
 * from the real samples in ../shared/samples.
 */
#include "gp-test.h"

#include <stdio.h>
#include <string.h>

#include "gp-loaders.h"

/* Asserts @cond and leaves the test when it does not hold, without the
 * longjmp of the _FATAL asserts (which would skip g_autoptr cleanup). */
#define REQUIRE(cond)                                                                              \
  do {                                                                                             \
    CU_ASSERT(cond);                                                                               \
    if (!(cond))                                                                                   \
      return;                                                                                      \
  } while (0)

#define BYTES(literal) literal, sizeof(literal) - 1

/* ------------------------------------------------------------------ helpers */

/* Returns: (transfer full): a model whose catalogue holds a few rights. */
static GpModel *
catalogue_new(void)
{
  static const char *const rights[][2] = {
    { "SeImpersonatePrivilege", "Impersonate a client after authentication" },
    { "SeTcbPrivilege", "Act as part of the operating system" },
    { "SeDebugPrivilege", "Debug programs" },
    { "SeNetworkLogonRight", "Access this computer from the network" },
    { "SeSystemtimePrivilege", "Change the system time" },
    { "SeServiceLogonRight", "Log on as a service" },
  };
  GpModel *model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(rights); i++)
    gp_model_add_right_info(model, gp_right_info_new(rights[i][0], rights[i][1]));
  return model;
}

/* Returns: (transfer full): a model with gpsim's own catalogue of the 45 rights. */
static GpModel *
full_catalogue_new(void)
{
  g_autofree char *path = gp_test_data("user-rights.tsv");
  g_autoptr(GError) error = NULL;
  GpModel *model = gp_model_new();

  if (!gp_data_load_rights(path, model, &error))
    CU_FAIL(error->message);
  return model;
}

/* Returns: (transfer full): @text as UTF-16LE with a BOM, as Windows writes it. */
static char *
utf16_with_bom(const char *text, gsize *out_len)
{
  gsize written = 0;
  g_autofree char *body = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &written, NULL);
  char *out = g_malloc(written + 2);

  out[0] = '\xff';
  out[1] = '\xfe';
  memcpy(out + 2, body, written);
  *out_len = written + 2;
  return out;
}

/* Loads @text (UTF-8) and fails the test on an error. */
static GpSecurityTemplate *
load_text(const char *text, const GpModel *model, GPtrArray *diags)
{
  g_autoptr(GError) error = NULL;
  GpSecurityTemplate *tmpl
      = gp_inf_load_from_data(text, strlen(text), "test.inf", model, diags, &error);

  if (error)
    printf("\nunexpected error: %s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL(tmpl);
  return tmpl;
}

/* Returns: (transfer full): the holders as a template writes them ("*SID" or
 * name, comma-joined), or NULL when @right is absent from @tmpl. */
static char *
holders_of(const GpSecurityTemplate *tmpl, const char *right)
{
  const GpRightAssignment *assignment = gp_security_template_lookup(tmpl, right);
  GString *out;

  if (assignment == NULL)
    return NULL;
  out = g_string_new(NULL);
  for (guint i = 0; i < assignment->holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(assignment->holders, i);

    if (i > 0)
      g_string_append_c(out, ',');
    if (holder->sid)
      g_string_append_printf(out, "*%s", holder->sid);
    else
      g_string_append(out, holder->name);
  }
  return g_string_free(out, FALSE);
}

/* Returns: (nullable): the first warning at @line (0: any) whose message holds @needle. */
/* Returns: the line of @right's assignment in @tmpl, 0 when absent. */
static guint
line_of(const GpSecurityTemplate *tmpl, const char *right)
{
  const GpRightAssignment *assignment = gp_security_template_lookup(tmpl, right);

  return assignment ? assignment->line : 0;
}

/* Returns: the number of holders of @right, -1 when absent. */
static int
holder_count(const GpSecurityTemplate *tmpl, const char *right)
{
  const GpRightAssignment *assignment = gp_security_template_lookup(tmpl, right);

  return assignment ? (int)assignment->holders->len : -1;
}

/* Returns: (nullable): the name under which @right is stored. */
static const char *
stored_name(const GpSecurityTemplate *tmpl, const char *right)
{
  const GpRightAssignment *assignment = gp_security_template_lookup(tmpl, right);

  return assignment ? assignment->right : NULL;
}

static const GpDiagnostic *
find_diag(const GPtrArray *diags, guint line, const char *needle)
{
  for (guint i = 0; i < diags->len; i++) {
    const GpDiagnostic *diag = g_ptr_array_index(diags, i);

    if ((line == 0 || diag->line == line) && strstr(diag->message, needle) != NULL
        && diag->severity == GP_SEVERITY_WARNING)
      return diag;
  }
  return NULL;
}

static void
print_diags(const GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++) {
    g_autofree char *text = gp_diagnostic_format(g_ptr_array_index(diags, i));
    printf("\n  %s", text);
  }
}

static const GpInfSection *
find_section(const GpSecurityTemplate *tmpl, const char *name)
{
  for (guint i = 0; i < tmpl->sections->len; i++) {
    const GpInfSection *section = g_ptr_array_index(tmpl->sections, i);

    if (g_ascii_strcasecmp(section->name, name) == 0)
      return section;
  }
  return NULL;
}

/* ------------------------------------------------------ syntax and encodings */

static void
test_utf16_bom_crlf(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSecurityTemplate) tmpl = NULL;
  g_autofree char *holders = NULL;
  gsize len = 0;
  g_autofree char *data = utf16_with_bom("[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\n"
                                         "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6\r\n",
                                         &len);

  tmpl = gp_inf_load_from_data(data, len, "GptTmpl.inf", model, diags, &error);
  REQUIRE(tmpl != NULL);
  holders = holders_of(tmpl, "SeImpersonatePrivilege");
  GP_ASSERT_STR(holders, "*S-1-5-32-544,*S-1-5-6");
  CU_ASSERT_EQUAL(line_of(tmpl, "SeImpersonatePrivilege"), 4);
  REQUIRE(tmpl->rights->len == 1);
  GP_ASSERT_STR(((const GpRightAssignment *)g_ptr_array_index(tmpl->rights, 0))->file,
                "GptTmpl.inf");
  GP_ASSERT_STR(tmpl->file, "GptTmpl.inf");
  CU_ASSERT_EQUAL(diags->len, 0);
}

/* The same template in every encoding and line ending gpsim accepts. */
static const struct {
  const char *prefix;
  const char *newline;
} variant_cases[] = {
  { "", "\n" },
  { "", "\r\n" },
  { "\xef\xbb\xbf", "\n" },
  { "\xef\xbb\xbf", "\r\n" },
};

static void
test_utf8_with_and_without_bom(void)
{
  g_autoptr(GpModel) model = catalogue_new();

  for (gsize i = 0; i < G_N_ELEMENTS(variant_cases); i++) {
    const char *nl = variant_cases[i].newline;
    g_autofree char *text
        = g_strconcat(variant_cases[i].prefix, "[Version]", nl, "signature=\"$CHICAGO$\"", nl,
                      "[Privilege Rights]", nl, "SeTcbPrivilege =", nl,
                      "SeDebugPrivilege = *S-1-5-32-544", nl, NULL);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpSecurityTemplate) tmpl = load_text(text, model, diags);
    g_autofree char *debug = NULL;

    if (tmpl == NULL)
      continue;
    debug = holders_of(tmpl, "SeDebugPrivilege");
    GP_ASSERT_STR(debug, "*S-1-5-32-544");
    CU_ASSERT_EQUAL(line_of(tmpl, "SeDebugPrivilege"), 5);
    CU_ASSERT_EQUAL(tmpl->rights->len, 2);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

static void
test_mixed_line_endings(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Unicode]\r\nUnicode=yes\n[Privilege Rights]\r\n\nSeTcbPrivilege = Guest\r\n"
                  "SeDebugPrivilege = *S-1-5-32-544",
                  model, diags);
  g_autofree char *tcb = NULL;

  REQUIRE(tmpl != NULL);
  tcb = holders_of(tmpl, "SeTcbPrivilege");
  GP_ASSERT_STR(tcb, "Guest"); /* no CR left at the end of the name */
  CU_ASSERT_EQUAL(line_of(tmpl, "SeTcbPrivilege"), 5);
  /* The last line has no line break at all. */
  CU_ASSERT_EQUAL(line_of(tmpl, "SeDebugPrivilege"), 6);
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_case_insensitive_names(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[PRIVILEGE rights]\nseimpersonateprivilege = *s-1-5-6\n"
                  "SESYSTEMTIMEPRIVILEGE = *S-1-5-19\n",
                  model, diags);
  const GpRightAssignment *impersonate;
  const GpPrincipal *holder;

  REQUIRE(tmpl != NULL);
  impersonate = gp_security_template_lookup(tmpl, "SeImpersonatePrivilege");
  REQUIRE(impersonate != NULL);
  /* Known rights take the catalogue's spelling; SIDs are upper-cased. */
  GP_ASSERT_STR(impersonate->right, "SeImpersonatePrivilege");
  REQUIRE(impersonate->holders->len == 1);
  holder = g_ptr_array_index(impersonate->holders, 0);
  GP_ASSERT_STR(holder->sid, "S-1-5-6");
  GP_ASSERT_STR(stored_name(tmpl, "sesystemtimeprivilege"), "SeSystemtimePrivilege");
  CU_ASSERT_EQUAL(tmpl->sections->len, 0); /* [PRIVILEGE rights] is not kept as "other" */
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_sections_in_any_order(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Privilege Rights]\nSeTcbPrivilege =\n[Version]\nRevision=1\n"
                  "[Unicode]\nUnicode=yes\n[Privilege Rights]\nSeDebugPrivilege = *S-1-5-32-544\n",
                  model, diags);
  const GpInfSection *version;

  REQUIRE(tmpl != NULL);
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(tmpl, "SeTcbPrivilege"));
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(tmpl, "SeDebugPrivilege"));
  REQUIRE(tmpl->sections->len == 2);
  version = g_ptr_array_index(tmpl->sections, 0);
  GP_ASSERT_STR(version->name, "Version");
  CU_ASSERT_EQUAL(version->line, 3);
  GP_ASSERT_STR(((const GpInfSection *)g_ptr_array_index(tmpl->sections, 1))->name, "Unicode");
  CU_ASSERT_EQUAL(diags->len, 0);
}

static void
test_defined_empty_versus_absent(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GpSecurityTemplate) tmpl = load_text(
      "[Privilege Rights]\nSeTcbPrivilege =\nSeNetworkLogonRight =   \t\n", model, NULL);
  const GpRightAssignment *tcb;

  REQUIRE(tmpl != NULL);
  tcb = gp_security_template_lookup(tmpl, "SeTcbPrivilege");
  REQUIRE(tcb != NULL);
  CU_ASSERT_EQUAL(tcb->holders->len, 0);
  REQUIRE(gp_security_template_lookup(tmpl, "SeNetworkLogonRight") != NULL);
  CU_ASSERT_EQUAL(holder_count(tmpl, "SeNetworkLogonRight"), 0);
  CU_ASSERT_PTR_NULL(gp_security_template_lookup(tmpl, "SeImpersonatePrivilege"));
}

/* Each item of a holder list, and what it becomes. */
static const struct {
  const char *line;
  const char *holders; /* as holders_of() writes them */
} holder_cases[] = {
  { "SeServiceLogonRight = *S-1-5-80-0,CONTOSO\\svc-legacy", "*S-1-5-80-0,CONTOSO\\svc-legacy" },
  { "SeServiceLogonRight=*S-1-5-18,SQLServer2005SQLBrowserUser$DESKTOP-SO94AM2",
    "*S-1-5-18,SQLServer2005SQLBrowserUser$DESKTOP-SO94AM2" },
  { "SeServiceLogonRight  =\t*S-1-5-19 ,  Guest\t, *S-1-5-20", "*S-1-5-19,Guest,*S-1-5-20" },
  { "SeServiceLogonRight = __vmware__", "__vmware__" },
  { "SeServiceLogonRight = Local Service Account", "Local Service Account" },
};

static void
test_sids_and_names_mixed(void)
{
  g_autoptr(GpModel) model = catalogue_new();

  for (gsize i = 0; i < G_N_ELEMENTS(holder_cases); i++) {
    g_autofree char *text = g_strconcat("[Privilege Rights]\n", holder_cases[i].line, "\n", NULL);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpSecurityTemplate) tmpl = load_text(text, model, diags);
    g_autofree char *holders = NULL;

    if (tmpl == NULL)
      continue;
    holders = holders_of(tmpl, "SeServiceLogonRight");
    GP_ASSERT_STR(holders, holder_cases[i].holders);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

static void
test_bare_name_has_no_sid(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Privilege Rights]\nSeTcbPrivilege = Guest,*S-1-5-32-544\n", model, NULL);
  const GpRightAssignment *tcb;
  const GpPrincipal *guest, *admins;

  REQUIRE(tmpl != NULL);
  tcb = gp_security_template_lookup(tmpl, "SeTcbPrivilege");
  REQUIRE(tcb != NULL && tcb->holders->len == 2);
  guest = g_ptr_array_index(tcb->holders, 0);
  admins = g_ptr_array_index(tcb->holders, 1);
  GP_ASSERT_STR(guest->name, "Guest");
  CU_ASSERT_PTR_NULL(guest->sid);
  GP_ASSERT_STR(admins->sid, "S-1-5-32-544");
  CU_ASSERT_PTR_NULL(admins->name);
}

/* ------------------------------------------------------------------ warnings */

static void
test_unknown_right_warns_with_line(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl = load_text(
      "[Unicode]\nUnicode=yes\n[Privilege Rights]\nSeTcbPrivilege =\nSeMadeUpRight = Guest\n",
      model, diags);
  const GpDiagnostic *diag;

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(diags->len, 1);
  diag = find_diag(diags, 5, "unknown user right 'SeMadeUpRight'; kept as written");
  REQUIRE(diag != NULL);
  GP_ASSERT_STR(diag->file, "test.inf");
  /* Kept with the name as written. */
  REQUIRE(gp_security_template_lookup(tmpl, "SeMadeUpRight") != NULL);
  GP_ASSERT_STR(stored_name(tmpl, "SEMADEUPRIGHT"), "SeMadeUpRight");
}

static void
test_empty_catalogue_keeps_every_right(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Privilege Rights]\nsetcbprivilege = Guest\nSeDebugPrivilege = *S-1-5-32-544\n",
                  model, diags);

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(tmpl->rights->len, 2);
  CU_ASSERT_EQUAL(diags->len, 2);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 2, "unknown user right 'setcbprivilege'"));
  GP_ASSERT_STR(stored_name(tmpl, "SeTcbPrivilege"), "setcbprivilege");
}

static const struct {
  const char *item;
  const char *message;
} bad_sid_cases[] = {
  { "*S-1-X-5", "malformed SID '*S-1-X-5' in 'SeTcbPrivilege'; kept as an unresolved name" },
  { "*", "malformed SID '*' in 'SeTcbPrivilege'" },
  { "*S-1-5-", "malformed SID '*S-1-5-'" },
  { "*Guest", "malformed SID '*Guest'" },
  { "*S-1-5-21-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", "malformed SID '*S-1-5-21-1-2-3" },
};

static void
test_malformed_sid_warns(void)
{
  g_autoptr(GpModel) model = catalogue_new();

  for (gsize i = 0; i < G_N_ELEMENTS(bad_sid_cases); i++) {
    g_autofree char *text = g_strdup_printf(
        "[Privilege Rights]\nSeTcbPrivilege = *S-1-5-32-544,%s\n", bad_sid_cases[i].item);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpSecurityTemplate) tmpl = load_text(text, model, diags);
    const GpRightAssignment *tcb;
    const GpPrincipal *kept;

    if (tmpl == NULL)
      continue;
    CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 2, bad_sid_cases[i].message));
    tcb = gp_security_template_lookup(tmpl, "SeTcbPrivilege");
    if (tcb == NULL || tcb->holders->len != 2) {
      CU_FAIL("expected two holders");
      continue;
    }
    kept = g_ptr_array_index(tcb->holders, 1);
    CU_ASSERT_PTR_NULL(kept->sid);
    GP_ASSERT_STR(kept->name, bad_sid_cases[i].item);
  }
}

static void
test_duplicate_right_warns_later_wins(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Privilege Rights]\nSeDebugPrivilege = *S-1-5-32-544\nSeTcbPrivilege =\n"
                  "sedebugprivilege = Guest\n",
                  model, diags);
  g_autofree char *debug = NULL;

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(diags->len, 1);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 4,
                                   "'SeDebugPrivilege' is assigned twice, at lines 2 "
                                   "and 4; the later line wins"));
  debug = holders_of(tmpl, "SeDebugPrivilege");
  GP_ASSERT_STR(debug, "Guest");
  CU_ASSERT_EQUAL(line_of(tmpl, "SeDebugPrivilege"), 4);
}

static void
test_empty_holder_entries_warn(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Privilege Rights]\nSeTcbPrivilege = *S-1-5-6,,Guest,\n", model, diags);
  g_autofree char *holders = NULL;

  REQUIRE(tmpl != NULL);
  holders = holders_of(tmpl, "SeTcbPrivilege");
  GP_ASSERT_STR(holders, "*S-1-5-6,Guest");
  CU_ASSERT_EQUAL(diags->len, 2);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 2, "empty entry in the holders of 'SeTcbPrivilege'"));
}

static void
test_stray_lines_warn_and_are_skipped(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("stray = 1\n[Privilege Rights]\nSeTcbPrivilege\n= *S-1-5-6\n"
                  "SeDebugPrivilege = *S-1-5-32-544\n",
                  model, diags);

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(diags->len, 3);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 1, "line outside any section; skipped"));
  CU_ASSERT_PTR_NOT_NULL(find_diag(
      diags, 3, "expected 'Right = holders' in [Privilege Rights], found 'SeTcbPrivilege'"));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 4, "found '= *S-1-5-6'; line skipped"));
  CU_ASSERT_EQUAL(tmpl->rights->len, 1);
  CU_ASSERT_PTR_NULL(gp_security_template_lookup(tmpl, "SeTcbPrivilege"));
}

static void
test_comments_and_blank_lines_ignored(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("; written by hand\n\n[Version] ; the preamble\n  ; indented comment\n"
                  "[Privilege Rights]\n;SeTcbPrivilege = Guest\n   \t\nSeDebugPrivilege = Guest\n",
                  model, diags);

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(diags->len, 0);
  CU_ASSERT_EQUAL(tmpl->rights->len, 1);
  CU_ASSERT_PTR_NULL(gp_security_template_lookup(tmpl, "SeTcbPrivilege"));
  REQUIRE(tmpl->sections->len == 1);
  CU_ASSERT_EQUAL(((const GpInfSection *)g_ptr_array_index(tmpl->sections, 0))->entries->len, 0);
}

static void
test_malformed_header_skips_its_lines(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl
      = load_text("[Privilege Rights]\nSeTcbPrivilege = Guest\n[Privilege Rights\n"
                  "SeDebugPrivilege = Guest\n[Version] trailing\nRevision=1\n[]\n"
                  "[Privilege Rights]\nSeImpersonatePrivilege = *S-1-5-6\n",
                  model, diags);

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(diags->len, 3);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 3, "malformed section header '[Privilege Rights'"));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 5, "malformed section header '[Version] trailing'"));
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 7, "malformed section header '[]'"));
  CU_ASSERT_PTR_NULL(gp_security_template_lookup(tmpl, "SeDebugPrivilege"));
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(tmpl, "SeTcbPrivilege"));
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(tmpl, "SeImpersonatePrivilege"));
  CU_ASSERT_EQUAL(tmpl->sections->len, 0);
}

static void
test_long_line_skipped(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GString) text = g_string_new("[Privilege Rights]\nSeTcbPrivilege = ");
  g_autoptr(GpSecurityTemplate) tmpl = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append(text, "*S-1-5-32-544,");
  g_string_append(text, "Guest\nSeDebugPrivilege = Guest\n");
  tmpl = load_text(text->str, model, diags);
  REQUIRE(tmpl != NULL);
  CU_ASSERT_PTR_NOT_NULL(find_diag(diags, 2, "line is longer than 65536 bytes; skipped"));
  CU_ASSERT_PTR_NULL(gp_security_template_lookup(tmpl, "SeTcbPrivilege"));
  CU_ASSERT_PTR_NOT_NULL(gp_security_template_lookup(tmpl, "SeDebugPrivilege"));
}

/* --------------------------------------------------------- other sections */

static void
test_other_sections_kept_as_written(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GpSecurityTemplate) tmpl = load_text(
      "[System Access]\nNewGuestName = \"Visitor\"\n[Service General Setting]\n"
      "\"Spooler\",4,\"\"\n\"MACHINE\\A=B\",0,\"D:PAR(A;;KA;;;BA)\"\n[Registry Values]\n"
      "MACHINE\\Lsa\\RestrictRemoteSAM=1,\"O:BAG:BAD:(A;;RC;;;BA)\"\n[Group Membership]\n"
      "*S-1-5-32-573__Memberof =\n",
      model, diags);
  const GpInfSection *service, *access, *registry, *groups;
  const GpInfEntry *entry;

  REQUIRE(tmpl != NULL);
  CU_ASSERT_EQUAL(diags->len, 0);
  CU_ASSERT_EQUAL(tmpl->rights->len, 0);
  REQUIRE(tmpl->sections->len == 4);
  access = find_section(tmpl, "System Access");
  service = find_section(tmpl, "Service General Setting");
  registry = find_section(tmpl, "registry values");
  groups = find_section(tmpl, "Group Membership");
  REQUIRE(access && service && registry && groups);
  REQUIRE(access->entries->len == 1 && registry->entries->len == 1 && groups->entries->len == 1);
  entry = g_ptr_array_index(access->entries, 0);
  GP_ASSERT_STR(entry->key, "NewGuestName");
  GP_ASSERT_STR(entry->value, "\"Visitor\"");
  CU_ASSERT_EQUAL(entry->line, 2);
  REQUIRE(service->entries->len == 2);
  entry = g_ptr_array_index(service->entries, 0);
  CU_ASSERT_PTR_NULL(entry->key);
  GP_ASSERT_STR(entry->value, "\"Spooler\",4,\"\"");
  CU_ASSERT_EQUAL(entry->line, 4);
  /* A quoted first field is not a key even with '=' inside it. */
  entry = g_ptr_array_index(service->entries, 1);
  CU_ASSERT_PTR_NULL(entry->key);
  entry = g_ptr_array_index(registry->entries, 0);
  GP_ASSERT_STR(entry->key, "MACHINE\\Lsa\\RestrictRemoteSAM");
  GP_ASSERT_STR(entry->value, "1,\"O:BAG:BAD:(A;;RC;;;BA)\"");
  entry = g_ptr_array_index(groups->entries, 0);
  GP_ASSERT_STR(entry->key, "*S-1-5-32-573__Memberof");
  GP_ASSERT_STR(entry->value, "");
}

/* ------------------------------------------------------------- broken input */

static const struct {
  const char *name;
  const char *data;
  gsize len;
  GpLoadError code;
  const char *message;
} broken_cases[] = {
  { "odd-length UTF-16", BYTES("\xff\xfe[\0P\0]"), GP_LOAD_ERROR_ENCODING,
    "bad.inf: invalid UTF-16LE at byte 6; save the file as UTF-16LE or UTF-8" },
  { "unpaired surrogate", BYTES("\xff\xfe[\0P\0]\0\n\0\0\xdc"), GP_LOAD_ERROR_ENCODING,
    "bad.inf: invalid UTF-16LE at byte 10; save the file as UTF-16LE or UTF-8" },
  { "NUL byte", BYTES("[Privilege Rights]\nSeTcbPrivilege = \0Guest\n"), GP_LOAD_ERROR_ENCODING,
    "bad.inf: NUL character at byte 36" },
  { "binary garbage", BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"), GP_LOAD_ERROR_ENCODING,
    "bad.inf: NUL character at byte 8" },
  { "empty file", BYTES(""), GP_LOAD_ERROR_SYNTAX,
    "bad.inf: not a security template (no [section] header found)" },
  { "BOM only", BYTES("\xff\xfe"), GP_LOAD_ERROR_SYNTAX,
    "bad.inf: not a security template (no [section] header found)" },
  { "no sections", BYTES("SeTcbPrivilege = Guest\nSeDebugPrivilege =\n"), GP_LOAD_ERROR_SYNTAX,
    "bad.inf: not a security template (no [section] header found)" },
  { "only a broken header", BYTES("[Privilege Rights\nSeTcbPrivilege = Guest\n"),
    GP_LOAD_ERROR_SYNTAX, "bad.inf: not a security template" },
  { "text garbage", BYTES("\x01\x02\x03 <html> \xff\xfe\n"), GP_LOAD_ERROR_SYNTAX,
    "bad.inf: not a security template" },
};

static void
test_broken_input_fails_cleanly(void)
{
  g_autoptr(GpModel) model = catalogue_new();

  for (gsize i = 0; i < G_N_ELEMENTS(broken_cases); i++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GpSecurityTemplate) tmpl = gp_inf_load_from_data(
        broken_cases[i].data, broken_cases[i].len, "bad.inf", model, diags, &error);

    if (error == NULL || !g_str_has_prefix(error->message, broken_cases[i].message))
      printf("\ncase '%s': %s\n", broken_cases[i].name, error ? error->message : "no error");
    CU_ASSERT_PTR_NULL(tmpl);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, broken_cases[i].code));
    CU_ASSERT_TRUE(error && g_str_has_prefix(error->message, broken_cases[i].message));
    /* A failed load adds no findings, even for lines it had warned about. */
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

/* Every prefix of a valid template (a file cut short anywhere) either loads or
 * fails with an error; nothing crashes, nothing comes back half-set. */
static void
test_truncated_files_never_crash(void)
{
  g_autoptr(GpModel) model = catalogue_new();
  gsize len = 0;
  g_autofree char *data
      = utf16_with_bom("[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\nSeTcbPrivilege =\r\n"
                       "SeImpersonatePrivilege = *S-1-5-32-544,Guest,*S-1-5-6\r\n"
                       "[Service General Setting]\r\n\"Spooler\",4,\"\"\r\n",
                       &len);

  for (gsize cut = 0; cut <= len; cut++) {
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GpSecurityTemplate) tmpl
        = gp_inf_load_from_data(data, cut, "cut.inf", model, diags, &error);

    CU_ASSERT((tmpl == NULL) != (error == NULL));
    if (cut >= 3 && cut % 2 == 1) /* half a code unit after the BOM */
      CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_ENCODING));
    if (cut == len)
      CU_ASSERT_TRUE(tmpl && tmpl->rights->len == 2 && diags->len == 0);
  }
}

static void
test_random_bytes_never_crash(void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(7);
  g_autoptr(GpModel) model = catalogue_new();
  static const char alphabet[] = "[]=,;*\r\n S-1-5Guest\"\t";

  for (guint round = 0; round < 2000; round++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GpSecurityTemplate) tmpl = NULL;
    char buf[64];
    gsize len = (gsize)g_rand_int_range(rand, 0, sizeof buf);

    /* Mostly INF punctuation, so that the parser gets past decoding. */
    for (gsize i = 0; i < len; i++)
      buf[i] = round % 4 == 0 ? (char)g_rand_int_range(rand, 0, 256)
                              : alphabet[g_rand_int_range(rand, 0, sizeof alphabet - 1)];
    tmpl = gp_inf_load_from_data(buf, len, "fuzz", model, diags, &error);
    CU_ASSERT((tmpl == NULL) != (error == NULL));
  }
}

static void
test_load_file_and_io_error(void)
{
  g_autofree char *path = gp_test_fixture("inf/utf16le-bom-crlf.inf");
  g_autofree char *missing = gp_test_fixture("inf/no-such-file.inf");
  g_autoptr(GpModel) model = catalogue_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GpSecurityTemplate) tmpl = gp_inf_load_file(path, model, diags, &error);
  g_autoptr(GpSecurityTemplate) none = NULL;
  g_autofree char *service = NULL;
  g_autofree char *expected_prefix = NULL;

  REQUIRE(tmpl != NULL);
  GP_ASSERT_STR(tmpl->file, path);
  service = holders_of(tmpl, "SeServiceLogonRight");
  GP_ASSERT_STR(service, "*S-1-5-80-0,CONTOSO\\svc-legacy");
  CU_ASSERT_EQUAL(holder_count(tmpl, "SeTcbPrivilege"), 0);
  CU_ASSERT_EQUAL(line_of(tmpl, "SeTcbPrivilege"), 8);
  CU_ASSERT_EQUAL(diags->len, 0);

  none = gp_inf_load_file(missing, model, diags, &error);
  CU_ASSERT_PTR_NULL(none);
  CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_IO));
  expected_prefix = g_strdup_printf("%s: cannot read: ", missing);
  CU_ASSERT_TRUE(error && g_str_has_prefix(error->message, expected_prefix));
}

/* ------------------------------------------------------------- real samples */

static const struct {
  const char *sample;
  guint n_rights;
  guint n_sections; /* besides [Privilege Rights] */
} sample_shapes[] = {
  { "gpttmpl_inf/microsoft-BaselineManagement_tests-samples_GptTmpl.inf", 23, 4 },
  { "gpttmpl_inf/samba-generalized-gpo-backup_GptTmpl.inf", 2, 10 },
  { "gpttmpl_inf/t0x01-WS2022-DomainController_GptTmpl.inf", 39, 5 },
  { "gpttmpl_inf/t0x01-WS2022-MemberServer_GptTmpl.inf", 36, 5 },
  { "gpttmpl_inf/troennes-BasicSecComputer_GptTmpl.inf", 21, 5 },
  { "secedit_export/AetherBreaker-POSSetupFiles_secpol.cfg", 33, 5 },
  { "secedit_export/Tsumihara-STIG_secpol.cfg", 33, 5 },
  { "samba/generalized-gpo-backup/policy/{1E1DC8EA-390C-4800-B327-98B56A0AEA5D}/Machine/"
    "Microsoft/Windows NT/SecEdit/GptTmpl.inf.SAMBABACKUP",
    2, 10 },
};

/* Every real template loads with the full catalogue and raises no warning. */
static void
test_samples_load_cleanly(void)
{
  g_autoptr(GpModel) model = full_catalogue_new();

  if (model == NULL)
    return;
  CU_ASSERT_EQUAL(gp_model_rights(model)->len, 45);
  for (gsize i = 0; i < G_N_ELEMENTS(sample_shapes); i++) {
    g_autofree char *path = gp_test_sample(sample_shapes[i].sample);
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GpSecurityTemplate) tmpl = NULL;

    if (path == NULL)
      return;
    tmpl = gp_inf_load_file(path, model, diags, &error);
    if (error)
      printf("\n%s\n", error->message);
    print_diags(diags);
    REQUIRE(tmpl != NULL);
    CU_ASSERT_EQUAL(tmpl->rights->len, sample_shapes[i].n_rights);
    CU_ASSERT_EQUAL(tmpl->sections->len, sample_shapes[i].n_sections);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

static const struct {
  const char *sample;
  const char *right;
  const char *holders; /* as holders_of() writes them; "" defined-empty, NULL absent */
} sample_facts[] = {
  { "gpttmpl_inf/t0x01-WS2022-DomainController_GptTmpl.inf", "SeImpersonatePrivilege",
    "*S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6" },
  { "gpttmpl_inf/t0x01-WS2022-DomainController_GptTmpl.inf", "SeSystemProfilePrivilege",
    "*S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420,*S-1-5-32-544" },
  { "gpttmpl_inf/t0x01-WS2022-DomainController_GptTmpl.inf", "SeTcbPrivilege", "" },
  { "gpttmpl_inf/t0x01-WS2022-MemberServer_GptTmpl.inf", "SeImpersonatePrivilege",
    "*S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6" },
  { "gpttmpl_inf/t0x01-WS2022-MemberServer_GptTmpl.inf", "SeEnableDelegationPrivilege", "" },
  { "gpttmpl_inf/microsoft-BaselineManagement_tests-samples_GptTmpl.inf", "SeImpersonatePrivilege",
    "*S-1-5-20,*S-1-5-19,*S-1-5-6,*S-1-5-32-544" },
  { "gpttmpl_inf/microsoft-BaselineManagement_tests-samples_GptTmpl.inf", "SeDenyNetworkLogonRight",
    "*S-1-5-114" },
  { "gpttmpl_inf/troennes-BasicSecComputer_GptTmpl.inf", "SeTcbPrivilege", "" },
  { "gpttmpl_inf/troennes-BasicSecComputer_GptTmpl.inf", "SeImpersonatePrivilege",
    "*S-1-5-32-544,*S-1-5-6,*S-1-5-19,*S-1-5-20" },
  { "gpttmpl_inf/troennes-BasicSecComputer_GptTmpl.inf", "SeSystemtimePrivilege", NULL },
  { "secedit_export/AetherBreaker-POSSetupFiles_secpol.cfg", "SeImpersonatePrivilege",
    "*S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-32-568,*S-1-5-6" },
  { "secedit_export/AetherBreaker-POSSetupFiles_secpol.cfg", "SeLockMemoryPrivilege", "Jacob" },
  { "secedit_export/AetherBreaker-POSSetupFiles_secpol.cfg", "SeDenyInteractiveLogonRight",
    "Guest" },
  { "secedit_export/AetherBreaker-POSSetupFiles_secpol.cfg", "SeTcbPrivilege", NULL },
  { "secedit_export/Tsumihara-STIG_secpol.cfg", "SeInteractiveLogonRight",
    "__vmware__,Guest,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551" },
  { "gpttmpl_inf/samba-generalized-gpo-backup_GptTmpl.inf", "SeTcbPrivilege",
    "*S-1-5-21-3075996733-1131693954-1131023892-501,Guest,Foobar,*S-1-5-32-544" },
};

static void
test_sample_facts(void)
{
  g_autoptr(GpModel) model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(sample_facts); i++) {
    g_autofree char *path = gp_test_sample(sample_facts[i].sample);
    g_autoptr(GError) error = NULL;
    g_autoptr(GpSecurityTemplate) tmpl = NULL;
    g_autofree char *holders = NULL;

    if (path == NULL)
      return;
    tmpl = gp_inf_load_file(path, model, NULL, &error);
    REQUIRE(tmpl != NULL);
    holders = holders_of(tmpl, sample_facts[i].right);
    if (g_strcmp0(holders, sample_facts[i].holders) != 0)
      printf("\n%s %s:", sample_facts[i].sample, sample_facts[i].right);
    GP_ASSERT_STR(holders, sample_facts[i].holders);
  }
}

static void
test_sample_samba_mixed_principals(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autofree char *path = gp_test_sample("gpttmpl_inf/samba-generalized-gpo-backup_GptTmpl.inf");
  g_autoptr(GpSecurityTemplate) tmpl = NULL;
  const GpRightAssignment *tcb;
  static const struct {
    const char *sid;
    const char *name;
  } expected[] = {
    { "S-1-5-21-3075996733-1131693954-1131023892-501", NULL },
    { NULL, "Guest" },
    { NULL, "Foobar" },
    { "S-1-5-32-544", NULL },
  };

  if (path == NULL)
    return;
  tmpl = gp_inf_load_file(path, model, NULL, NULL);
  REQUIRE(tmpl != NULL);
  tcb = gp_security_template_lookup(tmpl, "SeTcbPrivilege");
  REQUIRE(tcb != NULL && tcb->holders->len == G_N_ELEMENTS(expected));
  CU_ASSERT_EQUAL(tcb->line, 21);
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
    const GpPrincipal *holder = g_ptr_array_index(tcb->holders, i);

    GP_ASSERT_STR(holder->sid, expected[i].sid);
    GP_ASSERT_STR(holder->name, expected[i].name);
  }
}

static void
test_sample_other_sections(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autofree char *path = gp_test_sample("gpttmpl_inf/t0x01-WS2022-DomainController_GptTmpl.inf");
  g_autoptr(GpSecurityTemplate) tmpl = NULL;
  const GpInfSection *service, *access;
  const GpInfEntry *entry;

  if (path == NULL)
    return;
  tmpl = gp_inf_load_file(path, model, NULL, NULL);
  REQUIRE(tmpl != NULL);
  service = find_section(tmpl, "Service General Setting");
  access = find_section(tmpl, "System Access");
  REQUIRE(service != NULL && access != NULL);
  CU_ASSERT_EQUAL(service->line, 10);
  REQUIRE(service->entries->len == 2);
  entry = g_ptr_array_index(service->entries, 0);
  CU_ASSERT_PTR_NULL(entry->key);
  GP_ASSERT_STR(entry->value, "\"Spooler\",4,\"\"");
  CU_ASSERT_EQUAL(entry->line, 11);
  REQUIRE(access->entries->len == 3);
  entry = g_ptr_array_index(access->entries, 2);
  GP_ASSERT_STR(entry->key, "EnableGuestAccount");
  GP_ASSERT_STR(entry->value, "0");
}

/* ------------------------------------------------------------------ GPT.INI */

static const struct {
  const char *name;
  const char *data;
  gsize len;
  guint32 version;
} gptini_good_cases[] = {
  { "plain", BYTES("[General]\r\nVersion=6\r\n"), 6 },
  { "samba spacing", BYTES("[General]\nVersion = 1179715\ndisplayName = New Group Policy Object\n"),
    1179715 },
  { "any case, other sections", BYTES("[Other]\nVersion=1\n[GENERAL]\n  version\t=\t65537  \n"),
    65537 },
  { "Shift-JIS displayName",
    BYTES("[General]\nVersion=6\ndisplayName=\x90\x56\x82\xb5\x82\xa2\x83\x4f\n"), 6 },
  { "Shift-JIS first", BYTES("[General]\ndisplayName=\x82\xa0\x00\xff\nVersion=0\n"), 0 },
  { "largest", BYTES("[General]\nVersion=4294967295"), G_MAXUINT32 },
  { "UTF-16 BOM",
    BYTES("\xff\xfe[\0G\0e\0n\0e\0r\0a\0l\0]\0\n\0V\0e\0r\0s\0i\0o\0n\0=\0"
          "9\0"),
    9 },
  { "UTF-8 BOM", BYTES("\xef\xbb\xbf[General]\nVersion=12\n"), 12 },
};

static void
test_gptini_variants(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(gptini_good_cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    guint32 version = 12345;
    gboolean ok = gp_gptini_load_from_data(gptini_good_cases[i].data, gptini_good_cases[i].len,
                                           "GPT.INI", &version, diags, &error);

    if (!ok)
      printf("\ncase '%s': %s\n", gptini_good_cases[i].name, error ? error->message : "?");
    CU_ASSERT_TRUE(ok);
    CU_ASSERT_EQUAL(version, gptini_good_cases[i].version);
    CU_ASSERT_EQUAL(diags->len, 0);
  }
}

static const struct {
  const char *name;
  const char *data;
  gsize len;
  GpLoadError code;
  const char *message;
} gptini_bad_cases[] = {
  { "missing [General]", BYTES("[Other]\nVersion=6\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI: no [General] section; GPT.INI is corrupt without it (MS-GPOL 2.2.4)" },
  { "empty", BYTES(""), GP_LOAD_ERROR_SYNTAX, "GPT.INI: no [General] section" },
  { "missing Version", BYTES("[General]\ndisplayName=x\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI: no Version in [General]; GPT.INI is corrupt without it (MS-GPOL 2.2.4)" },
  { "Version outside [General]", BYTES("Version=3\n[General]\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI: no Version in [General]" },
  { "not a number", BYTES("[General]\nVersion=abc\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI:2: Version 'abc' in [General] is not a number from 0 to 4294967295" },
  { "too large", BYTES("[General]\n\nVersion=4294967296\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI:3: Version '4294967296' in [General]" },
  { "negative", BYTES("[General]\nVersion=-1\n"), GP_LOAD_ERROR_SYNTAX, "GPT.INI:2: Version '-1'" },
  { "empty value", BYTES("[General]\nVersion=\n"), GP_LOAD_ERROR_SYNTAX, "GPT.INI:2: Version ''" },
  { "NUL inside", BYTES("[General]\nVersion=1\0002\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI:2: Version '1\xef\xbf\xbd"
    "2'" },
  { "8-bit value", BYTES("[General]\nVersion=\x93\xf1\n"), GP_LOAD_ERROR_SYNTAX,
    "GPT.INI:2: Version '\xef\xbf\xbd\xef\xbf\xbd'" },
  { "broken UTF-16", BYTES("\xff\xfe[\0G"), GP_LOAD_ERROR_ENCODING,
    "GPT.INI: invalid UTF-16LE at byte 4" },
};

static void
test_gptini_errors(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(gptini_bad_cases); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) diags = gp_diag_list_new();
    guint32 version = 12345;
    gboolean ok = gp_gptini_load_from_data(gptini_bad_cases[i].data, gptini_bad_cases[i].len,
                                           "GPT.INI", &version, diags, &error);

    if (error == NULL || !g_str_has_prefix(error->message, gptini_bad_cases[i].message))
      printf("\ncase '%s': %s\n", gptini_bad_cases[i].name, error ? error->message : "no error");
    CU_ASSERT_FALSE(ok);
    CU_ASSERT_EQUAL(version, 12345); /* untouched on failure */
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, gptini_bad_cases[i].code));
    CU_ASSERT_TRUE(error && g_str_has_prefix(error->message, gptini_bad_cases[i].message));
  }
}

static void
test_gptini_duplicate_version_warns(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  guint32 version = 0;
  const char *data = "[General]\nVersion=4\nVersion=junk\n";

  CU_ASSERT_TRUE(gp_gptini_load_from_data(data, strlen(data), "GPT.INI", &version, diags, NULL));
  CU_ASSERT_EQUAL(version, 4);
  CU_ASSERT_PTR_NOT_NULL(
      find_diag(diags, 3, "Version is given twice in [General], at lines 2 and 3"));
}

static const struct {
  const char *sample;
  guint32 version;
} gptini_samples[] = {
  { "sssd/GPT.INI", 6 },
  { "samba/generalized-gpo-backup/policy/{1E1DC8EA-390C-4800-B327-98B56A0AEA5D}/"
    "GPT.INI.SAMBABACKUP",
    1179715 },
};

static void
test_gptini_samples(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(gptini_samples); i++) {
    g_autofree char *path = gp_test_sample(gptini_samples[i].sample);
    g_autofree char *data = NULL;
    g_autoptr(GError) error = NULL;
    guint32 version = 0;
    gsize len = 0;

    if (path == NULL)
      return;
    data = gp_test_read(path, &len);
    REQUIRE(data != NULL);
    CU_ASSERT_TRUE(gp_gptini_load_from_data(data, len, path, &version, NULL, &error));
    CU_ASSERT_PTR_NULL(error);
    CU_ASSERT_EQUAL(version, gptini_samples[i].version);
  }
}

static const GpTestCase cases[] = {
  GP_TEST(test_utf16_bom_crlf),
  GP_TEST(test_utf8_with_and_without_bom),
  GP_TEST(test_mixed_line_endings),
  GP_TEST(test_case_insensitive_names),
  GP_TEST(test_sections_in_any_order),
  GP_TEST(test_defined_empty_versus_absent),
  GP_TEST(test_sids_and_names_mixed),
  GP_TEST(test_bare_name_has_no_sid),
  GP_TEST(test_unknown_right_warns_with_line),
  GP_TEST(test_empty_catalogue_keeps_every_right),
  GP_TEST(test_malformed_sid_warns),
  GP_TEST(test_duplicate_right_warns_later_wins),
  GP_TEST(test_empty_holder_entries_warn),
  GP_TEST(test_stray_lines_warn_and_are_skipped),
  GP_TEST(test_comments_and_blank_lines_ignored),
  GP_TEST(test_malformed_header_skips_its_lines),
  GP_TEST(test_long_line_skipped),
  GP_TEST(test_other_sections_kept_as_written),
  GP_TEST(test_broken_input_fails_cleanly),
  GP_TEST(test_truncated_files_never_crash),
  GP_TEST(test_random_bytes_never_crash),
  GP_TEST(test_load_file_and_io_error),
  GP_TEST(test_samples_load_cleanly),
  GP_TEST(test_sample_facts),
  GP_TEST(test_sample_samba_mixed_principals),
  GP_TEST(test_sample_other_sections),
  GP_TEST(test_gptini_variants),
  GP_TEST(test_gptini_errors),
  GP_TEST(test_gptini_duplicate_version_warns),
  GP_TEST(test_gptini_samples),
};

GP_TEST_MAIN("inf", cases)
