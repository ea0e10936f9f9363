/* gp-model.h - the in-memory forest gpsim reasons about.
 *
 * A GpModel owns every record below: domains, SOMs (sites, domains, OUs) with
 * their parsed gPLink, GPOs with their security template, computers, the
 * catalogue of user rights with their documented defaults, and a principal
 * directory (SID <-> name).  Loaders fill it, the engine reads it; there is no
 * I/O here.
 *
 * Ownership: records are plain structs owned by the model; pointers returned by
 * accessors are borrowed and stay valid until gp_model_free().  Strings in
 * records are owned by their record and set with g_free/g_strdup by whoever
 * fills them (loaders, tests).
 */
#ifndef GP_MODEL_H
#define GP_MODEL_H

#include <glib.h>

#include "gp-diag.h"

G_BEGIN_DECLS

/* CSE GUID of the Security client-side extension (MS-GPSB 1.9). */
#define GP_SECURITY_CSE_GUID "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"

/* ---------------------------------------------------------------- principals */

/* A holder of a right as written in the data.  At least one of @sid and @name
 * is set: "*S-1-5-32-544" gives a SID, a bare "Guest" gives a name. */
typedef struct {
  char *sid;  /* (nullable) "S-1-5-32-544", no leading '*' */
  char *name; /* (nullable) as written or as resolved ("BUILTIN\\Administrators") */
} GpPrincipal;

/* Returns: (transfer full) */
GpPrincipal *gp_principal_new(const char *sid, const char *name);
GpPrincipal *gp_principal_copy(const GpPrincipal *principal);
void gp_principal_free(GpPrincipal *principal);

/* --------------------------------------------------------- security template */

/* One "Right = a,b,c" line of [Privilege Rights]. */
typedef struct {
  char *right;        /* canonical constant when known, else as written */
  GPtrArray *holders; /* GpPrincipal*, in file order; empty means defined-empty */
  char *file;         /* (nullable) where it was read */
  guint line;
} GpRightAssignment;

GpRightAssignment *gp_right_assignment_new(const char *right, const char *file, guint line);
void gp_right_assignment_free(GpRightAssignment *assignment);

/* A line of a section gpsim keeps but does not interpret yet. */
typedef struct {
  char *key;   /* (nullable) NULL for lines that are not key=value */
  char *value; /* the value, or the whole line when @key is NULL */
  guint line;
} GpInfEntry;

typedef struct {
  char *name; /* as written, without brackets */
  guint line;
  GPtrArray *entries; /* GpInfEntry* */
} GpInfSection;

/* Returns: (transfer full): an empty section; entries are added with
 * gp_inf_section_add_entry(), which copies @key (nullable) and @value. */
GpInfSection *gp_inf_section_new(const char *name, guint line);
void gp_inf_section_add_entry(GpInfSection *section, const char *key, const char *value,
                              guint line);

/* A parsed security template (GptTmpl.inf or a secedit export). */
typedef struct {
  char *file;           /* (nullable) */
  GPtrArray *rights;    /* GpRightAssignment*, file order */
  GHashTable *by_right; /* case-folded right -> GpRightAssignment* (borrowed) */
  GPtrArray *sections;  /* GpInfSection*, every section except [Privilege Rights] */
} GpSecurityTemplate;

GpSecurityTemplate *gp_security_template_new(const char *file);
void gp_security_template_free(GpSecurityTemplate *tmpl);
/* Takes ownership of @assignment.  A second assignment of the same right
 * replaces the first, in rights and in by_right (the caller warns about
 * duplicates). */
void gp_security_template_add(GpSecurityTemplate *tmpl, GpRightAssignment *assignment);
/* Returns: (nullable) (transfer none): the assignment of @right, any case. */
const GpRightAssignment *gp_security_template_lookup(const GpSecurityTemplate *tmpl,
                                                     const char *right);

/* --------------------------------------------------------------------- rights */

