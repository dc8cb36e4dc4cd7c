// Release readiness: the crates that would be published pass `cargo publish --dry-run` (packaged and
// built from the package alone), every npm package passes `npm pack --dry-run`, and each carries its
// license files, its README and complete metadata; the Wasm package carries both .wasm modules.
//
// Needs the Wasm build (npm run build:wasm) for the npm package silt-lint.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const LICENSES = ["LICENSE-MIT", "LICENSE-APACHE"];
const LICENSE = "MIT OR Apache-2.0";

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: repoDir, encoding: "utf8", maxBuffer: 1 << 26, ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${(r.stderr || "").slice(-4000)}`);
  return r.stdout;
}

/** The workspace's crates: name → {publish, dir} from `cargo metadata`. */
function crates() {
  const meta = JSON.parse(run("cargo", ["metadata", "--no-deps", "--format-version", "1"]));
  return meta.packages.map((p) => ({ ...p, dir: path.dirname(p.manifest_path), publishable: p.publish === null || p.publish.length > 0 }));
}

/** The npm workspaces' packages (root package.json). */
function npmPackages() {
  const root = JSON.parse(fs.readFileSync(path.join(repoDir, "package.json"), "utf8"));
  return root.workspaces.map((w) => ({ dir: path.join(repoDir, w), json: JSON.parse(fs.readFileSync(path.join(repoDir, w, "package.json"), "utf8")) }));
}

test("license files: MIT and Apache-2.0 at the root and, identical, in every crate and published npm package", () => {
  assert.match(fs.readFileSync(path.join(repoDir, "LICENSE-APACHE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  assert.match(fs.readFileSync(path.join(repoDir, "LICENSE-MIT"), "utf8"), /^MIT License/);
  assert.match(fs.readFileSync(path.join(repoDir, "Cargo.toml"), "utf8"), new RegExp(`license = "${LICENSE}"`));
  const dirs = [...crates().map((c) => c.dir), ...npmPackages().filter((p) => !p.json.private).map((p) => p.dir)];
  for (const dir of dirs) {
    for (const f of LICENSES) {
      const p = path.join(dir, f);
      assert.ok(fs.existsSync(p), `${path.relative(repoDir, p)} is missing`);
      assert.equal(fs.readFileSync(p, "utf8"), fs.readFileSync(path.join(repoDir, f), "utf8"), `${path.relative(repoDir, p)} differs from the root's`);
    }
  }
  assert.match(fs.readFileSync(path.join(repoDir, "CHANGELOG.md"), "utf8"), /^## \[\d+\.\d+\.\d+\]/m);
});

