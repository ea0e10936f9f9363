/* gp-sysvol.c - a copy of SYSVOL: GPT.INI and GptTmpl.inf of every GPO folder.
 *
 * Accepted roots: a Policies folder ({GUID} folders directly inside), a domain
 * folder holding Policies, or a whole sysvol holding <dns domain>/Policies.
 * Names are matched case-insensitively at every level, because real copies
 * differ ("Machine/microsoft/windows nt/SecEdit").  Paths are built only from
 * names read in the given folder (gPCFileSysPath is never followed) and
 * symbolic links are not followed, so nothing outside the folder is read.
 *
 * Reading the folders is nearly all of the work (20 000 GPO folders: about
 * 1.2 s of one core, mostly system calls), so from MIN_THREADED_FOLDERS
 * folders on it runs on threads, one per processor, while the calling thread
 * attaches what they read to the model in the order the folders are listed:
 * the model and the diagnostics are the same as when one thread does
 * everything.  Reading needs only the rights catalogue, not the directory's
 * GPOs, so gp_sysvol_read_start() begins it in the background, at the
 * lowest priority, while the directory data loads; gp_sysvol_read_finish()
 * reads what is left at normal priority and attaches.
 */
/* syscall(), hidden by _POSIX_C_SOURCE alone. */
#define _GNU_SOURCE
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "gp-loaders.h"
#include "gp-names.h"

#define MAX_SEARCH_DEPTH 3

static const char *const template_path[]
    = { "Machine", "Microsoft", "Windows NT", "SecEdit", "GptTmpl.inf" };

static gboolean
is_symlink(const char *path)
{
  return g_file_test(path, G_FILE_TEST_IS_SYMLINK);
}

/* A GPT.INI or GptTmpl.inf must be a regular file of sane size: a FIFO would
 * block the read, a symbolic link could point outside the folder. */
static gboolean
check_folder_file(const char *path, GError **error)
{
  return gp_check_input_file(path, GP_MAX_FOLDER_FILE_BYTES,
                             GP_FILE_CHECK_NO_SYMLINK | GP_FILE_CHECK_REGULAR_ONLY,
                             "files inside a SYSVOL copy are refused above it", error);
}

static gboolean
has_guid_folders(const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  const char *entry;

  while (handle && (entry = g_dir_read_name(handle))) {
    g_autofree char *guid = gp_guid_normalize(entry);
    if (guid)
      return TRUE;
  }
  return FALSE;
}

/* Collects every Policies-like folder under @dir, @depth levels down at most. */
static void
find_policy_dirs(const char *dir, guint depth, GPtrArray *found)
{
  g_autoptr(GDir) handle = NULL;
  const char *entry;

  if (has_guid_folders(dir)) {
    g_ptr_array_add(found, g_strdup(dir));
    return;
  }
  if (depth == 0 || !(handle = g_dir_open(dir, 0, NULL)))
    return;
  while ((entry = g_dir_read_name(handle))) {
    g_autofree char *child = g_build_filename(dir, entry, NULL);
    if (!is_symlink(child) && g_file_test(child, G_FILE_TEST_IS_DIR))
      find_policy_dirs(child, depth - 1, found);
  }
}

/* The DNS domain a Policies folder belongs to, when its parent is named like one. */
static char *
policies_domain(const char *policies_dir)
{
  /* Canonical first: "Policies/", "contoso.com/." and "x/../Policies" would
   * otherwise give the parent "Policies", "." or "..". */
  g_autofree char *canonical = g_canonicalize_filename(policies_dir, NULL);
  g_autofree char *parent = g_path_get_dirname(canonical);
  g_autofree char *name = g_path_get_basename(parent);

  return strchr(name, '.') ? g_ascii_strdown(name, -1) : NULL;
}

/* Returns: (transfer full) (nullable): the path of GptTmpl.inf, or NULL when
 * absent or when a symbolic link is met on the way; @out_link then receives
 * the link's path. */
static char *
find_template(const char *gpo_dir, char **out_link)
{
  char *path = g_strdup(gpo_dir);

  for (guint i = 0; path && i < G_N_ELEMENTS(template_path); i++) {
    char *next = gp_dir_find_child(path, template_path[i]);
    g_free(path);
    path = next;
    if (path && is_symlink(path)) {
      *out_link = path;
      return NULL;
    }
  }
  return path;
}

