/* gp-gpreport.c - Get-GPOReport -ReportType Xml and the gpreport.xml of GPMC backups.
 *
 * Exports gp_gpreport_load_from_data() and gp_gpreport_load_file() (gp-loaders.h).
 * The schema is described in formats.md section c).
 *
 * Each <GPO> becomes the directory GPO CN={GUID},CN=Policies,CN=System,<domain DN>.
 * When other data (LDIF, a backup) already gave that GPO, the report fills only
 * what that data lacks, by source:
 *  - directory attributes (flags, versions, functionality version, CSE names, WMI
 *    filter) when the GPO was not read from the directory;
 *  - display name and security descriptor when absent;
 *  - GPT.INI version when no GPT.INI was read;
 *  - SYSVOL state and the machine template when no SYSVOL data was given.
 * <LinksTo> never touches a SOM whose gPLink was loaded (LDIF or the inheritance
 * CSV): that data knows the link order, the report does not.
 */
#include "gp-loaders.h"

#include <string.h>

#include "gp-names.h"
#include "gp-xml.h"

/* gPCMachineExtensionNames entry of the Security CSE and its snap-in. */
#define SECURITY_EXTENSION_NAMES "[" GP_SECURITY_CSE_GUID "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
/* How much of a value is quoted in a message. */
#define QUOTE_CHARS 80
/* RID of Domain Admins, the usual owner of a GPO. */
#define DOMAIN_ADMINS_RID "512"

/* Everything one file's load shares. */
typedef struct {
  const char *file;
  GpModel *model;
  GPtrArray *diags;
  gboolean links_assumed; /* some SOM got links in read order */
  guint links_skipped;    /* LinksTo left out: the SOM's gPLink is known */
  gboolean links_only;    /* a backup's gpreport.xml: the GPO itself came from Backup.xml */
  guint overlaps;         /* GPOs already in the model */
  char *first_overlap;    /* (nullable) GUID of the first of them */
} ReportLoad;

/* One <GPO> being applied. */
typedef struct {
  const xmlNode *node;
  GpGpo *gpo;
  char *dns;       /* lower-case DNS name of the GPO's domain */
  char *domain_dn; /* its DN */
  /* What this report may fill in (see the top of the file). */
  gboolean fill_directory;
  gboolean fill_sysvol;
} ReportGpo;

static void
report_gpo_clear(ReportGpo *rg)
{
  g_clear_pointer(&rg->dns, g_free);
  g_clear_pointer(&rg->domain_dn, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ReportGpo, report_gpo_clear)

/* ------------------------------------------------------------------ helpers */

/* Returns: (transfer full): @text made printable for a message: no control
 * characters, cut after QUOTE_CHARS characters.  libxml2 text is valid UTF-8. */
static char *
quote(const char *text)
{
  g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);

  for (char *p = valid; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = '?';
  if (g_utf8_strlen(valid, -1) <= QUOTE_CHARS)
    return g_steal_pointer(&valid);
  g_autofree char *head = g_utf8_substring(valid, 0, QUOTE_CHARS);
  return g_strconcat(head, "...", NULL);
}

/* Returns: (transfer full) (nullable): the text of the child @name, NULL when
 * absent or blank. */
static char *
child_text(const xmlNode *parent, const char *name)
{
  char *text = gp_xml_child_text(parent, name);

  if (text != NULL && *text == '\0')
    g_clear_pointer(&text, g_free);
  return text;
}

static void
set_string_if_null(char **field, const char *value)
{
  if (*field == NULL && value != NULL)
    *field = g_strdup(value);
}

static void
set_location_if_null(char **file, guint *line, const char *new_file, guint new_line)
{
  if (*file != NULL)
    return;
  *file = g_strdup(new_file);
  *line = new_line;
}

/* A DNS name as Identifier/Domain gives it: labels of letters, digits, '-' and '_'. */
static gboolean
is_dns_name(const char *text)
{
  gboolean label_start = TRUE;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++) {
    if (*p == '.' && label_start)
      return FALSE;
    if (*p != '.' && !g_ascii_isalnum(*p) && *p != '-' && *p != '_')
      return FALSE;
    label_start = *p == '.';
  }
  return !label_start;
}

