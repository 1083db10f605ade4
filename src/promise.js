// @ts-check
/* Promise chaining for the Rust side without wasm futures (shell; promise.rs
 * owns the contract): `step` runs exactly once, however `promise` settles. */

/**
 * @param {unknown} promise
 * @param {(fulfilled: boolean, value: unknown) => unknown} step
 */
export function after(promise, step) {
  return Promise.resolve(promise).then(
    (value) => step(true, value),
    (error) => step(false, error),
  );
}
