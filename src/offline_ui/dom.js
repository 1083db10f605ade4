// @ts-check
// The offline helpers' DOM shells: the "Offline Mode" banner and controls
// that look and act disabled while offline. Each subscribes to an
// OnlineStatus (or anything with `online` and `subscribe(callback)`) and
// keeps itself alive through that subscription and its listeners until
// `dispose()`, whether or not the app keeps the handle. Text only, never
// HTML; the banner reuses showError's classes so the stylesheet applies.
// Shell: when the banner shows is Rust's (`banner.rs`, through `rules`);
// texts, defaults and checked options come from `dom.rs`.

/**
 * @typedef {object} OnlineSource
 * @property {boolean} online
 * @property {(callback: (state: { online: boolean }) => void) => unknown} subscribe
 */

/**
 * The banner's rule, in Rust: each returns whether the banner shows after it.
 * @typedef {object} BannerRules
 * @property {(online: boolean) => boolean} online The connection state, at start and on each change.
 * @property {() => boolean} dismiss The user dismissed it.
 * @property {() => boolean} navigate The app navigated (hash or history change).
 */

/** On the root while offline (style disabled controls with it). */
const OFFLINE_CLASS = "ort-offline";
/** Marks controls this helper disabled, holding their own title to restore. */
const MARK = "data-ort-offline-disabled";

/**
 * Subscribes `onOnline` to `status`; returns the unsubscribe function (or undefined).
 * @param {OnlineSource} status
 * @param {(online: boolean) => void} onOnline
 * @returns {(() => void) | undefined}
 */
function watch(status, onOnline) {
  const unsubscribe = status.subscribe((state) => {
    if (typeof state?.online === "boolean") onOnline(state.online);
  });
  return typeof unsubscribe === "function" ? /** @type {() => void} */ (unsubscribe) : undefined;
}

/** The "Offline Mode" banner: shown while offline, until dismissed. */
export class BannerShell {
  /**
   * @param {Element} container
   * @param {OnlineSource} status
   * @param {string} title
   * @param {string} message
   * @param {boolean} dismissible
   * @param {BannerRules} rules
   */
  constructor(container, status, title, message, dismissible, rules) {
    const document = container.ownerDocument;
    /** @param {string} tag @param {string} className @param {string} [text] */
    const make = (tag, className, text) => {
      const node = document.createElement(tag);
      node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const root = make("div", "ort-error ort-error--banner ort-offline-banner");
    root.setAttribute("role", "status");
    root.setAttribute("aria-live", "polite");
    const body = make("div", "ort-error__body");
    body.append(make("p", "ort-error__title", title), make("p", "ort-error__message", message));
    root.append(body);
    /** @type {Array<() => void>} */
    this.undo = [];
    /** @param {boolean} visible */
    const show = (visible) => {
      root.hidden = !visible;
    };
    if (dismissible) {
      const actions = make("div", "ort-error__actions");
      const button = make("button", "ort-error__dismiss", "\u00d7");
      button.setAttribute("type", "button");
      button.setAttribute("aria-label", "Dismiss");
      actions.append(button);
      root.append(actions);
      const onDismiss = () => show(rules.dismiss());
      button.addEventListener("click", onDismiss);
    }
    container.append(root);
    /** @type {Element} */
    this.element = root;
    show(rules.online(status.online));
    const unsubscribe = watch(status, (online) => show(rules.online(online)));
    const view = container.ownerDocument.defaultView;
    const onNavigate = () => show(rules.navigate());
    for (const event of ["hashchange", "popstate"]) view?.addEventListener(event, onNavigate);
    this.undo.push(() => {
      unsubscribe?.();
      for (const event of ["hashchange", "popstate"]) view?.removeEventListener(event, onNavigate);
      root.remove();
    });
  }

  /** Stops watching and removes the banner. */
  dispose() {
    for (const undo of this.undo.splice(0)) undo();
  }
}

/**
 * While offline: controls under `root` matching `selector` get
 * `aria-disabled`, the tooltip and swallowed clicks and submits (also
 * controls rendered later), and `root` the `ort-offline` class; all
 * restored on reconnect and on `dispose()`.
 */
export class DisablingShell {
  /**
   * @param {Element} root
   * @param {OnlineSource} status
   * @param {string} selector
   * @param {string} tooltip
   */
  constructor(root, status, selector, tooltip) {
    this.root = root;
    this.selector = selector;
    this.tooltip = tooltip;
    this.offline = false;
    /** While offline: marks controls the app renders later (a React re-render). */
    this.observer = new MutationObserver(() => this.markAll(selector, true));
    /** @param {Event} event */
    const intercept = (event) => this.intercept(event);
    const events = ["click", "submit", "mouseover", "focusin"];
    for (const event of events) root.addEventListener(event, intercept, { capture: true });
    this.setOffline(!status.online);
    const unsubscribe = watch(status, (online) => this.setOffline(!online));
    /** @type {(() => void) | undefined} */
    this.undo = () => {
      unsubscribe?.();
      for (const event of events) root.removeEventListener(event, intercept, { capture: true });
      this.setOffline(false);
    };
  }

  /** The banner's element; none here. */
  get element() {
    return undefined;
  }

  /** @param {boolean} offline */
  setOffline(offline) {
    this.offline = offline;
    if (offline) this.observer.observe(this.root, { childList: true, subtree: true });
    else this.observer.disconnect();
    this.root.classList.toggle(OFFLINE_CLASS, offline);
    if (offline) this.markAll(this.selector, true);
    else this.markAll(`[${MARK}]`, false);
  }

  /**
   * Marks (or restores) every control under the root matching `selector`.
   * @param {string} selector
   * @param {boolean} offline
   */
  markAll(selector, offline) {
    for (const control of this.root.querySelectorAll(selector)) this.mark(control, offline);
  }

  /**
   * @param {Element} control
   * @param {boolean} offline
   */
  mark(control, offline) {
    if (offline) {
      if (control.hasAttribute(MARK)) return;
      control.setAttribute(MARK, control.getAttribute("title") ?? "");
      control.setAttribute("aria-disabled", "true");
      control.setAttribute("title", this.tooltip);
      return;
    }
    const title = control.getAttribute(MARK);
    if (title === null) return;
    control.removeAttribute(MARK);
    control.removeAttribute("aria-disabled");
    if (title) control.setAttribute("title", title);
    else control.removeAttribute("title");
  }

  /**
   * While offline: marks a control the pointer or focus reaches (it may be
   * newer than the last change) and swallows its clicks and submits.
   * @param {Event} event
   */
  intercept(event) {
    if (!this.offline) return;
    const target = /** @type {Element | null} */ (event.target);
    const control = target?.closest?.(this.selector);
    if (!control || !this.root.contains(control)) return;
    this.mark(control, true);
    if (event.type === "click" || event.type === "submit") {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  /** Stops watching and restores the controls. */
  dispose() {
    const { undo } = this;
    this.undo = undefined;
    undo?.();
  }
}
