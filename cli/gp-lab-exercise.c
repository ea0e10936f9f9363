/* stub: being written */
#include "gp-cli.h"

int
gp_lab_exercise(GpCliOptions *options, const char *verb, char **args)
{
  (void)options;
  (void)args;
  (void)verb;
  return gp_cli_fail(GP_EXIT_USAGE, "lab exercises: not implemented yet");
}