/* "S-1-5-21-a-b-c-RID" -> "S-1-5-21-a-b-c".  Returns: (transfer full) (nullable):
 * NULL for any other SID.  @out_rid (nullable) receives a pointer into @sid. */
static char *
domain_sid_of(const char *sid, const char **out_rid)
{
  g_auto(GStrv) parts = NULL;
  const char *rid;

  if (sid == NULL || !gp_sid_is_valid(sid))
    return NULL;
  parts = g_strsplit(sid, "-", -1);
  if (g_strv_length(parts) != 8 || strcmp(parts[2], "5") != 0 || strcmp(parts[3], "21") != 0)
    return NULL;
  rid = strrchr(sid, '-') + 1;
  if (out_rid != NULL)
    *out_rid = rid;
  return g_ascii_strup(sid, (gssize)(rid - 1 - sid));
}

/* ------------------------------------------------------------ identity */

/* Reads Identifier/Identifier and Identifier/Domain into @out_guid and @out_dns
 * (lower case).  Returns: FALSE, after a warning, when the GPO must be skipped. */
static gboolean
read_identity(const ReportLoad *rl, const xmlNode *node, char **out_guid, char **out_dns)
{
  const xmlNode *identifier = gp_xml_child(node, "Identifier");
  g_autofree char *guid_text = child_text(identifier, "Identifier");
  g_autofree char *dns = child_text(identifier, "Domain");
  g_autofree char *guid = gp_guid_normalize(guid_text);
  g_autofree char *shown = NULL;
  guint line = gp_xml_line(identifier ? identifier : node);

  if (identifier == NULL || guid_text == NULL) {
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, line,
                "<GPO> without <Identifier><Identifier>; GPO skipped");
    return FALSE;
  }
  if (guid == NULL) {
    shown = quote(guid_text);
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, line,
                "GPO identifier '%s' is not a GUID; GPO skipped", shown);
    return FALSE;
  }
  if (!is_dns_name(dns)) {
    shown = quote(dns);
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, line,
                "GPO %s has no usable <Domain> ('%s'); GPO skipped", guid, shown);
    return FALSE;
  }
  *out_guid = g_steal_pointer(&guid);
  *out_dns = g_ascii_strdown(dns, -1);
  return TRUE;
}

/* The domain, and its SOM, that the GPO belongs to. */
static void
ensure_gpo_domain(const ReportLoad *rl, const ReportGpo *rg)
{
  gboolean known = gp_model_find_som(rl->model, rg->domain_dn) != NULL;
  GpSom *som = gp_model_ensure_som(rl->model, rg->domain_dn, GP_SOM_DOMAIN);

  gp_model_ensure_domain(rl->model, rg->domain_dn);
  set_string_if_null(&som->name, rg->dns);
  if (known)
    return;
  /* Nothing in a report tells the domain's gPOptions. */
  som->block_unknown = TRUE;
  set_location_if_null(&som->file, &som->line, rl->file, gp_xml_line(rg->node));
}

static void
note_overlap(ReportLoad *rl, const GpGpo *gpo)
{
  if (rl->overlaps++ == 0)
    rl->first_overlap = g_strdup(gpo->guid);
}

/* Finds or creates the GPO of @node.  Returns: FALSE when it is skipped. */
static gboolean
open_gpo(ReportLoad *rl, const xmlNode *node, ReportGpo *rg)
{
  g_autofree char *guid = NULL;
  g_autofree char *dn = NULL;
  gboolean existed;

  if (!read_identity(rl, node, &guid, &rg->dns))
    return FALSE;
  rg->node = node;
  rg->domain_dn = gp_dn_from_canonical(rg->dns);
  dn = g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", guid, rg->domain_dn);
  existed = gp_model_find_gpo_dn(rl->model, dn) != NULL;
  rg->gpo = gp_model_ensure_gpo_dn(rl->model, dn);
  if (existed && !rl->links_only)
    note_overlap(rl, rg->gpo);
  rg->fill_directory = !rg->gpo->in_directory;
  rg->fill_sysvol = rg->gpo->sysvol == GP_SYSVOL_NOT_GIVEN;
  ensure_gpo_domain(rl, rg);
  set_location_if_null(&rg->gpo->file, &rg->gpo->line, rl->file, gp_xml_line(node));
  return TRUE;
}

