/* gp-lab-generate.c - `gpsim lab generate`: a synthetic forest in the formats
 * real exports have, for scale tests and training labs (gp-lab.h).
 *
 *   gpsim lab generate --seed S --computers N --ous N --gpos N --sites N --domains N --out DIR
 *
 * One GRand seeded with the seed is drawn from in a fixed order: first the
 * plan (domains, sites, groups, OUs, GPOs, links), then the files in the order
 * they are written.  Output comes from arrays only, never from hash-table
 * iteration, and holds no time, so a seed always gives the same bytes.
 * Computers are drawn and written one at a time: memory grows with the OUs,
 * GPOs and group member lists, not with the computers' records.
 *
 * The distributions are stated in README.md ("Lab generator") and in the
 * README.md written next to the data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gp-cli.h"
#include "gp-lab.h"

/* ldapsearch (OpenLDAP 2.5, LDIF_LINE_WIDTH) folds values at 78 columns and
 * its "# ufn" comments at 79, as fixtures/labs/fabrikam/emea.ldif shows. */
#define LDIF_WIDTH    78
#define COMMENT_WIDTH 79
#define MAX_DEPTH     6
#define NO_INDEX      G_MAXUINT
#define WRITE_BUFFER  (1u << 20)

#define SECURITY_CSE                                                                               \
  "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
#define REGISTRY_CSE                                                                               \
  "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"
#define DDP_GUID  "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define DDCP_GUID "{6AC1786C-016F-11D2-945F-00C04fB984F9}"

/* ------------------------------------------------------------------ tables */

/* The 45 user rights with their weight in the draw: SeImpersonatePrivilege is
 * the most common, logon rights next, the rarely set privileges weigh 1. */
typedef struct {
  const char *name;
  guint weight;
} RightWeight;

static const RightWeight right_weights[] = {
  { "SeImpersonatePrivilege", 24 },
  { "SeServiceLogonRight", 10 },
  { "SeBatchLogonRight", 8 },
  { "SeInteractiveLogonRight", 8 },
  { "SeRemoteInteractiveLogonRight", 8 },
  { "SeNetworkLogonRight", 6 },
  { "SeDenyNetworkLogonRight", 5 },
  { "SeDenyInteractiveLogonRight", 5 },
  { "SeDenyRemoteInteractiveLogonRight", 4 },
  { "SeDebugPrivilege", 5 },
  { "SeBackupPrivilege", 4 },
  { "SeRestorePrivilege", 4 },
  { "SeShutdownPrivilege", 4 },
  { "SeRemoteShutdownPrivilege", 3 },
  { "SeTimeZonePrivilege", 3 },
  { "SeSystemtimePrivilege", 3 },
  { "SeAssignPrimaryTokenPrivilege", 3 },
  { "SeIncreaseQuotaPrivilege", 3 },
  { "SeSecurityPrivilege", 3 },
  { "SeTakeOwnershipPrivilege", 3 },
  { "SeLoadDriverPrivilege", 3 },
  { "SeCreateGlobalPrivilege", 3 },
  { "SeChangeNotifyPrivilege", 2 },
  { "SeDenyBatchLogonRight", 2 },
  { "SeDenyServiceLogonRight", 2 },
  { "SeManageVolumePrivilege", 2 },
  { "SeTcbPrivilege", 2 },
  { "SeTrustedCredManAccessPrivilege", 1 },
  { "SeMachineAccountPrivilege", 1 },
  { "SeCreatePagefilePrivilege", 1 },
  { "SeCreateTokenPrivilege", 1 },
  { "SeCreatePermanentPrivilege", 1 },
  { "SeCreateSymbolicLinkPrivilege", 1 },
  { "SeEnableDelegationPrivilege", 1 },
  { "SeAuditPrivilege", 1 },
  { "SeIncreaseWorkingSetPrivilege", 1 },
  { "SeIncreaseBasePriorityPrivilege", 1 },
  { "SeLockMemoryPrivilege", 1 },
  { "SeRelabelPrivilege", 1 },
  { "SeSystemEnvironmentPrivilege", 1 },
  { "SeProfileSingleProcessPrivilege", 1 },
  { "SeSystemProfilePrivilege", 1 },
  { "SeUndockPrivilege", 1 },
  { "SeSyncAgentPrivilege", 1 },
  { "SeDelegateSessionUserImpersonatePrivilege", 1 },
};

static const char *const root_names[]
    = { "relecloud", "northwind", "litware",      "tailspin",    "wingtiptoys",
        "woodgrove", "proseware", "fourthcoffee", "treyresearch" };
static const char *const top_ou_names[]
    = { "Servers", "Workstations", "Laptops", "Datacenter",  "Branches", "Kiosks",
        "Labs",    "Finance",      "Sales",   "Engineering", "HR",       "Operations" };
/* Which of top_ou_names hold servers. */
static const gboolean top_ou_servers[G_N_ELEMENTS(top_ou_names)]
    = { TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE };
static const char *const server_ou_names[]
    = { "Web", "SQL", "File", "Print", "App", "Citrix", "Backup", "Infra" };
static const char *const client_ou_names[]
    = { "Floor", "Team", "Dept", "Region", "Office", "Building", "Pool" };
static const char *const site_names[]
    = { "HQ",        "London", "Paris",   "NewYork",   "Tokyo",  "Sydney",
        "Frankfurt", "Madrid", "Toronto", "Singapore", "Dublin", "Austin" };
static const char *const gpo_areas[]
    = { "Baseline", "Servers", "Workstations",   "IIS",    "SQL",   "Print",   "Kiosk", "Branch",
        "Legacy",   "Citrix",  "Remote Desktop", "Backup", "Audit", "Laptops", "Lab" };
static const char *const gpo_topics[]
    = { "Rights",   "Hardening",     "Settings",     "Exceptions",
        "Lockdown", "Impersonation", "Logon Rights", "Service Accounts" };
static const char *const group_names[]
    = { "App Servers",   "Kiosk Computers", "Web Servers", "SQL Servers",
        "Print Servers", "Laptops",         "VDI Hosts",   "Lab Machines" };
static const char *const user_names[]
    = { "svc-app", "svc-sql", "svc-web", "svc-backup", "svc-print" };

typedef struct {
  const char *name;
  const char *description;
  const char *query;
} WmiQuery;

static const WmiQuery wmi_queries[] = {
  { "Server 2022 only", "Windows Server 2022 (build 20348) only",
    "SELECT * FROM Win32_OperatingSystem WHERE Version LIKE \"10.0.20348%\"" },
  { "Windows 11 only", "Windows 11 clients",
    "SELECT * FROM Win32_OperatingSystem WHERE Version LIKE \"10.0.22%\" AND ProductType = 1" },
  { "Laptops", "Computers with a battery", "SELECT * FROM Win32_Battery WHERE BatteryStatus <> 0" },
  { "Member servers", "Servers that are not domain controllers",
    "SELECT * FROM Win32_OperatingSystem WHERE ProductType = 3" },
  { "64-bit only", "x64 systems", "SELECT * FROM Win32_Processor WHERE AddressWidth = 64" },
  { "Hyper-V guests", "Virtual machines on Hyper-V",
    "SELECT * FROM Win32_ComputerSystem WHERE Model = \"Virtual Machine\"" },
};

typedef struct {
  const char *name;
  const char *version;
  guint weight;
} OsChoice;

static const OsChoice server_os[] = {
  { "Windows Server 2022 Standard", "10.0 (20348)", 45 },
  { "Windows Server 2019 Standard", "10.0 (17763)", 30 },
  { "Windows Server 2022 Datacenter", "10.0 (20348)", 10 },
  { "Windows Server 2016 Standard", "10.0 (14393)", 15 },
};
static const OsChoice client_os[] = {
  { "Windows 11 Enterprise", "10.0 (22631)", 55 },
  { "Windows 10 Enterprise", "10.0 (19045)", 40 },
  { "Windows 10 Pro", "10.0 (19045)", 5 },
};

/* ------------------------------------------------------------------ random */

static guint
pick(GRand *rand, guint n)
{
  return n > 1 ? (guint)g_rand_int_range(rand, 0, (gint32)n) : 0;
}

static gboolean
chance(GRand *rand, double p)
{
  return g_rand_double(rand) < p;
}

/* Binomial(n, p): a Poisson-like count without libm. */
static guint
binomial(GRand *rand, guint n, double p)
{
  guint k = 0;

  for (guint i = 0; i < n; i++)
    k += chance(rand, p) ? 1 : 0;
  return k;
}

static const OsChoice *
pick_os(GRand *rand, gboolean server)
{
  const OsChoice *table = server ? server_os : client_os;
  guint n = server ? G_N_ELEMENTS(server_os) : G_N_ELEMENTS(client_os);
  guint r = pick(rand, 100);

  for (guint i = 0; i < n; i++) {
    if (r < table[i].weight)
      return &table[i];
    r -= table[i].weight;
  }
  return &table[0];
}

static guint
pick_right(GRand *rand)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < G_N_ELEMENTS(right_weights); i++)
    total += right_weights[i].weight;
  r = pick(rand, total);
  for (guint i = 0; i < G_N_ELEMENTS(right_weights); i++) {
    if (r < right_weights[i].weight)
      return i;
    r -= right_weights[i].weight;
  }
  return 0;
}

static void
random_guid(GRand *rand, char out[39])
{
  guint32 w[4];

  for (guint i = 0; i < 4; i++)
    w[i] = g_rand_int(rand);
  g_snprintf(out, 39, "{%08X-%04X-4%03X-%04X-%04X%08X}", w[0], w[1] >> 16, w[1] & 0xFFFu,
             0x8000u | (w[2] >> 18), w[2] & 0xFFFFu, w[3]);
}

