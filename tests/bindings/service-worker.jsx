// useServiceWorker mounted and unmounted many times in StrictMode (bundled by
// the test from the installed tarball): the page's live controllerchange and
// updatefound listeners are counted, and each onControllerChange call.
import { StrictMode, useState } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { useServiceWorker, whenReady } from "offline-runtime/react";

const live = { controllerchange: new Set(), updatefound: new Set() };
for (const target of [ServiceWorkerContainer.prototype, ServiceWorkerRegistration.prototype]) {
  const [add, remove] = [target.addEventListener, target.removeEventListener];
  target.addEventListener = function (type, listener, options) {
    live[type]?.add(listener);
    return add.call(this, type, listener, options);
  };
  target.removeEventListener = function (type, listener, options) {
    live[type]?.delete(listener);
    return remove.call(this, type, listener, options);
  };
}
window.seen = { controllerChanges: 0 };
window.liveListeners = () => ({ controllerchange: live.controllerchange.size, updatefound: live.updatefound.size });

function Worker() {
  const worker = useServiceWorker("sw.js", { onControllerChange: () => (window.seen.controllerChanges += 1) });
  // `ready`, the documented first name of `registered`, keeps working.
  const registered = worker.registered && worker.ready;
  return <p id="worker">{registered ? "registered" : worker.error ? `error: ${worker.error.message}` : "registering"}</p>;
}

let setMounted;
function App() {
  const [mounted, set] = useState(true);
  setMounted = set;
  return mounted ? <Worker /> : null;
}

// Committed before it returns, effects and their cleanups included (a sync
// update's passive effects are flushed with its commit): a test that unmounts
// and then fires an event never races React's scheduler.
window.toggle = (mounted) => flushSync(() => setMounted(mounted));
window.whenReady = whenReady;
createRoot(document.getElementById("root")).render(<StrictMode><App /></StrictMode>);
