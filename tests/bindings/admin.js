// withOfflineRecords around an app's data provider (a stand-in for the app's
// own REST client: it answers, fails like a dropped network, or answers like
// the worker's offline problem), against the real RecordStore.
import init, { OnlineStatus } from "offline-runtime";
import { withOfflineRecords } from "offline-runtime/react-admin";

// `answer`: a status the API answers reads with instead of data.
const state = { network: true, answer: 0 };
function answered() {
  if (!state.answer) return;
  const error = new Error("refused");
  error.status = state.answer;
  error.body = null;
  throw error;
}
const contacts = { 6: { id: 6, name: "Ada" }, 7: { id: 7, name: "Grace" } };
const app = {
  async getOne(resource, { id }) {
    if (!state.network) throw new TypeError("Failed to fetch");
    answered();
    return { data: contacts[id] };
  },
  async getMany(resource, { ids }) {
    if (!state.network) throw new TypeError("Failed to fetch");
    return { data: ids.map((id) => contacts[id]) };
  },
  async getList() {
    if (!state.network) throw new TypeError("Failed to fetch");
    return { data: Object.values(contacts), total: 300 };
  },
  async update(resource, { id }) {
    // What react-admin's fetchUtils throws for the worker's offline answer.
    const error = new Error("Service Unavailable");
    error.status = 503;
    error.body = { type: "about:blank", title: "Changes can't be saved offline", status: 503, code: "E4007", detail: "You're offline" };
    if (!state.network) throw error;
    return { data: { id } };
  },
  async delete() {
    const error = new Error("Not Found");
    error.status = 404;
    error.body = null;
    throw error;
  },
};

// Without WebAssembly (a policy that forbids it) the package cannot load:
// the app's provider still answers every call, as without the wrapper.
window.runWithoutWasm = async () => {
  const provider = withOfflineRecords(app, { storeOptions: { dbName: `admin-${Math.random()}` } });
  const one = (await provider.getOne("contacts", { id: 6 })).data;
  const updated = (await provider.update("contacts", { id: 6, data: {} })).data;
  return { one, updated };
};

window.run = async () => {
  const provider = withOfflineRecords(app, { storeOptions: { dbName: `admin-${Math.random()}` } });
  const out = {};
  out.online = (await provider.getOne("contacts", { id: 6 })).data;
  await provider.getMany("contacts", { ids: [7] });
  state.network = false;
  // react-admin route ids are strings; the API's are numbers.
  const one = await provider.getOne("contacts", { id: "6" });
  out.offlineOne = one.data;
  const list = await provider.getList("contacts", { pagination: { page: 1, perPage: 25 } });
  out.offlineList = { ids: list.data.map((r) => r.id), total: list.total, meta: list.meta };
  out.missing = await provider.getOne("contacts", { id: 99 }).then(() => "answered", (e) => ({ name: e.name, status: e.status, message: e.message }));
  out.write = await provider.update("contacts", { id: 6, data: {} }).then(() => "saved", (e) => ({ name: e.name, status: e.status, message: e.message, code: e.body && e.body.code }));
  state.network = true;
  // The server saying no is an answer, not a network failure; a 5xx is the network's.
  state.answer = 403;
  out.forbidden = await provider.getOne("contacts", { id: 6 }).then(() => "answered from the store", (e) => e.status);
  state.answer = 502;
  out.badGateway = await provider.getOne("contacts", { id: 6 }).then((r) => r.data.name, (e) => e.status);
  state.answer = 0;
  out.notFound = await provider.delete("contacts", { id: 1 }).then(() => "deleted", (e) => ({ status: e.status, message: e.message }));
  // A symbol-keyed function (an inspector's, a Promise check) is no provider method: passed through as it is.
  const inspect = Symbol.for("inspect");
  app[inspect] = () => "inspected";
  out.symbolPassedThrough = provider[inspect] === app[inspect];
  return out;
};

