import { defineConfig, type Plugin } from "vite";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
/**
 * The browser entry of the silt-lint package (packages/silt/web.js over the wasm-pack `--target web`
 * build, `npm run build:wasm` at the repo root). Aliased rather than installed, so web/ also builds on
 * its own, without the workspace install.
 */
export const wasmEntry = path.join(repo, "packages/silt/web.js");

/**
 * The page's Content-Security-Policy, added to the built index.html only: the dev server injects
 * inline styles and its HMR client, which a strict policy would block.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function csp(): Plugin {
  return {
    name: "silt-csp",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html) {
        return html.replace(
          /<meta charset="UTF-8" \/>/,
          `$&\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
        );
      },
    },
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder of any static server.
  base: "./",
  resolve: {
    alias: {
      "silt-lint/web": wasmEntry,
    },
  },
  plugins: [csp()],
  worker: { format: "es" },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // The wasm binary stays a separate file (never inlined as a data: URL).
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // The example project and the wasm package live outside web/.
    fs: { allow: [repo] },
  },
});
