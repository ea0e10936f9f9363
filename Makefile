# Thin front door: install what is missing, configure, build, run or test.
# Everything real lives in CMakeLists.txt.  See README.md.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages the build and the tests need.
DEBIAN_PACKAGES := cmake make gcc pkgconf libglib2.0-dev libxml2-dev libjson-glib-dev libcunit1-dev valgrind chromium
# Live acquisition (--dc): OpenLDAP and Cyrus SASL headers, libsmbclient, GSS-API for --kerberos.
DEBIAN_PACKAGES += libldap-dev libsasl2-dev libsmbclient-dev libsasl2-modules-gssapi-mit

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build run test test-unit test-sanitize test-valgrind install clean

all: build

deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	@[ -f $(BUILD_DIR)/CMakeCache.txt ] || cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: who holds SeImpersonatePrivilege on the bundled lab's web server, and why.
run: build
	./$(BUILD_DIR)/gpsim explain --computer WEB01 --right SeImpersonatePrivilege

# Every test three ways: as built, under ASan+UBSan (a second build), and the
# end-to-end CLI and hostile-input suites under valgrind memcheck (zero errors,
# zero definite leaks).
test: test-sanitize test-valgrind test-unit

test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

SAN_DIR ?= build-asan
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	G_SLICE=always-malloc G_DEBUG=gc-friendly

test-sanitize: deps
	@[ -f $(SAN_DIR)/CMakeCache.txt ] || cmake -S . -B $(SAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DGP_SANITIZE=address,undefined
	cmake --build $(SAN_DIR) -j $(JOBS)
	cd $(SAN_DIR) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)

VALGRIND := valgrind --quiet --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite

test-valgrind: build
	@command -v valgrind >/dev/null || { $(SUDO) apt-get install -y -qq valgrind; }
	cd $(BUILD_DIR) && G_SLICE=always-malloc GP_TEST_WRAPPER="$(VALGRIND)" ctest --output-on-failure -j $(JOBS) -R '^(cli|hostile)[.]'

install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR) $(FUZZ_DIR) $(TSAN_DIR)

# Fuzzing (README "Security"): every loader's libFuzzer target, built with clang
# and -fsanitize=fuzzer,address,undefined in $(FUZZ_DIR).  `make fuzz-smoke` runs
# each for FUZZ_SECONDS on a temporary copy of its seed corpus (tests/fuzz/smoke.sh).
FUZZ_PACKAGES := clang libclang-rt-14-dev
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 20

.PHONY: fuzz-deps fuzz fuzz-smoke
fuzz-deps: deps
	@missing=""; \
	for p in $(FUZZ_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

fuzz: fuzz-deps
	@[ -f $(FUZZ_DIR)/CMakeCache.txt ] || CC=clang cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGP_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets

fuzz-smoke: fuzz
	tests/fuzz/smoke.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(JOBS)

# ThreadSanitizer over every threaded path (tests/tsan/run.sh): the CTest suite,
# then rsop and explain on a generated lab, in a GP_SANITIZE=thread build of its own.
TSAN_DIR ?= build-tsan
.PHONY: tsan
tsan: deps
	@[ -f $(TSAN_DIR)/CMakeCache.txt ] || cmake -S . -B $(TSAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGP_SANITIZE=thread
	cmake --build $(TSAN_DIR) -j $(JOBS)
	tests/tsan/run.sh $(TSAN_DIR) $(JOBS)

# Differential test against a throwaway Samba AD DC: `make interop SEEDS=200`
# (tests/interop/README.md).  Needs root; installs Samba's Debian packages.
.PHONY: interop
interop: build
	SEEDS="$(or $(SEEDS),20)" GPSIM="$(CURDIR)/$(BUILD_DIR)/gpsim" bash tests/interop/run.sh
	GPSIM="$(CURDIR)/$(BUILD_DIR)/gpsim" bash tests/interop/live.sh

# Scaling benchmark (tests/bench/run.sh): generated labs of 50, 100 k, 500 k and 1 M
# computers under /tmp, timed with /usr/bin/time -v against `cat` of the same bytes.
# BENCH_SIZES="small 100k" picks sizes, BENCH_RUNS the runs per figure (median).
# Release build of its own, -O2 (the README's figures).
.PHONY: bench
bench: deps
	@[ -x /usr/bin/time ] || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends time; }
	@[ -f build-bench/CMakeCache.txt ] || cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG"
	cmake --build build-bench -j $(JOBS) --target gpsim
	GPSIM="$(CURDIR)/build-bench/gpsim" bash tests/bench/run.sh
