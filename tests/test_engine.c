/* test_engine.c - the precedence engine on models built in memory.
 *
 * Each case is one row of `rows` below, written in a small DSL and checked by
 * check_row(); a few properties that do not fit a row have their own test.
 *
 * Fixture (precedence-rules.md section 4): domain contoso.com, site HQ, OU=Corp,
 * OU=Servers,OU=Corp, computer CN=SRV1,OU=Servers,OU=Corp,DC=contoso,DC=com, a member
 * server running "Windows Server 2022 Standard".  Every GPO exists, flags 0,
 * gPCFunctionalityVersion 2, computer version 3 in versionNumber and GPT.INI, the
 * Security CSE registered, SYSVOL read, display name = its DSL name.
 *
 * DSL of a row:
 *   links   "SOM:LINK,LINK SOM:LINK"  SOMs separated by blanks, links by commas in
 *           link order (L1 first; the gPLink string is written the other way round,
 *           last entry = L1, precedence-rules.md 1.4).  SOM keys: site (HQ), site2
 *           (Branch), domain, Corp, Servers, Other, Web, Farm, emea, EmeaSrv.
 *           LINK is NAME[E]=VALUE (enforced), NAME(N)=VALUE (options N) or NAME=VALUE.
 *   VALUE   the GPO's GptTmpl.inf: "n/d" (no right defined), "?" (the GPO is not in
 *           the model: dangling link), or items joined by '+', each [RIGHT:]SET with
 *           RIGHT defaulting to SeImpersonatePrivilege and SET one of DEF ADM ADMSVC
 *           APP NONE SVCNAME (holder_sets).
 *   block   SOM keys with gPOptions = 1, comma separated.
 *   tweaks  "TARGET.key=value;..." on a GPO (flags, fv, ver, gpt, cse, sysvol, dir)
 *           or on the computer PC (os, uac, pgid, site); see apply_tweak().
 *   local   NULL: no local policy (the role's defaults form the local layer); else a
 *           VALUE for GpEngineOptions.local_policy.
 * Expected, rendered from the GpResult:
 *   list    entries in precedence order: "D1[E] X1 Local | C1(BLOCKED:Servers)";
 *           a reason in parentheses for every entry not applied.
 *   winner  the winning GPO's name, "Local" or "default", + " (nowhere)" when
 *           defined_nowhere.
 *   holders SIDs (names when no SID) joined by ','.
 *   defs    (optional) "X1:won D1:overridden(X1) C1:not-applied".
 *   soms    (optional) result->soms by name, nearest first.
 *   site    (optional) result->site, "-" for none.
 *   note    substring of a note on the right, or NULL for "no notes".
 */
#include <stdio.h>
#include <string.h>

#include "gp-engine.h"
#include "gp-names.h"
#include "gp-test.h"

/* ------------------------------------------------------------ holder sets */

#define IMPERSONATE "SeImpersonatePrivilege"
#define SID_APP     "S-1-5-21-1111111111-2222222222-3333333333-1105"
#define H_DEF       "S-1-5-32-544,S-1-5-19,S-1-5-20,S-1-5-6"
#define H_ADM       "S-1-5-32-544"
#define H_ADMSVC    "S-1-5-32-544,S-1-5-6"
#define H_APP       H_DEF "," SID_APP
#define H_NOBODY    ""

static const struct {
  const char *name;
  const char *holders; /* comma list; "S-1-..." is a SID, anything else a name */
} holder_sets[] = {
  { "DEF", H_DEF }, { "ADM", H_ADM },     { "ADMSVC", H_ADMSVC },
  { "APP", H_APP }, { "NONE", H_NOBODY }, { "SVCNAME", "CONTOSO\\svc-app" },
};

/* Shut down the system: the one right whose documented defaults differ by role. */
#define SHUTDOWN_DC     "S-1-5-32-544,S-1-5-32-551,S-1-5-32-549,S-1-5-32-550"
#define SHUTDOWN_MEMBER "S-1-5-32-544,S-1-5-32-551"
#define SHUTDOWN_CLIENT "S-1-5-32-544,S-1-5-32-551,S-1-5-32-545"

/* The catalogue, in this order; defaults per GpRole column, NULL = "Not defined". */
static const struct {
  const char *constant;
  const char *display_name;
  const char *defaults[GP_ROLE_COUNT];
} catalogue[] = {
  { "SeTcbPrivilege", "Act as part of the operating system", { NULL, NULL, NULL, NULL } },
  { "SeBackupPrivilege",
    "Back up files and directories",
    { "S-1-5-32-544,S-1-5-32-551,S-1-5-32-549", SHUTDOWN_MEMBER, SHUTDOWN_MEMBER,
      SHUTDOWN_MEMBER } },
  { "SeDebugPrivilege", "Debug programs", { H_ADM, H_ADM, H_ADM, H_ADM } },
  { IMPERSONATE, "Impersonate a client after authentication", { H_DEF, H_DEF, H_DEF, H_DEF } },
  { "SeServiceLogonRight",
    "Log on as a service",
    { "S-1-5-80-0", "S-1-5-80-0", "S-1-5-80-0", "S-1-5-80-0" } },
  { "SeShutdownPrivilege",
    "Shut down the system",
    { SHUTDOWN_DC, SHUTDOWN_MEMBER, SHUTDOWN_CLIENT, SHUTDOWN_MEMBER } },
};

/* ------------------------------------------------------------------ SOMs */

#define SRV1_DN "CN=SRV1,OU=Servers,OU=Corp,DC=contoso,DC=com"

static const struct {
  const char *key;
  const char *dn;
  GpSomKind kind;
  const char *name;
  gboolean always; /* part of the common fixture */
} som_defs[] = {
  { "site", "CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com", GP_SOM_SITE, "HQ", TRUE },
  { "domain", "DC=contoso,DC=com", GP_SOM_DOMAIN, "contoso.com", TRUE },
  { "Corp", "OU=Corp,DC=contoso,DC=com", GP_SOM_OU, "Corp", TRUE },
  { "Servers", "OU=Servers,OU=Corp,DC=contoso,DC=com", GP_SOM_OU, "Servers", TRUE },
  { "site2", "CN=Branch,CN=Sites,CN=Configuration,DC=contoso,DC=com", GP_SOM_SITE, "Branch",
    FALSE },
  { "Other", "OU=Other,DC=contoso,DC=com", GP_SOM_OU, "Other", FALSE },
  /* a container filed as if it were an OU: the engine must go by the DN's RDN type */
  { "Farm", "CN=Farm,OU=Servers,OU=Corp,DC=contoso,DC=com", GP_SOM_OU, "Farm", FALSE },
  { "Web", "OU=Web,CN=Farm,OU=Servers,OU=Corp,DC=contoso,DC=com", GP_SOM_OU, "Web", FALSE },
  { "emea", "DC=emea,DC=contoso,DC=com", GP_SOM_DOMAIN, "emea.contoso.com", FALSE },
  { "EmeaSrv", "OU=EmeaSrv,DC=emea,DC=contoso,DC=com", GP_SOM_OU, "EmeaSrv", FALSE },
};

/* ------------------------------------------------------------------ rows */

typedef struct {
  const char *id;
  /* input */
  const char *computer; /* DN, NULL for SRV1 */
  const char *links;
  const char *block;
  const char *tweaks;
  const char *site; /* GpEngineOptions.site */
  const char *local;
  const char *right; /* the right asked for, NULL for SeImpersonatePrivilege */
  /* expected */
  const char *soms;
  const char *site_used;
  const char *list;
  const char *winner;
  const char *holders;
  const char *defs;
  const char *note;
} Row;