/* "20230412093015.0Z", somewhere in 2019-2024. */
static void
random_time(GRand *rand, char out[20])
{
  g_snprintf(out, 20, "%04u%02u%02u%02u%02u%02u.0Z", 2019 + pick(rand, 6), 1 + pick(rand, 12),
             1 + pick(rand, 28), pick(rand, 24), pick(rand, 60), pick(rand, 60));
}

/* -------------------------------------------------------------------- plan */

typedef struct {
  guint gpo;     /* index in Plan.gpos */
  guint options; /* gPLink options: 1 disabled, 2 enforced */
} Link;

typedef enum {
  ACL_DEFAULT, /* Authenticated Users read and apply */
  ACL_NONE,    /* no nTSecurityDescriptor in the export (not readable by the exporter) */
  ACL_FILTER,  /* security filtering: only a group applies */
  ACL_DENY,    /* a group is denied Apply Group Policy */
} AclKind;

typedef enum {
  GPO_DDP,
  GPO_DDCP,
  GPO_GENERATED,
} GpoKind;

typedef struct {
  char guid[39];
  char *name;
  char *dn;
  guint domain;
  GpoKind kind;
  guint flags;
  guint32 version;
  gboolean has_template;
  gboolean security_cse;
  gboolean registry_cse;
  AclKind acl;
  guint group; /* ACL_FILTER, ACL_DENY: index in Plan.groups */
  guint wmi;   /* NO_INDEX or index in Plan.wmis */
} Gpo;

typedef struct {
  char *name;
  char *dn;
  guint domain;
  guint parent; /* NO_INDEX for a top-level OU */
  guint depth;
  gboolean server;
  gboolean block;
  gboolean blank_gplink; /* gPLink " " left behind by an unlink */
  GArray *links;         /* (nullable) Link, link order 1 first */
} Ou;

typedef struct {
  char *name;
  char *dn;
  guint domain;
  guint32 rid;
  guint parent;       /* NO_INDEX or the group it is a member of */
  GPtrArray *members; /* char* DNs: nested groups, then computers as they are written */
} Group;

typedef struct {
  char id[39];
  char *dn;
  guint domain;
  guint query;
  guint number;
} Wmi;

typedef struct {
  char *name;
  char *dn;
  guint domain;
  guint site;
  guint32 rid;
} Dc;

typedef struct {
  char *name;
  char *dn;
  GArray *links;
} Site;

typedef struct {
  guint index;
  char *dns;
  char *dn;
  char *netbios;
  guint32 sid[3];
  guint n_computers; /* domain controllers included */
  guint first_dc, n_dcs;
  guint first_ou, n_ous;
  guint first_gpo, n_gpos; /* the DDP and the DDCP first */
  guint first_group, n_groups;
  guint first_wmi, n_wmi;
  guint n_users;
  guint32 first_computer_rid;
  GArray *links;    /* the domain root's */
  GArray *dc_links; /* OU=Domain Controllers' */
  guint64 usn;
} Domain;

typedef struct {
  GpLabParams params;
  GRand *rand;
  GPtrArray *domains; /* Domain* */
  GPtrArray *sites;   /* Site* */
  GPtrArray *ous;     /* Ou* */
  GPtrArray *gpos;    /* Gpo* */
  GPtrArray *groups;  /* Group* (generated ones; the built-in groups are fixed) */
  GPtrArray *wmis;    /* Wmi* */
  GPtrArray *dcs;     /* Dc* */
  guint computer_number;
  guint n_links, n_enforced, n_disabled, n_blocked;
} Plan;

static void
domain_free(Domain *domain)
{
  g_free(domain->dns);
  g_free(domain->dn);
  g_free(domain->netbios);
  g_array_unref(domain->links);
  g_array_unref(domain->dc_links);
  g_free(domain);
}

static void
site_free(Site *site)
{
  g_free(site->name);
  g_free(site->dn);
  g_array_unref(site->links);
  g_free(site);
}

static void
ou_free(Ou *ou)
{
  g_free(ou->name);
  g_free(ou->dn);
  if (ou->links)
    g_array_unref(ou->links);
  g_free(ou);
}

static void
gpo_free(Gpo *gpo)
{
  g_free(gpo->name);
  g_free(gpo->dn);
  g_free(gpo);
}

static void
group_free(Group *group)
{
  g_free(group->name);
  g_free(group->dn);
  g_ptr_array_unref(group->members);
  g_free(group);
}

static void
wmi_free(Wmi *wmi)
{
  g_free(wmi->dn);
  g_free(wmi);
}

static void
dc_free(Dc *dc)
{
  g_free(dc->name);
  g_free(dc->dn);
  g_free(dc);
}

