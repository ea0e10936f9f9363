/* gp-backup.c - GPMC backups (formats.md b): Backup.xml core settings,
 * bkupInfo.xml and manifest.xml bookkeeping, the backed-up GptTmpl.inf, and
 * gpreport.xml for the links no other file of a backup records.
 *
 * Accepted roots: one backup folder (Backup.xml inside), a folder whose
 * manifest.xml lists its backups by ID (GPMC "Back Up All", DISA and MS SCT
 * packages), or a folder of backup folders without a manifest, two levels
 * down at most (t0x01's GPOs/).  As in gp-sysvol.c, names are matched
 * case-insensitively at every level, paths are built only from names read in
 * the given folder (bkp:SourceExpandedPath and bkp:Location are never
 * followed) and symbolic links are never followed.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gp-loaders.h"
#include "gp-names.h"
#include "gp-xml.h"

#define MAX_SCAN_DEPTH 2
/* Backup.xml, bkupInfo.xml and manifest.xml are KiB; this only stops hostile input. */
#define MAX_XML_BYTES (64 * 1024 * 1024)

static const char *const template_path[]
    = { "DomainSysvol", "GPO", "Machine", "Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf" };

/* ------------------------------------------------------------ file access */

typedef enum {
  ENTRY_NONE,
  ENTRY_FILE,
  ENTRY_DIR,
  ENTRY_LINK,
  ENTRY_OTHER,
} EntryKind;

/* What @path is, without following a symbolic link. */
static EntryKind
entry_kind(const char *path)
{
  GStatBuf st;

  if (!path || g_lstat(path, &st) != 0)
    return ENTRY_NONE;
  if (S_ISLNK(st.st_mode))
    return ENTRY_LINK;
  if (S_ISDIR(st.st_mode))
    return ENTRY_DIR;
  return S_ISREG(st.st_mode) ? ENTRY_FILE : ENTRY_OTHER;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns: (transfer full): the entries of @dir, sorted, so that findings come
 * out in the same order on every run. */
static GPtrArray *
sorted_entries(const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *entry;

  while (handle && (entry = g_dir_read_name(handle)))
    g_ptr_array_add(names, g_strdup(entry));
  g_ptr_array_sort(names, compare_names);
  return names;
}

/* GptTmpl.inf and gpreport.xml must be regular files of sane size: a FIFO
 * would block the read, a symbolic link could point outside the folder. */
static gboolean
check_folder_file(const char *path, GError **error)
{
  return gp_check_input_file(path, GP_MAX_FOLDER_FILE_BYTES,
                             GP_FILE_CHECK_NO_SYMLINK | GP_FILE_CHECK_REGULAR_ONLY,
                             "files inside a GPMC backup are refused above it", error);
}

/* Parses the XML file @path, refusing symbolic links and oversized files.
 * Returns: (transfer full) (nullable) */
static xmlDoc *
read_xml(const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) io_error = NULL;
  GStatBuf st;
  gsize len = 0;

  if (g_lstat(path, &st) != 0) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read: %s", g_strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "%s",
                      S_ISLNK(st.st_mode) ? "is a symbolic link, not followed"
                                          : "is not a regular file");
    return NULL;
  }
  if (st.st_size > MAX_XML_BYTES) {
    gp_set_load_error(error, GP_LOAD_ERROR_LIMIT, path, 0, "over %d MiB", MAX_XML_BYTES >> 20);
    return NULL;
  }
  if (!g_file_get_contents(path, &data, &len, &io_error)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read: %s", io_error->message);
    return NULL;
  }
  return gp_xml_parse(data, len, path, error);
}

/* ---------------------------------------------------------- the backups */

/* A <BackupInst>, as bkupInfo.xml and manifest.xml hold them. */
typedef struct {
  char *id;           /* (nullable) the backup ID, which names its folder */
  char *gpo_guid;     /* (nullable) normalised */
  char *domain;       /* (nullable) */
  char *display_name; /* (nullable) */
  char *time;         /* (nullable) BackupTime, ISO 8601 */
} BackupInst;

