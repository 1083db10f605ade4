// Registers the worker through the package's page helper.
import init, { registerServiceWorker } from "offline-runtime";
await init();
window.updates = [];
window.registration = await registerServiceWorker("/sw.js", {
  onUpdateReady: (update) => window.updates.push(update),
  onControllerChange: () => (window.controllerChanged = (window.controllerChanged || 0) + 1),
});
window.appReady = true;
