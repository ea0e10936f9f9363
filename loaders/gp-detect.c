/* gp-detect.c - what a path given with --input is, from its content.
 *
 * Files are recognised by their first few kilobytes (decoded as the loaders
 * decode them), folders by their entries; names and extensions are not
 * trusted, since exports get renamed.
 */
#include <string.h>

#include "gp-loaders.h"
#include "gp-names.h"

#define SNIFF_BYTES 8192

const char *
gp_input_kind_to_string(GpInputKind kind)
{
  static const char *const names[] = { "unknown",           "LDIF",
                                       "SYSVOL copy",       "GPMC backup",
                                       "Get-GPOReport XML", "gpresult /x RSoP XML",
                                       "security template", "gPLink/gPOptions CSV" };

  return kind < G_N_ELEMENTS(names) ? names[kind] : "unknown";
}

static gboolean
child_exists_ci(const char *dir, const char *name)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  const char *entry;

  while (handle && (entry = g_dir_read_name(handle)))
    if (g_ascii_strcasecmp(entry, name) == 0)
      return TRUE;
  return FALSE;
}

/* A backup folder, or a folder of them (one level down). */
static gboolean
looks_like_backup(const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *entry;

  if (child_exists_ci(dir, "manifest.xml") || child_exists_ci(dir, "Backup.xml"))
    return TRUE;
  handle = g_dir_open(dir, 0, NULL);
  while (handle && (entry = g_dir_read_name(handle))) {
    g_autofree char *child = g_build_filename(dir, entry, NULL);
    /* A symbolic link is not looked into: the loaders never follow one either. */
    if (!g_file_test(child, G_FILE_TEST_IS_SYMLINK) && g_file_test(child, G_FILE_TEST_IS_DIR)
        && child_exists_ci(child, "Backup.xml"))
      return TRUE;
  }
  return FALSE;
}

static GpInputKind
detect_dir(const char *path)
{
  if (looks_like_backup(path))
    return GP_INPUT_BACKUP;
  /* The SYSVOL loader itself searches a few levels for {GUID} folders. */
  return GP_INPUT_SYSVOL;
}

/* The first lines of @text that are not blank or '#' comments. */
static const char *
first_content(const char *text)
{
  const char *p = text;

  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
      p++;
    if (*p != '#')
      return p;
    p = strchr(p, '\n');
    if (!p)
      return "";
  }
  return p;
}

/* TRUE when @text has the start tag <@name> (with attributes or not), not <@nameMore>. */
static gboolean
has_start_tag(const char *text, const char *name)
{
  gsize len = strlen(name);

  for (const char *p = strchr(text, '<'); p; p = strchr(p + 1, '<'))
    if (strncmp(p + 1, name, len) == 0 && p[1 + len] && strchr(" \t\r\n/>", p[1 + len]))
      return TRUE;
  return FALSE;
}

static GpInputKind
detect_xml(const char *text)
{
  if (has_start_tag(text, "Rsop"))
    return GP_INPUT_RSOP;
  if (has_start_tag(text, "GPO") || has_start_tag(text, "report"))
    return GP_INPUT_GPREPORT;
  return GP_INPUT_UNKNOWN;
}

static GpInputKind
detect_text(const char *text)
{
  const char *start = first_content(text);

  if (g_str_has_prefix(start, "<?xml") || start[0] == '<')
    return detect_xml(text);
  if (g_ascii_strncasecmp(start, "dn:", 3) == 0 || g_ascii_strncasecmp(start, "version:", 8) == 0)
    return GP_INPUT_LDIF;
  if (start[0] == '[')
    return GP_INPUT_INF;
  if (strstr(text, "DistinguishedName") && strstr(text, "gPLink"))
    return GP_INPUT_INHERITANCE;
  return GP_INPUT_UNKNOWN;
}

static GpInputKind
detect_file(const char *path, GError **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new(path, FALSE, error);
  g_autofree char *text = NULL;
  gsize len;

  if (!mapped)
    return GP_INPUT_UNKNOWN;
  len = MIN(g_mapped_file_get_length(mapped), SNIFF_BYTES);
  len -= len % 2; /* never cut a UTF-16 code unit in half */
  text = gp_text_decode(g_mapped_file_get_contents(mapped), len, path, NULL, NULL);
  return text ? detect_text(text) : GP_INPUT_UNKNOWN;
}

static gboolean
is_manifest(const char *path)
{
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents(path, &data, &len, NULL))
    return FALSE;
  len = MIN(len, SNIFF_BYTES);
  text = gp_text_decode(data, len - len % 2, path, NULL, NULL);
  return text && (has_start_tag(text, "Backups") || has_start_tag(text, "BackupInst"));
}

GpInputKind
gp_input_detect(const char *path, GError **error)
{
  GpInputKind kind;

  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "no such file or folder");
    return GP_INPUT_UNKNOWN;
  }
  if (g_file_test(path, G_FILE_TEST_IS_DIR))
    return detect_dir(path);
  kind = detect_file(path, error);
  if (kind == GP_INPUT_UNKNOWN && error && !*error && is_manifest(path))
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, 0,
                      "a GPMC backup manifest: give the folder that holds it and its backups");
  if (kind == GP_INPUT_UNKNOWN && error && !*error)
    gp_set_load_error(error, GP_LOAD_ERROR_SYNTAX, path, 0,
                      "not a format gpsim reads (LDIF, Get-GPOReport or gpresult XML, security "
                      "template, gPLink CSV, SYSVOL or GPMC backup folder)");
  return kind;
}
