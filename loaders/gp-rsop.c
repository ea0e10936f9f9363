/* gp-rsop.c - gpresult /x and Get-GPResultantSetOfPolicy XML (formats.md d).
 *
 * gp_rsop_load_from_data() reads the <ComputerResults> of an <Rsop> document
 * into a GpRsop: the computer, its SOMs and token, every GPO of its list with
 * the ordering fields, and the user rights recorded by the Security extension.
 * Elements are found by local name (gp-xml.h): the namespace switches from
 * .../Rsop to .../Settings inside <ExtensionData>, and prefixes (q1, q2...)
 * change from file to file.
 *
 * gp_rsop_add_to_model() then uses such a record as data.  Its GPOs become
 * directory GPOs of their domain and its links are rebuilt per SOM from
 * SOMOrder (1 is processed first, so it is the highest link order number).
 * What a directory export already gave is kept: GPOs seen in the directory
 * keep their attributes, SOMs with a gPLink keep their links.
 */
#include <string.h>

#include "gp-loaders.h"
#include "gp-names.h"
#include "gp-xml.h"

#define LOCAL_GPO_ID "LocalGPO"
/* The Security CSE and its tool extension, as GPMC writes gPCMachineExtensionNames. */
#define SECURITY_CSE_NAMES "[" GP_SECURITY_CSE_GUID "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"

typedef struct {
  const char *file;
  GPtrArray *diags;
  GpRsop *rsop;
  guint other_settings; /* Security settings other than user rights, not read */
} RsopLoad;

static gboolean
is_local_id(const char *id)
{
  return id && g_ascii_strcasecmp(id, LOCAL_GPO_ID) == 0;
}

/* "LocalGPO", or a GUID as "{UPPER}"; NULL for anything else. */
static char *
normalize_gpo_id(const char *text)
{
  if (is_local_id(text))
    return g_strdup(LOCAL_GPO_ID);
  return text ? gp_guid_normalize(text) : NULL;
}

/* ------------------------------------------------------------ small readers */

/* A child's number; @fallback when it is absent, with a warning when it is not a number
 * (G_MAXUINT32 as @fallback means "none": the value is ignored). */
static guint32
child_u32(const RsopLoad *ld, const xmlNode *node, const char *name, guint32 fallback)
{
  const xmlNode *child = gp_xml_child(node, name);
  g_autofree char *text = NULL;
  guint64 value = 0;

  if (!child)
    return fallback;
  if (gp_xml_child_uint(node, name, &value) && value <= G_MAXUINT32)
    return (guint32)value;
  text = gp_xml_text(child);
  if (fallback == G_MAXUINT32)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(child),
                "<%s> '%s' is not a number: ignored", name, text);
  else
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(child),
                "<%s> '%s' is not a number: taken as %u", name, text, fallback);
  return fallback;
}

/* <SID> (optional) and <Name> of a SecurityGroup or a Member. */
static GpPrincipal *
read_principal(const RsopLoad *ld, const xmlNode *node)
{
  g_autofree char *sid = gp_xml_child_text(node, "SID");
  g_autofree char *name = gp_xml_child_text(node, "Name");

  if (sid && *sid == '*')
    memmove(sid, sid + 1, strlen(sid));
  if (sid && *sid && !gp_sid_is_valid(sid)) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(node),
                "'%s' is not a SID: the name alone is kept", sid);
    g_clear_pointer(&sid, g_free);
  }
  if (sid && !*sid)
    g_clear_pointer(&sid, g_free);
  if (name && !*name)
    g_clear_pointer(&name, g_free);
  if (!sid && !name) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(node),
                "<%s> with neither a SID nor a name skipped", (const char *)node->name);
    return NULL;
  }
  return gp_principal_new(sid, name);
}

/* ---------------------------------------------------------- computer facts */

typedef struct {
  guint32 order;
  char *path;
} SearchedSom;

static gint
by_order(gconstpointer a, gconstpointer b)
{
  const SearchedSom *x = a;
  const SearchedSom *y = b;

  return (x->order > y->order) - (x->order < y->order);
}