typedef struct {
  GpSysvolState state;
  gboolean has_gpt_ini;
  guint32 gpt_version;
  char *problem;
  GpSecurityTemplate *tmpl;
} FolderContents;

static void
folder_contents_clear(FolderContents *contents)
{
  g_clear_pointer(&contents->problem, g_free);
  g_clear_pointer(&contents->tmpl, gp_security_template_free);
}

static void
read_gpt_ini(const char *gpo_dir, FolderContents *out, GPtrArray *diags)
{
  g_autofree char *path = gp_dir_find_child(gpo_dir, "GPT.INI");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!path) {
    out->state = GP_SYSVOL_UNREADABLE;
    out->problem = g_strdup_printf("%s has no GPT.INI", gpo_dir);
    return;
  }
  if (!check_folder_file(path, &error) || !g_file_get_contents(path, &data, &len, &error)
      || !gp_gptini_load_from_data(data, len, path, &out->gpt_version, diags, &error)) {
    out->state = GP_SYSVOL_UNREADABLE;
    out->problem = g_strdup(error->message);
    return;
  }
  out->has_gpt_ini = TRUE;
}

static void
read_template(const char *gpo_dir, const GpModel *model, FolderContents *out, GPtrArray *diags)
{
  g_autofree char *link = NULL;
  g_autofree char *path = find_template(gpo_dir, &link);
  g_autoptr(GError) error = NULL;

  /* A template that is there but not read must not pass for no template. */
  if (link) {
    out->state = GP_SYSVOL_UNREADABLE;
    out->problem = g_strdup_printf("%s is a symbolic link, not followed", link);
    return;
  }
  if (!path)
    return;
  if (check_folder_file(path, &error))
    out->tmpl = gp_inf_load_file(path, model, diags, &error);
  if (!out->tmpl) {
    out->state = GP_SYSVOL_UNREADABLE;
    g_free(out->problem);
    out->problem = g_strdup(error->message);
  }
}

static gboolean
gpo_in_domain(const GpGpo *gpo, const char *domain)
{
  g_autofree char *gpo_domain = NULL;

  if (!domain || !gpo->dn)
    return TRUE;
  gpo_domain = gp_dn_to_dns_name(gpo->dn);
  return gpo_domain && g_ascii_strcasecmp(gpo_domain, domain) == 0;
}

/* Moves what was read into @gpo; the template goes with it. */
static void
apply_contents(GpGpo *gpo, FolderContents *contents)
{
  gpo->sysvol = contents->state;
  gpo->has_gpt_ini = contents->has_gpt_ini;
  gpo->gpt_version = contents->gpt_version;
  g_free(gpo->sysvol_problem);
  gpo->sysvol_problem = g_strdup(contents->problem);
  gp_security_template_free(gpo->machine_template);
  gpo->machine_template = g_steal_pointer(&contents->tmpl);
}

static void
attach_folder(GpModel *model, const char *guid, const char *domain, FolderContents *contents,
              const char *gpo_dir, GPtrArray *diags)
{
  g_autoptr(GPtrArray) gpos = gp_model_find_gpos_guid(model, guid);
  GpGpo *target = NULL;

  for (guint i = 0; i < gpos->len && !target; i++)
    if (gpo_in_domain(g_ptr_array_index(gpos, i), domain))
      target = g_ptr_array_index(gpos, i);
  if (!target) {
    gp_diag_add(diags, GP_SEVERITY_NOTE, gpo_dir, 0,
                "SYSVOL folder of GPO %s has no groupPolicyContainer in the directory data; "
                "it is kept but nothing links to it",
                guid);
    target = gp_model_add_gpo_guid(model, guid);
  }
  apply_contents(target, contents);
  if (target->sysvol == GP_SYSVOL_UNREADABLE)
    gp_diag_add(diags, GP_SEVERITY_WARNING, gpo_dir, 0, "GPO %s is unreadable: %s", guid,
                target->sysvol_problem);
}

/* One {GUID} entry of a Policies folder.  read_entry() fills it without
 * writing to the model, so that it can run on a worker thread; finish_entry()
 * then moves it into the model on the loading thread, entry after entry in the
 * order the folders were listed, so that the model and the diagnostics come
 * out the same however many threads read. */