typedef struct {
  char *dir;
  char *name;      /* the folder's name, for messages when there is no ID */
  BackupInst inst; /* bkupInfo.xml, else the manifest's entry */
  char *file;      /* Backup.xml */
  xmlDoc *doc;
  xmlNode *core; /* GroupPolicyCoreSettings in @doc */
  char *guid;    /* the GPO's GUID */
  char *domain;  /* its domain, DNS name in lower case */
  char *key;     /* "GUID|domain": backups of one GPO share it */
} Backup;

static void
inst_clear(BackupInst *inst)
{
  g_free(inst->id);
  g_free(inst->gpo_guid);
  g_free(inst->domain);
  g_free(inst->display_name);
  g_free(inst->time);
  memset(inst, 0, sizeof *inst);
}

/* Returns: (transfer full) (nullable): the child's text, NULL when empty. */
static char *
child_text(const xmlNode *parent, const char *name)
{
  char *text = gp_xml_child_text(parent, name);

  if (text && !text[0])
    g_clear_pointer(&text, g_free);
  return text;
}

static void
inst_read(const xmlNode *node, BackupInst *inst)
{
  g_autofree char *guid = child_text(node, "GPOGuid");
  g_autofree char *id = child_text(node, "ID");
  g_autofree char *id_guid = gp_guid_normalize(id);

  inst->id = id_guid ? g_steal_pointer(&id_guid) : g_steal_pointer(&id);
  inst->gpo_guid = gp_guid_normalize(guid);
  inst->domain = child_text(node, "GPODomain");
  inst->display_name = child_text(node, "GPODisplayName");
  inst->time = child_text(node, "BackupTime");
}

/* Moves *@src into *@dst when set. */
static void
take_if_set(char **dst, char **src)
{
  if (!*src)
    return;
  g_free(*dst);
  *dst = g_steal_pointer(src);
}

/* Returns: (transfer full): a backup of folder @dir; @inst (nullable) is
 * what a manifest said of it, taken over. */
static Backup *
backup_new(const char *dir, BackupInst *inst)
{
  Backup *backup = g_new0(Backup, 1);

  backup->dir = g_strdup(dir);
  backup->name = g_path_get_basename(dir);
  if (inst) {
    backup->inst = *inst;
    memset(inst, 0, sizeof *inst);
  }
  return backup;
}

static void
backup_free(Backup *backup)
{
  g_free(backup->dir);
  g_free(backup->name);
  inst_clear(&backup->inst);
  g_free(backup->file);
  xmlFreeDoc(backup->doc);
  g_free(backup->guid);
  g_free(backup->domain);
  g_free(backup->key);
  g_free(backup);
}

static const char *
backup_id(const Backup *backup)
{
  return backup->inst.id ? backup->inst.id : backup->name;
}

