// withOfflineRecords around an app's data provider (a stand-in for the app's
// own REST client: it answers, fails like a dropped network, or answers like
// the worker's offline problem), against the real RecordStore.
import { withOfflineRecords } from "offline-runtime/react-admin";

const state = { network: true };
const contacts = { 6: { id: 6, name: "Ada" }, 7: { id: 7, name: "Grace" } };
const app = {
  async getOne(resource, { id }) {
    if (!state.network) throw new TypeError("Failed to fetch");
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
  out.notFound = await provider.delete("contacts", { id: 1 }).then(() => "deleted", (e) => ({ status: e.status, message: e.message }));
  return out;
};
