// The react-admin example's server: the built app (dist/) and a
// json-server-like API under /api/ (what ra-data-json-server speaks):
//   GET    /api/{companies|contacts}?_start=&_end=&_sort=&_order=&q=&field=value
//          (a repeated field is "any of"; X-Total-Count carries the total)
//   GET    /api/{resource}/{id}   PUT /api/{resource}/{id}   POST /api/{resource}
//   DELETE /api/{resource}/{id}   GET|HEAD /api/health (the online probe)
// `state.unplugged` drops every connection (the tests' way to cut the
// network); `state.requests` lists what reached it ("dropped ..." while unplugged). `node server.mjs` serves
// on 127.0.0.1:8080 (or --port N).
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { staticHandler } from "../../scripts/static.mjs";

const SECTORS = ["Aerospace", "Biotech", "Energy", "Finance", "Retail"];
const PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Margaret Hamilton"];

/** Ten companies, forty contacts (four per company). */
export function seed() {
  const companies = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `Company ${i + 1}`, sector: SECTORS[i % SECTORS.length] }));
  const contacts = Array.from({ length: 40 }, (_, i) => {
    const [first, last] = PEOPLE[i % PEOPLE.length].split(" ");
    return { id: i + 1, first_name: first, last_name: `${last} ${Math.floor(i / PEOPLE.length) + 1}`, email: `${first.toLowerCase()}${i + 1}@example.com`, companyId: (i % 10) + 1 };
  });
  return { companies, contacts };
}

function list(records, query) {
  let rows = records;
  for (const key of new Set(query.keys())) {
    if (key.startsWith("_")) continue;
    const wanted = query.getAll(key);
    const text = wanted[0].toLowerCase();
    if (key === "q") rows = rows.filter((row) => Object.values(row).some((field) => String(field).toLowerCase().includes(text)));
    else rows = rows.filter((row) => wanted.includes(String(row[key])));
  }
  const sort = query.get("_sort");
  if (sort) {
    const direction = query.get("_order") === "DESC" ? -1 : 1;
    rows = [...rows].sort((a, b) => direction * (a[sort] < b[sort] ? -1 : a[sort] > b[sort] ? 1 : 0));
  }
  const start = Number(query.get("_start") ?? 0);
  const end = Number(query.get("_end") ?? rows.length);
  return { page: rows.slice(start, end), total: rows.length };
}

export function createApiServer({ site } = {}) {
  const data = seed();
  const state = { unplugged: false, requests: [] };
  const files = site ? staticHandler({ "/": site }) : () => false;
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache", ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const readBody = (req) =>
    new Promise((resolve) => {
      let text = "";
      req.on("data", (chunk) => (text += chunk));
      req.on("end", () => resolve(text ? JSON.parse(text) : {}));
    });

  async function api(req, res, url) {
    const [, , resource, id] = url.pathname.split("/");
    if (resource === "health") return send(res, 204);
    const records = data[resource];
    if (!records) return send(res, 404, { message: `No resource ${resource}` });
    if (id === undefined) {
      if (req.method === "GET") {
        const { page, total } = list(records, url.searchParams);
        return send(res, 200, page, { "X-Total-Count": String(total), "Access-Control-Expose-Headers": "X-Total-Count" });
      }
      if (req.method === "POST") {
        const record = { ...(await readBody(req)), id: Math.max(0, ...records.map((r) => r.id)) + 1 };
        records.push(record);
        return send(res, 201, record);
      }
    } else {
      const index = records.findIndex((record) => String(record.id) === id);
      if (index < 0) return send(res, 404, { message: `No ${resource} ${id}` });
      if (req.method === "GET") return send(res, 200, records[index]);
      if (req.method === "PUT") {
        records[index] = { ...records[index], ...(await readBody(req)), id: records[index].id };
        return send(res, 200, records[index]);
      }
      if (req.method === "DELETE") return send(res, 200, records.splice(index, 1)[0]);
    }
    return send(res, 405, { message: `${req.method} is not allowed here` });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    state.requests.push(`${state.unplugged ? "dropped " : ""}${req.method} ${url.pathname}${url.search}`);
    if (state.unplugged) return req.socket.destroy();
    if (url.pathname.startsWith("/api/")) return api(req, res, url);
    if (!files(req, res)) res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
  });
  return { server, state, data };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portFlag = process.argv.indexOf("--port");
  const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : 8080);
  const { server } = createApiServer({ site: join(import.meta.dirname, "dist") });
  server.listen(port, "127.0.0.1", () => console.log(`react-admin example: http://127.0.0.1:${server.address().port}/`));
}
