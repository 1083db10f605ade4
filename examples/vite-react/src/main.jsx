// The example app: a list from the API and a logo from public/. The lines
// marked "offline" are all it adds for offline mode.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import init, * as rt from "offline-runtime"; // offline

function App() {
  const [items, setItems] = useState(null);
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    fetch("/api/items")
      .then(async (response) => (response.ok ? setItems((await response.json()).items) : setProblem(await rt.classifyResponse(response))))
      .catch((error) => setProblem(rt.classifyError(error)));
  }, []);
  return (
    <main>
      <h1 id="title">Organizations</h1>
      <img id="logo" src="logo.svg" alt="" width="32" height="32" />
      {problem && <p id="problem">{rt.formatError(problem)}</p>}
      <ul id="items">{items && items.map((item) => <li key={item.id}>{item.name}</li>)}</ul>
      <p id="catalog">{rt.errorInfo("E4007").title}</p>
    </main>
  );
}

init().then(() => { // offline
  rt.registerServiceWorker("sw.js").catch(() => undefined); // offline
  createRoot(document.getElementById("root")).render(<StrictMode><App /></StrictMode>);
}); // offline
