/* test_fidelity.c - the modeling knobs and the forest, on models built in memory.
 *
 * Covers what makes a simulation faithful beyond plain precedence: security
 * filtering (D4) and WMI filters (D5) inside the engine, the site from --ip
 * through subnets, --ou, cross-domain links and same-GUID GPOs in a forest,
 * stand-alone computers, persistence (tattooing, precedence-rules.md section 3
 * item 5) and the computer's token.  Each area is a table of rows; every row is
 * its own CTest test (test_<area>_<id>), and test_rows_all_wired checks that no
 * row is left without one.
 *
 * Fixture: forest contoso.com (domain SID S-1-5-21-1-2-3) with the child domain
 * emea.contoso.com (S-1-5-21-4-5-6); sites HQ and Branch; OUs Servers and Other
 * in contoso.com, EmeaSrv in emea.  Computers: SRV1 (CN=SRV1,OU=Servers, member
 * server, SID ...-1105, no primaryGroupID), SRV3 (OU=EmeaSrv in emea, member
 * server) and DC1 (OU=Domain Controllers, a domain controller).  No domain SID is
 * known unless a row says so, so the primary group must come from the computer's
 * own SID.  Every GPO is in the directory, flags 0, gPCFunctionalityVersion 2,
 * computer version 3 (GPC and GPT.INI), Security CSE registered, SYSVOL read, the
 * default DACL (Authenticated Users: Read, Apply Group Policy), display name =
 * its name as written in the links.
 *
 * Links DSL: "SOM:LINK,LINK SOM:LINK", SOM keys HQ Branch contoso Servers Other
 * emea EmeaSrv, links in link order (L1 first).  LINK is NAME[@emea][[E]|(N)]=VALUE:
 * NAME has at most 6 characters and gives the GUID ("DDP" is the Default Domain
 * Policy's {31B2F340-...}); @emea stores the GPO in the child domain, else it is
 * in contoso.com; [E] enforced, (N) options N.  VALUE is the GptTmpl.inf: "n/d"
 * (no right), "?" (no such GPO in the model: dangling link) or items joined by
 * '+', each [RIGHT:]SET, RIGHT defaulting to SeImpersonatePrivilege and SET one
 * of DEF ADM ADMSVC APP NONE.
 *
 * Renderings: a precedence list is "X1[E] D1(SECURITY_FILTER_DENIED) Local | C1(LINK_DISABLED)";
 * a winner is the GPO's name, or gp_source_to_string() plus " (nowhere)" when no
 * layer defines the right; holders are SIDs joined by ','.
 */
#include <stdio.h>
#include <string.h>

#include "gp-engine.h"
#include "gp-names.h"
#include "gp-test.h"

/* ------------------------------------------------------------- constants */

#define DOM        "S-1-5-21-1-2-3"
#define EMEA_SID   "S-1-5-21-4-5-6"
#define CONTOSO_DN "DC=contoso,DC=com"
#define EMEA_DN    "DC=emea," CONTOSO_DN
#define SITES_DN   "CN=Sites,CN=Configuration," CONTOSO_DN
#define GROUPS_DN  "OU=Groups," CONTOSO_DN
#define SRV1_DN    "CN=SRV1,OU=Servers," CONTOSO_DN
#define SRV3_DN    "CN=SRV3,OU=EmeaSrv," EMEA_DN
#define DC1_DN     "CN=DC1,OU=Domain Controllers," CONTOSO_DN
#define DDP_GUID   "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define NAME_GUID  "{6770736D-0000-4000-8000-" /* + 12 hex digits: the name's bytes */

#define IMPERSONATE "SeImpersonatePrivilege"
#define TCB         "SeTcbPrivilege"
#define DEBUG_RIGHT "SeDebugPrivilege"
#define SHUTDOWN    "SeShutdownPrivilege"

#define H_DEF    "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6"
#define H_ADM    "S-1-5-32-544"
#define H_ADMSVC "S-1-5-32-544,S-1-5-6"
#define H_APP    H_DEF "," DOM "-1500"

#define SHUT_DC     "S-1-5-32-544,S-1-5-32-551,S-1-5-32-549,S-1-5-32-550"
#define SHUT_MEMBER "S-1-5-32-544,S-1-5-32-551"
#define SHUT_CLIENT SHUT_MEMBER ",S-1-5-32-545"
/* Made up (the real column equals the member server's) so that the column used shows. */
#define SHUT_STANDALONE SHUT_MEMBER ",S-1-5-32-546"

#define AU        "S-1-5-11"
#define APPLY     GP_APPLY_GROUP_POLICY_GUID
#define READ_MASK 0x00020094u /* RP LC LO RC */
#define RP        GP_ACCESS_READ_PROPERTY
#define CR        GP_ACCESS_CONTROL_ACCESS

static const struct {
  const char *name;
  const char *holders;
} holder_sets[] = {
  { "DEF", H_DEF }, { "ADM", H_ADM }, { "ADMSVC", H_ADMSVC }, { "APP", H_APP }, { "NONE", "" },
};

/* The catalogue; defaults per GpRole column, NULL = "Not defined". */
static const struct {
  const char *constant;
  const char *display_name;
  const char *defaults[GP_ROLE_COUNT];
} catalogue[] = {
  { TCB, "Act as part of the operating system", { NULL, NULL, NULL, NULL } },
  { DEBUG_RIGHT, "Debug programs", { H_ADM, H_ADM, H_ADM, H_ADM } },
  { IMPERSONATE, "Impersonate a client after authentication", { H_DEF, H_DEF, H_DEF, H_DEF } },
  { SHUTDOWN, "Shut down the system", { SHUT_DC, SHUT_MEMBER, SHUT_CLIENT, SHUT_STANDALONE } },
};

static const struct {
  const char *key;
  const char *dn;
  GpSomKind kind;
  const char *name;
} som_defs[] = {
  { "HQ", "CN=HQ," SITES_DN, GP_SOM_SITE, "HQ" },
  { "Branch", "CN=Branch," SITES_DN, GP_SOM_SITE, "Branch" },
  { "contoso", CONTOSO_DN, GP_SOM_DOMAIN, "contoso.com" },
  { "Servers", "OU=Servers," CONTOSO_DN, GP_SOM_OU, "Servers" },
  { "Other", "OU=Other," CONTOSO_DN, GP_SOM_OU, "Other" },
  { "emea", EMEA_DN, GP_SOM_DOMAIN, "emea.contoso.com" },
  { "EmeaSrv", "OU=EmeaSrv," EMEA_DN, GP_SOM_OU, "EmeaSrv" },
};

static const struct {
  const char *key;
  const char *dn;
  const char *sid;
  const char *os;
  guint32 uac;
  guint32 pgid;
} computer_defs[] = {
  { "SRV1", SRV1_DN, DOM "-1105", "Windows Server 2022 Standard", 0x1000u, 0 },
  { "SRV3", SRV3_DN, EMEA_SID "-1105", "Windows Server 2022 Standard", 0x1000u, 515 },
  { "DC1", DC1_DN, DOM "-1000", "Windows Server 2022 Datacenter", 0x82000u, 516 },
};

/* ------------------------------------------------------------ fixture */

static const char *
holder_set(const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS(holder_sets); i++)
    if (strcmp(holder_sets[i].name, name) == 0)
      return holder_sets[i].holders;
  return NULL;
}

static GPtrArray *
principals_from(const char *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)gp_principal_free);
  g_auto(GStrv) parts = g_strsplit(list, ",", -1);

  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      g_ptr_array_add(out, gp_principal_new(parts[i], NULL));
  return out;
}

/* A VALUE of the DSL as a security template. */
static GpSecurityTemplate *
template_from(const char *value)
{
  GpSecurityTemplate *tmpl = gp_security_template_new("GptTmpl.inf");
  g_auto(GStrv) items = NULL;

  if (strcmp(value, "n/d") == 0)
    return tmpl;
  items = g_strsplit(value, "+", -1);
  for (guint i = 0; items[i]; i++) {
    const char *colon = strchr(items[i], ':');
    g_autofree char *right
        = colon ? g_strndup(items[i], (gsize)(colon - items[i])) : g_strdup(IMPERSONATE);
    const char *holders = holder_set(colon ? colon + 1 : items[i]);
    GpRightAssignment *assignment = gp_right_assignment_new(right, "GptTmpl.inf", i + 1);

    if (!holders) {
      g_autofree char *message = g_strdup_printf("unknown holder set in '%s'", value);
      CU_FAIL(message);
      holders = "";
    }
    g_ptr_array_extend_and_steal(assignment->holders, principals_from(holders));
    gp_security_template_add(tmpl, assignment);
  }
  return tmpl;
}

/* "X1" -> "{6770736D-0000-4000-8000-583100000000}"; "DDP" -> the Default Domain Policy. */
static char *
name_guid(const char *name)
{
  GString *guid = g_string_new(NAME_GUID);
  gsize len = strlen(name);

  if (strcmp(name, "DDP") == 0) {
    g_string_free(guid, TRUE);
    return g_strdup(DDP_GUID);
  }
  CU_ASSERT_FATAL(len <= 6);
  for (gsize i = 0; i < 6; i++)
    g_string_append_printf(guid, "%02X", i < len ? (guint)(guchar)name[i] : 0u);
  g_string_append_c(guid, '}');
  return g_string_free(guid, FALSE);
}

/* The inverse of name_guid(), for links whose GPO is not in the model. */
static char *
guid_name(const char *guid)
{
  GString *name;

  if (!g_str_has_prefix(guid, NAME_GUID))
    return g_strdup(guid);
  name = g_string_new(NULL);
  for (const char *hex = guid + strlen(NAME_GUID); g_ascii_isxdigit(hex[0]); hex += 2) {
    char byte[3] = { hex[0], hex[1], 0 };
    guint64 value = g_ascii_strtoull(byte, NULL, 16);
    if (value)
      g_string_append_c(name, (char)value);
  }
  return g_string_free(name, FALSE);
}

static char *
gpo_dn(const char *name, const char *domain_dn)
{
  g_autofree char *guid = name_guid(name);

  return g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", guid, domain_dn);
}

/* The DACL GPMC gives a new GPO, as far as computers are concerned. */
static GpSecurityDescriptor *
default_sd(void)
{
  GpSecurityDescriptor *sd = gp_security_descriptor_new();

  g_ptr_array_add(sd->dacl, gp_ace_new(GP_ACE_ALLOW, 0, READ_MASK, NULL, AU));
  g_ptr_array_add(sd->dacl, gp_ace_new(GP_ACE_ALLOW, 0, CR, APPLY, AU));
  return sd;
}