typedef struct {
  char *path;
  char *guid;
  const char *domain; /* (nullable) borrowed from the list of domains seen */
  gboolean is_folder; /* a folder, neither a symbolic link nor a file */
  gboolean read;      /* read_entry() is done with it */
  FolderContents contents;
  GPtrArray *diags; /* what reading it found, before what attaching it finds */
} FolderEntry;

static void
folder_entry_clear(FolderEntry *entry)
{
  g_clear_pointer(&entry->path, g_free);
  g_clear_pointer(&entry->guid, g_free);
  g_clear_pointer(&entry->diags, g_ptr_array_unref);
  folder_contents_clear(&entry->contents);
}

/* Reads only the model's rights catalogue (gp_inf_load_file()), which nothing
 * writes while folders are read: safe on any thread. */
static void
read_entry(FolderEntry *entry, const GpModel *model)
{
  entry->diags = gp_diag_list_new();
  if (is_symlink(entry->path)) {
    gp_diag_add(entry->diags, GP_SEVERITY_WARNING, entry->path, 0,
                "symbolic link not followed; GPO %s treated as missing from SYSVOL", entry->guid);
    return;
  }
  entry->is_folder = g_file_test(entry->path, G_FILE_TEST_IS_DIR);
  if (!entry->is_folder)
    return;
  read_gpt_ini(entry->path, &entry->contents, entry->diags);
  if (entry->contents.state == GP_SYSVOL_READ)
    read_template(entry->path, model, &entry->contents, entry->diags);
}

/* What the background readers read is not read again when finishing. */
static void
read_entry_once(FolderEntry *entry, const GpModel *model)
{
  if (!entry->read)
    read_entry(entry, model);
  entry->read = TRUE;
}

static void
finish_entry(GpModel *model, FolderEntry *entry, GPtrArray *diags)
{
  if (diags)
    g_ptr_array_extend_and_steal(diags, g_steal_pointer(&entry->diags));
  if (entry->is_folder)
    attach_folder(model, entry->guid, entry->domain, &entry->contents, entry->path, diags);
  folder_entry_clear(entry);
}

/* Appends the {GUID} entries of @dir to @entries, in the order the folder
 * lists them, and its domain to @domains_seen. */
static void
list_policies_dir(const char *dir, GPtrArray *domains_seen, GArray *entries)
{
  g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
  char *domain = policies_domain(dir);
  const char *name;

  g_ptr_array_add(domains_seen, domain ? domain : g_strdup(""));
  while (handle && (name = g_dir_read_name(handle))) {
    FolderEntry entry = { .guid = gp_guid_normalize(name), .domain = domain };
    if (!entry.guid)
      continue;
    entry.path = g_build_filename(dir, name, NULL);
    entry.contents.state = GP_SYSVOL_READ;
    g_array_append_val(entries, entry);
  }
}

/* ----------------------------------------------------------------- batches */

/* Below this many folders, starting threads costs more than it saves. */
#define MIN_THREADED_FOLDERS 64
/* Folders a worker reads in one go: handing them over one by one made the
 * loading thread sleep and wake once per folder, which cost more than
 * reading them on one core. */
#define BATCH_FOLDERS 32

typedef enum {
  BATCH_LISTED,
  BATCH_QUEUED, /* handed to the pool */
  BATCH_READ,   /* every entry read: the loading thread may attach them */
} BatchState;

typedef struct {
  FolderEntry *entries; /* BATCH_FOLDERS, fewer in the last batch */
  guint n_entries;
  gint state; /* BatchState, only ever read and written atomically */
} ReadBatch;

/* Returns: (transfer full): @entries cut in runs of BATCH_FOLDERS. */
static GArray *
batches_new(GArray *entries)
{
  GArray *batches = g_array_new(FALSE, TRUE, sizeof(ReadBatch));

  for (guint first = 0; first < entries->len; first += BATCH_FOLDERS) {
    ReadBatch batch = { &g_array_index(entries, FolderEntry, first),
                        MIN(BATCH_FOLDERS, entries->len - first), BATCH_LISTED };
    g_array_append_val(batches, batch);
  }
  return batches;
}

