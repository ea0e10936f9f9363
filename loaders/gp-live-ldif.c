/* gp-live-ldif.c - writing LDIF (RFC 2849) the way ldapsearch does.
 *
 * Exports gp_live_ldif_append() (gp-live.h).  Values that are not SAFE-STRINGs
 * (binary objectSid and nTSecurityDescriptor, non-ASCII names, values starting
 * with a space, ':' or '<', or ending with a space) are written base64 ("::"),
 * and every line is folded at 76 columns, continuation lines starting with one
 * space.  gp-ldif.c reads the result back.
 */
#include <string.h>

#include "gp-live.h"

#define LDIF_LINE_WIDTH 76

static gboolean
is_safe_char(guchar c)
{
  /* SAFE-CHAR less the control characters ldapsearch also encodes. */
  return c >= 0x20 && c < 0x7f;
}

static gboolean
is_safe_string(const guchar *value, gsize len)
{
  if (len == 0)
    return TRUE;
  if (value[0] == ' ' || value[0] == ':' || value[0] == '<' || value[len - 1] == ' ')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!is_safe_char(value[i]))
      return FALSE;
  return TRUE;
}

/* Appends @line folded: LDIF_LINE_WIDTH characters on the first line, then a
 * space and LDIF_LINE_WIDTH - 1 characters on each continuation line. */
static void
append_folded(GString *out, const char *line, gsize len)
{
  gsize width = LDIF_LINE_WIDTH;
  gsize done = 0;

  while (len - done > width) {
    g_string_append_len(out, line + done, (gssize)width);
    g_string_append(out, "\n ");
    done += width;
    width = LDIF_LINE_WIDTH - 1;
  }
  g_string_append_len(out, line + done, (gssize)(len - done));
  g_string_append_c(out, '\n');
}

void
gp_live_ldif_append(GString *out, const char *attr, const void *value, gsize len)
{
  g_autoptr(GString) line = g_string_new(NULL);
  const guchar *bytes = value;

  g_return_if_fail(out != NULL && attr != NULL && (value != NULL || len == 0));

  if (g_ascii_strcasecmp(attr, "dn") == 0 && out->len > 0)
    g_string_append_c(out, '\n');
  g_string_append(line, attr);
  if (is_safe_string(bytes, len)) {
    g_string_append_c(line, ':');
    if (len > 0)
      g_string_append_c(line, ' ');
    g_string_append_len(line, value, (gssize)len);
  } else {
    g_autofree char *encoded = g_base64_encode(bytes, len);
    g_string_append_printf(line, ":: %s", encoded);
  }
  append_folded(out, line->str, line->len);
}
