// The pre-commit hooks (.pre-commit-hooks.yaml) run by pre-commit itself (installed from PyPI into
// target/): both variants report the same findings on the example project. The Node variant's npm
// package comes from `npm pack packages/silt` instead of the registry; the native one is
// target/{release,debug}/silt.
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

test("two variants of one hook: the same files, no file names passed", () => {
  assert.deepEqual(Object.keys(hooks).sort(), ["silt", "silt-node"]);
  assert.equal(hooks.silt.files, hooks["silt-node"].files);
  for (const h of Object.values(hooks)) assert.equal(h.pass_filenames, false);
  const files = new RegExp(hooks.silt.files);
  for (const f of ["force-app/main/default/profiles/Admin.profile-meta.xml", "x/Sync.permissionset-meta.xml", "config/project-scratch-def.json", "silt.toml", "sfdx-project.json", "a/b.connectedApp-meta.xml"]) assert.match(f, files);
  for (const f of ["README.md", "force-app/main/default/classes/A.cls"]) assert.doesNotMatch(f, files);
  assert.match(hooks["silt-node"].entry, new RegExp(`--package=silt-lint@${version.replaceAll(".", "\\.")} `), "the Node hook runs this version of the npm package");
});

/** pre-commit itself (PyPI, pinned) in a virtual environment under target/, made once. */
function preCommit() {
  const venv = path.join(repoDir, "target", "pre-commit-4.7.0");
  const bin = path.join(venv, "bin", "pre-commit");
  if (!fs.existsSync(bin)) {
    for (const [cmd, args] of [["python3", ["-m", "venv", venv]], [path.join(venv, "bin", "pip"), ["install", "-q", "--disable-pip-version-check", "pre-commit==4.7.0"]]]) {
      const r = spawnSync(cmd, args, { encoding: "utf8" });
      assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
    }
  }
  return bin;
}

/** `pre-commit try-repo <this repository> <hook> --all-files` in a git repository holding the example
 * project (and, for silt-node, silt-lint from `npm pack` in its node_modules: npx then needs no
 * registry, as in a project that has silt-lint as a dependency). */
function tryRepo(hook, env = {}) {
  const project = fs.mkdtempSync(path.join(tmp, `${hook}-`));
  fs.cpSync(path.join(repoDir, "examples", "integration-gone-wrong"), project, { recursive: true });
  fs.writeFileSync(path.join(project, ".gitignore"), "node_modules/\n");
  if (hook === "silt-node") {
    const r = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball()], { cwd: project, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  const git = (...args) => assert.equal(spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: project }).status, 0, `git ${args[0]}`);
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "example");
  const r = spawnSync(preCommit(), ["try-repo", repoDir, hook, "--all-files"], {
    cwd: project,
    env: { ...process.env, PRE_COMMIT_HOME: path.join(tmp, "pre-commit-home"), NO_COLOR: "1", ...env },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

let packed = null;
function tarball() {
  if (packed) return packed;
  const r = spawnSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: path.join(repoDir, "packages", "silt"), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  packed = path.join(tmp, r.stdout.trim().split("\n").at(-1));
  return packed;
}

const SUMMARY = /^\d+ errors, \d+ warnings, \d+ notes in \d+ files.*$/m;

test("pre-commit validate-manifest accepts .pre-commit-hooks.yaml", () => {
  const r = spawnSync(preCommit(), ["validate-manifest", ".pre-commit-hooks.yaml"], { cwd: repoDir, encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("pre-commit runs silt-node (npx silt-lint) and silt (native) with the same findings", (t) => {
  const node = tryRepo("silt-node", { npm_config_offline: "true" });
  assert.equal(node.code, 1, `the example has errors: ${node.out}`);
  assert.match(node.out, /^silt \(Salesforce Integration license linter, Node\)\.+Failed$/m);
  const summary = SUMMARY.exec(node.out);
  assert.ok(summary, node.out);
  const native = [path.join(repoDir, "target", "release"), path.join(repoDir, "target", "debug")].find((d) => fs.existsSync(path.join(d, "silt")));
  if (!native) return t.skip("the native silt is not built (cargo build -p silt-cli)");
  const rust = tryRepo("silt", { PATH: `${native}${path.delimiter}${process.env.PATH}` });
  assert.equal(rust.code, 1, rust.out);
  assert.match(rust.out, /^silt \(Salesforce Integration license linter, native\)\.+Failed$/m);
  assert.equal(SUMMARY.exec(rust.out)?.[0], summary[0]);
});