static void
plan_free(Plan *plan)
{
  g_rand_free(plan->rand);
  g_ptr_array_unref(plan->domains);
  g_ptr_array_unref(plan->sites);
  g_ptr_array_unref(plan->ous);
  g_ptr_array_unref(plan->gpos);
  g_ptr_array_unref(plan->groups);
  g_ptr_array_unref(plan->wmis);
  g_ptr_array_unref(plan->dcs);
  g_free(plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Plan, plan_free)

static Domain *
plan_domain(const Plan *plan, guint index)
{
  return g_ptr_array_index(plan->domains, index);
}

/* Splits @total over @parts: the first ones get the remainder. */
static guint
share(guint total, guint parts, guint index)
{
  return total / parts + (index < total % parts ? 1 : 0);
}

static void
plan_domain_names(Plan *plan, Domain *domain, const char *root)
{
  if (domain->index == 0) {
    domain->dns = g_strdup_printf("%s.com", root);
    domain->netbios = g_ascii_strup(root, -1);
  } else {
    domain->dns = g_strdup_printf("child%u.%s.com", domain->index, root);
    domain->netbios = g_strdup_printf("CHILD%u", domain->index);
  }
  domain->dn = domain->index == 0 ? g_strdup_printf("DC=%s,DC=com", root)
                                  : g_strdup_printf("DC=child%u,DC=%s,DC=com", domain->index, root);
  for (guint i = 0; i < 3; i++)
    domain->sid[i] = (guint32)g_rand_int_range(plan->rand, 100000000, G_MAXINT32);
}

static void
plan_domains(Plan *plan)
{
  const GpLabParams *p = &plan->params;
  const char *root = root_names[pick(plan->rand, G_N_ELEMENTS(root_names))];

  for (guint d = 0; d < p->domains; d++) {
    Domain *domain = g_new0(Domain, 1);

    domain->index = d;
    plan_domain_names(plan, domain, root);
    domain->n_computers = share(p->computers, p->domains, d);
    domain->n_ous = share(p->ous, p->domains, d);
    domain->n_gpos = share(p->gpos, p->domains, d);
    domain->n_users = 3 + domain->n_gpos / 100;
    domain->n_groups = 2 + domain->n_gpos / 10;
    domain->n_wmi = 1 + domain->n_gpos / 40;
    domain->links = g_array_new(FALSE, FALSE, sizeof(Link));
    domain->dc_links = g_array_new(FALSE, FALSE, sizeof(Link));
    domain->usn = 12000;
    g_ptr_array_add(plan->domains, domain);
  }
}

static void
plan_sites(Plan *plan)
{
  const char *root_dn = plan_domain(plan, 0)->dn;

  for (guint i = 0; i < plan->params.sites; i++) {
    Site *site = g_new0(Site, 1);

    site->name
        = i < G_N_ELEMENTS(site_names) ? g_strdup(site_names[i]) : g_strdup_printf("Branch%04u", i);
    site->dn = g_strdup_printf("CN=%s,CN=Sites,CN=Configuration,%s", site->name, root_dn);
    site->links = g_array_new(FALSE, FALSE, sizeof(Link));
    g_ptr_array_add(plan->sites, site);
  }
}

/* Domain controllers: two in a root domain of 20 computers or more, else one;
 * each in a site, round robin over the sites. */
static void
plan_dcs(Plan *plan, Domain *domain)
{
  domain->n_dcs = domain->index == 0 && domain->n_computers >= 20 ? 2 : 1;
  domain->first_dc = plan->dcs->len;
  for (guint i = 0; i < domain->n_dcs; i++) {
    Dc *dc = g_new0(Dc, 1);

    dc->domain = domain->index;
    dc->name = domain->index == 0 ? g_strdup_printf("DC%02u", i + 1)
                                  : g_strdup_printf("%s-DC%02u", domain->netbios, i + 1);
    dc->dn = g_strdup_printf("CN=%s,OU=Domain Controllers,%s", dc->name, domain->dn);
    dc->site = plan->dcs->len % plan->params.sites;
    dc->rid = 1000 + i;
    g_ptr_array_add(plan->dcs, dc);
  }
}

/* Groups that GPOs filter on and computers join; a quarter nest in an earlier one. */
static void
plan_groups(Plan *plan, Domain *domain)
{
  domain->first_group = plan->groups->len;
  for (guint i = 0; i < domain->n_groups; i++) {
    Group *group = g_new0(Group, 1);

    group->domain = domain->index;
    group->name = g_strdup_printf("%s %03u", group_names[i % G_N_ELEMENTS(group_names)], i + 1);
    group->dn = g_strdup_printf("CN=%s,CN=Users,%s", group->name, domain->dn);
    group->rid = 1103 + domain->n_users + i;
    group->parent = NO_INDEX;
    group->members = g_ptr_array_new_with_free_func(g_free);
    if (i > 0 && chance(plan->rand, 0.25)) {
      Group *parent;
      group->parent = domain->first_group + pick(plan->rand, i);
      parent = g_ptr_array_index(plan->groups, group->parent);
      g_ptr_array_add(parent->members, g_strdup(group->dn));
    }
    g_ptr_array_add(plan->groups, group);
  }
  domain->first_computer_rid = 1103 + domain->n_users + domain->n_groups;
}

static void
plan_wmis(Plan *plan, Domain *domain)
{
  domain->first_wmi = plan->wmis->len;
  for (guint i = 0; i < domain->n_wmi; i++) {
    Wmi *wmi = g_new0(Wmi, 1);

    random_guid(plan->rand, wmi->id);
    wmi->domain = domain->index;
    wmi->query = i % G_N_ELEMENTS(wmi_queries);
    wmi->number = i / G_N_ELEMENTS(wmi_queries) + 1;
    wmi->dn = g_strdup_printf("CN=%s,CN=SOM,CN=WMIPolicy,CN=System,%s", wmi->id, domain->dn);
    g_ptr_array_add(plan->wmis, wmi);
  }
}

/* ----------------------------------------------------------------- the OUs */

/* Depth 1..6 drawn with these weights; the parent is drawn uniformly among the
 * OUs one level up created so far, so early OUs gather more children and the
 * fan-out is roughly geometric. */
static const guint depth_weights[MAX_DEPTH] = { 8, 22, 30, 22, 12, 6 };

static guint
draw_depth(GRand *rand)
{
  guint r = pick(rand, 100);

  for (guint d = 0; d < MAX_DEPTH; d++) {
    if (r < depth_weights[d])
      return d + 1;
    r -= depth_weights[d];
  }
  return 1;
}

static Ou *
ou_new(Plan *plan, const Domain *domain, guint parent, guint top_number)
{
  Ou *ou = g_new0(Ou, 1);
  const Ou *up = parent == NO_INDEX ? NULL : g_ptr_array_index(plan->ous, parent);
  guint t = top_number % G_N_ELEMENTS(top_ou_names);

  ou->domain = domain->index;
  ou->parent = parent;
  ou->depth = up ? up->depth + 1 : 1;
  ou->server = up ? up->server : top_ou_servers[t];
  if (!up && top_number < G_N_ELEMENTS(top_ou_names))
    ou->name = g_strdup(top_ou_names[t]);
  else if (!up)
    ou->name = g_strdup_printf("%s %u", top_ou_names[t],
                               (guint)(top_number / G_N_ELEMENTS(top_ou_names) + 1));
  else if (ou->server)
    ou->name = g_strdup_printf("%s-%05u",
                               server_ou_names[pick(plan->rand, G_N_ELEMENTS(server_ou_names))],
                               plan->ous->len + 1);
  else
    ou->name = g_strdup_printf("%s-%05u",
                               client_ou_names[pick(plan->rand, G_N_ELEMENTS(client_ou_names))],
                               plan->ous->len + 1);
  ou->dn = g_strdup_printf("OU=%s,%s", ou->name, up ? up->dn : domain->dn);
  ou->block = chance(plan->rand, 0.02);
  return ou;
}

static void
plan_ous(Plan *plan, Domain *domain)
{
  GArray *by_depth[MAX_DEPTH];
  guint top_number = 0;

  for (guint d = 0; d < MAX_DEPTH; d++)
    by_depth[d] = g_array_new(FALSE, FALSE, sizeof(guint));
  domain->first_ou = plan->ous->len;
  for (guint k = 0; k < domain->n_ous; k++) {
    guint depth = k == 0 ? 1 : draw_depth(plan->rand);
    guint parent = NO_INDEX;
    guint index = plan->ous->len;
    Ou *ou;

    while (depth > 1 && by_depth[depth - 2]->len == 0)
      depth--;
    if (depth > 1) {
      GArray *level = by_depth[depth - 2];
      parent = g_array_index(level, guint, pick(plan->rand, level->len));
    }
    ou = ou_new(plan, domain, parent, top_number);
    top_number += parent == NO_INDEX ? 1 : 0;
    g_array_append_val(by_depth[depth - 1], index);
    g_ptr_array_add(plan->ous, ou);
    if (ou->block)
      plan->n_blocked++;
  }
  for (guint d = 0; d < MAX_DEPTH; d++)
    g_array_unref(by_depth[d]);
}

/* ---------------------------------------------------------------- the GPOs */

static Gpo *
gpo_new(Plan *plan, const Domain *domain, GpoKind kind)
{
  Gpo *gpo = g_new0(Gpo, 1);

  gpo->domain = domain->index;
  gpo->kind = kind;
  gpo->wmi = NO_INDEX;
  gpo->acl = ACL_DEFAULT;
  gpo->has_template = TRUE;
  gpo->security_cse = TRUE;
  gpo->registry_cse = kind == GPO_DDP;
  if (kind == GPO_DDP)
    g_strlcpy(gpo->guid, DDP_GUID, sizeof gpo->guid);
  else if (kind == GPO_DDCP)
    g_strlcpy(gpo->guid, DDCP_GUID, sizeof gpo->guid);
  else
    random_guid(plan->rand, gpo->guid);
  gpo->dn = g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", gpo->guid, domain->dn);
  gpo->name = g_strdup(kind == GPO_DDP    ? "Default Domain Policy"
                       : kind == GPO_DDCP ? "Default Domain Controllers Policy"
                                          : "");
  gpo->version = 1 + pick(plan->rand, 12);
  return gpo;
}

/* Flags: 90% enabled, 5% user half disabled, 4% computer half disabled, 1% all. */
static guint
draw_gpo_flags(GRand *rand)
{
  guint r = pick(rand, 100);

  return r < 90 ? 0 : r < 95 ? 1 : r < 99 ? 2 : 3;
}

static void
draw_gpo_filters(Plan *plan, const Domain *domain, Gpo *gpo)
{
  guint r = pick(plan->rand, 100);

  gpo->acl = r < 1 ? ACL_NONE : r < 11 ? ACL_FILTER : r < 13 ? ACL_DENY : ACL_DEFAULT;
  if (gpo->acl == ACL_FILTER || gpo->acl == ACL_DENY)
    gpo->group = domain->first_group + pick(plan->rand, domain->n_groups);
  if (chance(plan->rand, 0.10))
    gpo->wmi = domain->first_wmi + pick(plan->rand, domain->n_wmi);
}

static Gpo *
generated_gpo(Plan *plan, const Domain *domain, guint number)
{
  Gpo *gpo = gpo_new(plan, domain, GPO_GENERATED);
  guint computer_version = 1 + pick(plan->rand, 40);
  guint user_version = chance(plan->rand, 0.4) ? 1 + pick(plan->rand, 10) : 0;

  g_free(gpo->name);
  gpo->name = g_strdup_printf("%s %s %04u", gpo_areas[pick(plan->rand, G_N_ELEMENTS(gpo_areas))],
                              gpo_topics[pick(plan->rand, G_N_ELEMENTS(gpo_topics))], number);
  gpo->flags = draw_gpo_flags(plan->rand);
  /* 2% have no computer settings at all (version 0, nothing in SYSVOL). */
  if (chance(plan->rand, 0.02))
    computer_version = 0;
  gpo->version = (guint32)(user_version << 16 | computer_version);
  gpo->has_template = computer_version > 0 && chance(plan->rand, 0.6);
  /* 1% of the templates lack the Security CSE registration (an old import). */
  gpo->security_cse = gpo->has_template && !chance(plan->rand, 0.01);
  gpo->registry_cse = computer_version > 0 && !gpo->has_template && chance(plan->rand, 0.7);
  draw_gpo_filters(plan, domain, gpo);
  return gpo;
}

static void
plan_gpos(Plan *plan, Domain *domain)
{
  domain->first_gpo = plan->gpos->len;
  g_ptr_array_add(plan->gpos, gpo_new(plan, domain, GPO_DDP));
  g_ptr_array_add(plan->gpos, gpo_new(plan, domain, GPO_DDCP));
  for (guint i = 2; i < domain->n_gpos; i++)
    g_ptr_array_add(plan->gpos, generated_gpo(plan, domain, plan->gpos->len + 1));
}

/* --------------------------------------------------------------- the links */

/* A generated GPO of @domain, or 3% of the time (several domains) of any domain. */
static guint
draw_link_target(Plan *plan, const Domain *domain)
{
  const Domain *from = domain;

  if (plan->params.domains > 1 && chance(plan->rand, 0.03))
    from = plan_domain(plan, pick(plan->rand, plan->params.domains));
  if (from->n_gpos <= 2)
    from = domain;
  if (from->n_gpos <= 2)
    return from->first_gpo;
  return from->first_gpo + 2 + pick(plan->rand, from->n_gpos - 2);
}

/* Options: 5% enforced, 3% disabled. */
static void
add_link(Plan *plan, GArray *links, guint gpo)
{
  guint r = pick(plan->rand, 100);
  Link link = { gpo, r < 5 ? 2u : r < 8 ? 1u : 0u };

  for (guint i = 0; i < links->len; i++)
    if (g_array_index(links, Link, i).gpo == gpo)
      return;
  g_array_append_val(links, link);
  plan->n_links++;
  plan->n_enforced += link.options == 2 ? 1 : 0;
  plan->n_disabled += link.options == 1 ? 1 : 0;
}

static void
add_random_links(Plan *plan, const Domain *domain, GArray *links, guint count)
{
  for (guint i = 0; i < count; i++)
    add_link(plan, links, draw_link_target(plan, domain));
}

/* Per OU Binomial(8, lambda/8) links, lambda = 1.2 x generated GPOs / OUs within
 * [0.1, 2.5]; the domain root: the DDP and 1-3 more; Domain Controllers: the
 * DDCP and 20% one more; each site Binomial(4, 0.2). */
static void
plan_domain_links(Plan *plan, Domain *domain)
{
  double lambda = 1.2 * (domain->n_gpos - 2) / MAX(1.0, (double)domain->n_ous);

  lambda = CLAMP(lambda, 0.1, 2.5);
  add_link(plan, domain->links, domain->first_gpo);
  add_random_links(plan, domain, domain->links, 1 + binomial(plan->rand, 2, 0.5));
  add_link(plan, domain->dc_links, domain->first_gpo + 1);
  add_random_links(plan, domain, domain->dc_links, chance(plan->rand, 0.2) ? 1 : 0);
  for (guint i = 0; i < domain->n_ous; i++) {
    Ou *ou = g_ptr_array_index(plan->ous, domain->first_ou + i);
    guint count = domain->n_gpos > 2 ? binomial(plan->rand, 8, lambda / 8) : 0;

    if (count > 0) {
      ou->links = g_array_new(FALSE, FALSE, sizeof(Link));
      add_random_links(plan, domain, ou->links, count);
    } else {
      ou->blank_gplink = chance(plan->rand, 0.03);
    }
  }
}

static void
plan_links(Plan *plan)
{
  for (guint d = 0; d < plan->domains->len; d++)
    plan_domain_links(plan, plan_domain(plan, d));
  for (guint i = 0; i < plan->sites->len; i++) {
    Site *site = g_ptr_array_index(plan->sites, i);
    add_random_links(plan, plan_domain(plan, 0), site->links, binomial(plan->rand, 4, 0.2));
  }
}

static Plan *
plan_new(const GpLabParams *params)
{
  Plan *plan = g_new0(Plan, 1);
  guint32 seed[2] = { (guint32)(params->seed & 0xFFFFFFFFu), (guint32)(params->seed >> 32) };

  plan->params = *params;
  plan->rand = g_rand_new_with_seed_array(seed, 2);
  plan->domains = g_ptr_array_new_with_free_func((GDestroyNotify)domain_free);
  plan->sites = g_ptr_array_new_with_free_func((GDestroyNotify)site_free);
  plan->ous = g_ptr_array_new_with_free_func((GDestroyNotify)ou_free);
  plan->gpos = g_ptr_array_new_with_free_func((GDestroyNotify)gpo_free);
  plan->groups = g_ptr_array_new_with_free_func((GDestroyNotify)group_free);
  plan->wmis = g_ptr_array_new_with_free_func((GDestroyNotify)wmi_free);
  plan->dcs = g_ptr_array_new_with_free_func((GDestroyNotify)dc_free);
  plan_domains(plan);
  plan_sites(plan);
  for (guint d = 0; d < plan->domains->len; d++) {
    Domain *domain = plan_domain(plan, d);
    plan_dcs(plan, domain);
    plan_groups(plan, domain);
    plan_wmis(plan, domain);
    plan_ous(plan, domain);
    plan_gpos(plan, domain);
  }
  plan_links(plan);
  return plan;
}

/* -------------------------------------------------------------- LDIF output */

typedef struct {
  FILE *fp;
  char *path;
  GString *record; /* the record being built */
  GString *line;   /* one unfolded line */
  guint entries;
} Ldif;

/* Appends @text folded the ldapsearch way: lines of @width columns, each
 * continuation starting with one space. */
static void
fold(GString *out, const char *text, gsize len, gsize width)
{
  gsize take = MIN(len, width);

  g_string_append_len(out, text, (gssize)take);
  for (gsize done = take; done < len; done += take) {
    take = MIN(len - done, width - 1);
    g_string_append(out, "\n ");
    g_string_append_len(out, text + done, (gssize)take);
  }
  g_string_append_c(out, '\n');
}

/* RFC 2849 SAFE-STRING; anything else is written base64, as ldapsearch does. */
static gboolean
is_safe_string(const char *value, gsize len)
{
  if (len == 0)
    return TRUE;
  if (value[0] == ' ' || value[0] == ':' || value[0] == '<' || value[len - 1] == ' ')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guchar)value[i] < 0x20 || (guchar)value[i] > 0x7e)
      return FALSE;
  return TRUE;
}

