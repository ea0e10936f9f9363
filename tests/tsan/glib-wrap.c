/* glib-wrap.c - lets ThreadSanitizer see GLib's locks (GP_SANITIZE=thread).
 *
 * GLib on Linux builds GMutex and GCond on futexes, which ThreadSanitizer
 * does not know: every hand-over under a GMutex then looks like a race.
 * In a thread-sanitized build the linker sends gpsim's calls to the
 * functions below (-Wl,--wrap), which call GLib and tell ThreadSanitizer
 * that taking a lock acquires what the last release of it published.
 */
#include <glib.h>

void __tsan_acquire(void *addr);
void __tsan_release(void *addr);

void __real_g_mutex_lock(GMutex *mutex);
void __real_g_mutex_unlock(GMutex *mutex);
gboolean __real_g_mutex_trylock(GMutex *mutex);
void __real_g_cond_wait(GCond *cond, GMutex *mutex);
gboolean __real_g_cond_wait_until(GCond *cond, GMutex *mutex, gint64 end_time);

void __wrap_g_mutex_lock(GMutex *mutex);
void __wrap_g_mutex_unlock(GMutex *mutex);
gboolean __wrap_g_mutex_trylock(GMutex *mutex);
void __wrap_g_cond_wait(GCond *cond, GMutex *mutex);
gboolean __wrap_g_cond_wait_until(GCond *cond, GMutex *mutex, gint64 end_time);

void
__wrap_g_mutex_lock(GMutex *mutex)
{
  __real_g_mutex_lock(mutex);
  __tsan_acquire(mutex);
}

void
__wrap_g_mutex_unlock(GMutex *mutex)
{
  __tsan_release(mutex);
  __real_g_mutex_unlock(mutex);
}

gboolean
__wrap_g_mutex_trylock(GMutex *mutex)
{
  gboolean taken = __real_g_mutex_trylock(mutex);

  if (taken)
    __tsan_acquire(mutex);
  return taken;
}

void
__wrap_g_cond_wait(GCond *cond, GMutex *mutex)
{
  __tsan_release(mutex);
  __real_g_cond_wait(cond, mutex);
  __tsan_acquire(mutex);
}

gboolean
__wrap_g_cond_wait_until(GCond *cond, GMutex *mutex, gint64 end_time)
{
  gboolean signalled;

  __tsan_release(mutex);
  signalled = __real_g_cond_wait_until(cond, mutex, end_time);
  __tsan_acquire(mutex);
  return signalled;
}
