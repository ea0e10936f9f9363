/* gpsim.c - command dispatch and option parsing.
 *
 *   gpsim explain --computer NAME [--right R]... [data] [modeling]
 *                 [--format text|json|html|dot] [--trace]
 *   gpsim rsop [--right R]... [data] [modeling] [--format jsonl|text]
 *   gpsim show [SOURCE]... [data] [--format text|json]
 *   gpsim verify --rsop FILE [data] [modeling] [--format text|json]
 *
 * Exit codes: 0 success, 1 usage error, 2 input error, 3 internal error,
 * 4 verify found a mismatch.
 */
#include <errno.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gp-cli.h"

#define MAX_LISTED_CANDIDATES 20

typedef struct {
  const char *name;
  const char *summary;
  const char *default_format;
  int (*run)(GpCliOptions *options, char **positionals);
  gboolean takes_positionals;
  void (*add_options)(GOptionContext *context, GpCliOptions *options); /* (nullable) */
} Command;

int
gp_cli_fail(GpExitCode code, const char *message)
{
  g_autofree char *shown = gp_cli_printable(message);

  fprintf(stderr, "gpsim: error: %s\n", shown);
  return code;
}

static void
add_data_entries(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "ldif", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->ldif,
      "LDIF export (ldapsearch, ldbsearch, ldifde); repeatable", "FILE" },
    { "sysvol", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->sysvol,
      "copy of SYSVOL (its Policies folder, or above); repeatable", "DIR" },
    { "gpreport", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->gpreport,
      "Get-GPOReport -ReportType Xml output; repeatable", "FILE" },
    { "backup", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->backup,
      "GPMC backup folder (one backup, or a folder of them); repeatable", "DIR" },
    { "gpinheritance", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->gpinheritance,
      "CSV of the SOMs' DistinguishedName, gPLink, gPOptions; repeatable", "FILE" },
    { "rsop", 0, 0, G_OPTION_ARG_FILENAME, &options->rsop, "gpresult /x (RSoP XML) of a computer",
      "FILE" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &options->input,
      "any supported file or folder, recognised from its content; repeatable", "PATH" },
    { "local", 0, 0, G_OPTION_ARG_FILENAME, &options->local,
      "the computer's local policy: a 'secedit /export' file", "INF" },
    { "right", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->rights,
      "user right to explain (constant or display name); repeatable", "R" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format, "output format", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
      "write to FILE (atomically) instead of standard output", "FILE" },
    { "max-file-size", 0, 0, G_OPTION_ARG_STRING, &options->max_file_size,
      "refuse input files over BYTES (default 1073741824, 0: no limit; or $GPSIM_MAX_FILE_SIZE)",
      "BYTES" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries(context, entries, NULL);
}

static void
add_modeling_entries(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "computer", 'c', 0, G_OPTION_ARG_STRING, &options->computer,
      "cn, sAMAccountName, dNSHostName or DN of the computer", "NAME" },
    { "site", 0, 0, G_OPTION_ARG_STRING, &options->site, "the computer's site (\"\" for none)",
      "NAME" },
    { "ip", 0, 0, G_OPTION_ARG_STRING, &options->ip,
      "the computer's address: its site is found through the subnets", "ADDRESS" },
    { "ou", 0, 0, G_OPTION_ARG_STRING, &options->ou, "model the computer as if it sat in this OU",
      "DN" },
    { "add-group", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->add_groups,
      "model the computer as a member of this group; repeatable", "SID|NAME" },
    { "wmi", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->wmi,
      "WMI filter values: assume-true (default), assume-false, FILTER=true|false; repeatable",
      "VALUE" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  GOptionGroup *group
      = g_option_group_new("modeling", "Modeling options:", "Show modeling options", NULL, NULL);

  g_option_group_add_entries(group, entries);
  g_option_context_add_group(context, group);
}

