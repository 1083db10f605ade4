// The example app: a list from the API. The lines marked "offline" are all
// it adds for offline mode (no top-level await: Vite 5's default targets reject it).
import init, * as rt from "offline-runtime"; // offline

async function render() {
  document.getElementById("catalog").textContent = rt.errorInfo("E4007").title;
  try {
    const { items } = await (await fetch("/api/items")).json();
    document.getElementById("items").replaceChildren(...items.map((item) => Object.assign(document.createElement("li"), { textContent: item.name })));
  } catch (error) {
    document.getElementById("items").textContent = rt.formatError(rt.classifyError(error));
  }
}

init().then(() => { // offline
  rt.registerServiceWorker("sw.js").catch(() => undefined); // offline
  render();
}); // offline