test("cargo publish --dry-run: the publishable crates, with license, README and metadata", () => {
  const publishable = crates().filter((c) => c.publishable);
  assert.deepEqual(publishable.map((c) => c.name).sort(), ["silt-cli", "silt-core", "silt-workspace"]);
  for (const c of publishable) {
    for (const key of ["description", "license", "repository", "homepage", "readme"]) assert.ok(c[key], `${c.name}: ${key} is missing`);
    assert.equal(c.license, LICENSE);
    assert.ok(c.keywords.length > 0 && c.categories.length > 0, `${c.name}: keywords and categories`);
    const files = run("cargo", ["package", "--list", "--allow-dirty", "-p", c.name]).split("\n");
    for (const f of [...LICENSES, "README.md"]) assert.ok(files.includes(f), `${c.name}: the package lacks ${f}`);
    if (c.name === "silt-core") {
      // build.rs embeds rules/: the package must carry every file it embeds.
      for (const dir of ["builtin", "data"]) {
        for (const f of fs.readdirSync(path.join(repoDir, "rules", dir)).filter((f) => f.endsWith(".toml"))) {
          assert.ok(files.includes(`rules/${dir}/${f}`), `silt-core: the package lacks rules/${dir}/${f}`);
        }
      }
    }
  }
  // Packages every publishable crate and builds each from its package alone (silt-cli against the
  // packaged silt-workspace and silt-core), in a target folder of its own: the packaged silt-cli would otherwise replace
  // target/debug/silt with a build that has no git commit in its --version.
  // cargo verifies each crate against the others' packages through a local registry in the target
  // folder, and unpacks those into CARGO_HOME/registry/src/<a hash of that folder's path>/ once: a
  // checkout at the same path (CI's) would build against the packages of an older commit. Only
  // silt's own crates are there (they are not on crates.io), and only they are removed. Cargo also
  // takes a registry crate's build for unchanged whatever its source: the target folder starts empty.
  const cargoHome = process.env.CARGO_HOME || path.join(os.homedir(), ".cargo");
  const unpacked = path.join(cargoHome, "registry", "src");
  const ours = new Set(publishable.map((c) => `${c.name}-${c.version}`));
  for (const reg of fs.existsSync(unpacked) ? fs.readdirSync(unpacked) : []) {
    for (const dir of fs.readdirSync(path.join(unpacked, reg))) {
      if (ours.has(dir)) fs.rmSync(path.join(unpacked, reg, dir), { recursive: true, force: true });
    }
  }
  fs.rmSync(path.join(repoDir, "target", "publish-dry-run"), { recursive: true, force: true });
  // It asks the registry about each crate: a network error is tried once more.
  const publish = () =>
    spawnSync("cargo", ["publish", "--dry-run", "--workspace", "--allow-dirty"], {
      cwd: repoDir,
      encoding: "utf8",
      // Without debug info: a third of the disk space and faster (CI's disk is shared).
      env: { ...process.env, CARGO_TARGET_DIR: path.join(repoDir, "target", "publish-dry-run"), CARGO_PROFILE_DEV_DEBUG: "0" },
    });
  let out = publish();
  if (out.status !== 0 && /network|timed? ?out|failed to (download|query|get|fetch|update)|spurious|resolve host|connection/i.test(out.stderr)) {
    console.log(`cargo publish --dry-run failed, tried again:\n${out.stderr.slice(-2000)}`);
    out = publish();
  }
  assert.equal(out.status, 0, out.stderr.slice(-4000));
  for (const c of publishable) assert.match(out.stderr, new RegExp(`Verifying ${c.name} v`));
  // Built outside silt's checkout (from the package), `silt --version` is the version alone.
  const version = crates().find((c) => c.name === "silt-cli").version;
  assert.equal(run(path.join(repoDir, "target", "publish-dry-run", "debug", "silt"), ["--version"]), `silt ${version}\n`);
  // Nothing in it is used again (it starts empty), and CI's disk is shared.
  fs.rmSync(path.join(repoDir, "target", "publish-dry-run"), { recursive: true, force: true });
});

test("npm pack --dry-run: every npm package carries its license, README and (Wasm) .wasm modules", () => {
  const published = npmPackages().filter((p) => !p.json.private);
  assert.deepEqual(published.map((p) => p.json.name).sort(), ["silt-lint", "silt-sf-plugin"]);
  for (const { dir, json } of published) {
    for (const key of ["description", "license", "repository", "homepage", "bugs", "keywords", "engines"]) assert.ok(json[key], `${json.name}: ${key} is missing`);
    assert.equal(json.license, LICENSE);
    assert.equal(json.repository.directory, path.relative(repoDir, dir));
    const [pack] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--loglevel=error"], { cwd: dir }));
    const files = pack.files.map((f) => f.path);
    for (const f of [...LICENSES, "README.md", "package.json"]) assert.ok(files.includes(f), `${json.name}: the package lacks ${f}`);
    assert.ok(!files.some((f) => f.startsWith("test/") || f.startsWith("tests/")), `${json.name}: tests are not shipped`);
    if (json.name === "silt-lint") {
      for (const f of ["node/silt_bg.wasm", "web/silt_bg.wasm", "node/silt.js", "node/package.json", "web/silt.js", "bin/silt.js", "lib/cli.js"]) assert.ok(files.includes(f), `silt-lint lacks ${f}`);
    }
    if (json.name === "silt-sf-plugin") {
      for (const f of ["lib/run.js", "lib/commands/silt/lint.js", "lib/commands/silt/rules.js", "lib/commands/silt/explain.js"]) assert.ok(files.includes(f), `silt-sf-plugin lacks ${f}`);
      // It runs silt through the Wasm package: the same version, as a dependency.
      const silt = published.find((p) => p.json.name === "silt-lint").json;
      assert.equal(json.dependencies["silt-lint"], silt.version);
      assert.equal(json.version, silt.version);
    }
  }
});
