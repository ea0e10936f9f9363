/* gp-cli-data.c - finding gpsim's data and loading what the user gave. */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
  g_free(options->max_file_size);
  g_free(options->ip);
  g_free(options->ou);
  g_strfreev(options->add_groups);
  g_strfreev(options->wmi);
  g_free(options->computer);
  g_strfreev(options->gpreport);
  g_strfreev(options->backup);
  g_strfreev(options->gpinheritance);
  g_strfreev(options->input);
  g_free(options->rsop);
  g_strfreev(options->changes);
  g_free(options->baseline);
  g_free(options->principal);
  g_free(options->account);
  g_free(options->logon);
  g_free(options->server_account);
  g_free(options->client);
  g_free(options->level);
  g_strfreev(options->local_groups);
  g_free(options->out);
  g_free(options->dc);
  g_free(options->user);
  g_free(options->password_file);
  g_free(options->ca_file);
  memset(options, 0, sizeof *options);
}

/* Freeing a model of a million computers string by string takes seconds that
 * buy nothing when the process ends right after, as it does once a command's
 * data is cleared: above this many computers, the model is left to the
 * operating system.  (The tests, under valgrind too, stay below and free all.) */
#define MODEL_FREE_LIMIT 200000u

void
gp_cli_data_clear(GpCliData *data)
{
  if (data->model && gp_model_computers(data->model)->len > MODEL_FREE_LIMIT)
    data->model = NULL;
  gp_model_free(data->model);
  gp_security_template_free(data->local_policy);
  if (data->diags)
    g_ptr_array_unref(data->diags);
  g_free(data->lab_dir);
  g_strfreev(data->extra_group_sids);
  if (data->wmi_values)
    g_hash_table_unref(data->wmi_values);
  gp_cli_live_free(data->live);
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

/* g_ptr_array_sort hands the comparator pointers to the elements. */
static gint
compare_paths(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* The bundled lab: every *.ldif in it and its sysvol/ folder, read while
 * the LDIF loads (see load_sources()). */
static gboolean
load_lab(const char *lab_dir, GpCliData *data, GError **error)
{
  g_autoptr(GDir) dir = g_dir_open(lab_dir, 0, error);
  g_autoptr(GPtrArray) ldifs = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *sysvol = g_build_filename(lab_dir, "sysvol", NULL);
  g_autoptr(GpSysvolRead) read = NULL;
  const char *name;

  if (!dir)
    return FALSE;
  while ((name = g_dir_read_name(dir)))
    if (g_str_has_suffix(name, ".ldif"))
      g_ptr_array_add(ldifs, g_build_filename(lab_dir, name, NULL));
  g_ptr_array_sort(ldifs, compare_paths);
  g_ptr_array_add(ldifs, NULL);
  if (g_file_test(sysvol, G_FILE_TEST_IS_DIR))
    read = gp_sysvol_read_start(sysvol, data->model);
  if (!gp_ldif_load_files((const char *const *)ldifs->pdata, data->model, data->diags, error))
    return FALSE;
  return !read || gp_sysvol_read_finish(g_steal_pointer(&read), data->model, data->diags, error);
}

typedef struct {
  GpInputKind kind;
  const char *path;
} Source;

static void
add_sources(GArray *sources, GpInputKind kind, char **paths)
{
  for (guint i = 0; paths && paths[i]; i++) {
    Source source = { kind, paths[i] };
    g_array_append_val(sources, source);
  }
}

/* --dc: the DC is read into a temporary folder first (gp-cli-live.c); its
 * LDIF and SYSVOL copy then load like the others, and the folder goes with
 * @data. */
static gboolean
collect_live(const GpCliOptions *options, GpCliData *data, GArray *sources, GError **error)
{
  Source ldif = { GP_INPUT_LDIF, NULL };
  Source sysvol = { GP_INPUT_SYSVOL, NULL };

  if (!options->dc)
    return TRUE;
  if (!(data->live = gp_cli_live_new(options, data->diags, error)))
    return FALSE;
  ldif.path = gp_cli_live_ldif(data->live);
  sysvol.path = gp_cli_live_sysvol(data->live);
  g_array_append_val(sources, ldif);
  g_array_append_val(sources, sysvol);
  return TRUE;
}

/* Every data source given, --input ones detected from their content. */
static gboolean
collect_sources(const GpCliOptions *options, GArray *sources, GError **error)
{
  add_sources(sources, GP_INPUT_LDIF, options->ldif);
  add_sources(sources, GP_INPUT_SYSVOL, options->sysvol);
  add_sources(sources, GP_INPUT_BACKUP, options->backup);
  add_sources(sources, GP_INPUT_GPREPORT, options->gpreport);
  add_sources(sources, GP_INPUT_INHERITANCE, options->gpinheritance);
  for (guint i = 0; options->input && options->input[i]; i++) {
    Source source = { gp_input_detect(options->input[i], error), options->input[i] };
    if (source.kind == GP_INPUT_UNKNOWN)
      return FALSE;
    g_array_append_val(sources, source);
  }
  if (options->rsop && !options->rsop_is_observation) {
    Source source = { GP_INPUT_RSOP, options->rsop };
    g_array_append_val(sources, source);
  }
  return TRUE;
}

static gboolean
load_rsop_as_data(const char *path, GpCliData *data, GError **error)
{
  g_autoptr(GpRsop) rsop = gp_rsop_load_file(path, data->diags, error);

  if (!rsop)
    return FALSE;
  gp_rsop_add_to_model(rsop, data->model, data->diags);
  return TRUE;
}

static gboolean
load_local(const char *path, GpCliData *data, GError **error)
{
  gp_security_template_free(data->local_policy);
  data->local_policy = gp_inf_load_file(path, data->model, data->diags, error);
  return data->local_policy != NULL;
}

static gboolean
load_source(const Source *source, GpCliData *data, GError **error)
{
  GpModel *model = data->model;

  switch (source->kind) {
  case GP_INPUT_LDIF:
  case GP_INPUT_SYSVOL:
    break; /* load_sources() loads these first, together */
  case GP_INPUT_BACKUP:
    return gp_backup_load_dir(source->path, model, data->diags, error);
  case GP_INPUT_GPREPORT:
    return gp_gpreport_load_file(source->path, model, data->diags, error);
  case GP_INPUT_INHERITANCE:
    return gp_inheritance_load_file(source->path, model, data->diags, error);
  case GP_INPUT_RSOP:
    return load_rsop_as_data(source->path, data, error);
  case GP_INPUT_INF:
    return load_local(source->path, data, error);
  case GP_INPUT_UNKNOWN:
    break;
  }
  return TRUE;
}

/* Every LDIF source, in one go: the next file is read while one is applied. */
static gboolean
load_ldif_sources(const GpCliOptions *options, GArray *sources, GpCliData *data, GError **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new();
  GpLdifOptions ldif = { .only_computer = options->one_computer ? options->computer : NULL };

  for (guint i = 0; i < sources->len; i++) {
    const Source *source = &g_array_index(sources, Source, i);
    if (source->kind == GP_INPUT_LDIF)
      g_ptr_array_add(paths, (gpointer)source->path);
  }
  g_ptr_array_add(paths, NULL);
  return gp_ldif_load_files_with((const char *const *)paths->pdata, &ldif, data->model, data->diags,
                                 error);
}

/* Returns: (transfer full): a read started for each SYSVOL source, in order.
 * Reading a folder needs only the rights catalogue, loaded before any
 * source, so it runs while the LDIF loads, in the processor time the LDIF
 * leaves idle (its last file is applied on one core). */
static GPtrArray *
start_sysvol_reads(GArray *sources, const GpModel *model)
{
  GPtrArray *reads = g_ptr_array_new_with_free_func((GDestroyNotify)gp_sysvol_read_cancel);

  for (guint i = 0; i < sources->len; i++) {
    const Source *source = &g_array_index(sources, Source, i);
    if (source->kind == GP_INPUT_SYSVOL)
      g_ptr_array_add(reads, gp_sysvol_read_start(source->path, model));
  }
  return reads;
}

/* Attaches the reads in order, as loading each SYSVOL would; those after a
 * failure are cancelled with @reads. */
static gboolean
finish_sysvol_reads(GPtrArray *reads, GpCliData *data, GError **error)
{
  for (guint i = 0; i < reads->len; i++) {
    GpSysvolRead *read = g_steal_pointer(&g_ptr_array_index(reads, i));
    if (!gp_sysvol_read_finish(read, data->model, data->diags, error))
      return FALSE;
  }
  return TRUE;
}

/* Loads in an order where each format can rely on the ones before: the
 * directory first, then files and reports that fill in GPOs, the RSoP, and the
 * gPLink CSV last because it corrects the link orders reports had to assume. */
static gboolean
load_sources(const GpCliOptions *options, GArray *sources, GpCliData *data, GError **error)
{
  static const GpInputKind order[]
      = { GP_INPUT_BACKUP, GP_INPUT_GPREPORT, GP_INPUT_RSOP, GP_INPUT_INHERITANCE, GP_INPUT_INF };
  g_autoptr(GPtrArray) sysvols = start_sysvol_reads(sources, data->model);

  if (!load_ldif_sources(options, sources, data, error)
      || !finish_sysvol_reads(sysvols, data, error))
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS(order); k++)
    for (guint i = 0; i < sources->len; i++) {
      const Source *source = &g_array_index(sources, Source, i);
      if (source->kind == order[k] && !load_source(source, data, error))
        return FALSE;
    }
  return TRUE;
}

/* Sources that describe a domain (anything but a lone local policy). */
static gboolean
has_directory_sources(GArray *sources)
{
  for (guint i = 0; i < sources->len; i++)
    if (g_array_index(sources, Source, i).kind != GP_INPUT_INF)
      return TRUE;
  return FALSE;
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

static gboolean
load_bundled_lab(GpCliData *data, GError **error)
{
  g_autofree char *labs = gp_cli_labs_dir();

  data->lab_dir = g_build_filename(labs, DEFAULT_LAB, NULL);
  return load_lab(data->lab_dir, data, error);
}

/* ------------------------------------------------------------ input limits */

/* Files given on the command line are checked with stat() before a loader
 * reads them (README "Security"); files inside a SYSVOL copy or a backup are
 * checked by those loaders against GP_MAX_FOLDER_FILE_BYTES. */

#define MAX_FILE_SIZE_ENV "GPSIM_MAX_FILE_SIZE"

static gboolean
parse_max_file_size(const char *text, const char *what, guint64 *out, GError **error)
{
  g_autoptr(GError) local = NULL;
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, &local)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "%s '%s' is not a number of bytes (0 turns the limit off)", what, text);
    return FALSE;
  }
  *out = value == 0 ? G_MAXUINT64 : value;
  return TRUE;
}

