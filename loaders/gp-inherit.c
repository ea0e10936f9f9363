/* gp-inherit.c - the SOMs' gPLink and gPOptions as Export-Csv writes them.
 *
 * Exports gp_inheritance_load_file() (gp-loaders.h).  The file comes from
 *   Get-ADObject ... -Properties gPLink,gPOptions | Select DistinguishedName,gPLink,gPOptions
 *     | Export-Csv f.csv
 * Windows PowerShell writes a "#TYPE ..." first line and UTF-16LE or UTF-8,
 * PowerShell 7 neither; both quote every field ("" for a quote) and end lines
 * with CRLF.  -UseCulture may give ';' instead of ','.
 *
 * Two stages, so that a syntax error leaves the model untouched: the whole text
 * is cut into rows first, then each row is applied.  This data is authoritative
 * for the SOMs it lists: their links replace what a Get-GPOReport assumed.
 */
#include "gp-loaders.h"

#include <string.h>

#include "gp-names.h"

/* How much of a value is quoted in a message. */
#define QUOTE_CHARS 80

typedef struct {
  GPtrArray *fields; /* char* */
  guint line;        /* physical line where the row starts */
} CsvRow;

static void
csv_row_free(CsvRow *row)
{
  if (row == NULL)
    return;
  g_ptr_array_unref(row->fields);
  g_free(row);
}

/* The tokenizer's state. */
typedef struct {
  const char *file;
  char separator;
  GPtrArray *rows; /* CsvRow* */
  CsvRow *row;     /* (nullable) row being filled */
  GString *field;  /* field being filled */
  gboolean quoted; /* inside a quoted field */
  gboolean was_quoted;
  guint line;       /* current physical line */
  guint row_line;   /* where the current row started */
  guint quote_line; /* where the open quote is */
} CsvReader;

/* Columns found in the header. */
typedef struct {
  gint dn;
  gint gplink;
  gint options;
} CsvColumns;

static char *
quote(const char *text)
{
  g_autofree char *valid = g_utf8_make_valid(text, -1);

  for (char *p = valid; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = '?';
  if (g_utf8_strlen(valid, -1) <= QUOTE_CHARS)
    return g_steal_pointer(&valid);
  g_autofree char *head = g_utf8_substring(valid, 0, QUOTE_CHARS);
  return g_strconcat(head, "...", NULL);
}

/* ---------------------------------------------------------------- reading */

static void
reader_end_field(CsvReader *reader)
{
  if (reader->row == NULL) {
    reader->row = g_new0(CsvRow, 1);
    reader->row->fields = g_ptr_array_new_with_free_func(g_free);
    reader->row->line = reader->row_line;
  }
  g_ptr_array_add(reader->row->fields, g_strdup(reader->field->str));
  g_string_truncate(reader->field, 0);
  reader->was_quoted = FALSE;
}

static void
reader_end_row(CsvReader *reader)
{
  CsvRow *row;

  reader_end_field(reader);
  row = g_steal_pointer(&reader->row);
  /* A blank line is a row of one empty unquoted field: not a row at all. */
  if (row->fields->len == 1 && *(const char *)row->fields->pdata[0] == '\0')
    csv_row_free(row);
  else
    g_ptr_array_add(reader->rows, row);
}

/* Feeds the character at @p outside quotes.  Returns: how many bytes it took. */
static gsize
reader_plain(CsvReader *reader, const char *p)
{
  if (*p == '"' && reader->field->len == 0 && !reader->was_quoted) {
    reader->quoted = TRUE;
    reader->was_quoted = TRUE;
    reader->quote_line = reader->line;
  } else if (*p == reader->separator) {
    reader_end_field(reader);
  } else if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
    reader_end_row(reader);
    reader->row_line = ++reader->line;
    return *p == '\r' ? 2 : 1;
  } else {
    /* A stray quote inside an unquoted field is kept, as Import-Csv does. */
    g_string_append_c(reader->field, *p);
  }
  return 1;
}

