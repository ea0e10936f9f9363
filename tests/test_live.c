/* test_live.c - live acquisition (loaders/gp-live*.c) without a domain controller:
 * the LDIF writer read back by the LDIF loader, where passwords come from, host
 * names, and the one-line errors for a refused connection and a timeout.  The
 * network tests use only listeners this test opens on 127.0.0.1; the real DC
 * is tests/interop/live.sh's. */
#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gp-live.h"
#include "gp-loaders.h"
#include "gp-test.h"

#define DOMAIN_DN "DC=contoso,DC=com"
#define GPO_GUID  "{31B2F340-016D-11D2-945F-00C04FB984F9}"
#define GPO_B     "{1B2C3D4E-0000-0000-0000-00000000B001}"
#define GPO_C     "{1B2C3D4E-0000-0000-0000-00000000C001}"
#define GPO_DN(g) "CN=" g ",CN=Policies,CN=System," DOMAIN_DN
/* A Default Domain Policy descriptor as ldapsearch exported it (owner, group,
 * DACL with an object ACE for Apply Group Policy), fixtures/labs/fabrikam. */
#define GPO_SD_BASE64                                                                              \
  "AQAEnNwAAAD4AAAAAAAAABQAAAAEAMgABwAAAAEAFABAAAEAAQEAAAAAAAEAAAAAAAIkAP8ADwABBQAAAAAA"           \
  "BRUAAAABXtCyAl7QsgNe0LIAAgAAAAIkAP8ADwABBQAAAAAABRUAAAABlDV3ApQ1dwOUNXcHAgAAAAIUAP8A"           \
  "DwABAQAAAAAABRIAAAAAAhQAlAACAAEBAAAAAAAFCQAAAAACFACUAAIAAQEAAAAAAAULAAAABQIoAAABAAAB"           \
  "AAAAj/2s7bP/0RG0HQCgyWj5OQEBAAAAAAAFCwAAAAEFAAAAAAAFFQAAAAFe0LICXtCyA17QsgACAAABBQAA"           \
  "AAAABRUAAAABXtCyAl7QsgNe0LIAAgAA"

/* S-1-5-21-1111-2222-3333[-rid] as objectSid stores it. */
static GByteArray *
binary_sid(guint32 rid)
{
  static const guint8 head[] = { 1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0 };
  const guint32 subs[] = { 1111, 2222, 3333, rid };
  GByteArray *sid = g_byte_array_new();

  g_byte_array_append(sid, head, sizeof head);
  sid->data[1] = rid ? 5 : 4;
  for (guint i = 0; i < (rid ? 4u : 3u); i++) {
    guint32 le = GUINT32_TO_LE(subs[i]);
    g_byte_array_append(sid, (const guint8 *)&le, 4);
  }
  return sid;
}

static void
text(GString *ldif, const char *attr, const char *value)
{
  gp_live_ldif_append(ldif, attr, value, strlen(value));
}

/* ----------------------------------------------------------- LDIF writer */

static void
test_ldif_safe_strings(void)
{
  static const guint8 binary[] = { 0x01, 0x00, 0xff, 0x20 };
  g_autoptr(GString) out = g_string_new(NULL);

  text(out, "cn", "plain value");
  text(out, "a", " leading space");
  text(out, "b", ":colon");
  text(out, "c", "<less");
  text(out, "d", "trailing ");
  text(out, "e",
       "S\xc3\xa9"
       "curit\xc3\xa9");
  text(out, "f", "tab\there");
  text(out, "g", "");
  gp_live_ldif_append(out, "h", binary, sizeof binary);
  GP_ASSERT_STR(out->str, "cn: plain value\n"
                          "a:: IGxlYWRpbmcgc3BhY2U=\n"
                          "b:: OmNvbG9u\n"
                          "c:: PGxlc3M=\n"
                          "d:: dHJhaWxpbmcg\n"
                          "e:: U8OpY3VyaXTDqQ==\n"
                          "f:: dGFiCWhlcmU=\n"
                          "g:\n"
                          "h:: AQD/IA==\n");
}

static void
test_ldif_folding(void)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GString) value = g_string_new(NULL);
  g_autoptr(GString) unfolded = g_string_new(NULL);
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf(value, "[LDAP://cn={%u},cn=policies;0]", i);
  text(out, "gPLink", value->str);
  lines = g_strsplit(out->str, "\n", -1);
  CU_ASSERT_TRUE(g_strv_length(lines) > 3);
  for (guint i = 0; lines[i] && *lines[i]; i++) {
    CU_ASSERT_TRUE(strlen(lines[i]) <= 76);
    CU_ASSERT_EQUAL(lines[i][0] == ' ', i > 0);
    g_string_append(unfolded, lines[i] + (i > 0));
  }
  g_string_prepend(value, "gPLink: ");
  GP_ASSERT_STR(unfolded->str, value->str);
}