static void
ldif_value(Ldif *w, const char *name, const char *value, gsize len, gboolean binary)
{
  g_string_assign(w->line, name);
  if (!binary && is_safe_string(value, len)) {
    g_string_append(w->line, ": ");
    g_string_append_len(w->line, value, (gssize)len);
  } else {
    g_autofree char *b64 = g_base64_encode((const guchar *)value, len);
    g_string_append(w->line, ":: ");
    g_string_append(w->line, b64);
  }
  fold(w->record, w->line->str, w->line->len, LDIF_WIDTH);
}

static void
ldif_text(Ldif *w, const char *name, const char *value)
{
  ldif_value(w, name, value, strlen(value), FALSE);
}

static void ldif_printf(Ldif *w, const char *name, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
ldif_printf(Ldif *w, const char *name, const char *format, ...)
{
  g_autofree char *value = NULL;
  va_list args;

  va_start(args, format);
  value = g_strdup_vprintf(format, args);
  va_end(args);
  ldif_text(w, name, value);
}

static void
ldif_binary(Ldif *w, const char *name, const guint8 *data, gsize len)
{
  ldif_value(w, name, (const char *)data, len, TRUE);
}

/* "CN=WEB01,OU=Web,DC=contoso,DC=com" -> "WEB01, Web, contoso.com" (ldapsearch's ufn). */
static char *
ufn(const char *dn)
{
  g_auto(GStrv) rdns = g_strsplit(dn, ",", -1);
  g_autoptr(GString) out = g_string_new(NULL);
  gboolean in_dc = FALSE;

  for (guint i = 0; rdns[i]; i++) {
    const char *eq = strchr(rdns[i], '=');
    const char *value = eq ? eq + 1 : rdns[i];
    gboolean dc = g_ascii_strncasecmp(rdns[i], "DC=", 3) == 0;

    if (i > 0)
      g_string_append(out, dc && in_dc ? "." : ", ");
    g_string_append(out, value);
    in_dc = dc;
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
ldif_begin(Ldif *w, const char *dn)
{
  g_autofree char *name = ufn(dn);

  g_string_assign(w->line, "# ");
  g_string_append(w->line, name);
  fold(w->record, w->line->str, w->line->len, COMMENT_WIDTH);
  ldif_text(w, "dn", dn);
}

static void
ldif_end(Ldif *w)
{
  g_string_append_c(w->record, '\n');
  fwrite(w->record->str, 1, w->record->len, w->fp);
  g_string_truncate(w->record, 0);
  w->entries++;
}

static void
ldif_header(Ldif *w, const char *base)
{
  fprintf(w->fp,
          "# extended LDIF\n#\n# LDAPv3\n# base <%s> with scope subtree\n"
          "# filter: (objectclass=*)\n# requesting: * nTSecurityDescriptor \n#\n\n",
          base);
  w->entries = 0;
}

static void
ldif_trailer(Ldif *w)
{
  fprintf(w->fp,
          "# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: %u\n"
          "# numEntries: %u\n",
          w->entries + 1, w->entries);
}

static Ldif *
ldif_open(const char *path, GError **error)
{
  FILE *fp = fopen(path, "wb");
  Ldif *w;

  if (!fp) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s", path,
                g_strerror(saved));
    return NULL;
  }
  setvbuf(fp, NULL, _IOFBF, WRITE_BUFFER);
  w = g_new0(Ldif, 1);
  w->fp = fp;
  w->path = g_strdup(path);
  w->record = g_string_sized_new(4096);
  w->line = g_string_sized_new(256);
  return w;
}

/* Closes @w; Returns: FALSE with @error when anything failed to be written. */
static gboolean
ldif_close(Ldif *w, GError **error)
{
  gboolean ok = !ferror(w->fp);

  ok = fclose(w->fp) == 0 && ok;
  if (!ok)
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s", w->path);
  g_free(w->path);
  g_string_free(w->record, TRUE);
  g_string_free(w->line, TRUE);
  g_free(w);
  return ok;
}

/* ------------------------------------------------------- security descriptors */

typedef struct {
  guint8 count;
  guint32 sub[6];
} Sid; /* authority 5 (NT AUTHORITY) */

static const guint8 apply_group_policy_guid[16]
    = { 0x8F, 0xFD, 0xAC, 0xED, 0xB3, 0xFF, 0xD1, 0x11,
        0xB4, 0x1D, 0x00, 0xA0, 0xC9, 0x68, 0xF9, 0x39 };

static Sid
sid_well_known(guint32 rid)
{
  Sid sid = { 1, { rid } };

  return sid;
}

static Sid
sid_domain(const Domain *domain, guint32 rid)
{
  Sid sid = { 5, { 21, domain->sid[0], domain->sid[1], domain->sid[2], rid } };

  return sid;
}

static void
put_u16(GByteArray *b, guint v)
{
  guint8 bytes[2] = { (guint8)(v & 0xFF), (guint8)((v >> 8) & 0xFF) };

  g_byte_array_append(b, bytes, 2);
}

static void
put_u32(GByteArray *b, guint32 v)
{
  put_u16(b, v & 0xFFFF);
  put_u16(b, v >> 16);
}

static void
put_sid(GByteArray *b, const Sid *sid)
{
  guint8 head[8] = { 1, sid->count, 0, 0, 0, 0, 0, 5 };

  g_byte_array_append(b, head, 8);
  for (guint i = 0; i < sid->count; i++)
    put_u32(b, sid->sub[i]);
}

/* One ACE with CONTAINER_INHERIT; object ACEs name the Apply Group Policy right. */
static void
put_ace(GByteArray *b, guint8 type, guint32 mask, const Sid *sid)
{
  gboolean object = type == 5 || type == 6;
  guint8 head[2] = { type, 0x02 };

  g_byte_array_append(b, head, 2);
  put_u16(b, 8 + (object ? 20 : 0) + 8 + 4 * sid->count);
  put_u32(b, mask);
  if (object) {
    put_u32(b, 1); /* ACE_OBJECT_TYPE_PRESENT */
    g_byte_array_append(b, apply_group_policy_guid, 16);
  }
  put_sid(b, sid);
}

#define MASK_FULL  0x000F00FFu
#define MASK_READ  0x00020094u
#define MASK_APPLY 0x00000100u

/* The DACL GPMC gives a GPO, with the variations of AclKind.  Returns: the ACE count. */
static guint
put_dacl_aces(GByteArray *acl, const Plan *plan, const Gpo *gpo)
{
  const Domain *domain = plan_domain(plan, gpo->domain);
  Sid da = sid_domain(domain, 512), ea = sid_domain(plan_domain(plan, 0), 519);
  Sid sy = sid_well_known(18), ed = sid_well_known(9), au = sid_well_known(11);
  Sid group = { 0 };
  guint count = 5;

  if (gpo->acl == ACL_FILTER || gpo->acl == ACL_DENY) {
    const Group *g = g_ptr_array_index(plan->groups, gpo->group);
    group = sid_domain(plan_domain(plan, g->domain), g->rid);
  }
  if (gpo->acl == ACL_DENY) {
    put_ace(acl, 6, MASK_APPLY, &group);
    count++;
  }
  put_ace(acl, 0, MASK_FULL, &da);
  put_ace(acl, 0, MASK_FULL, &ea);
  put_ace(acl, 0, MASK_FULL, &sy);
  put_ace(acl, 0, MASK_READ, &ed);
  put_ace(acl, 0, MASK_READ, &au);
  if (gpo->acl == ACL_FILTER) {
    put_ace(acl, 0, MASK_READ, &group);
    put_ace(acl, 5, MASK_APPLY, &group);
    return count + 2;
  }
  put_ace(acl, 5, MASK_APPLY, &au);
  return count + 1;
}

/* Self-relative, control 0x9C04, DACL at 20 (revision 4: object ACEs), then owner and group. */
static GByteArray *
build_descriptor(const Plan *plan, const Gpo *gpo)
{
  g_autoptr(GByteArray) aces = g_byte_array_new();
  GByteArray *sd = g_byte_array_new();
  Sid owner = sid_domain(plan_domain(plan, gpo->domain), 512);
  guint count = put_dacl_aces(aces, plan, gpo);
  guint acl_size = 8 + aces->len;
  guint8 head[4] = { 1, 0, 0x04, 0x9C };
  guint8 acl_head[2] = { 4, 0 };

  g_byte_array_append(sd, head, 4);
  put_u32(sd, 20 + acl_size);
  put_u32(sd, 20 + acl_size + 8 + 4 * owner.count);
  put_u32(sd, 0);
  put_u32(sd, 20);
  g_byte_array_append(sd, acl_head, 2);
  put_u16(sd, acl_size);
  put_u16(sd, count);
  put_u16(sd, 0);
  g_byte_array_append(sd, aces->data, aces->len);
  put_sid(sd, &owner);
  put_sid(sd, &owner);
  return sd;
}

static void
put_sid_attr(Ldif *w, const Sid *sid)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new();

  put_sid(bytes, sid);
  ldif_binary(w, "objectSid", bytes->data, bytes->len);
}