/* ------------------------------------------------------- status, versions */

typedef struct {
  guint32 directory;
  guint32 sysvol;
  gboolean enabled;
} ReportSide;

/* Reads a version child; absent means 0, anything but a 16-bit number warns. */
static guint32
read_version(const ReportLoad *rl, const xmlNode *side, const char *name)
{
  g_autofree char *text = child_text(side, name);
  g_autofree char *shown = NULL;
  guint64 value = 0;

  if (text == NULL)
    return 0;
  if (g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT16, &value, NULL))
    return (guint32)value;
  shown = quote(text);
  gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(gp_xml_child(side, name)),
              "<%s> '%s' is not a number from 0 to 65535; taken as 0", name, shown);
  return 0;
}

/* Reads <Computer> or <User>: versions and Enabled (absent: enabled). */
static ReportSide
read_side(const ReportLoad *rl, const ReportGpo *rg, const char *name)
{
  const xmlNode *side = gp_xml_child(rg->node, name);
  ReportSide out = { 0, 0, TRUE };

  if (side == NULL)
    return out;
  out.directory = read_version(rl, side, "VersionDirectory");
  out.sysvol = read_version(rl, side, "VersionSysvol");
  out.enabled = gp_xml_child_bool(side, "Enabled", TRUE);
  if (out.directory != out.sysvol)
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(side),
                "GPO %s: %s VersionDirectory %u differs from VersionSysvol %u (replication in "
                "progress or broken)",
                rg->gpo->guid, name, out.directory, out.sysvol);
  return out;
}

static void
apply_status(const ReportLoad *rl, const ReportGpo *rg)
{
  ReportSide computer = read_side(rl, rg, "Computer");
  ReportSide user = read_side(rl, rg, "User");
  g_autofree char *name = child_text(rg->node, "Name");
  GpGpo *gpo = rg->gpo;

  set_string_if_null(&gpo->display_name, name);
  if (rg->fill_directory) {
    gpo->in_directory = TRUE;
    gpo->flags = (computer.enabled ? 0 : 2u) | (user.enabled ? 0 : 1u);
    gpo->version_number = user.directory << 16 | computer.directory;
    /* A report lists only GPOs that exist, hence usable ones. */
    gpo->has_functionality_version = TRUE;
    gpo->functionality_version = 2;
  }
  if (!gpo->has_gpt_ini) {
    gpo->has_gpt_ini = TRUE;
    gpo->gpt_version = user.sysvol << 16 | computer.sysvol;
  }
}

/* ---------------------------------------------------------- security CSE */

/* TRUE for Computer/ExtensionData holding the Security CSE's settings. */
static gboolean
is_security_extension(const xmlNode *data, const xmlNode *extension)
{
  xmlChar *type = xmlGetProp((xmlNode *)extension, (const xmlChar *)"type");
  g_autofree char *name = NULL;
  gboolean found = type != NULL && g_str_has_suffix((const char *)type, "SecuritySettings");

  xmlFree(type);
  if (found)
    return TRUE;
  name = child_text(data, "Name");
  return name != NULL && strcmp(name, "Security") == 0;
}

/* Returns: (transfer none) (nullable): the next Security <Extension> from @data on. */
static const xmlNode *
find_security_extension(const xmlNode *data)
{
  for (; data != NULL; data = gp_xml_next_named(data)) {
    const xmlNode *extension = gp_xml_child(data, "Extension");
    if (extension != NULL && is_security_extension(data, extension))
      return extension;
  }
  return NULL;
}

/* Returns: (transfer full) (nullable): a holder from <Member>, NULL after a
 * warning when it names nobody. */
