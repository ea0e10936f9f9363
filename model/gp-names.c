/* gp-names.c - DNs, GUIDs and SIDs as strings; see gp-names.h. */
#include "gp-names.h"

#include <string.h>

/* Splits a DN on the commas that are not escaped by a backslash; each RDN is
 * trimmed of surrounding blanks.  Returns: (transfer full) */
static GPtrArray *
dn_split(const char *dn)
{
  GPtrArray *rdns = g_ptr_array_new_with_free_func(g_free);
  GString *current = g_string_new(NULL);

  for (const char *p = dn; *p; p++) {
    if (*p == '\\' && p[1]) {
      g_string_append_c(current, *p++);
      g_string_append_c(current, *p);
      continue;
    }
    if (*p == ',') {
      g_ptr_array_add(rdns, g_strstrip(g_string_free(current, FALSE)));
      current = g_string_new(NULL);
      continue;
    }
    g_string_append_c(current, *p);
  }
  g_ptr_array_add(rdns, g_strstrip(g_string_free(current, FALSE)));
  return rdns;
}

/* "OU = Web" -> "OU=Web" (blanks around the first '=' removed). */
static char *
rdn_tidy(const char *rdn)
{
  const char *eq = strchr(rdn, '=');
  g_autofree char *type = NULL;
  g_autofree char *value = NULL;

  if (!eq)
    return g_strdup(rdn);
  type = g_strstrip(g_strndup(rdn, (gsize)(eq - rdn)));
  value = g_strstrip(g_strdup(eq + 1));
  return g_strdup_printf("%s=%s", type, value);
}

/* ------------------------------------------------------------ keys */

/* @b in each of the 8 bytes of a word. */
#define BYTES(b) (G_GUINT64_CONSTANT(0x0101010101010101) * (guint8)(b))