static gboolean
backup_listed(const GPtrArray *backups, const char *dir)
{
  for (guint i = 0; i < backups->len; i++)
    if (strcmp(((const Backup *)g_ptr_array_index(backups, i))->dir, dir) == 0)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------- finding the backups */

static gboolean
holds_backup(const char *dir)
{
  g_autofree char *backup = gp_dir_find_child(dir, "Backup.xml");
  g_autofree char *info = gp_dir_find_child(dir, "bkupInfo.xml");

  return backup || info;
}

/* Layout (c): backup folders found by their Backup.xml, @depth levels down. */
static void
scan_dir(const char *dir, guint depth, GPtrArray *backups, GPtrArray *diags)
{
  g_autoptr(GPtrArray) names = sorted_entries(dir);

  for (guint i = 0; i < names->len; i++) {
    g_autofree char *child = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
    EntryKind kind = entry_kind(child);

    if (kind == ENTRY_LINK && g_file_test(child, G_FILE_TEST_IS_DIR))
      gp_diag_add(diags, GP_SEVERITY_WARNING, child, 0,
                  "symbolic link to a folder not followed; backups there are not loaded");
    if (kind != ENTRY_DIR)
      continue;
    if (holds_backup(child))
      g_ptr_array_add(backups, backup_new(child, NULL));
    else if (depth > 1)
      scan_dir(child, depth - 1, backups, diags);
  }
}

/* One <BackupInst> of manifest.xml: its folder is the sub-folder named by <ID>. */
static void
add_manifest_entry(const char *dir, const char *manifest, const xmlNode *node, GPtrArray *backups,
                   GPtrArray *diags)
{
  BackupInst inst = { 0 };
  g_autofree char *folder = NULL;
  EntryKind kind;

  inst_read(node, &inst);
  folder = inst.id ? gp_dir_find_child(dir, inst.id) : NULL;
  kind = entry_kind(folder);
  if (!inst.id)
    gp_diag_add(diags, GP_SEVERITY_WARNING, manifest, gp_xml_line(node),
                "<BackupInst> without an <ID>; skipped");
  else if (kind == ENTRY_LINK)
    gp_diag_add(diags, GP_SEVERITY_WARNING, folder, 0,
                "backup %s is a symbolic link, not followed; skipped", inst.id);
  else if (kind != ENTRY_DIR)
    gp_diag_add(diags, GP_SEVERITY_WARNING, manifest, gp_xml_line(node),
                "backup %s of GPO %s (%s) has no folder in %s; skipped", inst.id,
                inst.gpo_guid ? inst.gpo_guid : "?",
                inst.display_name ? inst.display_name : "no name", dir);
  else if (!backup_listed(backups, folder))
    g_ptr_array_add(backups, backup_new(folder, &inst));
  inst_clear(&inst);
}

/* Backup folders next to manifest.xml that it does not list: GPMC would not
 * show them either, so they are not loaded, but said. */
static void
note_unlisted(const char *dir, const GPtrArray *backups, GPtrArray *diags)
{
  g_autoptr(GPtrArray) names = sorted_entries(dir);

  for (guint i = 0; i < names->len; i++) {
    g_autofree char *child = g_build_filename(dir, g_ptr_array_index(names, i), NULL);

    if (entry_kind(child) == ENTRY_DIR && holds_backup(child) && !backup_listed(backups, child))
      gp_diag_add(diags, GP_SEVERITY_NOTE, child, 0,
                  "backup folder not listed in manifest.xml; not loaded");
  }
}

/* Layout (b).  Returns FALSE when the manifest cannot be used. */
static gboolean
collect_from_manifest(const char *dir, const char *manifest, GPtrArray *backups, GPtrArray *diags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = read_xml(manifest, &error);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

  if (!gp_xml_is(root, "Backups")) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, error ? NULL : manifest, 0,
                "%s; looking for backup folders instead",
                error ? error->message : "manifest.xml has no <Backups> root");
    return FALSE;
  }
  for (xmlNode *inst = gp_xml_child(root, "BackupInst"); inst; inst = gp_xml_next_named(inst))
    add_manifest_entry(dir, manifest, inst, backups, diags);
  note_unlisted(dir, backups, diags);
  return TRUE;
}

static void
find_backups(const char *path, GPtrArray *backups, GPtrArray *diags)
{
  g_autofree char *manifest = NULL;

  if (holds_backup(path)) {
    g_ptr_array_add(backups, backup_new(path, NULL));
    return;
  }
  manifest = gp_dir_find_child(path, "manifest.xml");
  if (manifest && collect_from_manifest(path, manifest, backups, diags))
    return;
  scan_dir(path, MAX_SCAN_DEPTH, backups, diags);
}

/* ------------------------------------------------------ reading a backup */

/* bkupInfo.xml is optional: what it says replaces what the manifest said. */
static void
read_info(Backup *backup, GPtrArray *diags)
{
  g_autofree char *path = gp_dir_find_child(backup->dir, "bkupInfo.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = path ? read_xml(path, &error) : NULL;
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  BackupInst inst = { 0 };

  if (!path)
    return;
  if (!gp_xml_is(root, "BackupInst")) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->dir, 0,
                "bkupInfo.xml not used (%s); Backup.xml alone identifies the backup",
                error ? error->message : "no <BackupInst> root");
    return;
  }
  inst_read(root, &inst);
  take_if_set(&backup->inst.id, &inst.id);
  take_if_set(&backup->inst.gpo_guid, &inst.gpo_guid);
  take_if_set(&backup->inst.domain, &inst.domain);
  take_if_set(&backup->inst.display_name, &inst.display_name);
  take_if_set(&backup->inst.time, &inst.time);
  inst_clear(&inst);
}