static GpPrincipal *
read_member(const ReportLoad *rl, const xmlNode *member, const char *right)
{
  g_autofree char *sid = child_text(member, "SID");
  g_autofree char *name = child_text(member, "Name");
  GpPrincipal *holder;

  if (sid != NULL && !gp_sid_is_valid(sid)) {
    g_autofree char *shown = quote(sid);
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(member),
                "%s: member SID '%s' is not a SID; %s", right, shown,
                name ? "member kept by name" : "member skipped");
    if (name == NULL)
      return NULL;
    g_clear_pointer(&sid, g_free);
  }
  if (sid == NULL && name == NULL) {
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(member),
                "%s: <Member> with neither <SID> nor <Name>; member skipped", right);
    return NULL;
  }
  holder = gp_principal_new(NULL, name);
  holder->sid = sid ? g_ascii_strup(sid, -1) : NULL;
  if (holder->sid != NULL && name != NULL)
    gp_model_add_principal(rl->model, holder->sid, name);
  return holder;
}

/* One <UserRightsAssignment>: Name, then Member* (none: defined-empty). */
static void
read_right(const ReportLoad *rl, const xmlNode *node, GpSecurityTemplate *tmpl)
{
  g_autofree char *written = child_text(node, "Name");
  const GpRightInfo *info = NULL;
  g_autoptr(GpRightAssignment) assignment = NULL;
  guint line = gp_xml_line(node);

  if (written == NULL) {
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, line,
                "<UserRightsAssignment> without <Name>; skipped");
    return;
  }
  info = gp_model_lookup_right(rl->model, written);
  if (info == NULL) {
    g_autofree char *shown = quote(written);
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, line,
                "unknown user right '%s'; kept as written", shown);
  }
  assignment = gp_right_assignment_new(info ? info->constant : written, rl->file, line);
  for (const xmlNode *m = gp_xml_child(node, "Member"); m != NULL; m = gp_xml_next_named(m)) {
    GpPrincipal *holder = read_member(rl, m, assignment->right);
    if (holder != NULL)
      g_ptr_array_add(assignment->holders, holder);
  }
  if (gp_security_template_lookup(tmpl, assignment->right) != NULL)
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, line,
                "%s is assigned twice; the later assignment is kept", assignment->right);
  gp_security_template_add(tmpl, g_steal_pointer(&assignment));
}

/* Returns: (transfer full) (nullable): the key of a kept setting. */
static char *
setting_key(const xmlNode *node)
{
  static const char *const keys[] = { "KeyName", "SystemAccessPolicyName", "Name" };
  const xmlNode *group = gp_xml_child(node, "GroupName");
  char *key = NULL;

  for (gsize i = 0; key == NULL && i < G_N_ELEMENTS(keys); i++)
    key = child_text(node, keys[i]);
  if (key == NULL)
    key = child_text(gp_xml_child(node, "Display"), "Name");
  if (key == NULL)
    key = child_text(group, "Name");
  if (key == NULL)
    key = child_text(group, "SID");
  return key;
}

/* Appends the texts of the children @name of @parent (or of their child @inner,
 * else SID) to @out, comma-separated. */
static void
append_list(GString *out, const xmlNode *parent, const char *name, const char *inner)
{
  for (const xmlNode *n = gp_xml_child(parent, name); n != NULL; n = gp_xml_next_named(n)) {
    g_autofree char *text = inner ? child_text(n, inner) : gp_xml_text(n);
    if (text == NULL && inner != NULL)
      text = child_text(n, "SID");
    if (text == NULL)
      continue;
    if (out->len > 0)
      g_string_append_c(out, ',');
    g_string_append(out, text);
  }
}

static gboolean
has_element_children(const xmlNode *node)
{
  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

/* Returns: (transfer full): the value of a kept setting, as the report shows it. */
static char *
setting_value(const xmlNode *node)
{
  static const char *const values[]
      = { "SettingString", "SettingNumber", "SettingBoolean", "StartupMode" };
  GString *out = g_string_new(NULL);

  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    g_autofree char *text = child_text(node, values[i]);
    if (text != NULL)
      return g_string_free(g_string_assign(out, text), FALSE);
  }
  append_list(out, gp_xml_child(node, "SettingStrings"), "Value", NULL);
  append_list(out, node, "Member", "Name");
  if (out->len == 0 && !has_element_children(node)) {
    g_autofree char *text = gp_xml_text(node);
    g_string_assign(out, text);
  }
  return g_string_free(out, FALSE);
}

/* Keeps a security setting gpsim does not interpret in the section
 * "<element> (gpreport)". */