typedef enum {
  GP_ROLE_DOMAIN_CONTROLLER,
  GP_ROLE_MEMBER_SERVER,
  GP_ROLE_CLIENT,
  GP_ROLE_STANDALONE,
  GP_ROLE_COUNT
} GpRole;

/* Returns: (transfer none): "domain-controller", "member-server", "client", "standalone". */
const char *gp_role_to_string(GpRole role);

/* One of the 45 user rights, with its documented default holders per role. */
typedef struct {
  char *constant;     /* "SeImpersonatePrivilege" */
  char *display_name; /* "Impersonate a client after authentication" */
  gboolean is_logon_right;
  /* GpPrincipal* per role; NULL when the documentation says "Not defined". */
  GPtrArray *defaults[GP_ROLE_COUNT];
} GpRightInfo;

GpRightInfo *gp_right_info_new(const char *constant, const char *display_name);
void gp_right_info_free(GpRightInfo *info);

/* ------------------------------------------------------------------ topology */

typedef enum {
  GP_SOM_SITE,
  GP_SOM_DOMAIN,
  GP_SOM_OU,
} GpSomKind;

/* Returns: (transfer none): "site", "domain", "ou". */
const char *gp_som_kind_to_string(GpSomKind kind);

/* gPLink option bits (MS-GPOL 2.2.2); any other bit is kept and ignored. */
typedef enum {
  GP_LINK_DISABLED = 1 << 0,
  GP_LINK_ENFORCED = 1 << 1,
} GpLinkFlags;

/* gPOptions bit 0. */
#define GP_SOM_BLOCK_INHERITANCE 1u

typedef struct {
  char *gpo_dn;     /* as written, "LDAP://" removed */
  char *gpo_guid;   /* (nullable) "{UPPER}" taken from the DN */
  guint options;    /* GpLinkFlags bits as written */
  guint link_order; /* 1 = highest precedence within its SOM */
} GpLink;

void gp_link_free(GpLink *link);

typedef struct {
  char *dn;
  GpSomKind kind;
  char *name;       /* OU or site name, or the domain's DNS name */
  char *gplink_raw; /* (nullable) the attribute as read */
  guint gp_options; /* gPOptions */
  GPtrArray *links; /* GpLink*, link order 1 first */
  /* Set when the SOM was built from exports that do not tell (Get-GPOReport's
   * LinksTo): link order follows the order the links were read in, and block
   * inheritance is unknown (taken as not blocking).  The output says so. */
  gboolean link_order_assumed;
  gboolean block_unknown;
  char *file; /* (nullable) */
  guint line;
} GpSom;

/* Parses @raw into @som->links, replacing them, and keeps the raw string.
 * Problems (missing brackets, bad options, non-GUID DNs) go to @diags with
 * @file:@line; the well-formed entries are kept.  NULL, "" and " " mean no links.
 * This is the single place where string position becomes link order: the last
 * entry is link order 1 (precedence-rules.md 1.4). */
void gp_som_set_gplink(GpSom *som, const char *raw, GPtrArray *diags, const char *file, guint line);

/* ---------------------------------------------------------- access control */

/* Access mask bits of directory objects (MS-ADTS 5.1.3.2) that GPO filtering uses. */
#define GP_ACCESS_READ_PROPERTY  0x00000010u
#define GP_ACCESS_CONTROL_ACCESS 0x00000100u /* extended rights ("CR" in SDDL) */
#define GP_ACCESS_GENERIC_ALL    0x10000000u
#define GP_ACCESS_GENERIC_READ   0x80000000u
/* The Apply Group Policy extended right (MS-GPOL 3.2.5.1.6). */
#define GP_APPLY_GROUP_POLICY_GUID "{EDACFD8F-FFB3-11D1-B41D-00A0C968F939}"

/* ACE header flags (MS-DTYP 2.4.4.1). */
#define GP_ACE_INHERIT_ONLY 0x08u

