/* gp-sysvol.c - a copy of SYSVOL: GPT.INI and GptTmpl.inf of every GPO folder.
 *
 * Accepted roots: a Policies folder ({GUID} folders directly inside), a domain
 * folder holding Policies, or a whole sysvol holding <dns domain>/Policies.
 * Names are matched case-insensitively at every level, because real copies
 * differ ("Machine/microsoft/windows nt/SecEdit").  Paths are built only from
 * names read in the given folder (gPCFileSysPath is never followed) and
 * symbolic links are not followed, so nothing outside the folder is read.
 */
#include <string.h>

#include "gp-loaders.h"
#include "gp-names.h"

#define MAX_SEARCH_DEPTH 3

static const char *const template_path[]
    = { "Machine", "Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf" };

static gboolean
is_symlink(const char *path)
{
  return g_file_test(path, G_FILE_TEST_IS_SYMLINK);
}

/* A GPT.INI or GptTmpl.inf must be a regular file of sane size: a FIFO would
 * block the read, a symbolic link could point outside the folder. */
static gboolean
check_folder_file(const char *path, GError **error)
{
  return gp_check_input_file(path, GP_MAX_FOLDER_FILE_BYTES,
                             GP_FILE_CHECK_NO_SYMLINK | GP_FILE_CHECK_REGULAR_ONLY,
                             "files inside a SYSVOL copy are refused above it", error);
}

static gboolean
has_guid_folders(const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  const char *entry;

  while (handle && (entry = g_dir_read_name(handle))) {
    g_autofree char *guid = gp_guid_normalize(entry);
    if (guid)
      return TRUE;
  }
  return FALSE;
}

/* Collects every Policies-like folder under @dir, @depth levels down at most. */
static void
find_policy_dirs(const char *dir, guint depth, GPtrArray *found)
{
  g_autoptr(GDir) handle = NULL;
  const char *entry;

  if (has_guid_folders(dir)) {
    g_ptr_array_add(found, g_strdup(dir));
    return;
  }
  if (depth == 0 || !(handle = g_dir_open(dir, 0, NULL)))
    return;
  while ((entry = g_dir_read_name(handle))) {
    g_autofree char *child = g_build_filename(dir, entry, NULL);
    if (!is_symlink(child) && g_file_test(child, G_FILE_TEST_IS_DIR))
      find_policy_dirs(child, depth - 1, found);
  }
}

/* The DNS domain a Policies folder belongs to, when its parent is named like one. */
static char *
policies_domain(const char *policies_dir)
{
  /* Canonical first: "Policies/", "contoso.com/." and "x/../Policies" would
   * otherwise give the parent "Policies", "." or "..". */
  g_autofree char *canonical = g_canonicalize_filename(policies_dir, NULL);
  g_autofree char *parent = g_path_get_dirname(canonical);
  g_autofree char *name = g_path_get_basename(parent);

  return strchr(name, '.') ? g_ascii_strdown(name, -1) : NULL;
}

/* Returns: (transfer full) (nullable): the path of GptTmpl.inf, or NULL when
 * absent or when a symbolic link is met on the way; @out_link then receives
 * the link's path. */
static char *
find_template(const char *gpo_dir, char **out_link)
{
  char *path = g_strdup(gpo_dir);

  for (guint i = 0; path && i < G_N_ELEMENTS(template_path); i++) {
    char *next = gp_dir_find_child(path, template_path[i]);
    g_free(path);
    path = next;
    if (path && is_symlink(path)) {
      *out_link = path;
      return NULL;
    }
  }
  return path;
}

typedef struct {
  GpSysvolState state;
  gboolean has_gpt_ini;
  guint32 gpt_version;
  char *problem;
  GpSecurityTemplate *tmpl;
} FolderContents;

static void
folder_contents_clear(FolderContents *contents)
{
  g_free(contents->problem);
  gp_security_template_free(contents->tmpl);
}

static void
read_gpt_ini(const char *gpo_dir, FolderContents *out, GPtrArray *diags)
{
  g_autofree char *path = gp_dir_find_child(gpo_dir, "GPT.INI");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!path) {
    out->state = GP_SYSVOL_UNREADABLE;
    out->problem = g_strdup_printf("%s has no GPT.INI", gpo_dir);
    return;
  }
  if (!check_folder_file(path, &error) || !g_file_get_contents(path, &data, &len, &error)
      || !gp_gptini_load_from_data(data, len, path, &out->gpt_version, diags, &error)) {
    out->state = GP_SYSVOL_UNREADABLE;
    out->problem = g_strdup(error->message);
    return;
  }
  out->has_gpt_ini = TRUE;
}

static void
read_template(const char *gpo_dir, const GpModel *model, FolderContents *out, GPtrArray *diags)
{
  g_autofree char *link = NULL;
  g_autofree char *path = find_template(gpo_dir, &link);
  g_autoptr(GError) error = NULL;

  /* A template that is there but not read must not pass for no template. */
  if (link) {
    out->state = GP_SYSVOL_UNREADABLE;
    out->problem = g_strdup_printf("%s is a symbolic link, not followed", link);
    return;
  }
  if (!path)
    return;
  if (check_folder_file(path, &error))
    out->tmpl = gp_inf_load_file(path, model, diags, &error);
  if (!out->tmpl) {
    out->state = GP_SYSVOL_UNREADABLE;
    g_free(out->problem);
    out->problem = g_strdup(error->message);
  }
}

