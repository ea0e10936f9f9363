/* gpsim.c - command dispatch and option parsing.
 *
 *   gpsim explain --computer NAME [--right R]... [data options] [--format text|json]
 *   gpsim rsop [--right R]... [data options] [--format jsonl|text]
 *
 * Exit codes: 0 success, 1 usage error, 2 input error, 3 internal error.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gp-cli.h"

#define MAX_LISTED_CANDIDATES 20

typedef struct {
  GpCliOptions data;
} Command;

static void
command_clear(Command *command)
{
  gp_cli_options_clear(&command->data);
}

static int
fail(GpExitCode code, const char *message)
{
  fprintf(stderr, "gpsim: error: %s\n", message);
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
    { "local", 0, 0, G_OPTION_ARG_FILENAME, &options->local,
      "the computer's local policy: a 'secedit /export' file", "INF" },
    { "site", 0, 0, G_OPTION_ARG_STRING, &options->site, "the computer's site (\"\" for none)",
      "NAME" },
    { "right", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->rights,
      "user right to explain (constant or display name); repeatable", "R" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format, "output format", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
      "write to FILE (atomically) instead of standard output", "FILE" },
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

  g_option_context_add_main_entries(context, entries, NULL);
}

/* Writes @text to --output atomically, or to standard output. */
static int
emit(const GpCliOptions *options, const GString *text)
{
  g_autoptr(GError) error = NULL;

  if (!options->output) {
    fwrite(text->str, 1, text->len, stdout);
    return fflush(stdout) == 0 ? GP_EXIT_OK : fail(GP_EXIT_INPUT, "cannot write standard output");
  }
  if (!g_file_set_contents(options->output, text->str, (gssize)text->len, &error))
    return fail(GP_EXIT_INPUT, error->message);
  return GP_EXIT_OK;
}

static char *
candidates_text(const GPtrArray *computers, gboolean with_dn)
{
  g_autoptr(GString) text = g_string_new(NULL);

  for (guint i = 0; i < computers->len && i < MAX_LISTED_CANDIDATES; i++) {
    const GpComputer *computer = g_ptr_array_index(computers, i);
    g_string_append_printf(text, "%s%s", i ? ", " : "", with_dn ? computer->dn : computer->cn);
  }
  if (computers->len > MAX_LISTED_CANDIDATES)
    g_string_append_printf(text, " and %u more", computers->len - MAX_LISTED_CANDIDATES);
  if (computers->len == 0)
    g_string_append(text, "(none)");
  return g_string_free(g_steal_pointer(&text), FALSE);
}

/* Returns the one computer named @name, or NULL after printing why not. */
static const GpComputer *
find_computer(const GpModel *model, const char *name)
{
  g_autoptr(GPtrArray) found = gp_model_find_computers(model, name);
  g_autofree char *list = NULL;

  if (found->len == 1)
    return g_ptr_array_index(found, 0);
  if (found->len == 0) {
    list = candidates_text(gp_model_computers(model), FALSE);
    fprintf(stderr, "gpsim: error: no computer named '%s' in the data; computers: %s\n", name,
            list);
  } else {
    list = candidates_text(found, TRUE);
    fprintf(stderr, "gpsim: error: '%s' names %u computers; give one DN: %s\n", name, found->len,
            list);
  }
  return NULL;
}

static gboolean
render_one(const GpCliData *data, const GpCliOptions *options, const GpComputer *computer,
           GString *out, GError **error)
{
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  g_autoptr(GpResult) result = gp_engine_evaluate(data->model, computer, &engine, error);
  g_autofree char *json = NULL;

  if (!result)
    return FALSE;
  if (g_strcmp0(options->format, "text") == 0) {
    gp_render_text_explain(data->model, result, out);
    return TRUE;
  }
  json = gp_render_json_explain(data->model, result, g_strcmp0(options->format, "json") == 0);
  g_string_append_printf(out, "%s\n", json);
  return TRUE;
}

static int
load_data(const GpCliOptions *options, GpCliData *data)
{
  g_autoptr(GError) error = NULL;
  gboolean loaded = gp_cli_load(options, data, &error);

  gp_cli_print_diags(data->diags);
  if (!loaded)
    return fail(GP_EXIT_INPUT, error->message);
  if (!gp_cli_resolve_modeling(options, data, &error))
    return fail(GP_EXIT_USAGE, error->message);
  return GP_EXIT_OK;
}

