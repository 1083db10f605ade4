#!/usr/bin/env bash
# `make fuzz`: runs every fuzz target in fuzz/ with libFuzzer, on nightly
# (installed here when missing; kept out of `make test`, which is stable-only).
# Each runs FUZZ_SECONDS (default: five minutes); FUZZ_SECONDS_<target>
# overrides one target's time and FUZZ_TARGETS picks some targets. A run
# longer than 5 s on one input counts as a hang (the glob matcher must stay
# linear). Prints the executions per target; exits non-zero on any crash or
# hang, whose input lands in fuzz/artifacts/ and must become a native
# regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
default_seconds=${FUZZ_SECONDS:-300}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo +nightly install cargo-fuzz

status=0
summary=()
for target in ${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}; do
  override="FUZZ_SECONDS_$target"
  seconds=${!override:-$default_seconds}
  log="fuzz/target/$target.log"
  mkdir -p fuzz/target
  printf '[fuzz] %s for %ss\n' "$target" "$seconds"
  if cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -timeout=5 -print_final_stats=1 >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    tail -30 "$log"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  summary+=("$result  $target: ${runs:-?} executions in ${seconds}s")
done
printf '\n'
printf '%s\n' "${summary[@]}"
exit $status