/* Calls @fn on every file or folder given as input; stops at the first FALSE. */
static gboolean
for_each_input(const GpCliOptions *options, gboolean (*fn)(const char *, gpointer), gpointer data)
{
  char **lists[] = { options->ldif,  options->gpreport, options->gpinheritance,
                     options->input, options->sysvol,   options->backup };
  const char *singles[] = { options->rsop, options->local };

  for (gsize k = 0; k < G_N_ELEMENTS(lists); k++)
    for (guint i = 0; lists[k] && lists[k][i]; i++)
      if (!fn(lists[k][i], data))
        return FALSE;
  for (gsize k = 0; k < G_N_ELEMENTS(singles); k++)
    if (singles[k] && !fn(singles[k], data))
      return FALSE;
  return TRUE;
}

typedef struct {
  char *output;    /* --output, made absolute */
  gboolean exists; /* and then @st is its status */
  GStatBuf st;
  const char *input; /* the input it is or lies in, once found */
} OutputCheck;

static gboolean
same_file(const GStatBuf *a, const GStatBuf *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* TRUE when a folder above @path is the folder @dir (symbolic links and all). */
static gboolean
lies_inside(const char *path, const GStatBuf *dir)
{
  g_autofree char *parent = g_path_get_dirname(path);

  for (;;) {
    GStatBuf st;
    g_autofree char *up = NULL;

    if (g_stat(parent, &st) == 0 && same_file(&st, dir))
      return TRUE;
    up = g_path_get_dirname(parent);
    if (strcmp(up, parent) == 0)
      return FALSE;
    g_free(parent);
    parent = g_steal_pointer(&up);
  }
}

/* FALSE when --output is @input, or would be written inside the folder @input. */
static gboolean
output_is_not(const char *input, gpointer data)
{
  OutputCheck *check = data;
  GStatBuf st;

  if (g_stat(input, &st) != 0)
    return TRUE;
  if ((check->exists && same_file(&st, &check->st))
      || (S_ISDIR(st.st_mode) && lies_inside(check->output, &st)))
    check->input = input;
  return check->input == NULL;
}

gboolean
gp_cli_check_options(GpCliOptions *options, GError **error)
{
  const char *env = g_getenv(MAX_FILE_SIZE_ENV);
  OutputCheck check = { 0 };

  options->max_file_bytes = GP_CLI_DEFAULT_MAX_FILE_SIZE;
  if (options->max_file_size) {
    if (!parse_max_file_size(options->max_file_size, "--max-file-size", &options->max_file_bytes,
                             error))
      return FALSE;
  } else if (env && *env
             && !parse_max_file_size(env, MAX_FILE_SIZE_ENV, &options->max_file_bytes, error)) {
    return FALSE;
  }
  /* An --output that is an input would replace it; one inside an input
   * folder would add to what the next run reads. */
  if (!options->output)
    return TRUE;
  check.exists = g_stat(options->output, &check.st) == 0;
  check.output = g_canonicalize_filename(options->output, NULL);
  for_each_input(options, output_is_not, &check);
  g_free(check.output);
  if (check.input)
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--output '%s' is, or is inside, the input '%s'; gpsim never writes over "
                "its inputs",
                options->output, check.input);
  return check.input == NULL;
}