/* The section 4 examples use the fixture's local policy, SeImpersonatePrivilege = DEF. */
static const Row rows[] = {
  /* ---------------------------------------- precedence-rules.md section 4 */
  { .id = "e1",
    .links = "domain:D1=n/d Servers:X1=n/d",
    .local = "DEF",
    .list = "X1 D1 Local",
    .winner = "Local",
    .holders = H_DEF,
    .defs = "" },
  { .id = "e2",
    .links = "site:S1=ADM domain:D1=ADMSVC Corp:C1=n/d Servers:X1=APP",
    .local = "DEF",
    .soms = "Servers Corp contoso.com HQ",
    .site_used = "HQ",
    .list = "X1 C1 D1 S1 Local",
    .winner = "X1",
    .holders = H_APP,
    .defs = "X1:won D1:overridden(X1) S1:overridden(X1)" },
  { .id = "e3",
    .links = "Servers:X1=ADM,X2=APP",
    .local = "DEF",
    .list = "X1 X2 Local",
    .winner = "X1",
    .holders = H_ADM,
    .defs = "X1:won X2:overridden(X1)" },
  { .id = "e4",
    .links = "domain:D1[E]=ADM Servers:X1=APP",
    .local = "DEF",
    .list = "D1[E] X1 Local",
    .winner = "D1",
    .holders = H_ADM,
    .defs = "D1:won X1:overridden(D1)" },
  { .id = "e5",
    .links = "site:S1[E]=ADMSVC domain:D1[E]=ADM Corp:C1[E]=APP Servers:X1=DEF",
    .local = "DEF",
    .list = "S1[E] D1[E] C1[E] X1 Local",
    .winner = "S1",
    .holders = H_ADMSVC,
    .defs = "S1:won D1:overridden(S1) C1:overridden(S1) X1:overridden(S1)" },
  { .id = "e6",
    .links = "domain:D1=ADM,D2[E]=APP,D3[E]=ADMSVC",
    .local = "DEF",
    .list = "D2[E] D3[E] D1 Local",
    .winner = "D2",
    .holders = H_APP,
    .defs = "D2:won D3:overridden(D2) D1:overridden(D2)" },
  { .id = "e7",
    .links = "site:S1=ADM domain:D1=ADMSVC Corp:C1=APP Servers:X1=n/d",
    .block = "Servers",
    .local = "DEF",
    .list = "X1 Local | C1(BLOCKED:Servers) D1(BLOCKED:Servers) S1(BLOCKED:Servers)",
    .winner = "Local",
    .holders = H_DEF,
    .defs = "C1:not-applied D1:not-applied S1:not-applied" },
  { .id = "e8",
    .links = "domain:D1[E]=ADM Corp:C1=APP Servers:X1=ADMSVC",
    .block = "Servers",
    .local = "DEF",
    .list = "D1[E] X1 Local | C1(BLOCKED:Servers)",
    .winner = "D1",
    .holders = H_ADM,
    .defs = "D1:won X1:overridden(D1) C1:not-applied" },
  { .id = "e9",
    .links = "site:S1=ADM domain:D1=ADMSVC Corp:C1=n/d Servers:X1=n/d",
    .block = "Corp",
    .local = "DEF",
    .list = "X1 C1 Local | D1(BLOCKED:Corp) S1(BLOCKED:Corp)",
    .winner = "Local",
    .holders = H_DEF },
  { .id = "e9b",
    .links = "site:S1=ADM domain:D1=ADMSVC,D2[E]=APP Corp:C1=n/d Servers:X1=n/d",
    .block = "Corp",
    .local = "DEF",
    .list = "D2[E] X1 C1 Local | D1(BLOCKED:Corp) S1(BLOCKED:Corp)",
    .winner = "D2",
    .holders = H_APP },
  { .id = "e10",
    .links = "domain:D1=ADM Servers:X1=APP",
    .block = "Servers",
    .local = "DEF",
    .list = "X1 Local | D1(BLOCKED:Servers)",
    .winner = "X1",
    .holders = H_APP },
  { .id = "e11",
    .links = "domain:D1(3)=ADMSVC Servers:X1(1)=ADM,X2=APP",
    .local = "DEF",
    .list = "X2 Local | X1(LINK_DISABLED) D1(LINK_DISABLED)",
    .winner = "X2",
    .holders = H_APP,
    .defs = "X2:won X1:not-applied D1:not-applied" },

  /* ------------------------------------------------------ GPO status flags */
  { .id = "flags_user_half_disabled",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.flags=1",
    .list = "X1 D1 Local",
    .winner = "X1",
    .holders = H_ADM },
  { .id = "flags_computer_half_disabled",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.flags=2",
    .list = "X1(COMPUTER_SETTINGS_DISABLED) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .defs = "X1:not-applied D1:won" },
  { .id = "flags_all_disabled",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.flags=3",
    .list = "X1(COMPUTER_SETTINGS_DISABLED) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC },

  /* -------------------------------------------------------- filters D1-D8 */
  { .id = "dangling_link",
    .links = "domain:D1=ADMSVC Servers:X9=?,X1=ADM",
    .list = "X9(GPO_NOT_FOUND) X1 D1 Local",
    .winner = "X1",
    .holders = H_ADM },
  { .id = "gpo_only_in_sysvol",
    .links = "domain:D1=ADMSVC Servers:X9=APP",
    .tweaks = "X9.dir=0",
    .list = "X9(GPO_NOT_FOUND) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .defs = "D1:won" },
  { .id = "functionality_version_1",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.fv=1",
    .list = "X1(BAD_FUNCTIONALITY_VERSION) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC },
  { .id = "functionality_version_absent",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.fv=none",
    .list = "X1 D1 Local",
    .winner = "X1",
    .holders = H_ADM },
  { .id = "empty_gpo_version_0",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.ver=0;X1.gpt=0",
    .list = "X1(EMPTY_GPO) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .defs = "X1:not-applied D1:won" },
  { .id = "empty_gpo_user_version_only",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.ver=65536;X1.gpt=131072",
    .list = "X1(EMPTY_GPO) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC },
  { .id = "gpc_version_0_gpt_version_set",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.ver=0;X1.gpt=3",
    .list = "X1 D1 Local",
    .winner = "X1",
    .holders = H_ADM },
  { .id = "gpc_version_set_gpt_version_0",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.ver=3;X1.gpt=0",
    .list = "X1 D1 Local",
    .winner = "X1",
    .holders = H_ADM },
  { .id = "security_cse_not_registered",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.cse=0",
    .list = "X1(SECURITY_CSE_NOT_REGISTERED) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .defs = "X1:not-applied D1:won" },
  { .id = "sysvol_unreadable_above_winner",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.sysvol=unreadable",
    .list = "X1(SYSVOL_UNREADABLE) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .note = "could not be read" },
  { .id = "sysvol_missing_above_winner",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.sysvol=missing",
    .list = "X1(SYSVOL_UNREADABLE) D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .note = "could not be read" },
  { .id = "sysvol_unreadable_below_winner",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "D1.sysvol=unreadable",
    .list = "X1 D1(SYSVOL_UNREADABLE) Local",
    .winner = "X1",
    .holders = H_ADM },
  { .id = "sysvol_not_given_above_winner",
    .links = "domain:D1=ADMSVC Servers:X1=ADM",
    .tweaks = "X1.sysvol=notgiven",
    .list = "X1 D1 Local",
    .winner = "D1",
    .holders = H_ADMSVC,
    .note = "could not be read" },

  /* ------------------------------------------------------- merge semantics */
  { .id = "defined_empty_wins",
    .links = "domain:D1=ADM Servers:X1=NONE",
    .list = "X1 D1 Local",
    .winner = "X1",
    .holders = H_NOBODY,
    .defs = "X1:won D1:overridden(X1)",
    .note = "no holders" },
  { .id = "whole_list_replacement",
    .links = "domain:D1=DEF Servers:X1=ADM",
    .local = "APP",
    .list = "X1 D1 Local",
    .winner = "X1",
    .holders = H_ADM,
    .defs = "X1:won D1:overridden(X1)" },
  { .id = "names_resolved_to_sids",
    .links = "Servers:X1=SVCNAME",
    .list = "X1 Local",
    .winner = "X1",
    .holders = SID_APP },
  { .id = "definitions_outcomes",
    .links = "domain:D1=ADMSVC,D2(1)=APP Servers:X1=ADM,X2=APP,X3=DEF",
    .block = "Servers",
    .tweaks = "X3.flags=2",
    .list = "X1 X2 X3(COMPUTER_SETTINGS_DISABLED) Local | D1(BLOCKED:Servers) "
            "D2(LINK_DISABLED)",
    .winner = "X1",
    .holders = H_ADM,
    .defs = "X1:won X2:overridden(X1) X3:not-applied D1:not-applied D2:not-applied" },

  /* ------------------------------------------------------------ SOM list */
  { .id = "computer_in_cn_computers",
    .computer = "CN=SRV2,CN=Computers,DC=contoso,DC=com",
    .links = "site:S1=ADM domain:D1=ADMSVC Corp:C1=APP Servers:X1=APP",
    .soms = "contoso.com HQ",
    .list = "D1 S1 Local",
    .winner = "D1",
    .holders = H_ADMSVC },
  { .id = "cn_container_between_ous",
    .computer = "CN=WEB1,OU=Web,CN=Farm,OU=Servers,OU=Corp,DC=contoso,DC=com",
    .links = "Web:W1=n/d Farm:F1=ADM Servers:X1=APP",
    .soms = "Web Servers Corp contoso.com HQ",
    .list = "W1 X1 Local",
    .winner = "X1",
    .holders = H_APP },
  { .id = "ou_missing_from_data",
    .computer = "CN=PC9,OU=Lab,OU=Corp,DC=contoso,DC=com",
    .links = "Corp:C1=ADM",
    .soms = "Corp contoso.com HQ",
    .list = "C1 Local",
    .winner = "C1",
    .holders = H_ADM },
  { .id = "child_domain_no_parent_links",
    .computer = "CN=SRV3,OU=EmeaSrv,DC=emea,DC=contoso,DC=com",
    .links = "site:S1=APP domain:D1[E]=ADM emea:M1=ADMSVC EmeaSrv:N1=n/d",
    .soms = "EmeaSrv emea.contoso.com HQ",
    .list = "N1 M1 S1 Local",
    .winner = "M1",
    .holders = H_ADMSVC },

  /* ------------------------------------------------------ block inheritance */
  { .id = "block_on_site_no_effect",
    .links = "site:S1=ADM domain:D1=n/d Servers:X1=n/d",
    .block = "site",
    .list = "X1 D1 S1 Local",
    .winner = "S1",
    .holders = H_ADM },
  { .id = "block_on_domain_blocks_site_only",
    .links = "site:S1=ADM domain:D1=ADMSVC Servers:X1=n/d",
    .block = "domain",
    .list = "X1 D1 Local | S1(BLOCKED:contoso.com)",
    .winner = "D1",
    .holders = H_ADMSVC },
  /* precedence-rules.md 1.5: "blocker = som[i]" for every blocking SOM, so a link
   * above two blocks is reported blocked by the nearer of the two to it. */
  { .id = "block_on_two_ous_names_nearest_blocker",
    .links = "site:S1=ADMSVC domain:D1=ADM Corp:C1=APP Servers:X1=n/d",
    .block = "Servers,Corp",
    .list = "X1 Local | C1(BLOCKED:Servers) D1(BLOCKED:Corp) S1(BLOCKED:Corp)",
    .winner = "default",
    .holders = H_DEF },

  /* ------------------------------------------------------- links and options */
  { .id = "two_enforced_in_one_som",
    .links = "domain:D1[E]=n/d Corp:C1[E]=APP,C2[E]=ADM",
    .list = "D1[E] C1[E] C2[E] Local",
    .winner = "C1",
    .holders = H_APP },
  { .id = "two_enforced_in_one_som_link_order",
    .links = "domain:D1[E]=n/d Corp:C2[E]=ADM,C1[E]=APP",
    .list = "D1[E] C2[E] C1[E] Local",
    .winner = "C2",
    .holders = H_ADM },
  { .id = "duplicate_link_both_listed",
    .links = "domain:D1=ADM Servers:X1=APP,D1=ADM",
    .list = "X1 D1 D1 Local",
    .winner = "X1",
    .holders = H_APP,
    .defs = "X1:won D1:overridden(X1) D1:overridden(X1)" },
  { .id = "duplicate_link_higher_wins",
    .links = "domain:D1=ADM Servers:D1=ADM,X1=APP",
    .list = "D1 X1 D1 Local",
    .winner = "D1",
    .holders = H_ADM,
    .defs = "D1:won X1:overridden(D1) D1:overridden(D1)" },
  { .id = "duplicate_link_own_options",
    .links = "domain:D1[E]=ADM Servers:D1(1)=ADM,X1=APP",
    .list = "D1[E] X1 Local | D1(LINK_DISABLED)",
    .winner = "D1",
    .holders = H_ADM },
  { .id = "link_options_3_disabled",
    .links = "domain:D1=n/d Servers:X1(3)=ADM",
    .list = "D1 Local | X1(LINK_DISABLED)",
    .winner = "default",
    .holders = H_DEF },
  { .id = "link_options_unknown_bits",
    .links = "domain:D1(6)=ADM Servers:X1(4)=APP,X2(5)=DEF",
    .list = "D1[E] X1 Local | X2(LINK_DISABLED)",
    .winner = "D1",
    .holders = H_ADM },

  /* ------------------------------------------------------------------ site */
  { .id = "two_sites_no_site",
    .links = "site:S1=ADM site2:B1=APP domain:D1=n/d Servers:X1=n/d",
    .soms = "Servers Corp contoso.com",
    .site_used = "-",
    .list = "X1 D1 Local",
    .winner = "default",
    .holders = H_DEF },
  { .id = "two_sites_option_selects_hq",
    .links = "site:S1=ADM site2:B1=APP domain:D1=n/d Servers:X1=n/d",
    .site = "HQ",
    .soms = "Servers Corp contoso.com HQ",
    .site_used = "HQ",
    .list = "X1 D1 S1 Local",
    .winner = "S1",
    .holders = H_ADM },
  { .id = "two_sites_option_selects_branch",
    .links = "site:S1=ADM site2:B1=APP domain:D1=n/d Servers:X1=n/d",
    .site = "Branch",
    .soms = "Servers Corp contoso.com Branch",
    .site_used = "Branch",
    .list = "X1 D1 B1 Local",
    .winner = "B1",
    .holders = H_APP },
  { .id = "two_sites_computer_site",
    .links = "site:S1=ADM site2:B1=APP domain:D1=n/d Servers:X1=n/d",
    .tweaks = "PC.site=Branch",
    .soms = "Servers Corp contoso.com Branch",
    .site_used = "Branch",
    .list = "X1 D1 B1 Local",
    .winner = "B1",
    .holders = H_APP },
  { .id = "site_option_empty_means_none",
    .links = "site:S1=ADM domain:D1=n/d Servers:X1=n/d",
    .site = "",
    .soms = "Servers Corp contoso.com",
    .site_used = "-",
    .list = "X1 D1 Local",
    .winner = "default",
    .holders = H_DEF },
  { .id = "site_option_not_in_data",
    .links = "site:S1=ADM domain:D1=n/d Servers:X1=n/d",
    .site = "Nowhere",
    .soms = "Servers Corp contoso.com",
    .site_used = "Nowhere",
    .list = "X1 D1 Local",
    .winner = "default",
    .holders = H_DEF },

  /* ------------------------------------------------------------ local layer */
  { .id = "local_policy_without_the_right",
    .links = "domain:D1=n/d",
    .local = "SeBackupPrivilege:ADM",
    .list = "D1 Local",
    .winner = "Local (nowhere)",
    .holders = H_NOBODY },
  { .id = "local_policy_defines_the_right",
    .links = "domain:D1=n/d",
    .local = "ADM",
    .list = "D1 Local",
    .winner = "Local",
    .holders = H_ADM },
  { .id = "local_policy_loses_to_gpo",
    .links = "Servers:X1=ADMSVC",
    .local = "APP",
    .list = "X1 Local",
    .winner = "X1",
    .holders = H_ADMSVC },
  { .id = "default_not_defined",
    .links = "domain:D1=n/d",
    .right = "SeTcbPrivilege",
    .list = "D1 Local",
    .winner = "default (nowhere)",
    .holders = H_NOBODY },
  { .id = "right_by_display_name",
    .links = "Servers:X1=ADM",
    .right = "Impersonate a client after authentication",
    .list = "X1 Local",
    .winner = "X1",
    .holders = H_ADM },
};

/* --------------------------------------------------------------- building */

/* "X1" -> "{00000000-0000-0000-0000-000000005831}": the name in hex, so that a
 * dangling link can still be named from its GUID. */
static char *
name_guid(const char *name)
{
  GString *hex = g_string_new(NULL);

  g_assert(strlen(name) <= 6);
  for (const char *p = name; *p; p++)
    g_string_append_printf(hex, "%02X", (guint)(guchar)*p);
  while (hex->len < 12)
    g_string_prepend_c(hex, '0');
  {
    g_autofree char *digits = g_string_free(hex, FALSE);
    return g_strdup_printf("{00000000-0000-0000-0000-%s}", digits);
  }
}

static char *
gpo_dn(const char *name)
{
  g_autofree char *guid = name_guid(name);

  return g_strdup_printf("cn=%s,cn=policies,cn=system,DC=contoso,DC=com", guid);
}

/* The inverse of name_guid(). */
static char *
guid_name(const char *guid)
{
  GString *name = g_string_new(NULL);
  const char *hex = guid + strlen(guid) - 13; /* 12 digits before '}' */

  for (int i = 0; i < 12; i += 2) {
    char byte[3] = { hex[i], hex[i + 1], 0 };
    guint64 value = g_ascii_strtoull(byte, NULL, 16);
    if (value)
      g_string_append_c(name, (char)value);
  }
  return g_string_free(name, FALSE);
}

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

/* A VALUE of the DSL as a security template ("n/d": no right defined). */
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

#define EXTENSIONS_SECURITY                                                                        \
  "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"                 \
  "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
#define EXTENSIONS_REGISTRY_ONLY                                                                   \
  "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{53D6AB1B-2488-11D1-A28C-00C04FB94F17}]"

/* Creates GPO @name defined by @value once; "?" leaves it out of the model. */
static void
fixture_gpo(GpModel *model, const char *name, const char *value)
{
  g_autofree char *dn = gpo_dn(name);
  GpGpo *gpo;

  if (strcmp(value, "?") == 0 || gp_model_find_gpo_dn(model, dn))
    return;
  gpo = gp_model_ensure_gpo_dn(model, dn);
  gpo->display_name = g_strdup(name);
  gpo->in_directory = TRUE;
  gpo->flags = 0;
  gpo->version_number = 3;
  gpo->has_functionality_version = TRUE;
  gpo->functionality_version = 2;
  gpo->machine_extension_names = g_strdup(EXTENSIONS_SECURITY);
  gpo->sysvol = GP_SYSVOL_READ;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = 3;
  gpo->machine_template = template_from(value);
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

/* "SOM:LINK,LINK": sets the SOM's gPLink (L1 written last) and creates the GPOs.
 * Returns the number of links whose options have bits other than 1 and 2. */
static guint
fixture_links(GpModel *model, const char *group, GPtrArray *diags)
{
  const char *colon = strchr(group, ':');
  g_autofree char *key = g_strndup(group, (gsize)(colon - group));
  g_auto(GStrv) links = g_strsplit(colon + 1, ",", -1);
  GString *raw = g_string_new(NULL);
  GpSom *som = fixture_som(model, key);
  guint odd_options = 0;

  for (guint i = 0; links[i]; i++) {
    const char *equals = strchr(links[i], '=');
    g_autofree char *head = g_strndup(links[i], (gsize)(equals - links[i]));
    char *mark = strpbrk(head, "[(");
    guint options = 0;
    g_autofree char *dn = NULL;
    g_autofree char *entry = NULL;

    if (mark && *mark == '[')
      options = 2;
    else if (mark)
      options = (guint)g_ascii_strtoull(mark + 1, NULL, 10);
    if (mark)
      *mark = '\0';
    if (options > 3)
      odd_options++;
    fixture_gpo(model, head, equals + 1);
    dn = gpo_dn(head);
    entry = g_strdup_printf("[LDAP://%s;%u]", dn, options);
    g_string_prepend(raw, entry);
  }
  gp_som_set_gplink(som, raw->str, diags, NULL, 0);
  g_string_free(raw, TRUE);
  return odd_options;
}

static void
apply_tweak(GpModel *model, GpComputer *computer, const char *tweak)
{
  const char *dot = strchr(tweak, '.');
  const char *equals = strchr(tweak, '=');
  g_autofree char *target = g_strndup(tweak, (gsize)(dot - tweak));
  g_autofree char *key = g_strndup(dot + 1, (gsize)(equals - dot - 1));
  const char *value = equals + 1;
  guint64 number = g_ascii_strtoull(value, NULL, 10);
  g_autofree char *dn = NULL;
  GpGpo *gpo;

  if (strcmp(target, "PC") == 0) {
    if (strcmp(key, "os") == 0) {
      g_free(computer->operating_system);
      computer->operating_system = strcmp(value, "none") ? g_strdup(value) : NULL;
    } else if (strcmp(key, "uac") == 0) {
      computer->has_user_account_control = TRUE;
      computer->user_account_control = (guint32)number;
    } else if (strcmp(key, "pgid") == 0) {
      computer->primary_group_id = (guint32)number;
    } else if (strcmp(key, "site") == 0) {
      g_free(computer->site);
      computer->site = g_strdup(value);
    } else {
      CU_FAIL_FATAL("unknown computer tweak");
    }
    return;
  }
  dn = gpo_dn(target);
  CU_ASSERT_PTR_NOT_NULL_FATAL(gp_model_find_gpo_dn(model, dn));
  gpo = gp_model_ensure_gpo_dn(model, dn);
  if (strcmp(key, "flags") == 0) {
    gpo->flags = (guint)number;
  } else if (strcmp(key, "fv") == 0) {
    gpo->has_functionality_version = strcmp(value, "none") != 0;
    gpo->functionality_version = (gint)number;
  } else if (strcmp(key, "ver") == 0) {
    gpo->version_number = (guint32)number;
  } else if (strcmp(key, "gpt") == 0) {
    gpo->has_gpt_ini = strcmp(value, "none") != 0;
    gpo->gpt_version = (guint32)number;
  } else if (strcmp(key, "cse") == 0) {
    g_free(gpo->machine_extension_names);
    gpo->machine_extension_names = g_strdup(EXTENSIONS_REGISTRY_ONLY);
  } else if (strcmp(key, "dir") == 0) {
    gpo->in_directory = number != 0;
  } else if (strcmp(key, "sysvol") == 0) {
    /* what a loader leaves: no template, and no GPT.INI unless the folder exists */
    g_clear_pointer(&gpo->machine_template, gp_security_template_free);
    if (strcmp(value, "unreadable") == 0) {
      gpo->sysvol = GP_SYSVOL_UNREADABLE;
      gpo->sysvol_problem = g_strdup("GptTmpl.inf: permission denied");
    } else if (strcmp(value, "missing") == 0) {
      gpo->sysvol = GP_SYSVOL_MISSING;
      gpo->has_gpt_ini = FALSE;
    } else if (strcmp(value, "notgiven") == 0) {
      gpo->sysvol = GP_SYSVOL_NOT_GIVEN;
      gpo->has_gpt_ini = FALSE;
    } else {
      CU_FAIL_FATAL("unknown sysvol state");
    }
  } else {
    CU_FAIL_FATAL("unknown GPO tweak");
  }
}

static void
fixture_catalogue(GpModel *model)
{
  for (gsize i = 0; i < G_N_ELEMENTS(catalogue); i++) {
    GpRightInfo *info = gp_right_info_new(catalogue[i].constant, catalogue[i].display_name);
    for (int role = 0; role < GP_ROLE_COUNT; role++)
      if (catalogue[i].defaults[role])
        info->defaults[role] = principals_from(catalogue[i].defaults[role]);
    gp_model_add_right_info(model, info);
  }
  gp_model_add_principal(model, "S-1-5-32-544", "BUILTIN\\Administrators");
  gp_model_add_principal(model, SID_APP, "CONTOSO\\svc-app");
}

/* Builds the model of @row; the computer and the local policy (nullable) come back. */
static GpModel *
build_model(const Row *row, GpComputer **out_computer, GpSecurityTemplate **out_local)
{
  GpModel *model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  const char *computer_dn = row->computer ? row->computer : SRV1_DN;
  g_autofree char *domain_dn = gp_dn_domain_part(computer_dn);
  GpComputer *computer;
  guint odd_options = 0;

  fixture_catalogue(model);
  gp_model_ensure_domain(model, "DC=contoso,DC=com");
  gp_model_ensure_domain(model, domain_dn);
  for (gsize i = 0; i < G_N_ELEMENTS(som_defs); i++)
    if (som_defs[i].always)
      fixture_som(model, som_defs[i].key);
  if (row->links) {
    g_auto(GStrv) groups = g_strsplit(row->links, " ", -1);
    for (guint i = 0; groups[i]; i++)
      if (*groups[i])
        odd_options += fixture_links(model, groups[i], diags);
  }
  /* the DSL writes well-formed gPLink values: only odd option bits are worth a warning */
  CU_ASSERT_EQUAL(diags->len, odd_options);
  if (row->block) {
    g_auto(GStrv) keys = g_strsplit(row->block, ",", -1);
    for (guint i = 0; keys[i]; i++)
      fixture_som(model, keys[i])->gp_options |= GP_SOM_BLOCK_INHERITANCE;
  }
  computer = gp_model_ensure_computer(model, computer_dn);
  computer->operating_system = g_strdup("Windows Server 2022 Standard");
  computer->has_user_account_control = TRUE;
  computer->user_account_control = 4096;
  computer->primary_group_id = 515;
  if (row->tweaks) {
    g_auto(GStrv) tweaks = g_strsplit(row->tweaks, ";", -1);
    for (guint i = 0; tweaks[i]; i++)
      apply_tweak(model, computer, g_strstrip(tweaks[i]));
  }
  *out_computer = computer;
  *out_local = row->local ? template_from(row->local) : NULL;
  return model;
}

/* -------------------------------------------------------------- rendering */

static char *
entry_label(const GpGpoEntry *entry)
{
  if (entry->is_local)
    return g_strdup("Local");
  if (entry->gpo && entry->gpo->display_name)
    return g_strdup(entry->gpo->display_name);
  if (entry->link->gpo_guid)
    return guid_name(entry->link->gpo_guid);
  return g_strdup(entry->link->gpo_dn);
}

/* "D1[E] X1 Local | C1(BLOCKED:Servers)"; @detailed adds the precedence number
 * before and "@SOM/L<link order>" after each GPO. */
static char *
render_entries(const GpResult *result, gboolean detailed)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);
    g_autofree char *label = entry_label(entry);

    if (out->len)
      g_string_append_c(out, ' ');
    if (detailed)
      g_string_append_printf(out, "%u ", entry->precedence);
    g_string_append(out, label);
    if (entry->is_local) {
      if (i + 1 < result->entries->len)
        g_string_append(out, " |");
      continue;
    }
    if (entry->enforced)
      g_string_append(out, "[E]");
    if (entry->reason != GP_REASON_NONE) {
      g_string_append_printf(out, "(%s", gp_reason_to_string(entry->reason));
      if (entry->blocked_by)
        g_string_append_printf(out, ":%s", entry->blocked_by->name);
      g_string_append_c(out, ')');
    }
    if (detailed)
      g_string_append_printf(out, "@%s/L%u", entry->som->name, entry->link->link_order);
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
  g_autofree char *name = NULL;

  switch (right->source) {
  case GP_SOURCE_GPO:
    name = right->winner ? entry_label(right->winner) : g_strdup("(no winner entry)");
    break;
  case GP_SOURCE_LOCAL:
    name = g_strdup("Local");
    break;
  case GP_SOURCE_DEFAULT:
    name = g_strdup("default");
    break;
  }
  return g_strdup_printf("%s%s", name, right->defined_nowhere ? " (nowhere)" : "");
}

static char *
render_definitions(const GpRightResult *right)
{
  GString *out = g_string_new(NULL);

  for (guint i = 0; i < right->definitions->len; i++) {
    const GpDefinition *definition = g_ptr_array_index(right->definitions, i);
    g_autofree char *label = entry_label(definition->entry);

    if (i)
      g_string_append_c(out, ' ');
    g_string_append_printf(out, "%s:%s", label, gp_outcome_to_string(definition->outcome));
    if (definition->overridden_by) {
      g_autofree char *by = entry_label(definition->overridden_by);
      g_string_append_printf(out, "(%s)", by);
    }
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

static gboolean
notes_contain(const GPtrArray *notes, const char *needle)
{
  for (guint i = 0; i < notes->len; i++)
    if (strstr(g_ptr_array_index(notes, i), needle))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------- invariants */

static gboolean
excluded_reason(GpReason reason)
{
  return reason == GP_REASON_LINK_DISABLED || reason == GP_REASON_BLOCKED;
}

/* What must hold for any result, whatever the row. */
static void
check_invariants(const GpResult *result)
{
  guint n_local = 0;

  CU_ASSERT_TRUE(result->entries->len >= 1);
  for (guint i = 0; i < result->entries->len; i++) {
    const GpGpoEntry *entry = g_ptr_array_index(result->entries, i);

    CU_ASSERT_EQUAL(entry->precedence, i + 1);
    CU_ASSERT_EQUAL(entry->applied, entry->reason == GP_REASON_NONE);
    CU_ASSERT_EQUAL(entry->reason == GP_REASON_BLOCKED, entry->blocked_by != NULL);
    if (entry->is_local) {
      n_local++;
      CU_ASSERT_TRUE(entry->applied);
      CU_ASSERT_PTR_NULL(entry->som);
      CU_ASSERT_PTR_NULL(entry->link);
      CU_ASSERT_PTR_NULL(entry->gpo);
      continue;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(entry->som);
    CU_ASSERT_PTR_NOT_NULL_FATAL(entry->link);
    /* excluded links come after Local, filtered GPOs keep their place before it */
    CU_ASSERT_EQUAL(excluded_reason(entry->reason), n_local == 1);
    if (entry->applied)
      CU_ASSERT_PTR_NOT_NULL(entry->gpo);
    if (entry->reason == GP_REASON_GPO_NOT_FOUND)
      CU_ASSERT_PTR_NULL(entry->gpo);
    if (entry->enforced)
      CU_ASSERT_EQUAL(entry->link->options & 3u, (guint)GP_LINK_ENFORCED);
    if (entry->reason == GP_REASON_SECURITY_CSE_NOT_REGISTERED)
      CU_ASSERT_TRUE(entry->gpo && entry->gpo->machine_template
                     && !gp_gpo_has_security_cse(entry->gpo));
  }
  CU_ASSERT_EQUAL(n_local, 1);

  for (guint r = 0; r < result->rights->len; r++) {
    const GpRightResult *right = g_ptr_array_index(result->rights, r);
    guint n_won = 0;
    guint last_precedence = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(right->holders);
    CU_ASSERT_EQUAL(right->source == GP_SOURCE_GPO, right->winner != NULL);
    /* secpol greys a right out exactly when some applied GPO defines it */
    CU_ASSERT_EQUAL(right->local_greyed_out, right->source == GP_SOURCE_GPO);
    if (right->winner)
      CU_ASSERT_TRUE(right->winner->applied);
    if (right->defined_nowhere) {
      CU_ASSERT_NOT_EQUAL(right->source, GP_SOURCE_GPO);
      CU_ASSERT_EQUAL(right->holders->len, 0);
    }
    for (guint d = 0; d < right->definitions->len; d++) {
      const GpDefinition *definition = g_ptr_array_index(right->definitions, d);

      CU_ASSERT_TRUE(definition->entry->precedence > last_precedence);
      last_precedence = definition->entry->precedence;
      switch (definition->outcome) {
      case GP_OUTCOME_WON:
        n_won++;
        CU_ASSERT_PTR_EQUAL(definition->entry, right->winner);
        break;
      case GP_OUTCOME_OVERRIDDEN:
        CU_ASSERT_TRUE(definition->entry->applied);
        CU_ASSERT_PTR_EQUAL(definition->overridden_by, right->winner);
        break;
      case GP_OUTCOME_NOT_APPLIED:
        CU_ASSERT_FALSE(definition->entry->applied);
        CU_ASSERT_PTR_NULL(definition->overridden_by);
        break;
      }
    }
    CU_ASSERT_EQUAL(n_won, right->winner ? 1 : 0);
  }
}

/* -------------------------------------------------------------- the rows */

static void
check_row(const Row *row)
{
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  g_autoptr(GpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *list = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *holders = NULL;
  GpComputer *computer = NULL;
  const char *rights[] = { row->right ? row->right : IMPERSONATE, NULL };
  GpEngineOptions options = { .site = row->site, .rights = rights };
  const GpRightResult *right;

  model = build_model(row, &computer, &local);
  options.local_policy = local;
  result = gp_engine_evaluate(model, computer, &options, &error);
  if (error)
    printf("\n%s: %s\n", row->id, error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  check_invariants(result);

  list = render_entries(result, FALSE);
  GP_ASSERT_STR(list, row->list);
  if (row->soms) {
    g_autofree char *soms = render_soms(result);
    GP_ASSERT_STR(soms, row->soms);
  }
  if (row->site_used)
    GP_ASSERT_STR(result->site ? result->site : "-", row->site_used);

  CU_ASSERT_EQUAL(result->rights->len, 1);
  right = gp_result_find_right(result, rights[0]);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  winner = render_winner(right);
  GP_ASSERT_STR(winner, row->winner);
  holders = render_holders(right->holders);
  GP_ASSERT_STR(holders, row->holders);
  if (row->defs) {
    g_autofree char *defs = render_definitions(right);
    GP_ASSERT_STR(defs, row->defs);
  }
  if (row->note) {
    if (!notes_contain(right->notes, row->note))
      printf("\n%s: no note on %s contains '%s'\n", row->id, right->right, row->note);
    CU_ASSERT_TRUE(notes_contain(right->notes, row->note));
  } else {
    if (right->notes->len)
      printf("\n%s: unexpected note '%s'\n", row->id, (char *)g_ptr_array_index(right->notes, 0));
    CU_ASSERT_EQUAL(right->notes->len, 0);
  }
}

static const Row *
find_row(const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
    if (strcmp(rows[i].id, id) == 0)
      return &rows[i];
  return NULL;
}

static void
run_row(const char *id)
{
  const Row *row = find_row(id);

  if (!row)
    printf("\nno row '%s'\n", id);
  CU_ASSERT_PTR_NOT_NULL_FATAL(row);
  check_row(row);
}

/* One line each; the harness finds "static void test_x(void)" at the start of a line. */
static void
test_e1_nothing_defines(void)
{
  run_row("e1");
}
static void
test_e2_plain_lsdou(void)
{
  run_row("e2");
}
static void
test_e3_link_order(void)
{
  run_row("e3");
}
static void
test_e4_enforced_domain(void)
{
  run_row("e4");
}
static void
test_e5_enforced_highest_wins(void)
{
  run_row("e5");
}
static void
test_e6_enforced_same_som(void)
{
  run_row("e6");
}
static void
test_e7_block_on_computer_ou(void)
{
  run_row("e7");
}
static void
test_e8_block_keeps_enforced(void)
{
  run_row("e8");
}
static void
test_e9_block_intermediate_ou(void)
{
  run_row("e9");
}
static void
test_e9b_block_with_enforced(void)
{
  run_row("e9b");
}
static void
test_e10_block_keeps_own_links(void)
{
  run_row("e10");
}
static void
test_e11_disabled_links(void)
{
  run_row("e11");
}
static void
test_flags_user_half_disabled(void)
{
  run_row("flags_user_half_disabled");
}
static void
test_flags_computer_half_disabled(void)
{
  run_row("flags_computer_half_disabled");
}
static void
test_flags_all_disabled(void)
{
  run_row("flags_all_disabled");
}
static void
test_dangling_link(void)
{
  run_row("dangling_link");
}
static void
test_gpo_only_in_sysvol(void)
{
  run_row("gpo_only_in_sysvol");
}
static void
test_functionality_version_1(void)
{
  run_row("functionality_version_1");
}
static void
test_functionality_version_absent(void)
{
  run_row("functionality_version_absent");
}
static void
test_empty_gpo_version_0(void)
{
  run_row("empty_gpo_version_0");
}
static void
test_empty_gpo_user_version_only(void)
{
  run_row("empty_gpo_user_version_only");
}
static void
test_gpc_version_0_gpt_version_set(void)
{
  run_row("gpc_version_0_gpt_version_set");
}
static void
test_gpc_version_set_gpt_version_0(void)
{
  run_row("gpc_version_set_gpt_version_0");
}
static void
test_security_cse_not_registered(void)
{
  run_row("security_cse_not_registered");
}
static void
test_sysvol_unreadable_above_winner(void)
{
  run_row("sysvol_unreadable_above_winner");
}
static void
test_sysvol_missing_above_winner(void)
{
  run_row("sysvol_missing_above_winner");
}
static void
test_sysvol_unreadable_below_winner(void)
{
  run_row("sysvol_unreadable_below_winner");
}
static void
test_sysvol_not_given_above_winner(void)
{
  run_row("sysvol_not_given_above_winner");
}
static void
test_defined_empty_wins(void)
{
  run_row("defined_empty_wins");
}
static void
test_whole_list_replacement(void)
{
  run_row("whole_list_replacement");
}
static void
test_names_resolved_to_sids(void)
{
  run_row("names_resolved_to_sids");
}
static void
test_definitions_outcomes(void)
{
  run_row("definitions_outcomes");
}
static void
test_computer_in_cn_computers(void)
{
  run_row("computer_in_cn_computers");
}
static void
test_cn_container_between_ous(void)
{
  run_row("cn_container_between_ous");
}
static void
test_ou_missing_from_data(void)
{
  run_row("ou_missing_from_data");
}
static void
test_child_domain_no_parent_links(void)
{
  run_row("child_domain_no_parent_links");
}
static void
test_block_on_site_no_effect(void)
{
  run_row("block_on_site_no_effect");
}
static void
test_block_on_domain_blocks_site_only(void)
{
  run_row("block_on_domain_blocks_site_only");
}
static void
test_block_on_two_ous_names_nearest_blocker(void)
{
  run_row("block_on_two_ous_names_nearest_blocker");
}
static void
test_two_enforced_in_one_som(void)
{
  run_row("two_enforced_in_one_som");
}
static void
test_two_enforced_in_one_som_link_order(void)
{
  run_row("two_enforced_in_one_som_link_order");
}
static void
test_duplicate_link_both_listed(void)
{
  run_row("duplicate_link_both_listed");
}
static void
test_duplicate_link_higher_wins(void)
{
  run_row("duplicate_link_higher_wins");
}
static void
test_duplicate_link_own_options(void)
{
  run_row("duplicate_link_own_options");
}
static void
test_link_options_3_disabled(void)
{
  run_row("link_options_3_disabled");
}
static void
test_link_options_unknown_bits(void)
{
  run_row("link_options_unknown_bits");
}
static void
test_two_sites_no_site(void)
{
  run_row("two_sites_no_site");
}
static void
test_two_sites_option_selects_hq(void)
{
  run_row("two_sites_option_selects_hq");
}
static void
test_two_sites_option_selects_branch(void)
{
  run_row("two_sites_option_selects_branch");
}
static void
test_two_sites_computer_site(void)
{
  run_row("two_sites_computer_site");
}
static void
test_site_option_empty_means_none(void)
{
  run_row("site_option_empty_means_none");
}
static void
test_site_option_not_in_data(void)
{
  run_row("site_option_not_in_data");
}
static void
test_local_policy_without_the_right(void)
{
  run_row("local_policy_without_the_right");
}
static void
test_local_policy_defines_the_right(void)
{
  run_row("local_policy_defines_the_right");
}
static void
test_local_policy_loses_to_gpo(void)
{
  run_row("local_policy_loses_to_gpo");
}
static void
test_default_not_defined(void)
{
  run_row("default_not_defined");
}
static void
test_right_by_display_name(void)
{
  run_row("right_by_display_name");
}

/* Every row has a unique id and the three expectations every row must state. */
static void
test_rows_well_formed(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
    CU_ASSERT_PTR_NOT_NULL(rows[i].list);
    CU_ASSERT_PTR_NOT_NULL(rows[i].winner);
    CU_ASSERT_PTR_NOT_NULL(rows[i].holders);
    CU_ASSERT_PTR_EQUAL(find_row(rows[i].id), &rows[i]);
  }
}

/* ------------------------------------------------------ dedicated checks */

/* The DSL writes L1 last, exactly as precedence-rules.md E3 shows the raw gPLink. */
static void
test_e3_gplink_string(void)
{
  static const Row row = { .id = "e3raw", .links = "Servers:X1=ADM,X2=APP" };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  GpComputer *computer = NULL;
  g_autofree char *x1 = name_guid("X1");
  g_autofree char *x2 = name_guid("X2");
  g_autofree char *expected
      = g_strdup_printf("[LDAP://cn=%s,cn=policies,cn=system,DC=contoso,DC=com;0]"
                        "[LDAP://cn=%s,cn=policies,cn=system,DC=contoso,DC=com;0]",
                        x2, x1);
  const GpSom *servers;
  const GpLink *first;

  model = build_model(&row, &computer, &local);
  servers = gp_model_find_som(model, "OU=Servers,OU=Corp,DC=contoso,DC=com");
  CU_ASSERT_PTR_NOT_NULL_FATAL(servers);
  GP_ASSERT_STR(servers->gplink_raw, expected);
  CU_ASSERT_EQUAL_FATAL(servers->links->len, 2);
  first = g_ptr_array_index(servers->links, 0);
  GP_ASSERT_STR(first->gpo_guid, x1);
  CU_ASSERT_EQUAL(first->link_order, 1);
}

/* Entries are numbered 1..n in list order: applied and filtered ones, Local, then
 * the excluded links; each borrows the model's SOM and link. */
static void
test_precedence_numbers(void)
{
  static const Row row = {
    .id = "numbers",
    .links = "domain:D1[E]=ADM Corp:C1=APP Servers:X1=ADMSVC,X2=DEF",
    .block = "Servers",
    .tweaks = "X2.flags=2",
  };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  g_autoptr(GpResult) result = NULL;
  g_autofree char *list = NULL;
  g_autofree char *x1_dn = gpo_dn("X1");
  GpComputer *computer = NULL;
  const GpGpoEntry *entry;

  model = build_model(&row, &computer, &local);
  result = gp_engine_evaluate(model, computer, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  check_invariants(result);
  list = render_entries(result, TRUE);
  GP_ASSERT_STR(list, "1 D1[E]@contoso.com/L1 2 X1@Servers/L1 "
                      "3 X2(COMPUTER_SETTINGS_DISABLED)@Servers/L2 4 Local | "
                      "5 C1(BLOCKED:Servers)@Corp/L1");
  entry = g_ptr_array_index(result->entries, 1);
  CU_ASSERT_PTR_EQUAL(entry->som, gp_model_find_som(model, "OU=Servers,OU=Corp,DC=contoso,DC=com"));
  CU_ASSERT_PTR_EQUAL(entry->link, g_ptr_array_index(entry->som->links, 0));
  CU_ASSERT_PTR_EQUAL(entry->gpo, gp_model_find_gpo_dn(model, x1_dn));
  entry = g_ptr_array_index(result->entries, 4);
  CU_ASSERT_PTR_EQUAL(entry->blocked_by,
                      gp_model_find_som(model, "OU=Servers,OU=Corp,DC=contoso,DC=com"));
}

/* rights = NULL: the rights some GPO on the list defines, catalogue order first,
 * and nothing from a GPO linked elsewhere or from the defaults. */
static void
test_rights_null_resolves_defined_rights(void)
{
  static const Row row = {
    .id = "all",
    .links = "domain:D1=SeBackupPrivilege:ADM "
             "Servers:X1=SeServiceLogonRight:ADMSVC+APP+SeFooRight:ADM "
             "Other:O1=SeDebugPrivilege:ADM",
  };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  g_autoptr(GpResult) result = NULL;
  GpComputer *computer = NULL;
  GString *rendered = g_string_new(NULL);
  g_autofree char *text = NULL;

  model = build_model(&row, &computer, &local);
  result = gp_engine_evaluate(model, computer, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  check_invariants(result);
  for (guint i = 0; i < result->rights->len; i++) {
    const GpRightResult *right = g_ptr_array_index(result->rights, i);
    g_autofree char *winner = render_winner(right);
    g_string_append_printf(rendered, "%s%s=%s%s", i ? " " : "", right->right, winner,
                           right->info ? "" : "(not in catalogue)");
  }
  text = g_string_free(rendered, FALSE);
  GP_ASSERT_STR(text, "SeBackupPrivilege=D1 SeImpersonatePrivilege=X1 SeServiceLogonRight=X1 "
                      "SeFooRight=X1(not in catalogue)");
}

static void
test_unknown_right_is_an_error(void)
{
  static const Row row = { .id = "unknown", .links = "Servers:X1=ADM" };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  g_autoptr(GpResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GpComputer *computer = NULL;
  const char *rights[] = { IMPERSONATE, "SeBogusPrivilege", NULL };
  GpEngineOptions options = { .rights = rights };

  model = build_model(&row, &computer, &local);
  result = gp_engine_evaluate(model, computer, &options, &error);
  CU_ASSERT_PTR_NULL(result);
  CU_ASSERT_TRUE(g_error_matches(error, GP_ENGINE_ERROR, GP_ENGINE_ERROR_UNKNOWN_RIGHT));
  CU_ASSERT_TRUE(error && strstr(error->message, "SeBogusPrivilege") != NULL);
}

/* A display name, or the constant in any case, resolves the catalogue's right. */
static void
test_right_names_resolve_to_constant(void)
{
  static const Row row = { .id = "names", .links = "Servers:X1=ADM" };
  static const char *const names[]
      = { "Impersonate a client after authentication", "IMPERSONATE A CLIENT AFTER AUTHENTICATION",
          "seimpersonateprivilege" };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  GpComputer *computer = NULL;

  model = build_model(&row, &computer, &local);
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    const char *rights[] = { names[i], NULL };
    GpEngineOptions options = { .rights = rights };
    g_autoptr(GpResult) result = gp_engine_evaluate(model, computer, &options, NULL);
    const GpRightResult *right;

    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_EQUAL_FATAL(result->rights->len, 1);
    right = g_ptr_array_index(result->rights, 0);
    GP_ASSERT_STR(right->right, IMPERSONATE);
    CU_ASSERT_PTR_EQUAL(right->info, gp_model_lookup_right(model, IMPERSONATE));
    CU_ASSERT_EQUAL(right->source, GP_SOURCE_GPO);
    CU_ASSERT_PTR_EQUAL(gp_result_find_right(result, names[i]), right);
  }
}

/* Holders carry the name the model's directory knows for their SID. */
static void
test_holder_names_from_directory(void)
{
  static const Row row = { .id = "directory", .links = "Servers:X1=ADM" };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  g_autoptr(GpResult) result = NULL;
  GpComputer *computer = NULL;
  const GpRightResult *right;
  const GpPrincipal *holder;

  model = build_model(&row, &computer, &local);
  result = gp_engine_evaluate(model, computer, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  right = gp_result_find_right(result, IMPERSONATE);
  CU_ASSERT_PTR_NOT_NULL_FATAL(right);
  CU_ASSERT_EQUAL_FATAL(right->holders->len, 1);
  holder = g_ptr_array_index(right->holders, 0);
  GP_ASSERT_STR(holder->sid, "S-1-5-32-544");
  GP_ASSERT_STR(holder->name, "BUILTIN\\Administrators");
}

/* Filters assumed to pass for lack of data are recorded on the entry. */
static void
test_assumptions_recorded(void)
{
  static const Row row = {
    .id = "assumptions",
    .links = "Servers:X1=ADM,X2=ADM",
    .tweaks = "X1.fv=none;X2.sysvol=notgiven",
  };
  g_autoptr(GpModel) model = NULL;
  g_autoptr(GpSecurityTemplate) local = NULL;
  g_autoptr(GpResult) result = NULL;
  GpComputer *computer = NULL;
  const GpGpoEntry *x1, *x2;

  model = build_model(&row, &computer, &local);
  result = gp_engine_evaluate(model, computer, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(result);
  CU_ASSERT_EQUAL_FATAL(result->entries->len, 3);
  x1 = g_ptr_array_index(result->entries, 0);
  x2 = g_ptr_array_index(result->entries, 1);
  CU_ASSERT_TRUE(x1->applied && x2->applied);
  CU_ASSERT_TRUE(notes_contain(x1->assumptions, "gPCFunctionalityVersion"));
  CU_ASSERT_FALSE(notes_contain(x2->assumptions, "gPCFunctionalityVersion"));
  CU_ASSERT_TRUE(notes_contain(x2->assumptions, "SYSVOL"));
  CU_ASSERT_FALSE(notes_contain(x1->assumptions, "SYSVOL"));
}

/* ------------------------------------------------------------------ roles */

static const struct {
  const char *label;
  const char *os; /* NULL: absent */
  gboolean has_uac;
  guint32 uac;
  guint32 pgid;
  GpRole role;
  gboolean assumed;
  const char *shutdown; /* SeShutdownPrivilege from that role's column */
} roles[] = {
  { "uac 532480", NULL, TRUE, 532480, 0, GP_ROLE_DOMAIN_CONTROLLER, FALSE, SHUTDOWN_DC },
  { "uac 532480 + server OS", "Windows Server 2022 Datacenter", TRUE, 532480, 516,
    GP_ROLE_DOMAIN_CONTROLLER, FALSE, SHUTDOWN_DC },
  { "RODC uac", NULL, TRUE, 0x04001000u, 0, GP_ROLE_DOMAIN_CONTROLLER, FALSE, SHUTDOWN_DC },
  { "pgid 521", NULL, FALSE, 0, 521, GP_ROLE_DOMAIN_CONTROLLER, FALSE, SHUTDOWN_DC },
  { "pgid 516", NULL, FALSE, 0, 516, GP_ROLE_DOMAIN_CONTROLLER, FALSE, SHUTDOWN_DC },
  { "server 2019", "Windows Server 2019 Datacenter", TRUE, 4096, 515, GP_ROLE_MEMBER_SERVER, FALSE,
    SHUTDOWN_MEMBER },
  { "windows 11", "Windows 11 Pro", TRUE, 4096, 515, GP_ROLE_CLIENT, FALSE, SHUTDOWN_CLIENT },
  { "nothing", NULL, FALSE, 0, 0, GP_ROLE_MEMBER_SERVER, TRUE, SHUTDOWN_MEMBER },
  { "workstation uac only", NULL, TRUE, 4096, 515, GP_ROLE_MEMBER_SERVER, TRUE, SHUTDOWN_MEMBER },
};

/* gp_engine_computer_role() decides the role, and the defaults come from its column. */
static void
test_role_detection(void)
{
  static const Row row = { .id = "role", .links = "Servers:X1=n/d" };
  const char *rights[] = { "SeShutdownPrivilege", NULL };
  GpEngineOptions options = { .rights = rights };

  for (gsize i = 0; i < G_N_ELEMENTS(roles); i++) {
    g_autoptr(GpModel) model = NULL;
    g_autoptr(GpSecurityTemplate) local = NULL;
    g_autoptr(GpResult) result = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *holders = NULL;
    g_autofree char *actual = NULL;
    g_autofree char *expected = NULL;
    GpComputer *computer = NULL;
    gboolean assumed = !roles[i].assumed;
    GpRole role;
    const GpRightResult *right;

    model = build_model(&row, &computer, &local);
    g_clear_pointer(&computer->operating_system, g_free);
    computer->operating_system = g_strdup(roles[i].os);
    computer->has_user_account_control = roles[i].has_uac;
    computer->user_account_control = roles[i].uac;
    computer->primary_group_id = roles[i].pgid;

    role = gp_engine_computer_role(computer, &assumed, &reason);
    CU_ASSERT_TRUE(reason && *reason);
    result = gp_engine_evaluate(model, computer, &options, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(result);
    CU_ASSERT_EQUAL(result->role, role);
    CU_ASSERT_EQUAL(result->role_assumed, assumed);
    CU_ASSERT_TRUE(result->role_reason && *result->role_reason);
    right = gp_result_find_right(result, "SeShutdownPrivilege");
    CU_ASSERT_PTR_NOT_NULL_FATAL(right);
    CU_ASSERT_EQUAL(right->source, GP_SOURCE_DEFAULT);
    holders = render_holders(right->holders);
    actual = g_strdup_printf("%s: %s assumed=%d %s", roles[i].label, gp_role_to_string(role),
                             assumed, holders);
    expected
        = g_strdup_printf("%s: %s assumed=%d %s", roles[i].label, gp_role_to_string(roles[i].role),
                          roles[i].assumed, roles[i].shutdown);
    GP_ASSERT_STR(actual, expected);
  }
}

/* ---------------------------------------------------------- enum strings */

static void
test_enum_strings(void)
{
  static const char *const reasons[] = {
    NULL,
    "LINK_DISABLED",
    "BLOCKED",
    "GPO_NOT_FOUND",
    "BAD_FUNCTIONALITY_VERSION",
    "COMPUTER_SETTINGS_DISABLED",
    "SECURITY_FILTER_DENIED",
    "WMI_FILTER_FALSE",
    "EMPTY_GPO",
    "SECURITY_CSE_NOT_REGISTERED",
    "SYSVOL_UNREADABLE",
  };

  for (guint i = 0; i < G_N_ELEMENTS(reasons); i++) {
    GP_ASSERT_STR(gp_reason_to_string((GpReason)i), reasons[i]);
    CU_ASSERT_TRUE(*gp_reason_describe((GpReason)i) != '\0');
  }
  GP_ASSERT_STR(gp_outcome_to_string(GP_OUTCOME_WON), "won");
  GP_ASSERT_STR(gp_outcome_to_string(GP_OUTCOME_OVERRIDDEN), "overridden");
  GP_ASSERT_STR(gp_outcome_to_string(GP_OUTCOME_NOT_APPLIED), "not-applied");
  GP_ASSERT_STR(gp_source_to_string(GP_SOURCE_GPO), "gpo");
  GP_ASSERT_STR(gp_source_to_string(GP_SOURCE_LOCAL), "local");
  GP_ASSERT_STR(gp_source_to_string(GP_SOURCE_DEFAULT), "default");
}

static const GpTestCase cases[] = {
  GP_TEST(test_e1_nothing_defines),
  GP_TEST(test_e2_plain_lsdou),
  GP_TEST(test_e3_link_order),
  GP_TEST(test_e3_gplink_string),
  GP_TEST(test_e4_enforced_domain),
  GP_TEST(test_e5_enforced_highest_wins),
  GP_TEST(test_e6_enforced_same_som),
  GP_TEST(test_e7_block_on_computer_ou),
  GP_TEST(test_e8_block_keeps_enforced),
  GP_TEST(test_e9_block_intermediate_ou),
  GP_TEST(test_e9b_block_with_enforced),
  GP_TEST(test_e10_block_keeps_own_links),
  GP_TEST(test_e11_disabled_links),
  GP_TEST(test_flags_user_half_disabled),
  GP_TEST(test_flags_computer_half_disabled),
  GP_TEST(test_flags_all_disabled),
  GP_TEST(test_dangling_link),
  GP_TEST(test_gpo_only_in_sysvol),
  GP_TEST(test_functionality_version_1),
  GP_TEST(test_functionality_version_absent),
  GP_TEST(test_empty_gpo_version_0),
  GP_TEST(test_empty_gpo_user_version_only),
  GP_TEST(test_gpc_version_0_gpt_version_set),
  GP_TEST(test_gpc_version_set_gpt_version_0),
  GP_TEST(test_security_cse_not_registered),
  GP_TEST(test_sysvol_unreadable_above_winner),
  GP_TEST(test_sysvol_missing_above_winner),
  GP_TEST(test_sysvol_unreadable_below_winner),
  GP_TEST(test_sysvol_not_given_above_winner),
  GP_TEST(test_defined_empty_wins),
  GP_TEST(test_whole_list_replacement),
  GP_TEST(test_names_resolved_to_sids),
  GP_TEST(test_definitions_outcomes),
  GP_TEST(test_computer_in_cn_computers),
  GP_TEST(test_cn_container_between_ous),
  GP_TEST(test_ou_missing_from_data),
  GP_TEST(test_child_domain_no_parent_links),
  GP_TEST(test_block_on_site_no_effect),
  GP_TEST(test_block_on_domain_blocks_site_only),
  GP_TEST(test_block_on_two_ous_names_nearest_blocker),
  GP_TEST(test_two_enforced_in_one_som),
  GP_TEST(test_two_enforced_in_one_som_link_order),
  GP_TEST(test_duplicate_link_both_listed),
  GP_TEST(test_duplicate_link_higher_wins),
  GP_TEST(test_duplicate_link_own_options),
  GP_TEST(test_link_options_3_disabled),
  GP_TEST(test_link_options_unknown_bits),
  GP_TEST(test_two_sites_no_site),
  GP_TEST(test_two_sites_option_selects_hq),
  GP_TEST(test_two_sites_option_selects_branch),
  GP_TEST(test_two_sites_computer_site),
  GP_TEST(test_site_option_empty_means_none),
  GP_TEST(test_site_option_not_in_data),
  GP_TEST(test_local_policy_without_the_right),
  GP_TEST(test_local_policy_defines_the_right),
  GP_TEST(test_local_policy_loses_to_gpo),
  GP_TEST(test_default_not_defined),
  GP_TEST(test_right_by_display_name),
  GP_TEST(test_rows_well_formed),
  GP_TEST(test_precedence_numbers),
  GP_TEST(test_rights_null_resolves_defined_rights),
  GP_TEST(test_unknown_right_is_an_error),
  GP_TEST(test_right_names_resolve_to_constant),
  GP_TEST(test_holder_names_from_directory),
  GP_TEST(test_assumptions_recorded),
  GP_TEST(test_role_detection),
  GP_TEST(test_enum_strings),
};

GP_TEST_MAIN("engine", cases)