static void
keep_setting(GpSecurityTemplate *tmpl, const xmlNode *node)
{
  g_autofree char *name = g_strdup_printf("%s (gpreport)", (const char *)node->name);
  g_autofree char *key = setting_key(node);
  g_autofree char *value = setting_value(node);
  GpInfSection *section = NULL;

  for (guint i = 0; section == NULL && i < tmpl->sections->len; i++)
    if (strcmp(((GpInfSection *)tmpl->sections->pdata[i])->name, name) == 0)
      section = tmpl->sections->pdata[i];
  if (section == NULL) {
    section = gp_inf_section_new(name, gp_xml_line(node));
    g_ptr_array_add(tmpl->sections, section);
  }
  gp_inf_section_add_entry(section, key, value, gp_xml_line(node));
}

static void
read_security_extension(const ReportLoad *rl, const xmlNode *extension, GpSecurityTemplate *tmpl)
{
  for (const xmlNode *child = extension->children; child != NULL; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (gp_xml_is(child, "UserRightsAssignment"))
      read_right(rl, child, tmpl);
    else
      keep_setting(tmpl, child);
  }
}

static void
apply_security(const ReportLoad *rl, const ReportGpo *rg)
{
  const xmlNode *data = gp_xml_path(rg->node, "Computer", "ExtensionData", NULL);
  const xmlNode *extension = find_security_extension(data);
  g_autoptr(GpSecurityTemplate) tmpl = NULL;

  if (extension == NULL)
    return;
  if (rg->fill_directory)
    set_string_if_null(&rg->gpo->machine_extension_names, SECURITY_EXTENSION_NAMES);
  if (!rg->fill_sysvol || rg->gpo->machine_template != NULL)
    return;
  tmpl = gp_security_template_new(rl->file);
  for (; extension != NULL; extension = find_security_extension(gp_xml_next_named(data))) {
    data = extension->parent;
    read_security_extension(rl, extension, tmpl);
  }
  rg->gpo->machine_template = g_steal_pointer(&tmpl);
}

/* --------------------------------------------------- security descriptor */

/* Returns: (transfer full) (nullable): the domain SID that the SDDL's aliases
 * (DA, DU...) stand for: the model's, else the owner's, the group's or any
 * trustee's domain. */
static char *
descriptor_domain_sid(const ReportLoad *rl, const ReportGpo *rg, const xmlNode *sd)
{
  GpDomain *domain = gp_model_ensure_domain(rl->model, rg->domain_dn);
  const xmlNode *trustees = gp_xml_path(sd, "Permissions", "TrusteePermissions", NULL);
  g_autofree char *owner = child_text(gp_xml_child(sd, "Owner"), "SID");
  g_autofree char *group = child_text(gp_xml_child(sd, "Group"), "SID");
  const char *rid = NULL;
  char *sid;

  if (domain->sid != NULL)
    return g_strdup(domain->sid);
  sid = domain_sid_of(owner, &rid);
  /* The owner is Domain Admins of the GPO's domain: that gives the domain SID. */
  if (sid != NULL && strcmp(rid, DOMAIN_ADMINS_RID) == 0)
    domain->sid = g_strdup(sid);
  if (sid == NULL)
    sid = domain_sid_of(group, NULL);
  for (const xmlNode *t = trustees; sid == NULL && t != NULL; t = gp_xml_next_named(t)) {
    g_autofree char *trustee = child_text(gp_xml_child(t, "Trustee"), "SID");
    sid = domain_sid_of(trustee, NULL);
  }
  return sid;
}

static void
apply_descriptor(const ReportLoad *rl, const ReportGpo *rg)
{
  const xmlNode *sd_node = gp_xml_child(rg->node, "SecurityDescriptor");
  g_autofree char *sddl = child_text(sd_node, "SDDL");
  g_autofree char *domain_sid = NULL;
  g_autoptr(GError) error = NULL;
  GpSecurityDescriptor *sd;

  if (rg->gpo->security_descriptor != NULL)
    return;
  if (sd_node == NULL)
    return;
  if (sddl == NULL) {
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(sd_node),
                "GPO %s: <SecurityDescriptor> without <SDDL>; security filtering will assume "
                "it applies",
                rg->gpo->guid);
    return;
  }
  domain_sid = descriptor_domain_sid(rl, rg, sd_node);
  sd = gp_sd_from_sddl(sddl, domain_sid, NULL, &error);
  if (sd == NULL) {
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file,
                gp_xml_line(gp_xml_child(sd_node, "SDDL")),
                "GPO %s: security descriptor cannot be read (%s); security filtering will "
                "assume it applies",
                rg->gpo->guid, error->message);
    return;
  }
  rg->gpo->security_descriptor = sd;
}