typedef struct {
  guint64 limit;
  GError **error;
} SizeCheck;

/* Folders are the loaders' to check, entry by entry; a path that does not
 * exist is left to the loader, which says so in its own words. */
static gboolean
input_size_ok(const char *path, gpointer data)
{
  SizeCheck *check = data;

  if (!g_file_test(path, G_FILE_TEST_EXISTS) || g_file_test(path, G_FILE_TEST_IS_DIR))
    return TRUE;
  return gp_check_input_file(path, check->limit == G_MAXUINT64 ? 0 : check->limit,
                             GP_FILE_CHECK_DEFAULT, "raise it with --max-file-size", check->error);
}

static gboolean
check_input_sizes(const GpCliOptions *options, GError **error)
{
  SizeCheck check
      = { options->max_file_bytes ? options->max_file_bytes : GP_CLI_DEFAULT_MAX_FILE_SIZE, error };

  return for_each_input(options, input_size_ok, &check);
}

/* ---------------------------------------------------------------- loading */

gboolean
gp_cli_load(const GpCliOptions *options, GpCliData *data, GError **error)
{
  g_autoptr(GArray) sources = g_array_new(FALSE, FALSE, sizeof(Source));
  gboolean directory;

  data->model = gp_model_new();
  data->diags = gp_diag_list_new();
  if (!check_input_sizes(options, error))
    return FALSE;
  if (!load_reference(data->model, error) || !collect_live(options, data, sources, error)
      || !collect_sources(options, sources, error))
    return FALSE;
  directory = has_directory_sources(sources);
  if (!directory && !options->local && sources->len == 0 && !load_bundled_lab(data, error))
    return FALSE;
  if (!load_sources(options, sources, data, error))
    return FALSE;
  gp_model_complete(data->model);
  if (options->local && !load_local(options->local, data, error))
    return FALSE;
  if (!directory && data->local_policy && !data->lab_dir)
    add_standalone_computer(options, data);
  return TRUE;
}

