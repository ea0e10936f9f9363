/* test_hostile.c - the real gpsim binary on hostile input (fixtures/hostile/).
 *
 * Every case runs the executable, as a user would, on a file of
 * fixtures/hostile/ (README.md there lists them with the line expected) or on
 * one generated here (enormous files, over-long lines, truncations, FIFOs and
 * symbolic links out of a SYSVOL copy).  An input gpsim cannot load must end
 * in exit code 2, nothing on stdout, and exactly one "gpsim: error:" line that
 * names the file and says where (line or byte offset) and what; an input that
 * is loadable ends in exit code 0 with warnings naming file and line.  Never a
 * signal, a hang, or a byte read from outside the folders given.
 *
 * Each run goes through `timeout`, so a process that blocks (on a FIFO it
 * should never have opened) fails the case instead of hanging the suite.
 * GP_TEST_WRAPPER (valgrind in `make test-valgrind`) prefixes the command, as
 * in test_cli.c; the truncation sweeps then run every 16th prefix only.
 */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gp-test.h"

/* The exit status valgrind is told to use when it finds an error or a leak. */
#define GP_TEST_WRAPPER_FAILURE 97
/* What `timeout` exits with when the command ran out of time. */
#define TIMEOUT_STATUS 124
/* Seconds a single run may take (valgrind included) before it counts as hung. */
#define RUN_SECONDS "60"
/* The canary SID: it shows in the output only if a file outside was read. */
#define CANARY_SID     "S-1-5-21-4242-4242-4242-4242"
#define ESCAPE_GUID(n) "{E0000000-0000-4000-8000-00000000000" #n "}"
#define ESCAPE_DOMAIN  "DC=escape,DC=test"

typedef struct {
  int status; /* exit status, or -1 after a signal */
  char *out;
  char *err;
} Run;

static void
run_clear(Run *run)
{
  g_free(run->out);
  g_free(run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Run, run_clear)

/* ------------------------------------------------------------ helpers */

static gboolean
wrapped(void)
{
  const char *wrapper = g_getenv("GP_TEST_WRAPPER");

  return wrapper != NULL && *wrapper != '\0';
}

/* Runs gpsim with @args (NULL-terminated) under `timeout` (and GP_TEST_WRAPPER)
 * with @env (nullable, "NAME=value" entries added to the environment). */
static void
run_gpsim_env(Run *run, const char *const *args, const char *const *env)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wrapper = NULL;
  g_auto(GStrv) envp = g_get_environ();
  const char *wrapper_text = g_getenv("GP_TEST_WRAPPER");
  int wait_status = 0;

  if (wrapper_text && *wrapper_text && !g_shell_parse_argv(wrapper_text, NULL, &wrapper, &error))
    CU_FAIL_FATAL(error->message);
  for (guint i = 0; env && env[i]; i++) {
    g_auto(GStrv) pair = g_strsplit(env[i], "=", 2);
    envp = g_environ_setenv(envp, pair[0], pair[1], TRUE);
  }
  g_ptr_array_add(argv, (gpointer) "timeout");
  g_ptr_array_add(argv, (gpointer) "--kill-after=10");
  g_ptr_array_add(argv, (gpointer)RUN_SECONDS);
  for (guint i = 0; wrapper && wrapper[i]; i++)
    g_ptr_array_add(argv, wrapper[i]);
  g_ptr_array_add(argv, (gpointer)GPSIM_BINARY);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  if (!g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &run->out,
                    &run->err, &wait_status, &error))
    CU_FAIL_FATAL(error->message);
  run->status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (run->status == GP_TEST_WRAPPER_FAILURE)
    printf("\nthe wrapper found errors:\n%s\n", run->err);
  if (run->status == TIMEOUT_STATUS)
    printf("\ngpsim did not finish within %s s (blocked?)\n", RUN_SECONDS);
  CU_ASSERT_NOT_EQUAL(run->status, GP_TEST_WRAPPER_FAILURE);
  CU_ASSERT_NOT_EQUAL(run->status, TIMEOUT_STATUS);
  CU_ASSERT_NOT_EQUAL(run->status, -1);
  /* A GLib critical or warning is a broken precondition, and noise on stderr. */
  CU_ASSERT_PTR_NULL(strstr(run->err, "-CRITICAL **"));
  CU_ASSERT_PTR_NULL(strstr(run->err, "-WARNING **"));
}

static void
run_gpsim(Run *run, const char *const *args)
{
  run_gpsim_env(run, args, NULL);
}

static guint
count_lines_with(const char *text, const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i]; i++)
    n += g_str_has_prefix(lines[i], prefix);
  return n;
}

static guint
count_occurrences(const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

/* Returns: (transfer full) (nullable): the first stderr line starting with @prefix. */
static char *
line_with(const char *text, const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix(lines[i], prefix))
      return g_strdup(lines[i]);
  return NULL;
}

/* Asserts the contract of an input error: exit 2, no stdout, exactly one
 * "gpsim: error: FILE..." line, holding @what; with @located, the line also
 * says where: "FILE:LINE: " or "at byte N". */
