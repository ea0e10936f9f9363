/* test_model.c - the in-memory model (model/gp-model.h): the rights catalogue,
 * the principal directory, domain accounts, lookups by DN in any spelling,
 * computers by any of their names, GPOs sharing a GUID, security templates,
 * and the formats of diagnostics and load errors (model/gp-diag.h). */
#include "gp-test.h"

#include <stdio.h>
#include <string.h>

#include "gp-model.h"
#include "gp-plan.h"

/* Asserts @cond (evaluated once) and leaves the test when it does not hold,
 * without the longjmp of the _FATAL asserts, which would skip g_autoptr cleanup. */
#define REQUIRE(cond)                                                                              \
  do {                                                                                             \
    gboolean require_ok_ = (cond) ? TRUE : FALSE;                                                  \
    CU_assertImplementation(require_ok_, __LINE__, #cond, __FILE__, "", CU_FALSE);                 \
    if (!require_ok_)                                                                              \
      return;                                                                                      \
  } while (0)

#define DDP_GUID "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define SECURITY_CSE_PAIR                                                                          \
  "[{827d319e-6eac-11d2-a4ea-00c04f79f83a}{803e14a0-b4fb-11d0-a0d0-00a0c90f574b}]"

/* ---------------------------------------------------------------- catalogue */

static const char *const catalogue[][2] = {
  { "SeImpersonatePrivilege", "Impersonate a client after authentication" },
  { "SeNetworkLogonRight", "Access this computer from the network" },
  { "SeTcbPrivilege", "Act as part of the operating system" },
};

static const struct {
  const char *name;
  const char *constant; /* NULL: not found */
} right_lookup_cases[] = {
  { "SeImpersonatePrivilege", "SeImpersonatePrivilege" },
  { "seimpersonateprivilege", "SeImpersonatePrivilege" },
  { "SEIMPERSONATEPRIVILEGE", "SeImpersonatePrivilege" },
  { "Impersonate a client after authentication", "SeImpersonatePrivilege" },
  { "IMPERSONATE A CLIENT AFTER AUTHENTICATION", "SeImpersonatePrivilege" },
  { "access this computer from the network", "SeNetworkLogonRight" },
  { "SeTcbPrivilege", "SeTcbPrivilege" },
  { "SeImpersonate", NULL },
  { "Impersonate a client", NULL },
  { "", NULL },
};

static void
test_model_right_lookup(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  const GPtrArray *rights;

  for (gsize i = 0; i < G_N_ELEMENTS(catalogue); i++)
    gp_model_add_right_info(model, gp_right_info_new(catalogue[i][0], catalogue[i][1]));
  for (gsize i = 0; i < G_N_ELEMENTS(right_lookup_cases); i++) {
    const GpRightInfo *info = gp_model_lookup_right(model, right_lookup_cases[i].name);
    GP_ASSERT_STR(info ? info->constant : NULL, right_lookup_cases[i].constant);
  }
  /* Catalogue order is insertion order. */
  rights = gp_model_rights(model);
  REQUIRE(rights->len == G_N_ELEMENTS(catalogue));
  for (guint i = 0; i < rights->len; i++)
    GP_ASSERT_STR(((const GpRightInfo *)g_ptr_array_index(rights, i))->constant, catalogue[i][0]);
}

/* --------------------------------------------------------------- principals */

static const char *const principals[][2] = {
  { "S-1-5-32-544", "BUILTIN\\Administrators" },
  { "s-1-5-19", "NT AUTHORITY\\LOCAL SERVICE" },
  { "S-1-1-0", "Everyone" },
  /* A second name for a SID already named: the first name is kept. */
  { "S-1-5-32-544", "Administrateurs" },
  /* A second SID with a name already taken: the first SID keeps it. */
  { "S-1-5-21-9-9-9-500", "BUILTIN\\Administrators" },
};

static const struct {
  const char *sid;
  const char *name;
} name_by_sid_cases[] = {
  { "S-1-5-32-544", "BUILTIN\\Administrators" },
  { "s-1-5-32-544", "BUILTIN\\Administrators" },
  { "S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE" },
  { "S-1-1-0", "Everyone" },
  { "S-1-5-21-9-9-9-500", "BUILTIN\\Administrators" },
  { "S-1-5-20", NULL },
};

static const struct {
  const char *name;
  const char *sid;
} sid_by_name_cases[] = {
  { "BUILTIN\\Administrators", "S-1-5-32-544" },
  { "builtin\\ADMINISTRATORS", "S-1-5-32-544" },
  /* The short name after "DOMAIN\", and a qualified name whose short part is known. */
  { "Administrators", "S-1-5-32-544" },
  { "local service", "S-1-5-19" },
  { "WEB01\\Local Service", "S-1-5-19" },
  { "everyone", "S-1-1-0" },
  { "Administrateurs", "S-1-5-32-544" },
  { "NT AUTHORITY\\NETWORK SERVICE", NULL },
  { "Administrator", NULL },
  { "BUILTIN\\", NULL },
};

static void
test_model_principals(void)
{
  g_autoptr(GpModel) model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(principals); i++)
    gp_model_add_principal(model, principals[i][0], principals[i][1]);
  for (gsize i = 0; i < G_N_ELEMENTS(name_by_sid_cases); i++)
    GP_ASSERT_STR(gp_model_principal_name(model, name_by_sid_cases[i].sid),
                  name_by_sid_cases[i].name);
  for (gsize i = 0; i < G_N_ELEMENTS(sid_by_name_cases); i++)
    GP_ASSERT_STR(gp_model_principal_sid(model, sid_by_name_cases[i].name),
                  sid_by_name_cases[i].sid);
}