static gboolean
batch_is_read(const ReadBatch *batch)
{
  for (guint i = 0; i < batch->n_entries; i++)
    if (!batch->entries[i].read)
      return FALSE;
  return TRUE;
}

/* Reads what is left of @batch, or up to the first entry after @stop
 * (nullable, atomic) is set. */
static void
read_batch(ReadBatch *batch, const GpModel *catalogue, const gint *stop)
{
  for (guint i = 0; i < batch->n_entries && !(stop && g_atomic_int_get(stop)); i++)
    read_entry_once(&batch->entries[i], catalogue);
}

/* ------------------------------------------------ reading in the background */

/* Batches read in the background at most, before finishing attaches any:
 * the whole SYSVOL of a large domain (32 768 folders; the 1m lab's 20 000
 * hold about 33 MB once read), a bound on a larger one. */
#define BACKGROUND_BATCHES 1024

struct _GpSysvolRead {
  GError *error;            /* (nullable) what finishing reports instead */
  const GpModel *catalogue; /* rights looked up by the readers */
  GPtrArray *domains_seen;  /* char*: each Policies folder's domain, "" if none */
  GArray *entries;          /* FolderEntry, in list order */
  GArray *batches;          /* ReadBatch over @entries */
  GPtrArray *readers;       /* GThread*: the background readers, until stopped */
  gint next_batch;          /* atomic: the next batch a background reader takes */
  gint stop;                /* atomic: the background readers are to stop */
};

/* While the LDIF loads, every core is busy most of the time, not all of it
 * (1 M computers: its last file is applied on one core): background readers
 * are to take the time left idle, not slow the LDIF (at normal priority they
 * did, and the load gained nothing).  On Linux the nice value is per thread:
 * 19 for this one, which ends when finishing stops it.  (SCHED_IDLE gained as
 * much, but with every core taken by other processes, finishing then waited
 * up to a second for a starved reader to end its folder; at nice 19, 0.2 s
 * at most in the same runs.) */
