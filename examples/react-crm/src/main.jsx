// A small CRM: contacts with search, detail pages, a delete button and a
// quick note. Plain React + TanStack Query; the lines marked "offline" are
// everything it adds for offline mode (the tests count them).
import { QueryClient, QueryClientProvider, onlineManager, useQuery } from "@tanstack/react-query";
import { StrictMode, useEffect, useState, useSyncExternalStore } from "react";
import { createRoot } from "react-dom/client";
import * as rt from "offline-runtime"; // offline
import "offline-runtime/offline-runtime.css"; // offline
import { OfflineBanner, connectOnlineManager, useOnlineStatusObject, useServiceWorker, whenReady } from "offline-runtime/react"; // offline
import { useDebouncedValue } from "offline-runtime/react";
import "./app.css";

connectOnlineManager(onlineManager, undefined, { probeUrl: "/api/health" }); // offline
const store = whenReady().then(() => rt.RecordStore.open({ idType: "auto" })); // offline
const remember = async (fresh) => ((await store).put("contacts", fresh.body), fresh); // offline
const recall = (id) => async (error) => { const kept = await (await store).get("contacts", id); if (kept) return { body: kept.record, cachedAt: kept.cachedAt }; throw error; }; // offline
const queryClient = new QueryClient({ defaultOptions: { queries: { networkMode: "offlineFirst", retry: false } } }); // offline

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return { body: await response.json(), cachedAt: rt.cacheInfo(response).cachedAt }; // offline
}

function useRoute() {
  const hash = useSyncExternalStore((notify) => (window.addEventListener("hashchange", notify), () => window.removeEventListener("hashchange", notify)), () => location.hash);
  const [, id] = /^#\/contacts\/(\d+)/.exec(hash) ?? [];
  return id;
}

function Contacts() {
  const [text, setText] = useState("");
  const q = useDebouncedValue(text.trim(), 300);
  const list = useQuery({ queryKey: ["contacts", q], queryFn: () => getJson(`/api/contacts?q=${encodeURIComponent(q)}&pageSize=10`) });
  return (
    <section>
      <input id="search" placeholder="Search contacts" value={text} onChange={(event) => setText(event.target.value)} />
      <ul id="contacts">
        {list.data?.body.items.map((c) => <li key={c.id}><a href={`#/contacts/${c.id}`}>{c.name}</a></li>)}
      </ul>
      {list.error && <p className="problem">{rt.formatError(rt.classifyError(list.error), { action: "load", subject: "contacts" })}</p>}
    </section>
  );
}

function Contact({ id }) {
  const [note, setNote] = useState("");
  const detail = useQuery({ queryKey: ["contact", id], queryFn: () => getJson(`/api/contacts/${id}`).then(remember, recall(id)) }); // offline
  async function addNote() {
    const response = await fetch(`/api/contacts/${id}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ note: "Called" }) });
    setNote(response.ok ? "Saved" : rt.formatError(await rt.classifyResponse(response))); // offline
  }
  if (detail.error) return <p className="problem">{rt.formatError(rt.classifyError(detail.error), { action: "load", subject: "contact" })}</p>;
  if (!detail.data) return <p>Loading…</p>;
  const contact = detail.data.body;
  return (
    <section id="detail">
      <h2>{contact.name}</h2>
      <p>{contact.title} · {contact.email}</p>
      <p className="synced">{rt.formatLastSynced(detail.data.cachedAt ?? Date.now())}</p> {/* offline */}
      <button id="delete" data-offline="disable">Delete</button>
      <button id="note" onClick={addNote}>Add a call note</button>
      {note && <p id="note-result">{note}</p>}
    </section>
  );
}

function App() {
  const id = useRoute();
  const status = useOnlineStatusObject({ probeUrl: "/api/health" }); // offline
  useServiceWorker("sw.js"); // offline
  useEffect(() => { if (status) { const ui = rt.disableWhileOffline(document.body, status); return () => ui.dispose(); } }, [status]); // offline
  useEffect(() => status?.onReconnect(() => store.then((records) => records.purgeStale())), [status]); // offline
  return (
    <main>
      <OfflineBanner status={{ probeUrl: "/api/health" }} /> {/* offline */}
      <h1><a href="#/">Contacts</a></h1>
      {id ? <Contact id={id} /> : <Contacts />}
    </main>
  );
}

whenReady().then(() => // offline
  createRoot(document.getElementById("root")).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  ),
);
