/* gp-inf.c - security templates (GptTmpl.inf, secedit /export) and GPT.INI.
 *
 * Exports gp_inf_load_from_data(), gp_inf_load_file() and
 * gp_gptini_load_from_data().  Both formats are Windows INI text read by one
 * small hand-written line parser: GKeyFile does not fit (it knows no ';'
 * comments, rejects lines such as "Spooler",4,"" and reports no line numbers).
 * Only [Privilege Rights] is interpreted (formats.md a, precedence-rules.md
 * 2.5); every other section is kept as written.
 */
#include "gp-loaders.h"
#include "gp-names.h"

#include <string.h>

/* Real templates are a few KiB with lines under 2 KiB; these only stop hostile input. */
#define GP_INF_MAX_LINE  (64 * 1024)
#define GP_INF_MAX_BYTES (32 * 1024 * 1024)
/* Characters of input quoted in a message before it is cut with "...". */
#define GP_EXCERPT_CHARS 60

/* ------------------------------------------------------------ line reading */

/* A piece of the input: not NUL-terminated, never written to. */
typedef struct {
  const char *s;
  gsize n;
} Span;

typedef struct {
  const char *p;   /* next unread byte */
  const char *end; /* one past the input */
  guint number;    /* 1-based number of the line last returned */
} LineReader;

static void
line_reader_init(LineReader *reader, const char *data, gsize len)
{
  reader->p = data;
  reader->end = data + len;
  reader->number = 0;
}

/* Lines end at LF; a CR before it is dropped, so CRLF, LF and a mix all work. */
static gboolean
line_reader_next(LineReader *reader, Span *out_line)
{
  const char *start = reader->p;
  const char *newline;
  const char *stop;

  if (start >= reader->end)
    return FALSE;
  newline = memchr(start, '\n', (gsize)(reader->end - start));
  stop = newline ? newline : reader->end;
  reader->p = newline ? newline + 1 : reader->end;
  reader->number++;
  if (stop > start && stop[-1] == '\r')
    stop--;
  *out_line = (Span){ start, (gsize)(stop - start) };
  return TRUE;
}

static Span
span_strip(Span span)
{
  while (span.n > 0 && g_ascii_isspace(span.s[0])) {
    span.s++;
    span.n--;
  }
  while (span.n > 0 && g_ascii_isspace(span.s[span.n - 1]))
    span.n--;
  return span;
}

/* Splits @span at its first @sep into two stripped halves. */
static gboolean
span_split(Span span, char sep, Span *out_left, Span *out_right)
{
  const char *at = memchr(span.s, sep, span.n);

  if (at == NULL)
    return FALSE;
  *out_left = span_strip((Span){ span.s, (gsize)(at - span.s) });
  *out_right = span_strip((Span){ at + 1, span.n - (gsize)(at - span.s) - 1 });
  return TRUE;
}

/* INI section and key names compare case-insensitively. */
static gboolean
span_is(Span span, const char *word)
{
  return strlen(word) == span.n && g_ascii_strncasecmp(span.s, word, span.n) == 0;
}

static char *
span_dup(Span span)
{
  return g_strndup(span.s, span.n);
}

/* Returns: (transfer full): @span as valid UTF-8 and of readable length, for
 * quoting in a message (GPT.INI is read as raw bytes). */
static char *
span_excerpt(Span span)
{
  g_autofree char *valid = g_utf8_make_valid(span.s, (gssize)span.n);
  g_autofree char *cut = NULL;

  if (g_utf8_strlen(valid, -1) <= GP_EXCERPT_CHARS)
    return g_steal_pointer(&valid);
  cut = g_utf8_substring(valid, 0, GP_EXCERPT_CHARS);
  return g_strconcat(cut, "...", NULL);
}

typedef enum {
  HEADER_NONE, /* not a section header */
  HEADER_OK,
  HEADER_BAD, /* starts with '[' but is not "[name]" */
} HeaderKind;

/* @line is stripped.  Accepts "[Name]", optionally followed by a ';' comment. */
static HeaderKind
parse_header(Span line, Span *out_name)
{
  const char *close;
  Span name, rest;

  if (line.n == 0 || line.s[0] != '[')
    return HEADER_NONE;
  close = memchr(line.s, ']', line.n);
  if (close == NULL)
    return HEADER_BAD;
  name = span_strip((Span){ line.s + 1, (gsize)(close - line.s) - 1 });
  rest = span_strip((Span){ close + 1, line.n - (gsize)(close - line.s) - 1 });
  if (name.n == 0 || (rest.n > 0 && rest.s[0] != ';'))
    return HEADER_BAD;
  *out_name = name;
  return HEADER_OK;
}

