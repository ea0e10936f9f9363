/* test_text.c - gp_text_decode(): BOM sniffing, fallbacks, and every way the
 * bytes can be wrong (offsets named in the error).
 */
#include "gp-test.h"

#include <string.h>

#include "gp-loaders.h"

/* A byte-string literal and its length, NULs included. */
#define BYTES(literal) literal, sizeof(literal) - 1

static const struct {
  const char *data;
  gsize len;
  const char *expected;
  const char *note;
} decode_cases[] = {
  /* What Windows writes for a security template: BOM, CRLF. */
  { BYTES("\xff\xfe[\0a\0]\0\r\0\n\0x\0=\0"
          "1\0\r\0\n\0"),
    "[a]\r\nx=1\r\n", "UTF-16LE with BOM" },
  /* U+00E9 and U+20AC */
  { BYTES("\xff\xfe\xe9\0\xac\x20"), "\xc3\xa9\xe2\x82\xac", "UTF-16LE with BOM" },
  /* U+1F600 as a surrogate pair */
  { BYTES("\xff\xfe=\0\x3d\xd8\x00\xde=\0"), "=\xf0\x9f\x98\x80=", "UTF-16LE with BOM" },
  { BYTES("\xff\xfe"), "", "UTF-16LE with BOM" },
  { BYTES("\xef\xbb\xbf[a]\nx=1\n"), "[a]\nx=1\n", "UTF-8 with BOM" },
  { BYTES("[a]\nname=caf\xc3\xa9\n"), "[a]\nname=caf\xc3\xa9\n", "UTF-8" },
  { BYTES("[\0a\0]\0\n\0"), "[a]\n", "UTF-16LE without BOM" },
  { BYTES("caf\xe9 \x80"), "caf\xc3\xa9 \xe2\x82\xac", "Windows-1252" },
  { BYTES(""), "", "empty" },
};

static void
test_decode_good_input(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(decode_cases); i++) {
    g_autoptr(GError) error = NULL;
    const char *note = NULL;
    g_autofree char *text
        = gp_text_decode(decode_cases[i].data, decode_cases[i].len, "t.inf", &note, &error);

    if (error)
      printf("\ncase %" G_GSIZE_FORMAT ": %s\n", i, error->message);
    GP_ASSERT_STR(text, decode_cases[i].expected);
    GP_ASSERT_STR(note, decode_cases[i].note);
  }
}

static const struct {
  const char *data;
  gsize len;
  const char *message;
} broken_cases[] = {
  /* Truncated: the last code unit has one byte. */
  { BYTES("\xff\xfe[\0a"),
    "t.inf: invalid UTF-16LE at byte 4; save the file as UTF-16LE or UTF-8" },
  /* A low surrogate with no high one before it. */
  { BYTES("\xff\xfe"
          "A\0\0\xdc"
          "B\0"),
    "t.inf: invalid UTF-16LE at byte 4; save the file as UTF-16LE or UTF-8" },
  /* A high surrogate followed by a plain character. */
  { BYTES("\xff\xfe\0\xd8"
          "A\0"),
    "t.inf: invalid UTF-16LE at byte 2; save the file as UTF-16LE or UTF-8" },
  /* A high surrogate cut off at the end of the file. */
  { BYTES("\xff\xfe"
          "A\0\0\xd8"),
    "t.inf: invalid UTF-16LE at byte 4; save the file as UTF-16LE or UTF-8" },
  /* Odd length without a BOM, but clearly UTF-16LE. */
  { BYTES("[\0a\0]"), "t.inf: invalid UTF-16LE at byte 4; save the file as UTF-16LE or UTF-8" },
  { BYTES("\xff\xfe"
          "A\0\0\0"
          "B\0"),
    "t.inf: NUL character at byte 4; save the file as UTF-16LE or UTF-8" },
  { BYTES("ab\0cd"), "t.inf: NUL character at byte 2; save the file as UTF-16LE or UTF-8" },
  { BYTES("\xef\xbb\xbf"
          "a\0"),
    "t.inf: NUL character at byte 4; save the file as UTF-16LE or UTF-8" },
  { BYTES("\xef\xbb\xbf"
          "a\xff"),
    "t.inf: invalid UTF-8 at byte 4; save the file as UTF-16LE or UTF-8" },
  /* 0x81 is undefined in Windows-1252. */
  { BYTES("a\x81"), "t.inf: invalid text (neither UTF-8 nor Windows-1252) at byte 1; save the "
                    "file as UTF-16LE or UTF-8" },
  { BYTES("\xfe\xff\0["), "t.inf: UTF-16BE is not supported; save the file as UTF-16LE or UTF-8" },
};

static void
test_decode_broken_input(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(broken_cases); i++) {
    g_autoptr(GError) error = NULL;
    const char *note = "untouched";
    g_autofree char *text
        = gp_text_decode(broken_cases[i].data, broken_cases[i].len, "t.inf", &note, &error);

    CU_ASSERT_PTR_NULL(text);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LOAD_ERROR, GP_LOAD_ERROR_ENCODING));
    GP_ASSERT_STR(error ? error->message : NULL, broken_cases[i].message);
    GP_ASSERT_STR(note, "untouched");
  }
}

/* Whatever the bytes, the result is either NUL-free valid UTF-8 or an error. */
static void
test_decode_random_bytes(void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(20240611);
  guint8 buf[24];

  for (guint round = 0; round < 3000; round++) {
    g_autoptr(GError) error = NULL;
    gsize len = (gsize)g_rand_int_range(rand, 0, sizeof buf + 1);
    g_autofree char *text = NULL;

    for (gsize i = 0; i < len; i++)
      buf[i] = (guint8)g_rand_int_range(rand, 0, 256);
    if (round % 3 == 0 && len >= 2) {
      buf[0] = 0xFF; /* exercise the UTF-16 path often */
      buf[1] = 0xFE;
    }
    text = gp_text_decode((const char *)buf, len, "r", NULL, &error);
    CU_ASSERT((text == NULL) != (error == NULL));
    if (text)
      CU_ASSERT_TRUE(g_utf8_validate(text, -1, NULL));
  }
}

static void
test_decode_real_sample(void)
{
  g_autofree char *path = gp_test_sample("gpttmpl_inf/t0x01-WS2022-DomainController_GptTmpl.inf");
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *note = NULL;
  gsize len = 0;

  if (path == NULL)
    return;
  data = gp_test_read(path, &len);
  text = gp_text_decode(data, len, path, &note, &error);
  CU_ASSERT_PTR_NULL(error);
  GP_ASSERT_STR(note, "UTF-16LE with BOM");
  CU_ASSERT_TRUE(text && g_str_has_prefix(text, "[Unicode]\r\nUnicode=yes\r\n"));
  CU_ASSERT_TRUE(text && strstr(text, "SeImpersonatePrivilege = *S-1-5-32-544,") != NULL);
  /* One character per UTF-16 code unit: all of this file is ASCII. */
  CU_ASSERT_EQUAL(text ? strlen(text) : 0, (len - 2) / 2);
}

static const GpTestCase cases[] = {
  GP_TEST(test_decode_good_input),
  GP_TEST(test_decode_broken_input),
  GP_TEST(test_decode_random_bytes),
  GP_TEST(test_decode_real_sample),
};

GP_TEST_MAIN("text", cases)