int
gp_cli_emit(const GpCliOptions *options, const GString *text)
{
  g_autoptr(GError) error = NULL;

  if (!options->output) {
    fwrite(text->str, 1, text->len, stdout);
    return fflush(stdout) == 0 ? GP_EXIT_OK
                               : gp_cli_fail(GP_EXIT_INPUT, "cannot write standard output");
  }
  /* g_file_set_contents writes a temporary file and renames it into place. */
  if (!g_file_set_contents(options->output, text->str, (gssize)text->len, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  return GP_EXIT_OK;
}

static char *
candidates_text(const GPtrArray *computers, gboolean with_dn)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < computers->len && i < MAX_LISTED_CANDIDATES; i++) {
    const GpComputer *computer = g_ptr_array_index(computers, i);
    g_autofree char *shown = gp_cli_printable(with_dn ? computer->dn : computer->cn);
    g_string_append_printf(text, "%s%s", i ? ", " : "", shown);
  }
  if (computers->len > MAX_LISTED_CANDIDATES)
    g_string_append_printf(text, " and %u more", computers->len - MAX_LISTED_CANDIDATES);
  if (computers->len == 0)
    g_string_append(text, "(none)");
  return g_string_free(g_steal_pointer(&text), FALSE);
}

/* A computer the data does not hold, placed where --ou says (data without
 * computers: Get-GPOReport XML, backups). */
static const GpComputer *
hypothetical_computer(GpCliData *data, const char *name, const char *ou)
{
  g_autofree char *dn = g_strdup_printf("CN=%s,%s", name, ou);
  GpComputer *computer = gp_model_ensure_computer(data->model, dn);

  fprintf(stderr, "gpsim: note: '%s' is not in the data: modeled as a new computer in %s\n", name,
          ou);
  return computer;
}

const GpComputer *
gp_cli_find_computer(GpCliData *data, const GpCliOptions *options)
{
  const char *name = options->computer ? options->computer : "LOCAL";
  g_autoptr(GPtrArray) found = gp_model_find_computers(data->model, name);
  g_autofree char *list = NULL;

  if (found->len == 1)
    return g_ptr_array_index(found, 0);
  if (found->len == 0 && options->ou)
    return hypothetical_computer(data, name, options->ou);
  if (found->len == 0) {
    list = candidates_text(gp_model_computers(data->model), FALSE);
    fprintf(stderr,
            "gpsim: error: no computer named '%s' in the data; computers: %s (or give --ou DN "
            "to model a new one)\n",
            name, list);
  } else {
    list = candidates_text(found, TRUE);
    fprintf(stderr, "gpsim: error: '%s' names %u computers; give one DN: %s\n", name, found->len,
            list);
  }
  return NULL;
}

/* ---- reports and labs: explain --trace, --format html|dot ---- */
static void
add_explain_entries(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "trace", 0, 0, G_OPTION_ARG_NONE, &options->trace,
      "show the computation as numbered steps keyed to the rules (text format)", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries(context, entries, NULL);
}

/* explain's formats: text, json, html, dot; --trace only with text. */
static gboolean
check_explain_format(const GpCliOptions *options)
{
  static const char *const formats[] = { "text", "json", "html", "dot" };

  if (options->trace && g_strcmp0(options->format, "text") != 0) {
    gp_cli_fail(GP_EXIT_USAGE, "explain --trace goes with --format text");
    return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS(formats); i++)
    if (g_strcmp0(options->format, formats[i]) == 0)
      return TRUE;
  gp_cli_fail(GP_EXIT_USAGE, "explain --format takes 'text', 'json', 'html' or 'dot'");
  return FALSE;
}

/* TRUE when --trace, html or dot rendered @result into @out. */
static gboolean
render_report(const GpCliData *data, const GpCliOptions *options, const GpResult *result,
              GString *out)
{
  g_autofree char *text = NULL;

  if (options->trace)
    gp_render_trace_explain(data->model, result, out);
  else if (g_strcmp0(options->format, "html") == 0)
    text = gp_render_html_explain(data->model, result);
  else if (g_strcmp0(options->format, "dot") == 0)
    text = gp_render_dot_explain(result);
  else
    return FALSE;
  if (text)
    g_string_append(out, text);
  return TRUE;
}
/* ---- reports and labs: end ---- */

