// Driving the demo CRM in end-to-end tests: navigating inside the app, and
// taking the network away (the browser offline and the server unplugged).

/** Navigates inside the app and waits for the view to finish rendering. */
export async function visit(page, hash) {
  await page.evaluate((h) => {
    window.crm.rendered = 0;
    location.hash = h;
  }, hash);
  await page.waitForFunction(() => window.crm.rendered >= 1, null, { timeout: 15000 });
}

/** Online or offline for the browser `context` and the demo server. */
export async function setNetwork(demo, context, online) {
  demo.state.unplugged = !online;
  await context.setOffline(!online);
}
