// Shared helpers of the silt-lint tests (outside tests/ so `node --test tests/` does not run it as a test).
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
