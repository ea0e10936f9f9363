/* gp-test-cli.c - see gp-test-cli.h. */
#include "gp-test-cli.h"

#include <stdio.h>
#include <sys/wait.h>

void
gp_test_run_clear(GpTestRun *run)
{
  g_free(run->out);
  g_free(run->err);
}

void
gp_test_run(GpTestRun *run, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wrapper = NULL;
  const char *wrapper_text = g_getenv("GP_TEST_WRAPPER");
  int wait_status = 0;

  if (wrapper_text && *wrapper_text && !g_shell_parse_argv(wrapper_text, NULL, &wrapper, &error))
    CU_FAIL_FATAL(error->message);
  for (guint i = 0; wrapper && wrapper[i]; i++)
    g_ptr_array_add(argv, wrapper[i]);
  g_ptr_array_add(argv, (gpointer)GPSIM_BINARY);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &run->out,
                    &run->err, &wait_status, &error))
    CU_FAIL_FATAL(error->message);
  run->status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (run->status == GP_TEST_WRAPPER_FAILURE)
    printf("\nthe wrapper found errors:\n%s\n", run->err);
  CU_ASSERT_NOT_EQUAL(run->status, GP_TEST_WRAPPER_FAILURE);
}

JsonNode *
gp_test_json(const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data(parser, text, -1, &error)) {
    CU_FAIL(error->message);
    return NULL;
  }
  return json_node_copy(json_parser_get_root(parser));
}

const char *
gp_test_json_string(JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member(object, member);

  return node && !JSON_NODE_HOLDS_NULL(node) ? json_node_get_string(node) : NULL;
}
