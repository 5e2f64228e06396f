# Nightjar — see README.md.
SWIFT ?= swift
NIGHTJAR := .build/debug/nightjar

.PHONY: deps build run test bench clean

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

bench: deps
	$(SWIFT) build -c release
	bench/scheduler-vs-xargs
	bench/daemon-rss
	bench/print-vs-lp
	bench/crash-sweep

clean:
	rm -rf .build .nightjar work inbox