/* The GPO's GUID and domain: Backup.xml's, else bkupInfo.xml's. */
static gboolean
identify(Backup *backup, GPtrArray *diags)
{
  g_autofree char *id = child_text(backup->core, "ID");
  g_autofree char *domain = child_text(backup->core, "Domain");
  guint line = gp_xml_line(backup->core);

  backup->guid = id ? gp_guid_normalize(id) : g_strdup(backup->inst.gpo_guid);
  if (!domain)
    domain = g_strdup(backup->inst.domain);
  if (!backup->guid || !domain || strchr(domain, '/')) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->file, line,
                "no GPO GUID or domain in GroupPolicyCoreSettings nor in bkupInfo.xml; "
                "backup %s skipped",
                backup_id(backup));
    return FALSE;
  }
  if (backup->inst.gpo_guid && strcmp(backup->inst.gpo_guid, backup->guid) != 0)
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->file, line,
                "bkupInfo.xml names GPO %s, Backup.xml %s; Backup.xml is used",
                backup->inst.gpo_guid, backup->guid);
  backup->domain = g_ascii_strdown(domain, -1);
  backup->key = g_strconcat(backup->guid, "|", backup->domain, NULL);
  return TRUE;
}

/* Returns FALSE, with a warning naming the folder, when the backup cannot be used. */
static gboolean
read_backup(Backup *backup, GPtrArray *diags)
{
  g_autoptr(GError) error = NULL;
  xmlNode *root;

  read_info(backup, diags);
  backup->file = gp_dir_find_child(backup->dir, "Backup.xml");
  if (!backup->file) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->dir, 0,
                "backup folder without Backup.xml; backup %s skipped", backup_id(backup));
    return FALSE;
  }
  backup->doc = read_xml(backup->file, &error);
  if (!backup->doc) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->dir, 0, "backup %s skipped: %s",
                backup_id(backup), error->message);
    return FALSE;
  }
  root = xmlDocGetRootElement(backup->doc);
  backup->core = gp_xml_path(root, "GroupPolicyObject", "GroupPolicyCoreSettings", NULL);
  if (!gp_xml_is(root, "GroupPolicyBackupScheme") || !backup->core) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->dir, 0,
                "Backup.xml has no GroupPolicyBackupScheme/GroupPolicyObject/"
                "GroupPolicyCoreSettings; backup %s skipped",
                backup_id(backup));
    return FALSE;
  }
  return identify(backup, diags);
}

/* Keeps the backups that can be used, in their order. */
static void
read_all(GPtrArray *backups, GPtrArray *diags)
{
  for (guint i = 0; i < backups->len;) {
    if (read_backup(g_ptr_array_index(backups, i), diags))
      i++;
    else
      g_ptr_array_remove_index(backups, i);
  }
}

/* ----------------------------------------------- several backups of a GPO */

static const char *
backup_time(const Backup *backup)
{
  return backup->inst.time ? backup->inst.time : "";
}

/* Returns: (transfer full): key -> the newest Backup* (borrowed) of that GPO.
 * ISO 8601 times compare as strings; on a tie the first found wins. */
static GHashTable *
pick_newest(const GPtrArray *backups)
{
  GHashTable *newest = g_hash_table_new(g_str_hash, g_str_equal);

  for (guint i = 0; i < backups->len; i++) {
    Backup *backup = g_ptr_array_index(backups, i);
    const Backup *best = g_hash_table_lookup(newest, backup->key);

    if (!best || strcmp(backup_time(backup), backup_time(best)) > 0)
      g_hash_table_insert(newest, backup->key, backup);
  }
  return newest;
}

/* Returns: (transfer full): the display name of the backed-up GPO. */
static char *
backup_display_name(const Backup *backup)
{
  char *name = child_text(backup->core, "DisplayName");

  return name ? name : g_strdup(backup->inst.display_name);
}

