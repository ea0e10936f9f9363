/* gp-diag.h - recoverable findings reported while loading input.
 *
 * Two channels carry problems out of a loader (see the README, "Errors"):
 *  - a GError in the GP_LOAD_ERROR domain: this input could not be loaded at all;
 *  - a GpDiagnostic appended to a caller-owned GPtrArray: something was skipped or
 *    assumed, loading went on.  Nothing a loader drops goes unreported.
 */
#ifndef GP_DIAG_H
#define GP_DIAG_H

#include <glib.h>

G_BEGIN_DECLS

#define GP_LOAD_ERROR gp_load_error_quark()
GQuark gp_load_error_quark(void);

typedef enum {
  GP_LOAD_ERROR_IO,       /* cannot open or read the file */
  GP_LOAD_ERROR_ENCODING, /* bytes are not valid in any encoding we accept */
  GP_LOAD_ERROR_SYNTAX,   /* not the format it claims to be */
  GP_LOAD_ERROR_LIMIT,    /* over a configured size limit */
} GpLoadError;

typedef enum {
  GP_SEVERITY_NOTE,
  GP_SEVERITY_WARNING,
} GpSeverity;

typedef struct {
  GpSeverity severity;
  char *file;    /* (nullable) */
  guint line;    /* 1-based; 0 when the finding is not tied to a line */
  char *message; /* lower case first, no final period */
} GpDiagnostic;

/* Appends a finding to @diags (a GPtrArray created by gp_diag_list_new()).
 * @diags may be NULL, in which case the finding is discarded: only tests do that. */
void gp_diag_add(GPtrArray *diags, GpSeverity severity, const char *file, guint line,
                 const char *format, ...) G_GNUC_PRINTF(5, 6);

/* Returns: (transfer full): an empty list whose elements free themselves. */
GPtrArray *gp_diag_list_new(void);

void gp_diagnostic_free(GpDiagnostic *diag);

/* Formats "file:line: warning: message" (parts omitted when absent).
 * Returns: (transfer full) */
char *gp_diagnostic_format(const GpDiagnostic *diag);

/* Sets @error to "FILE:LINE: MESSAGE" in the GP_LOAD_ERROR domain (line 0 omits it). */
void gp_set_load_error(GError **error, GpLoadError code, const char *file, guint line,
                       const char *format, ...) G_GNUC_PRINTF(5, 6);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpDiagnostic, gp_diagnostic_free)

G_END_DECLS

#endif
