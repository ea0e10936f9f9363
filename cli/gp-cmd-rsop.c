/* gp-cmd-rsop.c - gpsim rsop: the result of every computer, one JSON object a line.
 *
 * Every computer's line goes to the output as soon as it is written (stdout,
 * or a temporary file renamed onto --output at the end), so the output is
 * never held whole.  With jsonl, computers of one class (gp_engine_cache_head)
 * share the tail of their line, rendered once, and the work is spread over
 * every processor: threads take batches of computers in turn, each with its
 * own engine cache and all sharing the classes, and the calling thread writes
 * the batches out in computer order.  The output is the same whatever the
 * number of threads. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gp-cli.h"
#include "gp-names.h"

/* ------------------------------------------------------------------ output */

typedef struct {
  FILE *fp;
  char *tmp_path; /* (nullable) the temporary file behind --output */
  gint64 started;
  gint64 last_shown;
  gboolean terminal;
  gboolean write_failed; /* a writev() of jsonl lines failed */
} RsopOutput;

static gboolean
rsop_output_open(const GpCliOptions *options, RsopOutput *out, GError **error)
{
  int fd;

  out->started = g_get_monotonic_time();
  out->terminal = isatty(fileno(stderr));
  if (!options->output) {
    out->fp = stdout;
  } else {
    out->tmp_path = g_strdup_printf("%s.XXXXXX", options->output);
    fd = g_mkstemp(out->tmp_path);
    if (fd < 0 || !(out->fp = fdopen(fd, "wb"))) {
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s: %s", options->output,
                  g_strerror(errno));
      g_clear_pointer(&out->tmp_path, g_free);
      return FALSE;
    }
  }
  setvbuf(out->fp, NULL, _IOFBF, 1u << 20);
  return TRUE;
}

/* Flushes and, for --output, renames the temporary file into place (or removes it). */
static int
rsop_output_close(const GpCliOptions *options, RsopOutput *out, gboolean ok)
{
  gboolean written = fflush(out->fp) == 0 && !ferror(out->fp) && !out->write_failed;

  if (!out->tmp_path)
    return !ok       ? GP_EXIT_USAGE
           : written ? GP_EXIT_OK
                     : gp_cli_fail(GP_EXIT_INPUT, "cannot write standard output");
  written = fclose(out->fp) == 0 && written;
  if (ok && written && g_rename(out->tmp_path, options->output) == 0) {
    g_free(out->tmp_path);
    return GP_EXIT_OK;
  }
  g_unlink(out->tmp_path);
  g_free(out->tmp_path);
  if (!ok)
    return GP_EXIT_USAGE;
  return gp_cli_fail(GP_EXIT_INPUT, "cannot write the --output file");
}

/* "gpsim: rsop 42% (420000/1000000 computers)" on a terminal, after a second. */
static void
rsop_progress(RsopOutput *out, guint done, guint total)
{
  gint64 now;

  if (!out->terminal || (done % 1024 != 0 && done != total))
    return;
  now = g_get_monotonic_time();
  if (now - out->started < G_USEC_PER_SEC || (now - out->last_shown < 200000 && done != total))
    return;
  out->last_shown = now;
  fprintf(stderr, "\rgpsim: rsop %3u%% (%u/%u computers)%s", total ? done * 100u / total : 100u,
          done, total, done == total ? "\n" : "");
}

static gboolean
write_iov(int fd, struct iovec *iov, int count)
{
  while (count > 0) {
    ssize_t n = writev(fd, iov, MIN(count, 1024));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    for (; count > 0 && (size_t)n >= iov->iov_len; iov++, count--)
      n -= (ssize_t)iov->iov_len;
    if (count > 0) {
      iov->iov_base = (char *)iov->iov_base + n;
      iov->iov_len -= (size_t)n;
    }
  }
  return TRUE;
}

/* ---------------------------------------------------------------- batches */

/* Computers per batch, and batches that may wait to be written: enough to keep
 * every thread busy while the writer catches up, few enough to bound memory. */
#define RSOP_BATCH_COMPUTERS    512
#define RSOP_BATCHES_PER_THREAD 4

typedef struct {
  gsize offset; /* of the head in RsopBatch.heads */
  gsize len;
  guint klass; /* whose tail follows the head */
} RsopItem;

/* The lines of RSOP_BATCH_COMPUTERS computers: their heads one after the other,
 * and for each line its head and its class. */
typedef struct {
  GString *heads;
  GArray *items; /* RsopItem */
  gboolean ready;
} RsopBatch;

typedef struct {
  const GpCliData *data;
  GpEngineOptions engine;
  GpEngineClasses *classes;
  const GPtrArray *computers;
  guint batches;
  GMutex lock; /* guards everything below */
  GCond changed;
  GPtrArray *tails;  /* GString* by class; NULL until rendered */
  RsopBatch *window; /* batch b lives in window[b % window_len] */
  guint window_len;
  guint next;    /* the next batch to claim */
  guint written; /* batches written out so far */
  GError *error; /* (nullable) the first failure: everything stops */
} RsopRun;

