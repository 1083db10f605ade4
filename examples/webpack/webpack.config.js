// The example's bundle: one entry; webpack 5 emits the package's .wasm as an
// asset (the glue asks for it with new URL(..., import.meta.url)).
import { fileURLToPath } from "node:url";

export default {
  entry: "./src/index.js",
  output: { path: fileURLToPath(new URL("dist", import.meta.url)), filename: "app.js", clean: true },
  experiments: { topLevelAwait: true },
};