/* SearchedSOM elements are not in Order order in the files: sort them. */
static void
read_searched_soms(RsopLoad *ld, const xmlNode *results)
{
  g_autoptr(GArray) soms = g_array_new(FALSE, FALSE, sizeof(SearchedSom));

  for (xmlNode *node = gp_xml_child(results, "SearchedSOM"); node; node = gp_xml_next_named(node)) {
    SearchedSom som
        = { child_u32(ld, node, "Order", G_MAXUINT32), gp_xml_child_text(node, "Path") };
    if (!som.path || !*som.path) {
      gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(node),
                  "<SearchedSOM> without a <Path> skipped");
      g_free(som.path);
      continue;
    }
    if (gp_xml_child_bool(node, "BlocksInheritance", FALSE))
      gp_diag_add(ld->diags, GP_SEVERITY_NOTE, ld->file, gp_xml_line(node),
                  "'%s' blocks inheritance on the client; when this file is used as data, "
                  "give the SOMs' gPOptions too (LDIF or --gpinheritance): block inheritance "
                  "is not taken from it",
                  som.path);
    g_array_append_val(soms, som);
  }
  g_array_sort(soms, by_order);
  for (guint i = 0; i < soms->len; i++)
    g_ptr_array_add(ld->rsop->searched_soms, g_array_index(soms, SearchedSom, i).path);
}

static void
read_security_groups(RsopLoad *ld, const xmlNode *results)
{
  for (xmlNode *node = gp_xml_child(results, "SecurityGroup"); node;
       node = gp_xml_next_named(node)) {
    GpPrincipal *principal = read_principal(ld, node);
    if (principal)
      g_ptr_array_add(ld->rsop->security_groups, principal);
  }
}

static void
read_computer(RsopLoad *ld, const xmlNode *results)
{
  GpRsop *rsop = ld->rsop;

  rsop->computer_name = gp_xml_child_text(results, "Name");
  rsop->domain = gp_xml_child_text(results, "Domain");
  rsop->som = gp_xml_child_text(results, "SOM");
  rsop->site = gp_xml_child_text(results, "Site");
  if (rsop->site && !*rsop->site)
    g_clear_pointer(&rsop->site, g_free);
  if (!rsop->computer_name || !*rsop->computer_name)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(results),
                "<ComputerResults> has no <Name>: the computer is unknown");
  if (!rsop->som || !*rsop->som)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(results),
                "<ComputerResults> has no <SOM>: the computer's OU is unknown");
  read_searched_soms(ld, results);
  read_security_groups(ld, results);
}

/* -------------------------------------------------------------------- GPOs */

static void
read_link(RsopLoad *ld, const xmlNode *gpo_node, GpRsopGpo *gpo)
{
  const xmlNode *link = gp_xml_child(gpo_node, "Link");

  if (!link) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gpo->line,
                "GPO '%s' has no <Link>: its SOM and order are unknown, taken as not applied",
                gpo->guid);
    return;
  }
  if (gp_xml_next_named(link))
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gpo->line,
                "GPO '%s' has several <Link>s: only the first is read", gpo->guid);
  gpo->som_path = gp_xml_child_text(link, "SOMPath");
  gpo->som_order = child_u32(ld, link, "SOMOrder", 0);
  gpo->link_order = child_u32(ld, link, "LinkOrder", 0);
  gpo->applied_order = child_u32(ld, link, "AppliedOrder", 0);
  gpo->link_enabled = gp_xml_child_bool(link, "Enabled", TRUE);
  gpo->no_override = gp_xml_child_bool(link, "NoOverride", FALSE);
}

static void
read_gpo_flags(const RsopLoad *ld, const xmlNode *node, GpRsopGpo *gpo)
{
  gpo->version_directory = child_u32(ld, node, "VersionDirectory", 0);
  gpo->version_sysvol = child_u32(ld, node, "VersionSysvol", 0);
  gpo->enabled = gp_xml_child_bool(node, "Enabled", TRUE);
  gpo->is_valid = gp_xml_child_bool(node, "IsValid", TRUE);
  gpo->filter_allowed = gp_xml_child_bool(node, "FilterAllowed", TRUE);
  gpo->access_denied = gp_xml_child_bool(node, "AccessDenied", FALSE);
  for (xmlNode *ext = gp_xml_child(node, "ExtensionName"); ext; ext = gp_xml_next_named(ext)) {
    char *name = gp_xml_text(ext);
    if (*name)
      g_ptr_array_add(gpo->extensions, name);
    else
      g_free(name);
  }
}