/* Enough accounts for the directory to grow many times: every one is found by
 * SID, full name and short name in any case; names given twice (a second SID
 * for a taken name, a second name for a known SID) keep the first answer;
 * non-ASCII names fold as g_utf8_casefold() does. */
static void
test_model_principals_many(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  const guint count = 20000;

  for (guint i = 0; i < count; i++) {
    g_autofree char *sid = g_strdup_printf("s-1-5-21-1-2-3-%u", 1000 + i);
    g_autofree char *name = g_strdup_printf("CONTOSO\\WS-%07u$", i);
    gp_model_add_principal(model, sid, name);
  }
  gp_model_add_principal(model, "S-1-5-21-9-9-9-1000", "OTHER\\ws-0000007$");
  gp_model_add_principal(model, "S-1-5-21-1-2-3-1008", "CONTOSO\\Second Name");
  gp_model_add_principal(model, "S-1-5-21-1-2-3-77777", "CONTOSO\\Ünïcode Straße");
  for (guint i = 0; i < count; i += 7) {
    g_autofree char *sid = g_strdup_printf("S-1-5-21-1-2-3-%u", 1000 + i);
    g_autofree char *name = g_strdup_printf("CONTOSO\\WS-%07u$", i);
    g_autofree char *lower = g_ascii_strdown(name, -1);
    GP_ASSERT_STR(gp_model_principal_name(model, sid), name);
    GP_ASSERT_STR(gp_model_principal_sid(model, lower), sid);
    GP_ASSERT_STR(gp_model_principal_sid(model, strchr(lower, '\\') + 1), sid);
  }
  /* The short name was taken by CONTOSO's account; the full name is new. */
  GP_ASSERT_STR(gp_model_principal_sid(model, "ws-0000007$"), "S-1-5-21-1-2-3-1007");
  GP_ASSERT_STR(gp_model_principal_sid(model, "other\\WS-0000007$"), "S-1-5-21-9-9-9-1000");
  GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-21-9-9-9-1000"), "OTHER\\ws-0000007$");
  GP_ASSERT_STR(gp_model_principal_name(model, "S-1-5-21-1-2-3-1008"), "CONTOSO\\WS-0000008$");
  GP_ASSERT_STR(gp_model_principal_sid(model, "second name"), "S-1-5-21-1-2-3-1008");
  GP_ASSERT_STR(gp_model_principal_sid(model, "ÜNÏCODE STRASSE"), "S-1-5-21-1-2-3-77777");
  GP_ASSERT_STR(gp_model_principal_sid(model, "contoso\\ünïcode straße"), "S-1-5-21-1-2-3-77777");
  CU_ASSERT_PTR_NULL(gp_model_principal_sid(model, "WS-0020000$"));
  CU_ASSERT_PTR_NULL(gp_model_principal_name(model, "S-1-5-21-1-2-3-21000"));
}

