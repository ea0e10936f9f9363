/* gp-test.h - the small harness every CUnit suite in tests/ shares.
 *
 * A suite file defines `static void test_xxx(void)` functions, lists them in a
 * table with GP_TEST(test_xxx), one entry a line, and ends with
 * GP_TEST_MAIN("suite", table).  tests/CMakeLists.txt finds every GP_TEST(...)
 * entry and registers it as its own CTest test (`suite -t test_xxx`), so one
 * failure names one case.  Without -t the binary runs the whole suite.
 *
 * Exit status: 0 all passed, 1 some assertion failed, 77 the case skipped itself
 * (tests/CMakeLists.txt maps 77 to CTest's "skipped").
 */
#ifndef GP_TEST_H
#define GP_TEST_H

#include <CUnit/CUnit.h>
#include <glib.h>

typedef struct {
  const char *name;
  void (*fn)(void);
} GpTestCase;

#define GP_TEST(fn)                                                                                \
  {                                                                                                \
#fn, fn                                                                                        \
  }

int gp_test_main(int argc, char **argv, const char *suite, const GpTestCase *cases, gsize n_cases);

#define GP_TEST_MAIN(suite, cases)                                                                 \
  int main(int argc, char **argv)                                                                  \
  {                                                                                                \
    return gp_test_main(argc, argv, suite, cases, G_N_ELEMENTS(cases));                            \
  }

/* Marks the running case skipped, with a reason printed to stdout. */
void gp_test_skip(const char *reason);

/* Returns: (transfer full) (nullable): the path of @relative under
 * ../shared/samples, or NULL after calling gp_test_skip() when the samples
 * folder is absent. */
char *gp_test_sample(const char *relative);

/* Returns: (transfer full): the path of @relative under the project's fixtures/. */
char *gp_test_fixture(const char *relative);

/* Returns: (transfer full): the path of @relative under the project's data/. */
char *gp_test_data(const char *relative);

/* Returns: (transfer full): the path of @relative under the project's source folder. */
char *gp_test_source(const char *relative);

/* Returns: (transfer full) (nullable): the ../shared/samples folder, or NULL
 * when it is absent.  Unlike gp_test_sample(), the case is not marked skipped:
 * for cases that use the samples as extra input when there are some. */
char *gp_test_samples_dir(void);

/* Returns: (transfer full): the paths (char*) of the regular files under @dir,
 * at any depth, whose names end with @suffix in any case, sorted so that runs
 * are repeatable; empty when @dir is absent.  Symbolic links are not followed. */
GPtrArray *gp_test_find_files(const char *dir, const char *suffix);

/* TRUE when the test runs under valgrind (known only when the valgrind headers
 * were there at build time): for cases that then do less of the same work. */
gboolean gp_test_under_valgrind(void);

/* Reads a whole file; fails the test (and returns NULL) when it cannot. */
char *gp_test_read(const char *path, gsize *len);

/* A temporary folder removed (without following symbolic links) when freed. */
typedef struct {
  char *root;
} GpTestTree;

GpTestTree *gp_test_tree_new(void);
void gp_test_tree_free(GpTestTree *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpTestTree, gp_test_tree_free)
/* Returns: (transfer full): @relative ('/' separated) under the tree. */
char *gp_test_tree_path(const GpTestTree *tree, const char *relative);
/* Writes a file, creating its folders. */
void gp_test_tree_write(const GpTestTree *tree, const char *relative, const char *data, gssize len);
void gp_test_tree_mkdir(const GpTestTree *tree, const char *relative);
void gp_test_tree_symlink(const GpTestTree *tree, const char *target, const char *relative);
/* Removes @path and what it holds; symbolic links are removed, never followed. */
void gp_test_remove_tree(const char *path);

/* CU_ASSERT_STRING_EQUAL that prints both strings on failure and accepts NULL. */
#define GP_ASSERT_STR(actual, expected)                                                            \
  gp_test_assert_str((actual), (expected), __FILE__, __LINE__, #actual)
void gp_test_assert_str(const char *actual, const char *expected, const char *file, int line,
                        const char *expr);

#endif
