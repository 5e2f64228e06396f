# Nightjar — see README.md.
SWIFT ?= swift
NIGHTJAR := .build/debug/nightjar

.PHONY: deps build run test bench clean fuzz fuzz-build

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

# The sample nightly chain, end to end, on a fresh state directory.
run: build
	rm -rf .nightjar
	NIGHTJAR=$(NIGHTJAR) scripts/demo

# Every test: unit tests, real processes, a real daemon killed with SIGKILL.
test: build
	$(SWIFT) test

# libFuzzer over every parser (issue 11), FUZZ_SECONDS per target; fails on a crash, saving the
# reproducer in fuzz-crashes/. SWIFT_LOCK can serialise builds on a shared machine (e.g. flock FILE).
FUZZ_SECONDS ?= 60
SWIFT_LOCK ?=
fuzz-build: deps
	$(SWIFT_LOCK) $(SWIFT) build --scratch-path .build-fuzz -c debug --product nightjar-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DNIGHTJAR_LIBFUZZER -Xcc -fsanitize=fuzzer-no-link,address

# (-Xcc: coverage and ASan in the C parts too, such as Yams' libyaml.)
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

bench: deps
	$(SWIFT) build -c release
	bench/scheduler-vs-xargs
	bench/daemon-rss
	bench/print-vs-lp
	bench/crash-sweep
	bench/web-load
	bench/slurm-overhead
	bench/slurm-crash-sweep

clean:
	rm -rf .build .build-fuzz .fuzz .nightjar work inbox