/* Findings are collected in a private list and handed over only when the
 * whole load succeeds, so a failed load leaves the caller's list as it was. */
static void
diags_move(GPtrArray *from, GPtrArray *to)
{
  gsize n = 0;
  gpointer *items = g_ptr_array_steal(from, &n);

  for (gsize i = 0; i < n; i++) {
    if (to != NULL)
      g_ptr_array_add(to, items[i]);
    else
      gp_diagnostic_free(items[i]);
  }
  g_free(items);
}

static gboolean
check_size(gsize len, const char *file, GError **error)
{
  if (len <= GP_INF_MAX_BYTES)
    return TRUE;
  gp_set_load_error(error, GP_LOAD_ERROR_LIMIT, file, 0,
                    "file is larger than %d MiB, too large for a security template or GPT.INI",
                    GP_INF_MAX_BYTES / (1024 * 1024));
  return FALSE;
}

/* ------------------------------------------------------- security template */

typedef enum {
  IN_NOTHING,    /* before the first header */
  IN_PRIVILEGES, /* [Privilege Rights] */
  IN_OTHER,      /* a section kept as written */
  IN_SKIPPED,    /* after a malformed header, until the next good one */
} InfState;

typedef struct {
  const char *file;
  const GpModel *model;
  GPtrArray *diags; /* private list, see diags_move() */
  GpSecurityTemplate *tmpl;
  GpInfSection *section; /* (nullable) borrowed from tmpl->sections when IN_OTHER */
  InfState state;
  gboolean seen_header;
} InfParser;

