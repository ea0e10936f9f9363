/* test_generate.c - `gpsim lab generate` end to end: the real binary writes
 * labs into a temporary folder, and the tests compare them byte for byte,
 * count their objects, load them back with `gpsim rsop` and check the refusals.
 */
#define _GNU_SOURCE /* memmem */
#include <glib/gstdio.h>
#include <string.h>

#include "gp-test-cli.h"

/* A fresh temporary folder; the lab goes to @dir/@name. */
static char *
temp_dir(void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp("gpsim-generate-XXXXXX", &error);

  if (!dir)
    CU_FAIL_FATAL(error->message);
  return dir;
}

static void
remove_tree(const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test(path, G_FILE_TEST_IS_DIR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
    g_unlink(path);
    return;
  }
  dir = g_dir_open(path, 0, NULL);
  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *child = g_build_filename(path, name, NULL);
    remove_tree(child);
  }
  g_rmdir(path);
}

/* Runs `gpsim lab generate --seed @seed --out @out` with the small sizes of
 * these tests (or the defaults when @defaults); returns the exit status. */
static int
generate(const char *seed, const char *out, gboolean defaults)
{
  const char *sized[]
      = { "lab", "generate", "--seed", seed,        "--computers", "120",   "--ous", "30", "--gpos",
          "24",  "--sites",  "3",      "--domains", "2",           "--out", out,     NULL };
  const char *plain[] = { "lab", "generate", "--seed", seed, "--out", out, NULL };
  g_auto(GpTestRun) run = { 0 };

  gp_test_run(&run, defaults ? plain : sized);
  if (run.status != 0)
    printf("\n%s", run.err);
  return run.status;
}

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* Every file under @dir, relative paths sorted, into @out. */
static void
list_files(const char *root, const char *relative, GPtrArray *out)
{
  g_autofree char *path = g_build_filename(root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name(dir))) {
    g_autofree char *child = *relative ? g_build_filename(relative, name, NULL) : g_strdup(name);
    g_autofree char *full = g_build_filename(root, child, NULL);
    if (g_file_test(full, G_FILE_TEST_IS_DIR))
      list_files(root, child, out);
    else
      g_ptr_array_add(out, g_steal_pointer(&child));
  }
  g_ptr_array_sort(out, compare_paths);
}

/* TRUE when the two folders hold the same files with the same bytes. */
static gboolean
same_tree(const char *a, const char *b)
{
  g_autoptr(GPtrArray) files_a = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) files_b = g_ptr_array_new_with_free_func(g_free);

  list_files(a, "", files_a);
  list_files(b, "", files_b);
  if (files_a->len != files_b->len || files_a->len == 0) {
    printf("\n%u files in %s, %u in %s", files_a->len, a, files_b->len, b);
    return FALSE;
  }
  for (guint i = 0; i < files_a->len; i++) {
    g_autofree char *pa = g_build_filename(a, files_a->pdata[i], NULL);
    g_autofree char *pb = g_build_filename(b, files_b->pdata[i], NULL);
    g_autofree char *ca = NULL, *cb = NULL;
    gsize la = 0, lb = 0;
    if (strcmp(files_a->pdata[i], files_b->pdata[i]) != 0
        || !g_file_get_contents(pa, &ca, &la, NULL) || !g_file_get_contents(pb, &cb, &lb, NULL)
        || la != lb || memcmp(ca, cb, la) != 0) {
      printf("\n%s differs", (char *)files_a->pdata[i]);
      return FALSE;
    }
  }
  return TRUE;
}

/* Lines of every *.ldif in @dir that are exactly @line. */
static guint
count_ldif_lines(const char *dir, const char *line)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  const char *name;
  guint count = 0;

  while (handle && (name = g_dir_read_name(handle))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    if (!g_str_has_suffix(name, ".ldif") || !g_file_get_contents(path, &text, NULL, NULL))
      continue;
    lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      count += strcmp(lines[i], line) == 0;
  }
  return count;
}

/* The data options for @dir: every LDIF (child domains first, as their names sort) and sysvol. */
static GPtrArray *
data_args(const char *dir)
{
  GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name(handle)))
    if (g_str_has_suffix(name, ".ldif"))
      g_ptr_array_add(names, g_build_filename(dir, name, NULL));
  g_ptr_array_sort(names, compare_paths);
  for (guint i = 0; i < names->len; i++) {
    g_ptr_array_add(args, g_strdup("--ldif"));
    g_ptr_array_add(args, g_strdup(names->pdata[i]));
  }
  g_ptr_array_add(args, g_strdup("--sysvol"));
  g_ptr_array_add(args, g_build_filename(dir, "sysvol", NULL));
  return args;
}