/* Writes the test directory: a domain, an OU, a GPO and a computer, with
 * binary SIDs and descriptor, non-ASCII names and long folded values. */
static void
write_directory(GString *ldif, const guint8 *sd, gsize sd_len)
{
  g_autoptr(GByteArray) domain_sid = binary_sid(0);
  g_autoptr(GByteArray) computer_sid = binary_sid(1105);

  text(ldif, "dn", DOMAIN_DN);
  text(ldif, "objectClass", "domainDNS");
  gp_live_ldif_append(ldif, "objectSid", domain_sid->data, domain_sid->len);
  text(ldif, "gPLink", "[LDAP://" GPO_DN(GPO_B) ";0][LDAP://" GPO_DN(GPO_GUID) ";2]");
  text(ldif, "dn", "OU=B\xc3\xbcros," DOMAIN_DN);
  text(ldif, "objectClass", "organizationalUnit");
  text(ldif, "gPLink", "[LDAP://" GPO_DN(GPO_C) ";1]");
  text(ldif, "gPOptions", "1");
  text(ldif, "dn", GPO_DN(GPO_GUID));
  text(ldif, "objectClass", "groupPolicyContainer");
  text(ldif, "displayName", "Richtlinie f\xc3\xbcr B\xc3\xbcros");
  text(ldif, "flags", "0");
  text(ldif, "versionNumber", "65539");
  text(ldif, "gPCFileSysPath", "\\\\contoso.com\\SysVol\\contoso.com\\Policies\\" GPO_GUID);
  gp_live_ldif_append(ldif, "nTSecurityDescriptor", sd, sd_len);
  text(ldif, "dn", "CN=WS01,OU=B\xc3\xbcros," DOMAIN_DN);
  text(ldif, "objectClass", "computer");
  text(ldif, "sAMAccountName", "WS01$");
  text(ldif, "operatingSystem", "Windows 11 Enterprise");
  gp_live_ldif_append(ldif, "objectSid", computer_sid->data, computer_sid->len);
  text(ldif, "memberOf", "CN=Kiosks,OU=B\xc3\xbcros," DOMAIN_DN);
}

static void
assert_same_descriptor(const GpSecurityDescriptor *got, const GpSecurityDescriptor *want)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL(got);
  GP_ASSERT_STR(got->owner, want->owner);
  CU_ASSERT_EQUAL_FATAL(got->dacl->len, want->dacl->len);
  for (guint i = 0; i < want->dacl->len; i++) {
    const GpAce *a = g_ptr_array_index(got->dacl, i);
    const GpAce *b = g_ptr_array_index(want->dacl, i);
    CU_ASSERT_EQUAL(a->type, b->type);
    CU_ASSERT_EQUAL(a->mask, b->mask);
    GP_ASSERT_STR(a->sid, b->sid);
    GP_ASSERT_STR(a->object_type, b->object_type);
  }
}