/* Feeds the character at @p inside quotes.  Returns: how many bytes it took. */
static gsize
reader_quoted(CsvReader *reader, const char *p)
{
  if (*p == '"' && p[1] == '"') {
    g_string_append_c(reader->field, '"');
    return 2;
  }
  if (*p == '"') {
    reader->quoted = FALSE;
    return 1;
  }
  if (*p == '\n')
    reader->line++;
  g_string_append_c(reader->field, *p);
  return 1;
}

/* Cuts @text into rows.  Returns: FALSE with @error on a quote never closed. */
static gboolean
read_rows(CsvReader *reader, const char *text, GError **error)
{
  const char *p = text;

  while (*p != '\0')
    p += reader->quoted ? reader_quoted(reader, p) : reader_plain(reader, p);
  if (reader->quoted) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, reader->file, reader->quote_line,
                      "quoted field never closed (a '\"' is missing)");
    /* The row being filled is in no list yet (fuzz_inherit found it leaking). */
    g_clear_pointer(&reader->row, csv_row_free);
    return FALSE;
  }
  if (reader->row != NULL || reader->field->len > 0 || reader->was_quoted)
    reader_end_row(reader);
  return TRUE;
}

/* Returns: the first line of @text that holds the header (after "#TYPE"). */
static const char *
header_line(const char *text)
{
  while (*text == '#' || *text == '\r' || *text == '\n') {
    const char *nl = strchr(text, '\n');
    if (nl == NULL)
      return "";
    text = nl + 1;
  }
  return text;
}

/* ',' as Export-Csv writes; ';' or a tab when the header has no comma. */
static char
guess_separator(const char *text)
{
  const char *header = header_line(text);
  gsize len = strcspn(header, "\r\n");

  if (memchr(header, ',', len) != NULL)
    return ',';
  if (memchr(header, ';', len) != NULL)
    return ';';
  return memchr(header, '\t', len) != NULL ? '\t' : ',';
}

/* --------------------------------------------------------------- columns */

static gint
find_column(const CsvRow *header, const char *name)
{
  for (guint i = 0; i < header->fields->len; i++) {
    g_autofree char *field = g_strstrip(g_strdup(header->fields->pdata[i]));
    if (g_ascii_strcasecmp(field, name) == 0)
      return (gint)i;
  }
  return -1;
}

static gboolean
find_columns(const char *file, const CsvRow *header, CsvColumns *out, GError **error)
{
  static const char *const names[] = { "DistinguishedName", "gPLink", "gPOptions" };
  gint *slots[] = { &out->dn, &out->gplink, &out->options };

  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    *slots[i] = find_column(header, names[i]);
    if (*slots[i] < 0) {
      g_autofree char *joined = NULL;
      g_autofree char *shown = NULL;

      g_ptr_array_add(header->fields, NULL);
      joined = g_strjoinv(", ", (char **)header->fields->pdata);
      g_ptr_array_remove_index(header->fields, header->fields->len - 1);
      shown = quote(joined);
      gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, file, header->line,
                        "no '%s' column in the header (found: %s); export with "
                        "Select DistinguishedName,gPLink,gPOptions",
                        names[i], shown);
      return FALSE;
    }
  }
  return TRUE;
}

/* ------------------------------------------------------------------ rows */

/* The kind of SOM @dn names.  Returns: FALSE when it is none. */
static gboolean
som_kind_of(const char *dn, GpSomKind *out)
{
  g_autofree char *type = gp_dn_first_type(dn);
  g_autofree char *key = gp_dn_normalize(dn);

  if (strcmp(type, "dc") == 0)
    *out = GP_SOM_DOMAIN;
  else if (strcmp(type, "ou") == 0)
    *out = GP_SOM_OU;
  else if (strcmp(type, "cn") == 0 && strstr(key, ",cn=sites,cn=configuration,") != NULL)
    *out = GP_SOM_SITE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_options(const char *text, guint *out)
{
  guint64 value = 0;

  if (*text == '\0') {
    *out = 0;
    return TRUE;
  }
  if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &value, NULL))
    return FALSE;
  *out = (guint)value;
  return TRUE;
}

