// @ts-check
// showError's DOM shell: builds the banner, toast or dialog (text only,
// never HTML), stacks toasts in one region per container, and holds its
// listeners and timer until it is dismissed; the display keeps itself alive
// through them, so a dropped handle does not end it. Shell: the headline,
// the texts, whether Retry shows, how long before it dismisses itself and
// which button takes focus come from Rust (`dom.rs`). Styling lives in
// offline-runtime.css (classes `ort-error*`).

/**
 * What to show, as Rust decided it.
 * @typedef {object} DisplayView
 * @property {"banner" | "toast" | "dialog"} kind
 * @property {string} code
 * @property {string} headline
 * @property {string} message
 * @property {string | undefined} detail
 * @property {boolean} retry Whether a Retry button shows.
 * @property {number} dismissMs Milliseconds before it dismisses itself; 0 = never.
 * @property {string} focus The selector of the button that takes focus; "" for none.
 */

/** kind -> [tag, class, role] */
const SHAPES = {
  banner: ["div", "ort-error--banner", "alert"],
  toast: ["div", "ort-error--toast", "status"],
  dialog: ["dialog", "ort-error--dialog", "alertdialog"],
};

let lastId = 0;

/**
 * Calls the app's callback; its failure is reported as uncaught, without
 * stopping the display's own work.
 * @param {(() => void) | undefined} callback
 */
function callBack(callback) {
  try {
    callback?.();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * @param {Document} document
 * @param {Element} parent
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
function child(document, parent, tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  parent.append(element);
  return element;
}

/** @param {Element} container */
function toastRegion(container) {
  return container.querySelector(":scope > .ort-toasts") ?? child(container.ownerDocument, container, "div", "ort-toasts");
}

/** A shown error; dismissing is idempotent. */
export class DisplayShell {
  /**
   * @param {Element} container
   * @param {DisplayView} view
   * @param {(() => void) | undefined} onRetry
   * @param {(() => void) | undefined} onDismiss
   */
  constructor(container, view, onRetry, onDismiss) {
    const document = container.ownerDocument;
    const [tag, kindClass, role] = SHAPES[view.kind];
    const root = document.createElement(tag);
    root.className = `ort-error ${kindClass}`;
    root.setAttribute("role", role);
    root.setAttribute("data-code", view.code);
    if (view.kind === "toast") root.setAttribute("aria-live", "polite");
    const body = child(document, root, "div", "ort-error__body");
    const title = child(document, body, "p", "ort-error__title", view.headline);
    title.id = `ort-error-title-${++lastId}`;
    root.setAttribute("aria-labelledby", title.id);
    child(document, body, "p", "ort-error__message", view.message);
    if (view.detail !== undefined) child(document, body, "p", "ort-error__detail", view.detail);
    const actions = child(document, root, "div", "ort-error__actions");
    if (view.retry) child(document, actions, "button", "ort-error__retry", "Retry").setAttribute("type", "button");
    const dismiss = child(document, actions, "button", "ort-error__dismiss", "\u00d7");
    for (const [name, value] of [["type", "button"], ["aria-label", "Dismiss"], ["title", "Dismiss"]]) dismiss.setAttribute(name, value);
    (view.kind === "toast" ? toastRegion(container) : container).append(root);

    /** @type {Element} */
    this.element = root;
    this.live = true;
    this.onDismiss = onDismiss;
    /** @param {Event} event */
    this.onClick = (event) => {
      const target = /** @type {Element | null} */ (event.target);
      if (target?.closest?.(".ort-error__retry")) {
        this.dismiss();
        callBack(onRetry);
      } else if (target?.closest?.(".ort-error__dismiss")) {
        this.dismiss();
      }
    };
    // Escape closes a modal dialog natively; follow it so the display is dismissed too.
    this.onClose = () => this.dismiss();
    root.addEventListener("click", this.onClick);
    root.addEventListener("close", this.onClose);
    this.timer = view.dismissMs > 0 ? setTimeout(() => this.dismiss(), Math.min(view.dismissMs, 2 ** 31 - 1)) : undefined;

    if (root instanceof HTMLDialogElement) {
      // A modal needs a connected element; a detached container gets a plain open dialog.
      if (root.isConnected) root.showModal();
      else root.open = true;
    }
    if (view.focus) /** @type {HTMLElement | null} */ (root.querySelector(view.focus))?.focus();
  }

  /** True once dismissed (by the user, a timer, Retry or `dismiss()`). */
  get dismissed() {
    return !this.live;
  }

  /** Removes the display now. */
  dismiss() {
    if (!this.live) return;
    this.live = false;
    const root = this.element;
    root.removeEventListener("click", this.onClick);
    root.removeEventListener("close", this.onClose);
    clearTimeout(this.timer);
    if (root instanceof HTMLDialogElement) root.close();
    root.remove();
    callBack(this.onDismiss);
  }
}