static void
fixture_gpo(GpModel *model, const char *dn, const char *label, const char *value)
{
  GpGpo *gpo;

  if (strcmp(value, "?") == 0 || gp_model_find_gpo_dn(model, dn))
    return;
  gpo = gp_model_ensure_gpo_dn(model, dn);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  gpo->display_name = g_strdup(label);
  gpo->in_directory = TRUE;
  gpo->version_number = 3;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->machine_extension_names
      = g_strdup("[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]");
  gpo->sysvol = GP_SYSVOL_READ;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = 3;
  gpo->machine_template = template_from(value);
  gpo->security_descriptor = default_sd();
}

static GpSom *
fixture_som(GpModel *model, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS(som_defs); i++) {
    if (strcmp(som_defs[i].key, key) == 0) {
      GpSom *som = gp_model_ensure_som(model, som_defs[i].dn, som_defs[i].kind);
      if (!som->name)
        som->name = g_strdup(som_defs[i].name);
      return som;
    }
  }
  {
    g_autofree char *message = g_strdup_printf("unknown SOM key '%s'", key);
    CU_FAIL_FATAL(message);
  }
  return NULL;
}

/* "SOM:LINK,LINK": sets the SOM's gPLink (L1 written last) and creates the GPOs. */
static void
fixture_links(GpModel *model, const char *group)
{
  const char *colon = strchr(group, ':');
  g_autofree char *key = NULL;
  g_auto(GStrv) links = NULL;
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  GString *raw = g_string_new(NULL);
  GpSom *som;

  CU_ASSERT_PTR_NOT_NULL_FATAL(colon);
  key = g_strndup(group, (gsize)(colon - group));
  links = g_strsplit(colon + 1, ",", -1);
  som = fixture_som(model, key);
  for (guint i = 0; links[i]; i++) {
    const char *equals = strchr(links[i], '=');
    g_autofree char *label = NULL;
    g_autofree char *dn = NULL;
    char *mark;
    char *at;
    guint options = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(equals);
    label = g_strndup(links[i], (gsize)(equals - links[i]));
    mark = strpbrk(label, "[(");
    if (mark && *mark == '[')
      options = GP_LINK_ENFORCED;
    else if (mark)
      options = (guint)g_ascii_strtoull(mark + 1, NULL, 10);
    if (mark)
      *mark = '\0';
    at = strchr(label, '@');
    if (at && strcmp(at, "@emea") != 0)
      CU_FAIL_FATAL("unknown domain key in a link");
    {
      g_autofree char *name = at ? g_strndup(label, (gsize)(at - label)) : g_strdup(label);
      dn = gpo_dn(name, at ? EMEA_DN : CONTOSO_DN);
    }
    fixture_gpo(model, dn, label, equals + 1);
    {
      g_autofree char *entry = g_strdup_printf("[LDAP://%s;%u]", dn, options);
      g_string_prepend(raw, entry); /* link order 1 is written last */
    }
  }
  gp_som_set_gplink(som, raw->str, diags, NULL, 0);
  CU_ASSERT_EQUAL(diags->len, 0);
  g_string_free(raw, TRUE);
}

static GpComputer *
fixture_computer(GpModel *model, const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS(computer_defs); i++)
    if (strcmp(computer_defs[i].key, key) == 0)
      return gp_model_ensure_computer(model, computer_defs[i].dn);
  CU_FAIL_FATAL("unknown computer key");
  return NULL;
}

/* The fixture described at the top, with @links (nullable). */
static GpModel *
fixture_new(const char *links)
{
  GpModel *model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(catalogue); i++) {
    GpRightInfo *info = gp_right_info_new(catalogue[i].constant, catalogue[i].display_name);
    for (int role = 0; role < GP_ROLE_COUNT; role++)
      if (catalogue[i].defaults[role])
        info->defaults[role] = principals_from(catalogue[i].defaults[role]);
    gp_model_add_right_info(model, info);
  }
  gp_model_ensure_domain(model, CONTOSO_DN);
  gp_model_ensure_domain(model, EMEA_DN);
  for (gsize i = 0; i < G_N_ELEMENTS(som_defs); i++)
    fixture_som(model, som_defs[i].key);
  for (gsize i = 0; i < G_N_ELEMENTS(computer_defs); i++) {
    GpComputer *computer = gp_model_ensure_computer(model, computer_defs[i].dn);
    computer->sid = g_strdup(computer_defs[i].sid);
    computer->operating_system = g_strdup(computer_defs[i].os);
    computer->has_user_account_control = TRUE;
    computer->user_account_control = computer_defs[i].uac;
    computer->primary_group_id = computer_defs[i].pgid;
  }
  if (links) {
    g_auto(GStrv) groups = g_strsplit(links, " ", -1);
    for (guint i = 0; groups[i]; i++)
      if (*groups[i])
        fixture_links(model, groups[i]);
  }
  return model;
}

static GpGpo *
fixture_find_gpo(GpModel *model, const char *name)
{
  g_autofree char *dn = gpo_dn(name, CONTOSO_DN);
  GpGpo *gpo = (GpGpo *)gp_model_find_gpo_dn(model, dn);

  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  return gpo;
}

/* -------------------------------------------------------------- rendering */

static char *
entry_label(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return g_strdup("Local");
  if (entry->gpo && entry->gpo->display_name)
    return g_strdup(entry->gpo->display_name);
  return entry->link->gpo_guid ? guid_name(entry->link->gpo_guid) : g_strdup(entry->link->gpo_dn);
}

static char *
render_entries(const GpResult *result)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    g_autofree char *label = entry_label(entry);

    if (out->len)
      g_string_append_c(out, ' ');
    g_string_append(out, label);
    if (entry->is_local) {
      if (i + 1 < result->entries->len)
        g_string_append(out, " |");
      continue;
    }
    if (entry->enforced)
      g_string_append(out, "[E]");
    if (entry->reason != GP_REASON_NONE)
      g_string_append_printf(out, "(%s)", gp_reason_to_string(entry->reason));
  }
  return g_string_free(out, FALSE);
}

static char *
render_soms(const GpResult *result)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < result->soms->len; i++) {
    const GpSom *som = g_ptr_array_index(result->soms, i);
    if (i)
      g_string_append_c(out, ' ');
    g_string_append(out, som->name);
  }
  return g_string_free(out, FALSE);
}

static char *
render_holders(const GPtrArray *holders)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; holders && i < holders->len; i++) {
    const GpPrincipal *holder = g_ptr_array_index(holders, i);
    if (i)
      g_string_append_c(out, ',');
    g_string_append(out, holder->sid ? holder->sid : holder->name);
  }
  return g_string_free(out, FALSE);
}

static char *
render_winner(const GpRightResult *right)
{
  if (right->source == GP_SOURCE_GPO)
    return right->winner ? entry_label(right->winner) : g_strdup("(gpo without winner)");
  return g_strdup_printf("%s%s", gp_source_to_string(right->source),
                         right->defined_nowhere ? " (nowhere)" : "");
}

/* char* strings joined by @separator; "" for none. */
static char *
render_strings(const GPtrArray *strings, const char *separator)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; strings && i < strings->len; i++) {
    if (i)
      g_string_append(out, separator);
    g_string_append(out, g_ptr_array_index(strings, i));
  }
  return g_string_free(out, FALSE);
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The words of @text (blank separated) sorted and joined by one blank. */
static char *
sorted_words(const char *text)
{
  g_auto(GStrv) words = g_strsplit(text, " ", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new();

  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_ptr_array_add(kept, words[i]);
  g_ptr_array_sort(kept, compare_strings);
  return render_strings(kept, " ");
}

static const GpGpoEntry *
find_entry(const GpResult *result, const char *label)
{
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    g_autofree char *name = entry_label(entry);
    if (strcmp(name, label) == 0)
      return entry;
  }
  return NULL;
}

/* ------------------------------------------------------------- evaluation */

/* What must hold for any result. */
static void
check_invariants(const GpResult *result)
{
  guint n_local = 0;

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);

    CU_ASSERT_EQUAL(entry->precedence, i + 1);
    CU_ASSERT_EQUAL(entry->applied, entry->reason == GP_REASON_NONE);
    if (entry->is_local) {
      n_local++;
      continue;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(entry->link);
    /* a link names its GPO by DN: never another domain's GPO with the same GUID */
    if (entry->gpo) {
      g_autofree char *got = gp_dn_normalize(entry->gpo->dn);
      g_autofree char *want = gp_dn_normalize(entry->link->gpo_dn);
      GP_ASSERT_STR(got, want);
    }
    if (entry->reason == GP_REASON_GPO_NOT_FOUND)
      CU_ASSERT_PTR_NULL(entry->gpo);
    if (entry->applied)
      CU_ASSERT_PTR_NOT_NULL(entry->gpo);
  }
  CU_ASSERT_EQUAL(n_local, 1);
  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *right = g_ptr_array_index(result->rights, i);
    CU_ASSERT_EQUAL(right->source == GP_SOURCE_GPO, right->winner != NULL);
    if (right->runner_up)
      CU_ASSERT_TRUE(right->runner_up->applied && right->runner_up != right->winner);
  }
}