static void
assert_input_error(const Run *run, const char *file, const char *what, gboolean located)
{
  g_autofree char *prefix = g_strdup_printf("gpsim: error: %s", file);
  g_autofree char *line = line_with(run->err, "gpsim: error: ");
  g_autofree char *escaped = g_regex_escape_string(file, -1);
  g_autofree char *pattern
      = g_strdup_printf("^gpsim: error: %s(:[0-9]+: |: .* at byte [0-9]+)", escaped);

  printf("\n  %s", line ? line : run->err);
  CU_ASSERT_EQUAL(run->status, 2);
  CU_ASSERT_STRING_EQUAL(run->out, "");
  CU_ASSERT_EQUAL(count_lines_with(run->err, "gpsim: error: "), 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL(line);
  CU_ASSERT_TRUE(g_str_has_prefix(line, prefix));
  CU_ASSERT_PTR_NOT_NULL(strstr(line, what));
  if (located)
    CU_ASSERT_TRUE(g_regex_match_simple(pattern, line, 0, 0));
}

/* Asserts a loadable input: exit 0 and no error line. */
static void
assert_loaded(const Run *run)
{
  if (run->status != 0)
    printf("\n  unexpected status %d: %s", run->status, run->err);
  CU_ASSERT_EQUAL(run->status, 0);
  CU_ASSERT_EQUAL(count_lines_with(run->err, "gpsim: error: "), 0);
}

static char *
hostile(const char *name)
{
  g_autofree char *relative = g_build_filename("hostile", name, NULL);

  return gp_test_fixture(relative);
}

/* Writes @len bytes of @data to @dir/@name.  Returns: (transfer full): the path. */
static char *
write_file(const char *dir, const char *name, const char *data, gssize len)
{
  char *path = g_build_filename(dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname(path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents(parent, 0755);
  if (!g_file_set_contents(path, data, len, &error))
    CU_FAIL(error->message);
  return path;
}

/* A sparse file of @size bytes: enormous, yet it takes no disk space. */
static char *
sparse_file(const char *dir, const char *name, gint64 size)
{
  char *path = g_build_filename(dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname(path);
  int fd;

  g_mkdir_with_parents(parent, 0755);
  fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CU_ASSERT_TRUE_FATAL(fd >= 0);
  CU_ASSERT_EQUAL(ftruncate(fd, (off_t)size), 0);
  close(fd);
  return path;
}

/* Removes @path and what it holds; symbolic links are removed, never followed. */
static void
remove_tree(const char *path)
{
  GStatBuf st;

  if (g_lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
      g_autofree char *child = g_build_filename(path, name, NULL);
      remove_tree(child);
    }
    g_rmdir(path);
  } else {
    g_unlink(path);
  }
}

typedef char TmpDir;

static TmpDir *
tmp_dir_new(void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp("gpsim-hostile-XXXXXX", &error);

  if (!dir)
    CU_FAIL_FATAL(error->message);
  return dir;
}

static void
tmp_dir_free(TmpDir *dir)
{
  remove_tree(dir);
  g_free(dir);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TmpDir, tmp_dir_free)

/* --------------------------------------------------- XML: DTDs, entities */

static void
test_xml_entities_and_dtds(void)
{
  static const struct {
    const char *file;
    const char *option;
  } cases[] = {
    { "xxe-file.xml", "--gpreport" },       { "xxe-file.xml", "--input" },
    { "xxe-network-dtd.xml", "--rsop" },    { "xxe-parameter-entity.xml", "--gpreport" },
    { "billion-laughs.xml", "--gpreport" }, { "billion-laughs.xml", "--rsop" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = hostile(cases[i].file);
    const char *args[] = { "show", cases[i].option, path, NULL };
    g_auto(Run) run = { 0 };

    run_gpsim(&run, args);
    assert_input_error(&run, path, "has a <!DOCTYPE> declaration", TRUE);
    /* Nothing of the entity's target came through. */
    CU_ASSERT_PTR_NULL(strstr(run.err, "root:"));
  }
}

static void
test_xml_deep_nesting(void)
{
  g_autofree char *path = hostile("deep-nesting.xml");
  const char *args[] = { "show", "--gpreport", path, NULL };
  g_auto(Run) run = { 0 };

  run_gpsim(&run, args);
  assert_input_error(&run, path, "not well-formed XML: Excessive depth", TRUE);
}

/* ------------------------------------------------------------- encodings */

static void
test_bad_utf16(void)
{
  static const struct {
    const char *file;
    const char *option;
    const char *what;
    gboolean located;
  } cases[] = {
    { "utf16-odd-length.inf", "--local", "invalid UTF-16LE at byte 170", TRUE },
    { "utf16-lone-surrogate.inf", "--local", "invalid UTF-16LE at byte 146", TRUE },
    { "utf16-lone-low-surrogate.xml", "--gpreport", "invalid UTF-16LE at byte 106", TRUE },
    /* The byte-order mark itself is the problem: the whole file. */
    { "utf16-big-endian.inf", "--local", "UTF-16BE is not supported", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = hostile(cases[i].file);
    const char *args[] = { "show", cases[i].option, path, NULL };
    g_auto(Run) run = { 0 };

    run_gpsim(&run, args);
    assert_input_error(&run, path, cases[i].what, cases[i].located);
  }
}

static void
test_nul_bytes(void)
{
  g_autofree char *path = hostile("nul-bytes.ldif");
  g_autofree char *data = NULL;
  g_autofree char *what = NULL;
  const char *args[] = { "show", "--ldif", path, NULL };
  g_auto(Run) run = { 0 };
  gsize len = 0;

  data = gp_test_read(path, &len);
  what = g_strdup_printf("NUL character at byte %td", (const char *)memchr(data, '\0', len) - data);
  run_gpsim(&run, args);
  assert_input_error(&run, path, what, TRUE);
}

/* Random bytes, with and without NULs, given as every kind of file. */
static void
test_binary_garbage(void)
{
  static const char *const options[]
      = { "--ldif", "--gpreport", "--rsop", "--local", "--gpinheritance" };
  static const struct {
    const char *file;
    const char *what;
  } files[] = {
    { "garbage.bin", "NUL character at byte" },
    { "garbage-no-nul.bin", "invalid text (neither UTF-8 nor Windows-1252) at byte" },
  };

  for (gsize f = 0; f < G_N_ELEMENTS(files); f++) {
    g_autofree char *path = hostile(files[f].file);
    const char *input_args[] = { "show", "--input", path, NULL };
    g_auto(Run) input = { 0 };

    for (gsize i = 0; i < G_N_ELEMENTS(options); i++) {
      const char *args[] = { "show", options[i], path, NULL };
      g_auto(Run) run = { 0 };

      run_gpsim(&run, args);
      assert_input_error(&run, path, files[f].what, TRUE);
    }
    /* Recognised from its content: it is nothing gpsim reads (a whole-file error). */
    run_gpsim(&input, input_args);
    assert_input_error(&input, path, "not a format gpsim reads", FALSE);
  }
}

/* ------------------------------------------------------- over-long lines */

static void
test_overlong_lines(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autoptr(GString) inf = g_string_new("[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\n");
  g_autoptr(GString) ldif = g_string_new("dn: DC=long,DC=test\nobjectClass: domainDNS\n"
                                         "description: ");
  g_autofree char *inf_path = NULL;
  g_autofree char *ldif_path = NULL;
  g_autofree char *inf_warning = NULL;
  g_autofree char *ldif_warning = NULL;
  g_auto(Run) inf_run = { 0 };
  g_auto(Run) ldif_run = { 0 };

  /* Line 4: 100 KB of holders, over the 64 KiB a template line may have. */
  g_string_append(inf, "SeImpersonatePrivilege = *S-1-5-32-544");
  while (inf->len < 100 * 1024)
    g_string_append(inf, ",*S-1-5-32-544");
  g_string_append(inf, "\r\nSeTcbPrivilege =\r\n");
  inf_path = write_file(dir, "overlong-line.inf", inf->str, (gssize)inf->len);
  /* Line 3 of the LDIF: 1.5 MiB folded into 76-byte lines, over the 1 MiB limit. */
  for (guint i = 0; i < 20000; i++)
    g_string_append(
        ldif, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n ");
  g_string_append(ldif, "end\n");
  ldif_path = write_file(dir, "overlong-line.ldif", ldif->str, (gssize)ldif->len);
  {
    const char *args[] = { "show", "--local", inf_path, NULL };
    run_gpsim(&inf_run, args);
  }
  {
    const char *args[] = { "show", "--ldif", ldif_path, NULL };
    run_gpsim(&ldif_run, args);
  }
  assert_loaded(&inf_run);
  assert_loaded(&ldif_run);
  inf_warning
      = g_strdup_printf("gpsim: %s:4: warning: line is longer than 65536 bytes; skipped", inf_path);
  ldif_warning = g_strdup_printf("gpsim: %s:3: warning: line 'description: xxx", ldif_path);
  CU_ASSERT_EQUAL(count_lines_with(inf_run.err, inf_warning), 1);
  CU_ASSERT_EQUAL(count_lines_with(ldif_run.err, ldif_warning), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(ldif_run.err, "is longer than 1 MiB after unfolding"));
}

/* ------------------------------------------------------------ truncation */

typedef gboolean (*BoundaryFn)(const char *data, gsize len, gsize at);

/* LDIF records and INF sections start at a line start. */
static gboolean
at_line_start(const char *data, gsize at)
{
  return at == 0 || data[at - 1] == '\n';
}

/* The start of a record ("dn:"), or of the ldapsearch trailer. */
static gboolean
ldif_boundary(const char *data, gsize len, gsize at)
{
  return at_line_start(data, at) && len - at >= 7
         && (g_ascii_strncasecmp(data + at, "dn:", 3) == 0
             || g_ascii_strncasecmp(data + at, "search:", 7) == 0);
}

/* A section header, in UTF-8 or UTF-16LE ('[' then a NUL high byte). */
static gboolean
inf_boundary(const char *data, gsize len, gsize at)
{
  if (data[at] != '[')
    return FALSE;
  if (at + 1 < len && data[at + 1] == '\0')
    return at < 2 || (data[at - 2] == '\n' && data[at - 1] == '\0');
  return at_line_start(data, at);
}

/* The start of a tag at most two levels below the root: the root's children
 * and grandchildren (a <GPO> of a <report> and its parts, a child of
 * <ComputerResults>), and the end tags that close them.  UTF-16LE text (with a
 * BOM) is scanned by code unit, its ASCII characters being one byte and a NUL. */
static gboolean
xml_boundary(const char *data, gsize len, gsize at)
{
  gsize unit = len > 2 && (guchar)data[0] == 0xFF && (guchar)data[1] == 0xFE ? 2 : 1;
  int depth = 0;

  if (data[at] != '<' || (unit == 2 && at % 2 != 0))
    return FALSE;
  /* The depth before @at: open tags minus end tags and empty elements. */
  for (gsize i = 0; i + unit < at; i += unit) {
    if (data[i] != '<')
      continue;
    if (data[i + unit] == '/')
      depth--;
    else if (data[i + unit] != '?' && data[i + unit] != '!')
      depth++;
  }
  for (gsize i = 0; i + unit < at; i += unit)
    if (data[i] == '/' && data[i + unit] == '>')
      depth--;
  return depth <= 2;
}

/* Runs @option on every prefix of @fixture that ends just before a boundary
 * (and, for every 8th boundary, one byte further: a cut inside a record, a
 * UTF-16 unit cut in half): each loads (0) or fails with one clean error line
 * (2), never anything else. */
static void
sweep_prefixes(const char *fixture, const char *option, BoundaryFn boundary)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *base = g_path_get_basename(fixture);
  g_autofree char *data = NULL;
  guint stride = wrapped() ? 16 : 1;
  guint seen = 0, runs = 0, loaded = 0;
  gsize len = 0;

  data = gp_test_read(fixture, &len);
  if (!data)
    return;
  for (gsize at = 0; at < len; at++) {
    guint index;

    if (!boundary(data, len, at))
      continue;
    index = seen++;
    if (index % stride != 0)
      continue;
    for (gsize cut = at; cut <= at + (index % 8 == 0) && cut < len; cut++) {
      g_autofree char *name = g_strdup_printf("%s.%06" G_GSIZE_FORMAT, base, cut);
      g_autofree char *path = write_file(dir, name, data, (gssize)cut);
      const char *args[] = { "show", option, path, NULL };
      g_auto(Run) run = { 0 };

      run_gpsim(&run, args);
      runs++;
      loaded += run.status == 0;
      if (run.status != 0 && run.status != 2)
        printf("\n  %s cut at %" G_GSIZE_FORMAT ": status %d\n%s", base, cut, run.status, run.err);
      CU_ASSERT_TRUE(run.status == 0 || run.status == 2);
      if (run.status == 2) {
        g_autofree char *prefix = g_strdup_printf("gpsim: error: %s", path);
        CU_ASSERT_STRING_EQUAL(run.out, "");
        CU_ASSERT_EQUAL(count_lines_with(run.err, "gpsim: error: "), 1);
        CU_ASSERT_EQUAL(count_lines_with(run.err, prefix), 1);
      }
      g_unlink(path);
    }
  }
  printf("\n  %s: %u prefixes, %u loaded, %u refused", base, runs, loaded, runs - loaded);
  CU_ASSERT_TRUE(runs > 0);
}

static void
test_truncated_ldif(void)
{
  static const char *const files[]
      = { "labs/contoso/contoso.ldif", "labs/fabrikam/fabrikam.ldif", "labs/fabrikam/emea.ldif",
          "hostile/gplink-garbage.ldif", "hostile/ldif-orphans.ldif" };

  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *path = gp_test_fixture(files[i]);
    sweep_prefixes(path, "--ldif", ldif_boundary);
  }
}

static void
test_truncated_inf(void)
{
  static const char *const files[] = {
    "labs/contoso/local/WEB01-secedit.inf",
    "inf/utf16le-bom-crlf.inf",
    "labs/contoso/sysvol/contoso.com/Policies/{6AC1786C-016F-11D2-945F-00C04fB984F9}/Machine/"
    "Microsoft/Windows NT/SecEdit/GptTmpl.inf",
  };

  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *path = gp_test_fixture(files[i]);
    sweep_prefixes(path, "--local", inf_boundary);
  }
}

static void
test_truncated_xml(void)
{
  static const struct {
    const char *file;
    const char *option;
  } files[] = {
    { "hostile/duplicate-guid-a.xml", "--gpreport" },
    { "../tests/fuzz/corpus/fuzz_gpreport/report-two.xml", "--gpreport" },
    { "../tests/fuzz/corpus/fuzz_gpreport/gpo-one-utf16.xml", "--gpreport" },
    { "../tests/fuzz/corpus/fuzz_rsop/rsop-small.xml", "--rsop" },
    { "../tests/fuzz/corpus/fuzz_rsop/WEB01-gpresult-cut.xml", "--rsop" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *path = gp_test_fixture(files[i].file);
    sweep_prefixes(path, files[i].option, xml_boundary);
  }
}

/* ------------------------------------------------------ loadable garbage */

static void
test_gplink_garbage(void)
{
  static const char *const expected[] = {
    ":8: warning: gPLink has text 'LDAP://CN={11111111",
    ":14: warning: gPLink entry '[LDAP://CN={11111111",
    "has options '99999999999999999999999', not a number from 0 to 4294967295; entry skipped",
    ":19: warning: gPLink entry for 'LDAP://CN={22222222",
    "has options 4294967295; bits other than 1 (disabled) and 2 (enforced) are ignored",
    ":24: note: gPLink has an empty entry '[]'; ignored",
    ":29: warning: gPLink entry 'CN=Not A Guid,CN=Policies,CN=System,DC=garbage,DC=test' does "
    "not name a GPO by GUID",
    ":29: warning: gPLink entry '../../etc/passwd' does not name a GPO by GUID",
    ":34: warning: gPLink has text ']]]junk between' outside [...] entries; ignored",
    ":35: warning: value '99999999999999999999' of 'gPOptions' is not an integer",
  };
  g_autofree char *path = hostile("gplink-garbage.ldif");
  const char *show[] = { "show", "--ldif", path, NULL };
  const char *explain[] = { "explain", "--ldif", path, "--computer", "PC1", NULL };
  g_auto(Run) run = { 0 };
  g_auto(Run) explained = { 0 };

  run_gpsim(&run, show);
  assert_loaded(&run);
  for (gsize i = 0; i < G_N_ELEMENTS(expected); i++) {
    g_autofree char *line = g_strdup_printf("gpsim: %s%s", path, expected[i]);
    gboolean found = expected[i][0] != ':' ? strstr(run.err, expected[i]) != NULL
                                           : strstr(run.err, line) != NULL;
    if (!found)
      printf("\n  missing: %s", expected[i]);
    CU_ASSERT_TRUE(found);
  }
  run_gpsim(&explained, explain);
  assert_loaded(&explained);
  CU_ASSERT_PTR_NOT_NULL(strstr(explained.out, "Computer   PC1"));
}

/* Returns: (transfer full) (nullable): the `gpsim rsop` line of @computer. */
static char *
rsop_line(const char *jsonl, const char *computer)
{
  g_autofree char *key = g_strdup_printf("\"computer\":{\"name\":\"%s\"", computer);
  g_auto(GStrv) lines = g_strsplit(jsonl, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (strstr(lines[i], key))
      return g_strdup(lines[i]);
  return NULL;
}

/* Orphans: objects whose parents are absent, a computer whose OU is missing,
 * a computer of a domain that is not in the file, and a memberOf loop between
 * two groups, which the token of security filtering must walk and leave. */
static void
test_ldif_orphans_and_loops(void)
{
  static const struct {
    const char *computer;
    const char *has;
  } cases[] = {
    /* In LoopA, itself in LoopB: the GPO's filter grants LoopB, so it applies. */
    { "ORPHAN01", "\"name\":\"Orphan Domain Policy\",\"som\":\"DC=orphans,DC=test\","
                  "\"som_kind\":\"domain\",\"link_order\":1,\"enforced\":false,"
                  "\"status\":\"applied\"" },
    { "ORPHAN01", "OU=Missing,DC=orphans,DC=test is not in the data" },
    { "ORPHAN02", "\"reason\":\"GPO_NOT_FOUND\"" },
    { "ORPHAN02", "\"reason\":\"SECURITY_FILTER_DENIED\"" },
    { "STRAY", "\"gpos\":[{\"precedence\":1,\"guid\":null,\"name\":\"Local Group Policy\"" },
    { "STRAY", "DC=elsewhere,DC=test is not in the data" },
  };
  g_autofree char *path = hostile("ldif-orphans.ldif");
  const char *rsop[] = { "rsop", "--ldif", path, NULL };
  const char *explain[] = { "explain", "--ldif", path, "--computer", "ORPHAN02", NULL };
  g_auto(Run) all = { 0 };
  g_auto(Run) one = { 0 };

  run_gpsim(&all, rsop);
  assert_loaded(&all);
  CU_ASSERT_EQUAL(count_lines_with(all.out, "{\"schema\":\"gpsim.explain/1\""), 3);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *line = rsop_line(all.out, cases[i].computer);

    if (!line || !strstr(line, cases[i].has))
      printf("\n  %s: '%s' not in %s", cases[i].computer, cases[i].has, line ? line : "(none)");
    CU_ASSERT_TRUE(line && strstr(line, cases[i].has));
  }
  run_gpsim(&one, explain);
  assert_loaded(&one);
}

/* A domain whose DN has an empty DC= component has an empty DNS name: no GLib
 * critical when gpsim names it (fuzz_inherit found one). */
static void
test_ldif_empty_domain_component(void)
{
  g_autofree char *path = hostile("ldif-empty-dc.ldif");
  g_autofree char *warning = NULL;
  const char *args[] = { "rsop", "--ldif", path, NULL };
  g_auto(Run) run = { 0 };

  run_gpsim(&run, args);
  assert_loaded(&run);
  warning = g_strdup_printf("gpsim: %s:7: warning: domainDNS object 'DC=,OU=x' has no DC= "
                            "components; record skipped",
                            path);
  CU_ASSERT_EQUAL(count_lines_with(run.err, warning), 1);
  CU_ASSERT_EQUAL(count_lines_with(run.out, "{\"schema\":\"gpsim.explain/1\""), 1);
}

/* Two reports of one GPO GUID with different content: the first read is kept,
 * and the second is reported as overlapping, never merged silently. */
static void
test_duplicate_guid(void)
{
  g_autofree char *a = hostile("duplicate-guid-a.xml");
  g_autofree char *b = hostile("duplicate-guid-b.xml");
  const char *ab[] = { "show", "--gpreport", a, "--gpreport", b, NULL };
  const char *ba[] = { "show", "--gpreport", b, "--gpreport", a, NULL };
  g_autofree char *note_b = g_strdup_printf(
      "gpsim: %s: note: 1 GPO ({55555555-5555-5555-5555-555555555555}) already loaded from "
      "other data: only what that data lacked was taken from this report",
      b);
  g_autofree char *note_a = g_strdup_printf("gpsim: %s: note: 1 GPO ({55555555", a);
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };

  run_gpsim(&first, ab);
  assert_loaded(&first);
  CU_ASSERT_EQUAL(count_lines_with(first.err, note_b), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(first.out, "Duplicate GUID, first report"));
  CU_ASSERT_PTR_NULL(strstr(first.out, "second report"));
  CU_ASSERT_PTR_NULL(strstr(first.out, "Everyone"));
  run_gpsim(&second, ba);
  assert_loaded(&second);
  CU_ASSERT_EQUAL(count_lines_with(second.err, note_a), 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(second.out, "Duplicate GUID, second report"));
}

static void
test_csv_unclosed_quote(void)
{
  g_autofree char *path = hostile("csv-unclosed-quote.csv");
  const char *args[] = { "show", "--gpinheritance", path, NULL };
  g_auto(Run) run = { 0 };

  /* Also a leak until the fuzzer found it: valgrind and LSan watch this run. */
  run_gpsim(&run, args);
  assert_input_error(&run, path, ":3: quoted field never closed", TRUE);
}

/* -------------------------------------------------------- out of SYSVOL */

/* The committed copy links out to /etc (absolute and relative links, a linked
 * GPO folder) and its LDIF points gPCFileSysPath at /etc, '..' paths, UNC and
 * file URLs: nothing of /etc is read, every link is reported. */
static void
test_sysvol_escape_committed(void)
{
  g_autofree char *ldif = hostile("sysvol-escape/escape.ldif");
  g_autofree char *sysvol = hostile("sysvol-escape/sysvol");
  const char *args[] = { "rsop", "--ldif", ldif, "--sysvol", sysvol, NULL };
  g_auto(Run) run = { 0 };

  run_gpsim(&run, args);
  assert_loaded(&run);
  CU_ASSERT_PTR_NULL(strstr(run.out, "root:"));
  CU_ASSERT_PTR_NULL(strstr(run.err, "root:"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "symbolic link not followed; GPO " ESCAPE_GUID(2)));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "/GPT.INI: is a symbolic link, not followed"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, ESCAPE_GUID(4) "/Machine is a symbolic link"));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "/GptTmpl.inf is a symbolic link, not followed"));
  /* Only the legitimate GPO applies; the others are unreadable or missing. */
  CU_ASSERT_EQUAL(count_lines_with(run.out, "{\"schema\""), 1);
  CU_ASSERT_EQUAL(count_occurrences(run.out, "\"status\":\"applied\""), 2);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "\"name\":\"Legitimate\",\"som\":\"DC=escape,DC=test\","
                                         "\"som_kind\":\"domain\",\"link_order\":1,"
                                         "\"enforced\":false,\"status\":\"applied\""));
}

