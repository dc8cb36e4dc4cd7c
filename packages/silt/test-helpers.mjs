// Shared helpers of the silt-lint tests (outside tests/ so `node --test tests/` does not run it as a test).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const pkgDir = path.dirname(fileURLToPath(import.meta.url));
export const repoDir = path.resolve(pkgDir, "../..");
export const nodeCli = path.join(pkgDir, "bin", "silt.js");

if (!fs.existsSync(path.join(pkgDir, "node", "silt.js")) || !fs.existsSync(path.join(pkgDir, "web", "silt_bg.wasm"))) {
  throw new Error("packages/silt/node is not built: run `npm run build:wasm` first");
}

/** Run the Node CLI: `{code, stdout, stderr}` (stdout as a Buffer for byte comparisons). */
export function runNode(args, opts = {}) {
  const r = spawnSync(process.execPath, [nodeCli, ...args], { cwd: opts.cwd ?? repoDir, env: { ...process.env, NO_COLOR: "1", ...opts.env }, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** A temporary folder with `files` ({relative path: contents}); removed by the returned cleanup. */
export function tempProject(files) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "silt-test-")));
  for (const [rel, contents] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, contents);
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const SFDX_PROJECT = JSON.stringify({ packageDirectories: [{ path: "force-app", default: true }], sourceApiVersion: "62.0" }, null, 2);

export const MALFORMED_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>false</custom>
    <userLicense>Salesforce</userLicense
</Profile>
`;

export const CLEAN_PERMSET = `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Reports Reader</label>
    <hasActivationRequired>false</hasActivationRequired>
</PermissionSet>
`;

/** The native CLI the parity tests compare with: `$SILT_NATIVE`, else `target/release/silt`, built first
 * (call it in a `before` hook). `skipReason` says why there is none (no cargo on this machine). */
export function buildNative() {
  if (process.env.SILT_NATIVE) return { native: process.env.SILT_NATIVE, skipReason: null };
  const r = spawnSync("cargo", ["build", "--release", "-p", "silt-cli"], { cwd: repoDir, encoding: "utf8", timeout: 45 * 60 * 1000 });
  if (r.error && r.error.code === "ENOENT") return { native: null, skipReason: "cargo is not installed: cannot build the native CLI" };
  assert.equal(r.status, 0, `cargo build --release -p silt-cli failed:\n${(r.stderr || "").slice(-4000)}`);
  return { native: path.join(repoDir, "target", "release", "silt"), skipReason: null };
}

/** Every file below `dir` that silt reads (`classify` of the package says which), as `{path, contents}`
 * with `path` relative to `dir`. */
export function metadataFiles(dir, classify) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const rel = path.relative(dir, p).split(path.sep).join("/");
        if (classify(rel) !== null) out.push({ path: rel, contents: fs.readFileSync(p) });
      }
    }
  };
  walk(dir);
  return out;
}