static void
test_same_seed_same_bytes(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *a = g_build_filename(tmp, "a", NULL);
  g_autofree char *b = g_build_filename(tmp, "b", NULL);

  CU_ASSERT_EQUAL_FATAL(generate("7", a, FALSE), 0);
  CU_ASSERT_EQUAL_FATAL(generate("7", b, FALSE), 0);
  CU_ASSERT_TRUE(same_tree(a, b));
  remove_tree(tmp);
}

static void
test_other_seed_other_bytes(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *a = g_build_filename(tmp, "a", NULL);
  g_autofree char *b = g_build_filename(tmp, "b", NULL);

  CU_ASSERT_EQUAL_FATAL(generate("7", a, FALSE), 0);
  CU_ASSERT_EQUAL_FATAL(generate("8", b, FALSE), 0);
  CU_ASSERT_FALSE(same_tree(a, b));
  remove_tree(tmp);
}

/* The counts the options asked for: computers (DCs included), OUs besides each
 * Domain Controllers OU, GPOs (defaults included), sites, domains. */
static void
test_counts_match_options(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autofree char *sysvol = NULL;

  CU_ASSERT_EQUAL_FATAL(generate("11", lab, FALSE), 0);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: computer"), 120);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: organizationalUnit"), 30 + 2);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "ou: Domain Controllers"), 2);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: groupPolicyContainer"), 24);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: site"), 3);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: domainDNS"), 2);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: crossRef"), 2);
  sysvol = g_build_filename(lab, "sysvol", NULL);
  CU_ASSERT_TRUE(g_file_test(sysvol, G_FILE_TEST_IS_DIR));
  remove_tree(tmp);
}

/* The default sizes: the small lab. */
static void
test_defaults_small_lab(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autofree char *readme = g_build_filename(lab, "README.md", NULL);
  g_autofree char *text = NULL;

  CU_ASSERT_EQUAL_FATAL(generate("0", lab, TRUE), 0);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: computer"), 50);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: organizationalUnit"), 20 + 1);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: groupPolicyContainer"), 15);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: site"), 2);
  CU_ASSERT_EQUAL(count_ldif_lines(lab, "objectClass: domainDNS"), 1);
  CU_ASSERT_TRUE_FATAL(g_file_get_contents(readme, &text, NULL, NULL));
  CU_ASSERT_PTR_NOT_NULL(strstr(text, "--seed 0 --computers 50 --ous 20 --gpos 15"));
  remove_tree(tmp);
}

/* Every GptTmpl.inf starts with the UTF-16LE BOM and uses CRLF; GPT.INI is ANSI CRLF. */
static void
check_sysvol_file(const char *path, guint *templates, guint *inis)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents(path, &data, &len, NULL)) {
    CU_FAIL("unreadable SYSVOL file");
    return;
  }
  if (g_str_has_suffix(path, "GptTmpl.inf")) {
    (*templates)++;
    CU_ASSERT_TRUE(len > 4 && (guchar)data[0] == 0xFF && (guchar)data[1] == 0xFE);
    CU_ASSERT_TRUE(len > 4 && memcmp(data + 2, "[\0U\0", 4) == 0);
    CU_ASSERT_PTR_NOT_NULL(memmem(data, len, "\r\0\n\0", 4));
  } else if (g_str_has_suffix(path, "GPT.INI")) {
    (*inis)++;
    CU_ASSERT_TRUE(g_str_has_prefix(data, "[General]\r\nVersion="));
  }
}

static void
test_sysvol_encodings(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
  guint templates = 0, inis = 0;

  CU_ASSERT_EQUAL_FATAL(generate("3", lab, FALSE), 0);
  list_files(lab, "sysvol", files);
  for (guint i = 0; i < files->len; i++) {
    g_autofree char *path = g_build_filename(lab, files->pdata[i], NULL);
    check_sysvol_file(path, &templates, &inis);
  }
  CU_ASSERT_EQUAL(inis, 24);
  CU_ASSERT_TRUE(templates >= 4); /* at least the default GPOs of both domains */
  remove_tree(tmp);
}