typedef enum {
  GP_ACE_ALLOW,
  GP_ACE_DENY,
  GP_ACE_OTHER, /* audit, alarm, callback...: never grants nor denies */
} GpAceType;

typedef struct {
  GpAceType type;
  guint8 flags;      /* header flags as written (inherit-only, inherited...) */
  guint32 mask;      /* generic rights already mapped to directory rights */
  char *object_type; /* (nullable) "{UPPER}" for object ACEs that name one */
  char *sid;         /* (nullable) trustee "S-1-..."; NULL only for GP_ACE_OTHER */
} GpAce;

typedef struct {
  char *owner;     /* (nullable) */
  GPtrArray *dacl; /* (nullable) GpAce*; NULL means no DACL: everyone allowed */
} GpSecurityDescriptor;

GpAce *gp_ace_new(GpAceType type, guint8 flags, guint32 mask, const char *object_type,
                  const char *sid);
void gp_ace_free(GpAce *ace);
/* Returns: (transfer full): a descriptor with an empty, present DACL. */
GpSecurityDescriptor *gp_security_descriptor_new(void);
void gp_security_descriptor_free(GpSecurityDescriptor *sd);

/* Appends a link with the next link order (lowest precedence so far) and
 * returns it.  For formats that list links with explicit order or none. */
GpLink *gp_som_add_link(GpSom *som, const char *gpo_dn, guint options);

/* -------------------------------------------------------------------- GPOs */

typedef enum {
  GP_SYSVOL_NOT_GIVEN,  /* no SYSVOL data was loaded for this GPO's domain */
  GP_SYSVOL_READ,       /* folder read; machine_template NULL means no GptTmpl.inf */
  GP_SYSVOL_MISSING,    /* SYSVOL data given, but no folder for this GPO */
  GP_SYSVOL_UNREADABLE, /* folder present, GPT.INI or GptTmpl.inf unreadable */
} GpSysvolState;

typedef struct {
  char *guid;             /* "{UPPER}" */
  char *dn;               /* (nullable) when known only from SYSVOL */
  char *display_name;     /* (nullable) */
  gboolean in_directory;  /* seen as a groupPolicyContainer object */
  guint flags;            /* 1 user half disabled, 2 computer half disabled */
  guint32 version_number; /* GPC: user << 16 | computer */
  gboolean has_functionality_version;
  gint functionality_version;
  char *machine_extension_names; /* (nullable) */
  char *file_sys_path;           /* (nullable) */
  GpSysvolState sysvol;
  gboolean has_gpt_ini;
  guint32 gpt_version;                  /* GPT.INI [General] Version */
  char *sysvol_problem;                 /* (nullable) why the folder was unreadable */
  GpSecurityTemplate *machine_template; /* (nullable) GptTmpl.inf */
  /* (nullable) nTSecurityDescriptor; NULL when the data has none, in which case
   * the GPO is assumed readable and applicable, and the output says so. */
  GpSecurityDescriptor *security_descriptor;
  char *wql_filter; /* (nullable) gPCWQLFilter "[domain;{id};0]" */
  char *file;
  guint line;
} GpGpo;

/* TRUE when gPCMachineExtensionNames lists the Security CSE. */
gboolean gp_gpo_has_security_cse(const GpGpo *gpo);

/* ---------------------------------------------------------------- computers */

typedef struct {
  char *dn;
  char *cn;
  char *sam_account_name; /* (nullable) "WEB01$" */
  char *dns_host_name;    /* (nullable) */
  char *operating_system; /* (nullable) */
  gboolean has_user_account_control;
  guint32 user_account_control;
  guint32 primary_group_id; /* 0 when absent */
  char *sid;                /* (nullable) */
  GPtrArray *member_of;     /* char* DNs */
  char *site;               /* (nullable) site name when the data says */
  char *file;
  guint line;
} GpComputer;

