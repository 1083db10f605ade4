// Offline CRM: a small app built on offline-runtime. Lists and details of
// contacts, organizations and opportunities; every viewed record goes to the
// record store; offline, lists and records come from the service worker's
// cache or the store, writes are blocked with a coded message, and a banner
// says so until the connection is back. Every error shown is reported to the
// server (queued while offline); the Error log page lists what arrived.
import init, * as rt from "offline-runtime";
import { ErrorReporter } from "offline-runtime/reporting";

await init();

const RESOURCES = {
  contacts: { title: "Contacts", singular: "contact", columns: ["name", "title", "email", "city"] },
  organizations: { title: "Organizations", singular: "organization", columns: ["name", "industry", "city", "employees"] },
  opportunities: { title: "Opportunities", singular: "opportunity", columns: ["name", "stage", "amount", "closeDate"] },
};
const $ = (selector, root = document) => root.querySelector(selector);
const view = $("#view");

// ---- capabilities -----------------------------------------------------------
const net = new rt.OnlineStatus({ probeUrl: "/api/health", probeIntervalMs: 3000, maxBackoffMs: 30000 });
const store = await rt.RecordStore.open({ dbName: "offline-crm", maxPerResource: 100 }).catch((error) => {
  // E3001 (private mode, disabled): the app keeps working online.
  rt.showError($("#banners"), rt.classifyError(error), { kind: "banner" });
  return null;
});
// Shown errors (captureShown) and uncaught ones go to POST /api/errors, even from offline sessions.
const reporter = ErrorReporter.start({
  endpoint: "/api/errors", release: "demo-1", user: { id: "demo-user" }, captureUnhandled: true, onlineStatus: net,
});
window.crm = { store, net, reporter }; // for the end-to-end tests and curious developers

rt.registerServiceWorker("/sw.js", {
  onUpdateReady: (update) => showUpdateReady(update),
  onControllerChange: () => location.reload(),
}).catch((error) => console.warn("offline-runtime demo: no service worker:", error.message));

// ---- online status, banner, reconnect ---------------------------------------
let bannerDismissed = false;
function renderStatus() {
  const status = $("#status");
  status.textContent = net.online ? "Online" : "Offline";
  status.classList.toggle("offline", !net.online);
  document.body.classList.toggle("is-offline", !net.online);
  for (const button of document.querySelectorAll("[data-write]")) setWriteAllowed(button, net.online);
  const banner = $("#offline-banner");
  if (net.online || bannerDismissed) {
    banner?.remove();
    return;
  }
  if (banner) return;
  const element = document.createElement("div");
  element.id = "offline-banner";
  element.className = "ort-error ort-error--banner offline-banner";
  element.setAttribute("role", "status");
  const body = element.appendChild(document.createElement("div"));
  body.className = "ort-error__body";
  const title = body.appendChild(document.createElement("p"));
  title.className = "ort-error__title";
  title.textContent = "Offline Mode";
  const message = body.appendChild(document.createElement("p"));
  message.className = "ort-error__message";
  const last = net.lastOnlineAt ? ` Last online ${new Date(net.lastOnlineAt).toLocaleTimeString()}.` : "";
  message.textContent = `You're viewing saved data; changes are disabled until you reconnect.${last}`;
  const dismiss = element.appendChild(document.createElement("button"));
  dismiss.className = "ort-error__dismiss";
  dismiss.type = "button";
  dismiss.textContent = "×";
  dismiss.setAttribute("aria-label", "Dismiss");
  dismiss.addEventListener("click", () => {
    bannerDismissed = true; // comes back on the next page while still offline
    element.remove();
  });
  $("#banners").prepend(element);
}

function setWriteAllowed(button, allowed) {
  button.setAttribute("aria-disabled", String(!allowed));
  button.title = allowed ? "" : "Offline";
}

net.subscribe(() => renderStatus());
net.onReconnect(async () => {
  bannerDismissed = false;
  const toast = rt.showError($("#toasts"), "E4001", { kind: "toast", autoDismissMs: 0, report: false });
  toast.element.querySelector(".ort-error__title").textContent = "Syncing…";
  toast.element.querySelector(".ort-error__message").textContent = "Back online: refreshing data.";
  toast.element.classList.add("syncing");
  try {
    if (store) await store.purgeStale(); // older than 24 h
    await render();
  } finally {
    toast.dismiss();
  }
});

function showUpdateReady(update) {
  const toast = rt.showError($("#toasts"), "E5000", {
    kind: "toast", autoDismissMs: 0, report: false, onRetry: () => update.skipWaiting(),
  });
  toast.element.classList.add("update-ready");
  toast.element.querySelector(".ort-error__title").textContent = "Update ready";
  toast.element.querySelector(".ort-error__message").textContent = "A new version of the app is available.";
  toast.element.querySelector(".ort-error__retry").textContent = "Reload";
}

// ---- data -------------------------------------------------------------------
/** GET JSON; returns {data, cachedAt} (cachedAt set when the worker answered from its cache). */
async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw await rt.classifyResponse(response);
  const cachedAt = response.headers.get("X-Offline-Runtime") === "cache"
    ? Number(response.headers.get("X-Offline-Runtime-Cached-At")) : undefined;
  return { data: await response.json(), cachedAt };
}