/* The generated data loads without a warning and every computer gets a line. */
static void
test_loads_and_rsop_works(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autoptr(GPtrArray) args = NULL;
  g_auto(GpTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  CU_ASSERT_EQUAL_FATAL(generate("5", lab, FALSE), 0);
  args = data_args(lab);
  g_ptr_array_insert(args, 0, g_strdup("rsop"));
  g_ptr_array_add(args, NULL);
  gp_test_run(&run, (const char *const *)args->pdata);
  CU_ASSERT_EQUAL(run.status, 0);
  CU_ASSERT_PTR_NULL(strstr(run.err, "warning"));
  if (strstr(run.err, "warning"))
    printf("\n%s", run.err);
  lines = g_strsplit(run.out, "\n", -1);
  CU_ASSERT_EQUAL(g_strv_length(lines), 120 + 1); /* one line per computer, then "" */
  CU_ASSERT_TRUE(g_str_has_prefix(run.out, "{\"schema\":\"gpsim.explain/1\""));
  CU_ASSERT_PTR_NOT_NULL(strstr(run.out, "\"right\":\"SeImpersonatePrivilege\""));
  remove_tree(tmp);
}

/* Runs `gpsim COMMAND DATA... EXTRA...` (@extra NULL-terminated) into @run. */
static void
run_on_data(GpTestRun *run, const char *command, GPtrArray *data, const char *const *extra)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new();

  g_ptr_array_add(args, (gpointer)command);
  g_ptr_array_extend(args, data, NULL, NULL);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add(args, (gpointer)extra[i]);
  g_ptr_array_add(args, NULL);
  gp_test_run(run, (const char *const *)args->pdata);
}

/* `gpsim explain --format json` of @dn, re-rendered compact for comparison. */
static char *
explain_compact(GPtrArray *data, const char *dn)
{
  const char *extra[] = { "--computer", dn, "--format", "json", NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autoptr(JsonNode) node = NULL;

  run_on_data(&run, "explain", data, extra);
  node = gp_test_json(run.out);
  return node ? json_to_string(node, FALSE) : g_strdup("");
}

/* The lines of @text (copies), found with memchr(): g_strsplit() on hundreds
 * of megabytes is quadratic under AddressSanitizer, whose strstr() measures
 * the rest of the text at every line. */
static GPtrArray *
split_lines(const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  const char *p = text, *end = text + strlen(text);

  while (p < end) {
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *stop = nl ? nl : end;
    g_ptr_array_add(lines, g_strndup(p, (gsize)(stop - p)));
    p = stop + 1;
  }
  return lines;
}

/* Generates a lab of @computers computers in @lab and returns its rsop lines,
 * after checking there is one per computer. */
static GPtrArray *
generated_rsop(const char *lab, const char *seed, const char *computers, const char *ous,
               const char *gpos, const char *domains, GPtrArray **out_data)
{
  const char *generate_args[] = { "lab",       "generate", "--seed", seed, "--computers", computers,
                                  "--ous",     ous,        "--gpos", gpos, "--sites",     "2",
                                  "--domains", domains,    "--out",  lab,  NULL };
  g_auto(GpTestRun) made = { 0 };
  g_auto(GpTestRun) rsop = { 0 };
  GPtrArray *lines;

  gp_test_run(&made, generate_args);
  CU_ASSERT_EQUAL(made.status, 0);
  *out_data = data_args(lab);
  run_on_data(&rsop, "rsop", *out_data, NULL);
  CU_ASSERT_EQUAL(rsop.status, 0);
  lines = split_lines(rsop.out);
  CU_ASSERT_EQUAL(lines->len, g_ascii_strtoull(computers, NULL, 10));
  return lines;
}

/* The rsop line @line equals `gpsim explain` of its computer. */
static void
assert_line_is_explain(GPtrArray *data, const char *line)
{
  g_autoptr(JsonNode) node = gp_test_json(line);
  JsonObject *computer = json_object_get_object_member(json_node_get_object(node), "computer");
  g_autofree char *compact = json_to_string(node, FALSE);
  g_autofree char *expected = explain_compact(data, gp_test_json_string(computer, "dn"));

  GP_ASSERT_STR(compact, expected);
}

/* rsop spreads batches of 512 computers over threads that share the classes:
 * with several batches, every line is still the computer's own explanation,
 * in the order of the data, whichever thread rendered its class. */
static void
test_rsop_batches_match_explain(void)
{
  static const guint sampled[] = { 0, 511, 512, 1023, 1024, 1499 };
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GPtrArray) lines = generated_rsop(lab, "11", "1500", "40", "30", "2", &data);

  for (gsize i = 0; i < G_N_ELEMENTS(sampled) && lines->len == 1500; i++)
    assert_line_is_explain(data, lines->pdata[sampled[i]]);
  remove_tree(tmp);
}