/* A security group (or any principal that can hold members), for tokens. */
typedef struct {
  char *dn;
  char *sid;            /* (nullable) */
  char *name;           /* (nullable) sAMAccountName */
  GPtrArray *member_of; /* char* DNs of the groups it is a member of */
  GPtrArray *members;   /* char* DNs of its members */
} GpGroup;

/* ------------------------------------------------------------------ users */

/* An account that logs on: a user or a (group) managed service account, for
 * the tokens of accounts (gpsim token, can-impersonate). */
typedef struct {
  char *dn;
  char *sid;                /* (nullable) */
  char *name;               /* (nullable) sAMAccountName */
  GPtrArray *member_of;     /* char* DNs of the groups it is a member of */
  guint32 primary_group_id; /* 0 when absent (513, Domain Users, is the usual value) */
} GpUser;

/* ----------------------------------------------------------- users: end */

/* A WMI filter (msWMI-Som). */
typedef struct {
  char *id;    /* "{UPPER}" (msWMI-ID) */
  char *name;  /* (nullable) msWMI-Name */
  char *query; /* (nullable) msWMI-Parm2 */
  char *domain_dn;
} GpWmiFilter;

/* A subnet object: which site an address range belongs to. */
typedef struct {
  char *cidr;    /* "10.1.0.0/16" (the subnet object's cn) */
  char *site_dn; /* (nullable) siteObject */
} GpSubnet;

typedef struct {
  char *dn;           /* "DC=contoso,DC=com" */
  char *dns_name;     /* "contoso.com" */
  char *netbios_name; /* (nullable) "CONTOSO" */
  char *sid;          /* (nullable) domain SID */
} GpDomain;

/* -------------------------------------------------------------------- model */

typedef struct _GpModel GpModel;

GpModel *gp_model_new(void);
void gp_model_free(GpModel *model);

/* Catalogue of rights.  Takes ownership of @info. */
void gp_model_add_right_info(GpModel *model, GpRightInfo *info);
/* Returns: (nullable) (transfer none): the right whose constant or display
 * name equals @name, any case. */
const GpRightInfo *gp_model_lookup_right(const GpModel *model, const char *name);
/* Returns: (transfer none): GpRightInfo*, catalogue order. */
const GPtrArray *gp_model_rights(const GpModel *model);

/* Principal directory.  Later additions for the same SID keep the first name. */
void gp_model_add_principal(GpModel *model, const char *sid, const char *name);
/* Returns: (nullable) (transfer none) */
const char *gp_model_principal_name(const GpModel *model, const char *sid);
/* Looks @name up as written, then without a "DOMAIN\" prefix, any case.
 * Returns: (nullable) (transfer none) */
const char *gp_model_principal_sid(const GpModel *model, const char *name);

/* Names an account that exists in every domain under a fixed RID (512 "Domain
 * Admins"...); gp_model_complete() turns them into principals per domain. */
void gp_model_add_domain_account(GpModel *model, guint32 rid, const char *name);

/* Records that the computer @computer_dn is a domain controller of @site (its
 * server object under CN=Sites); gp_model_complete() gives the computer that
 * site, whichever file or order the two objects came in. */
void gp_model_add_server_site(GpModel *model, const char *computer_dn, const char *site);

/* Finishes a model after loading: gives domain controllers their server
 * objects' sites, names the domain accounts of every domain
 * whose SID is known ("CONTOSO\Domain Admins"), and gives domains without a
 * NetBIOS name the upper-cased first label of their DNS name. */
void gp_model_complete(GpModel *model);

/* Domains, keyed by normalised DN.  Returns: (transfer none) */
GpDomain *gp_model_ensure_domain(GpModel *model, const char *dn);
const GpDomain *gp_model_find_domain(const GpModel *model, const char *dn);
const GPtrArray *gp_model_domains(const GpModel *model);

/* SOMs, keyed by normalised DN.  ensure creates the SOM with no links when absent
 * (and keeps the existing kind otherwise).  Returns: (transfer none) */
