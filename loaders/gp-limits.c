/* gp-limits.c - checking an input file before it is read, and finding one in a
 * folder the way Windows names it (see gp-loaders.h).
 *
 * Exports gp_check_input_file() and gp_dir_find_child().  Loaders read whole files into memory, so
 * the size of a file is checked with stat() before the first byte is read: an enormous (or sparse)
 * file is refused with its size and the limit, never half-read.  The check also refuses what cannot
 * be read safely at all: a device never ends, and a FIFO or a symbolic link inside a folder given
 * to a loader would make it block or read outside that folder.
 */
#include "gp-loaders.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

static const char *
kind_of(mode_t mode)
{
  if (S_ISLNK(mode))
    return "a symbolic link, not followed";
  if (S_ISDIR(mode))
    return "a folder, not a file";
  if (S_ISFIFO(mode))
    return "a FIFO, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device, not a file";
  return "not a regular file";
}

gboolean
gp_check_input_file(const char *path, guint64 max_bytes, GpFileCheck flags, const char *hint,
                    GError **error)
{
  GStatBuf st;
  int status;

  g_return_val_if_fail(path != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  status = (flags & GP_FILE_CHECK_NO_SYMLINK) ? g_lstat(path, &st) : g_stat(path, &st);
  if (status != 0) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "cannot read: %s", g_strerror(errno));
    return FALSE;
  }
  /* A pipe (--ldif <(ldapsearch ...)) has no size to check; it is read as it comes. */
  if (S_ISFIFO(st.st_mode) && !(flags & GP_FILE_CHECK_REGULAR_ONLY))
    return TRUE;
  if (!S_ISREG(st.st_mode)) {
    gp_set_load_error(error, GP_LOAD_ERROR_IO, path, 0, "is %s", kind_of(st.st_mode));
    return FALSE;
  }
  if (max_bytes > 0 && (guint64)st.st_size > max_bytes) {
    gp_set_load_error(error, GP_LOAD_ERROR_LIMIT, path, 0,
                      "%" G_GUINT64_FORMAT " bytes is over the %" G_GUINT64_FORMAT
                      "-byte limit; %s",
                      (guint64)st.st_size, max_bytes, hint ? hint : "file refused");
    return FALSE;
  }
  return TRUE;
}

char *
gp_dir_find_child(const char *dir, const char *name)
{
  g_autofree char *exact = g_build_filename(dir, name, NULL);
  g_autoptr(GDir) handle = NULL;
  GStatBuf st;
  const char *entry;

  /* One lstat() rather than a listing: most copies keep Windows' spelling. */
  if (g_lstat(exact, &st) == 0)
    return g_steal_pointer(&exact);
  if (!(handle = g_dir_open(dir, 0, NULL)))
    return NULL;
  while ((entry = g_dir_read_name(handle)))
    if (g_ascii_strcasecmp(entry, name) == 0)
      return g_build_filename(dir, entry, NULL);
  return NULL;
}
