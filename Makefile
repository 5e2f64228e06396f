# Nightjar — see README.md.
SWIFT ?= swift
NIGHTJAR := .build/debug/nightjar

.PHONY: deps build run test bench clean fuzz fuzz-build install install-build deb test-deb

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

# The sample nightly chain, end to end, on a fresh state directory.
run: build
	rm -rf .nightjar
	NIGHTJAR=$(NIGHTJAR) scripts/demo

# Every test: unit tests, real processes, a real daemon killed with SIGKILL; then the Debian package
# installed into a clean tree and the sample night run by it as the nightjar user (scripts/test-deb).
test: build
	$(SWIFT) test
	scripts/test-deb .build/debug

# Installation (issue 16). A release build with the Swift runtime linked in, so the installed nightjar
# needs no Swift toolchain; in a scratch path of its own so it does not replace the usual release build.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_BUILD := -c release --static-swift-stdlib --scratch-path .build-static

install-build: deps
	$(SWIFT_LOCK) $(SWIFT) build $(INSTALL_BUILD)

# nightjar in PREFIX/bin, nightjar-supervise in PREFIX/libexec/nightjar, man pages, bash/zsh completions.
install: install-build
	scripts/install-files "$$($(SWIFT) build $(INSTALL_BUILD) --show-bin-path)" "$(DESTDIR)" "$(PREFIX)"

# dist/nightjar_VERSION_ARCH.deb (see scripts/make-deb).
deb: install-build
	scripts/make-deb "$$($(SWIFT) build $(INSTALL_BUILD) --show-bin-path)" dist

# The package test alone, on the debug build.
test-deb: build
	scripts/test-deb .build/debug

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
	bench/three-years

clean:
	rm -rf .build .build-fuzz .fuzz .nightjar work inbox