/* One warning per GPO backed up more than once, naming the backups not loaded. */
static void
warn_superseded(const GPtrArray *backups, const Backup *winner, GPtrArray *diags)
{
  g_autoptr(GString) losers = g_string_new(NULL);
  g_autofree char *name = backup_display_name(winner);

  for (guint i = 0; i < backups->len; i++) {
    const Backup *other = g_ptr_array_index(backups, i);

    if (other == winner || strcmp(other->key, winner->key) != 0)
      continue;
    g_string_append_printf(losers, "%s%s (%s)", losers->len ? ", " : "", backup_id(other),
                           other->inst.time ? other->inst.time : "no BackupTime");
  }
  if (losers->len)
    gp_diag_add(diags, GP_SEVERITY_WARNING, winner->dir, 0,
                "GPO %s (%s) of %s is backed up more than once: the newest backup, %s (%s), "
                "is loaded; not loaded: %s",
                winner->guid, name ? name : "no name", winner->domain, backup_id(winner),
                backup_time(winner)[0] ? backup_time(winner) : "no BackupTime", losers->str);
}

/* ---------------------------------------------------- into the model */

/* Sets *@field to @value (transfer full, nullable) when @replace or unset. */
static void
set_string(char **field, char *value, gboolean replace)
{
  if (!value || (*field && !replace)) {
    g_free(value);
    return;
  }
  g_free(*field);
  *field = value;
}

/* Backup.xml's numbers: each is (DS version << 16) | SYSVOL version of one
 * side (formats.md b), not the directory's user << 16 | computer packing. */
typedef struct {
  guint32 gpc; /* versionNumber: user DS << 16 | computer DS */
  guint32 gpt; /* GPT.INI Version: user SYSVOL << 16 | computer SYSVOL */
} Versions;

static guint32
read_number(const Backup *backup, const char *name, guint64 max, GPtrArray *diags)
{
  guint64 value = 0;

  if (gp_xml_child_uint(backup->core, name, &value) && value <= max)
    return (guint32)value;
  gp_diag_add(diags, GP_SEVERITY_WARNING, backup->file, gp_xml_line(backup->core),
              "%s of GPO %s is missing or not a number up to %" G_GUINT64_FORMAT "; taken as 0",
              name, backup->guid, max);
  return 0;
}

static Versions
read_versions(const Backup *backup, GPtrArray *diags)
{
  guint32 user = read_number(backup, "UserVersionNumber", G_MAXUINT32, diags);
  guint32 machine = read_number(backup, "MachineVersionNumber", G_MAXUINT32, diags);
  Versions versions;

  versions.gpc = (user & 0xFFFF0000u) | (machine >> 16);
  versions.gpt = ((user & 0xFFFFu) << 16) | (machine & 0xFFFFu);
  return versions;
}

/* 'MSFT_SomFilter.ID="{ID}",Domain="X"' -> "{ID}" and "X". */
static gboolean
parse_som_filter(const char *text, char **out_id, char **out_domain)
{
  const char *id = strstr(text, "ID=\"");
  const char *domain = strstr(text, "Domain=\"");
  const char *id_end = id ? strchr(id + 4, '"') : NULL;
  const char *domain_end = domain ? strchr(domain + 8, '"') : NULL;
  g_autofree char *raw_id = NULL;

  if (!id_end || !domain_end || domain_end == domain + 8)
    return FALSE;
  raw_id = g_strndup(id + 4, (gsize)(id_end - id - 4));
  *out_id = gp_guid_normalize(raw_id);
  if (!*out_id)
    return FALSE;
  *out_domain = g_strndup(domain + 8, (gsize)(domain_end - domain - 8));
  return TRUE;
}

static void
apply_wmi_filter(const Backup *backup, GpGpo *gpo, GpModel *model, gboolean replace,
                 GPtrArray *diags)
{
  g_autofree char *text = child_text(backup->core, "WMIFilter");
  g_autofree char *id = NULL;
  g_autofree char *domain = NULL;
  GpWmiFilter *filter;

  if (!text)
    return;
  if (!parse_som_filter(text, &id, &domain)) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->file, gp_xml_line(backup->core),
                "WMIFilter '%s' of GPO %s is not MSFT_SomFilter.ID=\"{...}\",Domain=\"...\"; "
                "the GPO is taken as having no WMI filter",
                text, backup->guid);
    return;
  }
  set_string(&gpo->wql_filter, g_strdup_printf("[%s;%s;0]", domain, id), replace);
  filter = gp_model_ensure_wmi_filter(model, id);
  set_string(&filter->name, child_text(backup->core, "WMIFilterName"), FALSE);
  set_string(&filter->domain_dn, gp_dn_from_canonical(domain), FALSE);
}

