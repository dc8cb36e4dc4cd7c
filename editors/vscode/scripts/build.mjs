// Build the extension: type-check, bundle the client and the server with esbuild, and copy the silt
// Wasm package (packages/silt/node: the glue and silt_bg.wasm) next to the bundled server (dist/silt/).
//   SILT_WASM_DIR   use another wasm-pack `--target nodejs` output folder
//   SILT_SKIP_TSC=1 skip the type check
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(here, "../..");
const dist = join(here, "dist");
const wasmDir = process.env.SILT_WASM_DIR ? resolve(process.env.SILT_WASM_DIR) : join(repo, "packages/silt/node");
const glue = join(wasmDir, "silt.js");
const wasm = join(wasmDir, "silt_bg.wasm");

if (!existsSync(glue) || !existsSync(wasm)) {
  const script = join(repo, "scripts/build-wasm.sh");
  // Only when the folder is absent altogether: a partial one is a build in progress.
  if (!process.env.SILT_WASM_DIR && !existsSync(wasmDir) && existsSync(script)) {
    console.log(`silt: ${wasmDir} is not built yet; running scripts/build-wasm.sh (a few minutes)`);
    execFileSync("bash", [script], { stdio: "inherit", cwd: repo });
  }
  if (!existsSync(glue) || !existsSync(wasm)) {
    console.error(`error: the silt Wasm package is missing (${glue}, ${wasm}); run \`npm run build:wasm\` at the repository root`);
    process.exit(2);
  }
}

if (process.env.SILT_SKIP_TSC !== "1") {
  const t = Date.now();
  execFileSync(process.execPath, [join(resolveBin("typescript"), "bin/tsc"), "-p", here, "--noEmit"], { stdio: "inherit", cwd: here });
  console.log(`type check: ${Date.now() - t} ms`);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "silt"), { recursive: true });

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  sourcemap: "linked",
  sourcesContent: false,
  keepNames: true,
  logLevel: "warning",
};
await build({ ...common, entryPoints: [join(here, "src/extension.ts")], outfile: join(dist, "extension.js"), external: ["vscode"] });
// packages/silt/lib/pool.js defaults its worker script and module paths from `import.meta.url`; the
// server names both (src/silt.ts), so the bundle never needs it.
await build({ ...common, entryPoints: [join(here, "src/server.ts")], outfile: join(dist, "server.js"), logOverride: { "empty-import-meta": "silent" } });
// The worker threads of the server's first lint (packages/silt/lib/pool.js): a script of their own.
await build({ ...common, entryPoints: [join(repo, "packages/silt/lib/pool-worker.js")], outfile: join(dist, "pool-worker.js") });

// The Wasm package is loaded at run time from dist/silt/ (see src/silt.ts), not bundled.
copyFileSync(glue, join(dist, "silt", "silt.js"));
copyFileSync(wasm, join(dist, "silt", "silt_bg.wasm"));
writeFileSync(join(dist, "silt", "package.json"), '{ "type": "commonjs" }\n');
console.log(`built ${dist} (server, client, silt Wasm from ${wasmDir})`);

function resolveBin(pkg) {
  // The package folder, whether node_modules is here (standalone) or hoisted (npm workspaces).
  for (let d = here; ; d = dirname(d)) {
    const p = join(d, "node_modules", pkg);
    if (existsSync(join(p, "package.json"))) return p;
    if (dirname(d) === d) throw new Error(`cannot find ${pkg}; run npm install`);
  }
}
