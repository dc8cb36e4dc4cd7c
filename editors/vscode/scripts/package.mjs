// Package the built extension (npm run build first) into silt-<version>.vsix with @vscode/vsce.
// --no-dependencies: everything the extension needs is bundled into dist/ by esbuild; nothing is
// fetched from the network.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { name, version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
for (const f of ["dist/extension.js", "dist/server.js", "dist/pool-worker.js", "dist/silt/silt.js", "dist/silt/silt_bg.wasm"]) {
  if (!existsSync(join(here, f))) {
    console.error(`error: ${f} is missing; run npm run build first`);
    process.exit(2);
  }
}
const out = join(here, `${name}-${version}.vsix`);
rmSync(out, { force: true });
const vsce = join(findPackage("@vscode/vsce"), "vsce");
execFileSync(process.execPath, [vsce, "package", "--no-dependencies", "--no-update-package-json", "--out", out], {
  cwd: here,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, VSCE_TELEMETRY: "off" },
});
console.log(`packaged ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);

function findPackage(pkg) {
  for (let d = here; ; d = dirname(d)) {
    const p = join(d, "node_modules", pkg);
    if (existsSync(join(p, "package.json"))) return p;
    if (dirname(d) === d) throw new Error(`cannot find ${pkg}; run npm install`);
  }
}