/* Over 32 MiB of LDIF, explain reads only the computer asked for in full (the
 * others for their account names): the answer is the one rsop gives, a note
 * says what was skipped, and a name that is not there still gets the list of
 * the computers there are. */
static void
test_explain_reads_one_computer(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GPtrArray) lines = generated_rsop(lab, "5", "40000", "120", "40", "1", &data);
  const char *known[] = { "--computer", "WS-0000002", NULL };
  const char *unknown[] = { "--computer", "NO-SUCH-PC", NULL };
  g_auto(GpTestRun) note = { 0 };
  g_auto(GpTestRun) miss = { 0 };

  for (guint i = 0; i < 40000 && lines->len == 40000; i += 13331)
    assert_line_is_explain(data, lines->pdata[i]);
  run_on_data(&note, "explain", data, known);
  CU_ASSERT_EQUAL(note.status, 0);
  CU_ASSERT_PTR_NOT_NULL(
      strstr(note.err, "note: only the computer 'WS-0000002' was asked for: 39999"));
  run_on_data(&miss, "explain", data, unknown);
  CU_ASSERT_EQUAL(miss.status, 1);
  CU_ASSERT_PTR_NOT_NULL(
      strstr(miss.err, "no computer named 'NO-SUCH-PC' in the data; computers: "));
  CU_ASSERT_PTR_NOT_NULL(strstr(miss.err, "and 39"));
  remove_tree(tmp);
}

static void
test_refuses_non_empty_out(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  g_autofree char *marker = g_build_filename(lab, "keep.txt", NULL);
  g_autofree char *tmp_dir = g_strdup_printf("%s.tmp", lab);
  const char *args[] = { "lab", "generate", "--out", lab, NULL };
  g_auto(GpTestRun) run = { 0 };
  g_autofree char *kept = NULL;

  g_mkdir_with_parents(lab, 0755);
  g_file_set_contents(marker, "mine", -1, NULL);
  gp_test_run(&run, args);
  CU_ASSERT_EQUAL(run.status, 1);
  CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "not an empty folder"));
  CU_ASSERT_TRUE(g_file_get_contents(marker, &kept, NULL, NULL));
  GP_ASSERT_STR(kept, "mine");
  CU_ASSERT_FALSE(g_file_test(tmp_dir, G_FILE_TEST_EXISTS));
  remove_tree(tmp);
}

/* An existing empty folder is accepted; bad sizes and a missing --out are usage errors. */
static void
test_empty_out_and_bad_options(void)
{
  g_autofree char *tmp = temp_dir();
  g_autofree char *lab = g_build_filename(tmp, "lab", NULL);
  const char *no_out[] = { "lab", "generate", "--seed", "1", NULL };
  const char *too_few[]
      = { "lab", "generate", "--gpos", "3", "--domains", "2", "--out", lab, NULL };
  g_auto(GpTestRun) a = { 0 };
  g_auto(GpTestRun) b = { 0 };

  g_mkdir_with_parents(lab, 0755);
  CU_ASSERT_EQUAL(generate("1", lab, TRUE), 0);
  gp_test_run(&a, no_out);
  CU_ASSERT_EQUAL(a.status, 1);
  remove_tree(lab);
  gp_test_run(&b, too_few);
  CU_ASSERT_EQUAL(b.status, 1);
  CU_ASSERT_FALSE(g_file_test(lab, G_FILE_TEST_EXISTS));
  remove_tree(tmp);
}

static const GpTestCase cases[] = {
  GP_TEST(test_same_seed_same_bytes),       GP_TEST(test_other_seed_other_bytes),
  GP_TEST(test_counts_match_options),       GP_TEST(test_defaults_small_lab),
  GP_TEST(test_sysvol_encodings),           GP_TEST(test_loads_and_rsop_works),
  GP_TEST(test_rsop_batches_match_explain), GP_TEST(test_explain_reads_one_computer),
  GP_TEST(test_refuses_non_empty_out),      GP_TEST(test_empty_out_and_bad_options),
};

GP_TEST_MAIN("generate", cases)