static void
make_fifo(const char *path)
{
  g_autofree char *parent = g_path_get_dirname(path);

  g_mkdir_with_parents(parent, 0755);
  CU_ASSERT_EQUAL(mkfifo(path, 0644), 0);
}

static void
make_link(const char *target, const char *path)
{
  g_autofree char *parent = g_path_get_dirname(path);

  g_mkdir_with_parents(parent, 0755);
  CU_ASSERT_EQUAL(symlink(target, path), 0);
}

#define TEMPLATE      "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf"
#define CANARY_INF    "[Privilege Rights]\r\nSeImpersonatePrivilege = *" CANARY_SID "\r\n"
#define ESCAPE_GPC(n) "CN=" ESCAPE_GUID(n) ",CN=Policies,CN=System," ESCAPE_DOMAIN

/* The extra directory data of the runtime copy: GPOs 6 to 9 linked too, two of
 * them with gPCFileSysPath naming the canary folder by its absolute path. */
static char *
runtime_ldif(const char *outside)
{
  GString *text = g_string_new("dn: OU=Victims," ESCAPE_DOMAIN "\nobjectClass: organizationalUnit\n"
                               "gPLink: ");

  for (int n = 9; n >= 2; n--)
    g_string_append_printf(text,
                           "[LDAP://CN={E0000000-0000-4000-8000-00000000000%d},CN=Policies,"
                           "CN=System," ESCAPE_DOMAIN ";0]",
                           n);
  g_string_append(text, "\n");
  for (int n = 8; n <= 9; n++)
    g_string_append_printf(text,
                           "\ndn: CN={E0000000-0000-4000-8000-00000000000%d},CN=Policies,"
                           "CN=System," ESCAPE_DOMAIN "\nobjectClass: groupPolicyContainer\n"
                           "displayName: Runtime %d\nflags: 0\nversionNumber: 1\n"
                           "gPCFunctionalityVersion: 2\ngPCFileSysPath: %s/canary-gpo\n"
                           "gPCMachineExtensionNames: [{827D319E-6EAC-11D2-A4EA-00C04F79F83A}]\n",
                           n, n, outside);
  return g_string_free(text, FALSE);
}