/* "01 00 04 9c ..." -> bytes.  Returns: (transfer full) (nullable): NULL
 * unless the text is pairs of hex digits, blanks allowed between pairs. */
static GByteArray *
hex_to_bytes(const char *text)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new();

  for (const char *p = text; *p;) {
    guint8 byte;

    if (g_ascii_isspace(*p)) {
      p++;
      continue;
    }
    if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
      return NULL;
    byte = (guint8)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
    g_byte_array_append(bytes, &byte, 1);
    p += 2;
  }
  return g_steal_pointer(&bytes);
}

static void
apply_security_descriptor(const Backup *backup, GpGpo *gpo, gboolean replace, GPtrArray *diags)
{
  xmlNode *node = gp_xml_child(backup->core, "SecurityDescriptor");
  g_autofree char *text = gp_xml_text(node);
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GpSecurityDescriptor *sd;

  if (!text || !text[0] || (gpo->security_descriptor && !replace))
    return;
  bytes = hex_to_bytes(text);
  sd = bytes ? gp_sd_from_binary(bytes->data, bytes->len, &error) : NULL;
  if (!sd) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, backup->file, gp_xml_line(node),
                "security descriptor of GPO %s not read (%s); unless other data gives it, "
                "the GPO is taken as readable and applicable by every computer",
                backup->guid, error ? error->message : "not space-separated hex bytes");
    return;
  }
  gp_security_descriptor_free(gpo->security_descriptor);
  gpo->security_descriptor = sd;
}

/* Returns: (transfer full) (nullable): the backed-up GptTmpl.inf, or NULL
 * when absent or when a symbolic link is met on the way; @out_link then
 * receives the link's path. */
static char *
find_template(const char *backup_dir, char **out_link)
{
  char *path = g_strdup(backup_dir);

  for (guint i = 0; path && i < G_N_ELEMENTS(template_path); i++) {
    char *next = gp_dir_find_child(path, template_path[i]);

    g_free(path);
    path = next;
    if (path && entry_kind(path) == ENTRY_LINK) {
      *out_link = path;
      return NULL;
    }
  }
  return path;
}

/* The backed-up SYSVOL part: GPT.INI's version (from Backup.xml) and GptTmpl.inf. */
static void
apply_sysvol(const Backup *backup, GpGpo *gpo, guint32 gpt_version, const GpModel *model,
             GPtrArray *diags)
{
  g_autofree char *link = NULL;
  g_autofree char *path = find_template(backup->dir, &link);
  g_autoptr(GError) error = NULL;

  gpo->sysvol = GP_SYSVOL_READ;
  gpo->has_gpt_ini = TRUE;
  gpo->gpt_version = gpt_version;
  g_clear_pointer(&gpo->sysvol_problem, g_free);
  g_clear_pointer(&gpo->machine_template, gp_security_template_free);
  /* A template that is there but not read must not pass for no template. */
  if (link)
    gpo->sysvol_problem = g_strdup_printf("%s is a symbolic link, not followed", link);
  else if (path
           && (!check_folder_file(path, &error)
               || !(gpo->machine_template = gp_inf_load_file(path, model, diags, &error))))
    gpo->sysvol_problem = g_strdup(error->message);
  if (!gpo->sysvol_problem)
    return;
  gpo->sysvol = GP_SYSVOL_UNREADABLE;
  gp_diag_add(diags, GP_SEVERITY_WARNING, backup->dir, 0, "GPO %s is unreadable: %s", backup->guid,
              gpo->sysvol_problem);
}