static void
test_ldif_round_trip(void)
{
  gsize sd_len = 0;
  g_autofree guint8 *sd = g_base64_decode(GPO_SD_BASE64, &sd_len);
  g_autoptr(GpSecurityDescriptor) want = gp_sd_from_binary(sd, sd_len, NULL);
  g_autoptr(GString) ldif = g_string_new("version: 1\n");
  g_autoptr(GpModel) model = gp_model_new();
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;
  const GpSom *ou;
  const GpGpo *gpo;
  g_autoptr(GPtrArray) computers = NULL;
  const GpComputer *ws;

  write_directory(ldif, sd, sd_len);
  CU_ASSERT_PTR_NOT_NULL(strstr(ldif->str, "\nnTSecurityDescriptor:: AQAEnNwAAAD4"));
  CU_ASSERT_PTR_NOT_NULL(strstr(ldif->str, "\n "));
  CU_ASSERT_TRUE(gp_ldif_load_from_data(ldif->str, ldif->len, "live.ldif", model, diags, &error));
  CU_ASSERT_EQUAL(diags->len, 0);
  GP_ASSERT_STR(gp_model_find_domain(model, DOMAIN_DN)->sid, "S-1-5-21-1111-2222-3333");
  CU_ASSERT_EQUAL(gp_model_find_som(model, DOMAIN_DN)->links->len, 2);
  ou = gp_model_find_som(model, "OU=B\xc3\xbcros," DOMAIN_DN);
  CU_ASSERT_PTR_NOT_NULL_FATAL(ou);
  CU_ASSERT_EQUAL(ou->gp_options, 1);
  GP_ASSERT_STR(((GpLink *)g_ptr_array_index(ou->links, 0))->gpo_guid, GPO_C);
  gpo = gp_model_find_gpo_dn(model, GPO_DN(GPO_GUID));
  CU_ASSERT_PTR_NOT_NULL_FATAL(gpo);
  GP_ASSERT_STR(gpo->display_name, "Richtlinie f\xc3\xbcr B\xc3\xbcros");
  CU_ASSERT_EQUAL(gpo->version_number, 65539);
  assert_same_descriptor(gpo->security_descriptor, want);
  computers = gp_model_find_computers(model, "WS01");
  CU_ASSERT_EQUAL_FATAL(computers->len, 1);
  ws = g_ptr_array_index(computers, 0);
  GP_ASSERT_STR(ws->sid, "S-1-5-21-1111-2222-3333-1105");
  GP_ASSERT_STR(g_ptr_array_index(ws->member_of, 0), "CN=Kiosks,OU=B\xc3\xbcros," DOMAIN_DN);
}

/* -------------------------------------------------------------- passwords */

static char *
temp_file(const char *contents)
{
  char *path = NULL;
  int fd = g_file_open_tmp("gpsim-test-pw-XXXXXX", &path, NULL);

  close(fd);
  g_file_set_contents(path, contents, -1, NULL);
  return path;
}

static void
test_password_order(void)
{
  g_autofree char *file = temp_file("from-file\r\nsecond line\n");
  g_autofree char *empty = temp_file("\nsecret on line 2\n");
  g_autoptr(GError) error = NULL;
  GpLivePasswordSource source = GP_LIVE_PASSWORD_PROMPT;
  char *password;

  g_setenv("GPSIM_PASSWORD", "from-env", TRUE);
  password = gp_live_password(file, "alice", &source, &error);
  GP_ASSERT_STR(password, "from-file");
  CU_ASSERT_EQUAL(source, GP_LIVE_PASSWORD_FILE);
  gp_live_password_free(password);
  password = gp_live_password(NULL, "alice", &source, &error);
  GP_ASSERT_STR(password, "from-env");
  CU_ASSERT_EQUAL(source, GP_LIVE_PASSWORD_ENV);
  gp_live_password_free(password);
  /* a file that is given wins even when it is unusable: never a silent fallback */
  CU_ASSERT_PTR_NULL(gp_live_password(empty, "alice", NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_PASSWORD));
  g_clear_error(&error);
  CU_ASSERT_PTR_NULL(gp_live_password("/nonexistent/pw", "alice", NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_PASSWORD));
  g_unsetenv("GPSIM_PASSWORD");
  g_unlink(file);
  g_unlink(empty);
}

static void
test_parse_host(void)
{
  static const struct {
    const char *text, *host;
    guint port;
  } good[] = { { "dc1.contoso.com", "dc1.contoso.com", 0 },
               { "dc1:3269", "dc1", 3269 },
               { "[::1]:636", "::1", 636 },
               { "::1", "::1", 0 },
               { "[fe80::1]", "fe80::1", 0 } };
  static const char *const bad[]
      = { "", ":636", "dc1:0", "dc1:99999", "dc1:ldaps", "[::1", "[::1]x", "[]:636" };

  for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autofree char *host = NULL;
    guint port = 1;
    CU_ASSERT_TRUE(gp_live_parse_host(good[i].text, &host, &port, NULL));
    GP_ASSERT_STR(host, good[i].host);
    CU_ASSERT_EQUAL(port, good[i].port);
  }
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *host = NULL;
    guint port = 0;
    g_autoptr(GError) error = NULL;
    CU_ASSERT_FALSE(gp_live_parse_host(bad[i], &host, &port, &error));
    CU_ASSERT_PTR_NOT_NULL(error);
  }
}

/* ------------------------------------------------------------- connecting */