/* A copy of the committed tree, plus FIFOs inside it and links to a canary
 * folder outside it (a FIFO and files whose content names CANARY_SID): the run
 * neither blocks (a FIFO opened for reading would block) nor shows the canary. */
static void
test_sysvol_escape_canary(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *source = hostile("sysvol-escape/sysvol");
  g_autofree char *ldif = hostile("sysvol-escape/escape.ldif");
  g_autofree char *outside = g_build_filename(dir, "outside", NULL);
  g_autofree char *copy = g_build_filename(dir, "copy", NULL);
  g_autofree char *policies = g_build_filename(copy, "escape.test", "Policies", NULL);
  g_autofree char *fifo = g_build_filename(outside, "fifo", NULL);
  g_autofree char *canary_gpo = g_build_filename(outside, "canary-gpo", NULL);
  g_autofree char *extra = runtime_ldif(outside);
  g_autofree char *extra_path = write_file(dir, "runtime.ldif", extra, -1);
  g_autofree char *gpt6 = g_build_filename(policies, ESCAPE_GUID(6), "GPT.INI", NULL);
  g_autofree char *tmpl7 = g_build_filename(policies, ESCAPE_GUID(7), TEMPLATE, NULL);
  g_autofree char *link8 = g_build_filename(policies, ESCAPE_GUID(8), NULL);
  g_autofree char *gpt9 = g_build_filename(policies, ESCAPE_GUID(9), "GPT.INI", NULL);
  g_autofree char *canary = g_build_filename(canary_gpo, TEMPLATE, NULL);
  const char *cp[] = { "cp", "-a", source, copy, NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int cp_status = 0;

  CU_ASSERT_TRUE_FATAL(g_spawn_sync(NULL, (char **)cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                                    NULL, &cp_status, NULL)
                       && cp_status == 0);
  g_free(write_file(canary_gpo, "GPT.INI", "[General]\r\nVersion=1\r\n", -1));
  g_free(write_file(canary_gpo, TEMPLATE, CANARY_INF, -1));
  make_fifo(fifo);
  /* Inside the copy: a GPT.INI and a GptTmpl.inf that are FIFOs. */
  make_fifo(gpt6);
  g_free(write_file(policies, ESCAPE_GUID(7) "/GPT.INI", "[General]\r\nVersion=1\r\n", -1));
  make_fifo(tmpl7);
  /* Out of the copy: a GPO folder linked to the canary, a GPT.INI linked to the FIFO. */
  make_link(canary_gpo, link8);
  make_link(fifo, gpt9);
  before = gp_test_read(canary, NULL);
  {
    const char *show[] = { "show",     "--ldif", ldif,       "--ldif", extra_path,
                           "--sysvol", copy,     "--format", "json",   NULL };
    const char *explain[]
        = { "rsop", "--ldif", ldif, "--ldif", extra_path, "--sysvol", copy, NULL };
    g_auto(Run) shown = { 0 };
    g_auto(Run) explained = { 0 };

    run_gpsim(&shown, show);
    run_gpsim(&explained, explain);
    assert_loaded(&shown);
    assert_loaded(&explained);
    printf("\n%s", shown.err);
    CU_ASSERT_PTR_NULL(strstr(shown.out, CANARY_SID));
    CU_ASSERT_PTR_NULL(strstr(shown.err, CANARY_SID));
    CU_ASSERT_PTR_NULL(strstr(explained.out, CANARY_SID));
    CU_ASSERT_PTR_NOT_NULL(strstr(shown.err, "GPT.INI: is a FIFO, not a regular file"));
    CU_ASSERT_PTR_NOT_NULL(strstr(shown.err, "GptTmpl.inf: is a FIFO, not a regular file"));
    CU_ASSERT_PTR_NOT_NULL(strstr(shown.err, "symbolic link not followed; GPO " ESCAPE_GUID(8)));
    CU_ASSERT_PTR_NOT_NULL(strstr(shown.err, ESCAPE_GUID(9) "/GPT.INI: is a symbolic link"));
  }
  after = gp_test_read(canary, NULL);
  GP_ASSERT_STR(after, before);
}

/* --input on a folder does not look through a symbolic link to guess its kind. */
static void
test_detection_ignores_links(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *outside = g_build_filename(dir, "outside", NULL);
  g_autofree char *given = g_build_filename(dir, "given", NULL);
  g_autofree char *link = g_build_filename(given, "backups", NULL);
  const char *args[] = { "show", "--input", given, NULL };
  g_auto(Run) run = { 0 };

  g_free(write_file(outside, "Backup.xml", "<GroupPolicyBackupScheme/>", -1));
  make_link(outside, link);
  run_gpsim(&run, args);
  /* Taken for a SYSVOL copy (no backup seen through the link): no GPO folders. */
  assert_input_error(&run, given, "no {GUID} GPO folders found", FALSE);
}

/* ----------------------------------------------------------- size limits */

static void
test_size_limit_default(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *huge = sparse_file(dir, "huge.ldif", G_GINT64_CONSTANT(1100) << 20);
  g_autofree char *line = g_strdup_printf("gpsim: error: %s: 1153433600 bytes is over the "
                                          "1073741824-byte limit; raise it with --max-file-size",
                                          huge);
  const char *args[] = { "show", "--ldif", huge, NULL };
  g_auto(Run) run = { 0 };

  run_gpsim(&run, args);
  assert_input_error(&run, huge, "bytes is over the", FALSE);
  CU_ASSERT_EQUAL(count_lines_with(run.err, line), 1);
}

static void
test_size_limit_configurable(void)
{
  g_autofree char *path = hostile("gplink-garbage.ldif");
  const char *option[] = { "show", "--ldif", path, "--max-file-size", "100", NULL };
  const char *off[] = { "show", "--ldif", path, "--max-file-size", "0", NULL };
  const char *plain[] = { "show", "--ldif", path, NULL };
  const char *bad[] = { "show", "--ldif", path, "--max-file-size", "1e9", NULL };
  const char *const env[] = { "GPSIM_MAX_FILE_SIZE=100", NULL };
  const char *const bad_env[] = { "GPSIM_MAX_FILE_SIZE=lots", NULL };
  g_auto(Run) by_option = { 0 };
  g_auto(Run) by_env = { 0 };
  g_auto(Run) option_wins = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) bad_variable = { 0 };

  run_gpsim(&by_option, option);
  assert_input_error(&by_option, path, "bytes is over the 100-byte limit", FALSE);
  run_gpsim_env(&by_env, plain, env);
  assert_input_error(&by_env, path, "bytes is over the 100-byte limit", FALSE);
  run_gpsim_env(&option_wins, off, env);
  assert_loaded(&option_wins);
  run_gpsim(&bad_option, bad);
  CU_ASSERT_EQUAL(bad_option.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(bad_option.err, "--max-file-size '1e9' is not a number of bytes"));
  run_gpsim_env(&bad_variable, plain, bad_env);
  CU_ASSERT_EQUAL(bad_variable.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(bad_variable.err, "GPSIM_MAX_FILE_SIZE 'lots'"));
}