/* gpreport.xml is the only file of a backup that records links (<LinksTo>). */
static void
load_links(const Backup *backup, GpModel *model, GPtrArray *diags)
{
  g_autofree char *path = gp_dir_find_child(backup->dir, "gpreport.xml");
  g_autoptr(GError) error = NULL;

  if (!path) {
    gp_diag_add(diags, GP_SEVERITY_NOTE, backup->dir, 0,
                "no gpreport.xml: the backup does not say where GPO %s is linked", backup->guid);
    return;
  }
  if (entry_kind(path) != ENTRY_FILE)
    gp_diag_add(diags, GP_SEVERITY_WARNING, path, 0,
                "not a regular file (symbolic links are not followed); the links of GPO %s "
                "are not loaded",
                backup->guid);
  else if (!check_folder_file(path, &error)
           || !gp_gpreport_load_links_file(path, model, diags, &error))
    gp_diag_add(diags, GP_SEVERITY_WARNING, NULL, 0, "links of GPO %s not loaded: %s", backup->guid,
                error->message);
}

static void
apply_core(const Backup *backup, GpGpo *gpo, GpModel *model, gboolean replace, GPtrArray *diags)
{
  Versions versions = read_versions(backup, diags);
  guint32 options = read_number(backup, "Options", 3, diags);

  gpo->in_directory = TRUE;
  if (replace) {
    gpo->flags = options;
    gpo->version_number = versions.gpc;
    gpo->has_functionality_version = TRUE;
    gpo->functionality_version = 2;
  }
  set_string(&gpo->display_name, backup_display_name(backup), replace);
  set_string(&gpo->machine_extension_names, child_text(backup->core, "MachineExtensionGuids"),
             replace);
  set_string(&gpo->file, g_strdup(backup->file), replace);
  if (replace || !gpo->line)
    gpo->line = gp_xml_line(backup->core);
  apply_wmi_filter(backup, gpo, model, replace, diags);
  apply_security_descriptor(backup, gpo, replace, diags);
  if (replace || gpo->sysvol == GP_SYSVOL_NOT_GIVEN || gpo->sysvol == GP_SYSVOL_MISSING)
    apply_sysvol(backup, gpo, versions.gpt, model, diags);
}

/* A GPO already in the model (directory data, another backup) keeps what it
 * has: the backup only fills in what is missing. */
static void
load_backup(const Backup *backup, GpModel *model, GPtrArray *diags)
{
  g_autofree char *domain_dn = gp_dn_from_canonical(backup->domain);
  g_autofree char *dn = g_strdup_printf("CN=%s,CN=Policies,CN=System,%s", backup->guid, domain_dn);
  gboolean known = gp_model_find_gpo_dn(model, dn) != NULL;
  GpGpo *gpo = gp_model_ensure_gpo_dn(model, dn);

  if (!gpo)
    return;
  if (known)
    gp_diag_add(diags, GP_SEVERITY_NOTE, backup->dir, 0,
                "GPO %s was already loaded from other data, which is kept; backup %s only "
                "fills in what it lacked",
                backup->guid, backup_id(backup));
  apply_core(backup, gpo, model, !known, diags);
  load_links(backup, model, diags);
}

gboolean
gp_backup_load_dir(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func((GDestroyNotify)backup_free);
  g_autoptr(GHashTable) newest = NULL;
  guint found;

  g_return_val_if_fail(path != NULL && model != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0,
                      "not a folder; give a GPMC backup folder or the folder holding them");
    return FALSE;
  }
  find_backups(path, backups, diags);
  found = backups->len;
  read_all(backups, diags);
  if (backups->len == 0) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, 0,
                      found ? "none of the %u backups found could be read"
                            : "no GPMC backup found (no Backup.xml, no manifest.xml listing an "
                              "existing folder, no backup folder within %u levels)",
                      found ? found : MAX_SCAN_DEPTH);
    return FALSE;
  }
  newest = pick_newest(backups);
  for (guint i = 0; i < backups->len; i++) {
    const Backup *backup = g_ptr_array_index(backups, i);

    if (g_hash_table_lookup(newest, backup->key) != backup)
      continue;
    warn_superseded(backups, backup, diags);
    load_backup(backup, model, diags);
  }
  return TRUE;
}