static void inf_warn(InfParser *parser, guint line, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
inf_warn(InfParser *parser, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start(args, format);
  message = g_strdup_vprintf(format, args);
  va_end(args);
  gp_diag_add(parser->diags, GP_SEVERITY_WARNING, parser->file, line, "%s", message);
}

static void
enter_section(InfParser *parser, Span name, guint number)
{
  g_autofree char *written = NULL;
  GpInfSection *section;

  parser->seen_header = TRUE;
  if (span_is(name, "Privilege Rights")) {
    parser->state = IN_PRIVILEGES;
    parser->section = NULL;
    return;
  }
  written = span_dup(name);
  section = gp_inf_section_new(written, number);
  g_ptr_array_add(parser->tmpl->sections, section);
  parser->section = section;
  parser->state = IN_OTHER;
}

/* Keeps a line of a section gpsim does not interpret.  Lines that start with a
 * quote ("Spooler",4,"" or "path",0,"SDDL") are lists, not key=value, even when
 * the quoted part holds an '='. */
static void
keep_entry(InfParser *parser, Span line, guint number)
{
  g_autofree char *key_text = NULL;
  g_autofree char *value_text = NULL;
  Span key, value;

  if (line.s[0] != '"' && span_split(line, '=', &key, &value) && key.n > 0) {
    key_text = span_dup(key);
    value_text = span_dup(value);
  } else {
    value_text = span_dup(line);
  }
  gp_inf_section_add_entry(parser->section, key_text, value_text, number);
}

/* "*S-1-5-32-544" is a SID, anything else an account name that Windows resolves
 * when it applies the policy.  Returns: (transfer full) */
static GpPrincipal *
principal_from_item(InfParser *parser, const char *right, Span item, guint number)
{
  g_autofree char *raw = span_dup(item);
  g_autofree char *sid = NULL;

  if (raw[0] != '*')
    return gp_principal_new(NULL, raw);
  sid = g_ascii_strup(raw + 1, -1); /* "*s-1-5-6" is the same SID */
  g_strstrip(sid);
  if (gp_sid_is_valid(sid))
    return gp_principal_new(sid, NULL);
  inf_warn(parser, number, "malformed SID '%s' in '%s'; kept as an unresolved name", raw, right);
  return gp_principal_new(NULL, raw);
}

/* An empty @value ("SeTcbPrivilege =") leaves the right defined with no holder,
 * which is not the same as the right being absent. */
static void
parse_holders(InfParser *parser, GpRightAssignment *assignment, Span value, guint number)
{
  const char *p = value.s;
  const char *end = value.s + value.n;

  if (value.n == 0)
    return;
  for (;;) {
    const char *comma = memchr(p, ',', (gsize)(end - p));
    const char *stop = comma ? comma : end;
    Span item = span_strip((Span){ p, (gsize)(stop - p) });

    if (item.n == 0)
      inf_warn(parser, number, "empty entry in the holders of '%s'; ignored", assignment->right);
    else
      g_ptr_array_add(assignment->holders,
                      principal_from_item(parser, assignment->right, item, number));
    if (comma == NULL)
      break;
    p = comma + 1;
  }
}

/* Takes ownership of @assignment. */
static void
add_assignment(InfParser *parser, GpRightAssignment *assignment)
{
  const GpRightAssignment *earlier = gp_security_template_lookup(parser->tmpl, assignment->right);

  if (earlier != NULL)
    inf_warn(parser, assignment->line,
             "user right '%s' is assigned twice, at lines %u and %u; the later line wins",
             assignment->right, earlier->line, assignment->line);
  gp_security_template_add(parser->tmpl, assignment);
}

static void
parse_privilege_line(InfParser *parser, Span line, guint number)
{
  g_autofree char *written = NULL;
  g_autoptr(GpRightAssignment) assignment = NULL;
  const GpRightInfo *info = NULL;
  Span key, value;

  if (!span_split(line, '=', &key, &value) || key.n == 0) {
    g_autofree char *shown = span_excerpt(line);
    inf_warn(parser, number,
             "expected 'Right = holders' in [Privilege Rights], found '%s'; line skipped", shown);
    return;
  }
  written = span_dup(key);
  if (parser->model != NULL)
    info = gp_model_lookup_right(parser->model, written);
  if (info == NULL)
    inf_warn(parser, number, "unknown user right '%s'; kept as written", written);
  assignment = gp_right_assignment_new(info ? info->constant : written, parser->file, number);
  parse_holders(parser, assignment, value, number);
  add_assignment(parser, g_steal_pointer(&assignment));
}

/* Returns: TRUE when @line is a section header, well-formed or not. */
static gboolean
handle_header(InfParser *parser, Span line, guint number)
{
  g_autofree char *shown = NULL;
  Span name;

  switch (parse_header(line, &name)) {
  case HEADER_NONE:
    return FALSE;
  case HEADER_OK:
    enter_section(parser, name, number);
    return TRUE;
  case HEADER_BAD:
    break;
  }
  shown = span_excerpt(line);
  inf_warn(parser, number,
           "malformed section header '%s'; lines up to the next section are ignored", shown);
  parser->state = IN_SKIPPED;
  parser->section = NULL;
  return TRUE;
}

static void
parse_inf_line(InfParser *parser, Span raw, guint number)
{
  Span line;

  if (raw.n > GP_INF_MAX_LINE) {
    inf_warn(parser, number, "line is longer than %d bytes; skipped", GP_INF_MAX_LINE);
    return;
  }
  line = span_strip(raw);
  if (line.n == 0 || line.s[0] == ';' || handle_header(parser, line, number))
    return;
  switch (parser->state) {
  case IN_NOTHING:
    inf_warn(parser, number, "line outside any section; skipped");
    break;
  case IN_PRIVILEGES:
    parse_privilege_line(parser, line, number);
    break;
  case IN_OTHER:
    keep_entry(parser, line, number);
    break;
  case IN_SKIPPED:
    break;
  }
}

GpSecurityTemplate *
gp_inf_load_from_data(const char *data, gsize len, const char *file, const GpModel *model,
                      GPtrArray *diags, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GpSecurityTemplate) tmpl = NULL;
  g_autoptr(GPtrArray) found = NULL;
  LineReader reader;
  Span line;

  g_return_val_if_fail(data != NULL || len == 0, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  if (!check_size(len, file, error))
    return NULL;
  text = gp_text_decode(data, len, file, NULL, error);
  if (text == NULL)
    return NULL;
  tmpl = gp_security_template_new(file);
  found = gp_diag_list_new();
  InfParser parser = { file, model, found, tmpl, NULL, IN_NOTHING, FALSE };
  line_reader_init(&reader, text, strlen(text));
  while (line_reader_next(&reader, &line))
    parse_inf_line(&parser, line, reader.number);
  if (!parser.seen_header) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, file, 0,
                      "not a security template (no [section] header found)");
    return NULL;
  }
  diags_move(found, diags);
  return g_steal_pointer(&tmpl);
}

