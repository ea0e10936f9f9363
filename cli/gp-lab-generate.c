/* stub: being written */
#include "gp-cli.h"

int
gp_lab_generate(GpCliOptions *options, char **args)
{
  (void)options;
  (void)args;
  return gp_cli_fail(GP_EXIT_USAGE, "lab generate: not implemented yet");
}