static gboolean
gpo_in_domain(const GpGpo *gpo, const char *domain)
{
  g_autofree char *gpo_domain = NULL;

  if (!domain || !gpo->dn)
    return TRUE;
  gpo_domain = gp_dn_to_dns_name(gpo->dn);
  return gpo_domain && g_ascii_strcasecmp(gpo_domain, domain) == 0;
}

/* Moves what was read into @gpo; the template goes with it. */
static void
apply_contents(GpGpo *gpo, FolderContents *contents)
{
  gpo->sysvol = contents->state;
  gpo->has_gpt_ini = contents->has_gpt_ini;
  gpo->gpt_version = contents->gpt_version;
  g_free(gpo->sysvol_problem);
  gpo->sysvol_problem = g_strdup(contents->problem);
  gp_security_template_free(gpo->machine_template);
  gpo->machine_template = g_steal_pointer(&contents->tmpl);
}

static void
attach_folder(GpModel *model, const char *guid, const char *domain, FolderContents *contents,
              const char *gpo_dir, GPtrArray *diags)
{
  g_autoptr(GPtrArray) gpos = gp_model_find_gpos_guid(model, guid);
  GpGpo *target = NULL;

  for (guint i = 0; i < gpos->len && !target; i++)
    if (gpo_in_domain(g_ptr_array_index(gpos, i), domain))
      target = g_ptr_array_index(gpos, i);
  if (!target) {
    gp_diag_add(diags, GP_SEVERITY_NOTE, gpo_dir, 0,
                "SYSVOL folder of GPO %s has no groupPolicyContainer in the directory data; "
                "it is kept but nothing links to it",
                guid);
    target = gp_model_add_gpo_guid(model, guid);
  }
  apply_contents(target, contents);
  if (target->sysvol == GP_SYSVOL_UNREADABLE)
    gp_diag_add(diags, GP_SEVERITY_WARNING, gpo_dir, 0, "GPO %s is unreadable: %s", guid,
                target->sysvol_problem);
}

static void
load_gpo_folder(GpModel *model, const char *gpo_dir, const char *guid, const char *domain,
                GPtrArray *diags)
{
  FolderContents contents = { GP_SYSVOL_READ, FALSE, 0, NULL, NULL };

  read_gpt_ini(gpo_dir, &contents, diags);
  if (contents.state == GP_SYSVOL_READ)
    read_template(gpo_dir, model, &contents, diags);
  attach_folder(model, guid, domain, &contents, gpo_dir, diags);
  folder_contents_clear(&contents);
}

static void
load_policies_dir(GpModel *model, const char *dir, GPtrArray *domains_seen, GPtrArray *diags)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  g_autofree char *domain = policies_domain(dir);
  const char *entry;

  g_ptr_array_add(domains_seen, g_strdup(domain ? domain : ""));
  while (handle && (entry = g_dir_read_name(handle))) {
    g_autofree char *guid = gp_guid_normalize(entry);
    g_autofree char *path = g_build_filename(dir, entry, NULL);
    if (!guid)
      continue;
    if (is_symlink(path)) {
      gp_diag_add(diags, GP_SEVERITY_WARNING, path, 0,
                  "symbolic link not followed; GPO %s treated as missing from SYSVOL", guid);
      continue;
    }
    if (g_file_test(path, G_FILE_TEST_IS_DIR))
      load_gpo_folder(model, path, guid, domain, diags);
  }
}

static gboolean
domain_seen(GPtrArray *domains_seen, const GpGpo *gpo)
{
  for (guint i = 0; i < domains_seen->len; i++) {
    const char *domain = g_ptr_array_index(domains_seen, i);
    if (gpo_in_domain(gpo, domain[0] ? domain : NULL))
      return TRUE;
  }
  return FALSE;
}

/* Directory GPOs of the domains this SYSVOL covers, with no folder: missing. */
static void
mark_missing(GpModel *model, GPtrArray *domains_seen)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  for (guint i = 0; i < gpos->len; i++) {
    GpGpo *gpo = g_ptr_array_index(gpos, i);
    if (gpo->sysvol == GP_SYSVOL_NOT_GIVEN && domain_seen(domains_seen, gpo))
      gpo->sysvol = GP_SYSVOL_MISSING;
  }
}

gboolean
gp_sysvol_load_dir(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) domains_seen = g_ptr_array_new_with_free_func(g_free);

  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0,
                      "not a folder; give the copy of SYSVOL's Policies folder");
    return FALSE;
  }
  find_policy_dirs(path, MAX_SEARCH_DEPTH, dirs);
  if (dirs->len == 0) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, 0,
                      "no {GUID} GPO folders found within %d levels; give the Policies folder",
                      MAX_SEARCH_DEPTH);
    return FALSE;
  }
  for (guint i = 0; i < dirs->len; i++)
    load_policies_dir(model, g_ptr_array_index(dirs, i), domains_seen, diags);
  mark_missing(model, domains_seen);
  return TRUE;
}