static void
lower_priority(void)
{
#ifdef __linux__
  (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
#endif
}

static gpointer
background_reader(gpointer data)
{
  GpSysvolRead *read = data;
  guint limit = MIN(read->batches->len, BACKGROUND_BATCHES);
  guint next;

  lower_priority();
  /* Each batch goes to one reader: what it writes, only finishing reads,
   * once it has joined the reader. */
  while (!g_atomic_int_get(&read->stop)
         && (next = (guint)g_atomic_int_add(&read->next_batch, 1)) < limit)
    read_batch(&g_array_index(read->batches, ReadBatch, next), read->catalogue, &read->stop);
  return NULL;
}

/* One reader per processor, from MIN_THREADED_FOLDERS folders on; fewer
 * when fewer start (finishing reads what they leave). */
static void
start_background(GpSysvolRead *read)
{
  guint threads = g_get_num_processors();

  if (read->entries->len < MIN_THREADED_FOLDERS || threads < 2)
    return;
  /* G_DEFINE_QUARK keeps the quark in a plain static set on first use:
   * setting it here, before any reader can, spares them racing to write it. */
  (void)GP_LOAD_ERROR;
  gp_names_prepare_threads();
  read->readers = g_ptr_array_new();
  for (guint i = 0; i < threads; i++) {
    GThread *thread = g_thread_try_new("gpsim-sysvol", background_reader, read, NULL);
    if (thread)
      g_ptr_array_add(read->readers, thread);
  }
}

/* Lets each background reader end the folder it reads, and joins them. */
static void
stop_background(GpSysvolRead *read)
{
  if (!read->readers)
    return;
  g_atomic_int_set(&read->stop, TRUE);
  for (guint i = 0; i < read->readers->len; i++)
    g_thread_join(g_ptr_array_index(read->readers, i));
  g_clear_pointer(&read->readers, g_ptr_array_unref);
}

/* ------------------------------------------------------ reading to attach */

/* Readers at the lowest priority would wait behind anything else running,
 * so finishing stops them: what they have not read is read at normal priority
 * on a pool of one thread per processor, while the calling thread attaches
 * in list order what the pool and they read. */

/* Batches handed to the pool ahead of the one being attached: this bounds
 * the templates held at once (1 024 folders, a few KiB each) whatever the
 * size of SYSVOL. */
#define READ_AHEAD_BATCHES 32

typedef struct {
  const GpModel *catalogue;
  GMutex lock;
  GCond cond; /* a batch is read */
} ReadPool;

static void
read_batch_job(gpointer data, gpointer user_data)
{
  ReadBatch *batch = data;
  ReadPool *shared = user_data;

  /* The queue and the lock order the two threads' work; the batch's state,
   * stored and loaded atomically both ways, orders it for ThreadSanitizer
   * too, which does not see GLib's futex-based GMutex and GAsyncQueue (and
   * a pool thread may be one GLib kept from an earlier pool: its start
   * orders nothing). */
  g_assert(g_atomic_int_get(&batch->state) == BATCH_QUEUED);
  read_batch(batch, shared->catalogue, NULL);
  g_mutex_lock(&shared->lock);
  g_atomic_int_set(&batch->state, BATCH_READ);
  g_cond_signal(&shared->cond);
  g_mutex_unlock(&shared->lock);
}

/* Waits for @batch to be read, then attaches its entries in order. */
static void
finish_batch(ReadPool *shared, ReadBatch *batch, GpModel *model, GPtrArray *diags)
{
  g_mutex_lock(&shared->lock);
  while (g_atomic_int_get(&batch->state) != BATCH_READ)
    g_cond_wait(&shared->cond, &shared->lock);
  g_mutex_unlock(&shared->lock);
  for (guint i = 0; i < batch->n_entries; i++)
    finish_entry(model, &batch->entries[i], diags);
}

/* Returns: (transfer full) (nullable): a pool with all its threads started,
 * or NULL when fewer could be (the folders are then read on this thread). */
static GThreadPool *
read_pool_start(ReadPool *shared)
{
  guint threads = g_get_num_processors();
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;

  gp_names_prepare_threads();
  pool = g_thread_pool_new(read_batch_job, shared, (gint)threads, TRUE, &error);

  if (pool && error) {
    g_thread_pool_free(pool, FALSE, TRUE);
    pool = NULL;
  }
  return pool;
}

/* Hands the batches left to read to @pool in list order, at most
 * READ_AHEAD_BATCHES ahead of the one this thread attaches. */
static void
run_batches(GThreadPool *pool, ReadPool *shared, GArray *batches, GpModel *model, GPtrArray *diags)
{
  guint next = 0;

  for (guint i = 0; i < batches->len; i++) {
    ReadBatch *batch = &g_array_index(batches, ReadBatch, i);
    if (i - next == READ_AHEAD_BATCHES)
      finish_batch(shared, &g_array_index(batches, ReadBatch, next++), model, diags);
    if (batch_is_read(batch)) {
      g_atomic_int_set(&batch->state, BATCH_READ);
      continue;
    }
    g_atomic_int_set(&batch->state, BATCH_QUEUED);
    g_thread_pool_push(pool, batch, NULL);
  }
  for (; next < batches->len; next++)
    finish_batch(shared, &g_array_index(batches, ReadBatch, next), model, diags);
}

static guint
count_unread(GArray *entries)
{
  guint unread = 0;

  for (guint i = 0; i < entries->len; i++)
    unread += !g_array_index(entries, FolderEntry, i).read;
  return unread;
}

/* Returns: FALSE, having attached nothing, when threads would not help or
 * could not be started. */
static gboolean
attach_threaded(GpSysvolRead *read, GpModel *model, GPtrArray *diags)
{
  ReadPool shared = { .catalogue = read->catalogue };
  GThreadPool *pool;

  if (count_unread(read->entries) < MIN_THREADED_FOLDERS || g_get_num_processors() < 2)
    return FALSE;
  (void)GP_LOAD_ERROR; /* see start_background() */
  g_mutex_init(&shared.lock);
  g_cond_init(&shared.cond);
  pool = read_pool_start(&shared);
  if (pool) {
    run_batches(pool, &shared, read->batches, model, diags);
    g_thread_pool_free(pool, FALSE, TRUE);
  }
  g_mutex_clear(&shared.lock);
  g_cond_clear(&shared.cond);
  return pool != NULL;
}

/* Attaches every entry in list order, reading on this thread any left. */
static void
attach_entries(GpSysvolRead *read, GpModel *model, GPtrArray *diags)
{
  for (guint i = 0; i < read->entries->len; i++) {
    FolderEntry *entry = &g_array_index(read->entries, FolderEntry, i);
    read_entry_once(entry, read->catalogue);
    finish_entry(model, entry, diags);
  }
}

/* -------------------------------------------------------------- the whole */

static gboolean
domain_seen(GPtrArray *domains_seen, const GpGpo *gpo)
{
  for (guint i = 0; i < domains_seen->len; i++) {
    const char *domain = g_ptr_array_index(domains_seen, i);
    if (gpo_in_domain(gpo, domain[0] ? domain : NULL))
      return TRUE;
  }
  return FALSE;
}

/* Directory GPOs of the domains this SYSVOL covers, with no folder: missing. */
static void
mark_missing(GpModel *model, GPtrArray *domains_seen)
{
  const GPtrArray *gpos = gp_model_gpos(model);

  for (guint i = 0; i < gpos->len; i++) {
    GpGpo *gpo = g_ptr_array_index(gpos, i);
    if (gpo->sysvol == GP_SYSVOL_NOT_GIVEN && domain_seen(domains_seen, gpo))
      gpo->sysvol = GP_SYSVOL_MISSING;
  }
}

/* Lists the {GUID} folders of @path into @read, or sets @read->error. */
static void
list_sysvol(GpSysvolRead *read, const char *path)
{
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);

  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    gp_set_load_error(&read->error, GP_LOAD_ERROR_IO, path, 0,
                      "not a folder; give the copy of SYSVOL's Policies folder");
    return;
  }
  find_policy_dirs(path, MAX_SEARCH_DEPTH, dirs);
  if (dirs->len == 0) {
    gp_set_load_error(&read->error, GP_LOAD_ERROR_SYNTAX, path, 0,
                      "no {GUID} GPO folders found within %d levels; give the Policies folder",
                      MAX_SEARCH_DEPTH);
    return;
  }
  for (guint i = 0; i < dirs->len; i++)
    list_policies_dir(g_ptr_array_index(dirs, i), read->domains_seen, read->entries);
}