/* g_ascii_tolower() or g_ascii_toupper() of @c. */
static inline char
ascii_case(char c, gboolean upper)
{
  if (upper)
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A million DNs, names and SIDs are made keys while loading, so ASCII goes
 * 8 bytes at a time. */
gboolean
gp_ascii_case_copy(char *dst, const char *src, gsize len, gboolean upper)
{
  /* The letters whose case changes: @first up to @first + 25. */
  guint8 first = upper ? 'a' : 'A';
  gboolean ascii = TRUE;
  gsize i = 0;

  for (; i + 8 <= len; i += 8) {
    guint64 word;
    memcpy(&word, src + i, 8);
    if (word & BYTES(0x80))
      break;
    /* With no byte above 0x7f these sums carry from no byte to the next:
     * the top bit of a byte tells whether it is at least @first, then at
     * least @first + 26.  Letters have 0x20 flipped. */
    word ^= ((word + BYTES(0x80 - first)) & ~(word + BYTES(0x80 - first - 26)) & BYTES(0x80)) >> 2;
    memcpy(dst + i, &word, 8);
  }
  for (; i < len; i++) {
    ascii = ascii && (guchar)src[i] < 0x80;
    dst[i] = ascii_case(src[i], upper);
  }
  return ascii;
}

/* Whether gp_dn_normalize() of the @len bytes of @dn is their lower case:
 * printable ASCII, no '\\', no blank next to ',' or '=' or at either end. */
static gboolean
dn_is_plain(const char *dn, gsize len)
{
  gsize i = 0;

  for (; i + 8 <= len; i += 8) {
    guint64 word, slash;
    memcpy(&word, dn + i, 8);
    slash = word ^ BYTES('\\');
    /* a byte below 0x20, above 0x7e, or a '\\' (exact, whatever the carries) */
    if ((((word - BYTES(0x20)) & ~word) | (word + BYTES(1)) | word | ((slash - BYTES(1)) & ~slash))
        & BYTES(0x80))
      return FALSE;
  }
  for (; i < len; i++)
    if ((guchar)dn[i] < 0x20 || (guchar)dn[i] > 0x7e || dn[i] == '\\')
      return FALSE;
  for (const char *p = memchr(dn, ' ', len); p; p = memchr(p + 1, ' ', len - (gsize)(p + 1 - dn)))
    if (p == dn || p[1] == '\0' || p[1] == ',' || p[1] == '=' || p[-1] == ',' || p[-1] == '=')
      return FALSE;
  return TRUE;
}

/* Loading a million computers looks up a million DNs, and rsop a million more. */
const char *
gp_dn_key(const char *dn, char *buffer, char **owned)
{
  gsize len = strlen(dn);

  if (len >= GP_KEY_BUFFER || !dn_is_plain(dn, len))
    return *owned = gp_dn_normalize(dn);
  gp_ascii_case_copy(buffer, dn, len, FALSE);
  buffer[len] = '\0';
  return buffer;
}

/* The usual DN (dn_is_plain()) normalises to its lower case. */
char *
gp_dn_normalize(const char *dn)
{
  gsize len = strlen(dn);
  g_autoptr(GPtrArray) rdns = NULL;
  g_autoptr(GString) out = NULL;

  if (dn_is_plain(dn, len))
    return g_ascii_strdown(dn, (gssize)len);
  rdns = dn_split(dn);
  out = g_string_new(NULL);
  for (guint i = 0; i < rdns->len; i++) {
    g_autofree char *tidy = rdn_tidy(g_ptr_array_index(rdns, i));
    if (i > 0)
      g_string_append_c(out, ',');
    g_string_append(out, tidy);
  }
  if (!g_utf8_validate(out->str, -1, NULL))
    return g_ascii_strdown(out->str, -1);
  return g_utf8_strdown(out->str, -1);
}

static char *
dn_join_from(GPtrArray *rdns, guint first)
{
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = first; i < rdns->len; i++) {
    if (i > first)
      g_string_append_c(out, ',');
    g_string_append(out, g_ptr_array_index(rdns, i));
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ------------------------------------------------------------ threads */

/* Seen once under ThreadSanitizer, most likely this: a GPT.INI "Version '463'"
 * refused as not a number while the SYSVOL readers were starting. */
void
gp_names_prepare_threads(void)
{
  (void)g_ascii_strtoull("0", NULL, 10);
}

char *
gp_dn_parent(const char *dn)
{
  g_autoptr(GPtrArray) rdns = dn_split(dn);

  if (rdns->len < 2)
    return NULL;
  return dn_join_from(rdns, 1);
}

char *
gp_dn_first_type(const char *dn)
{
  g_autoptr(GPtrArray) rdns = dn_split(dn);
  const char *first = g_ptr_array_index(rdns, 0);
  const char *eq = strchr(first, '=');
  g_autofree char *type = NULL;

  if (!eq)
    return g_strdup("");
  type = g_strstrip(g_strndup(first, (gsize)(eq - first)));
  return g_ascii_strdown(type, -1);
}

static char *
rdn_unescape(const char *value)
{
  GString *out = g_string_new(NULL);

  for (const char *p = value; *p; p++) {
    if (*p == '\\' && p[1])
      p++;
    g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

char *
gp_dn_first_value(const char *dn)
{
  g_autoptr(GPtrArray) rdns = dn_split(dn);
  const char *first = g_ptr_array_index(rdns, 0);
  const char *eq = strchr(first, '=');
  g_autofree char *value = NULL;

  value = g_strstrip(g_strdup(eq ? eq + 1 : first));
  return rdn_unescape(value);
}

static gboolean
rdn_is_dc(const char *rdn)
{
  const char *eq = strchr(rdn, '=');
  g_autofree char *type = eq ? g_strstrip(g_strndup(rdn, (gsize)(eq - rdn))) : NULL;

  return type && g_ascii_strcasecmp(type, "dc") == 0;
}

/* Index of the first RDN of the trailing run of DC= components, or rdns->len. */
static guint
dc_run_start(GPtrArray *rdns)
{
  guint start = rdns->len;

  while (start > 0 && rdn_is_dc(g_ptr_array_index(rdns, start - 1)))
    start--;
  return start;
}

char *
gp_dn_domain_part(const char *dn)
{
  g_autoptr(GPtrArray) rdns = dn_split(dn);
  guint start = dc_run_start(rdns);

  if (start == rdns->len)
    return NULL;
  return dn_join_from(rdns, start);
}

char *
gp_dn_to_dns_name(const char *dn)
{
  g_autoptr(GPtrArray) rdns = dn_split(dn);
  g_autoptr(GString) out = g_string_new(NULL);
  guint start = dc_run_start(rdns);

  if (start == rdns->len)
    return NULL;
  for (guint i = start; i < rdns->len; i++) {
    g_autofree char *label = gp_dn_first_value(g_ptr_array_index(rdns, i));
    if (out->len)
      g_string_append_c(out, '.');
    g_string_append(out, label);
  }
  return g_ascii_strdown(out->str, -1);
}

static void
append_rdn(GString *out, const char *type, const char *value)
{
  if (out->len)
    g_string_append_c(out, ',');
  g_string_append_printf(out, "%s=", type);
  for (const char *p = value; *p; p++) {
    if (strchr(",+\\\"<>;=", *p))
      g_string_append_c(out, '\\');
    g_string_append_c(out, *p);
  }
}

static char *
domain_dn_from_dns(const char *dns)
{
  g_auto(GStrv) labels = g_strsplit(dns, ".", -1);
  g_autoptr(GString) out = g_string_new(NULL);

  for (guint i = 0; labels[i]; i++)
    if (*labels[i])
      append_rdn(out, "DC", labels[i]);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
gp_dn_from_canonical(const char *path)
{
  g_auto(GStrv) parts = g_strsplit(path, "/", -1);
  g_autoptr(GString) out = g_string_new(NULL);
  g_autofree char *domain = NULL;
  guint n = g_strv_length(parts);

  if (n == 0 || !*parts[0])
    return NULL;
  domain = domain_dn_from_dns(parts[0]);
  if (n >= 4 && g_ascii_strcasecmp(parts[1], "Configuration") == 0
      && g_ascii_strcasecmp(parts[2], "Sites") == 0) {
    append_rdn(out, "CN", parts[3]);
    g_string_append_printf(out, ",CN=Sites,CN=Configuration,%s", domain);
    return g_string_free(g_steal_pointer(&out), FALSE);
  }
  for (guint i = n; i > 1; i--)
    append_rdn(out, "OU", parts[i - 1]);
  if (out->len)
    g_string_append_c(out, ',');
  g_string_append(out, domain);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

/* ------------------------------------------------------------------ GUIDs */

static const int guid_group_lengths[] = { 8, 4, 4, 4, 12 };

/* TRUE when @p starts with 36 characters of the form 8-4-4-4-12 hex. */
static gboolean
guid_body_at(const char *p)
{
  for (guint g = 0; g < G_N_ELEMENTS(guid_group_lengths); g++) {
    for (int i = 0; i < guid_group_lengths[g]; i++, p++)
      if (!g_ascii_isxdigit(*p))
        return FALSE;
    if (g + 1 < G_N_ELEMENTS(guid_group_lengths) && *p++ != '-')
      return FALSE;
  }
  return TRUE;
}

static char *
guid_format(const char *body)
{
  g_autofree char *upper = g_ascii_strup(body, 36);
  return g_strdup_printf("{%s}", upper);
}

char *
gp_guid_normalize(const char *text)
{
  gsize len;
  const char *body = text;

  if (!text)
    return NULL;
  len = strlen(text);
  if (len == 38 && text[0] == '{' && text[37] == '}')
    body = text + 1;
  else if (len != 36)
    return NULL;
  return guid_body_at(body) ? guid_format(body) : NULL;
}

char *
gp_guid_find_in(const char *text)
{
  for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
    if (strlen(p) >= 38 && guid_body_at(p + 1) && p[37] == '}')
      return guid_format(p + 1);
  return NULL;
}

/* ------------------------------------------------------------------- SIDs */

static gboolean
decimal_part(const char *part, guint64 max)
{
  guint64 value;

  return g_ascii_string_to_unsigned(part, 10, 0, max, &value, NULL);
}

/* The checks of one '-' separated part of a SID: @len bytes at @part. */
static gboolean
decimal_range(const char *part, gsize len, guint64 max)
{
  char copy[64];

  if (len >= sizeof copy) {
    g_autofree char *long_part = g_strndup(part, len);
    return decimal_part(long_part, max);
  }
  memcpy(copy, part, len);
  copy[len] = '\0';
  return decimal_part(copy, max);
}

gboolean
gp_sid_is_valid(const char *text)
{
  const char *part;
  guint n = 2;

  if (!text || g_ascii_strncasecmp(text, "S-1-", 4) != 0)
    return FALSE;
  /* Parts after "S-1-": the authority (48 bits), then up to 15 sub-authorities. */
  for (part = text + 4;; n++) {
    const char *dash = strchr(part, '-');
    gsize len = dash ? (gsize)(dash - part) : strlen(part);
    if (n > 2 + 15
        || !decimal_range(part, len, n == 2 ? (G_GUINT64_CONSTANT(1) << 48) - 1 : G_MAXUINT32))
      return FALSE;
    if (!dash)
      return TRUE;
    part = dash + 1;
  }
}

/* Appends @value in decimal at @out; returns the end. */
static char *
put_decimal(char *out, guint64 value)
{
  char digits[24];
  int n = 0;

  do
    digits[n++] = (char)('0' + value % 10);
  while ((value /= 10) > 0);
  while (n > 0)
    *out++ = digits[--n];
  return out;
}

char *
gp_sid_from_binary(const guint8 *data, gsize len)
{
  guint count;
  guint64 authority = 0;
  char *text, *end;

  if (len < 8 || data[0] != 1)
    return NULL;
  count = data[1];
  if (count > 15 || len != 8 + 4 * (gsize)count)
    return NULL;
  for (int i = 2; i < 8; i++)
    authority = (authority << 8) | data[i];
  /* "S-1-" + 15 digits + 15 times '-' and 10 digits + NUL */
  text = g_malloc(4 + 15 + 15 * 11 + 1);
  end = put_decimal(memcpy(text, "S-1-", 4) + 4, authority);
  for (guint i = 0; i < count; i++) {
    const guint8 *sub = data + 8 + 4 * i;
    guint32 value
        = (guint32)sub[0] | (guint32)sub[1] << 8 | (guint32)sub[2] << 16 | (guint32)sub[3] << 24;
    *end++ = '-';
    end = put_decimal(end, value);
  }
  *end = '\0';
  return text;
}
