// A real React app rendering the bindings (bundled by the test with esbuild
// from the installed tarball): state goes to window.seen for the test.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { onlineManager } from "@tanstack/query-core";
import * as rt from "offline-runtime";
import { OfflineBanner, useDebouncedCallback, useDebouncedValue, useOnlineStatus, useReady, useRecentRecords, useRecord, whenReady } from "offline-runtime/react";
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
      <Records />
    </main>
  );
}

// Records the app viewed earlier, read back by the store hooks.
const storeReady = whenReady().then(async () => {
  const store = await rt.RecordStore.open({ dbName: `bindings-${Math.random()}`, idType: "auto" });
  await store.put("contacts", { id: 6, name: "Ada" });
  await store.put("contacts", { id: 7, name: "Grace" });
  return store;
});

function Records() {
  const [store, setStore] = useState(null);
  useEffect(() => void storeReady.then(setStore), []);
  const one = useRecord(store, "contacts", "6");
  const recent = useRecentRecords(store, "contacts", 5);
  window.seen.record = one.record?.name ?? null;
  window.seen.recordCachedAt = one.cachedAt ?? null;
  window.seen.recent = recent.records.map((entry) => entry.record.name);
  return null;
}

Object.assign(window, { tanstack: onlineManager, connectOnlineManager, whenReady });
window.disconnect = connectOnlineManager(onlineManager);
window.tanstackOnline = () => onlineManager.isOnline();
createRoot(document.getElementById("root")).render(<StrictMode><App /></StrictMode>);
