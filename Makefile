# Thin wrapper over CMake; see README.md.
#   make        build build/ctip (installs missing Debian packages first)
#   make run    build, create a demo database and start ctip on it
#   make test   build with ASan+UBSan and run every test (what CI runs)
#   make bench  build optimised and run the benchmarks in bench/
#   make fuzz   fuzz every parser for FUZZ_SECONDS each (default 300)
#   make format clang-format every C file
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 300

.PHONY: all build deps deps-test run test quick bench fuzz format clean

all: build

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$(JOBS)

run: build
	@scripts/run-demo.sh build

build-test/CMakeCache.txt:
	@cmake -S . -B build-test -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
		-DCT_SANITIZE=ON -DCT_FUZZ=ON -DCT_FAULT_INJECTION=ON -DCT_TESTS=ON >/dev/null

# `make test` also builds the optimised gcc binary of `make run`: some
# warnings only show under gcc -O2, and both builds must stay clean.
test: deps-test build build-test/CMakeCache.txt
	@echo "ctip: building with AddressSanitizer + UndefinedBehaviorSanitizer, then running all tests"
	@cmake --build build-test -j$(JOBS)
	@cd build-test && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j$(JOBS)

quick: deps-test build-test/CMakeCache.txt
	@cmake --build build-test -j$(JOBS)
	@cd build-test && ctest --output-on-failure -j$(JOBS) -L quick

bench:
	@scripts/deps.sh bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCT_BENCH=ON >/dev/null
	@cmake --build build-bench -j$(JOBS)
	@bench/run.sh build-bench

fuzz: deps-test build-test/CMakeCache.txt
	@cmake -S . -B build-test -DCT_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build build-test -j$(JOBS)
	@cd build-test && ctest --output-on-failure -L fuzz
	@cmake -S . -B build-test -DCT_FUZZ_SECONDS=20 >/dev/null

format:
	@git ls-files --cached --others --exclude-standard '*.c' '*.h' | xargs -r clang-format -i

clean:
	rm -rf build build-test build-bench