static GpResult *
evaluate(const GpModel *model, const GpComputer *computer, const GpEngineOptions *options)
{
  g_autoptr(GError) error = NULL;
  GpResult *result = gp_engine_evaluate(model, computer, options, &error);

  if (error)
    printf("\nevaluate: %s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  check_invariants(result);
  return result;
}

static const GpRightResult *
find_right(const GpResult *result, const char *name)
{
  const GpRightResult *right = gp_result_find_right(result, name);

  if (!right)
    printf("\nno result for right %s\n", name);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  return right;
}

/* Checks the list, the winner and the holders of @right in one go. */
static void
assert_outcome(const GpResult *result, const char *right_name, const char *list, const char *winner,
               const char *holders)
{
  const GpRightResult *right = find_right(result, right_name);
  g_autofree char *got_list = render_entries(result);
  g_autofree char *got_winner = render_winner(right);

  GP_ASSERT_STR(got_list, list);
  GP_ASSERT_STR(got_winner, winner);
  if (holders) {
    g_autofree char *got_holders = render_holders(right->holders);
    GP_ASSERT_STR(got_holders, holders);
  }
}

/* ====================================================== 1. security filtering */

#define G_APPLY_DN  "CN=GPO-Apply," GROUPS_DN
#define G_APPLY     DOM "-3001"
#define G_INNER_DN  "CN=Apply-Inner," GROUPS_DN
#define G_INNER     DOM "-3002"
#define SRV1_DN_ODD "cn=srv1, ou=SERVERS, dc=Contoso, dc=com" /* as a member list may spell it */
#define MAX_ACES    4

typedef struct {
  GpAceType type;
  guint32 mask;
  const char *object_type;
  const char *sid;
} TestAce;

#define ALLOW_READ(sid)                                                                            \
  {                                                                                                \
    GP_ACE_ALLOW, READ_MASK, NULL, sid                                                             \
  }
#define DENY_READ(sid)                                                                             \
  {                                                                                                \
    GP_ACE_DENY, RP, NULL, sid                                                                     \
  }
#define ALLOW_APPLY(sid)                                                                           \
  {                                                                                                \
    GP_ACE_ALLOW, CR, APPLY, sid                                                                   \
  }
#define DENY_APPLY(sid)                                                                            \
  {                                                                                                \
    GP_ACE_DENY, CR, APPLY, sid                                                                    \
  }

typedef enum {
  SD_ACES,      /* a descriptor with the row's ACEs (none: an empty DACL) */
  SD_NONE,      /* no nTSecurityDescriptor in the data */
  SD_NULL_DACL, /* a descriptor without a DACL */
} SdKind;

/* Links "Servers:X1=ADM contoso:D1=ADMSVC"; X1 gets the row's descriptor, D1 keeps
 * the default one.  @membership says how SRV1 is in GPO-Apply (-3001): "" not at
 * all, "memberOf" (its memberOf names it), "nested" (memberOf names Apply-Inner,
 * whose memberOf names GPO-Apply), "members" (GPO-Apply's member list names SRV1,
 * spelled in another case), "members-nested" (GPO-Apply lists Apply-Inner, which
 * lists SRV1), "extra" (GpEngineOptions.extra_groups). */
typedef struct {
  const char *id;
  SdKind sd;
  TestAce aces[MAX_ACES];
  const char *membership;
  /* expected */
  const char *list;
  const char *winner;
  const char *detail;      /* X1's detail, NULL for none */
  const char *assumptions; /* X1's assumptions joined by "; " */
} SecRow;

#define NO_SD_ASSUMPTION "no nTSecurityDescriptor in the data: assumed readable and applicable"
#define NO_APPLY         "no Apply Group Policy right: "
#define NO_READ          "the computer cannot read the GPO: "

static const SecRow sec_rows[] = {
  { .id = "default_dacl",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(AU) },
    .membership = "",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "apply_group_not_member",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(G_APPLY) },
    .membership = "",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_APPLY "no ACE grants Apply Group Policy to the computer's token",
    .assumptions = "" },
  { .id = "apply_group_member_of",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(G_APPLY) },
    .membership = "memberOf",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "apply_group_nested",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(G_APPLY) },
    .membership = "nested",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "apply_group_members",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(G_APPLY) },
    .membership = "members",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "apply_group_members_nested",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(G_APPLY) },
    .membership = "members-nested",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "apply_group_extra_groups",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(G_APPLY) },
    .membership = "extra",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "apply_computer_account",
    .aces = { ALLOW_READ(AU), ALLOW_APPLY(DOM "-1105") },
    .membership = "",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "deny_domain_computers",
    .aces = { DENY_APPLY(DOM "-515"), ALLOW_READ(AU), ALLOW_APPLY(AU) },
    .membership = "",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_APPLY "denied by ACE 1 (deny Apply Group Policy to " DOM "-515)",
    .assumptions = "" },
  { .id = "deny_read_domain_computers",
    .aces = { DENY_READ(DOM "-515"), ALLOW_READ(AU), ALLOW_APPLY(AU) },
    .membership = "",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_READ "denied by ACE 1 (deny Read to " DOM "-515)",
    .assumptions = "" },
  { .id = "deny_group_via_member_list",
    .aces = { ALLOW_READ(AU), DENY_APPLY(G_APPLY), ALLOW_APPLY(AU) },
    .membership = "members",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_APPLY "denied by ACE 2 (deny Apply Group Policy to " G_APPLY ")",
    .assumptions = "" },
  { .id = "deny_group_via_extra_groups",
    .aces = { ALLOW_READ(AU), DENY_APPLY(G_APPLY), ALLOW_APPLY(AU) },
    .membership = "extra",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_APPLY "denied by ACE 2 (deny Apply Group Policy to " G_APPLY ")",
    .assumptions = "" },
  { .id = "deny_group_not_member",
    .aces = { ALLOW_READ(AU), DENY_APPLY(G_APPLY), ALLOW_APPLY(AU) },
    .membership = "",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "no_read",
    .aces = { ALLOW_APPLY(AU) },
    .membership = "",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_READ "no ACE grants Read to the computer's token",
    .assumptions = "" },
  { .id = "empty_dacl",
    .membership = "",
    .list = "X1(SECURITY_FILTER_DENIED) D1 Local",
    .winner = "D1",
    .detail = NO_READ "no ACE grants Read to the computer's token",
    .assumptions = "" },
  { .id = "null_dacl",
    .sd = SD_NULL_DACL,
    .membership = "",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = "" },
  { .id = "no_descriptor",
    .sd = SD_NONE,
    .membership = "",
    .list = "X1 D1 Local",
    .winner = "X1",
    .assumptions = NO_SD_ASSUMPTION },
};

/* Puts SRV1 in GPO-Apply the way @how says; sets *@extra for "extra". */
static void
sec_membership(GpModel *model, GpComputer *computer, const char *how, const char **extra)
{
  GpGroup *apply = gp_model_ensure_group(model, G_APPLY_DN);
  GpGroup *inner = gp_model_ensure_group(model, G_INNER_DN);

  apply->sid = g_strdup(G_APPLY);
  apply->name = g_strdup("GPO-Apply");
  inner->sid = g_strdup(G_INNER);
  inner->name = g_strdup("Apply-Inner");
  if (strcmp(how, "memberOf") == 0) {
    g_ptr_array_add(computer->member_of, g_strdup(G_APPLY_DN));
  } else if (strcmp(how, "nested") == 0) {
    g_ptr_array_add(computer->member_of, g_strdup(G_INNER_DN));
    g_ptr_array_add(inner->member_of, g_strdup(G_APPLY_DN));
  } else if (strcmp(how, "members") == 0) {
    g_ptr_array_add(apply->members, g_strdup(SRV1_DN_ODD));
  } else if (strcmp(how, "members-nested") == 0) {
    g_ptr_array_add(inner->members, g_strdup(SRV1_DN));
    g_ptr_array_add(apply->members, g_strdup(G_INNER_DN));
  } else if (strcmp(how, "extra") == 0) {
    *extra = G_APPLY;
  } else {
    CU_ASSERT_STRING_EQUAL_FATAL(how, "");
  }
}

static void
check_sec_row(const SecRow *row)
{
  g_autoptr(GpModel) model = fixture_new("Servers:X1=ADM contoso:D1=ADMSVC");
  g_autoptr(GpResult) result = NULL;
  g_autofree char *assumptions = NULL;
  GpComputer *computer = fixture_computer(model, "SRV1");
  GpGpo *x1 = fixture_find_gpo(model, "X1");
  const char *rights[] = { IMPERSONATE, NULL };
  const char *extra[] = { NULL, NULL };
  const GpGpoEntry *entry;
  const GpGpoEntry *d1;

  g_clear_pointer(&x1->security_descriptor, gp_security_descriptor_free);
  if (row->sd != SD_NONE)
    x1->security_descriptor = gp_security_descriptor_new();
  if (row->sd == SD_NULL_DACL)
    g_clear_pointer(&x1->security_descriptor->dacl, g_ptr_array_unref);
  for (guint i = 0; row->sd == SD_ACES && i < MAX_ACES && row->aces[i].sid; i++)
    g_ptr_array_add(x1->security_descriptor->dacl,
                    gp_ace_new(row->aces[i].type, 0, row->aces[i].mask, row->aces[i].object_type,
                               row->aces[i].sid));
  sec_membership(model, computer, row->membership, &extra[0]);

  {
    GpEngineOptions options = { .rights = rights, .extra_groups = extra[0] ? extra : NULL };
    result = evaluate(model, computer, &options);
  }
  assert_outcome(result, IMPERSONATE, row->list, row->winner, NULL);
  entry = find_entry(result, "X1");
  CU_ASSERT_PTR_NOT_NULL_FATAL(entry);
  GP_ASSERT_STR(entry->detail, row->detail);
  assumptions = render_strings(entry->assumptions, "; ");
  GP_ASSERT_STR(assumptions, row->assumptions);
  /* D1 keeps its default descriptor: never a missing-descriptor assumption */
  d1 = find_entry(result, "D1");
  CU_ASSERT_PTR_NOT_NULL_FATAL(d1);
  CU_ASSERT_TRUE(d1->applied);
  CU_ASSERT_EQUAL(d1->assumptions->len, 0);
}

static const SecRow *
find_sec_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(sec_rows); i++)
    if (strcmp(sec_rows[i].id, id) == 0)
      return &sec_rows[i];
  return NULL;
}

/* =========================================================== 2. WMI filters */

#define FILTER       "{5E1A2B3C-1111-4222-8333-444455556666}"
#define FILTER_LOWER "{5e1a2b3c-1111-4222-8333-444455556666}"
#define FILTER_NAME  "Servers only"
#define ORPHAN       "{0BADF00D-0000-4000-8000-000000000001}" /* in no msWMI-Som object */
#define WQL(id)      "[contoso.com;" id ";0]"

/* Links as given; the GPOs named in @filtered carry gPCWQLFilter @wql.  The model
 * holds the filter FILTER named "Servers only", never ORPHAN. */
typedef struct {
  const char *id;
  const char *links;
  const char *filtered; /* GPO names, comma separated */
  const char *wql;
  gboolean default_false;
  const char *values; /* "{ID}=1,{ID}=2" for wmi_values */
  gboolean no_sensitivity;
  /* expected */
  const char *list;
  const char *winner;
  const char *filter;      /* X1's wmi_filter name, "-" for none */
  const char *filter_id;   /* X1's wmi_filter_id */
  const char *assumptions; /* X1's, joined by "; " */
  const char *detail;      /* X1's, NULL for none */
  const char *notes;       /* the right's notes joined by " | ", "" for none */
} WmiRow;

#define LINKS_XD      "Servers:X1=ADM contoso:D1=ADMSVC"
#define ASSUMED(v)    "WMI filter '" FILTER_NAME "' assumed " v " (--wmi)"
#define SET(v)        "WMI filter '" FILTER_NAME "' set " v " with --wmi"
#define IS_FALSE      "WMI filter '" FILTER_NAME "' is false"
#define WERE(v, who)  "if WMI filter '" FILTER_NAME "' were " v ", " who " would win"
#define OWERE(v, who) "if WMI filter '" ORPHAN "' were " v ", " who " would win"

