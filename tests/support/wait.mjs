// Waiting on a condition from Node, for every harness: polls `check()` (sync
// or async; a throw counts as not yet) until it returns a truthy value, which
// it resolves with. The ceiling is a failure message, not a measurement: it
// is generous because a busy machine may be slow, never because a test
// expects that long.
export async function waitFor(check, what, ceilingMs = 60000) {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ceilingMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