/* ------------------------------------------------------------ LDIF records */

/* The attributes every object carries, after its objectClass and naming attribute. */
static void
put_bookkeeping(Ldif *w, Plan *plan, Domain *domain, const char *dn, const char *name)
{
  char when[20];
  guint8 guid[16];

  random_time(plan->rand, when);
  for (guint i = 0; i < 16; i++)
    guid[i] = (guint8)pick(plan->rand, 256);
  ldif_text(w, "distinguishedName", dn);
  ldif_text(w, "instanceType", "4");
  ldif_text(w, "whenCreated", when);
  ldif_text(w, "whenChanged", when);
  ldif_printf(w, "uSNCreated", "%" G_GUINT64_FORMAT, domain->usn);
  ldif_printf(w, "uSNChanged", "%" G_GUINT64_FORMAT, domain->usn + 3);
  domain->usn += 7;
  ldif_text(w, "name", name);
  ldif_binary(w, "objectGUID", guid, 16);
}

static void
put_category(Ldif *w, const Plan *plan, const char *category)
{
  ldif_printf(w, "objectCategory", "CN=%s,CN=Schema,CN=Configuration,%s", category,
              plan_domain(plan, 0)->dn);
}

static void
put_classes(Ldif *w, const char *const *classes)
{
  for (guint i = 0; classes[i]; i++)
    ldif_text(w, "objectClass", classes[i]);
}

/* gPLink: the last [...] entry is link order 1. */
static void
put_gplink(Ldif *w, const Plan *plan, const GArray *links)
{
  g_autoptr(GString) value = g_string_new(NULL);

  for (guint i = links->len; i > 0; i--) {
    const Link *link = &g_array_index(links, Link, i - 1);
    const Gpo *gpo = g_ptr_array_index(plan->gpos, link->gpo);
    const Domain *domain = plan_domain(plan, gpo->domain);
    if (gpo->kind == GPO_GENERATED)
      g_string_append_printf(value, "[LDAP://cn=%s,cn=policies,cn=system,%s;%u]", gpo->guid,
                             domain->dn, link->options);
    else
      g_string_append_printf(value, "[LDAP://%s;%u]", gpo->dn, link->options);
  }
  if (value->len)
    ldif_text(w, "gPLink", value->str);
}

static void
write_domain_object(Ldif *w, Plan *plan, Domain *domain)
{
  static const char *const classes[] = { "top", "domain", "domainDNS", NULL };
  g_autofree char *label = g_strndup(domain->dn + 3, strcspn(domain->dn + 3, ","));
  Sid sid = { 4, { 21, domain->sid[0], domain->sid[1], domain->sid[2] } };

  ldif_begin(w, domain->dn);
  put_classes(w, classes);
  put_bookkeeping(w, plan, domain, domain->dn, label);
  put_sid_attr(w, &sid);
  ldif_text(w, "ms-DS-MachineAccountQuota", "10");
  put_category(w, plan, "Domain-DNS");
  put_gplink(w, plan, domain->links);
  ldif_text(w, "dc", label);
  ldif_end(w);
}

static void
write_container(Ldif *w, Plan *plan, Domain *domain, const char *rdn_value, const char *parent)
{
  static const char *const classes[] = { "top", "container", NULL };
  g_autofree char *dn = g_strdup_printf("CN=%s,%s", rdn_value, parent);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", rdn_value);
  put_bookkeeping(w, plan, domain, dn, rdn_value);
  put_category(w, plan, "Container");
  ldif_end(w);
}

static void
write_containers(Ldif *w, Plan *plan, Domain *domain)
{
  g_autofree char *system = g_strdup_printf("CN=System,%s", domain->dn);
  g_autofree char *wmi = g_strdup_printf("CN=WMIPolicy,%s", system);

  write_container(w, plan, domain, "Users", domain->dn);
  write_container(w, plan, domain, "Computers", domain->dn);
  write_container(w, plan, domain, "System", domain->dn);
  write_container(w, plan, domain, "Policies", system);
  write_container(w, plan, domain, "WMIPolicy", system);
  write_container(w, plan, domain, "SOM", wmi);
}

static void
write_ou_object(Ldif *w, Plan *plan, Domain *domain, const char *dn, const char *name,
                const GArray *links, gboolean block, gboolean blank)
{
  static const char *const classes[] = { "top", "organizationalUnit", NULL };

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "ou", name);
  put_bookkeeping(w, plan, domain, dn, name);
  put_category(w, plan, "Organizational-Unit");
  if (links && links->len)
    put_gplink(w, plan, links);
  else if (blank)
    ldif_text(w, "gPLink", " ");
  if (block)
    ldif_text(w, "gPOptions", "1");
  ldif_end(w);
}

static void
write_ous(Ldif *w, Plan *plan, Domain *domain)
{
  g_autofree char *dcs = g_strdup_printf("OU=Domain Controllers,%s", domain->dn);

  write_ou_object(w, plan, domain, dcs, "Domain Controllers", domain->dc_links, FALSE, FALSE);
  for (guint i = 0; i < domain->n_ous; i++) {
    const Ou *ou = g_ptr_array_index(plan->ous, domain->first_ou + i);
    write_ou_object(w, plan, domain, ou->dn, ou->name, ou->links, ou->block, ou->blank_gplink);
  }
}

static void
put_gpc_fields(Ldif *w, const Plan *plan, const Domain *domain, const Gpo *gpo)
{
  ldif_printf(w, "flags", "%u", gpo->flags);
  ldif_printf(w, "versionNumber", "%u", gpo->version);
  put_category(w, plan, "Group-Policy-Container");
  ldif_text(w, "gPCFunctionalityVersion", "2");
  ldif_printf(w, "gPCFileSysPath", "\\\\%s\\%s\\%s\\Policies\\%s", domain->dns,
              gpo->kind == GPO_GENERATED ? "SysVol" : "sysvol", domain->dns, gpo->guid);
  if (gpo->registry_cse || gpo->security_cse)
    ldif_printf(w, "gPCMachineExtensionNames", "%s%s", gpo->registry_cse ? REGISTRY_CSE : "",
                gpo->security_cse ? SECURITY_CSE : "");
  if (gpo->wmi != NO_INDEX) {
    const Wmi *wmi = g_ptr_array_index(plan->wmis, gpo->wmi);
    ldif_printf(w, "gPCWQLFilter", "[%s;%s;0]", plan_domain(plan, wmi->domain)->dns, wmi->id);
  }
}

static void
write_gpo(Ldif *w, Plan *plan, Domain *domain, const Gpo *gpo)
{
  static const char *const classes[] = { "top", "container", "groupPolicyContainer", NULL };

  ldif_begin(w, gpo->dn);
  put_classes(w, classes);
  ldif_text(w, "cn", gpo->guid);
  put_bookkeeping(w, plan, domain, gpo->dn, gpo->guid);
  ldif_text(w, "displayName", gpo->name);
  if (gpo->acl != ACL_NONE) {
    g_autoptr(GByteArray) sd = build_descriptor(plan, gpo);
    ldif_binary(w, "nTSecurityDescriptor", sd->data, sd->len);
  }
  put_gpc_fields(w, plan, domain, gpo);
  ldif_end(w);
  write_container(w, plan, domain, "User", gpo->dn);
  write_container(w, plan, domain, "Machine", gpo->dn);
}