/* Inside a SYSVOL copy the limit is fixed (GP_MAX_FOLDER_FILE_BYTES, 64 MiB): an
 * enormous GptTmpl.inf makes its GPO unreadable, with a warning, unread. */
static void
test_size_limit_inside_sysvol(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *ldif = hostile("sysvol-escape/escape.ldif");
  g_autofree char *policies = g_build_filename(dir, "escape.test", "Policies", NULL);
  g_autofree char *gpo = g_build_filename(policies, ESCAPE_GUID(1), NULL);
  g_autofree char *huge = NULL;
  const char *args[] = { "show", "--ldif", ldif, "--sysvol", dir, NULL };
  g_auto(Run) run = { 0 };

  g_free(write_file(gpo, "GPT.INI", "[General]\r\nVersion=1\r\n", -1));
  huge = sparse_file(gpo, TEMPLATE, G_GINT64_CONSTANT(65) << 20);
  run_gpsim(&run, args);
  assert_loaded(&run);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "GptTmpl.inf: 68157440 bytes is over the "
                                         "67108864-byte limit; files inside a SYSVOL copy are "
                                         "refused above it"));
}

static void
test_devices_refused(void)
{
  const char *args[] = { "show", "--ldif", "/dev/zero", NULL };
  g_auto(Run) run = { 0 };

  run_gpsim(&run, args);
  assert_input_error(&run, "/dev/zero", "is a device, not a file", FALSE);
}

