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
} from "offline-runtime";

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