// A provider that runs in the browser (a FakeRest-like in-memory store): it
// never touches the network, so only the wrapper can refuse its writes.
const deals = [
  { id: 1, name: "Alpha rollout", companyId: 1, amount: 500, stage: "won", tags: ["q1"] },
  { id: 2, name: "Beta renewal", companyId: 2, amount: 1200, stage: "open", tags: ["q2"] },
  { id: 3, name: "Gamma pilot", companyId: 1, amount: 90, stage: "open", tags: ["q1", "q2"] },
  { id: 4, name: "Delta expansion", companyId: 3, amount: 3000, stage: "lost", tags: [] },
  { id: 5, name: "alpha Two", companyId: 2, amount: 700, stage: "won", tags: ["q2"] },
];
const memory = {
  writes: 0,
  received: [],
  async getOne(resource, { id }) {
    if (!state.network) throw new TypeError("Failed to fetch");
    answered();
    return { data: deals.find((deal) => deal.id === Number(id)) };
  },
  async update(resource, { id, data }) {
    memory.writes += 1;
    return { data: { ...deals.find((deal) => deal.id === id), ...data } };
  },
  async getList() {
    throw new TypeError("Failed to fetch");
  },
  async getManyReference() {
    throw new TypeError("Failed to fetch");
  },
  async archive(...args) {
    memory.received.push(args.length);
    return { data: args };
  },
  async stats(...args) {
    memory.received.push(args.length);
    return { data: { count: deals.length } };
  },
};

window.runQueries = async () => {
  await init();
  const status = new OnlineStatus({ channelName: `admin-${Math.random()}` });
  const provider = withOfflineRecords(memory, { status, storeOptions: { dbName: `admin-q-${Math.random()}` }, reads: ["stats"] });
  state.network = true;
  for (const deal of deals) await provider.getOne("deals", { id: deal.id });
  const out = {};
  // Every argument reaches the provider, custom methods included.
  out.custom = (await provider.archive("deals", { id: 1 }, { extra: true })).data.length;
  state.network = false;
  const list = async (params) => {
    const answer = await provider.getList("deals", { pagination: { page: 1, perPage: 25 }, ...params });
    return { ids: answer.data.map((deal) => deal.id), total: answer.total, meta: answer.meta };
  };
  out.reference = await provider
    .getManyReference("deals", { target: "companyId", id: "1", pagination: { page: 1, perPage: 25 }, sort: { field: "id", order: "ASC" }, filter: {} })
    .then((answer) => ({ ids: answer.data.map((deal) => deal.id), total: answer.total }));
  out.equality = await list({ filter: { stage: "open" }, sort: { field: "id", order: "ASC" } });
  out.anyOf = await list({ filter: { stage: ["won", "lost"] }, sort: { field: "amount", order: "DESC" } });
  out.q = await list({ filter: { q: "ALPHA" }, sort: { field: "id", order: "ASC" } });
  out.range = await list({ filter: { amount_gte: 500, amount_lt: 3000 }, sort: { field: "amount", order: "ASC" } });
  out.arrayField = await list({ filter: { tags: "q1" }, sort: { field: "id", order: "ASC" } });
  out.page2 = await list({ sort: { field: "id", order: "ASC" }, pagination: { page: 2, perPage: 2 } });
  out.unevaluated = await list({ filter: { stage: "won", owner: { name: "x" } }, sort: { field: "id", order: "ASC" } });
  // Offline by the confirmed status: writes never reach the in-browser provider.
  window.dispatchEvent(new Event("offline"));
  const started = Date.now();
  while (status.online && Date.now() - started < 30000) await new Promise((resolve) => setTimeout(resolve, 10));
  out.blocked = await provider.update("deals", { id: 1, data: { stage: "lost" } }).then(
    () => "saved",
    (e) => ({ name: e.name, status: e.status, message: e.message }),
  );
  out.blockedCustom = await provider.archive("deals", { id: 1 }).then(() => "archived", (e) => e.message);
  out.readOffline = await provider.stats("deals").then((answer) => answer.data.count, (e) => e.message);
  out.writes = memory.writes;
  out.received = memory.received;
  window.dispatchEvent(new Event("online"));
  status.dispose();
  return out;
};