static const WmiRow wmi_rows[] = {
  { .id = "default_assumed_true",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER),
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("true"),
    .notes = WERE("false", "D1") },
  { .id = "default_false",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER),
    .default_false = TRUE,
    .list = "X1(WMI_FILTER_FALSE) D1 Local",
    .winner = "D1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("false"),
    .detail = IS_FALSE,
    .notes = WERE("true", "X1") },
  { .id = "value_true_beats_default_false",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER),
    .default_false = TRUE,
    .values = FILTER "=1",
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = SET("true"),
    .notes = WERE("false", "D1") },
  { .id = "value_false_beats_default_true",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER),
    .values = FILTER "=2",
    .list = "X1(WMI_FILTER_FALSE) D1 Local",
    .winner = "D1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = SET("false"),
    .detail = IS_FALSE,
    .notes = WERE("true", "X1") },
  { .id = "value_of_another_filter_ignored",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER),
    .values = ORPHAN "=2",
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("true"),
    .notes = WERE("false", "D1") },
  { .id = "lower_case_id_in_gpo",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER_LOWER),
    .values = FILTER "=2",
    .list = "X1(WMI_FILTER_FALSE) D1 Local",
    .winner = "D1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = SET("false"),
    .detail = IS_FALSE,
    .notes = WERE("true", "X1") },
  { .id = "filter_not_in_model_assumed_true",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(ORPHAN),
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = "-",
    .filter_id = ORPHAN,
    .assumptions = "WMI filter '" ORPHAN "' is not in the data: applied, as a client that "
                   "cannot read the filter does",
    .notes = OWERE("false", "D1") },
  { .id = "filter_not_in_model_set_false",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(ORPHAN),
    .values = ORPHAN "=2",
    .list = "X1(WMI_FILTER_FALSE) D1 Local",
    .winner = "D1",
    .filter = "-",
    .filter_id = ORPHAN,
    .assumptions = "WMI filter '" ORPHAN "' set false with --wmi",
    .detail = "WMI filter '" ORPHAN "' is false",
    .notes = OWERE("true", "X1") },
  { .id = "filter_not_in_model_default_false",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(ORPHAN),
    .default_false = TRUE,
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = "-",
    .filter_id = ORPHAN,
    .assumptions = "WMI filter '" ORPHAN "' is not in the data: applied, as a client that "
                   "cannot read the filter does",
    .notes = OWERE("false", "D1") },
  { .id = "flip_to_local_layer",
    .links = "Servers:X1=ADM",
    .filtered = "X1",
    .wql = WQL(FILTER),
    .list = "X1 Local",
    .winner = "X1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("true"),
    .notes = WERE("false", "the local layer") },
  { .id = "shared_filter_flips_both",
    .links = LINKS_XD,
    .filtered = "X1,D1",
    .wql = WQL(FILTER),
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("true"),
    .notes = WERE("false", "the local layer") },
  { .id = "no_note_when_winner_unchanged",
    .links = "contoso:D1[E]=ADMSVC Servers:X1=ADM",
    .filtered = "X1",
    .wql = WQL(FILTER),
    .list = "D1[E] X1 Local",
    .winner = "D1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("true"),
    .notes = "" },
  { .id = "no_note_when_gpo_defines_nothing",
    .links = "Servers:X1=n/d contoso:D1=ADMSVC",
    .filtered = "X1",
    .wql = WQL(FILTER),
    .default_false = TRUE,
    .list = "X1(WMI_FILTER_FALSE) D1 Local",
    .winner = "D1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("false"),
    .detail = IS_FALSE,
    .notes = "" },
  { .id = "no_sensitivity_suppresses_note",
    .links = LINKS_XD,
    .filtered = "X1",
    .wql = WQL(FILTER),
    .no_sensitivity = TRUE,
    .list = "X1 D1 Local",
    .winner = "X1",
    .filter = FILTER_NAME,
    .filter_id = FILTER,
    .assumptions = ASSUMED("true"),
    .notes = "" },
};

static GHashTable *
wmi_values_from(const char *text)
{
  GHashTable *values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) items = g_strsplit(text, ",", -1);

  for (guint i = 0; items[i]; i++) {
    const char *equals = strchr(items[i], '=');
    CU_ASSERT_PTR_NOT_NULL_FATAL(equals);
    g_hash_table_insert(values, g_strndup(items[i], (gsize)(equals - items[i])),
                        GINT_TO_POINTER(equals[1] == '1' ? 1 : 2));
  }
  return values;
}

static void
check_wmi_row(const WmiRow *row)
{
  g_autoptr(GpModel) model = fixture_new(row->links);
  g_autoptr(GHashTable) values = row->values ? wmi_values_from(row->values) : NULL;
  g_autoptr(GpResult) result = NULL;
  g_auto(GStrv) filtered = g_strsplit(row->filtered, ",", -1);
  g_autofree char *assumptions = NULL;
  g_autofree char *notes = NULL;
  GpWmiFilter *filter = gp_model_ensure_wmi_filter(model, FILTER);
  const char *rights[] = { IMPERSONATE, NULL };
  GpEngineOptions options = { .rights = rights,
                              .wmi_values = values,
                              .wmi_default_false = row->default_false,
                              .no_sensitivity = row->no_sensitivity };
  const GpGpoEntry *entry;

  filter->name = g_strdup(FILTER_NAME);
  filter->query = g_strdup("SELECT * FROM Win32_OperatingSystem WHERE ProductType = 3");
  filter->domain_dn = g_strdup(CONTOSO_DN);
  for (guint i = 0; filtered[i]; i++)
    fixture_find_gpo(model, filtered[i])->wql_filter = g_strdup(row->wql);

  result = evaluate(model, fixture_computer(model, "SRV1"), &options);
  assert_outcome(result, IMPERSONATE, row->list, row->winner, NULL);
  entry = find_entry(result, "X1");
  CU_ASSERT_PTR_NOT_NULL_FATAL(entry);
  GP_ASSERT_STR(entry->wmi_filter ? entry->wmi_filter->name : "-", row->filter);
  GP_ASSERT_STR(entry->wmi_filter_id, row->filter_id);
  GP_ASSERT_STR(entry->detail, row->detail);
  assumptions = render_strings(entry->assumptions, "; ");
  GP_ASSERT_STR(assumptions, row->assumptions);
  notes = render_strings(find_right(result, IMPERSONATE)->notes, " | ");
  GP_ASSERT_STR(notes, row->notes);
}

static const WmiRow *
find_wmi_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(wmi_rows); i++)
    if (strcmp(wmi_rows[i].id, id) == 0)
      return &wmi_rows[i];
  return NULL;
}

/* ================================================================ 3. sites */

/* Links "HQ:S1=ADM Branch:B1=APP Servers:X1=n/d", computer SRV1; subnets (cn ->
 * site): 10.1.0.0/16 HQ, 10.1.5.0/24 Branch, 2001:db8::/32 HQ, 2001:db8:5::/48
 * Branch, 192.168.0.0/16 Ghost (a site not in the data), 172.16.0.0/12 none. */
typedef struct {
  const char *id;
  const char *site;
  const char *ip;
  const char *computer_site;
  gboolean standalone;
  /* expected */
  const char *site_used; /* "-" for none */
  const char *reason;
  const char *soms;
  const char *list;
} SiteRow;

#define NO_SITE_NAME(ip) "no site: no subnet in the data contains " ip " (ERROR_NO_SITENAME)"
#define SITE_NOT_IN_DATA "; the site is not in the data: it adds no links"
#define SOMS_NO_SITE     "Servers contoso.com"
#define LIST_NO_SITE     "X1 Local"
#define SOMS_HQ          SOMS_NO_SITE " HQ"
#define SOMS_BRANCH      SOMS_NO_SITE " Branch"

static const SiteRow site_rows[] = {
  { .id = "ip_longest_prefix",
    .ip = "10.1.5.7",
    .site_used = "Branch",
    .reason = "10.1.5.7 is in subnet 10.1.5.0/24",
    .soms = SOMS_BRANCH,
    .list = "X1 B1 Local" },
  { .id = "ip_shorter_prefix",
    .ip = "10.1.9.9",
    .site_used = "HQ",
    .reason = "10.1.9.9 is in subnet 10.1.0.0/16",
    .soms = SOMS_HQ,
    .list = "X1 S1 Local" },
  { .id = "ipv6_longest_prefix",
    .ip = "2001:db8:5::10",
    .site_used = "Branch",
    .reason = "2001:db8:5::10 is in subnet 2001:db8:5::/48",
    .soms = SOMS_BRANCH,
    .list = "X1 B1 Local" },
  { .id = "ipv6_shorter_prefix",
    .ip = "2001:db8:9::1",
    .site_used = "HQ",
    .reason = "2001:db8:9::1 is in subnet 2001:db8::/32",
    .soms = SOMS_HQ,
    .list = "X1 S1 Local" },
  { .id = "ip_in_no_subnet",
    .ip = "8.8.8.8",
    .site_used = "-",
    .reason = NO_SITE_NAME("8.8.8.8"),
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "ip_in_subnet_without_site",
    .ip = "172.16.1.1",
    .site_used = "-",
    .reason = NO_SITE_NAME("172.16.1.1"),
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "ipv6_in_no_subnet",
    .ip = "fe80::1",
    .site_used = "-",
    .reason = NO_SITE_NAME("fe80::1"),
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "ip_invalid",
    .ip = "10.1.999.1",
    .site_used = "-",
    .reason = "no site: '10.1.999.1' is not an IP address",
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "ip_subnet_site_not_in_data",
    .ip = "192.168.1.1",
    .site_used = "Ghost",
    .reason = "192.168.1.1 is in subnet 192.168.0.0/16" SITE_NOT_IN_DATA,
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "site_option_beats_ip",
    .site = "Branch",
    .ip = "10.1.9.9",
    .site_used = "Branch",
    .reason = "given with --site",
    .soms = SOMS_BRANCH,
    .list = "X1 B1 Local" },
  { .id = "empty_site_option_beats_ip",
    .site = "",
    .ip = "10.1.9.9",
    .site_used = "-",
    .reason = "no site: --site was given empty",
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "site_option_not_in_data",
    .site = "Nowhere",
    .site_used = "Nowhere",
    .reason = "given with --site" SITE_NOT_IN_DATA,
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "computer_site_without_options",
    .computer_site = "Branch",
    .site_used = "Branch",
    .reason = "the computer's site in the data",
    .soms = SOMS_BRANCH,
    .list = "X1 B1 Local" },
  { .id = "ip_beats_computer_site",
    .ip = "10.1.9.9",
    .computer_site = "Branch",
    .site_used = "HQ",
    .reason = "10.1.9.9 is in subnet 10.1.0.0/16",
    .soms = SOMS_HQ,
    .list = "X1 S1 Local" },
  { .id = "two_sites_no_hint",
    .site_used = "-",
    .reason = "no site: the data has several sites and does not say which is the computer's "
              "(use --site NAME or --ip ADDRESS); site-linked GPOs are not considered",
    .soms = SOMS_NO_SITE,
    .list = LIST_NO_SITE },
  { .id = "standalone_no_site",
    .site = "HQ",
    .ip = "10.1.5.7",
    .computer_site = "Branch",
    .standalone = TRUE,
    .site_used = "-",
    .reason = "no site: a stand-alone computer has none",
    .soms = "",
    .list = "Local" },
};