async function send(method, path, body) {
  const response = await fetch(path, {
    method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body),
  });
  if (!response.ok) throw await rt.classifyResponse(response);
  return response.status === 204 ? null : response.json();
}

function synced(cachedAt) {
  const span = document.createElement("span");
  span.className = "synced";
  span.textContent = `Last synced ${new Date(cachedAt).toLocaleString()}`;
  return span;
}

function showFailure(failure, { action, subject, retry }) {
  const info = rt.classifyError(failure);
  rt.showError($("#banners"), info, { kind: "banner", action, subject, onRetry: retry });
}

// ---- views --------------------------------------------------------------------
const listState = {};

async function renderList(resource) {
  const meta = RESOURCES[resource];
  const state = (listState[resource] ||= { q: "", page: 1 });
  view.replaceChildren();
  const heading = view.appendChild(document.createElement("h1"));
  heading.textContent = meta.title;
  const toolbar = view.appendChild(document.createElement("div"));
  toolbar.className = "toolbar";
  const search = toolbar.appendChild(document.createElement("input"));
  search.type = "search";
  search.placeholder = `Search ${meta.title.toLowerCase()}`;
  search.setAttribute("aria-label", `Search ${meta.title.toLowerCase()}`);
  search.value = state.q;
  const spinner = toolbar.appendChild(document.createElement("span"));
  spinner.className = "spinner";
  spinner.hidden = true;
  spinner.setAttribute("aria-label", "Searching");
  const create = toolbar.appendChild(document.createElement("button"));
  create.textContent = `New ${meta.singular}`;
  create.dataset.write = "create";
  create.addEventListener("click", () => guardedWrite(() => renderForm(resource)));
  const note = toolbar.appendChild(document.createElement("span"));
  const results = view.appendChild(document.createElement("div"));

  const load = async () => {
    const query = new URLSearchParams({ q: state.q, page: String(state.page), pageSize: "20" });
    try {
      const { data, cachedAt } = await getJson(`/api/${resource}?${query}`);
      note.replaceChildren(...(cachedAt ? [synced(cachedAt)] : []));
      results.replaceChildren(table(resource, data.items, meta.columns), pager(data, (page) => { state.page = page; load(); }));
    } catch (failure) {
      // Not cached and unreachable: show what this device has seen instead.
      const recent = store && !net.online ? await store.recent(resource, 50) : [];
      if (recent.length) {
        note.replaceChildren(document.createTextNode("Recently viewed (offline)"));
        results.replaceChildren(table(resource, recent.map((entry) => entry.record), meta.columns));
      } else {
        results.replaceChildren();
        showFailure(failure, { action: "load", subject: meta.title.toLowerCase(), retry: load });
      }
    }
  };
  window.crm.search = rt.debounceInput(search, (q) => {
    state.q = q;
    state.page = 1;
    return load();
  }, { wait: 300, onPending: (pending) => { spinner.hidden = !pending; } });
  renderStatus();
  await load();
}

function table(resource, items, columns) {
  const element = document.createElement("table");
  const head = element.createTHead().insertRow();
  for (const column of columns) head.appendChild(document.createElement("th")).textContent = column;
  const body = element.createTBody();
  for (const item of items) {
    const row = body.insertRow();
    columns.forEach((column, i) => {
      const cell = row.insertCell();
      if (i === 0) {
        const link = cell.appendChild(document.createElement("a"));
        link.href = `#/${resource}/${item.id}`;
        link.textContent = String(item[column] ?? "");
      } else {
        cell.textContent = String(item[column] ?? "");
      }
    });
  }
  return element;
}

function pager(data, go) {
  const element = document.createElement("div");
  element.className = "pager";
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const previous = element.appendChild(document.createElement("button"));
  previous.className = "secondary";
  previous.textContent = "Previous";
  previous.disabled = data.page <= 1;
  previous.addEventListener("click", () => go(data.page - 1));
  element.appendChild(document.createElement("span")).textContent = `Page ${data.page} of ${pages} (${data.total})`;
  const next = element.appendChild(document.createElement("button"));
  next.className = "secondary";
  next.textContent = "Next";
  next.disabled = data.page >= pages;
  next.addEventListener("click", () => go(data.page + 1));
  return element;
}

