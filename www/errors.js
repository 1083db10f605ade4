// The demo page: lists the error catalog and shows each display kind.
import init, { classifyError, errorCatalog, formatError, showError } from "offline-runtime";

await init();

const $ = (id) => document.getElementById(id);
const catalog = errorCatalog();

for (const info of catalog) {
  const row = $("catalog").tBodies[0].insertRow();
  for (const value of [info.code, info.category, info.title, info.userMessage,
                       info.httpStatus || "", info.retryable ? "yes" : "no"]) {
    row.insertCell().textContent = String(value);
  }
  $("code").add(new Option(`${info.code} ${info.title}`, info.code));
}
$("code").value = "E2001";

$("try").addEventListener("click", (event) => {
  const kind = event.target.dataset?.kind;
  if (!kind) return;
  const code = $("code").value;
  showError($("messages"), code, {
    kind,
    action: $("action").value,
    subject: $("subject").value,
    onRetry: () => {
      $("retry-log").textContent = `Retry pressed for ${formatError(code, {
        action: $("action").value, subject: $("subject").value })}`;
    },
  });
});

$("classify").addEventListener("submit", (event) => {
  event.preventDefault();
  const status = Number($("status").value);
  const response = new Response(null, { status, headers: { "Retry-After": "30" } });
  $("classified").textContent = JSON.stringify(classifyError(response), null, 2);
});

$("offline-fetch").addEventListener("click", async () => {
  try {
    await fetch("http://127.0.0.1:9/");
  } catch (failure) {
    const info = classifyError(failure);
    $("classified").textContent = JSON.stringify(info, null, 2);
    showError($("messages"), info, { kind: "toast", action: "load", subject: "contacts" });
  }
});
