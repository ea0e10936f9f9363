/* gp-cli-data.c - finding gpsim's data and loading what the user gave. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gp-cli.h"

#define RIGHTS_FILE "user-rights.tsv"
#define SIDS_FILE   "well-known-sids.tsv"
#define DEFAULT_LAB "contoso"

void
gp_cli_options_clear(GpCliOptions *options)
{
  g_strfreev(options->ldif);
  g_strfreev(options->sysvol);
  g_free(options->local);
  g_free(options->site);
  g_strfreev(options->rights);
  g_free(options->format);
  g_free(options->output);
  g_free(options->ip);
  g_free(options->ou);
  g_strfreev(options->add_groups);
  g_strfreev(options->wmi);
  g_free(options->computer);
  memset(options, 0, sizeof *options);
}

void
gp_cli_data_clear(GpCliData *data)
{
  gp_model_free(data->model);
  gp_security_template_free(data->local_policy);
  if (data->diags)
    g_ptr_array_unref(data->diags);
  g_free(data->lab_dir);
  g_strfreev(data->extra_group_sids);
  if (data->wmi_values)
    g_hash_table_unref(data->wmi_values);
  memset(data, 0, sizeof *data);
}

/* TRUE when the running binary sits in the build tree, so that a stale
 * installation never shadows the sources being worked on. */
static gboolean
running_from_build_tree(const char *exe)
{
  return exe && g_str_has_prefix(exe, GP_BUILD_DIR "/");
}

/* PREFIX/share/gpsim for a binary in PREFIX/bin, wherever the prefix was moved. */
static char *
relocated_datadir(const char *exe)
{
  g_autofree char *bin = exe ? g_path_get_dirname(exe) : NULL;
  g_autofree char *prefix = bin ? g_path_get_dirname(bin) : NULL;

  return prefix ? g_build_filename(prefix, "share", "gpsim", NULL) : NULL;
}

/* The first of the candidate folders (sub-folder @sub of each base) holding @probe. */
static char *
find_dir(const char *sub_installed, const char *sub_source, const char *probe)
{
  const char *env = g_getenv("GPSIM_DATADIR");
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  g_autofree char *relocated = relocated_datadir(exe);
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func(g_free);

  if (env)
    return g_build_filename(env, sub_installed, NULL);
  if (running_from_build_tree(exe))
    g_ptr_array_add(bases, g_build_filename(GP_SOURCE_DATADIR, sub_source, NULL));
  if (relocated)
    g_ptr_array_add(bases, g_build_filename(relocated, sub_installed, NULL));
  g_ptr_array_add(bases, g_build_filename(GP_INSTALL_DATADIR, sub_installed, NULL));
  g_ptr_array_add(bases, g_build_filename(GP_SOURCE_DATADIR, sub_source, NULL));
  for (guint i = 0; i < bases->len; i++) {
    g_autofree char *path = g_build_filename(g_ptr_array_index(bases, i), probe, NULL);
    if (g_file_test(path, G_FILE_TEST_EXISTS))
      return g_strdup(g_ptr_array_index(bases, i));
  }
  return g_strdup(g_ptr_array_index(bases, 0));
}

char *
gp_cli_data_dir(void)
{
  return find_dir("data", "data", RIGHTS_FILE);
}

char *
gp_cli_labs_dir(void)
{
  return find_dir("labs", "fixtures/labs", DEFAULT_LAB);
}

static gboolean
load_reference(GpModel *model, GError **error)
{
  g_autofree char *dir = gp_cli_data_dir();
  g_autofree char *rights = g_build_filename(dir, RIGHTS_FILE, NULL);
  g_autofree char *sids = g_build_filename(dir, SIDS_FILE, NULL);

  return gp_data_load_rights(rights, model, error) && gp_data_load_sids(sids, model, error);
}

/* The bundled lab: every *.ldif in it and its sysvol/ folder. */
static gboolean
load_lab(const char *lab_dir, GpCliData *data, GError **error)
{
  g_autoptr(GDir) dir = g_dir_open(lab_dir, 0, error);
  g_autoptr(GPtrArray) ldifs = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *sysvol = g_build_filename(lab_dir, "sysvol", NULL);
  const char *name;

  if (!dir)
    return FALSE;
  while ((name = g_dir_read_name(dir)))
    if (g_str_has_suffix(name, ".ldif"))
      g_ptr_array_add(ldifs, g_build_filename(lab_dir, name, NULL));
  g_ptr_array_sort(ldifs, (GCompareFunc)g_strcmp0);
  for (guint i = 0; i < ldifs->len; i++)
    if (!gp_ldif_load_file(g_ptr_array_index(ldifs, i), data->model, data->diags, error))
      return FALSE;
  if (g_file_test(sysvol, G_FILE_TEST_IS_DIR))
    return gp_sysvol_load_dir(sysvol, data->model, data->diags, error);
  return TRUE;
}

static gboolean
load_sources(const GpCliOptions *options, GpCliData *data, GError **error)
{
  for (guint i = 0; options->ldif && options->ldif[i]; i++)
    if (!gp_ldif_load_file(options->ldif[i], data->model, data->diags, error))
      return FALSE;
  for (guint i = 0; options->sysvol && options->sysvol[i]; i++)
    if (!gp_sysvol_load_dir(options->sysvol[i], data->model, data->diags, error))
      return FALSE;
  return TRUE;
}

static gboolean
has_directory_sources(const GpCliOptions *options)
{
  return (options->ldif && options->ldif[0]) || (options->sysvol && options->sysvol[0]);
}

/* A computer with no directory: --local alone.  It is named after --computer. */
static void
add_standalone_computer(const GpCliOptions *options, GpCliData *data)
{
  const char *name = options->computer ? options->computer : "LOCAL";
  g_autofree char *dn = g_strdup_printf("CN=%s", name);
  GpComputer *computer = gp_model_ensure_computer(data->model, dn);

  g_free(computer->sam_account_name);
  computer->sam_account_name = g_strdup_printf("%s$", name);
  data->standalone = TRUE;
}

gboolean
gp_cli_load(const GpCliOptions *options, GpCliData *data, GError **error)
{
  data->model = gp_model_new();
  data->diags = gp_diag_list_new();
  if (!load_reference(data->model, error))
    return FALSE;
  if (!has_directory_sources(options) && options->local) {
    add_standalone_computer(options, data);
  } else if (has_directory_sources(options)) {
    if (!load_sources(options, data, error))
      return FALSE;
  } else {
    g_autofree char *labs = gp_cli_labs_dir();
    data->lab_dir = g_build_filename(labs, DEFAULT_LAB, NULL);
    if (!load_lab(data->lab_dir, data, error))
      return FALSE;
  }
  gp_model_complete(data->model);
  if (options->local) {
    data->local_policy = gp_inf_load_file(options->local, data->model, data->diags, error);
    if (!data->local_policy)
      return FALSE;
  }
  return TRUE;
}

void
gp_cli_print_diags(const GPtrArray *diags)
{
  for (guint i = 0; diags && i < diags->len; i++) {
    g_autofree char *line = gp_diagnostic_format(g_ptr_array_index(diags, i));
    fprintf(stderr, "gpsim: %s\n", line);
  }
}