/* ------------------------------------------------------------ WMI filter */

/* Returns: (transfer full): a GUID made from @domain and @name, the same for the
 * same filter in every report (the report does not carry the filter's id). */
static char *
wmi_filter_id(const char *domain, const char *name)
{
  g_autofree char *folded = g_utf8_casefold(name, -1);
  g_autofree char *seed = g_strdup_printf("%s\n%s", domain, folded);
  g_autofree char *md5 = g_compute_checksum_for_string(G_CHECKSUM_MD5, seed, -1);
  g_autofree char *upper = g_ascii_strup(md5, -1);

  return g_strdup_printf("{%.8s-%.4s-%.4s-%.4s-%.12s}", upper, upper + 8, upper + 12, upper + 16,
                         upper + 20);
}

/* Returns: (transfer none) (nullable): a filter named @name of @domain_dn. */
static const GpWmiFilter *
find_wmi_filter(const GpModel *model, const char *name, const char *domain_dn)
{
  const GPtrArray *filters = gp_model_wmi_filters(model);
  g_autofree char *domain_key = gp_dn_normalize(domain_dn);

  for (guint i = 0; i < filters->len; i++) {
    const GpWmiFilter *filter = filters->pdata[i];
    g_autofree char *key = filter->domain_dn ? gp_dn_normalize(filter->domain_dn) : NULL;

    if (filter->name != NULL && g_ascii_strcasecmp(filter->name, name) == 0
        && (key == NULL || strcmp(key, domain_key) == 0))
      return filter;
  }
  return NULL;
}

/* The GPO's filter is known by id from other data (gPCWQLFilter, Backup.xml):
 * the report gives its name. */
static void
name_known_filter(const ReportLoad *rl, const ReportGpo *rg, const char *name)
{
  g_autofree char *id = gp_guid_find_in(rg->gpo->wql_filter);
  GpWmiFilter *filter = id ? gp_model_ensure_wmi_filter(rl->model, id) : NULL;

  if (filter == NULL)
    return;
  set_string_if_null(&filter->name, name);
  set_string_if_null(&filter->domain_dn, rg->domain_dn);
}

static void
apply_wmi_filter(const ReportLoad *rl, const ReportGpo *rg)
{
  g_autofree char *name = child_text(rg->node, "FilterName");
  const GpWmiFilter *found;

  if (name != NULL && rg->gpo->wql_filter != NULL)
    name_known_filter(rl, rg, name);
  if (!rg->fill_directory || rg->gpo->wql_filter != NULL)
    return;
  if (name == NULL) {
    if (!gp_xml_child_bool(rg->node, "FilterDataAvailable", TRUE))
      gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(rg->node),
                  "GPO %s: the report could not read its WMI filter data "
                  "(FilterDataAvailable false); no WMI filter assumed",
                  rg->gpo->guid);
    return;
  }
  found = find_wmi_filter(rl->model, name, rg->domain_dn);
  if (found == NULL) {
    g_autofree char *new_id = wmi_filter_id(rg->dns, name);
    GpWmiFilter *filter = gp_model_ensure_wmi_filter(rl->model, new_id);

    set_string_if_null(&filter->name, name);
    set_string_if_null(&filter->domain_dn, rg->domain_dn);
    found = filter;
  }
  rg->gpo->wql_filter = g_strdup_printf("[%s;%s;0]", rg->dns, found->id);
}

/* ------------------------------------------------------------------ links */

/* "SECURITY.LOCAL/OU/OU" -> DN, with the DNS part in lower case, and its kind.
 * Returns: (transfer full) (nullable): NULL when a part of the path is empty. */