char *
gp_cli_printable(const char *text)
{
  g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
  GString *out = g_string_sized_new(strlen(valid));

  for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);

    if (g_unichar_iscntrl(c) && c != '\t')
      g_string_append_c(out, '?');
    else
      g_string_append_len(out, p, g_utf8_next_char(p) - p);
  }
  return g_string_free(out, FALSE);
}

void
gp_cli_print_diags(const GPtrArray *diags)
{
  for (guint i = 0; diags && i < diags->len; i++) {
    g_autofree char *line = gp_diagnostic_format(g_ptr_array_index(diags, i));
    g_autofree char *shown = gp_cli_printable(line);
    fprintf(stderr, "gpsim: %s\n", shown);
  }
}

/* Every right of the catalogue, for rights no GPO defines (role defaults) too. */
static GStrv
catalogue_rights(const GpModel *model)
{
  const GPtrArray *catalogue = gp_model_rights(model);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

  for (guint i = 0; i < catalogue->len; i++)
    g_strv_builder_add(builder, ((const GpRightInfo *)g_ptr_array_index(catalogue, i))->constant);
  return g_strv_builder_end(builder);
}

GPtrArray *
gp_cli_evaluate_all(const GpCliData *data, const GpCliOptions *options, GError **error)
{
  g_auto(GStrv) all = catalogue_rights(data->model);
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  const GPtrArray *computers = gp_model_computers(data->model);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func((GDestroyNotify)gp_result_free);

  if (!options->rights)
    engine.rights = (const char *const *)all;
  for (guint i = 0; i < computers->len; i++) {
    GpResult *result
        = gp_engine_evaluate(data->model, g_ptr_array_index(computers, i), &engine, error);
    if (!result)
      return NULL;
    g_ptr_array_add(results, result);
  }
  return g_steal_pointer(&results);
}
