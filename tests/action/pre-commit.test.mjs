// The pre-commit hooks (.pre-commit-hooks.yaml): both variants run their entry the way pre-commit runs a
// `language: system` hook with `pass_filenames: false` (the entry, split on spaces, in the repository
// being committed) and report the same findings. The Node variant's npm package comes from
// `npm pack packages/silt` instead of the registry; the native one is target/{release,debug}/silt.
//
// Needs the Wasm build (npm run build:wasm); the native variant also needs the native binary built.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const hooks = Object.fromEntries(YAML.parse(fs.readFileSync(path.join(repoDir, ".pre-commit-hooks.yaml"), "utf8")).map((h) => [h.id, h]));
const version = JSON.parse(fs.readFileSync(path.join(repoDir, "packages", "silt", "package.json"), "utf8")).version;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "silt-pre-commit-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const project = path.join(tmp, "project");
fs.cpSync(path.join(repoDir, "examples", "integration-gone-wrong"), project, { recursive: true });

function runEntry(entry, env = {}) {
  const [cmd, ...args] = entry.split(" ");
  const r = spawnSync(cmd, args, { cwd: project, env: { ...process.env, NO_COLOR: "1", ...env }, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("two variants of one hook: the same files, no file names passed", () => {
  assert.deepEqual(Object.keys(hooks).sort(), ["silt", "silt-node"]);
  assert.equal(hooks.silt.files, hooks["silt-node"].files);
  for (const h of Object.values(hooks)) assert.equal(h.pass_filenames, false);
  const files = new RegExp(hooks.silt.files);
  for (const f of ["force-app/main/default/profiles/Admin.profile-meta.xml", "x/Sync.permissionset-meta.xml", "config/project-scratch-def.json", "silt.toml", "sfdx-project.json", "a/b.connectedApp-meta.xml"]) assert.match(f, files);
  for (const f of ["README.md", "force-app/main/default/classes/A.cls"]) assert.doesNotMatch(f, files);
  assert.match(hooks["silt-node"].entry, new RegExp(`--package=silt-lint@${version.replaceAll(".", "\\.")} `), "the Node hook runs this version of the npm package");
});

test("silt-node (npx silt-lint) and silt (native) report the same findings", (t) => {
  const r = spawnSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: path.join(repoDir, "packages", "silt"), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const tarball = path.join(tmp, r.stdout.trim().split("\n").at(-1));
  const entry = hooks["silt-node"].entry.replace(/--package=\S+/, `--package=${tarball}`);
  const node = runEntry(entry, { npm_config_cache: path.join(tmp, "npm-cache") });
  assert.equal(node.code, 1, `the example has errors: ${node.stderr}`);
  assert.match(node.stdout, /^\d+ errors, \d+ warnings/m);
  const native = [path.join(repoDir, "target", "release"), path.join(repoDir, "target", "debug")].find((d) => fs.existsSync(path.join(d, "silt")));
  if (!native) return t.skip("the native silt is not built (cargo build -p silt-cli)");
  const rust = runEntry(hooks.silt.entry, { PATH: `${native}${path.delimiter}${process.env.PATH}` });
  assert.equal(rust.code, node.code);
  assert.equal(rust.stdout, node.stdout);
});