static char *
som_dn_from_path(const char *path, GpSomKind *out_kind, char **out_dns)
{
  const char *slash = strchr(path, '/');
  g_autofree char *dns = g_ascii_strdown(path, slash ? slash - path : -1);
  g_autofree char *lowered = g_strconcat(dns, slash ? slash : "", NULL);
  g_autofree char *folded = g_ascii_strdown(path, -1);

  if (strstr(path, "//") != NULL || g_str_has_suffix(path, "/"))
    return NULL;
  if (slash == NULL)
    *out_kind = GP_SOM_DOMAIN;
  else if (strstr(folded, "/configuration/sites/") != NULL)
    *out_kind = GP_SOM_SITE;
  else
    *out_kind = GP_SOM_OU;
  *out_dns = g_steal_pointer(&dns);
  return gp_dn_from_canonical(lowered);
}

/* TRUE when links of @som came from data that knows their order (LDIF, CSV). */
static gboolean
som_links_known(const GpSom *som)
{
  return som->gplink_raw != NULL || (som->file != NULL && !som->block_unknown);
}

static gboolean
som_has_link(const GpSom *som, const char *gpo_dn)
{
  g_autofree char *key = gp_dn_normalize(gpo_dn);

  for (guint i = 0; i < som->links->len; i++) {
    g_autofree char *other = gp_dn_normalize(((GpLink *)som->links->pdata[i])->gpo_dn);
    if (strcmp(key, other) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Returns: (transfer none) (nullable): the SOM of <LinksTo>, NULL after a warning. */
static GpSom *
link_som(ReportLoad *rl, const xmlNode *link)
{
  g_autofree char *path = child_text(link, "SOMPath");
  g_autofree char *name = child_text(link, "SOMName");
  g_autofree char *dns = NULL;
  g_autofree char *dn = NULL;
  GpSomKind kind = GP_SOM_OU;
  GpSom *som;

  dn = path ? som_dn_from_path(path, &kind, &dns) : NULL;
  if (dn == NULL || !is_dns_name(dns)) {
    g_autofree char *shown = quote(path);
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(link),
                "<LinksTo> with no usable <SOMPath> ('%s'); link skipped", shown);
    return NULL;
  }
  if (kind != GP_SOM_SITE) {
    g_autofree char *domain_dn = gp_dn_from_canonical(dns);
    gp_model_ensure_domain(rl->model, domain_dn);
  }
  som = gp_model_ensure_som(rl->model, dn, kind);
  set_string_if_null(&som->name, kind == GP_SOM_DOMAIN ? dns : name);
  return som;
}

static void
apply_link(ReportLoad *rl, const ReportGpo *rg, const xmlNode *link)
{
  GpSom *som = link_som(rl, link);
  guint options = 0;

  if (som == NULL)
    return;
  if (som_links_known(som)) {
    rl->links_skipped++;
    return;
  }
  if (!gp_xml_child_bool(link, "Enabled", TRUE))
    options |= GP_LINK_DISABLED;
  if (gp_xml_child_bool(link, "NoOverride", FALSE))
    options |= GP_LINK_ENFORCED;
  if (!som_has_link(som, rg->gpo->dn))
    gp_som_add_link(som, rg->gpo->dn, options);
  som->link_order_assumed = TRUE;
  som->block_unknown = TRUE;
  set_location_if_null(&som->file, &som->line, rl->file, gp_xml_line(link));
  rl->links_assumed = TRUE;
}

static void
apply_links(ReportLoad *rl, const ReportGpo *rg)
{
  for (const xmlNode *link = gp_xml_child(rg->node, "LinksTo"); link != NULL;
       link = gp_xml_next_named(link))
    apply_link(rl, rg, link);
}

/* ------------------------------------------------------------------ file */

static void
load_gpo(ReportLoad *rl, const xmlNode *node)
{
  g_auto(ReportGpo) rg = { 0 };

  if (!open_gpo(rl, node, &rg))
    return;
  if (rl->links_only) {
    apply_links(rl, &rg);
    return;
  }
  apply_status(rl, &rg);
  if (rg.fill_sysvol)
    rg.gpo->sysvol = GP_SYSVOL_READ;
  apply_security(rl, &rg);
  apply_descriptor(rl, &rg);
  apply_wmi_filter(rl, &rg);
  apply_links(rl, &rg);
}

/* Collects the <GPO> elements under @node, at any depth (libxml2 bounds it). */
static void
collect_gpos(const xmlNode *node, GPtrArray *out)
{
  for (const xmlNode *child = node->children; child != NULL; child = child->next) {
    if (gp_xml_is(child, "GPO"))
      g_ptr_array_add(out, (gpointer)child);
    else if (child->type == XML_ELEMENT_NODE)
      collect_gpos(child, out);
  }
}

/* Returns: FALSE with @error when @root is no report. */
static gboolean
find_gpos(const ReportLoad *rl, const xmlNode *root, GPtrArray *out, GError **error)
{
  g_autofree char *shown = NULL;

  if (gp_xml_is(root, "GPO")) {
    g_ptr_array_add(out, (gpointer)root);
    return TRUE;
  }
  if (root != NULL)
    collect_gpos(root, out);
  if (out->len > 0)
    return TRUE;
  if (gp_xml_is(root, "report")) {
    gp_diag_add(rl->diags, GP_SEVERITY_WARNING, rl->file, gp_xml_line(root),
                "<report> lists no <GPO>; nothing loaded");
    return TRUE;
  }
  shown = quote(root ? (const char *)root->name : "");
  gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, rl->file, 0,
                    "not a Get-GPOReport XML (root <%s>); expected <GPO> or <report>", shown);
  return FALSE;
}

static void
emit_notes(const ReportLoad *rl)
{
  if (rl->links_assumed)
    gp_diag_add(rl->diags, GP_SEVERITY_NOTE, rl->file, 0,
                "link order within a SOM and block inheritance are not in Get-GPOReport XML: "
                "assumed from the order read, no blocking (give --gpinheritance or --ldif to "
                "fill them in)");
  if (rl->links_skipped > 0)
    gp_diag_add(rl->diags, GP_SEVERITY_NOTE, rl->file, 0,
                "%u <LinksTo> not used: their SOMs' gPLink was already loaded, and it is "
                "authoritative for links",
                rl->links_skipped);
  if (rl->overlaps > 0)
    gp_diag_add(rl->diags, GP_SEVERITY_NOTE, rl->file, 0,
                "%u GPO%s (%s%s) already loaded from other data: only what that data lacked "
                "was taken from this report",
                rl->overlaps, rl->overlaps == 1 ? "" : "s", rl->first_overlap,
                rl->overlaps == 1 ? "" : "...");
}

static gboolean
load_report(const char *data, gsize len, ReportLoad *rl, GError **error)
{
  g_autoptr(GPtrArray) gpos = g_ptr_array_new();
  g_autoptr(xmlDoc) doc = gp_xml_parse(data, len, rl->file, error);

  if (doc == NULL)
    return FALSE;
  if (!find_gpos(rl, xmlDocGetRootElement(doc), gpos, error))
    return FALSE;
  for (guint i = 0; i < gpos->len; i++)
    load_gpo(rl, gpos->pdata[i]);
  emit_notes(rl);
  return TRUE;
}

static gboolean
load_report_file(const char *path, GpModel *model, GPtrArray *diags, gboolean links_only,
                 GError **error)
{
  ReportLoad rl = { .file = path, .model = model, .diags = diags, .links_only = links_only };
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  gboolean ok;

  g_return_val_if_fail(path != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents(path, &contents, &len, &local)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read the report: %s",
                      local->message);
    return FALSE;
  }
  ok = load_report(contents, len, &rl, error);
  g_free(rl.first_overlap);
  return ok;
}

gboolean
gp_gpreport_load_from_data(const char *data, gsize len, const char *file, GpModel *model,
                           GPtrArray *diags, GError **error)
{
  ReportLoad rl = { .file = file != NULL ? file : "<memory>", .model = model, .diags = diags };
  gboolean ok;

  g_return_val_if_fail(data != NULL || len == 0, FALSE);
  g_return_val_if_fail(model != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  ok = load_report(data, len, &rl, error);
  g_free(rl.first_overlap);
  return ok;
}

gboolean
gp_gpreport_load_file(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  return load_report_file(path, model, diags, FALSE, error);
}

gboolean
gp_gpreport_load_links_file(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  return load_report_file(path, model, diags, TRUE, error);
}
