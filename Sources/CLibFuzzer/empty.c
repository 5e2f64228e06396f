// Only a header: the symbol comes from libFuzzer when built with -sanitize=fuzzer.