static int
run_explain(Command *command)
{
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  const GpComputer *computer;
  int status;

  gboolean standalone = command->data.local && !command->data.ldif && !command->data.sysvol;

  if (!command->data.computer && !standalone)
    return fail(GP_EXIT_USAGE, "explain needs --computer NAME (see 'gpsim explain --help')");
  if (g_strcmp0(command->data.format, "text") != 0 && g_strcmp0(command->data.format, "json") != 0)
    return fail(GP_EXIT_USAGE, "explain --format takes 'text' or 'json'");
  if ((status = load_data(&command->data, &data)) != GP_EXIT_OK)
    return status;
  if (!(computer = find_computer(data.model, data.standalone && !command->data.computer
                                                  ? "LOCAL"
                                                  : command->data.computer)))
    return GP_EXIT_USAGE;
  if (!render_one(&data, &command->data, computer, out, &error))
    return fail(GP_EXIT_USAGE, error->message);
  return emit(&command->data, out);
}

static int
run_rsop(Command *command)
{
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  const GPtrArray *computers;
  int status;

  if (g_strcmp0(command->data.format, "jsonl") != 0 && g_strcmp0(command->data.format, "text") != 0)
    return fail(GP_EXIT_USAGE, "rsop --format takes 'jsonl' or 'text'");
  if ((status = load_data(&command->data, &data)) != GP_EXIT_OK)
    return status;
  computers = gp_model_computers(data.model);
  for (guint i = 0; i < computers->len; i++) {
    if (i > 0 && g_strcmp0(command->data.format, "text") == 0)
      g_string_append(out,
                      "\n----------------------------------------------------------------\n\n");
    if (!render_one(&data, &command->data, g_ptr_array_index(computers, i), out, &error))
      return fail(GP_EXIT_USAGE, error->message);
  }
  return emit(&command->data, out);
}

static const char usage_text[]
    = "usage: gpsim COMMAND [OPTIONS]\n"
      "\n"
      "Who effectively holds a Windows user right on a computer, and which GPO decided it.\n"
      "\n"
      "Commands:\n"
      "  explain --computer NAME   explain the rights of one computer\n"
      "  rsop                      the result for every computer, one JSON object a line\n"
      "\n"
      "With no --ldif/--sysvol, the bundled contoso lab is used.\n"
      "'gpsim COMMAND --help' lists the options.  Exit codes: 0 success, 1 usage error,\n"
      "2 input error, 3 internal error.\n";

static int
parse_command(const char *name, int *argc, char ***argv, Command *command)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry explain_entries[] = {
    { "computer", 'c', 0, G_OPTION_ARG_STRING, &command->data.computer,
      "cn, sAMAccountName, dNSHostName or DN of the computer", "NAME" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  g_autofree char *title = g_strdup_printf("%s - gpsim", name);

  context = g_option_context_new(title);
  if (strcmp(name, "explain") == 0)
    g_option_context_add_main_entries(context, explain_entries, NULL);
  add_data_entries(context, &command->data);
  if (!g_option_context_parse(context, argc, argv, &error))
    return fail(GP_EXIT_USAGE, error->message);
  if (*argc > 1) {
    g_autofree char *message = g_strdup_printf("unexpected argument '%s'", (*argv)[1]);
    return fail(GP_EXIT_USAGE, message);
  }
  return GP_EXIT_OK;
}

static int
dispatch(int argc, char **argv)
{
  g_auto(GStrv) args = g_strdupv(argv);
  char **parse_argv = args + 1;
  int parse_argc = argc - 1;
  Command command = { 0 };
  int status;

  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(usage_text, argc < 2 ? stderr : stdout);
    return argc < 2 ? GP_EXIT_USAGE : GP_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("gpsim %s\n", GP_VERSION);
    return GP_EXIT_OK;
  }
  if (strcmp(argv[1], "explain") != 0 && strcmp(argv[1], "rsop") != 0) {
    fprintf(stderr, "gpsim: error: unknown command '%s'\n%s", argv[1], usage_text);
    return GP_EXIT_USAGE;
  }
  status = parse_command(argv[1], &parse_argc, &parse_argv, &command);
  if (status == GP_EXIT_OK) {
    if (!command.data.format)
      command.data.format = g_strdup(strcmp(argv[1], "rsop") == 0 ? "jsonl" : "text");
    status = strcmp(argv[1], "explain") == 0 ? run_explain(&command) : run_rsop(&command);
  }
  command_clear(&command);
  return status;
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  return dispatch(argc, argv);
}