GpSecurityTemplate *
gp_inf_load_file(const char *path, const GpModel *model, GPtrArray *diags, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) io_error = NULL;
  gsize len = 0;

  g_return_val_if_fail(path != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents(path, &data, &len, &io_error)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read: %s", io_error->message);
    return NULL;
  }
  return gp_inf_load_from_data(data, len, path, model, diags, error);
}

/* ------------------------------------------------------------------ GPT.INI */

typedef struct {
  const char *file;
  GPtrArray *diags; /* private list, see diags_move() */
  gboolean in_general;
  gboolean seen_general;
  gboolean has_version;
  guint version_line;
  guint32 version;
} GptIniParser;

static gboolean
take_version(GptIniParser *parser, Span value, guint number, GError **error)
{
  g_autofree char *text = NULL;
  guint64 version = 0;

  /* GetPrivateProfileString, which Windows reads GPT.INI with, returns the
   * first of two equal keys. */
  if (parser->has_version) {
    gp_diag_add(parser->diags, GP_SEVERITY_WARNING, parser->file, number,
                "Version is given twice in [General], at lines %u and %u; the first is used",
                parser->version_line, number);
    return TRUE;
  }
  text = span_dup(value);
  /* A NUL inside the raw value would hide the rest of it from the parser. */
  if (memchr(value.s, '\0', value.n) != NULL
      || !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &version, NULL)) {
    g_autofree char *shown = span_excerpt(value);
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, parser->file, number,
                      "Version '%s' in [General] is not a number from 0 to %u", shown, G_MAXUINT32);
    return FALSE;
  }
  parser->version = (guint32)version;
  parser->version_line = number;
  parser->has_version = TRUE;
  return TRUE;
}

/* Only [General] Version matters; every other line (displayName in any
 * codepage, other sections) is ignored as Windows ignores it. */
static gboolean
parse_gptini_line(GptIniParser *parser, Span raw, guint number, GError **error)
{
  Span line = span_strip(raw);
  Span name, key, value;

  if (line.n == 0 || line.s[0] == ';')
    return TRUE;
  switch (parse_header(line, &name)) {
  case HEADER_OK:
    parser->in_general = span_is(name, "General");
    parser->seen_general |= parser->in_general;
    return TRUE;
  case HEADER_BAD:
    parser->in_general = FALSE;
    return TRUE;
  case HEADER_NONE:
    break;
  }
  if (!parser->in_general || !span_split(line, '=', &key, &value) || !span_is(key, "Version"))
    return TRUE;
  return take_version(parser, value, number, error);
}

/* GPT.INI is ANSI in whatever codepage wrote it (Shift-JIS in SSSD's fixture),
 * so it is read as bytes: the keys that matter are ASCII.  Only a UTF-16 BOM
 * makes it text to decode first. */
static gboolean
parse_gptini(GptIniParser *parser, const char *data, gsize len, GError **error)
{
  const guchar *bytes = (const guchar *)data;
  g_autofree char *decoded = NULL;
  LineReader reader;
  Span line;

  if (len == 0)
    return TRUE;
  if (len >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
    decoded = gp_text_decode(data, len, parser->file, NULL, error);
    if (decoded == NULL)
      return FALSE;
    data = decoded;
    len = strlen(decoded);
  } else if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
    data += 3;
    len -= 3;
  }
  line_reader_init(&reader, data, len);
  while (line_reader_next(&reader, &line))
    if (!parse_gptini_line(parser, line, reader.number, error))
      return FALSE;
  return TRUE;
}

gboolean
gp_gptini_load_from_data(const char *data, gsize len, const char *file, guint32 *out_version,
                         GPtrArray *diags, GError **error)
{
  g_autoptr(GPtrArray) found = gp_diag_list_new();
  GptIniParser parser = { .file = file, .diags = found };

  g_return_val_if_fail(data != NULL || len == 0, FALSE);
  g_return_val_if_fail(out_version != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  if (!check_size(len, file, error) || !parse_gptini(&parser, data, len, error))
    return FALSE;
  if (!parser.seen_general || !parser.has_version) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, file, 0,
                      "no %s; GPT.INI is corrupt without it (MS-GPOL 2.2.4)",
                      parser.seen_general ? "Version in [General]" : "[General] section");
    return FALSE;
  }
  diags_move(found, diags);
  *out_version = parser.version;
  return TRUE;
}