static void
check_site_row(const SiteRow *row)
{
  static const struct {
    const char *cidr;
    const char *site_dn;
  } subnets[] = {
    { "10.1.0.0/16", "CN=HQ," SITES_DN },       { "10.1.5.0/24", "CN=Branch," SITES_DN },
    { "2001:db8::/32", "CN=HQ," SITES_DN },     { "2001:db8:5::/48", "CN=Branch," SITES_DN },
    { "192.168.0.0/16", "CN=Ghost," SITES_DN }, { "172.16.0.0/12", NULL },
  };
  g_autoptr(GpModel) model = fixture_new("HQ:S1=ADM Branch:B1=APP Servers:X1=n/d");
  g_autoptr(GpResult) result = NULL;
  g_autofree char *soms = NULL;
  g_autofree char *list = NULL;
  GpComputer *computer = fixture_computer(model, "SRV1");
  const char *rights[] = { IMPERSONATE, NULL };
  GpEngineOptions options
      = { .site = row->site, .rights = rights, .ip = row->ip, .standalone = row->standalone };

  for (gsize i = 0; i < G_N_ELEMENTS(subnets); i++)
    gp_model_ensure_subnet(model, subnets[i].cidr)->site_dn = g_strdup(subnets[i].site_dn);
  computer->site = g_strdup(row->computer_site);

  result = evaluate(model, computer, &options);
  GP_ASSERT_STR(result->site ? result->site : "-", row->site_used);
  GP_ASSERT_STR(result->site_reason, row->reason);
  soms = render_soms(result);
  GP_ASSERT_STR(soms, row->soms);
  list = render_entries(result);
  GP_ASSERT_STR(list, row->list);
}

static const SiteRow *
find_site_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(site_rows); i++)
    if (strcmp(site_rows[i].id, id) == 0)
      return &site_rows[i];
  return NULL;
}

/* ================================================================= 4. --ou */

/* SRV1 (really in OU=Servers) with --site HQ and these links; the GPOs each
 * define SeImpersonatePrivilege except S1 and N1. */
#define OU_LINKS                                                                                   \
  "HQ:S1=n/d contoso:D1=ADMSVC Servers:X1=ADM Other:O1=APP emea:M1@emea=DEF EmeaSrv:N1@emea=n/d"
#define OU_NOTE(ou) "modeled as if the computer were in " ou " (--ou)"

typedef struct {
  const char *id;
  const char *ou;
  /* expected */
  const char *soms;
  const char *list;
  const char *winner;
  const char *notes; /* result->notes joined by " | " */
} OuRow;

static const OuRow ou_rows[] = {
  { .id = "no_ou",
    .soms = "Servers contoso.com HQ",
    .list = "X1 D1 S1 Local",
    .winner = "X1",
    .notes = "" },
  { .id = "other_ou",
    .ou = "OU=Other," CONTOSO_DN,
    .soms = "Other contoso.com HQ",
    .list = "O1 D1 S1 Local",
    .winner = "O1",
    .notes = OU_NOTE("OU=Other," CONTOSO_DN) },
  { .id = "other_ou_any_case",
    .ou = "ou=other, dc=CONTOSO, dc=com",
    .soms = "Other contoso.com HQ",
    .list = "O1 D1 S1 Local",
    .winner = "O1",
    .notes = OU_NOTE("ou=other, dc=CONTOSO, dc=com") },
  { .id = "ou_in_child_domain",
    .ou = "OU=EmeaSrv," EMEA_DN,
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "N1@emea M1@emea S1 Local",
    .winner = "M1@emea",
    .notes = OU_NOTE("OU=EmeaSrv," EMEA_DN) },
  { .id = "child_domain_root",
    .ou = EMEA_DN,
    .soms = "emea.contoso.com HQ",
    .list = "M1@emea S1 Local",
    .winner = "M1@emea",
    .notes = OU_NOTE(EMEA_DN) },
  { .id = "cn_container",
    .ou = "CN=Computers," CONTOSO_DN,
    .soms = "contoso.com HQ",
    .list = "D1 S1 Local",
    .winner = "D1",
    .notes = OU_NOTE("CN=Computers," CONTOSO_DN) },
  { .id = "ou_not_in_data",
    .ou = "OU=Lab,OU=Servers," CONTOSO_DN,
    .soms = "Servers contoso.com HQ",
    .list = "X1 D1 S1 Local",
    .winner = "X1",
    .notes
    = OU_NOTE("OU=Lab,OU=Servers," CONTOSO_DN) " | OU=Lab,OU=Servers," CONTOSO_DN
                                               " is not in the data: no links read from it" },
};

static void
check_ou_row(const OuRow *row)
{
  g_autoptr(GpModel) model = fixture_new(OU_LINKS);
  g_autoptr(GpResult) result = NULL;
  g_autofree char *soms = NULL;
  g_autofree char *notes = NULL;
  const char *rights[] = { IMPERSONATE, NULL };
  GpEngineOptions options = { .site = "HQ", .rights = rights, .ou = row->ou };

  result = evaluate(model, fixture_computer(model, "SRV1"), &options);
  soms = render_soms(result);
  GP_ASSERT_STR(soms, row->soms);
  assert_outcome(result, IMPERSONATE, row->list, row->winner, NULL);
  notes = render_strings(result->notes, " | ");
  GP_ASSERT_STR(notes, row->notes);
  /* --ou moves the computer, not its identity */
  GP_ASSERT_STR(result->computer->dn, SRV1_DN);
}

static const OuRow *
find_ou_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(ou_rows); i++)
    if (strcmp(ou_rows[i].id, id) == 0)
      return &ou_rows[i];
  return NULL;
}

/* =============================================================== 5. forest */

#define Z9_DN(domain) "CN=" NAME_GUID "5A3900000000},CN=Policies,CN=System," domain

/* --site HQ; @homes lists each found GPO with the DNS name of the domain it is stored in. */
typedef struct {
  const char *id;
  const char *computer;
  const char *links;
  /* expected */
  const char *soms;
  const char *list;
  const char *winner;
  const char *holders;
  const char *homes;
  const char *detail; /* of the first GPO_NOT_FOUND entry; NULL when there is none */
} ForestRow;

#define FOREST_LINKS "HQ:S1=n/d contoso:D1[E]=ADM emea:M1@emea=ADMSVC EmeaSrv:N1@emea=n/d"
#define DDP_LINKS    "contoso:DDP=ADM emea:DDP@emea=APP"

static const ForestRow forest_rows[] = {
  { .id = "child_domain_gets_own_links_only",
    .computer = "SRV3",
    .links = FOREST_LINKS,
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "N1@emea M1@emea S1 Local",
    .winner = "M1@emea",
    .holders = H_ADMSVC,
    .homes = "N1@emea:emea.contoso.com M1@emea:emea.contoso.com S1:contoso.com" },
  { .id = "parent_domain_gets_no_child_links",
    .computer = "SRV1",
    .links = FOREST_LINKS,
    .soms = "Servers contoso.com HQ",
    .list = "D1[E] S1 Local",
    .winner = "D1",
    .holders = H_ADM,
    .homes = "D1:contoso.com S1:contoso.com" },
  { .id = "cross_domain_link",
    .computer = "SRV3",
    .links = "emea:M1@emea=ADMSVC EmeaSrv:P1=APP",
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "P1 M1@emea Local",
    .winner = "P1",
    .holders = H_APP,
    .homes = "P1:contoso.com M1@emea:emea.contoso.com" },
  { .id = "cross_domain_link_not_found",
    .computer = "SRV3",
    .links = "emea:M1@emea=ADMSVC EmeaSrv:Z9=?",
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "Z9(GPO_NOT_FOUND) M1@emea Local",
    .winner = "M1@emea",
    .holders = H_ADMSVC,
    .homes = "M1@emea:emea.contoso.com",
    .detail = "no groupPolicyContainer " Z9_DN(CONTOSO_DN) " in the data" },
  { .id = "link_not_found_same_guid_elsewhere",
    .computer = "SRV3",
    .links = "contoso:Z9=ADM emea:M1@emea=ADMSVC EmeaSrv:Z9@emea=?",
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "Z9(GPO_NOT_FOUND) M1@emea Local",
    .winner = "M1@emea",
    .holders = H_ADMSVC,
    .homes = "M1@emea:emea.contoso.com",
    .detail = "no groupPolicyContainer " Z9_DN(EMEA_DN) " in the data" },
  { .id = "same_guid_child_domain",
    .computer = "SRV3",
    .links = DDP_LINKS,
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "DDP@emea Local",
    .winner = "DDP@emea",
    .holders = H_APP,
    .homes = "DDP@emea:emea.contoso.com" },
  { .id = "same_guid_parent_domain",
    .computer = "SRV1",
    .links = DDP_LINKS,
    .soms = "Servers contoso.com HQ",
    .list = "DDP Local",
    .winner = "DDP",
    .holders = H_ADM,
    .homes = "DDP:contoso.com" },
  { .id = "same_guid_cross_domain_link",
    .computer = "SRV3",
    .links = DDP_LINKS " EmeaSrv:DDP=ADM",
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "DDP DDP@emea Local",
    .winner = "DDP",
    .holders = H_ADM,
    .homes = "DDP:contoso.com DDP@emea:emea.contoso.com" },
};