static GpRsopGpo *
read_gpo(RsopLoad *ld, const xmlNode *node)
{
  const xmlNode *path = gp_xml_child(node, "Path");
  g_autofree char *id_text = gp_xml_child_text(path, "Identifier");
  g_autofree char *id = normalize_gpo_id(id_text);
  GpRsopGpo *gpo;

  if (!id) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(node),
                "<GPO> skipped: its Path/Identifier '%s' is neither a GUID nor LocalGPO",
                id_text ? id_text : "");
    return NULL;
  }
  gpo = gp_rsop_gpo_new();
  gpo->guid = g_steal_pointer(&id);
  gpo->line = gp_xml_line(node);
  gpo->name = gp_xml_child_text(node, "Name");
  gpo->domain = gp_xml_child_text(path, "Domain");
  if (gpo->domain && !*gpo->domain)
    g_clear_pointer(&gpo->domain, g_free);
  read_gpo_flags(ld, node, gpo);
  read_link(ld, node, gpo);
  return gpo;
}

static void
read_gpos(RsopLoad *ld, const xmlNode *results)
{
  for (xmlNode *node = gp_xml_child(results, "GPO"); node; node = gp_xml_next_named(node)) {
    GpRsopGpo *gpo = read_gpo(ld, node);
    if (gpo)
      g_ptr_array_add(ld->rsop->gpos, gpo);
  }
  if (ld->rsop->gpos->len == 0)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(results),
                "<ComputerResults> lists no GPO");
}

/* ------------------------------------------------------------ user rights */

static void
read_members(const RsopLoad *ld, const xmlNode *node, GpRsopRight *right)
{
  for (xmlNode *member = gp_xml_child(node, "Member"); member; member = gp_xml_next_named(member)) {
    GpPrincipal *principal = read_principal(ld, member);
    if (principal)
      g_ptr_array_add(right->members, principal);
  }
}

static GpRsopRight *
read_right(const RsopLoad *ld, const xmlNode *node)
{
  g_autofree char *name = gp_xml_child_text(node, "Name");
  const xmlNode *gpo = gp_xml_child(node, "GPO");
  g_autofree char *id_text = gp_xml_child_text(gpo, "Identifier");
  GpRsopRight *right;

  if (!name || !*name) {
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(node),
                "<UserRightsAssignment> without a <Name> skipped");
    return NULL;
  }
  right = gp_rsop_right_new(name);
  right->line = gp_xml_line(node);
  right->gpo_guid = normalize_gpo_id(id_text);
  if (!right->gpo_guid)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, right->line,
                "%s: the GPO it came from is not named ('%s'): its winner cannot be compared", name,
                id_text ? id_text : "");
  right->precedence = child_u32(ld, node, "Precedence", 0);
  if (right->precedence == 0)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, right->line,
                "%s: no <Precedence>: not known to be the winning setting", name);
  read_members(ld, node, right);
  return right;
}

/* A second winning setting of one right contradicts the first: keep the first. */
static gboolean
is_duplicate_winner(const RsopLoad *ld, const GpRsopRight *right)
{
  for (guint i = 0; right->precedence == 1 && i < ld->rsop->rights->len; i++) {
    const GpRsopRight *seen = g_ptr_array_index(ld->rsop->rights, i);
    if (seen->precedence == 1 && g_ascii_strcasecmp(seen->right, right->right) == 0) {
      gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, right->line,
                  "%s has a second setting with precedence 1 (first at line %u): skipped",
                  right->right, seen->line);
      return TRUE;
    }
  }
  return FALSE;
}

static void
read_extension(RsopLoad *ld, const xmlNode *extension)
{
  for (xmlNode *node = extension->children; node; node = node->next) {
    GpRsopRight *right;
    if (node->type != XML_ELEMENT_NODE || gp_xml_is(node, "Blocked"))
      continue;
    if (!gp_xml_is(node, "UserRightsAssignment")) {
      ld->other_settings++;
      continue;
    }
    right = read_right(ld, node);
    if (right && is_duplicate_winner(ld, right))
      g_clear_pointer(&right, gp_rsop_right_free);
    if (right)
      g_ptr_array_add(ld->rsop->rights, right);
  }
}

static void
read_extension_data(RsopLoad *ld, const xmlNode *results)
{
  for (xmlNode *data = gp_xml_child(results, "ExtensionData"); data;
       data = gp_xml_next_named(data)) {
    for (xmlNode *ext = gp_xml_child(data, "Extension"); ext; ext = gp_xml_next_named(ext))
      read_extension(ld, ext);
  }
  if (ld->other_settings)
    gp_diag_add(ld->diags, GP_SEVERITY_NOTE, ld->file, 0,
                "%u recorded settings other than user rights (account, security options, "
                "registry...) are not read",
                ld->other_settings);
}

