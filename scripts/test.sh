#!/usr/bin/env bash
# `make test`: every suite, each announced and timed, then one summary. Runs
# all suites even after a failure so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=120

passed=(); failed=(); harness_retries=()
# The proxy between the browsers and wasm-bindgen-test-runner (see browser_tests).
PROXY_PORT=47823
node scripts/test-runner-proxy.mjs "$PROXY_PORT" > .test-proxy.log 2>&1 &
proxy_pid=$!
# BUSY_LOOPS=N (default 0): N CPU-bound loops beside the suites, a busy machine.
busy_pids=()
for _ in $(seq "${BUSY_LOOPS:-0}"); do (while :; do :; done) & busy_pids+=($!); done
trap 'kill "$proxy_pid" "${busy_pids[@]}" 2>/dev/null; rm -f .test-proxy.log' EXIT
for _ in $(seq 300); do grep -q "proxy listening" .test-proxy.log 2>/dev/null && break; sleep 0.1; done
grep -q "proxy listening" .test-proxy.log || { cat .test-proxy.log; echo "the test-runner proxy did not start (port $PROXY_PORT taken?)" >&2; exit 1; }
suite() {
  local name=$1; shift
  printf '\n===== suite: %s =====\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed+=("$((SECONDS - start))s  $name"); printf -- '----- %s: passed (%ss)\n' "$name" $((SECONDS - start))
  else
    failed+=("$((SECONDS - start))s  $name"); printf -- '----- %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}
# One test binary (web: the page; worker: a service worker) in one browser.
# WebKit (MiniBrowser) has no headless mode: it runs under an Xvfb of its own,
# its driver behind scripts/webkit-driver-shim.mjs (which points it at the
# proxy; the driver it leaves when the runner kills it is stopped here).
browser_binary() { # $1: chromium | firefox | webkit, $2: web | worker
  case "$1" in
    chromium) CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test "$2" ;;
    firefox) GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test "$2" ;;
    webkit)
      local status
      env -u CHROMEDRIVER -u GECKODRIVER SAFARIDRIVER="$PWD/scripts/webkit-driver-shim.mjs" \
        OFFLINE_RUNTIME_TEST_PROXY_PORT="$PROXY_PORT" \
        xvfb-run -a cargo test --target wasm32-unknown-unknown --test "$2"
      status=$?
      pkill -f '^/usr/bin/WebKitWebDriver --port=' || true
      return "$status" ;;
  esac
}
# Every browser reaches the runner's server through
# scripts/test-runner-proxy.mjs (webdriver.json points Chromium and Firefox
# at its port, scripts/webkit-driver-shim.mjs WebKit): it
# gives every request a connection of its own, which the runner's server
# needs (the script says why; without it a page stalled at "Loading
# scripts..." for 300 s in about one run in five). A binary whose harness
# still never started its tests (no "running N tests" line) is run again, up
# to twice, and each such retry is counted in the summary; once the tests
# run, any failure or hang fails the suite, never retried. Worker binaries
# get a 40 s timeout (they pass in under 20).
browser_tests() { # $1: chromium | firefox | webkit
  local binary attempt log status
  for binary in web worker; do
    log=$(mktemp)
    for attempt in 1 2 3; do
      if [ "$binary" = worker ]; then
        WASM_BINDGEN_TEST_TIMEOUT=40 browser_binary "$1" "$binary" 2>&1 | tee "$log"
      else
        browser_binary "$1" "$binary" 2>&1 | tee "$log"
      fi
      status=${PIPESTATUS[0]}
      if [ "$status" -eq 0 ] || grep -Eq "^running [0-9]+ tests" "$log"; then
        break
      fi
      printf -- '----- %s %s: the harness never started the tests (attempt %s); running it again\n' "$1" "$binary" "$attempt"
      harness_retries+=("$1 $binary (attempt $attempt)")
    done
    rm -f "$log"
    [ "$status" -eq 0 ] || return "$status"
  done
}
suite "rustfmt" cargo fmt --all -- --check
suite "no import circles among the crate's modules" node scripts/check-imports.mjs
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
suite "browser tests: WebKit, page + service worker" browser_tests webkit
suite "generated docs are fresh" cargo run --quiet --example error_docs -- --check
suite "build packages (make pkg)" make --no-print-directory pkg-build
suite "size budget" node scripts/check-size.mjs
suite "README and docs name only files, subpaths and exports that exist" node scripts/check-docs.mjs
shells_typecheck() {
  node_modules/.bin/tsc -p sw/tsconfig.json && node_modules/.bin/tsc -p js/reporting/tsconfig.json &&
    node_modules/.bin/tsc -p js/tsconfig.json && node_modules/.bin/tsc -p src/tsconfig.json
}
suite "JavaScript shells type-check against the core's .d.ts (tsc --checkJs)" shells_typecheck
suite "package check: tarball, tsc --strict, publint, loaded in Chromium" node --test tests/package/
suite "framework bindings from the tarball: React hooks and banner (StrictMode), TanStack onlineManager, in Chromium" node --test tests/bindings/
suite "end to end in Chromium: engine, faults, fail-open, demo CRM" node --test tests/e2e/
# WebKit and Firefox end to end, in a network namespace of this run's own
# whose only default route is on lo: deleting it takes the network away while
# the test servers on the loopback address stay reachable. Needs root, as CI has.
engines_offline() {
  local ns="offline-runtime-test-$$" status
  ip netns add "$ns" || { echo "cannot create a network namespace (root needed)" >&2; return 1; }
  ip netns exec "$ns" ip link set lo up && ip netns exec "$ns" ip route add default dev lo &&
    ip netns exec "$ns" node --test tests/engines/
  status=$?
  ip netns del "$ns"
  return "$status"
}
suite "end to end in WebKit and Firefox (WebDriver): demo offline journey, idle worker restarted offline, failures classified" engines_offline
suite "example apps from the tarball: Vite + React (plugin, dev server), webpack (CLI), offline in Chromium" node --test tests/examples/

printf '\n===== summary =====\n'
for name in "${passed[@]}"; do printf 'passed  %s\n' "$name"; done
for name in "${failed[@]}"; do printf 'FAILED  %s\n' "$name"; done
for retry in "${harness_retries[@]}"; do printf 'retried (harness never started)  %s\n' "$retry"; done
printf 'total %ss (setup before it: see [setup] lines)\n' "$SECONDS"
printf 'suites: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ "${#failed[@]}" -eq 0 ]
