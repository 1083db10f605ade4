// A real React app rendering the bindings (bundled by the test with esbuild
// from the installed tarball): state goes to window.seen for the test.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { onlineManager } from "@tanstack/query-core";
import { OfflineBanner, useDebouncedCallback, useDebouncedValue, useOnlineStatus, useReady } from "offline-runtime/react";
import { connectOnlineManager } from "offline-runtime/tanstack-query";

window.seen = { renders: 0, firstOnline: null, values: [], callbacks: [] };
const status = { channelName: "bindings-test" };

function App() {
  const ready = useReady();
  const net = useOnlineStatus(status);
  const [text, setText] = useState("");
  const settled = useDebouncedValue(text, 50);
  const search = useDebouncedCallback((query) => window.seen.callbacks.push(query), 50);
  const [identity] = useState(() => ({ search }));
  window.seen.renders += 1;
  if (window.seen.firstOnline === null) window.seen.firstOnline = net.online;
  window.seen.online = net.online;
  window.seen.ready = ready;
  window.seen.stableCallback = identity.search === search;
  useEffect(() => {
    if (settled) window.seen.values.push(settled);
  }, [settled]);
  return (
    <main>
      <p id="state">{net.online ? "online" : "offline"}</p>
      <input id="q" value={text} onChange={(event) => { setText(event.target.value); search(event.target.value); }} />
      <OfflineBanner status={status} />
    </main>
  );
}

window.disconnect = connectOnlineManager(onlineManager);
window.tanstackOnline = () => onlineManager.isOnline();
createRoot(document.getElementById("root")).render(<StrictMode><App /></StrictMode>);
