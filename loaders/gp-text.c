/* gp-text.c - decoding text files the way Windows writes them.
 *
 * Exports gp_text_decode().  Security templates and XML reports are UTF-16LE
 * with a BOM, GPMC bookkeeping is UTF-8, hand-made files may be anything
 * (formats.md section 0).  The line parsers want NUL-free UTF-8, so text input
 * goes through here first.  Offsets in errors count bytes from the start of the
 * file, BOM included, so a user can find them with a hex viewer.
 */
#include "gp-loaders.h"

#include <string.h>

#define SAVE_AS_HINT "save the file as UTF-16LE or UTF-8"

static void
set_error_at(GError **error, const char *file, const char *what, gsize offset)
{
  gp_set_load_error(error, GP_LOAD_ERROR_ENCODING, file, 0,
                    "%s at byte %" G_GSIZE_FORMAT "; " SAVE_AS_HINT, what, offset);
}

/* Returns: the offset of the first all-zero code unit of @unit bytes, or -1.
 * A NUL would cut the decoded C string short, so it is never let through. */
static gssize
find_nul(const char *data, gsize len, gsize unit)
{
  for (gsize i = 0; i + unit <= len; i += unit)
    if (data[i] == '\0' && (unit == 1 || data[i + 1] == '\0'))
      return (gssize)i;
  return -1;
}

/* Converts all of @data to UTF-8 with iconv.  @base is where @data starts in
 * the file, so that the offset in the error is the file's.
 * Returns: (transfer full) (nullable) */
static char *
convert_to_utf8(const char *data, gsize len, gsize base, const char *from, const char *what,
                const char *file, GError **error)
{
  g_autoptr(GError) local = NULL;
  gsize bytes_read = 0;
  g_autofree char *out = g_convert(data, (gssize)len, "UTF-8", from, &bytes_read, NULL, &local);

  if (g_error_matches(local, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION)) {
    gp_set_load_error(error, GP_LOAD_ERROR_ENCODING, file, 0, "cannot decode %s: %s", from,
                      local->message);
    return NULL;
  }
  /* With bytes_read given, g_convert() reports a sequence cut at the end
   * (a lone high surrogate) as success with bytes_read < len. */
  if (out == NULL || bytes_read != len) {
    set_error_at(error, file, what, base + bytes_read);
    return NULL;
  }
  return g_steal_pointer(&out);
}

/* Returns: (transfer full) (nullable) */
static char *
decode_utf16le(const char *data, gsize len, gsize base, const char *file, GError **error)
{
  gsize even = len & ~(gsize)1;
  gssize nul = find_nul(data, even, 2);
  g_autofree char *text = NULL;

  if (nul >= 0) {
    set_error_at(error, file, "NUL character", base + (gsize)nul);
    return NULL;
  }
  /* Decode the whole code units first so that the earliest problem is named. */
  text = convert_to_utf8(data, even, base, "UTF-16LE", "invalid UTF-16LE", file, error);
  if (text == NULL)
    return NULL;
  if (even != len) {
    set_error_at(error, file, "invalid UTF-16LE", base + len - 1);
    return NULL;
  }
  return g_steal_pointer(&text);
}

/* Returns: (transfer full) (nullable) */
static char *
decode_utf8(const char *data, gsize len, gsize base, const char *file, GError **error)
{
  const char *end = NULL;
  gssize nul = find_nul(data, len, 1);

  if (nul >= 0) {
    set_error_at(error, file, "NUL character", base + (gsize)nul);
    return NULL;
  }
  if (!g_utf8_validate_len(data, len, &end)) {
    set_error_at(error, file, "invalid UTF-8", base + (gsize)(end - data));
    return NULL;
  }
  return g_strndup(data, len);
}

/* UTF-16LE text without a BOM shows itself by its zero high bytes: every ASCII
 * character has one.  Half of the code units is a generous threshold that
 * Windows-1252 or UTF-8 text (which has no NUL at all) never reaches. */
static gboolean
looks_like_utf16le(const char *data, gsize len)
{
  gsize units = len / 2;
  gsize zero_high = 0;

  for (gsize i = 1; i < len; i += 2)
    if (data[i] == '\0')
      zero_high++;
  return units > 0 && zero_high * 2 >= units;
}

/* Returns: (transfer full) (nullable) */
static char *
decode_unmarked(const char *data, gsize len, const char *file, const char **out_note,
                GError **error)
{
  gssize nul;

  if (g_utf8_validate_len(data, len, NULL)) {
    *out_note = "UTF-8";
    return g_strndup(data, len);
  }
  if (looks_like_utf16le(data, len)) {
    *out_note = "UTF-16LE without BOM";
    return decode_utf16le(data, len, 0, file, error);
  }
  nul = find_nul(data, len, 1);
  if (nul >= 0) {
    set_error_at(error, file, "NUL character", (gsize)nul);
    return NULL;
  }
  *out_note = "Windows-1252";
  return convert_to_utf8(data, len, 0, "WINDOWS-1252",
                         "invalid text (neither UTF-8 nor Windows-1252)", file, error);
}

char *
gp_text_decode(const char *data, gsize len, const char *file, const char **out_note, GError **error)
{
  const guchar *bytes = (const guchar *)data;
  const char *note = NULL;
  char *text;

  g_return_val_if_fail(data != NULL || len == 0, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  if (len == 0) {
    note = "empty";
    text = g_strdup("");
  } else if (len >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
    note = "UTF-16LE with BOM";
    text = decode_utf16le(data + 2, len - 2, 2, file, error);
  } else if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
    note = "UTF-8 with BOM";
    text = decode_utf8(data + 3, len - 3, 3, file, error);
  } else if (len >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) {
    gp_set_load_error(error, GP_LOAD_ERROR_ENCODING, file, 0,
                      "UTF-16BE is not supported; " SAVE_AS_HINT);
    return NULL;
  } else {
    text = decode_unmarked(data, len, file, &note, error);
  }
  if (text != NULL && out_note != NULL)
    *out_note = note;
  return text;
}