static void
test_model_principal_copy(void)
{
  g_autoptr(GpPrincipal) named = gp_principal_new(NULL, "Guest");
  g_autoptr(GpPrincipal) copy = gp_principal_copy(named);

  CU_ASSERT_PTR_NOT_EQUAL(copy, named);
  CU_ASSERT_PTR_NULL(copy->sid);
  GP_ASSERT_STR(copy->name, "Guest");
  CU_ASSERT_PTR_NOT_EQUAL(copy->name, named->name);
  gp_principal_free(NULL);
}

/* ---------------------------------------------------------- domain accounts */

static const struct {
  const char *dn;
  const char *netbios; /* as loaded; NULL: taken from the DNS name */
  const char *sid;
} domains[] = {
  { "DC=contoso,DC=com", NULL, "S-1-5-21-1-2-3" },
  { "DC=corp,DC=fabrikam,DC=com", "FABRIKAM", "S-1-5-21-4-5-6" },
  { "dc=Lab,dc=Local", NULL, NULL },
  { "O=NoDc", NULL, "S-1-5-21-7-8-9" },
};

static const char *const expected_netbios[] = { "CONTOSO", "FABRIKAM", "LAB", NULL };

static const struct {
  const char *sid;
  const char *name;
} domain_account_cases[] = {
  { "S-1-5-21-1-2-3-512", "CONTOSO\\Domain Admins" },
  { "S-1-5-21-1-2-3-513", "CONTOSO\\Domain Users" },
  { "S-1-5-21-4-5-6-512", "FABRIKAM\\Domain Admins" },
  { "S-1-5-21-4-5-6-501", "FABRIKAM\\Guest" },
  /* No NetBIOS name to put in front: not named. */
  { "S-1-5-21-7-8-9-512", NULL },
  /* Not a registered RID. */
  { "S-1-5-21-1-2-3-514", NULL },
};

static const struct {
  const char *name;
  const char *sid;
} domain_account_sid_cases[] = {
  { "CONTOSO\\Domain Admins", "S-1-5-21-1-2-3-512" },
  { "fabrikam\\domain admins", "S-1-5-21-4-5-6-512" },
  /* The short name belongs to the first domain that was named. */
  { "Domain Admins", "S-1-5-21-1-2-3-512" },
};

static GpModel *
domains_model_new(void)
{
  GpModel *model = gp_model_new();

  gp_model_add_domain_account(model, 512, "Domain Admins");
  gp_model_add_domain_account(model, 513, "Domain Users");
  gp_model_add_domain_account(model, 501, "Guest");
  for (gsize i = 0; i < G_N_ELEMENTS(domains); i++) {
    GpDomain *domain = gp_model_ensure_domain(model, domains[i].dn);
    domain->netbios_name = g_strdup(domains[i].netbios);
    domain->sid = g_strdup(domains[i].sid);
  }
  return model;
}

static void
test_model_domain_accounts(void)
{
  g_autoptr(GpModel) model = domains_model_new();
  const GPtrArray *list = gp_model_domains(model);

  CU_ASSERT_PTR_NULL(gp_model_principal_name(model, "S-1-5-21-1-2-3-512"));
  /* Completing twice changes nothing. */
  gp_model_complete(model);
  gp_model_complete(model);
  REQUIRE(list->len == G_N_ELEMENTS(domains));
  for (guint i = 0; i < list->len; i++)
    GP_ASSERT_STR(((const GpDomain *)g_ptr_array_index(list, i))->netbios_name,
                  expected_netbios[i]);
  for (gsize i = 0; i < G_N_ELEMENTS(domain_account_cases); i++)
    GP_ASSERT_STR(gp_model_principal_name(model, domain_account_cases[i].sid),
                  domain_account_cases[i].name);
  for (gsize i = 0; i < G_N_ELEMENTS(domain_account_sid_cases); i++)
    GP_ASSERT_STR(gp_model_principal_sid(model, domain_account_sid_cases[i].name),
                  domain_account_sid_cases[i].sid);
}

static const struct {
  const char *dn;
  const char *dns_name;
} domain_dns_cases[] = {
  { "DC=contoso,DC=com", "contoso.com" },
  { "dc=Sub, dc=Contoso ,DC=COM", "sub.contoso.com" },
  { "O=NoDc", NULL },
};