/* ------------------------------------------------------------------ entry */

/* The root must be <Rsop>, with <ComputerResults>.  Returns: (nullable) */
static const xmlNode *
find_results(const RsopLoad *ld, const xmlNode *root, GError **error)
{
  g_autofree char *data_type = gp_xml_child_text(root, "DataType");
  const xmlNode *results;

  if (!gp_xml_is(root, "Rsop")) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, 0,
                      "not a gpresult /x RSoP file (root <%s>)",
                      root ? (const char *)root->name : "none");
    return NULL;
  }
  if (data_type && g_ascii_strcasecmp(data_type, "LoggedData") != 0)
    gp_diag_add(ld->diags, GP_SEVERITY_WARNING, ld->file, gp_xml_line(root),
                "<DataType> is '%s', not LoggedData: this is a planning result, not what a "
                "client recorded",
                data_type);
  if (gp_xml_child(root, "UserResults"))
    gp_diag_add(ld->diags, GP_SEVERITY_NOTE, ld->file,
                gp_xml_line(gp_xml_child(root, "UserResults")),
                "<UserResults> ignored: gpsim reads the computer side only");
  results = gp_xml_child(root, "ComputerResults");
  if (!results)
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, ld->file, 0,
                      "no <ComputerResults>: the computer side is needed; run "
                      "`gpresult /scope computer /x FILE` from an elevated prompt");
  return results;
}

GpRsop *
gp_rsop_load_from_data(const char *data, gsize len, const char *file, GPtrArray *diags,
                       GError **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GpRsop) rsop = NULL;
  RsopLoad ld = { file, diags, NULL, 0 };
  const xmlNode *results;

  g_return_val_if_fail(data != NULL || len == 0, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  doc = gp_xml_parse(data ? data : "", len, file, error);
  if (!doc)
    return NULL;
  results = find_results(&ld, xmlDocGetRootElement(doc), error);
  if (!results)
    return NULL;
  rsop = gp_rsop_new(file);
  ld.rsop = rsop;
  read_computer(&ld, results);
  read_gpos(&ld, results);
  read_extension_data(&ld, results);
  return g_steal_pointer(&rsop);
}

GpRsop *
gp_rsop_load_file(const char *path, GPtrArray *diags, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) io_error = NULL;
  gsize len = 0;

  g_return_val_if_fail(path != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents(path, &data, &len, &io_error)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read: %s", io_error->message);
    return NULL;
  }
  return gp_rsop_load_from_data(data, len, path, diags, error);
}

/* ============================================================ as data */

typedef struct {
  const GpRsop *rsop;
  GpModel *model;
  GPtrArray *diags;
  GHashTable *gpos; /* "{GUID}" -> GpGpo* (borrowed from the model) of the record's GPOs */
  guint soms_kept;  /* SOMs whose gPLink was kept */
} RsopAdd;

/* "Child.ADLAB.local" -> "DC=Child,DC=ADLAB,DC=local"; NULL for anything with a '/'. */
static char *
domain_dn_of(const char *dns)
{
  return dns && *dns && !strchr(dns, '/') ? gp_dn_from_canonical(dns) : NULL;
}

/* The SOM a canonical path names: a site ("forest/Configuration/Sites/NAME"), a
 * domain (a bare DNS name) or an OU.  Returns: (nullable): NULL for "Local". */
static GpSom *
ensure_som(const RsopAdd *add, const char *path)
{
  g_autofree char *dn = NULL;
  g_auto(GStrv) parts = NULL;
  guint n;
  GpSomKind kind;
  GpSom *som;
  gboolean is_new;

  if (!path || g_ascii_strcasecmp(path, "Local") == 0 || !(dn = gp_dn_from_canonical(path)))
    return NULL;
  parts = g_strsplit(path, "/", -1);
  n = g_strv_length(parts);
  kind = n == 1 ? GP_SOM_DOMAIN : g_str_has_prefix(dn, "CN=") ? GP_SOM_SITE : GP_SOM_OU;
  if (kind == GP_SOM_DOMAIN)
    gp_model_ensure_domain(add->model, dn);
  is_new = gp_model_find_som(add->model, dn) == NULL;
  som = gp_model_ensure_som(add->model, dn, kind);
  if (!som->name)
    som->name = g_strdup(parts[n - 1]);
  if (is_new) {
    /* the record cannot carry gPOptions (see read_searched_soms) */
    som->block_unknown = TRUE;
    som->file = g_strdup(add->rsop->file);
  }
  return som;
}