/* The tail of a class seen first by this thread: rendered, then published. */
static gboolean
render_tail(RsopRun *run, GpEngineCache *cache, const GpComputer *computer, guint klass,
            GError **error)
{
  g_autoptr(GpResult) full = gp_engine_cache_evaluate(cache, computer, error);
  GString *tail;

  if (!full)
    return FALSE;
  tail = g_string_new(NULL);
  gp_render_json_tail(run->data->model, full, tail);
  g_mutex_lock(&run->lock);
  if (run->tails->len <= klass)
    g_ptr_array_set_size(run->tails, klass + 1);
  run->tails->pdata[klass] = tail;
  g_cond_broadcast(&run->changed);
  g_mutex_unlock(&run->lock);
  return TRUE;
}

static gboolean
fill_batch(RsopRun *run, GpEngineCache *cache, guint b, RsopBatch *batch, GError **error)
{
  guint first = b * RSOP_BATCH_COMPUTERS;
  guint last = MIN(first + RSOP_BATCH_COMPUTERS, run->computers->len);

  for (guint i = first; i < last; i++) {
    const GpComputer *computer = g_ptr_array_index(run->computers, i);
    RsopItem item = { batch->heads->len, 0, 0 };
    gboolean is_new = FALSE;
    g_autoptr(GpResult) head = gp_engine_cache_head(cache, computer, &item.klass, &is_new);

    if (is_new && !render_tail(run, cache, computer, item.klass, error))
      return FALSE;
    gp_render_json_head(head, batch->heads);
    item.len = batch->heads->len - item.offset;
    g_array_append_val(batch->items, item);
  }
  return TRUE;
}

/* A thread's loop: claim the next batch when its place in the window is free. */
static gpointer
rsop_worker(gpointer data)
{
  RsopRun *run = data;
  g_autoptr(GpEngineCache) cache
      = gp_engine_cache_new_shared(run->data->model, &run->engine, run->classes);

  g_mutex_lock(&run->lock);
  while (!run->error && run->next < run->batches) {
    guint b = run->next;
    RsopBatch *batch = &run->window[b % run->window_len];
    GError *error = NULL;
    gboolean ok;

    if (b >= run->written + run->window_len) {
      g_cond_wait(&run->changed, &run->lock);
      continue;
    }
    run->next++;
    g_mutex_unlock(&run->lock);
    ok = fill_batch(run, cache, b, batch, &error);
    g_mutex_lock(&run->lock);
    if (!ok && !run->error)
      run->error = g_steal_pointer(&error);
    g_clear_error(&error);
    batch->ready = TRUE;
    g_cond_broadcast(&run->changed);
  }
  g_mutex_unlock(&run->lock);
  return NULL;
}

/* Waits until batch @b and the tails it needs are there, then writes it out.
 * Returns: FALSE when a thread failed. */
static gboolean
write_batch(RsopRun *run, guint b, RsopOutput *out)
{
  RsopBatch *batch = &run->window[b % run->window_len];
  g_autofree struct iovec *iov = NULL;
  guint count = 0;

  g_mutex_lock(&run->lock);
  while (!run->error && !batch->ready)
    g_cond_wait(&run->changed, &run->lock);
  iov = g_new(struct iovec, 2 * (gsize)batch->items->len + 1);
  for (guint i = 0; !run->error && i < batch->items->len;) {
    const RsopItem *item = &g_array_index(batch->items, RsopItem, i);
    const GString *tail = item->klass < run->tails->len ? run->tails->pdata[item->klass] : NULL;
    if (!tail) { /* another thread is rendering it */
      g_cond_wait(&run->changed, &run->lock);
      continue;
    }
    iov[count].iov_base = batch->heads->str + item->offset;
    iov[count++].iov_len = item->len;
    iov[count].iov_base = tail->str;
    iov[count++].iov_len = tail->len;
    i++;
  }
  g_mutex_unlock(&run->lock);
  if (run->error)
    return FALSE;
  if (count > 0 && !out->write_failed && !write_iov(fileno(out->fp), iov, (int)count))
    out->write_failed = TRUE;
  for (guint i = 0; i < batch->items->len; i++)
    rsop_progress(out, b * RSOP_BATCH_COMPUTERS + i + 1, run->computers->len);
  g_string_truncate(batch->heads, 0);
  g_array_set_size(batch->items, 0);
  g_mutex_lock(&run->lock);
  batch->ready = FALSE;
  run->written++;
  g_cond_broadcast(&run->changed);
  g_mutex_unlock(&run->lock);
  return TRUE;
}

static void
rsop_run_clear(RsopRun *run)
{
  for (guint i = 0; i < run->window_len; i++) {
    g_string_free(run->window[i].heads, TRUE);
    g_array_unref(run->window[i].items);
  }
  g_free(run->window);
  g_ptr_array_unref(run->tails);
  gp_engine_classes_free(run->classes);
  g_mutex_clear(&run->lock);
  g_cond_clear(&run->changed);
}

