// Driving the demo CRM in end-to-end tests: navigating inside the app, and
// taking the network away (the browser offline and the server unplugged).
import { waitFor } from "./wait.mjs";

/** Navigates inside the app and waits for the view to finish rendering. */
export async function visit(page, hash) {
  await page.evaluate((h) => {
    window.crm.rendered = 0;
    location.hash = h;
  }, hash);
  await page.waitForFunction(() => window.crm.rendered >= 1, null, { timeout: 60000 });
}

let marks = 0;

/**
 * Online or offline for the browser `context` and the demo server. Back
 * online, the browser's network comes first and the server after it, once a
 * request through the service worker reaches the (unplugged) server:
 * Playwright's offline switch reaches the worker later than the page, and a
 * request sent in between would fail in the worker alone.
 */
export async function setNetwork(demo, context, online) {
  if (!online) {
    demo.state.unplugged = true;
    await context.setOffline(true);
    return;
  }
  await context.setOffline(false);
  const [page] = context.pages();
  const probe = `/api/organizations?through-the-worker=${++marks}`;
  await waitFor(async () => {
    await page.evaluate((url) => fetch(url).catch(() => undefined), probe);
    return demo.state.requests.includes(`dropped GET ${probe}`);
  }, "the worker's requests to reach the network again");
  demo.state.unplugged = false;
}