/* --------------------------------------------------------------- computer */

/* "CHILD\\CHILDDC$" -> "CHILDDC" */
static char *
computer_cn(const char *name)
{
  const char *backslash = strrchr(name, '\\');
  char *cn = g_strdup(backslash ? backslash + 1 : name);
  gsize len = strlen(cn);

  if (len > 0 && cn[len - 1] == '$')
    cn[len - 1] = '\0';
  return cn;
}

/* In its OU, or in CN=Computers when its SOM is the domain itself. */
static char *
computer_dn(const GpRsop *rsop, const char *cn)
{
  g_autofree char *domain_dn = NULL;

  if (rsop->som && strchr(rsop->som, '/')) {
    g_autofree char *som_dn = gp_dn_from_canonical(rsop->som);
    return g_strdup_printf("CN=%s,%s", cn, som_dn);
  }
  domain_dn = domain_dn_of(rsop->som ? rsop->som : rsop->domain);
  return domain_dn ? g_strdup_printf("CN=%s,CN=Computers,%s", cn, domain_dn) : NULL;
}

/* Returns: (nullable): the SID of the token entry named @name. */
static const char *
token_sid_named(const GpRsop *rsop, const char *name)
{
  for (guint i = 0; name && i < rsop->security_groups->len; i++) {
    const GpPrincipal *group = g_ptr_array_index(rsop->security_groups, i);
    if (group->sid && group->name && g_ascii_strcasecmp(group->name, name) == 0)
      return group->sid;
  }
  return NULL;
}

/* 516 or 521 when the token holds a domain's (read-only) Domain Controllers group. */
static guint32
domain_controllers_rid(const GpRsop *rsop)
{
  for (guint i = 0; i < rsop->security_groups->len; i++) {
    const GpPrincipal *group = g_ptr_array_index(rsop->security_groups, i);
    if (!group->sid || !g_str_has_prefix(group->sid, "S-1-5-21-"))
      continue;
    if (g_str_has_suffix(group->sid, "-516"))
      return 516;
    if (g_str_has_suffix(group->sid, "-521"))
      return 521;
  }
  return 0;
}

/* The NetBIOS name from "CHILD\\CHILDDC$" and the domain SID from the computer's. */
static void
fill_domain(const RsopAdd *add, GpDomain *domain, const char *computer_sid)
{
  const char *name = add->rsop->computer_name;
  const char *backslash = name ? strchr(name, '\\') : NULL;
  const char *dash = computer_sid ? strrchr(computer_sid, '-') : NULL;

  if (!domain->netbios_name && backslash && backslash != name)
    domain->netbios_name = g_ascii_strup(name, backslash - name);
  if (!domain->sid && dash && g_str_has_prefix(computer_sid, "S-1-5-21-"))
    domain->sid = g_strndup(computer_sid, dash - computer_sid);
}

static void
fill_computer(const RsopAdd *add, GpComputer *computer, const char *cn)
{
  const GpRsop *rsop = add->rsop;
  const char *sid = token_sid_named(rsop, rsop->computer_name);

  if (!computer->sam_account_name)
    computer->sam_account_name = g_strdup_printf("%s$", cn);
  if (!computer->site && rsop->site)
    computer->site = g_strdup(rsop->site);
  if (!computer->sid && sid)
    computer->sid = g_strdup(sid);
  if (!computer->has_user_account_control && computer->primary_group_id == 0)
    computer->primary_group_id = domain_controllers_rid(rsop);
  if (!computer->file)
    computer->file = g_strdup(rsop->file);
}