static GpSysvolRead *
read_new(const char *path, const GpModel *catalogue)
{
  GpSysvolRead *read = g_new0(GpSysvolRead, 1);

  read->catalogue = catalogue;
  read->domains_seen = g_ptr_array_new_with_free_func(g_free);
  read->entries = g_array_new(FALSE, TRUE, sizeof(FolderEntry));
  g_array_set_clear_func(read->entries, (GDestroyNotify)folder_entry_clear);
  list_sysvol(read, path);
  read->batches = batches_new(read->entries);
  return read;
}

GpSysvolRead *
gp_sysvol_read_start(const char *path, const GpModel *catalogue)
{
  GpSysvolRead *read;

  g_return_val_if_fail(path != NULL, NULL);

  read = read_new(path, catalogue);
  if (!read->error)
    start_background(read);
  return read;
}

void
gp_sysvol_read_cancel(GpSysvolRead *read)
{
  if (!read)
    return;
  stop_background(read);
  g_array_unref(read->batches);
  g_array_unref(read->entries);
  g_ptr_array_unref(read->domains_seen);
  g_clear_error(&read->error);
  g_free(read);
}

gboolean
gp_sysvol_read_finish(GpSysvolRead *read, GpModel *model, GPtrArray *diags, GError **error)
{
  g_autoptr(GpSysvolRead) owned = read;

  g_return_val_if_fail(owned != NULL, FALSE);
  g_return_val_if_fail(model != NULL, FALSE);

  if (owned->error) {
    g_propagate_error(error, g_steal_pointer(&owned->error));
    return FALSE;
  }
  stop_background(owned);
  if (!attach_threaded(owned, model, diags))
    attach_entries(owned, model, diags);
  mark_missing(model, owned->domains_seen);
  return TRUE;
}

/* With no background reading: nothing else runs meanwhile. */
gboolean
gp_sysvol_load_dir(const char *path, GpModel *model, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail(path != NULL, FALSE);

  return gp_sysvol_read_finish(read_new(path, model), model, diags, error);
}
