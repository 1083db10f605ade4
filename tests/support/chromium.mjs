// How every Node harness (package check, end-to-end, benchmarks) launches
// Debian's Chromium here: flags from ../shared/TOOLCHAIN.md. Playwright gets a
// fresh profile per launch.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