static void
write_wmi(Ldif *w, Plan *plan, Domain *domain, const Wmi *wmi)
{
  static const char *const classes[] = { "top", "msWMI-Som", NULL };
  const WmiQuery *query = &wmi_queries[wmi->query];
  g_autofree char *name = wmi->number > 1 ? g_strdup_printf("%s (%u)", query->name, wmi->number)
                                          : g_strdup(query->name);

  ldif_begin(w, wmi->dn);
  put_classes(w, classes);
  ldif_text(w, "cn", wmi->id);
  put_bookkeeping(w, plan, domain, wmi->dn, wmi->id);
  put_category(w, plan, "ms-WMI-Som");
  ldif_printf(w, "msWMI-Author", "Administrator@%s", domain->dns);
  ldif_text(w, "msWMI-ChangeDate", "20240212092000.000000-000");
  ldif_text(w, "msWMI-CreationDate", "20240212092000.000000-000");
  ldif_text(w, "msWMI-ID", wmi->id);
  ldif_text(w, "msWMI-Name", name);
  ldif_text(w, "msWMI-Parm1", query->description);
  ldif_printf(w, "msWMI-Parm2", "1;3;10;%u;WQL;root\\CIMv2;%s;", (guint)strlen(query->query),
              query->query);
  ldif_end(w);
}

static void
write_user(Ldif *w, Plan *plan, Domain *domain, guint index)
{
  static const char *const classes[] = { "top", "person", "organizationalPerson", "user", NULL };
  g_autofree char *name
      = g_strdup_printf("%s%02u", user_names[index % G_N_ELEMENTS(user_names)], index + 1);
  g_autofree char *dn = g_strdup_printf("CN=%s,CN=Users,%s", name, domain->dn);
  Sid sid = sid_domain(domain, 1103 + index);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", name);
  put_bookkeeping(w, plan, domain, dn, name);
  ldif_text(w, "userAccountControl", "66048");
  ldif_text(w, "primaryGroupID", "513");
  put_sid_attr(w, &sid);
  ldif_text(w, "sAMAccountName", name);
  ldif_text(w, "sAMAccountType", "805306368");
  put_category(w, plan, "Person");
  ldif_end(w);
}

/* The computer object, as trimmed as the bundled labs' (no SPNs, no logon counters). */
static void
write_computer_object(Ldif *w, Plan *plan, Domain *domain, const char *dn, const char *name,
                      const char *member_of, gboolean dc, gboolean server, guint32 rid)
{
  static const char *const classes[]
      = { "top", "person", "organizationalPerson", "user", "computer", NULL };
  const OsChoice *os = dc ? &server_os[2] : pick_os(plan->rand, server);
  g_autofree char *host = g_ascii_strdown(name, -1);
  Sid sid = sid_domain(domain, rid);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", name);
  put_bookkeeping(w, plan, domain, dn, name);
  if (member_of)
    ldif_text(w, "memberOf", member_of);
  ldif_text(w, "userAccountControl", dc ? "532480" : "4096");
  ldif_text(w, "primaryGroupID", dc ? "516" : "515");
  put_sid_attr(w, &sid);
  ldif_printf(w, "sAMAccountName", "%s$", name);
  ldif_text(w, "sAMAccountType", "805306369");
  ldif_text(w, "operatingSystem", os->name);
  ldif_text(w, "operatingSystemVersion", os->version);
  ldif_printf(w, "dNSHostName", "%s.%s", host, domain->dns);
  put_category(w, plan, "Computer");
  ldif_end(w);
}

/* Computers land in a uniformly drawn OU of their domain, 3% in CN=Computers;
 * 15% of servers and 3% of clients join one of the domain's groups. */
static void
write_computer(Ldif *w, Plan *plan, Domain *domain, guint32 rid)
{
  gboolean in_container = domain->n_ous == 0 || chance(plan->rand, 0.03);
  const Ou *ou
      = in_container
            ? NULL
            : g_ptr_array_index(plan->ous, domain->first_ou + pick(plan->rand, domain->n_ous));
  gboolean server = ou && ou->server;
  g_autofree char *name
      = g_strdup_printf("%s-%07u", server ? "SRV" : "WS", ++plan->computer_number);
  g_autofree char *dn = ou ? g_strdup_printf("CN=%s,%s", name, ou->dn)
                           : g_strdup_printf("CN=%s,CN=Computers,%s", name, domain->dn);
  Group *group = NULL;

  if (chance(plan->rand, server ? 0.15 : 0.03)) {
    group
        = g_ptr_array_index(plan->groups, domain->first_group + pick(plan->rand, domain->n_groups));
    g_ptr_array_add(group->members, g_strdup(dn));
  }
  write_computer_object(w, plan, domain, dn, name, group ? group->dn : NULL, FALSE, server, rid);
}

static void
write_computers(Ldif *w, Plan *plan, Domain *domain)
{
  guint32 rid = domain->first_computer_rid;

  for (guint i = 0; i < domain->n_dcs; i++) {
    const Dc *dc = g_ptr_array_index(plan->dcs, domain->first_dc + i);
    write_computer_object(w, plan, domain, dc->dn, dc->name, NULL, TRUE, TRUE, dc->rid);
  }
  for (guint i = domain->n_dcs; i < domain->n_computers; i++)
    write_computer(w, plan, domain, rid++);
}

static void
write_group_object(Ldif *w, Plan *plan, Domain *domain, const char *name, guint32 rid,
                   const char *member_of, const GPtrArray *members)
{
  static const char *const classes[] = { "top", "group", NULL };
  g_autofree char *dn = g_strdup_printf("CN=%s,CN=Users,%s", name, domain->dn);
  Sid sid = sid_domain(rid == 519 ? plan_domain(plan, 0) : domain, rid);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", name);
  for (guint i = 0; members && i < members->len; i++)
    ldif_text(w, "member", g_ptr_array_index(members, i));
  put_bookkeeping(w, plan, domain, dn, name);
  if (member_of)
    ldif_text(w, "memberOf", member_of);
  put_sid_attr(w, &sid);
  ldif_text(w, "sAMAccountName", name);
  ldif_text(w, "sAMAccountType", "268435456");
  ldif_text(w, "groupType", "-2147483646");
  put_category(w, plan, "Group");
  ldif_end(w);
}

static void
write_groups(Ldif *w, Plan *plan, Domain *domain)
{
  write_group_object(w, plan, domain, "Domain Admins", 512, NULL, NULL);
  write_group_object(w, plan, domain, "Domain Users", 513, NULL, NULL);
  write_group_object(w, plan, domain, "Domain Computers", 515, NULL, NULL);
  write_group_object(w, plan, domain, "Domain Controllers", 516, NULL, NULL);
  if (domain->index == 0)
    write_group_object(w, plan, domain, "Enterprise Admins", 519, NULL, NULL);
  for (guint i = 0; i < domain->n_groups; i++) {
    const Group *group = g_ptr_array_index(plan->groups, domain->first_group + i);
    const Group *parent
        = group->parent == NO_INDEX ? NULL : g_ptr_array_index(plan->groups, group->parent);
    write_group_object(w, plan, domain, group->name, group->rid, parent ? parent->dn : NULL,
                       group->members);
  }
}

static void
write_domain_objects(Ldif *w, Plan *plan, Domain *domain)
{
  ldif_header(w, domain->dn);
  write_domain_object(w, plan, domain);
  write_containers(w, plan, domain);
  write_ous(w, plan, domain);
  for (guint i = 0; i < domain->n_gpos; i++)
    write_gpo(w, plan, domain, g_ptr_array_index(plan->gpos, domain->first_gpo + i));
  for (guint i = 0; i < domain->n_wmi; i++)
    write_wmi(w, plan, domain, g_ptr_array_index(plan->wmis, domain->first_wmi + i));
  for (guint i = 0; i < domain->n_users; i++)
    write_user(w, plan, domain, i);
  write_computers(w, plan, domain);
  write_groups(w, plan, domain);
  ldif_trailer(w);
}

/* ------------------------------------------------ the configuration partition */

static void
write_cross_ref(Ldif *w, Plan *plan, const Domain *domain)
{
  static const char *const classes[] = { "top", "crossRef", NULL };
  Domain *root = plan_domain(plan, 0);
  g_autofree char *dn
      = g_strdup_printf("CN=%s,CN=Partitions,CN=Configuration,%s", domain->netbios, root->dn);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", domain->netbios);
  put_bookkeeping(w, plan, root, dn, domain->netbios);
  ldif_text(w, "systemFlags", "3");
  put_category(w, plan, "Cross-Ref");
  ldif_text(w, "nCName", domain->dn);
  ldif_text(w, "dnsRoot", domain->dns);
  ldif_text(w, "nETBIOSName", domain->netbios);
  if (domain->index > 0)
    ldif_printf(w, "trustParent", "CN=%s,CN=Partitions,CN=Configuration,%s", root->netbios,
                root->dn);
  ldif_end(w);
}

static void
write_site(Ldif *w, Plan *plan, const Site *site)
{
  static const char *const classes[] = { "top", "site", NULL };
  Domain *root = plan_domain(plan, 0);
  g_autofree char *servers = g_strdup_printf("CN=Servers,%s", site->dn);

  ldif_begin(w, site->dn);
  put_classes(w, classes);
  ldif_text(w, "cn", site->name);
  put_bookkeeping(w, plan, root, site->dn, site->name);
  put_category(w, plan, "Site");
  put_gplink(w, plan, site->links);
  ldif_end(w);
  write_container(w, plan, root, "Servers", site->dn);
}

