// Seeded sample data for the demo API: 300 records per resource, realistic
// fields, deterministic (the same on every start).
const FIRST = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Tim", "Radia", "Guido", "Hedy", "Edsger", "Shafi"];
const LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Berners-Lee", "Perlman", "van Rossum", "Lamarr", "Dijkstra", "Goldwasser"];
const COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Soylent", "Cyberdyne", "Wonka", "Oscorp", "Aperture", "Massive", "Pied Piper"];
const SUFFIX = ["Corp", "Labs", "Group", "Industries", "Systems", "Partners", "Holdings", "Works"];
const INDUSTRY = ["Software", "Manufacturing", "Retail", "Healthcare", "Logistics", "Energy", "Finance", "Media"];
const CITY = ["Berlin", "Lisbon", "Nairobi", "Toronto", "Osaka", "Austin", "Lyon", "Melbourne", "Bogotá", "Pune"];
const TITLE = ["CEO", "CTO", "Head of Sales", "Buyer", "Engineer", "Office Manager", "Procurement Lead", "Founder"];
const STAGE = ["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"];

export const PER_RESOURCE = 300;
export const RESOURCES = ["contacts", "organizations", "opportunities"];

function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export function seed() {
  const pick = (r, list) => list[Math.floor(r() * list.length)];
  const r = random(7);
  const base = Date.parse("2026-11-01T09:00:00Z");
  const updatedAt = () => new Date(base + Math.floor(r() * 20 * 86_400_000)).toISOString();
  const organizations = [];
  for (let id = 1; id <= PER_RESOURCE; id++) {
    const name = `${pick(r, COMPANY)} ${pick(r, SUFFIX)} ${id}`;
    organizations.push({
      id, name, industry: pick(r, INDUSTRY), city: pick(r, CITY),
      website: `https://${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`,
      employees: 5 + Math.floor(r() * 5000), updatedAt: updatedAt(),
    });
  }
  const contacts = [];
  for (let id = 1; id <= PER_RESOURCE; id++) {
    const first = pick(r, FIRST), last = pick(r, LAST);
    contacts.push({
      id, name: `${first} ${last}`, title: pick(r, TITLE),
      email: `${first}.${last}${id}@example.com`.toLowerCase().replace(/\s+/g, ""),
      phone: `+1 555 ${String(1000 + id).padStart(4, "0")}`,
      organizationId: 1 + Math.floor(r() * PER_RESOURCE), city: pick(r, CITY), updatedAt: updatedAt(),
    });
  }
  const opportunities = [];
  for (let id = 1; id <= PER_RESOURCE; id++) {
    const organizationId = 1 + Math.floor(r() * PER_RESOURCE);
    opportunities.push({
      id, name: `${organizations[organizationId - 1].name.split(" ")[0]} deal ${id}`, organizationId,
      amount: 1000 * (1 + Math.floor(r() * 250)), stage: pick(r, STAGE),
      closeDate: new Date(base + Math.floor(r() * 120 * 86_400_000)).toISOString().slice(0, 10), updatedAt: updatedAt(),
    });
  }
  return { contacts, organizations, opportunities };
}