static void
test_model_domain_dns_name(void)
{
  g_autoptr(GpModel) model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(domain_dns_cases); i++) {
    GpDomain *domain = gp_model_ensure_domain(model, domain_dns_cases[i].dn);
    GP_ASSERT_STR(domain->dn, domain_dns_cases[i].dn);
    GP_ASSERT_STR(domain->dns_name, domain_dns_cases[i].dns_name);
    CU_ASSERT_PTR_EQUAL(gp_model_find_domain(model, domain_dns_cases[i].dn), domain);
  }
  CU_ASSERT_PTR_NULL(gp_model_find_domain(model, "DC=fabrikam,DC=com"));
}

/* -------------------------------------------------------------- idempotence */

typedef enum {
  KIND_DOMAIN,
  KIND_SOM,
  KIND_GPO,
  KIND_COMPUTER,
} RecordKind;

/* Both spellings must find the record the first one created. */
static const struct {
  RecordKind kind;
  const char *first;
  const char *second;
} same_record_cases[] = {
  { KIND_DOMAIN, "DC=contoso,DC=com", "dc=CONTOSO, dc=com" },
  { KIND_SOM, "OU=Web,DC=contoso,DC=com", "ou = web , dc=Contoso,DC=COM" },
  { KIND_SOM, "CN=Smith\\, John,OU=X,DC=x", "cn=smith\\, john, ou=x,dc=X" },
  { KIND_GPO, "CN=" DDP_GUID ",CN=Policies,CN=System,DC=contoso,DC=com",
    "cn={31b2f340-016d-11d2-945f-00c04fb984f9},cn=policies,cn=system,dc=contoso,dc=com" },
  { KIND_COMPUTER, "CN=WEB01,OU=Servers,DC=contoso,DC=com",
    "cn=web01 , ou=servers, dc=contoso, dc=com" },
};

/* Returns: (transfer none): the record @dn names, created when absent. */
static gconstpointer
ensure_record(GpModel *model, RecordKind kind, const char *dn)
{
  switch (kind) {
  case KIND_DOMAIN:
    return gp_model_ensure_domain(model, dn);
  case KIND_SOM:
    return gp_model_ensure_som(model, dn, GP_SOM_OU);
  case KIND_GPO:
    return gp_model_ensure_gpo_dn(model, dn);
  case KIND_COMPUTER:
    return gp_model_ensure_computer(model, dn);
  }
  return NULL;
}

static gconstpointer
find_record(GpModel *model, RecordKind kind, const char *dn)
{
  switch (kind) {
  case KIND_DOMAIN:
    return gp_model_find_domain(model, dn);
  case KIND_SOM:
    return gp_model_find_som(model, dn);
  case KIND_GPO:
    return gp_model_find_gpo_dn(model, dn);
  case KIND_COMPUTER: {
    g_autoptr(GPtrArray) found = gp_model_find_computers(model, dn);
    return found->len == 1 ? g_ptr_array_index(found, 0) : NULL;
  }
  }
  return NULL;
}

static guint
record_count(GpModel *model, RecordKind kind)
{
  switch (kind) {
  case KIND_DOMAIN:
    return gp_model_domains(model)->len;
  case KIND_SOM:
    return gp_model_soms(model)->len;
  case KIND_GPO:
    return gp_model_gpos(model)->len;
  case KIND_COMPUTER:
    return gp_model_computers(model)->len;
  }
  return 0;
}

static void
test_model_ensure_idempotent(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(same_record_cases); i++) {
    g_autoptr(GpModel) model = gp_model_new();
    RecordKind kind = same_record_cases[i].kind;
    gconstpointer first = ensure_record(model, kind, same_record_cases[i].first);
    gconstpointer second = ensure_record(model, kind, same_record_cases[i].second);

    CU_ASSERT_PTR_NOT_NULL(first);
    CU_ASSERT_PTR_EQUAL(second, first);
    CU_ASSERT_PTR_EQUAL(find_record(model, kind, same_record_cases[i].second), first);
    CU_ASSERT_EQUAL(record_count(model, kind), 1);
  }
}

