/* gp-cmd-lab.c - `gpsim lab VERB ...`: the generator and the training exercises.
 *
 *   gpsim lab generate --seed S --computers N --ous N --gpos N --sites N --domains N --out DIR
 *   gpsim lab list | show NAME|DIR | answer NAME|DIR Q "ANSWER" | new --seed S [--out DIR]
 */
#include <string.h>

#include "gp-cli.h"

void
gp_cmd_lab_options(GOptionContext *context, GpCliOptions *options)
{
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options->seed, "random seed (same seed, same lab)", "S" },
    { "computers", 0, 0, G_OPTION_ARG_INT64, &options->computers, "computers to generate", "N" },
    { "ous", 0, 0, G_OPTION_ARG_INT64, &options->ous, "OUs to generate", "N" },
    { "gpos", 0, 0, G_OPTION_ARG_INT64, &options->gpos, "GPOs to generate", "N" },
    { "sites", 0, 0, G_OPTION_ARG_INT64, &options->sites, "sites to generate", "N" },
    { "domains", 0, 0, G_OPTION_ARG_INT64, &options->domains, "domains to generate", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &options->out, "folder to write the lab to", "DIR" },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  GOptionGroup *group = g_option_group_new("lab", "Lab options:", "Show lab options", NULL, NULL);

  g_option_group_add_entries(group, entries);
  g_option_context_add_group(context, group);
}

int
gp_cmd_lab(GpCliOptions *options, char **positionals)
{
  const char *verb = positionals ? positionals[0] : NULL;

  if (!verb)
    return gp_cli_fail(GP_EXIT_USAGE,
                       "lab needs a verb: list, show NAME, answer NAME Q ANSWER, new, generate");
  if (strcmp(verb, "generate") == 0)
    return gp_lab_generate(options, positionals + 1);
  return gp_lab_exercise(options, verb, positionals + 1);
}