/* ---------------------------------------------------------------- output */

/* An error never touches an existing --output, and leaves no temporary file. */
static void
test_output_kept_on_error(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *out = write_file(dir, "out.json", "previous result\n", -1);
  g_autofree char *garbage = hostile("garbage.bin");
  const char *args[] = { "show", "--ldif", garbage, "-o", out, NULL };
  g_autoptr(GDir) listing = NULL;
  g_autofree char *after = NULL;
  g_auto(Run) run = { 0 };
  guint entries = 0;

  run_gpsim(&run, args);
  CU_ASSERT_EQUAL(run.status, 2);
  after = gp_test_read(out, NULL);
  GP_ASSERT_STR(after, "previous result\n");
  listing = g_dir_open(dir, 0, NULL);
  while (listing && g_dir_read_name(listing))
    entries++;
  CU_ASSERT_EQUAL(entries, 1);
}

/* --output never names an input, or a file inside an input folder. */
static void
test_output_never_over_input(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *source = hostile("gplink-garbage.ldif");
  g_autofree char *data = gp_test_read(source, NULL);
  g_autofree char *input = write_file(dir, "in.ldif", data, -1);
  g_autofree char *inside = g_build_filename(dir, "new.txt", NULL);
  const char *same[] = { "show", "--ldif", input, "-o", input, NULL };
  const char *in_folder[] = { "show", "--sysvol", dir, "-o", inside, NULL };
  g_autofree char *after = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) folder = { 0 };

  run_gpsim(&run, same);
  CU_ASSERT_EQUAL(run.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "gpsim never writes over its inputs"));
  after = gp_test_read(input, NULL);
  GP_ASSERT_STR(after, data);
  run_gpsim(&folder, in_folder);
  CU_ASSERT_EQUAL(folder.status, 1);
  CU_ASSERT_FALSE(g_file_test(inside, G_FILE_TEST_EXISTS));
}