/* A SOM keeps the kind and DN it was created with. */
static void
test_model_som_keeps_kind(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpSom *som = gp_model_ensure_som(model, "DC=contoso,DC=com", GP_SOM_DOMAIN);
  GpSom *again = gp_model_ensure_som(model, "dc=contoso,dc=com", GP_SOM_OU);

  CU_ASSERT_PTR_EQUAL(again, som);
  CU_ASSERT_EQUAL(som->kind, GP_SOM_DOMAIN);
  GP_ASSERT_STR(som->dn, "DC=contoso,DC=com");
  CU_ASSERT_EQUAL(som->links->len, 0);
  CU_ASSERT_PTR_NULL(som->gplink_raw);
}

static void
test_model_find_site(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpSom *site = gp_model_ensure_som(
      model, "CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=contoso,DC=com", GP_SOM_SITE);
  GpSom *ou = gp_model_ensure_som(model, "OU=Branch,DC=contoso,DC=com", GP_SOM_OU);

  site->name = g_strdup("Default-First-Site-Name");
  ou->name = g_strdup("Branch");
  CU_ASSERT_PTR_EQUAL(gp_model_find_site(model, "default-first-site-name"), site);
  /* Only sites are sites. */
  CU_ASSERT_PTR_NULL(gp_model_find_site(model, "Branch"));
  CU_ASSERT_PTR_NULL(gp_model_find_site(model, "Default"));
}

/* --------------------------------------------------------------- computers */

static const struct {
  const char *dn;
  const char *sam;
  const char *dns;
} computers[] = {
  { "CN=WEB01,OU=Servers,DC=contoso,DC=com", "WEB01$", "web01.contoso.com" },
  { "CN=WEB01,OU=Lab,DC=contoso,DC=com", NULL, NULL },
  { "CN=DB01,OU=Servers,DC=contoso,DC=com", "DB01$", "db01.contoso.com" },
  { "CN=Legacy Box,OU=Servers,DC=contoso,DC=com", "LEGACY01$", "legacy01.contoso.com" },
};

static const struct {
  const char *name;
  const char *matches; /* indexes into computers[], in model order */
} find_computer_cases[] = {
  { "DB01", "2" },
  { "db01", "2" },
  { "DB01$", "2" },
  { "db01.contoso.com", "2" },
  { "cn=db01, ou=servers,dc=contoso,dc=com", "2" },
  { "Legacy Box", "3" },
  { "legacy01", "3" },
  { "LEGACY01$", "3" },
  /* Two computers named WEB01 in different OUs: both match, the DN tells them apart. */
  { "WEB01", "0,1" },
  { "web01$", "0" },
  { "CN=WEB01,OU=Lab,DC=contoso,DC=com", "1" },
  { "db01.contoso", "" },
  { "DB0", "" },
  { "$", "" },
  { "CN=DB01,OU=Lab,DC=contoso,DC=com", "" },
  { "", "" },
};

static GpModel *
computers_model_new(void)
{
  GpModel *model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(computers); i++) {
    GpComputer *computer = gp_model_ensure_computer(model, computers[i].dn);
    computer->sam_account_name = g_strdup(computers[i].sam);
    computer->dns_host_name = g_strdup(computers[i].dns);
  }
  return model;
}

