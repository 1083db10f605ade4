#!/usr/bin/env bash
# Installs everything the build, tests and demo need, following
# ../shared/TOOLCHAIN.md. Idempotent: each step is skipped when its tool is
# already there at the right version, so a warm machine finishes in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

GECKODRIVER_VERSION=0.37.1
# wasm-bindgen-cli must match the wasm-bindgen crate the lock file pins.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '[setup] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Browsers download while Rust tools compile; waited for at the end.
# WebKit is WebKitGTK's WebDriver and MiniBrowser, which needs an X display
# (Xvfb); iproute2 takes the network away in the WebKit and Firefox journey.
apt_pid=""
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -x /usr/bin/firefox-esr ] &&
  [ -x /usr/bin/WebKitWebDriver ] && command -v Xvfb >/dev/null && command -v xvfb-run >/dev/null &&
  command -v ip >/dev/null; then
  step "chromium, chromedriver, firefox-esr, WebKitWebDriver, Xvfb: present"
else
  step "installing chromium, chromium-driver, firefox-esr, webkit2gtk-driver, xvfb (apt, in the background)"
  ( as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq \
      chromium chromium-driver firefox-esr &&
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
      webkit2gtk-driver xvfb xauth iproute2 ) > .setup-apt.log 2>&1 &
  apt_pid=$!
fi

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "wasm32-unknown-unknown target: present"
else
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

installed_version() { "$1" --version 2>/dev/null | head -1 | awk '{ print $2 }' | sed 's/^v//'; }

if [ "$(installed_version wasm-bindgen)" = "$WASM_BINDGEN_VERSION" ] && command -v wasm-bindgen-test-runner >/dev/null; then
  step "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  # No --locked: its lock pins a crate version the registry does not serve.
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(installed_version geckodriver)" = "$GECKODRIVER_VERSION" ]; then
  step "geckodriver $GECKODRIVER_VERSION: present"
else
  step "installing geckodriver $GECKODRIVER_VERSION (a few minutes)"
  cargo install --quiet --force geckodriver --version "$GECKODRIVER_VERSION"
fi

# npm dev dependencies (binaryen's wasm-opt, playwright-core, typescript, ...).
if [ -f node_modules/.setup-stamp ] && cmp -s package-lock.json node_modules/.setup-stamp; then
  step "npm dev dependencies: present"
else
  step "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.setup-stamp
fi

# The example apps' own dependencies (Vite, React, webpack); the tests add
# the freshly packed package on top, as a user's `npm install` would.
for lock in examples/*/package-lock.json; do
  dir=$(dirname "$lock")
  if [ -f "$dir/node_modules/.setup-stamp" ] && cmp -s "$lock" "$dir/node_modules/.setup-stamp"; then
    step "$dir dependencies: present"
  else
    step "installing $dir dependencies"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$lock" "$dir/node_modules/.setup-stamp"
  fi
done

if [ -n "$apt_pid" ]; then
  if ! wait "$apt_pid"; then
    cat .setup-apt.log
    echo "[setup] apt-get failed" >&2
    exit 1
  fi
  rm -f .setup-apt.log
  step "browsers installed"
fi
step "ready: $(chromium --version 2>/dev/null | head -1); $(firefox-esr --version 2>/dev/null | head -1); WebKitGTK $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null)"
