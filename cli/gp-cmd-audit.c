/* stub: being written */
#include "gp-cli.h"

int
gp_cmd_audit(GpCliOptions *options, char **positionals)
{
  (void)options;
  (void)positionals;
  return gp_cli_fail(GP_EXIT_USAGE, "not implemented yet");
}

void
gp_cmd_audit_options(GOptionContext *context, GpCliOptions *options)
{
  (void)context;
  (void)options;
}
