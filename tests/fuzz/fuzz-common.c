/* fuzz-common.c - see fuzz-common.h. */
#include "fuzz-common.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fuzz_init();
  return 0;
}

/* A critical or a warning is a precondition failure: abort(), which libFuzzer
 * catches and saves a reproducer for (GLib's own fatal path raises SIGTRAP,
 * which libFuzzer does not handle). */
static void
fuzz_log_handler(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  (void)data;
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) {
    g_printerr("fuzz: %s%s%s\n", domain ? domain : "", domain ? ": " : "", message);
    abort();
  }
}

void
fuzz_init(void)
{
  g_log_set_default_handler(fuzz_log_handler, NULL);
}

GpModel *
fuzz_model_new(void)
{
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GError) error = NULL;

  if (!gp_data_load_rights(GP_FUZZ_DATADIR "/user-rights.tsv", model, &error)
      || !gp_data_load_sids(GP_FUZZ_DATADIR "/well-known-sids.tsv", model, &error)) {
    g_printerr("fuzz: cannot load gpsim's data: %s\n", error->message);
    abort();
  }
  return g_steal_pointer(&model);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr(data, '\0', size);

  return g_strndup((const char *)data, nul ? (gsize)(nul - data) : size);
}

void
fuzz_check_result(gboolean ok, const GError *error)
{
  if (ok && error == NULL)
    return;
  if (!ok && error != NULL && error->domain == GP_LOAD_ERROR && error->message != NULL)
    return;
  g_printerr("fuzz: broken contract: returned %s with error %s\n", ok ? "TRUE" : "FALSE",
             error ? error->message : "(none)");
  abort();
}

void
fuzz_evaluate_computer(const GpModel *model, const GpComputer *computer,
                       const GpEngineOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GpResult) result = gp_engine_evaluate(model, computer, options, &error);

  /* Without --right there is no name to be unknown: evaluation cannot fail. */
  if (result == NULL) {
    g_printerr("fuzz: evaluation failed: %s\n", error ? error->message : "(no error)");
    abort();
  }
}

void
fuzz_evaluate(GpModel *model, guint max)
{
  const GPtrArray *computers;

  gp_model_complete(model);
  computers = gp_model_computers(model);
  for (guint i = 0; i < computers->len && i < max; i++)
    fuzz_evaluate_computer(model, g_ptr_array_index(computers, i), NULL);
}