async function renderDetail(resource, id) {
  const meta = RESOURCES[resource];
  view.replaceChildren();
  let record, cachedAt;
  try {
    ({ data: record, cachedAt } = await getJson(`/api/${resource}/${id}`));
    if (store) await store.put(resource, record); // a view: kept for offline use
  } catch (failure) {
    const saved = store && (await store.get(resource, Number(id)).catch(() => undefined));
    if (!saved) {
      showFailure(failure, { action: "load", subject: meta.singular, retry: () => renderDetail(resource, id) });
      return;
    }
    ({ record, cachedAt } = saved);
  }
  const heading = view.appendChild(document.createElement("h1"));
  heading.textContent = record.name;
  if (cachedAt) view.appendChild(synced(cachedAt));
  const list = view.appendChild(document.createElement("dl"));
  for (const [key, value] of Object.entries(record)) {
    list.appendChild(document.createElement("dt")).textContent = key;
    list.appendChild(document.createElement("dd")).textContent = String(value);
  }
  const toolbar = view.appendChild(document.createElement("div"));
  toolbar.className = "toolbar";
  const edit = toolbar.appendChild(document.createElement("button"));
  edit.textContent = "Edit";
  edit.dataset.write = "edit";
  edit.addEventListener("click", () => guardedWrite(() => renderForm(resource, record)));
  const remove = toolbar.appendChild(document.createElement("button"));
  remove.className = "secondary";
  remove.textContent = "Delete";
  remove.dataset.write = "delete";
  remove.addEventListener("click", () => guardedWrite(async () => {
    try {
      await send("DELETE", `/api/${resource}/${record.id}`);
      if (store) await store.delete(resource, record.id);
      location.hash = `#/${resource}`;
    } catch (failure) {
      showFailure(failure, { action: "delete", subject: meta.singular });
    }
  }));
  renderStatus();
}

function renderForm(resource, record) {
  const meta = RESOURCES[resource];
  view.replaceChildren();
  const heading = view.appendChild(document.createElement("h1"));
  heading.textContent = record ? `Edit ${record.name}` : `New ${meta.singular}`;
  const form = view.appendChild(document.createElement("form"));
  form.className = "edit";
  for (const column of meta.columns) {
    const label = form.appendChild(document.createElement("label"));
    label.textContent = column;
    const input = label.appendChild(document.createElement("input"));
    input.name = column;
    input.value = record?.[column] ?? "";
  }
  const save = form.appendChild(document.createElement("button"));
  save.textContent = "Save";
  save.dataset.write = "save";
  const submit = async () => {
    const body = Object.fromEntries(new FormData(form));
    try {
      const saved = record
        ? await send("PUT", `/api/${resource}/${record.id}`, body)
        : await send("POST", `/api/${resource}`, body);
      location.hash = `#/${resource}/${saved.id}`;
    } catch (failure) {
      showFailure(failure, { action: "save", subject: meta.singular, retry: submit });
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    guardedWrite(submit);
  });
  renderStatus();
}

/** Runs a write unless offline, where it shows the coded message instead. */
function guardedWrite(action) {
  if (!net.online) {
    rt.showError($("#toasts"), "E4007", { kind: "toast" });
    return;
  }
  action();
}

// The reports the server received (POST /api/errors), by code, newest first.
async function renderErrorLog() {
  view.replaceChildren();
  view.appendChild(document.createElement("h1")).textContent = "Error log";
  let items;
  try {
    ({ data: { items } } = await getJson("/api/errors?limit=200"));
  } catch (failure) {
    showFailure(failure, { action: "load", subject: "error log", retry: renderErrorLog });
    return;
  }
  const byCode = new Map();
  for (const report of items) {
    const group = byCode.get(report.code) || { reports: 0, occurrences: 0, last: report };
    group.reports += 1;
    group.occurrences += report.count;
    byCode.set(report.code, group);
  }
  const summary = view.appendChild(document.createElement("table"));
  summary.className = "error-log";
  const head = summary.createTHead().insertRow();
  for (const column of ["code", "title", "reports", "occurrences", "last seen", "last message"]) {
    head.appendChild(document.createElement("th")).textContent = column;
  }
  const body = summary.createTBody();
  for (const [code, group] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
    const row = body.insertRow();
    row.dataset.code = code;
    for (const value of [code, rt.errorInfo(code)?.title ?? "", group.reports, group.occurrences,
      new Date(group.last.timestamp).toLocaleString(), group.last.message]) {
      row.insertCell().textContent = String(value);
    }
  }
  if (!items.length) view.appendChild(document.createElement("p")).textContent = "No errors reported yet.";
}

// ---- routing ------------------------------------------------------------------
async function render() {
  if (location.hash === "#/errors") {
    for (const link of document.querySelectorAll("nav a")) link.toggleAttribute("aria-current", link.getAttribute("href") === "#/errors");
    window.crm.search?.dispose();
    window.crm.search = undefined;
    await renderErrorLog();
    renderStatus();
    window.crm.rendered = (window.crm.rendered || 0) + 1;
    return;
  }
  const [, resource = "contacts", id] = location.hash.match(/^#\/(\w+)(?:\/(\d+))?/) || [];
  const known = RESOURCES[resource] ? resource : "contacts";
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === `#/${known}`);
    if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
  }
  $("#banners").querySelectorAll(".ort-error:not(.offline-banner)").forEach((e) => e.remove());
  bannerDismissed = false;
  window.crm.search?.dispose();
  window.crm.search = undefined;
  if (id) await renderDetail(known, id);
  else await renderList(known);
  renderStatus();
  window.crm.rendered = (window.crm.rendered || 0) + 1;
}

window.addEventListener("hashchange", render);
await render();
window.crm.ready = true;