static void
write_server(Ldif *w, Plan *plan, const Dc *dc)
{
  static const char *const classes[] = { "top", "server", NULL };
  Domain *root = plan_domain(plan, 0);
  const Site *site = g_ptr_array_index(plan->sites, dc->site);
  g_autofree char *dn = g_strdup_printf("CN=%s,CN=Servers,%s", dc->name, site->dn);
  g_autofree char *host = g_ascii_strdown(dc->name, -1);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", dc->name);
  put_bookkeeping(w, plan, root, dn, dc->name);
  put_category(w, plan, "Server");
  ldif_printf(w, "dNSHostName", "%s.%s", host, plan_domain(plan, dc->domain)->dns);
  ldif_text(w, "serverReference", dc->dn);
  ldif_end(w);
}

/* One /24 per site (10.x.y.0/24), and 10.0.0.0/8 for the first site: the
 * longest prefix wins inside it. */
static void
write_subnet(Ldif *w, Plan *plan, guint index, const char *cidr)
{
  static const char *const classes[] = { "top", "subnet", NULL };
  Domain *root = plan_domain(plan, 0);
  const Site *site = g_ptr_array_index(plan->sites, index);
  g_autofree char *dn
      = g_strdup_printf("CN=%s,CN=Subnets,CN=Sites,CN=Configuration,%s", cidr, root->dn);

  ldif_begin(w, dn);
  put_classes(w, classes);
  ldif_text(w, "cn", cidr);
  put_bookkeeping(w, plan, root, dn, cidr);
  put_category(w, plan, "Subnet");
  ldif_text(w, "siteObject", site->dn);
  ldif_end(w);
}

static void
write_configuration(Ldif *w, Plan *plan)
{
  Domain *root = plan_domain(plan, 0);
  g_autofree char *config = g_strdup_printf("CN=Configuration,%s", root->dn);

  fputc('\n', w->fp);
  ldif_header(w, config);
  for (guint d = 0; d < plan->domains->len; d++)
    write_cross_ref(w, plan, plan_domain(plan, d));
  for (guint i = 0; i < plan->sites->len; i++)
    write_site(w, plan, g_ptr_array_index(plan->sites, i));
  for (guint i = 0; i < plan->dcs->len; i++)
    write_server(w, plan, g_ptr_array_index(plan->dcs, i));
  write_subnet(w, plan, 0, "10.0.0.0/8");
  for (guint i = 0; i < plan->sites->len; i++) {
    g_autofree char *cidr = g_strdup_printf("10.%u.%u.0/24", (i + 1) >> 8 & 0xFF, (i + 1) & 0xFF);
    write_subnet(w, plan, i, cidr);
  }
  ldif_trailer(w);
}

static gboolean
write_ldif_file(Plan *plan, Domain *domain, const char *dir, GError **error)
{
  g_autofree char *name = g_strdup_printf("%s.ldif", domain->dns);
  g_autofree char *path = g_build_filename(dir, name, NULL);
  Ldif *w = ldif_open(path, error);

  if (!w)
    return FALSE;
  write_domain_objects(w, plan, domain);
  if (domain->index == 0)
    write_configuration(w, plan);
  return ldif_close(w, error);
}

/* ------------------------------------------------------------------ SYSVOL */

static gboolean
write_bytes(const char *path, const char *data, gsize len, GError **error)
{
  return g_file_set_contents(path, data, (gssize)len, error);
}

/* ASCII text as UTF-16LE with a BOM, the way GptTmpl.inf is stored. */
static gboolean
write_utf16(const char *path, const GString *text, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new((guint)(2 * text->len + 2));
  guint8 bom[2] = { 0xFF, 0xFE };

  g_byte_array_append(bytes, bom, 2);
  for (gsize i = 0; i < text->len; i++) {
    guint8 unit[2] = { (guint8)text->str[i], 0 };
    g_byte_array_append(bytes, unit, 2);
  }
  return write_bytes(path, (const char *)bytes->data, bytes->len, error);
}

static void
append_sid(GString *out, const Domain *domain, guint32 rid)
{
  g_string_append_printf(out, "*S-1-5-21-%u-%u-%u-%u", domain->sid[0], domain->sid[1],
                         domain->sid[2], rid);
}

/* A holder from the generic pool: BUILTIN groups, service SIDs, a service
 * account or a group of the GPO's domain. */
static void
append_pool_holder(GString *out, Plan *plan, const Domain *domain)
{
  static const char *const pool[] = { "*S-1-5-32-545", "*S-1-5-32-551", "*S-1-5-32-555",
                                      "*S-1-5-11",     "*S-1-5-19",     "*S-1-5-20" };
  guint r = pick(plan->rand, G_N_ELEMENTS(pool) + 2);

  if (r < G_N_ELEMENTS(pool))
    g_string_append(out, pool[r]);
  else if (r == G_N_ELEMENTS(pool))
    append_sid(out, domain, 1103 + pick(plan->rand, domain->n_users));
  else
    append_sid(out, domain, 1103 + domain->n_users + pick(plan->rand, domain->n_groups));
}

/* SeImpersonatePrivilege: the four defaults (10% hardened to Administrators and
 * SERVICE), plus IIS_IUSRS 40% and a service account 30% of the time. */
static void
append_impersonate_holders(GString *out, Plan *plan, const Domain *domain)
{
  if (chance(plan->rand, 0.10))
    g_string_append(out, "*S-1-5-32-544,*S-1-5-6");
  else
    g_string_append(out, "*S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6");
  if (chance(plan->rand, 0.4))
    g_string_append(out, ",*S-1-5-32-568");
  if (chance(plan->rand, 0.3)) {
    g_string_append_c(out, ',');
    append_sid(out, domain, 1103 + pick(plan->rand, domain->n_users));
  }
}

/* 5% of assignments are defined empty ("Right ="); deny rights name Guests and
 * local accounts; the others Administrators (85%) and 0-3 holders of the pool. */
static void
append_right_line(GString *out, Plan *plan, const Domain *domain, const char *right)
{
  g_string_append_printf(out, "%s =", right);
  if (chance(plan->rand, 0.05)) {
    g_string_append(out, "\r\n");
    return;
  }
  g_string_append_c(out, ' ');
  if (strcmp(right, "SeImpersonatePrivilege") == 0) {
    append_impersonate_holders(out, plan, domain);
  } else if (g_str_has_prefix(right, "SeDeny")) {
    g_string_append(out, "*S-1-5-32-546");
    if (chance(plan->rand, 0.3))
      g_string_append(out, ",*S-1-5-114");
  } else {
    guint extra = binomial(plan->rand, 3, 0.35);
    gboolean admins = chance(plan->rand, 0.85) || extra == 0;
    if (admins)
      g_string_append(out, "*S-1-5-32-544");
    for (guint i = 0; i < extra; i++) {
      if (admins || i > 0)
        g_string_append_c(out, ',');
      append_pool_holder(out, plan, domain);
    }
  }
  g_string_append(out, "\r\n");
}

static const char ddcp_rights[]
    = "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-19,*S-1-5-20,*S-1-5-6\r\n"
      "SeInteractiveLogonRight = *S-1-5-32-548,*S-1-5-32-549,*S-1-5-32-550,*S-1-5-32-551,"
      "*S-1-5-32-544,*S-1-5-9\r\n"
      "SeBatchLogonRight = *S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-559\r\n"
      "SeShutdownPrivilege = *S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-549,*S-1-5-32-550\r\n"
      "SeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544,*S-1-5-11,*S-1-5-9,*S-1-5-32-554\r\n"
      "SeBackupPrivilege = *S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-549\r\n"
      "SeRestorePrivilege = *S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-549\r\n"
      "SeEnableDelegationPrivilege = *S-1-5-32-544\r\n"
      "SeMachineAccountPrivilege = *S-1-5-11\r\n";

static const char ddp_sections[]
    = "[System Access]\r\nMinimumPasswordAge = 1\r\n"
      "MaximumPasswordAge = 42\r\nMinimumPasswordLength = 7\r\n"
      "PasswordComplexity = 1\r\nPasswordHistorySize = 24\r\n"
      "LockoutBadCount = 0\r\n[Kerberos Policy]\r\n"
      "MaxTicketAge = 10\r\nMaxRenewAge = 7\r\n"
      "MaxServiceAge = 600\r\nMaxClockSkew = 5\r\n"
      "TicketValidateClient = 1\r\n[Registry Values]\r\n"
      "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\NoLMHash=4,1\r\n";

/* Rights per template: 1 + Binomial(6, 0.25), distinct, drawn by right_weights. */
static void
append_generated_rights(GString *out, Plan *plan, const Domain *domain)
{
  guint count = 1 + binomial(plan->rand, 6, 0.25);
  gboolean used[G_N_ELEMENTS(right_weights)] = { FALSE };

  for (guint i = 0, tries = 0; i < count && tries < 64; tries++) {
    guint r = pick_right(plan->rand);
    if (used[r])
      continue;
    used[r] = TRUE;
    append_right_line(out, plan, domain, right_weights[r].name);
    i++;
  }
}

static GString *
build_template(Plan *plan, const Gpo *gpo)
{
  GString *out = g_string_new("[Unicode]\r\nUnicode=yes\r\n");

  if (gpo->kind == GPO_DDP)
    g_string_append(out, ddp_sections);
  g_string_append(out, "[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n");
  if (gpo->kind == GPO_DDCP) {
    g_string_append(out, "[Privilege Rights]\r\n");
    g_string_append(out, ddcp_rights);
  } else if (gpo->kind == GPO_GENERATED) {
    g_string_append(out, "[Privilege Rights]\r\n");
    append_generated_rights(out, plan, plan_domain(plan, gpo->domain));
  }
  return out;
}