static char *
match_indexes(const GpModel *model, const GPtrArray *found)
{
  const GPtrArray *all = gp_model_computers(model);
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = 0; i < found->len; i++) {
    guint index;
    if (!g_ptr_array_find((GPtrArray *)all, g_ptr_array_index(found, i), &index))
      index = 99;
    g_string_append_printf(out, "%s%u", i ? "," : "", index);
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
test_model_find_computers(void)
{
  g_autoptr(GpModel) model = computers_model_new();
  const GPtrArray *all = gp_model_computers(model);

  REQUIRE(all->len == G_N_ELEMENTS(computers));
  GP_ASSERT_STR(((const GpComputer *)g_ptr_array_index(all, 3))->cn, "Legacy Box");
  for (gsize i = 0; i < G_N_ELEMENTS(find_computer_cases); i++) {
    g_autoptr(GPtrArray) found = gp_model_find_computers(model, find_computer_cases[i].name);
    g_autofree char *indexes = match_indexes(model, found);
    GP_ASSERT_STR(indexes, find_computer_cases[i].matches);
  }
}

/* -------------------------------------------------------------------- GPOs */

static void
test_model_gpos_shared_guid(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  GpGpo *contoso
      = gp_model_ensure_gpo_dn(model, "CN=" DDP_GUID ",CN=Policies,CN=System,DC=contoso,DC=com");
  GpGpo *fabrikam = gp_model_ensure_gpo_dn(
      model, "cn={31b2f340-016d-11d2-945f-00c04fb984f9},cn=policies,cn=system,DC=fabrikam,DC=com");
  GpGpo *orphan = gp_model_add_gpo_guid(model, "31b2f340-016d-11d2-945f-00c04fb984f9");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) invalid = NULL;

  REQUIRE(contoso && fabrikam && orphan);
  CU_ASSERT_PTR_NOT_EQUAL(contoso, fabrikam);
  GP_ASSERT_STR(contoso->guid, DDP_GUID);
  GP_ASSERT_STR(fabrikam->guid, DDP_GUID);
  GP_ASSERT_STR(orphan->guid, DDP_GUID);
  CU_ASSERT_PTR_NULL(orphan->dn);
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 3);

  found = gp_model_find_gpos_guid(model, "{31b2f340-016d-11d2-945f-00c04fb984f9}");
  REQUIRE(found->len == 3);
  CU_ASSERT_PTR_EQUAL(g_ptr_array_index(found, 0), contoso);
  CU_ASSERT_PTR_EQUAL(g_ptr_array_index(found, 1), fabrikam);
  CU_ASSERT_PTR_EQUAL(g_ptr_array_index(found, 2), orphan);
  none = gp_model_find_gpos_guid(model, "{6AC1786C-016F-11D2-945F-00C04FB984F9}");
  CU_ASSERT_EQUAL(none->len, 0);
  invalid = gp_model_find_gpos_guid(model, "not a guid");
  CU_ASSERT_EQUAL(invalid->len, 0);
  CU_ASSERT_PTR_EQUAL(
      gp_model_find_gpo_dn(model, "CN=" DDP_GUID ",CN=Policies,CN=System,DC=Fabrikam,DC=com"),
      fabrikam);
}

static void
test_model_gpo_dn_without_guid(void)
{
  g_autoptr(GpModel) model = gp_model_new();

  CU_ASSERT_PTR_NULL(gp_model_ensure_gpo_dn(model, "CN=NotAGuid,CN=Policies,DC=x"));
  CU_ASSERT_PTR_NULL(gp_model_ensure_gpo_dn(model, "OU=Sales,DC=FOO,DC=COM"));
  CU_ASSERT_EQUAL(gp_model_gpos(model)->len, 0);
  CU_ASSERT_PTR_NULL(gp_model_find_gpo_dn(model, "CN=NotAGuid,CN=Policies,DC=x"));
}

static const struct {
  const char *extensions;
  gboolean has_security;
} security_cse_cases[] = {
  { "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"
    "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]",
    TRUE },
  { SECURITY_CSE_PAIR, TRUE },
  { "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]", FALSE },
  /* The Security CSE GUID without braces is not the Security CSE. */
  { "827D319E-6EAC-11D2-A4EA-00C04F79F83A", FALSE },
  { "", FALSE },
  { NULL, FALSE },
};

static void
test_model_security_cse(void)
{
  g_autoptr(GpModel) model = gp_model_new();

  for (gsize i = 0; i < G_N_ELEMENTS(security_cse_cases); i++) {
    GpGpo *gpo = gp_model_add_gpo_guid(model, DDP_GUID);
    gpo->machine_extension_names = g_strdup(security_cse_cases[i].extensions);
    CU_ASSERT_EQUAL(gp_gpo_has_security_cse(gpo), security_cse_cases[i].has_security);
  }
}

/* -------------------------------------------------------- security template */

static const struct {
  const char *right;
  const char *found; /* the holder's SID, NULL: not found */
} template_lookup_cases[] = {
  { "SeImpersonatePrivilege", "S-1-5-32-544" },
  { "seimpersonateprivilege", "S-1-5-32-544" },
  { "SEDEBUGPRIVILEGE", "S-1-5-19" },
  { "SeImpersonate", NULL },
  { "SeTcbPrivilege", NULL },
};

