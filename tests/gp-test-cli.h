/* gp-test-cli.h - running the real gpsim binary from end-to-end suites.
 *
 * GP_TEST_WRAPPER (e.g. "valgrind --error-exitcode=97 ...") prefixes every
 * command: `make test-valgrind` runs these suites under valgrind that way, and
 * a run the wrapper flags fails the test.
 */
#ifndef GP_TEST_CLI_H
#define GP_TEST_CLI_H

#include <json-glib/json-glib.h>

#include "gp-test.h"

/* The exit status valgrind is told to use when it finds an error or a leak. */
#define GP_TEST_WRAPPER_FAILURE 97

typedef struct {
  int status;
  char *out;
  char *err;
} GpTestRun;

void gp_test_run_clear(GpTestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(GpTestRun, gp_test_run_clear)

/* Runs gpsim with @args (NULL-terminated) and collects its status and output. */
void gp_test_run(GpTestRun *run, const char *const *args);

/* Returns: (transfer full) (nullable): @text parsed; a test failure when it is not JSON. */
JsonNode *gp_test_json(const char *text);

/* Returns: (transfer none) (nullable): a string member, NULL when absent or null. */
const char *gp_test_json_string(JsonObject *object, const char *member);

#endif
