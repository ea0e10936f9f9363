/* fuzz-common.h - what every fuzz target in tests/fuzz/ shares.
 *
 * One target per loader entry point that takes memory (style.md D.15).  Each
 * file defines LLVMFuzzerTestOneInput(); with clang and -DGP_FUZZ=ON it is
 * linked with libFuzzer (-fsanitize=fuzzer,address,undefined), otherwise with
 * driver.c, which feeds it the files named on its command line, so that CTest
 * runs every target over its seed corpus in the normal build (label fuzz-seed).
 *
 * A target fails (aborts) on a crash, a sanitizer report, a leak, a GLib
 * critical or warning (fuzz_init() makes them fatal: they are precondition
 * failures), or a broken contract: a load that fails without a GP_LOAD_ERROR,
 * or succeeds with one.
 */
#ifndef GP_FUZZ_COMMON_H
#define GP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "gp-engine.h"
#include "gp-loaders.h"

G_BEGIN_DECLS

/* The libFuzzer entry points (the driver calls them the same way). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Makes GLib criticals and warnings abort(); called by LLVMFuzzerInitialize(). */
void fuzz_init(void);

/* Returns: (transfer full): a new model holding gpsim's rights catalogue and
 * SID names (data/), as gpsim loads them before any input. */
GpModel *fuzz_model_new(void);

/* Returns: (transfer full): @data as a NUL-terminated string, cut at the first NUL. */
char *fuzz_string(const uint8_t *data, size_t size);

/* Aborts unless a loader's result agrees with its error: @ok FALSE with a
 * GP_LOAD_ERROR set, or @ok TRUE with none. */
void fuzz_check_result(gboolean ok, const GError *error);

/* Completes @model and evaluates up to @max of its computers (every right),
 * so that what a loader built also goes through the engine. */
void fuzz_evaluate(GpModel *model, guint max);

/* Evaluates one computer with @options (nullable); the result is checked and freed. */
void fuzz_evaluate_computer(const GpModel *model, const GpComputer *computer,
                            const GpEngineOptions *options);

G_END_DECLS

#endif