static GpRightAssignment *
assignment_new(const char *right, const char *sid, guint line)
{
  GpRightAssignment *assignment = gp_right_assignment_new(right, "GptTmpl.inf", line);

  g_ptr_array_add(assignment->holders, gp_principal_new(sid, NULL));
  return assignment;
}

static void
test_model_template_lookup(void)
{
  g_autoptr(GpSecurityTemplate) tmpl = gp_security_template_new("GptTmpl.inf");

  gp_security_template_add(tmpl, assignment_new("SeImpersonatePrivilege", "S-1-5-32-544", 4));
  gp_security_template_add(tmpl, assignment_new("SeDebugPrivilege", "S-1-5-19", 5));
  for (gsize i = 0; i < G_N_ELEMENTS(template_lookup_cases); i++) {
    const GpRightAssignment *found
        = gp_security_template_lookup(tmpl, template_lookup_cases[i].right);
    const GpPrincipal *holder
        = found && found->holders->len ? g_ptr_array_index(found->holders, 0) : NULL;
    GP_ASSERT_STR(holder ? holder->sid : NULL, template_lookup_cases[i].found);
  }
}

/* A second assignment of a right replaces the first, in lookups and in the list. */
static void
test_model_template_duplicate(void)
{
  g_autoptr(GpSecurityTemplate) tmpl = gp_security_template_new(NULL);
  GpRightAssignment *second = assignment_new("seimpersonateprivilege", "S-1-5-6", 9);
  const GpRightAssignment *found;

  gp_security_template_add(tmpl, assignment_new("SeImpersonatePrivilege", "S-1-5-32-544", 4));
  gp_security_template_add(tmpl, assignment_new("SeDebugPrivilege", "S-1-5-19", 5));
  gp_security_template_add(tmpl, second);
  found = gp_security_template_lookup(tmpl, "SEIMPERSONATEPRIVILEGE");
  CU_ASSERT_PTR_EQUAL(found, second);
  REQUIRE(found != NULL);
  CU_ASSERT_EQUAL(found->line, 9);
  REQUIRE(tmpl->rights->len == 2);
  GP_ASSERT_STR(((const GpRightAssignment *)g_ptr_array_index(tmpl->rights, 0))->right,
                "SeDebugPrivilege");
  CU_ASSERT_PTR_EQUAL(g_ptr_array_index(tmpl->rights, 1), second);
  CU_ASSERT_EQUAL(g_hash_table_size(tmpl->by_right), 2);
}

static void
test_model_inf_sections(void)
{
  g_autoptr(GpSecurityTemplate) tmpl = gp_security_template_new("t.inf");
  GpInfSection *section = gp_inf_section_new("System Access", 3);
  const GpInfEntry *entry;

  gp_inf_section_add_entry(section, "MinimumPasswordAge", "1", 4);
  gp_inf_section_add_entry(section, NULL, "a line without '='", 5);
  g_ptr_array_add(tmpl->sections, section);
  REQUIRE(section->entries->len == 2);
  entry = g_ptr_array_index(section->entries, 0);
  GP_ASSERT_STR(entry->key, "MinimumPasswordAge");
  GP_ASSERT_STR(entry->value, "1");
  CU_ASSERT_EQUAL(entry->line, 4);
  entry = g_ptr_array_index(section->entries, 1);
  CU_ASSERT_PTR_NULL(entry->key);
  GP_ASSERT_STR(entry->value, "a line without '='");
}

/* ------------------------------------------------------------ diagnostics */

static const struct {
  GpSeverity severity;
  const char *file;
  guint line;
  const char *message;
  const char *expected;
} diag_format_cases[] = {
  { GP_SEVERITY_WARNING, "dc.ldif", 12, "bad thing", "dc.ldif:12: warning: bad thing" },
  { GP_SEVERITY_NOTE, "dc.ldif", 3, "by the way", "dc.ldif:3: note: by the way" },
  { GP_SEVERITY_WARNING, "sysvol/{X}", 0, "no line", "sysvol/{X}: warning: no line" },
  { GP_SEVERITY_NOTE, NULL, 7, "nowhere", "note: nowhere" },
  { GP_SEVERITY_WARNING, NULL, 0, "50% done", "warning: 50% done" },
};