static gboolean
render_one(const GpCliData *data, const GpCliOptions *options, const GpComputer *computer,
           GString *out, GError **error)
{
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  g_autoptr(GpResult) result = gp_engine_evaluate(data->model, computer, &engine, error);
  g_autofree char *json = NULL;

  if (!result)
    return FALSE;
  if (render_report(data, options, result, out)) /* reports and labs */
    return TRUE;
  if (g_strcmp0(options->format, "text") == 0) {
    gp_render_text_explain(data->model, result, out);
    return TRUE;
  }
  json = gp_render_json_explain(data->model, result, g_strcmp0(options->format, "json") == 0);
  g_string_append_printf(out, "%s\n", json);
  return TRUE;
}

/* ------------------------------------------------------------ load progress
 *
 * On a terminal, a load that takes more than a second shows how much of its
 * input has been read: a thread compares the bytes this process has read
 * (/proc/self/io rchar) with the size of the files given.  Never in pipes. */

typedef struct {
  const GpCliOptions *options;
  GMutex lock;
  GCond cond;
  gboolean done;
} LoadProgress;

static guint64
bytes_read_so_far(void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents("/proc/self/io", &text, NULL, NULL) || !(line = strstr(text, "rchar:")))
    return 0;
  return g_ascii_strtoull(line + 6, NULL, 10);
}

/* The size of @path, or of every file under it (symbolic links not followed). */
static guint64
path_bytes(const char *path, guint depth)
{
  GStatBuf st;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint64 total = 0;

  if (g_lstat(path, &st) != 0)
    return 0;
  if (!S_ISDIR(st.st_mode) || depth == 0)
    return S_ISREG(st.st_mode) ? (guint64)st.st_size : 0;
  dir = g_dir_open(path, 0, NULL);
  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *child = g_build_filename(path, name, NULL);
    total += path_bytes(child, depth - 1);
  }
  return total;
}

static guint64
input_bytes(const GpCliOptions *options)
{
  char **lists[] = { options->ldif,   options->sysvol,        options->gpreport,
                     options->backup, options->gpinheritance, options->input };
  guint64 total = 0;

  for (guint k = 0; k < G_N_ELEMENTS(lists); k++)
    for (guint i = 0; lists[k] && lists[k][i]; i++)
      total += path_bytes(lists[k][i], 12);
  return total;
}

static gpointer
load_progress_thread(gpointer data)
{
  LoadProgress *progress = data;
  guint64 start = bytes_read_so_far(), total = 0;
  gint64 deadline = g_get_monotonic_time() + G_USEC_PER_SEC;
  gboolean shown = FALSE;

  g_mutex_lock(&progress->lock);
  while (!progress->done) {
    if (g_cond_wait_until(&progress->cond, &progress->lock, deadline) || progress->done)
      continue;
    if (!shown)
      total = MAX(input_bytes(progress->options), 1);
    shown = TRUE;
    guint64 done = MIN(bytes_read_so_far() - start, total);
    fprintf(stderr,
            "\rgpsim: loading %3u%% (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " MB read)",
            (guint)(done * 100 / total), done >> 20, total >> 20);
    deadline = g_get_monotonic_time() + G_USEC_PER_SEC / 4;
  }
  g_mutex_unlock(&progress->lock);
  if (shown)
    fprintf(stderr, "\rgpsim: loading done%40s\n", "");
  return NULL;
}

static gboolean
load_with_progress(const GpCliOptions *options, GpCliData *data, GError **error)
{
  LoadProgress progress = { options, { 0 }, { 0 }, FALSE };
  GThread *thread;
  gboolean loaded;

  if (!isatty(fileno(stderr)))
    return gp_cli_load(options, data, error);
  g_mutex_init(&progress.lock);
  g_cond_init(&progress.cond);
  thread = g_thread_new("load-progress", load_progress_thread, &progress);
  loaded = gp_cli_load(options, data, error);
  g_mutex_lock(&progress.lock);
  progress.done = TRUE;
  g_cond_signal(&progress.cond);
  g_mutex_unlock(&progress.lock);
  g_thread_join(thread);
  g_mutex_clear(&progress.lock);
  g_cond_clear(&progress.cond);
  return loaded;
}

