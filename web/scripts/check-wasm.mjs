// Fail early, with the fix, when the silt Wasm package the site is built on has not been built yet.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, "../../packages/silt");
const missing = ["web.js", "web.d.ts", "web/silt.js", "web/silt_bg.wasm"]
  .map((f) => path.join(pkg, f))
  .filter((f) => !existsSync(f));
if (missing.length) {
  console.error(
    `error: the silt Wasm web build is missing (${missing.join(", ")}).\n` +
      "Build it first: `npm run build:wasm` at the repository root (scripts/build-wasm.sh).",
  );
  process.exit(1);
}
