#!/usr/bin/env bash
# `make test`: every suite, each announced and timed, then one summary. Runs
# all suites even after a failure so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=120

passed=(); failed=()
suite() {
  local name=$1; shift
  printf '\n===== suite: %s =====\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed+=("$name"); printf -- '----- %s: passed (%ss)\n' "$name" $((SECONDS - start))
  else
    failed+=("$name"); printf -- '----- %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}
browser_tests_once() { # $1: chromium | firefox
  if [ "$1" = chromium ]; then
    CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web --test worker
  else
    GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test web --test worker
  fi
}
# When the browser never started the tests (its service worker failed to
# evaluate the harness: seen once in Firefox on a loaded machine), the run is
# repeated once; a test that fails or hangs fails both runs.
browser_tests() {
  local log
  log=$(mktemp)
  browser_tests_once "$1" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ] && grep -q "Failed to detect test as having been run" "$log" && ! grep -q "test result: FAILED" "$log"; then
    printf -- '----- %s: the browser did not run the tests; running them once more\n' "$1"
    browser_tests_once "$1"
    status=$?
  fi
  rm -f "$log"
  return "$status"
}

suite "rustfmt" cargo fmt --all -- --check
suite "clippy (native)" cargo clippy --all-targets -- -D warnings
clippy_wasm() {
  cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings &&
    cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features page -- -D warnings &&
    cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features worker -- -D warnings
}
suite "clippy (wasm32: all, page-only, worker-only)" clippy_wasm
suite "native tests (pure core)" cargo test
suite "browser tests: Chromium, page + service worker" browser_tests chromium
suite "browser tests: Firefox, page + service worker" browser_tests firefox
suite "generated docs are fresh" cargo run --quiet --example error_docs -- --check
suite "build packages (make pkg)" make --no-print-directory pkg-build
suite "size budget" node scripts/check-size.mjs
shells_typecheck() {
  node_modules/.bin/tsc -p sw/tsconfig.json && node_modules/.bin/tsc -p js/reporting/tsconfig.json &&
    node_modules/.bin/tsc -p src/tsconfig.json
}
suite "JavaScript shells type-check against the core's .d.ts (tsc --checkJs)" shells_typecheck
suite "package check: tarball, tsc --strict, publint, loaded in Chromium" node --test tests/package/
suite "framework bindings from the tarball: React hooks and banner (StrictMode), TanStack onlineManager, in Chromium" node --test tests/bindings/
suite "end to end in Chromium: engine, faults, fail-open, demo CRM" node --test tests/e2e/
suite "example apps from the tarball: Vite + React (plugin, dev server), webpack (CLI), offline in Chromium" node --test tests/examples/

printf '\n===== summary =====\n'
for name in "${passed[@]}"; do printf 'passed  %s\n' "$name"; done
for name in "${failed[@]}"; do printf 'FAILED  %s\n' "$name"; done
printf 'suites: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ "${#failed[@]}" -eq 0 ]