/* The computer of the directory data when it has one by that name, else a new one. */
static void
add_computer(const RsopAdd *add, GpDomain *domain)
{
  const GpRsop *rsop = add->rsop;
  g_autofree char *cn = NULL;
  g_autofree char *sam = NULL;
  g_autofree char *dn = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GpComputer *computer;

  if (!rsop->computer_name || !*rsop->computer_name)
    return; /* warned when loading */
  cn = computer_cn(rsop->computer_name);
  sam = g_strdup_printf("%s$", cn);
  found = gp_model_find_computers(add->model, sam);
  dn = computer_dn(rsop, cn);
  if (found->len == 1)
    computer = g_ptr_array_index(found, 0);
  else if (dn)
    computer = gp_model_ensure_computer(add->model, dn);
  else {
    gp_diag_add(add->diags, GP_SEVERITY_WARNING, rsop->file, 0,
                "computer '%s' not added: neither its SOM nor its domain is known", cn);
    return;
  }
  fill_computer(add, computer, cn);
  if (domain)
    fill_domain(add, domain, computer->sid);
}

static void
add_principals(const RsopAdd *add)
{
  for (guint i = 0; i < add->rsop->security_groups->len; i++) {
    const GpPrincipal *group = g_ptr_array_index(add->rsop->security_groups, i);
    if (group->sid && group->name)
      gp_model_add_principal(add->model, group->sid, group->name);
  }
}

/* ------------------------------------------------------------------- GPOs */

/* TRUE when the record says the GPO has Security settings. */
static gboolean
lists_security(const GpRsop *rsop, const GpRsopGpo *record)
{
  for (guint i = 0; i < record->extensions->len; i++) {
    const char *name = g_ptr_array_index(record->extensions, i);
    if (g_ascii_strcasecmp(name, "Security") == 0
        || g_ascii_strcasecmp(name, GP_SECURITY_CSE_GUID) == 0)
      return TRUE;
  }
  for (guint i = 0; i < rsop->rights->len; i++) {
    const GpRsopRight *right = g_ptr_array_index(rsop->rights, i);
    if (right->gpo_guid && g_ascii_strcasecmp(right->gpo_guid, record->guid) == 0)
      return TRUE;
  }
  return FALSE;
}

/* The client's verdict, for GPOs the data knows only from this record. */
static void
note_not_applied(const RsopAdd *add, const GpRsopGpo *record)
{
  const char *why = NULL;

  if (record->access_denied)
    why = "denied by security filtering: without the GPO's security descriptor in the data, "
          "gpsim assumes it applies";
  else if (!record->filter_allowed && record->is_valid)
    why = "its WMI filter was false: without the filter in the data, gpsim ignores it";
  if (why)
    gp_diag_add(add->diags, GP_SEVERITY_NOTE, add->rsop->file, record->line,
                "GPO '%s' %s was not applied on the client, %s",
                record->name ? record->name : record->guid, record->guid, why);
}

static void
fill_gpo(const RsopAdd *add, GpGpo *gpo, const GpRsopGpo *record)
{
  gpo->in_directory = TRUE;
  if (!gpo->display_name && record->name && g_ascii_strcasecmp(record->name, record->guid) != 0)
    gpo->display_name = g_strdup(record->name);
  gpo->version_number = record->version_directory & 0xFFFFu;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = record->version_sysvol & 0xFFFFu;
  if (!record->enabled)
    gpo->flags |= 2u;
  if (!gpo->machine_extension_names && lists_security(add->rsop, record))
    gpo->machine_extension_names = g_strdup(SECURITY_CSE_NAMES);
  if (!gpo->file) {
    gpo->file = g_strdup(add->rsop->file);
    gpo->line = record->line;
  }
  note_not_applied(add, record);
}

static void
add_gpo(const RsopAdd *add, const GpRsopGpo *record)
{
  const char *domain = record->domain ? record->domain : add->rsop->domain;
  g_autofree char *domain_dn = domain_dn_of(domain);
  g_autofree char *dn = NULL;
  GpGpo *gpo;

  if (is_local_id(record->guid) || g_hash_table_contains(add->gpos, record->guid))
    return;
  if (!domain_dn) {
    gp_diag_add(add->diags, GP_SEVERITY_WARNING, add->rsop->file, record->line,
                "GPO %s skipped: its domain is unknown", record->guid);
    return;
  }
  gp_model_ensure_domain(add->model, domain_dn);
  dn = g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", record->guid, domain_dn);
  gpo = gp_model_ensure_gpo_dn(add->model, dn);
  if (!gpo)
    return;
  if (!gpo->in_directory) /* directory data, when given, is the better source */
    fill_gpo(add, gpo, record);
  g_hash_table_insert(add->gpos, g_strdup(record->guid), gpo);
}

/* ------------------------------------------------------------------ links */