static char *
render_homes(const GpResult *result)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    g_autofree char *domain = NULL;
    g_autofree char *dns = NULL;

    if (!entry->gpo)
      continue;
    domain = gp_dn_domain_part(entry->gpo->dn);
    dns = domain ? gp_dn_to_dns_name(domain) : NULL;
    g_string_append_printf(out, "%s%s:%s", out->len ? " " : "", entry->gpo->display_name,
                           dns ? dns : "?");
  }
  return g_string_free(out, FALSE);
}

static void
check_forest_row(const ForestRow *row)
{
  g_autoptr(GpModel) model = fixture_new(row->links);
  g_autoptr(GpResult) result = NULL;
  g_autofree char *soms = NULL;
  g_autofree char *homes = NULL;
  const char *rights[] = { IMPERSONATE, NULL };
  GpEngineOptions options = { .site = "HQ", .rights = rights };
  const char *detail = NULL;

  result = evaluate(model, fixture_computer(model, row->computer), &options);
  soms = render_soms(result);
  GP_ASSERT_STR(soms, row->soms);
  assert_outcome(result, IMPERSONATE, row->list, row->winner, row->holders);
  homes = render_homes(result);
  GP_ASSERT_STR(homes, row->homes);
  for (guint i = 0; i < result->entries->len && !detail; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    if (entry->reason == GP_REASON_GPO_NOT_FOUND)
      detail = entry->detail ? entry->detail : "(no detail)";
  }
  GP_ASSERT_STR(detail, row->detail);
  if (strstr(row->links, "DDP@emea")) {
    /* both Default Domain Policies share the GUID: the links must tell them apart */
    g_autoptr(GPtrArray) same = gp_model_find_gpos_guid(model, DDP_GUID);
    CU_ASSERT_EQUAL(same->len, 2);
  }
}

static const ForestRow *
find_forest_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(forest_rows); i++)
    if (strcmp(forest_rows[i].id, id) == 0)
      return &forest_rows[i];
  return NULL;
}

/* ========================================================== 6. stand-alone */

/* SRV1 evaluated with options.standalone; the directory has links that must not count. */
#define STANDALONE_LINKS "HQ:S1=ADM contoso:D1[E]=ADMSVC Servers:X1=APP+" SHUTDOWN ":ADM"
#define STANDALONE_NOTE  "stand-alone computer: no directory data, only the local policy applies"

typedef struct {
  const char *id;
  const char *local; /* VALUE for local_policy, NULL for the role's defaults */
  const char *site;
  const char *ip;
  const char *right; /* NULL: every right defined somewhere */
  /* expected */
  const char *winner;
  const char *holders;
  const char *rights; /* the rights resolved, blank separated */
} StandaloneRow;

static const StandaloneRow standalone_rows[] = {
  { .id = "local_policy_decides",
    .local = "ADM",
    .right = IMPERSONATE,
    .winner = "local",
    .holders = H_ADM,
    .rights = IMPERSONATE },
  { .id = "role_default_column",
    .right = SHUTDOWN,
    .winner = "default",
    .holders = SHUT_STANDALONE,
    .rights = SHUTDOWN },
  { .id = "local_policy_without_the_right",
    .local = DEBUG_RIGHT ":ADM",
    .right = IMPERSONATE,
    .winner = "local (nowhere)",
    .holders = "",
    .rights = IMPERSONATE },
  { .id = "site_option_ignored",
    .local = "ADM",
    .site = "HQ",
    .right = IMPERSONATE,
    .winner = "local",
    .holders = H_ADM,
    .rights = IMPERSONATE },
  { .id = "ip_option_ignored",
    .local = "ADM",
    .ip = "10.1.5.7",
    .right = IMPERSONATE,
    .winner = "local",
    .holders = H_ADM,
    .rights = IMPERSONATE },
  { .id = "all_rights_are_the_local_ones",
    .local = "ADMSVC+" DEBUG_RIGHT ":ADM",
    .winner = "local",
    .holders = H_ADMSVC,
    .rights = DEBUG_RIGHT " " IMPERSONATE },
};

static char *
render_right_names(const GpResult *result)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *right = g_ptr_array_index(result->rights, i);
    g_string_append_printf(out, "%s%s", i ? " " : "", right->right);
  }
  return g_string_free(out, FALSE);
}

static void
check_standalone_row(const StandaloneRow *row)
{
  g_autoptr(GpModel) model = fixture_new(STANDALONE_LINKS);
  g_autoptr(GpSecurityTemplate) local = row->local ? template_from(row->local) : NULL;
  g_autoptr(GpResult) result = NULL;
  g_autofree char *soms = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *names = NULL;
  const char *rights[] = { row->right, NULL };
  GpEngineOptions options = { .site = row->site,
                              .local_policy = local,
                              .rights = row->right ? rights : NULL,
                              .ip = row->ip,
                              .standalone = TRUE };

  result = evaluate(model, fixture_computer(model, "SRV1"), &options);
  GP_ASSERT_STR(gp_role_to_string(result->role), "standalone");
  CU_ASSERT_FALSE(result->role_assumed);
  soms = render_soms(result);
  GP_ASSERT_STR(soms, "");
  GP_ASSERT_STR(result->site ? result->site : "-", "-");
  notes = render_strings(result->notes, " | ");
  GP_ASSERT_STR(notes, STANDALONE_NOTE);
  names = render_right_names(result);
  GP_ASSERT_STR(names, row->rights);
  assert_outcome(result, row->right ? row->right : IMPERSONATE, "Local", row->winner, row->holders);
  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *right = g_ptr_array_index(result->rights, i);
    GP_ASSERT_STR(gp_source_to_string(right->source), row->local ? "local" : "default");
    CU_ASSERT_FALSE(right->local_greyed_out);
    CU_ASSERT_EQUAL(right->definitions->len, 0);
  }
}

static const StandaloneRow *
find_standalone_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(standalone_rows); i++)
    if (strcmp(standalone_rows[i].id, id) == 0)
      return &standalone_rows[i];
  return NULL;
}

/* ========================================================== 7. persistence */

/* SRV1, no site.  Before: the winner, if_winner_removed and runner_up.  Then the
 * winning link is removed from its SOM (gp_som_set_gplink without it), SRV1 is
 * evaluated again, and gp_engine_persistence(before, after) must say the same as
 * if_winner_removed did.  @after_winner NULL skips the second half (rows where
 * removing one link is not the same as the GPO no longer defining the right). */
typedef struct {
  const char *id;
  const char *links;
  const char *local;
  const char *right;
  /* expected */
  const char *winner;
  const char *if_removed;
  const char *runner_up; /* "-" for none */
  const char *after_winner;
  const char *after_holders;
} PersistRow;

static const PersistRow persist_rows[] = {
  { .id = "next_gpo",
    .links = "contoso:D1=ADMSVC Servers:X1=ADM",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "next-gpo",
    .runner_up = "D1",
    .after_winner = "D1",
    .after_holders = H_ADMSVC },
  { .id = "next_gpo_with_local_policy",
    .links = "contoso:D1=ADMSVC Servers:X1=ADM",
    .local = "DEF",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "next-gpo",
    .runner_up = "D1",
    .after_winner = "D1",
    .after_holders = H_ADMSVC },
  { .id = "next_gpo_under_enforced_winner",
    .links = "contoso:D1[E]=ADM Servers:X1=APP",
    .right = IMPERSONATE,
    .winner = "D1",
    .if_removed = "next-gpo",
    .runner_up = "X1",
    .after_winner = "X1",
    .after_holders = H_APP },
  { .id = "next_gpo_is_the_nearest_below",
    .links = "contoso:D1=ADMSVC Servers:X1=ADM,X2=APP",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "next-gpo",
    .runner_up = "X2",
    .after_winner = "X2",
    .after_holders = H_APP },
  { .id = "next_gpo_skips_not_applied",
    .links = "contoso:D1=ADMSVC Servers:X1=ADM,X2(1)=APP",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "next-gpo",
    .runner_up = "D1",
    .after_winner = "D1",
    .after_holders = H_ADMSVC },
  { .id = "reverted_to_given_local_policy",
    .links = "Servers:X1=ADM contoso:D1=n/d",
    .local = "DEF",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "reverted-to-local",
    .runner_up = "-",
    .after_winner = "local",
    .after_holders = H_DEF },
  { .id = "reverted_to_role_default",
    .links = "Servers:X1=ADM",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "reverted-to-local",
    .runner_up = "-",
    .after_winner = "default",
    .after_holders = H_DEF },
  { .id = "reverted_to_role_default_member_column",
    .links = "Servers:X1=" SHUTDOWN ":ADM",
    .right = SHUTDOWN,
    .winner = "X1",
    .if_removed = "reverted-to-local",
    .runner_up = "-",
    .after_winner = "default",
    .after_holders = SHUT_MEMBER },
  { .id = "tattooed_role_default_not_defined",
    .links = "Servers:X1=" TCB ":ADM",
    .right = TCB,
    .winner = "X1",
    .if_removed = "tattooed",
    .runner_up = "-",
    .after_winner = "default (nowhere)",
    .after_holders = "" },
  { .id = "tattooed_local_policy_without_the_right",
    .links = "Servers:X1=ADM",
    .local = DEBUG_RIGHT ":ADM",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "tattooed",
    .runner_up = "-",
    .after_winner = "local (nowhere)",
    .after_holders = "" },
  { .id = "tattooed_defined_empty",
    .links = "Servers:X1=" TCB ":NONE",
    .right = TCB,
    .winner = "X1",
    .if_removed = "tattooed",
    .runner_up = "-",
    .after_winner = "default (nowhere)",
    .after_holders = "" },
  /* The same GPO linked twice: if it stops defining the right (filtered, line
   * removed), its other link stops too, so the runner-up is the next *other* GPO
   * (precedence-rules.md 3.5 "another applied GPO", GP_PERSIST_NEXT_GPO). */
  { .id = "duplicate_link_is_not_another_gpo",
    .links = "contoso:X1=ADM,D1=ADMSVC Servers:X1=ADM",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "next-gpo",
    .runner_up = "D1" },
  { .id = "duplicate_link_only_reverts",
    .links = "contoso:X1=ADM Servers:X1=ADM",
    .right = IMPERSONATE,
    .winner = "X1",
    .if_removed = "reverted-to-local",
    .runner_up = "-" },
};

/* Sets the gPLink of the SOM holding @link again, without @link. */
static void
remove_link(GpModel *model, const GpSom *som_in, const GpLink *gone)
{
  GpSom *som = gp_model_ensure_som(model, som_in->dn, som_in->kind);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  GString *raw = g_string_new(NULL);

  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    g_autofree char *entry = NULL;
    if (link == gone)
      continue;
    entry = g_strdup_printf("[LDAP://%s;%u]", link->gpo_dn, link->options);
    g_string_prepend(raw, entry); /* link order 1 is written last */
  }
  gp_som_set_gplink(som, raw->str, diags, NULL, 0);
  CU_ASSERT_EQUAL(diags->len, 0);
  g_string_free(raw, TRUE);
}

