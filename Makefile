# The two commands a newcomer needs are `make demo` and `make test`; both run
# `make setup` first (idempotent: seconds on a warm machine).
.PHONY: setup pkg pkg-build docs test demo bench fuzz clean

# Tools that setup installs with cargo live here, whatever the caller's PATH.
export PATH := $(HOME)/.cargo/bin:$(PATH)

setup:
	@bash scripts/setup.sh

# Both targets (see wasm-pack.toml), assembled into pkg/, then packed.
pkg: setup pkg-build

pkg-build:
	node scripts/build.mjs
	rm -f pkg/offline-runtime-*.tgz
	cd pkg && npm pack --silent

# Regenerates docs/errors/ from the catalog.
docs:
	cargo run --quiet --example error_docs

test: setup
	@bash scripts/test.sh

demo: pkg
	node www/server.mjs

# Benchmarks against peers in one Chromium run; writes docs/benchmarks.md.
bench: pkg
	node bench/run.mjs

# Fuzzes the core's parsers and classifiers on nightly (FUZZ_SECONDS per
# target, default 300); not part of `make test`.
fuzz:
	@bash scripts/fuzz.sh

clean:
	cargo clean
	rm -rf pkg pkg-sw node_modules
