// Offline mode is the plugin and its routes.
import offlineRuntime from "offline-runtime/vite";

export default {
  plugins: [offlineRuntime({ routes: [{ name: "api", match: { pathPrefix: "/api/" }, strategy: "network-first" }] })],
};