/* Starts the threads (at least one; fewer when one cannot be started). */
static GPtrArray *
start_workers(RsopRun *run, guint wanted)
{
  GPtrArray *threads = g_ptr_array_new();

  gp_names_prepare_threads();
  for (guint t = 0; t < wanted; t++) {
    GThread *thread = g_thread_try_new("gpsim-rsop", rsop_worker, run, NULL);
    if (!thread)
      break;
    g_ptr_array_add(threads, thread);
  }
  return threads;
}

/* Without any thread (none could be started), batch after batch on this one. */
static void
rsop_here(RsopRun *run, RsopOutput *out)
{
  g_autoptr(GpEngineCache) cache
      = gp_engine_cache_new_shared(run->data->model, &run->engine, run->classes);

  for (guint b = 0; !run->error && b < run->batches; b++) {
    if (!fill_batch(run, cache, b, &run->window[b % run->window_len], &run->error))
      break;
    run->window[b % run->window_len].ready = TRUE;
    write_batch(run, b, out);
  }
}

static gboolean
rsop_jsonl(const GpCliData *data, const GpCliOptions *options, RsopOutput *out, GError **error)
{
  RsopRun run = { .data = data,
                  .engine = gp_cli_engine_options(options, data),
                  .classes = gp_engine_classes_new(),
                  .computers = gp_model_computers(data->model) };
  guint threads = MAX(1u, g_get_num_processors());
  g_autoptr(GPtrArray) workers = NULL;
  gboolean ok;

  run.batches = (run.computers->len + RSOP_BATCH_COMPUTERS - 1) / RSOP_BATCH_COMPUTERS;
  g_mutex_init(&run.lock);
  g_cond_init(&run.changed);
  run.tails = g_ptr_array_new_with_free_func((GDestroyNotify)g_autoptr_cleanup_gstring_free);
  run.window_len = threads * RSOP_BATCHES_PER_THREAD;
  run.window = g_new0(RsopBatch, run.window_len);
  for (guint i = 0; i < run.window_len; i++) {
    run.window[i].heads = g_string_sized_new(65536);
    run.window[i].items = g_array_new(FALSE, FALSE, sizeof(RsopItem));
  }
  fflush(out->fp);
  workers = start_workers(&run, MIN(threads, MAX(run.batches, 1u)));
  if (workers->len == 0)
    rsop_here(&run, out);
  for (guint b = 0; workers->len > 0 && b < run.batches && write_batch(&run, b, out); b++)
    ;
  for (guint t = 0; t < workers->len; t++)
    g_thread_join(g_ptr_array_index(workers, t));
  ok = run.error == NULL;
  if (!ok)
    g_propagate_error(error, g_steal_pointer(&run.error));
  rsop_run_clear(&run);
  return ok;
}

/* ------------------------------------------------------------------- text */

static gboolean
rsop_text(const GpCliData *data, const GpCliOptions *options, RsopOutput *out, GError **error)
{
  GpEngineOptions engine = gp_cli_engine_options(options, data);
  g_autoptr(GpEngineCache) cache = gp_engine_cache_new(data->model, &engine);
  g_autoptr(GString) line = g_string_sized_new(65536);
  const GPtrArray *computers = gp_model_computers(data->model);

  for (guint i = 0; i < computers->len; i++) {
    g_autoptr(GpResult) result
        = gp_engine_cache_evaluate(cache, g_ptr_array_index(computers, i), error);
    if (!result)
      return FALSE;
    g_string_truncate(line, 0);
    if (i > 0)
      g_string_append(line, "\n" GP_CLI_RULE "\n\n");
    gp_render_text_explain(data->model, result, line);
    fwrite(line->str, 1, line->len, out->fp);
    rsop_progress(out, i + 1, computers->len);
  }
  return TRUE;
}

int
gp_cmd_rsop(GpCliOptions *options, char **positionals)
{
  g_auto(GpCliData) data = { 0 };
  g_autoptr(GError) error = NULL;
  RsopOutput out = { 0 };
  int status;
  gboolean ok;

  (void)positionals;
  if (!gp_cli_check_format(options, "rsop", "jsonl", "text"))
    return GP_EXIT_USAGE;
  if ((status = gp_cli_load_data(options, &data)) != GP_EXIT_OK)
    return status;
  if (!rsop_output_open(options, &out, &error))
    return gp_cli_fail(GP_EXIT_INPUT, error->message);
  if (g_strcmp0(options->format, "text") == 0)
    ok = rsop_text(&data, options, &out, &error);
  else
    ok = rsop_jsonl(&data, options, &out, &error);
  status = rsop_output_close(options, &out, ok);
  if (!ok)
    return gp_cli_fail(GP_EXIT_USAGE, error->message);
  return status;
}
