/* gp-diag.c - recoverable findings and load errors; see gp-diag.h. */
#include "gp-diag.h"

/* The first argument is the quark's name as written. */
/* clang-format off */
G_DEFINE_QUARK(gp-load-error-quark, gp_load_error)
/* clang-format on */

GPtrArray *
gp_diag_list_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)gp_diagnostic_free);
}

void
gp_diagnostic_free(GpDiagnostic *diag)
{
  if (!diag)
    return;
  g_free(diag->file);
  g_free(diag->message);
  g_free(diag);
}

void
gp_diag_add(GPtrArray *diags, GpSeverity severity, const char *file, guint line, const char *format,
            ...)
{
  va_list args;
  GpDiagnostic *diag;

  if (!diags)
    return;
  diag = g_new0(GpDiagnostic, 1);
  diag->severity = severity;
  diag->file = g_strdup(file);
  diag->line = line;
  va_start(args, format);
  diag->message = g_strdup_vprintf(format, args);
  va_end(args);
  g_ptr_array_add(diags, diag);
}

static char *
location_prefix(const char *file, guint line)
{
  if (file && line > 0)
    return g_strdup_printf("%s:%u: ", file, line);
  if (file)
    return g_strdup_printf("%s: ", file);
  return g_strdup("");
}

char *
gp_diagnostic_format(const GpDiagnostic *diag)
{
  g_autofree char *where = location_prefix(diag->file, diag->line);
  const char *kind = diag->severity == GP_SEVERITY_WARNING ? "warning" : "note";

  return g_strdup_printf("%s%s: %s", where, kind, diag->message);
}

void
gp_set_load_error(GError **error, GpLoadError code, const char *file, guint line,
                  const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *where = location_prefix(file, line);

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(error, GP_LOAD_ERROR, code, "%s%s", where, message);
}