GpSom *gp_model_ensure_som(GpModel *model, const char *dn, GpSomKind kind);
const GpSom *gp_model_find_som(const GpModel *model, const char *dn);
/* Returns: (nullable) (transfer none): the site SOM named @name, any case. */
const GpSom *gp_model_find_site(const GpModel *model, const char *name);
const GPtrArray *gp_model_soms(const GpModel *model);

/* GPOs.  ensure_gpo_dn files the GPO under its DN (GUID taken from the DN's cn);
 * add_gpo_guid creates a GPO known only by GUID (SYSVOL without directory data).
 * Returns: (nullable) (transfer none): NULL when @dn holds no GUID. */
GpGpo *gp_model_ensure_gpo_dn(GpModel *model, const char *dn);
GpGpo *gp_model_add_gpo_guid(GpModel *model, const char *guid);
const GpGpo *gp_model_find_gpo_dn(const GpModel *model, const char *dn);
/* Returns: (transfer container): GpGpo* with this GUID (several domains may share
 * one, as the Default Domain Policy does). */
GPtrArray *gp_model_find_gpos_guid(const GpModel *model, const char *guid);
const GPtrArray *gp_model_gpos(const GpModel *model);

/* Groups, keyed by normalised DN.  Returns: (transfer none) */
GpGroup *gp_model_ensure_group(GpModel *model, const char *dn);
const GpGroup *gp_model_find_group(const GpModel *model, const char *dn);
/* Returns: (nullable) (transfer none): the group with this SID, any case. */
const GpGroup *gp_model_find_group_sid(const GpModel *model, const char *sid);
const GPtrArray *gp_model_groups(const GpModel *model);

/* Users (accounts), keyed by normalised DN.  Returns: (transfer none) */
GpUser *gp_model_ensure_user(GpModel *model, const char *dn);
/* Returns: (nullable) (transfer none): the user with this SID, any case. */
const GpUser *gp_model_find_user_sid(const GpModel *model, const char *sid);
/* Returns: (transfer none): GpUser*, in the order they were added. */
const GPtrArray *gp_model_users(const GpModel *model);

/* WMI filters, keyed by id.  Returns: (transfer none) (nullable): NULL when @id
 * is not a GUID. */
GpWmiFilter *gp_model_ensure_wmi_filter(GpModel *model, const char *id);
/* Finds by id or by name, any case.  Returns: (nullable) (transfer none) */
const GpWmiFilter *gp_model_find_wmi_filter(const GpModel *model, const char *id_or_name);
const GPtrArray *gp_model_wmi_filters(const GpModel *model);

/* Subnets.  Returns: (transfer none) */
GpSubnet *gp_model_ensure_subnet(GpModel *model, const char *cidr);
const GPtrArray *gp_model_subnets(const GpModel *model);

/* Computers, keyed by normalised DN.  Returns: (transfer none) */
GpComputer *gp_model_ensure_computer(GpModel *model, const char *dn);
const GPtrArray *gp_model_computers(const GpModel *model);
/* Matches cn, sAMAccountName (with or without '$'), dNSHostName or DN, any case.
 * Returns: (transfer container): the matching GpComputer*. */
GPtrArray *gp_model_find_computers(const GpModel *model, const char *name);
/* TRUE when @computer is one gp_model_find_computers() finds for @name. */
gboolean gp_computer_matches(const GpComputer *computer, const char *name);
/* Gives @computer the DN @new_dn (a move to another OU or container), keeping
 * the by-DN index right; its cn follows the new DN's first RDN.  Returns FALSE,
 * changing nothing, when another computer already has @new_dn. */
gboolean gp_model_move_computer(GpModel *model, GpComputer *computer, const char *new_dn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpModel, gp_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpPrincipal, gp_principal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpRightAssignment, gp_right_assignment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpSecurityTemplate, gp_security_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpRightInfo, gp_right_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpAce, gp_ace_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpSecurityDescriptor, gp_security_descriptor_free)

G_END_DECLS

#endif
