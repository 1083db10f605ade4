// @ts-check
// OnlineStatus's I/O shell, in pages and workers: listens to the global
// `online`/`offline` events and to `visibilitychange`, runs the probe timer
// and the `HEAD` probe (no-store, aborted after its timeout), shares changes
// between tabs over BroadcastChannel, and tells subscribers. Shell: every
// decision (what an event means, when to probe, what changed) is the pure
// machine's (`machine.rs`), reached through `decide`; this file carries out
// its effects. It keeps itself alive through its listeners until `dispose()`,
// whether or not the app keeps the handle.

/**
 * What happened, as the machine's inputs (`js.rs` maps each to an `Input`).
 * @typedef {"online" | "offline" | "remote-online" | "remote-offline" | "hidden" | "visible" | "timer" | "probe-ok" | "probe-failed" | "check"} OnlineInput
 */

/**
 * @typedef {object} OnlineState
 * @property {boolean} online
 * @property {number | undefined} lastOnlineAt
 * @property {number} lastChangedAt
 */

/**
 * What the machine says to do after an input.
 * @typedef {object} OnlineEffects
 * @property {boolean} changed Tell subscribers.
 * @property {boolean} reconnected Run the reconnect callbacks.
 * @property {boolean} broadcast Tell the other tabs.
 * @property {boolean} probe Send a probe now.
 * @property {boolean} clearTimer Stop the probe timer.
 * @property {number | undefined} startTimerMs (Re)start the probe timer.
 * @property {OnlineState} state The state after it.
 */

/** @typedef {(state: OnlineState) => void} StateCallback */

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class OnlineShell {
  /**
   * @param {(input: OnlineInput) => OnlineEffects} decide
   * @param {OnlineEffects} start What the machine said at its start.
   * @param {string | undefined} probeUrl
   * @param {number} probeTimeoutMs
   * @param {string} channelName
   * @param {(error: unknown) => void} failed Reports a subscriber's failure (to onError, or the console).
   */
  constructor(decide, start, probeUrl, probeTimeoutMs, channelName, failed) {
    this.decide = decide;
    this.probeUrl = probeUrl;
    this.probeTimeoutMs = probeTimeoutMs;
    this.failed = failed;
    this.disposed = false;
    /** @type {Set<{ callback: StateCallback }>} */
    this.subscribers = new Set();
    /** @type {Set<{ callback: StateCallback }>} */
    this.reconnects = new Set();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {AbortController | undefined} */
    this.inFlight = undefined;
    /** `checkNow()` promises waiting for the probe in flight. @type {Array<(online: boolean) => void>} */
    this.waiters = [];
    this.state = start.state;
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(channelName) : undefined;

    const scope = /** @type {any} */ (globalThis);
    const onOnline = () => this.handle("online");
    const onOffline = () => this.handle("offline");
    scope.addEventListener("online", onOnline);
    scope.addEventListener("offline", onOffline);
    /** @type {Document | undefined} */
    const document = scope.document;
    const onVisibility = () => this.handle(document?.hidden ? "hidden" : "visible");
    document?.addEventListener("visibilitychange", onVisibility);
    /** @param {MessageEvent} event */
    const onMessage = (event) => {
      const online = event.data?.online;
      if (typeof online === "boolean") this.handle(online ? "remote-online" : "remote-offline");
    };
    this.channel?.addEventListener("message", onMessage);
    this.unlisten = () => {
      scope.removeEventListener("online", onOnline);
      scope.removeEventListener("offline", onOffline);
      document?.removeEventListener("visibilitychange", onVisibility);
      this.channel?.removeEventListener("message", onMessage);
    };
    if (document?.hidden) this.handle("hidden");
    this.apply(start);
  }

  /** @param {OnlineInput} input */
  handle(input) {
    if (!this.disposed) this.apply(this.decide(input));
  }

  /** @param {OnlineEffects} effects */
  apply(effects) {
    this.state = effects.state;
    if (effects.clearTimer || effects.startTimerMs !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (effects.startTimerMs !== undefined) {
      this.timer = setTimeout(() => this.handle("timer"), Math.min(Math.ceil(effects.startTimerMs), MAX_TIMEOUT_MS));
    }
    if (effects.probe) this.probe();
    if (effects.broadcast) this.channel?.postMessage({ online: effects.state.online });
    if (effects.changed) this.notify(this.subscribers, effects.state);
    if (effects.reconnected) this.notify(this.reconnects, effects.state);
  }

  /**
   * @param {Set<{ callback: StateCallback }>} list
   * @param {OnlineState} state
   */
  notify(list, state) {
    const view = { online: state.online, lastOnlineAt: state.lastOnlineAt, lastChangedAt: state.lastChangedAt };
    for (const entry of [...list]) {
      if (this.disposed) return;
      const { callback } = entry;
      try {
        callback(view);
      } catch (error) {
        this.failed(error);
      }
    }
  }

  /** Any HTTP response, whatever its status, means the server is reachable. */
  probe() {
    const url = this.probeUrl;
    if (url === undefined) return;
    const controller = new AbortController();
    const abort = setTimeout(() => controller.abort(), Math.min(this.probeTimeoutMs, MAX_TIMEOUT_MS));
    this.inFlight = controller;
    fetch(url, { method: "HEAD", cache: "no-store", signal: controller.signal }).then(
      () => this.probed(abort, "probe-ok"),
      () => this.probed(abort, "probe-failed"),
    );
  }

  /**
   * @param {ReturnType<typeof setTimeout>} abort
   * @param {OnlineInput} outcome
   */
  probed(abort, outcome) {
    clearTimeout(abort);
    if (this.disposed) return;
    this.inFlight = undefined;
    this.handle(outcome);
    this.resolveWaiters();
  }

  resolveWaiters() {
    for (const resolve of this.waiters.splice(0)) resolve(this.state.online);
  }

  /**
   * Calls `callback(state)` on every change (or, with `reconnect`, once per
   * offline -> online transition); returns the unsubscribe function.
   * @param {StateCallback} callback
   * @param {boolean} reconnect
   */
  subscribe(callback, reconnect) {
    const list = reconnect ? this.reconnects : this.subscribers;
    const entry = { callback };
    if (!this.disposed) list.add(entry);
    return () => {
      list.delete(entry);
    };
  }

  /**
   * Probes now (or re-reads navigator.onLine without a probe URL); resolves with the resulting `online`.
   * @returns {Promise<boolean>}
   */
  checkNow() {
    return new Promise((resolve) => {
      if (this.disposed) return resolve(this.state.online);
      if (this.probeUrl === undefined) {
        this.handle(globalThis.navigator?.onLine === false ? "offline" : "online");
        return resolve(this.state.online);
      }
      this.waiters.push(resolve);
      this.handle("check");
    });
  }

  /** Removes every listener, timer, probe and channel; nothing fires after it. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.unlisten();
    clearTimeout(this.timer);
    this.inFlight?.abort();
    this.channel?.close();
    this.subscribers.clear();
    this.reconnects.clear();
    this.resolveWaiters();
  }
}