/* A socket listening on 127.0.0.1, on a port the system chose. */
static int
listener(guint *port)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CU_ASSERT_EQUAL(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  CU_ASSERT_EQUAL(listen(fd, 8), 0);
  CU_ASSERT_EQUAL(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
  *port = ntohs(addr.sin_port);
  return fd;
}

/* Runs gp_live_read() against 127.0.0.1:@port, which must fail.
 * Returns: (transfer full): the error, and in @seconds how long it took. */
static GError *
read_from(guint port, gboolean starttls, guint timeout, double *seconds)
{
  GpLiveOptions options
      = { "127.0.0.1", port, "alice", "secret", FALSE, NULL, FALSE, starttls, timeout };
  g_autofree char *dir = g_dir_make_tmp("gpsim-test-live-XXXXXX", NULL);
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  GError *error = NULL;
  gint64 start = g_get_monotonic_time();

  CU_ASSERT_FALSE(gp_live_read(&options, dir, diags, NULL, NULL, &error));
  *seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
  CU_ASSERT_EQUAL(g_rmdir(dir), 0); /* nothing was written */
  CU_ASSERT_PTR_NOT_NULL(error);
  if (error)
    printf("\n  %s (%.2f s)", error->message, *seconds);
  return error;
}

static void
test_refused(void)
{
  guint port = 0;
  double seconds = 0;
  int fd = listener(&port);

  close(fd); /* nothing listens there now */
  for (int starttls = 0; starttls <= 1; starttls++) {
    g_autoptr(GError) error = read_from(port, starttls, 10, &seconds);
    g_autofree char *expected = g_strdup_printf("%s://127.0.0.1:%u: connection refused",
                                                starttls ? "ldap" : "ldaps", port);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_REFUSED));
    GP_ASSERT_STR(error ? error->message : NULL, expected);
    CU_ASSERT_TRUE(seconds < 5);
  }
}

static void
test_timeout(void)
{
  guint port = 0;
  double seconds = 0;
  /* connections are queued by the kernel, never accepted, never answered:
   * the TLS handshake (LDAPS) or the StartTLS request would wait forever */
  int fd = listener(&port);

  for (int starttls = 0; starttls <= 1; starttls++) {
    g_autoptr(GError) error = read_from(port, starttls, 1, &seconds);
    g_autofree char *expected = g_strdup_printf("%s://127.0.0.1:%u: timed out after 1 s",
                                                starttls ? "ldap" : "ldaps", port);
    CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_TIMEOUT));
    GP_ASSERT_STR(error ? error->message : NULL, expected);
    CU_ASSERT_TRUE(seconds >= 0.9 && seconds < 5);
  }
  close(fd);
}

static gpointer
accept_and_close(gpointer data)
{
  int fd = GPOINTER_TO_INT(data);

  /* the read, then the second handshake that tells a certificate problem */
  for (int i = 0; i < 2; i++) {
    int client = accept(fd, NULL, NULL);
    if (client >= 0)
      close(client);
  }
  return NULL;
}

static void
test_not_tls(void)
{
  guint port = 0;
  double seconds = 0;
  int fd = listener(&port);
  GThread *thread = g_thread_new("accept", accept_and_close, GINT_TO_POINTER(fd));
  g_autoptr(GError) error = read_from(port, FALSE, 10, &seconds);
  g_autofree char *expected = g_strdup_printf("ldaps://127.0.0.1:%u: TLS handshake failed", port);

  g_thread_join(thread);
  close(fd);
  CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_TLS));
  CU_ASSERT_TRUE(error && g_str_has_prefix(error->message, expected));
  CU_ASSERT_TRUE(seconds < 5);
}

static void
test_credentials_needed(void)
{
  GpLiveOptions options = { "127.0.0.1", 1, NULL, NULL, FALSE, NULL, FALSE, FALSE, 1 };
  g_autoptr(GPtrArray) diags = gp_diag_list_new();
  g_autoptr(GError) error = NULL;

  CU_ASSERT_FALSE(gp_live_read(&options, "/nonexistent", diags, NULL, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_CREDENTIALS));
  g_clear_error(&error);
  options.user = "CN=alice,CN=Users," DOMAIN_DN;
  CU_ASSERT_FALSE(gp_live_read(&options, "/nonexistent", diags, NULL, NULL, &error));
  CU_ASSERT_TRUE(g_error_matches(error, GP_LIVE_ERROR, GP_LIVE_ERROR_CREDENTIALS));
}

static const GpTestCase cases[] = {
  GP_TEST(test_ldif_safe_strings), GP_TEST(test_ldif_folding), GP_TEST(test_ldif_round_trip),
  GP_TEST(test_password_order),    GP_TEST(test_parse_host),   GP_TEST(test_refused),
  GP_TEST(test_timeout),           GP_TEST(test_not_tls),      GP_TEST(test_credentials_needed),
};

GP_TEST_MAIN("live", cases)
