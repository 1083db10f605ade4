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
    }), // offline
  ],
});