/* Returns: FALSE, after a warning, when @row cannot be used. */
static gboolean
check_row(const char *file, const CsvRow *row, const CsvColumns *cols, GPtrArray *diags,
          GpSomKind *out_kind, guint *out_options)
{
  guint needed = (guint)MAX(cols->dn, MAX(cols->gplink, cols->options)) + 1;
  g_autofree char *shown = NULL;
  const char *dn;

  if (row->fields->len < needed) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, file, row->line,
                "row has %u fields, the header names %u; row skipped", row->fields->len, needed);
    return FALSE;
  }
  dn = row->fields->pdata[cols->dn];
  shown = quote(dn);
  if (!som_kind_of(dn, out_kind)) {
    gp_diag_add(diags, GP_SEVERITY_WARNING, file, row->line,
                "'%s' is not a domain, OU or site DN; row skipped", shown);
    return FALSE;
  }
  if (!parse_options(row->fields->pdata[cols->options], out_options)) {
    g_autofree char *options = quote(row->fields->pdata[cols->options]);
    gp_diag_add(diags, GP_SEVERITY_WARNING, file, row->line,
                "gPOptions '%s' of '%s' is not a number; row skipped", options, shown);
    return FALSE;
  }
  return TRUE;
}

static void
apply_row(const char *file, CsvRow *row, const CsvColumns *cols, GpModel *model, GPtrArray *diags)
{
  const char *dn;
  GpSomKind kind;
  guint options;
  GpSom *som;

  for (guint i = 0; i < row->fields->len; i++)
    g_strstrip(row->fields->pdata[i]);
  if (!check_row(file, row, cols, diags, &kind, &options))
    return;
  dn = row->fields->pdata[cols->dn];
  som = gp_model_ensure_som(model, dn, kind);
  if (kind == GP_SOM_DOMAIN) {
    GpDomain *domain = gp_model_ensure_domain(model, dn);
    if (som->name == NULL)
      som->name = g_strdup(domain->dns_name);
  }
  if (som->name == NULL)
    som->name = gp_dn_first_value(dn);
  gp_som_set_gplink(som, row->fields->pdata[cols->gplink], diags, file, row->line);
  som->gp_options = options;
  som->link_order_assumed = FALSE;
  som->block_unknown = FALSE;
  g_free(som->file);
  som->file = g_strdup(file);
  som->line = row->line;
}

/* ---------------------------------------------------------------- public */

static gboolean
load_text(const char *text, const char *file, GpModel *model, GPtrArray *diags, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)csv_row_free);
  g_autoptr(GString) field = g_string_new(NULL);
  CsvReader reader = { .file = file,
                       .separator = guess_separator(text),
                       .rows = rows,
                       .field = field,
                       .line = 1,
                       .row_line = 1 };
  CsvColumns cols = { -1, -1, -1 };
  guint first = 0;

  if (!read_rows(&reader, text, error))
    return FALSE;
  if (first < rows->len && g_str_has_prefix(((CsvRow *)rows->pdata[0])->fields->pdata[0], "#"))
    first++;
  if (first >= rows->len) {
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, file, 0,
                      "no header row; expected DistinguishedName,gPLink,gPOptions");
    return FALSE;
  }
  if (!find_columns(file, rows->pdata[first], &cols, error))
    return FALSE;
  for (guint i = first + 1; i < rows->len; i++)
    apply_row(file, rows->pdata[i], &cols, model, diags);
  return TRUE;
}

gboolean
gp_inheritance_load_file(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;

  g_return_val_if_fail(path != NULL, FALSE);
  g_return_val_if_fail(model != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents(path, &contents, &len, &local)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read the CSV file: %s",
                      local->message);
    return FALSE;
  }
  text = gp_text_decode(contents, len, path, NULL, error);
  if (text == NULL)
    return FALSE;
  return load_text(text, path, model, diags, error);
}