/* Terminal control characters quoted from the input never reach stderr raw. */
static void
test_control_characters_neutralised(void)
{
  g_autoptr(TmpDir) dir = tmp_dir_new();
  g_autofree char *inf
      = write_file(dir, "escape.inf",
                   "[Privilege Rights]\r\nSeBogus\x1b[2K\x1b[1A\rgpsim: all good\r\n"
                   "SeTcbPrivilege = *S-1-5-18\r\n",
                   -1);
  const char *args[] = { "show", "--local", inf, NULL };
  g_auto(Run) run = { 0 };

  run_gpsim(&run, args);
  assert_loaded(&run);
  CU_ASSERT_PTR_NULL(strchr(run.err, '\x1b'));
  CU_ASSERT_PTR_NULL(strchr(run.err, '\r'));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "SeBogus?[2K?[1A?gpsim: all good"));
}

static const GpTestCase cases[] = {
  GP_TEST(test_xml_entities_and_dtds),
  GP_TEST(test_xml_deep_nesting),
  GP_TEST(test_bad_utf16),
  GP_TEST(test_nul_bytes),
  GP_TEST(test_binary_garbage),
  GP_TEST(test_overlong_lines),
  GP_TEST(test_truncated_ldif),
  GP_TEST(test_truncated_inf),
  GP_TEST(test_truncated_xml),
  GP_TEST(test_gplink_garbage),
  GP_TEST(test_ldif_orphans_and_loops),
  GP_TEST(test_ldif_empty_domain_component),
  GP_TEST(test_duplicate_guid),
  GP_TEST(test_csv_unclosed_quote),
  GP_TEST(test_sysvol_escape_committed),
  GP_TEST(test_sysvol_escape_canary),
  GP_TEST(test_detection_ignores_links),
  GP_TEST(test_size_limit_default),
  GP_TEST(test_size_limit_configurable),
  GP_TEST(test_size_limit_inside_sysvol),
  GP_TEST(test_devices_refused),
  GP_TEST(test_output_kept_on_error),
  GP_TEST(test_output_never_over_input),
  GP_TEST(test_control_characters_neutralised),
};

GP_TEST_MAIN("hostile", cases)