/* Large LDIF exports are read for one computer only (GpLdifOptions) when a
 * command asks about one: below this, the whole load is quick anyway. */
#define ONE_COMPUTER_MIN_LDIF_BYTES (32u << 20)

static gboolean
read_for_one_computer(const GpCliOptions *options)
{
  guint64 bytes = 0;

  if (!options->one_computer || !options->computer)
    return FALSE;
  for (guint i = 0; options->ldif && options->ldif[i]; i++)
    bytes += path_bytes(options->ldif[i], 0);
  return bytes >= ONE_COMPUTER_MIN_LDIF_BYTES;
}

static gboolean
has_computer(const GpCliData *data, const char *name)
{
  g_autoptr(GPtrArray) found = gp_model_find_computers(data->model, name);

  return found->len > 0;
}

/* Loads for one computer when that is worth it (see GpCliOptions.one_computer);
 * when the computer is not there, loads again in full, so that what follows
 * (an error listing the computers, a new one placed with --ou) sees them all. */
static gboolean
load_for_command(const GpCliOptions *options, GpCliData *data, GError **error)
{
  GpCliOptions full = *options;

  full.one_computer = read_for_one_computer(options);
  if (!load_with_progress(&full, data, error))
    return FALSE;
  if (!full.one_computer || has_computer(data, options->computer))
    return TRUE;
  gp_cli_data_clear(data);
  full.one_computer = FALSE;
  return load_with_progress(&full, data, error);
}

