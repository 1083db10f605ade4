// Type-checked with `tsc --noEmit --strict` against the installed tarball:
// the package's types describe every option object (no `any`), so misuse
// below must be a compile error (each @ts-expect-error must hold).
import init, {
  classifyError,
  classifyResponse,
  errorCatalog,
  errorInfo,
  formatError,
  showError,
  toProblem,
  type ClassifiedError,
  type ErrorInfo,
  type OfflineRuntimeError,
  type ProblemDetails,
  type ShowErrorOptions,
  debounce,
  debounceInput,
  OnlineStatus,
  type OnlineState,
  RecordStore,
  type StoredRecord,
} from "offline-runtime";

export async function records(): Promise<number> {
  const store: RecordStore = await RecordStore.open({ dbName: "crm", maxPerResource: 100, partition: "u1" });
  await store.put("contacts", { id: 1, name: "Ada" });
  await store.putMany("contacts", [{ id: 2 }, { id: "x-3" }]);
  const hit: StoredRecord | undefined = await store.get("contacts", 1);
  const lastSynced: number | undefined = hit?.cachedAt;
  const recent: StoredRecord[] = await store.recent("contacts", 20);
  // @ts-expect-error: maxPerResource is a number
  await RecordStore.open({ maxPerResource: "100" });
  // @ts-expect-error: ids are strings or numbers
  await store.get("contacts", { id: 1 });
  const removed: boolean = await store.delete("contacts", 1);
  const purged: number = await store.purgeStale();
  void [lastSynced, recent, removed, purged];
  store.close();
  return store.count("contacts");
}

export function helpers(input: HTMLInputElement): void {
  const search = debounce((query: string, page: number) => `${query}:${page}`, 300, { maxWait: 1000 });
  const immediate: string | undefined = search("acme", 2);
  const flushed: string | undefined = search.flush();
  const waiting: boolean = search.pending();
  search.cancel();
  // @ts-expect-error: arguments are checked against the wrapped function
  search(42);
  // @ts-expect-error: unknown option
  debounce(() => {}, 300, { trailng: true });
  const wired = debounceInput(input, (query: string) => fetch(`/api?q=${query}`), {
    wait: 300,
    onPending: (pending: boolean) => void pending,
  });
  wired.dispose();
  const net = new OnlineStatus({ probeUrl: "/api/health", probeIntervalMs: 5000 });
  const unsubscribe: () => void = net.subscribe((state: OnlineState) => void state.lastOnlineAt);
  net.onReconnect(() => {});
  const online: boolean = net.online;
  const checked: Promise<boolean> = net.checkNow();
  // @ts-expect-error: probeIntervalMs is a number
  new OnlineStatus({ probeIntervalMs: "5s" });
  unsubscribe();
  net.dispose();
  void [immediate, flushed, waiting, online, checked];
}

export async function usage(container: Element): Promise<string> {
  await init();
  const info: ErrorInfo | undefined = errorInfo("E2001");
  if (info === undefined) throw new Error("E2001 missing");
  const category: "auth" | "validation" | "storage" | "network" | "business" = info.category;
  const all: ErrorInfo[] = errorCatalog();
  const classified: ClassifiedError = classifyError(new Response(null, { status: 429 }));
  const wait: number | undefined = classified.retryAfterSeconds;
  const fromBody: ClassifiedError = await classifyResponse(new Response("{}"));
  const options: ShowErrorOptions = { kind: "toast", onRetry: () => {}, autoDismissMs: 3000 };
  const display = showError(container, info, options);
  const root: Element = display.element;
  display.dismiss();
  const problem: ProblemDetails = toProblem("E4007", { instance: "/api/contacts" });
  try {
    formatError("E9999");
  } catch (error) {
    const code: string = (error as OfflineRuntimeError).code;
    void code;
  }
  // @ts-expect-error: "popup" is not a kind
  showError(container, info, { kind: "popup" });
  // @ts-expect-error: onRetry must be a function
  showError(container, info, { onRetry: "retry()" });
  // @ts-expect-error: options are typed, not any
  formatError(info, { actoin: "save" });
  // @ts-expect-error: errorInfo may return undefined
  const certain: ErrorInfo = errorInfo("E1001");
  void [category, all, wait, fromBody, root, problem, certain];
  return formatError(info, { action: "save", subject: "organization" });
}

// Parameters that used to be `any`.
export async function typedParameters(container: Element): Promise<void> {
  const store = await RecordStore.open();
  // @ts-expect-error: a resource is a string
  await store.count(42);
  // @ts-expect-error: showError's container is an Element
  showError("#app", "E2001");
  void container;
}

// Generic record methods: a typed data provider returns hit.record as is.
interface Contact {
  id: number;
  name: string;
}
export async function typedRecords(): Promise<Contact | undefined> {
  const store = await RecordStore.open({ idType: "auto" });
  await store.put<Contact>("contacts", { id: 6, name: "Ada" });
  // @ts-expect-error: the record must be a Contact
  await store.put<Contact>("contacts", { id: "6" });
  // @ts-expect-error: not an idType
  await RecordStore.open({ idType: "numeric" });
  const recent: StoredRecord<Contact>[] = await store.recent<Contact>("contacts");
  const hit = await store.get<Contact>("contacts", "6");
  void recent;
  return hit?.record;
}

import { ErrorReporter, type ErrorReport } from "offline-runtime/reporting";

export async function reporting(status: OnlineStatus): Promise<string | undefined> {
  const reporter = ErrorReporter.start({ endpoint: "/api/errors", release: "1", onlineStatus: status, maxQueue: 50 });
  const seen: ErrorReport[] = [];
  ErrorReporter.start({ endpoint: "/e", onReport: (report) => seen.push(report) }).dispose();
  // @ts-expect-error the endpoint is required
  ErrorReporter.start({ release: "1" });
  // @ts-expect-error sampleRate is a number
  ErrorReporter.start({ endpoint: "/e", sampleRate: "all" });
  showError(document.body, "E4007", { kind: "toast", report: false });
  await reporter.flush();
  const waiting: number = await reporter.pending();
  return waiting > 0 ? reporter.report(new Error("x"), { form: "contact" }) : undefined;
}