static gint
by_som_order_desc(gconstpointer a, gconstpointer b)
{
  const GpRsopGpo *x = *(const GpRsopGpo *const *)a;
  const GpRsopGpo *y = *(const GpRsopGpo *const *)b;

  return (y->som_order > x->som_order) - (y->som_order < x->som_order);
}

static gboolean
is_linkable(const RsopAdd *add, const GpRsopGpo *record)
{
  return !is_local_id(record->guid) && record->som_path && *record->som_path
         && g_ascii_strcasecmp(record->som_path, "Local") != 0
         && g_hash_table_contains(add->gpos, record->guid);
}

static gboolean
som_has_gpo(const GpSom *som, const char *guid)
{
  for (guint i = 0; i < som->links->len; i++) {
    const GpLink *link = g_ptr_array_index(som->links, i);
    if (link->gpo_guid && strcmp(link->gpo_guid, guid) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Links of the SOM in link order: SOMOrder 1 is processed first, so it is the
 * last link (link order = links - SOMOrder + 1).  Links another export gave
 * without an order, and the record does not list, follow. */
static void
set_som_links(RsopAdd *add, GpSom *som, GPtrArray *records)
{
  g_autoptr(GPtrArray) earlier = som->links;
  guint kept = 0;

  g_ptr_array_sort(records, by_som_order_desc);
  som->links = g_ptr_array_new_with_free_func((GDestroyNotify)gp_link_free);
  for (guint i = 0; i < records->len; i++) {
    const GpRsopGpo *record = g_ptr_array_index(records, i);
    const GpGpo *gpo = g_hash_table_lookup(add->gpos, record->guid);
    guint options = (record->link_enabled ? 0u : GP_LINK_DISABLED)
                    | (record->no_override ? GP_LINK_ENFORCED : 0u);
    if (!som_has_gpo(som, gpo->guid))
      gp_som_add_link(som, gpo->dn, options);
  }
  for (guint i = 0; i < earlier->len; i++) {
    const GpLink *link = g_ptr_array_index(earlier, i);
    if (link->gpo_guid && som_has_gpo(som, link->gpo_guid))
      continue;
    gp_som_add_link(som, link->gpo_dn, link->options);
    kept++;
  }
  som->link_order_assumed = som->link_order_assumed && kept > 0;
}

static void
add_som_links(RsopAdd *add, guint first)
{
  const GPtrArray *gpos = add->rsop->gpos;
  const char *path = ((const GpRsopGpo *)g_ptr_array_index(gpos, first))->som_path;
  g_autoptr(GPtrArray) records = g_ptr_array_new();
  GpSom *som = ensure_som(add, path);

  if (!som)
    return;
  if (som->gplink_raw) { /* the directory's gPLink is the better source */
    add->soms_kept++;
    return;
  }
  for (guint i = first; i < gpos->len; i++) {
    const GpRsopGpo *record = g_ptr_array_index(gpos, i);
    if (is_linkable(add, record) && g_ascii_strcasecmp(record->som_path, path) == 0)
      g_ptr_array_add(records, (gpointer)record);
  }
  set_som_links(add, som, records);
}

/* One pass per SOM, in the order the record first names them. */
static void
add_links(RsopAdd *add)
{
  const GPtrArray *gpos = add->rsop->gpos;

  for (guint i = 0; i < gpos->len; i++) {
    const GpRsopGpo *record = g_ptr_array_index(gpos, i);
    gboolean seen = FALSE;
    if (!is_linkable(add, record))
      continue;
    for (guint j = 0; j < i && !seen; j++) {
      const GpRsopGpo *before = g_ptr_array_index(gpos, j);
      seen
          = is_linkable(add, before) && g_ascii_strcasecmp(before->som_path, record->som_path) == 0;
    }
    if (!seen)
      add_som_links(add, i);
  }
  if (add->soms_kept)
    gp_diag_add(add->diags, GP_SEVERITY_NOTE, add->rsop->file, 0,
                "%u SOMs keep the links of their gPLink: the file's links to them are not used",
                add->soms_kept);
}

/* --------------------------------------------------------------- settings */

/* Returns: FALSE when the GPO's template from SYSVOL or another export is kept. */
static gboolean
add_assignment(const RsopAdd *add, GpGpo *gpo, const GpRsopRight *right)
{
  const GpRightInfo *info = gp_model_lookup_right(add->model, right->right);
  const char *name = info ? info->constant : right->right;
  GpRightAssignment *assignment;

  if (gpo->sysvol == GP_SYSVOL_READ
      || (gpo->machine_template && gp_security_template_lookup(gpo->machine_template, name)))
    return FALSE;
  if (!gpo->machine_template)
    gpo->machine_template = gp_security_template_new(add->rsop->file);
  assignment = gp_right_assignment_new(name, add->rsop->file, right->line);
  for (guint i = 0; i < right->members->len; i++)
    g_ptr_array_add(assignment->holders, gp_principal_copy(g_ptr_array_index(right->members, i)));
  gp_security_template_add(gpo->machine_template, assignment);
  if (!gpo->machine_extension_names)
    gpo->machine_extension_names = g_strdup(SECURITY_CSE_NAMES);
  return TRUE;
}

static void
note_settings(const RsopAdd *add, guint added, guint losing, guint local, guint kept)
{
  const char *file = add->rsop->file;

  if (added && !losing)
    gp_diag_add(add->diags, GP_SEVERITY_NOTE, file, 0,
                "the file records only the winning setting of each user right: the settings "
                "of the GPOs they overrode are not in it, so what applies without a winner "
                "is unknown");
  if (local)
    gp_diag_add(add->diags, GP_SEVERITY_NOTE, file, 0,
                "%u user rights set by the local GPO on the client are not used: give the "
                "local policy with --local",
                local);
  if (kept)
    gp_diag_add(add->diags, GP_SEVERITY_NOTE, file, 0,
                "%u recorded user rights not used: the GPO's settings read from SYSVOL or "
                "another export are kept",
                kept);
}

/* Every recorded setting becomes part of its GPO's machine template. */
static void
add_settings(const RsopAdd *add)
{
  guint added = 0, losing = 0, local = 0, kept = 0;

  for (guint i = 0; i < add->rsop->rights->len; i++) {
    const GpRsopRight *right = g_ptr_array_index(add->rsop->rights, i);
    GpGpo *gpo = right->gpo_guid ? g_hash_table_lookup(add->gpos, right->gpo_guid) : NULL;

    if (right->precedence == 0)
      continue; /* warned when loading */
    losing += right->precedence > 1;
    if (is_local_id(right->gpo_guid)) {
      local++;
    } else if (!gpo) {
      gp_diag_add(add->diags, GP_SEVERITY_WARNING, add->rsop->file, right->line,
                  "%s: GPO %s is not in the file's GPO list: setting not used", right->right,
                  right->gpo_guid ? right->gpo_guid : "(unnamed)");
    } else if (add_assignment(add, gpo, right)) {
      added++;
    } else {
      kept++;
    }
  }
  note_settings(add, added, losing, local, kept);
}

/* The client read each GPO's files, so what it recorded is what they said: the
 * GPOs' settings are known (not "no SYSVOL data"), as far as the file goes. */
static void
mark_settings_known(const RsopAdd *add)
{
  GHashTableIter iter;
  gpointer gpo;

  g_hash_table_iter_init(&iter, add->gpos);
  while (g_hash_table_iter_next(&iter, NULL, &gpo))
    if (gpo && ((GpGpo *)gpo)->sysvol == GP_SYSVOL_NOT_GIVEN)
      ((GpGpo *)gpo)->sysvol = GP_SYSVOL_READ;
}

void
gp_rsop_add_to_model(const GpRsop *rsop, GpModel *model, GPtrArray *diags)
{
  g_autoptr(GHashTable) gpos = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  RsopAdd add = { rsop, model, diags, gpos, 0 };
  g_autofree char *domain_dn = NULL;
  GpDomain *domain = NULL;

  g_return_if_fail(rsop != NULL && model != NULL);

  domain_dn = domain_dn_of(rsop->domain);
  if (domain_dn) {
    domain = gp_model_ensure_domain(model, domain_dn);
    ensure_som(&add, rsop->domain);
  }
  ensure_som(&add, rsop->som);
  add_principals(&add);
  add_computer(&add, domain);
  for (guint i = 0; i < rsop->searched_soms->len; i++)
    ensure_som(&add, g_ptr_array_index(rsop->searched_soms, i));
  for (guint i = 0; i < rsop->gpos->len; i++)
    add_gpo(&add, g_ptr_array_index(rsop->gpos, i));
  add_links(&add);
  add_settings(&add);
  mark_settings_known(&add);
}