static void
check_persist_row(const PersistRow *row)
{
  g_autoptr(GpModel) model = fixture_new(row->links);
  g_autoptr(GpSecurityTemplate) local = row->local ? template_from(row->local) : NULL;
  g_autoptr(GpResult) before = NULL;
  g_autoptr(GpResult) after = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *runner_up = NULL;
  g_autofree char *after_winner = NULL;
  g_autofree char *after_holders = NULL;
  GpComputer *computer = fixture_computer(model, "SRV1");
  const char *rights[] = { row->right, NULL };
  GpEngineOptions options = { .local_policy = local, .rights = rights };
  const GpRightResult *right_before;
  const GpRightResult *right_after;

  before = evaluate(model, computer, &options);
  right_before = find_right(before, row->right);
  winner = render_winner(right_before);
  GP_ASSERT_STR(winner, row->winner);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right_before->winner);
  GP_ASSERT_STR(gp_persistence_to_string(right_before->if_winner_removed), row->if_removed);
  runner_up = right_before->runner_up ? entry_label(right_before->runner_up) : g_strdup("-");
  GP_ASSERT_STR(runner_up, row->runner_up);
  CU_ASSERT_EQUAL(right_before->if_winner_removed == GP_PERSIST_NEXT_GPO,
                  right_before->runner_up != NULL);
  if (!row->after_winner)
    return;

  /* The before result keeps pointing at the old links: read nothing through
   * them after this. */
  remove_link(model, right_before->winner->som, right_before->winner->link);
  after = evaluate(model, computer, &options);
  right_after = find_right(after, row->right);
  after_winner = render_winner(right_after);
  GP_ASSERT_STR(after_winner, row->after_winner);
  after_holders = render_holders(right_after->holders);
  GP_ASSERT_STR(after_holders, row->after_holders);
  GP_ASSERT_STR(gp_persistence_to_string(gp_engine_persistence(right_before, right_after)),
                row->if_removed);
}

static const PersistRow *
find_persist_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(persist_rows); i++)
    if (strcmp(persist_rows[i].id, id) == 0)
      return &persist_rows[i];
  return NULL;
}

/* ================================================================ 8. token */

#define WELL_KNOWN "S-1-1-0 S-1-5-11 S-1-5-15 S-1-5-2 S-1-5-32-545"

/* Groups of the token fixture, in OU=Groups of contoso.com. */
static const struct {
  const char *cn;
  const char *sid;
  const char *member_of; /* cn, nullable */
  const char *member;    /* DN, nullable */
} token_groups[] = {
  { "Inner", DOM "-2101", "Outer", NULL },
  { "Outer", DOM "-2102", "Top", NULL },
  { "Top", DOM "-2103", "Inner", NULL }, /* a cycle back to Inner */
  { "ByMember", DOM "-2104", NULL, SRV1_DN_ODD },
  { "ByMemberParent", DOM "-2105", NULL, "CN=ByMember," GROUPS_DN },
  { "Unrelated", DOM "-2106", NULL, "CN=SRV9,OU=Servers," CONTOSO_DN },
  { "Extra", DOM "-2107", "ExtraParent", NULL },
  { "ExtraParent", DOM "-2108", NULL, NULL },
  { "AllComputers", DOM "-2109", NULL, NULL },
  { "Lower", "s-1-5-21-1-2-3-2110", NULL, NULL },
  { "NoSid", NULL, "Top", NULL },
};

/* Every computer's memberOf: SRV1 is in Inner, Lower and NoSid; Domain Computers
 * (-515, CN=Users) is in AllComputers. */
typedef struct {
  const char *id;
  const char *computer;
  const char *extra; /* comma separated SIDs */
  gboolean no_computer_sid;
  gboolean domain_sid; /* the model knows contoso.com's SID */
  /* expected, in any order */
  const char *token;
} TokenRow;

#define SRV1_GROUPS                                                                                \
  DOM "-2101 " DOM "-2102 " DOM "-2103 " DOM "-2104 " DOM "-2105 " DOM "-2110 " DOM "-2109"

static const TokenRow token_rows[] = {
  { .id = "member_server",
    .computer = "SRV1",
    .token = DOM "-1105 " DOM "-515 " SRV1_GROUPS " " WELL_KNOWN },
  { .id = "member_server_extra_groups",
    .computer = "SRV1",
    .extra = DOM "-2107,S-1-5-21-9-9-9-1234",
    .token = DOM "-1105 " DOM "-515 " SRV1_GROUPS " " DOM "-2107 " DOM
                 "-2108 S-1-5-21-9-9-9-1234 " WELL_KNOWN },
  { .id = "member_server_sid_from_domain",
    .computer = "SRV1",
    .no_computer_sid = TRUE,
    .domain_sid = TRUE,
    .token = DOM "-515 " SRV1_GROUPS " " WELL_KNOWN },
  { .id = "domain_controller",
    .computer = "DC1",
    .token = DOM "-1000 " DOM "-516 S-1-5-9 " WELL_KNOWN },
  { .id = "child_domain_member",
    .computer = "SRV3",
    .token = EMEA_SID "-1105 " EMEA_SID "-515 " WELL_KNOWN },
};

static void
token_fixture(GpModel *model)
{
  GpGroup *domain_computers
      = gp_model_ensure_group(model, "CN=Domain Computers,CN=Users," CONTOSO_DN);
  GpComputer *srv1 = fixture_computer(model, "SRV1");

  domain_computers->sid = g_strdup(DOM "-515");
  g_ptr_array_add(domain_computers->member_of, g_strdup("CN=AllComputers," GROUPS_DN));
  for (gsize i = 0; i < G_N_ELEMENTS(token_groups); i++) {
    g_autofree char *dn = g_strdup_printf("CN=%s,%s", token_groups[i].cn, GROUPS_DN);
    GpGroup *group = gp_model_ensure_group(model, dn);

    group->sid = g_strdup(token_groups[i].sid);
    group->name = g_strdup(token_groups[i].cn);
    if (token_groups[i].member_of)
      g_ptr_array_add(group->member_of,
                      g_strdup_printf("CN=%s,%s", token_groups[i].member_of, GROUPS_DN));
    if (token_groups[i].member)
      g_ptr_array_add(group->members, g_strdup(token_groups[i].member));
  }
  g_ptr_array_add(srv1->member_of, g_strdup("CN=Inner," GROUPS_DN));
  g_ptr_array_add(srv1->member_of, g_strdup("CN=Lower," GROUPS_DN));
  g_ptr_array_add(srv1->member_of, g_strdup("CN=NoSid," GROUPS_DN));
}

static void
check_token_row(const TokenRow *row)
{
  g_autoptr(GpModel) model = fixture_new(NULL);
  g_auto(GStrv) extra = row->extra ? g_strsplit(row->extra, ",", -1) : NULL;
  g_autoptr(GPtrArray) token = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  g_autofree char *joined = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;
  GpComputer *computer = fixture_computer(model, row->computer);

  token_fixture(model);
  if (row->no_computer_sid)
    g_clear_pointer(&computer->sid, g_free);
  if (row->domain_sid)
    gp_model_ensure_domain(model, CONTOSO_DN)->sid = g_strdup(DOM);
  token = gp_engine_computer_token(model, computer, (const char *const *)extra);
  CU_ASSERT_PTR_NOT_NULL_FATAL(token);
  for (guint i = 0; i < token->len; i++) {
    const char *sid = g_ptr_array_index(token, i);
    g_autofree char *upper = g_ascii_strup(sid, -1);
    GP_ASSERT_STR(sid, upper);
    if (!g_hash_table_add(seen, (gpointer)sid))
      printf("\n%s: %s twice in the token\n", row->id, sid);
    CU_ASSERT_EQUAL(g_hash_table_size(seen), i + 1);
  }
  joined = render_strings(token, " ");
  got = sorted_words(joined);
  want = sorted_words(row->token);
  GP_ASSERT_STR(got, want);
}

static const TokenRow *
find_token_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(token_rows); i++)
    if (strcmp(token_rows[i].id, id) == 0)
      return &token_rows[i];
  return NULL;
}

/* ============================================================= the tests */

