// The example's build config. Offline mode is the plugin and its routes.
import react from "@vitejs/plugin-react";
import offlineRuntime from "offline-runtime/vite"; // offline
import { defineConfig } from "vite";

export default defineConfig({
  base: process.env.EXAMPLE_BASE ?? "/",
  plugins: [
    react(),
    offlineRuntime({ // offline
      routes: [{ name: "api", match: { pathPrefix: "/api/" }, strategy: "network-first", networkTimeoutSeconds: 3 }], // offline
      devOptions: { enabled: process.env.EXAMPLE_DEV_WORKER === "1" }, // the tests turn the dev worker on
    }), // offline
  ],
});