static gboolean
write_gpo_folder(Plan *plan, const Gpo *gpo, const char *policies, GError **error)
{
  g_autofree char *folder = g_build_filename(policies, gpo->guid, NULL);
  g_autofree char *secedit
      = g_build_filename(folder, "Machine", "Microsoft", "Windows NT", "SecEdit", NULL);
  g_autofree char *user = g_build_filename(folder, "User", NULL);
  g_autofree char *ini_path = g_build_filename(folder, "GPT.INI", NULL);
  g_autofree char *ini = g_strdup_printf(
      "[General]\r\nVersion=%u\r\ndisplayName=New Group Policy Object\r\n", gpo->version);

  if (g_mkdir_with_parents(gpo->has_template ? secedit : folder, 0755) != 0
      || g_mkdir_with_parents(user, 0755) != 0) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot create %s: %s", folder,
                g_strerror(saved));
    return FALSE;
  }
  if (!write_bytes(ini_path, ini, strlen(ini), error))
    return FALSE;
  if (gpo->has_template) {
    g_autofree char *path = g_build_filename(secedit, "GptTmpl.inf", NULL);
    g_autoptr(GString) text = build_template(plan, gpo);
    return write_utf16(path, text, error);
  }
  return TRUE;
}

static gboolean
write_sysvol(Plan *plan, const char *dir, GError **error)
{
  for (guint i = 0; i < plan->gpos->len; i++) {
    const Gpo *gpo = g_ptr_array_index(plan->gpos, i);
    const Domain *domain = plan_domain(plan, gpo->domain);
    g_autofree char *policies = g_build_filename(dir, "sysvol", domain->dns, "Policies", NULL);

    if (!write_gpo_folder(plan, gpo, policies, error))
      return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------ README */

static void
append_readme_counts(GString *out, const Plan *plan)
{
  guint filtered = 0, denied = 0, no_sd = 0, wmi = 0, templates = 0;

  for (guint i = 0; i < plan->gpos->len; i++) {
    const Gpo *gpo = g_ptr_array_index(plan->gpos, i);
    filtered += gpo->acl == ACL_FILTER;
    denied += gpo->acl == ACL_DENY;
    no_sd += gpo->acl == ACL_NONE;
    wmi += gpo->wmi != NO_INDEX;
    templates += gpo->has_template;
  }
  g_string_append_printf(
      out,
      "| GPO links | %u (%u enforced, %u disabled) |\n"
      "| OUs blocking inheritance | %u |\n"
      "| GPOs with a GptTmpl.inf | %u |\n"
      "| GPOs with security filtering / a deny ACE / no descriptor | %u / %u / %u |\n"
      "| GPOs with a WMI filter | %u |\n",
      plan->n_links, plan->n_enforced, plan->n_disabled, plan->n_blocked, templates, filtered,
      denied, no_sd, wmi);
}

static GString *
build_readme(const Plan *plan)
{
  const GpLabParams *p = &plan->params;
  GString *out = g_string_new(NULL);

  g_string_append_printf(out,
                         "# Generated lab (seed %" G_GUINT64_FORMAT ")\n\n"
                         "Written by `gpsim lab generate --seed %" G_GUINT64_FORMAT
                         " --computers %u --ous %u --gpos %u --sites %u --domains %u`.\n"
                         "The same command always writes the same bytes.  The distributions "
                         "are those of gpsim's README, section \"Lab generator\".\n\n"
                         "| | |\n|---|---|\n| forest root | %s |\n",
                         p->seed, p->seed, p->computers, p->ous, p->gpos, p->sites, p->domains,
                         plan_domain(plan, 0)->dns);
  g_string_append_printf(out, "| computers (domain controllers included) | %u (%u DCs) |\n",
                         p->computers, plan->dcs->len);
  g_string_append_printf(out, "| OUs (besides each Domain Controllers OU) | %u |\n", p->ous);
  g_string_append_printf(out, "| GPOs (default GPOs included) | %u |\n", p->gpos);
  g_string_append_printf(out, "| sites | %u |\n| domains | %u |\n", p->sites, p->domains);
  append_readme_counts(out, plan);
  g_string_append(out, "\nFiles: one `<domain>.ldif` per domain (ldapsearch output; the root's "
                       "also holds the configuration partition) and `sysvol/<domain>/Policies`.\n\n"
                       "```sh\ngpsim rsop $(for f in *.ldif; do printf -- '--ldif %s ' \"$f\"; "
                       "done) --sysvol sysvol\n```\n");
  return out;
}

/* --------------------------------------------------------------- directory */

static gboolean
remove_tree(const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK))
    return g_unlink(path) == 0;
  dir = g_dir_open(path, 0, NULL);
  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *child = g_build_filename(path, name, NULL);
    remove_tree(child);
  }
  return g_rmdir(path) == 0;
}

static gboolean
dir_is_empty(const char *path)
{
  g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);

  return dir && g_dir_read_name(dir) == NULL;
}

static gboolean
check_target(const char *dir, const char *tmp, GError **error)
{
  if (g_file_test(dir, G_FILE_TEST_EXISTS)
      && (!g_file_test(dir, G_FILE_TEST_IS_DIR) || !dir_is_empty(dir))) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "%s exists and is not an empty folder; give a new or empty --out", dir);
    return FALSE;
  }
  if (g_file_test(tmp, G_FILE_TEST_EXISTS)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                "%s exists (left by an interrupted run?); remove it first", tmp);
    return FALSE;
  }
  if (g_mkdir_with_parents(tmp, 0755) != 0) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot create %s: %s", tmp,
                g_strerror(saved));
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_params(const GpLabParams *p, GError **error)
{
  const char *problem = NULL;

  if (p->domains > 50)
    problem = "--domains is at most 50";
  else if (p->computers < p->domains)
    problem = "--computers must be at least --domains (each domain has a domain controller)";
  else if (p->gpos < 2 * p->domains)
    problem = "--gpos must be at least twice --domains (each domain has its two default GPOs)";
  else if (p->computers > 20000000 || p->ous > 2000000 || p->gpos > 1000000 || p->sites > 60000)
    problem = "sizes are limited to 20M computers, 2M OUs, 1M GPOs and 60k sites";
  if (problem)
    g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, problem);
  return problem == NULL;
}

void
gp_lab_params_fill_defaults(GpLabParams *params)
{
  if (!params->computers)
    params->computers = GP_LAB_DEFAULT_COMPUTERS;
  if (!params->ous)
    params->ous = GP_LAB_DEFAULT_OUS;
  if (!params->gpos)
    params->gpos = GP_LAB_DEFAULT_GPOS;
  if (!params->sites)
    params->sites = GP_LAB_DEFAULT_SITES;
  if (!params->domains)
    params->domains = GP_LAB_DEFAULT_DOMAINS;
}

static gboolean
write_all(Plan *plan, const char *tmp, GError **error)
{
  g_autofree char *readme_path = g_build_filename(tmp, "README.md", NULL);
  g_autoptr(GString) readme = NULL;

  for (guint d = 0; d < plan->domains->len; d++)
    if (!write_ldif_file(plan, plan_domain(plan, d), tmp, error))
      return FALSE;
  if (!write_sysvol(plan, tmp, error))
    return FALSE;
  readme = build_readme(plan);
  return write_bytes(readme_path, readme->str, readme->len, error);
}

gboolean
gp_lab_write(const GpLabParams *params, const char *dir, GError **error)
{
  GpLabParams p = *params;
  g_autofree char *tmp = g_strdup_printf("%s.tmp", dir);
  g_autoptr(Plan) plan = NULL;

  gp_lab_params_fill_defaults(&p);
  if (!check_params(&p, error) || !check_target(dir, tmp, error))
    return FALSE;
  plan = plan_new(&p);
  if (!write_all(plan, tmp, error)) {
    remove_tree(tmp);
    return FALSE;
  }
  if (g_rename(tmp, dir) != 0) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot rename %s to %s: %s",
                tmp, dir, g_strerror(saved));
    remove_tree(tmp);
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------ command */

static gboolean
size_option(gint64 value, const char *name, guint *out, GString *problems)
{
  if (value < 0 || value > G_MAXUINT32) {
    g_string_append_printf(problems, "%s--%s must be between 0 and %u", problems->len ? "; " : "",
                           name, G_MAXUINT32);
    return FALSE;
  }
  *out = (guint)value;
  return TRUE;
}

int
gp_lab_generate(GpCliOptions *options, char **args)
{
  GpLabParams params = { (guint64)options->seed, 0, 0, 0, 0, 0 };
  g_autoptr(GString) problems = g_string_new(NULL);
  g_autoptr(GError) error = NULL;

  if (args && args[0]) {
    g_autofree char *message = g_strdup_printf("lab generate: unexpected argument '%s'", args[0]);
    return gp_cli_fail(GP_EXIT_USAGE, message);
  }
  if (!options->out)
    return gp_cli_fail(GP_EXIT_USAGE, "lab generate needs --out DIR (a new or empty folder)");
  size_option(options->computers, "computers", &params.computers, problems);
  size_option(options->ous, "ous", &params.ous, problems);
  size_option(options->gpos, "gpos", &params.gpos, problems);
  size_option(options->sites, "sites", &params.sites, problems);
  size_option(options->domains, "domains", &params.domains, problems);
  if (problems->len)
    return gp_cli_fail(GP_EXIT_USAGE, problems->str);
  gp_lab_params_fill_defaults(&params);
  if (!gp_lab_write(&params, options->out, &error))
    return gp_cli_fail(g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_EXIST)
                               || g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_INVAL)
                           ? GP_EXIT_USAGE
                           : GP_EXIT_INPUT,
                       error->message);
  printf("wrote %s: %u computers, %u OUs, %u GPOs, %u sites, %u domains (seed %" G_GUINT64_FORMAT
         ")\n",
         options->out, params.computers, params.ous, params.gpos, params.sites, params.domains,
         params.seed);
  return GP_EXIT_OK;
}
