// The example app: a list from the API. The lines marked "offline" are all
// it adds for offline mode.
import init, * as rt from "offline-runtime"; // offline

await init(); // offline
rt.registerServiceWorker("sw.js").catch(() => undefined); // offline
document.getElementById("catalog").textContent = rt.errorInfo("E4007").title;
try {
  const response = await fetch("/api/items");
  const { items } = await response.json();
  document.getElementById("items").replaceChildren(...items.map((item) => Object.assign(document.createElement("li"), { textContent: item.name })));
} catch (error) {
  document.getElementById("items").textContent = rt.formatError(rt.classifyError(error));
}