int
gp_cli_load_data(const GpCliOptions *options, GpCliData *data)
{
  g_autoptr(GError) error = NULL;
  gboolean loaded = load_for_command(options, data, &error);

  gp_cli_print_diags(data->diags);
  if (!loaded)
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  if (!gp_cli_resolve_modeling(options, data, &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  return GP_EXIT_OK;
}

gboolean
gp_cli_check_format(const GpCliOptions *options, const char *command, const char *a, const char *b)
{
  g_autofree char *message = NULL;

  if (g_strcmp0(options->format, a) == 0 || g_strcmp0(options->format, b) == 0)
    return TRUE;
  message = g_strdup_printf("%s --format takes '%s' or '%s'", command, a, b);
  gp_cli_fail(GP_EXIT_USAGE, message);
  return FALSE;
}

gboolean
gp_cli_check_format_html(const GpCliOptions *options, const char *command)
{
  g_autofree char *message = NULL;

  if (g_strcmp0(options->format, "html") == 0)
    return TRUE;
  if (g_strcmp0(options->format, "text") == 0 || g_strcmp0(options->format, "json") == 0)
    return TRUE;
  message = g_strdup_printf("%s --format takes 'text', 'json' or 'html'", command);
  gp_cli_fail(GP_EXIT_USAGE, message);
  return FALSE;
}

static int
run_explain(GpCliOptions *options, char **positionals)
{
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  const GpComputer *computer;
  int status;

  (void)positionals;
  if (!check_explain_format(options)) /* reports and labs */
    return GP_EXIT_USAGE;
  options->one_computer = options->computer != NULL;
  if ((status = gp_cli_load_data(options, &data)) != GP_EXIT_OK)
    return status;
  if (!options->computer && !data.standalone)
    return gp_cli_fail(GP_EXIT_USAGE, "explain needs --computer NAME (see 'gpsim explain --help')");
  if (!(computer = gp_cli_find_computer(&data, options)))
    return GP_EXIT_USAGE;
  if (!render_one(&data, options, computer, out, &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  return gp_cli_emit(options, out);
}

static const Command commands[] = {
  { "explain", "explain the rights of one computer (--computer NAME)", "text", run_explain, FALSE,
    add_explain_entries },
  { "rsop", "the result for every computer, one JSON object a line", "jsonl", gp_cmd_rsop, FALSE,
    NULL },
  { "show", "what was read from the data: domains, SOMs, links, GPOs, rights", "text", gp_cmd_show,
    TRUE, NULL },
  { "verify", "compare the simulation with a gpresult /x file (--rsop FILE)", "text", gp_cmd_verify,
    FALSE, NULL },
  { "whatif", "what a planned change (PLAN file or --change) would do", "text", gp_cmd_whatif, TRUE,
    gp_cmd_whatif_options },
  { "diff", "what changed between two snapshots of data (OLD NEW)", "text", gp_cmd_diff, TRUE,
    gp_cmd_whatif_options },
  { "audit", "check effective holders against a baseline (exit 5 on findings)", "text",
    gp_cmd_audit, FALSE, gp_cmd_audit_options },
  { "who-has", "where a principal holds a right, and what would remove it", "text", gp_cmd_who_has,
    FALSE, gp_cmd_who_has_options },
  { "token", "the groups and rights of an account's token on a computer", "text", gp_cmd_token,
    FALSE, gp_cmd_token_options },
  { "can-impersonate", "can a server account impersonate a client, and why", "text",
    gp_cmd_can_impersonate, FALSE, gp_cmd_can_impersonate_options },
  { "lab", "training labs: lab list|show|answer|new, and lab generate", "text", gp_cmd_lab, TRUE,
    gp_cmd_lab_options },
  { "snapshot", "save what --dc reads (LDIF + SYSVOL) for offline runs (--out DIR)", "text",
    gp_cmd_snapshot, FALSE, gp_cmd_snapshot_options },
};

static void
print_usage(FILE *out)
{
  fputs("usage: gpsim COMMAND [OPTIONS]\n\n"
        "Who effectively holds a Windows user right on a computer, and which GPO decided it.\n\n"
        "Commands:\n",
        out);
  for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-16s %s\n", commands[i].name, commands[i].summary);
  fputs("\nWith no data option, the bundled contoso lab is used.\n"
        "'gpsim COMMAND --help' lists the options.  Exit codes: 0 success, 1 usage error,\n"
        "2 input error, 3 internal error, 4 verify found a mismatch, 5 audit findings,\n"
        "6 lab answer not quite.\n",
        out);
}

static int
parse_command(const Command *command, int *argc, char ***argv, GpCliOptions *options)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title
      = g_strdup_printf("%s%s - %s", command->name,
                        command->takes_positionals ? " [SOURCE...]" : "", command->summary);

  context = g_option_context_new(title);
  add_data_entries(context, options);
  add_modeling_entries(context, options);
  gp_cli_live_entries(context, options);
  if (command->add_options)
    command->add_options(context, options);
  if (!g_option_context_parse(context, argc, argv, &error)
      || !gp_cli_check_options(options, &error))
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  if (*argc > 1 && !command->takes_positionals) {
    g_autofree char *message = g_strdup_printf("unexpected argument '%s'", (*argv)[1]);
    return gp_cli_fail(GP_EXIT_USAGE, message);
  }
  if (!options->format)
    options->format = g_strdup(command->default_format);
  return GP_EXIT_OK;
}

static const Command *
find_command(const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int
dispatch(int argc, char **argv)
{
  /* GOption rearranges the array it parses and drops what it consumed, so it
   * gets a shallow copy; the strings stay owned (and freed) by args. */
  g_auto(GStrv) args = g_strdupv(argv);
  g_autofree char **parse_argv = g_memdup2(args + 1, sizeof(char *) * (gsize)argc);
  int parse_argc = argc - 1;
  g_auto(GpCliOptions) options = { 0 };
  const Command *command;
  int status;

  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? GP_EXIT_USAGE : GP_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("gpsim %s\n", GP_VERSION);
    return GP_EXIT_OK;
  }
  if (!(command = find_command(argv[1]))) {
    fprintf(stderr, "gpsim: error: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return GP_EXIT_USAGE;
  }
  status = parse_command(command, &parse_argc, &parse_argv, &options);
  if (status != GP_EXIT_OK)
    return status;
  return command->run(&options, parse_argv + 1);
}

int
main(int argc, char **argv)
{
#ifdef M_MXFAST
  /* No fastbins: loading a million computers frees millions of small blocks,
   * and consolidating them took a tenth of the time (perf, tests/bench). */
  mallopt(M_MXFAST, 0);
#endif
  setlocale(LC_ALL, "");
  return dispatch(argc, argv);
}
