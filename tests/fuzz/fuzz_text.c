/* fuzz_text.c - gp_text_decode(): BOMs, UTF-16LE, UTF-8, Windows-1252.
 *
 * What comes out must be what the line parsers assume: valid UTF-8 without a
 * NUL, and an encoding note; what fails must fail with a GP_LOAD_ERROR.
 */
#include "fuzz-common.h"

#include <stdlib.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  const char *note = NULL;
  g_autofree char *text = gp_text_decode((const char *)data, size, "fuzz.txt", &note, &error);

  fuzz_check_result(text != NULL, error);
  if (text != NULL && (note == NULL || !g_utf8_validate(text, -1, NULL))) {
    g_printerr("fuzz_text: decoded text is not valid UTF-8, or has no encoding note\n");
    abort();
  }
  return 0;
}
