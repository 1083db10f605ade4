// @ts-check
/* The callable side of `debounce` (shell; the timing machine in timer.rs and
 * machine.rs decides everything). The function a caller gets back holds
 * `this`, the arguments and the last result, so a call crosses into the
 * .wasm carrying no values at all, only "a call happened"; the core calls
 * `invoke` back when the function is to run. Page build only: the worker
 * has no debounce.
 */

/**
 * The core half, a DebounceCore (internal: not in the public types).
 * @typedef {object} DebounceCore
 * @property {(invoke: () => void) => void} bind
 * @property {() => void} call
 * @property {() => void} cancel
 * @property {() => void} flush
 * @property {() => boolean} pending
 */

/**
 * @param {Function} func
 * @param {DebounceCore} core
 */
export function wrapCallable(func, core) {
  /** @type {unknown[] | undefined} */
  let lastArgs;
  /** @type {unknown} */
  let lastThis;
  /** @type {unknown} */
  let result;
  core.bind(() => {
    const args = lastArgs;
    const self = lastThis;
    lastArgs = lastThis = undefined;
    result = func.apply(self, args);
  });
  /**
   * @this {unknown}
   * @param {...unknown} args
   */
  function debounced(...args) {
    lastArgs = args;
    lastThis = this;
    core.call();
    return result;
  }
  debounced.cancel = () => {
    core.cancel();
    lastArgs = lastThis = undefined;
  };
  debounced.flush = () => {
    core.flush();
    return result;
  };
  debounced.pending = () => core.pending();
  return debounced;
}