static void
test_model_diagnostic_format(void)
{
  g_autoptr(GPtrArray) diags = gp_diag_list_new();

  for (gsize i = 0; i < G_N_ELEMENTS(diag_format_cases); i++)
    gp_diag_add(diags, diag_format_cases[i].severity, diag_format_cases[i].file,
                diag_format_cases[i].line, "%s", diag_format_cases[i].message);
  REQUIRE(diags->len == G_N_ELEMENTS(diag_format_cases));
  for (guint i = 0; i < diags->len; i++) {
    const GpDiagnostic *diag = g_ptr_array_index(diags, i);
    g_autofree char *text = gp_diagnostic_format(diag);
    GP_ASSERT_STR(text, diag_format_cases[i].expected);
    CU_ASSERT_EQUAL(diag->line, diag_format_cases[i].line);
  }
  /* A NULL list discards the finding. */
  gp_diag_add(NULL, GP_SEVERITY_WARNING, "x", 1, "dropped");
}

static const struct {
  GpLoadError code;
  const char *file;
  guint line;
  const char *expected;
} load_error_cases[] = {
  { GP_LOAD_ERROR_SYNTAX, "GptTmpl.inf", 7, "GptTmpl.inf:7: bad value 42" },
  { GP_LOAD_ERROR_IO, "GPT.INI", 0, "GPT.INI: bad value 42" },
  { GP_LOAD_ERROR_LIMIT, NULL, 0, "bad value 42" },
  { GP_LOAD_ERROR_ENCODING, NULL, 9, "bad value 42" },
};

static void
test_model_load_error_format(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(load_error_cases); i++) {
    g_autoptr(GError) error = NULL;

    gp_set_load_error(&error, load_error_cases[i].code, load_error_cases[i].file,
                      load_error_cases[i].line, "bad value %d", 42);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, (gint)load_error_cases[i].code));
    GP_ASSERT_STR(error ? error->message : NULL, load_error_cases[i].expected);
  }
  /* A NULL error location is allowed. */
  gp_set_load_error(NULL, GP_LOAD_ERROR_IO, "x", 1, "ignored");
}

static void
test_model_enum_strings(void)
{
  static const char *const roles[GP_ROLE_COUNT]
      = { "domain-controller", "member-server", "client", "standalone" };

  for (int role = 0; role < GP_ROLE_COUNT; role++)
    GP_ASSERT_STR(gp_role_to_string((GpRole)role), roles[role]);
  GP_ASSERT_STR(gp_role_to_string(GP_ROLE_COUNT), "unknown");
  GP_ASSERT_STR(gp_som_kind_to_string(GP_SOM_SITE), "site");
  GP_ASSERT_STR(gp_som_kind_to_string(GP_SOM_DOMAIN), "domain");
  GP_ASSERT_STR(gp_som_kind_to_string(GP_SOM_OU), "ou");
}

/* One entry a line: tests/CMakeLists.txt registers each line as a CTest test. */
/* clang-format off */
/* Error domains are named as GLib names them, not as a formatter spaces them. */
static void
test_error_domain_names(void)
{
  GP_ASSERT_STR(g_quark_to_string(GP_LOAD_ERROR), "gp-load-error-quark");
  GP_ASSERT_STR(g_quark_to_string(gp_plan_error_quark()), "gp-plan-error-quark");
}

static const GpTestCase cases[] = {
  GP_TEST(test_model_right_lookup),
  GP_TEST(test_error_domain_names),
  GP_TEST(test_model_principals),
  GP_TEST(test_model_principals_many),
  GP_TEST(test_model_principal_copy),
  GP_TEST(test_model_domain_accounts),
  GP_TEST(test_model_domain_dns_name),
  GP_TEST(test_model_ensure_idempotent),
  GP_TEST(test_model_som_keeps_kind),
  GP_TEST(test_model_find_site),
  GP_TEST(test_model_find_computers),
  GP_TEST(test_model_gpos_shared_guid),
  GP_TEST(test_model_gpo_dn_without_guid),
  GP_TEST(test_model_security_cse),
  GP_TEST(test_model_template_lookup),
  GP_TEST(test_model_template_duplicate),
  GP_TEST(test_model_inf_sections),
  GP_TEST(test_model_diagnostic_format),
  GP_TEST(test_model_load_error_format),
  GP_TEST(test_model_enum_strings),
};
/* clang-format on */

GP_TEST_MAIN("model", cases)