/* One test per row: test_<area>_<id> runs the row of that id. */
#define ROW_TEST(area, id)                                                                         \
  static void test_##area##_##id(void)                                                             \
  {                                                                                                \
    const area##_row_type *row = find_##area##_row(#id);                                           \
    if (!row)                                                                                      \
      printf("\nno " #area " row '%s'\n", #id);                                                    \
    CU_ASSERT_PTR_NOT_NULL_FATAL(row);                                                             \
    check_##area##_row(row);                                                                       \
  }

typedef SecRow sec_row_type;
typedef WmiRow wmi_row_type;
typedef SiteRow site_row_type;
typedef OuRow ou_row_type;
typedef ForestRow forest_row_type;
typedef StandaloneRow standalone_row_type;
typedef PersistRow persist_row_type;
typedef TokenRow token_row_type;

ROW_TEST(sec, default_dacl)
ROW_TEST(sec, apply_group_not_member)
ROW_TEST(sec, apply_group_member_of)
ROW_TEST(sec, apply_group_nested)
ROW_TEST(sec, apply_group_members)
ROW_TEST(sec, apply_group_members_nested)
ROW_TEST(sec, apply_group_extra_groups)
ROW_TEST(sec, apply_computer_account)
ROW_TEST(sec, deny_domain_computers)
ROW_TEST(sec, deny_read_domain_computers)
ROW_TEST(sec, deny_group_via_member_list)
ROW_TEST(sec, deny_group_via_extra_groups)
ROW_TEST(sec, deny_group_not_member)
ROW_TEST(sec, no_read)
ROW_TEST(sec, empty_dacl)
ROW_TEST(sec, null_dacl)
ROW_TEST(sec, no_descriptor)

ROW_TEST(wmi, default_assumed_true)
ROW_TEST(wmi, default_false)
ROW_TEST(wmi, value_true_beats_default_false)
ROW_TEST(wmi, value_false_beats_default_true)
ROW_TEST(wmi, value_of_another_filter_ignored)
ROW_TEST(wmi, lower_case_id_in_gpo)
ROW_TEST(wmi, filter_not_in_model_assumed_true)
ROW_TEST(wmi, filter_not_in_model_set_false)
ROW_TEST(wmi, filter_not_in_model_default_false)
ROW_TEST(wmi, flip_to_local_layer)
ROW_TEST(wmi, shared_filter_flips_both)
ROW_TEST(wmi, no_note_when_winner_unchanged)
ROW_TEST(wmi, no_note_when_gpo_defines_nothing)
ROW_TEST(wmi, no_sensitivity_suppresses_note)

ROW_TEST(site, ip_longest_prefix)
ROW_TEST(site, ip_shorter_prefix)
ROW_TEST(site, ipv6_longest_prefix)
ROW_TEST(site, ipv6_shorter_prefix)
ROW_TEST(site, ip_in_no_subnet)
ROW_TEST(site, ip_in_subnet_without_site)
ROW_TEST(site, ipv6_in_no_subnet)
ROW_TEST(site, ip_invalid)
ROW_TEST(site, ip_subnet_site_not_in_data)
ROW_TEST(site, site_option_beats_ip)
ROW_TEST(site, empty_site_option_beats_ip)
ROW_TEST(site, site_option_not_in_data)
ROW_TEST(site, computer_site_without_options)
ROW_TEST(site, ip_beats_computer_site)
ROW_TEST(site, two_sites_no_hint)
ROW_TEST(site, standalone_no_site)

ROW_TEST(ou, no_ou)
ROW_TEST(ou, other_ou)
ROW_TEST(ou, other_ou_any_case)
ROW_TEST(ou, ou_in_child_domain)
ROW_TEST(ou, child_domain_root)
ROW_TEST(ou, cn_container)
ROW_TEST(ou, ou_not_in_data)

ROW_TEST(forest, child_domain_gets_own_links_only)
ROW_TEST(forest, parent_domain_gets_no_child_links)
ROW_TEST(forest, cross_domain_link)
ROW_TEST(forest, cross_domain_link_not_found)
ROW_TEST(forest, link_not_found_same_guid_elsewhere)
ROW_TEST(forest, same_guid_child_domain)
ROW_TEST(forest, same_guid_parent_domain)
ROW_TEST(forest, same_guid_cross_domain_link)

ROW_TEST(standalone, local_policy_decides)
ROW_TEST(standalone, role_default_column)
ROW_TEST(standalone, local_policy_without_the_right)
ROW_TEST(standalone, site_option_ignored)
ROW_TEST(standalone, ip_option_ignored)
ROW_TEST(standalone, all_rights_are_the_local_ones)

ROW_TEST(persist, next_gpo)
ROW_TEST(persist, next_gpo_with_local_policy)
ROW_TEST(persist, next_gpo_under_enforced_winner)
ROW_TEST(persist, next_gpo_is_the_nearest_below)
ROW_TEST(persist, next_gpo_skips_not_applied)
ROW_TEST(persist, reverted_to_given_local_policy)
ROW_TEST(persist, reverted_to_role_default)
ROW_TEST(persist, reverted_to_role_default_member_column)
ROW_TEST(persist, tattooed_role_default_not_defined)
ROW_TEST(persist, tattooed_local_policy_without_the_right)
ROW_TEST(persist, tattooed_defined_empty)
ROW_TEST(persist, duplicate_link_is_not_another_gpo)
ROW_TEST(persist, duplicate_link_only_reverts)

ROW_TEST(token, member_server)
ROW_TEST(token, member_server_extra_groups)
ROW_TEST(token, member_server_sid_from_domain)
ROW_TEST(token, domain_controller)
ROW_TEST(token, child_domain_member)

static void test_rows_all_wired(void);

static const GpTestCase cases[] = {
  GP_TEST(test_sec_default_dacl),
  GP_TEST(test_sec_apply_group_not_member),
  GP_TEST(test_sec_apply_group_member_of),
  GP_TEST(test_sec_apply_group_nested),
  GP_TEST(test_sec_apply_group_members),
  GP_TEST(test_sec_apply_group_members_nested),
  GP_TEST(test_sec_apply_group_extra_groups),
  GP_TEST(test_sec_apply_computer_account),
  GP_TEST(test_sec_deny_domain_computers),
  GP_TEST(test_sec_deny_read_domain_computers),
  GP_TEST(test_sec_deny_group_via_member_list),
  GP_TEST(test_sec_deny_group_via_extra_groups),
  GP_TEST(test_sec_deny_group_not_member),
  GP_TEST(test_sec_no_read),
  GP_TEST(test_sec_empty_dacl),
  GP_TEST(test_sec_null_dacl),
  GP_TEST(test_sec_no_descriptor),
  GP_TEST(test_wmi_default_assumed_true),
  GP_TEST(test_wmi_default_false),
  GP_TEST(test_wmi_value_true_beats_default_false),
  GP_TEST(test_wmi_value_false_beats_default_true),
  GP_TEST(test_wmi_value_of_another_filter_ignored),
  GP_TEST(test_wmi_lower_case_id_in_gpo),
  GP_TEST(test_wmi_filter_not_in_model_assumed_true),
  GP_TEST(test_wmi_filter_not_in_model_set_false),
  GP_TEST(test_wmi_filter_not_in_model_default_false),
  GP_TEST(test_wmi_flip_to_local_layer),
  GP_TEST(test_wmi_shared_filter_flips_both),
  GP_TEST(test_wmi_no_note_when_winner_unchanged),
  GP_TEST(test_wmi_no_note_when_gpo_defines_nothing),
  GP_TEST(test_wmi_no_sensitivity_suppresses_note),
  GP_TEST(test_site_ip_longest_prefix),
  GP_TEST(test_site_ip_shorter_prefix),
  GP_TEST(test_site_ipv6_longest_prefix),
  GP_TEST(test_site_ipv6_shorter_prefix),
  GP_TEST(test_site_ip_in_no_subnet),
  GP_TEST(test_site_ip_in_subnet_without_site),
  GP_TEST(test_site_ipv6_in_no_subnet),
  GP_TEST(test_site_ip_invalid),
  GP_TEST(test_site_ip_subnet_site_not_in_data),
  GP_TEST(test_site_site_option_beats_ip),
  GP_TEST(test_site_empty_site_option_beats_ip),
  GP_TEST(test_site_site_option_not_in_data),
  GP_TEST(test_site_computer_site_without_options),
  GP_TEST(test_site_ip_beats_computer_site),
  GP_TEST(test_site_two_sites_no_hint),
  GP_TEST(test_site_standalone_no_site),
  GP_TEST(test_ou_no_ou),
  GP_TEST(test_ou_other_ou),
  GP_TEST(test_ou_other_ou_any_case),
  GP_TEST(test_ou_ou_in_child_domain),
  GP_TEST(test_ou_child_domain_root),
  GP_TEST(test_ou_cn_container),
  GP_TEST(test_ou_ou_not_in_data),
  GP_TEST(test_forest_child_domain_gets_own_links_only),
  GP_TEST(test_forest_parent_domain_gets_no_child_links),
  GP_TEST(test_forest_cross_domain_link),
  GP_TEST(test_forest_cross_domain_link_not_found),
  GP_TEST(test_forest_link_not_found_same_guid_elsewhere),
  GP_TEST(test_forest_same_guid_child_domain),
  GP_TEST(test_forest_same_guid_parent_domain),
  GP_TEST(test_forest_same_guid_cross_domain_link),
  GP_TEST(test_standalone_local_policy_decides),
  GP_TEST(test_standalone_role_default_column),
  GP_TEST(test_standalone_local_policy_without_the_right),
  GP_TEST(test_standalone_site_option_ignored),
  GP_TEST(test_standalone_ip_option_ignored),
  GP_TEST(test_standalone_all_rights_are_the_local_ones),
  GP_TEST(test_persist_next_gpo),
  GP_TEST(test_persist_next_gpo_with_local_policy),
  GP_TEST(test_persist_next_gpo_under_enforced_winner),
  GP_TEST(test_persist_next_gpo_is_the_nearest_below),
  GP_TEST(test_persist_next_gpo_skips_not_applied),
  GP_TEST(test_persist_reverted_to_given_local_policy),
  GP_TEST(test_persist_reverted_to_role_default),
  GP_TEST(test_persist_reverted_to_role_default_member_column),
  GP_TEST(test_persist_tattooed_role_default_not_defined),
  GP_TEST(test_persist_tattooed_local_policy_without_the_right),
  GP_TEST(test_persist_tattooed_defined_empty),
  GP_TEST(test_persist_duplicate_link_is_not_another_gpo),
  GP_TEST(test_persist_duplicate_link_only_reverts),
  GP_TEST(test_token_member_server),
  GP_TEST(test_token_member_server_extra_groups),
  GP_TEST(test_token_member_server_sid_from_domain),
  GP_TEST(test_token_domain_controller),
  GP_TEST(test_token_child_domain_member),
  GP_TEST(test_rows_all_wired),
};

/* Every row of every table has its own test, and no id is used twice. */
static void
check_wired(GHashTable *seen, const char *area, const char *id)
{
  g_autofree char *name = g_strdup_printf("test_%s_%s", area, id);
  gboolean found = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS(cases) && !found; i++)
    found = strcmp(cases[i].name, name) == 0;
  if (!found)
    printf("\nrow %s has no GP_TEST entry\n", name);
  CU_ASSERT_TRUE(found);
  if (!g_hash_table_add(seen, g_steal_pointer(&name)))
    printf("\nrow %s_%s is defined twice\n", area, id);
}

#define CHECK_WIRED(area, rows)                                                                    \
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)                                                   \
  check_wired(seen, #area, rows[i].id)

static void
test_rows_all_wired(void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  gsize n_rows = G_N_ELEMENTS(sec_rows) + G_N_ELEMENTS(wmi_rows) + G_N_ELEMENTS(site_rows)
                 + G_N_ELEMENTS(ou_rows) + G_N_ELEMENTS(forest_rows) + G_N_ELEMENTS(standalone_rows)
                 + G_N_ELEMENTS(persist_rows) + G_N_ELEMENTS(token_rows);

  CHECK_WIRED(sec, sec_rows);
  CHECK_WIRED(wmi, wmi_rows);
  CHECK_WIRED(site, site_rows);
  CHECK_WIRED(ou, ou_rows);
  CHECK_WIRED(forest, forest_rows);
  CHECK_WIRED(standalone, standalone_rows);
  CHECK_WIRED(persist, persist_rows);
  CHECK_WIRED(token, token_rows);
  CU_ASSERT_EQUAL(g_hash_table_size(seen), n_rows);
  /* one case per row, plus this one */
  CU_ASSERT_EQUAL(G_N_ELEMENTS(cases), n_rows + 1);
}

GP_TEST_MAIN("fidelity", cases)
