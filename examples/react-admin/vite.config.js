// The react-admin example's build. Offline mode: the plugin, with the API network-first.
import react from "@vitejs/plugin-react";
import offlineRuntime from "offline-runtime/vite"; // offline
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [
    react(),
    offlineRuntime({ routes: [{ name: "api", match: { pathPrefix: "/api/" }, strategy: "network-first", networkTimeoutSeconds: 3 }], bypass: ["/api/health"] }), // offline
  ],
});
