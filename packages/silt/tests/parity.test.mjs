// Parity: the Node CLI (Wasm) prints the same bytes and exits with the same code as the native CLI, on
// the bundled examples, on the shared corpora (every folder and every file) and on a project built to
// exercise discovery (ignore files, hidden folders, package directories, globs, symlinks).
//
// The native binary: $SILT_NATIVE, else `cargo build --release -p silt-cli` → target/release/silt.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { repoDir, runNode, tempProject, SFDX_PROJECT, MALFORMED_PROFILE, CLEAN_PERMSET, buildNative } from "../test-helpers.mjs";
import { SELECTED, writeProject } from "../../../tests/parity/project.mjs";
import { cliSpec } from "../index.js";

let native = null;
let skipReason = null;
before(() => ({ native, skipReason } = buildNative()));

function runNative(args, cwd) {
  const r = spawnSync(native, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** First differing line of two outputs, for a readable failure. */
function firstDifference(a, b) {
  const x = a.toString().split("\n");
  const y = b.toString().split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  native: ${JSON.stringify(x[i])}\n  node:   ${JSON.stringify(y[i])}`;
  }
  return "(same lines; different bytes)";
}

function assertSame(args, cwd = repoDir) {
  const n = runNative(args, cwd);
  const j = runNode(args, { cwd });
  const what = `silt ${args.join(" ")} (in ${cwd})`;
  assert.ok(n.code !== null, `${what}: the native CLI did not exit normally: ${n.stderr}`);
  if (!n.stdout.equals(j.stdout)) assert.fail(`${what}: stdout differs at ${firstDifference(n.stdout, j.stdout)}\nnode stderr: ${j.stderr}`);
  assert.equal(j.code, n.code, `${what}: exit code (native stderr: ${n.stderr}; node stderr: ${j.stderr})`);
  return n;
}

/** Every format the CLI has, from its own description: a format added later is covered. */
const SPEC = cliSpec();
const FORMATS = SPEC.formats.map((f) => (f === "human" ? ["--format", "human", "--color", "never"] : ["--format", f]));

describe("parity with the native CLI", () => {
  const examples = path.join(repoDir, "examples");
  test("examples/", (t) => {
    if (skipReason) return t.skip(skipReason);
    if (!fs.existsSync(examples)) return t.skip("examples/ does not exist yet");
    const dirs = fs.readdirSync(examples).filter((d) => fs.statSync(path.join(examples, d)).isDirectory());
    for (const rel of ["examples", ...dirs.map((d) => `examples/${d}`)]) {
      for (const f of FORMATS) assertSame(["lint", ...f, rel]);
      assertSame(["lint", "--format", "json", "--fail-on", "note", rel]);
    }
    for (const d of dirs) {
      // From inside the project, no path: the whole project.
      assertSame(["lint", "--format", "json"], path.join(examples, d));
      assertSame(["lint", "--format", "json", "force-app"], path.join(examples, d));
    }
  });

  test("tests/fixtures/non-english: French, German and Japanese text next to references", (t) => {
    if (skipReason) return t.skip(skipReason);
    const rel = "tests/fixtures/non-english";
    for (const f of FORMATS) {
      const n = assertSame(["lint", ...f, rel]);
      assert.equal(n.code, 1, n.stderr);
    }
  });

  const corpora = path.resolve(repoDir, "..", "shared", "corpora");
  test("shared corpora: every folder and every file", (t) => {
    if (skipReason) return t.skip(skipReason);
    if (!fs.existsSync(corpora)) return t.skip(`${corpora} does not exist`);
    assertSame(["lint", "--format", "json", corpora]);
    const files = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          assertSame(["lint", "--format", "json", p]);
          walk(p);
        } else if (e.isFile()) files.push(p);
      }
    };
    walk(corpora);
    assert.ok(files.length > 0);
    for (const f of files) assertSame(["lint", "--format", "json", f]);
    // Several files at once, and the human format.
    assertSame(["lint", "--format", "json", ...files.slice(0, 10)]);
    assertSame(["lint", "--format", "human", "--color", "never", corpora]);
  });

  test("a project built to exercise discovery", (t) => {
    if (skipReason) return t.skip(skipReason);
    const pkgs = { packageDirectories: [{ path: "force-app", default: true }, { path: "pkg2" }, { path: "missing-dir" }, { path: "../outside" }] };
    const p = tempProject({
      "sfdx-project.json": "\uFEFF" + JSON.stringify(pkgs, null, 2),
      "config/project-scratch-def.json": JSON.stringify({ orgName: "Acme", edition: "Enterprise" }),
      "config/int-user-def.json": JSON.stringify({ Username: "int@acme.example", profileName: "Minimum Access - API Only Integrations", permissionSets: ["Reader"] }),
      "config/.hidden-user-def.json": "{}",
      "force-app/main/default/profiles/Broken.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/main/default/profiles/Ignored.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/main/default/profiles/Back.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/main/default/permissionsets/Reader.permissionset-meta.xml": CLEAN_PERMSET,
      "force-app/main/default/permissionsets/Split/objectSettings/Account.objectSettings-meta.xml": "<PermissionSetObjectSettings/>",
      "force-app/main/default/classes/A.cls-meta.xml": "<ApexClass/>",
      "force-app/main/default/.hidden/H.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/node_modules/x/N.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/main/default/gitignored/G.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/main/default/Excluded.profile-meta.xml": MALFORMED_PROFILE,
      "force-app/main/default/Dir.profile-meta.xml/Inner.profile-meta.xml": MALFORMED_PROFILE,
      "pkg2/permissionsets/Other.permissionset-meta.xml": CLEAN_PERMSET,
      "unpackaged/profiles/NotInPackage.profile-meta.xml": MALFORMED_PROFILE,
      "data/users.csv": "Username,IsActive,Profile.Name\nint@acme.example,true,Minimum Access - API Only Integrations\n",
      "data/extra.txt": "Username\nx@y.z\n",
      "scripts/package.json": "{}",
      "silt.toml": '[files]\nexclude = ["**/Excluded.profile-meta.xml"]\nuser_data = ["data/*.txt"]\n',
      ".forceignore": "**/Ignored.profile-meta.xml\n**/Back.profile-meta.xml\n",
      "force-app/main/.forceignore": "!**/Back.profile-meta.xml\n",
      "force-app/.gitignore": "gitignored/\n",
      "Café/Ünïcode.profile-meta.xml": MALFORMED_PROFILE,
    });
    t.after(p.cleanup);
    try {
      fs.symlinkSync("..", path.join(p.dir, "force-app/main/default/loop"));
      fs.symlinkSync("nowhere", path.join(p.dir, "force-app/main/default/broken.profile-meta.xml"));
      fs.symlinkSync(path.join(p.dir, "pkg2"), path.join(p.dir, "force-app/main/default/linked"));
    } catch {
      // no symlinks here: the rest still runs
    }
    for (const f of FORMATS) assertSame(["lint", ...f, p.dir]);
    assertSame(["lint", "--format", "json"], p.dir);
    assertSame(["lint", "--format", "json"], path.join(p.dir, "force-app/main"));
    assertSame(["lint", "--format", "json", "force-app", "pkg2"], p.dir);
    assertSame(["lint", "--format", "json", "force-app/main/default/profiles", "data/extra.txt"], p.dir);
    assertSame(["lint", "--format", "json", "unpackaged"], p.dir);
    assertSame(["lint", "--format", "json", "--no-config", "."], p.dir);
    assertSame(["lint", "--format", "json", "Café"], p.dir);
    assertSame(["lint", "--format", "json", "--config", "silt.toml", "force-app"], p.dir);
    assertSame(["lint", "--format", "json", "--fail-on", "never", p.dir]);
    assertSame(["lint", "--format", "human", "--quiet", "--color", "never", p.dir]);
    // Errors: the same exit code (2) and no stdout.
    assertSame(["lint", "--format", "json", "does-not-exist"], p.dir);
    fs.writeFileSync(path.join(p.dir, "silt.toml"), '[rules]\nparse-eror = "off"\n');
    assertSame(["lint", "--format", "json"], p.dir);
  });

  test("the four-front-end parity project (tests/parity): every format and every `lint` option of cliSpec()", (t) => {
    if (skipReason) return t.skip(skipReason);
    // Each `lint` option, as runs on a fresh copy of the project (the same path for both CLIs, so
    // outputs naming it compare too). An option the CLI gains later fails here until it has a case.
    const CASES = {
      "--format": FORMATS.map((f) => [f]),
      "--output": [[["--format", "sarif", "--output", "out.sarif"]], [["--format", "json", "-o", "out.json", "--format", "github"]]],
      "--fail-on": ["never", "note", "warning", "error"].map((l) => [["--format", "json", "--fail-on", l]]),
      "--config": [[["--format", "json", "--config", "alt.toml"]], [["--format", "json", "--config", "missing.toml"]]],
      "--no-config": [[["--format", "json", "--no-config"]]],
      "--threads": [[["--format", "json", "--threads", "1"]]],
      "--quiet": [[["--format", "human", "--quiet", "--color", "never"]]],
      "--color": [[["--format", "human", "--color", "always"]], [["--format", "human", "--color", "never"]]],
      "--fix": [[["--fix", "--format", "json"]]],
      "--diff": [[["--fix", "--diff"]], [["--diff"]]],
      "--baseline": [[["--format", "json", "--write-baseline", "base.json"], ["--format", "human", "--color", "never", "--baseline", "base.json"]]],
      "--write-baseline": [[["--write-baseline", "base.json"]]],
      "--max-file-size": [[["--format", "json", "--max-file-size", "200"]]],
      // Not a git repository here: the same error (exit 2) from both; packages/silt/tests/diff.test.mjs
      // compares real runs in a repository.
      "--new-since": [[["--format", "json", "--new-since", "HEAD"]]],
    };
    assert.deepEqual(Object.keys(CASES).sort(), [...SPEC.commands.lint].sort(), "a case for every `silt lint` option");
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "silt-parity-cli-")));
    t.after(() => fs.rmSync(base, { recursive: true, force: true }));
    const tree = (dir) => {
      const out = {};
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isSymbolicLink()) out[path.relative(dir, p)] = `-> ${fs.readlinkSync(p)}`;
          else if (e.isDirectory()) walk(p);
          else out[path.relative(dir, p)] = fs.readFileSync(p).toString("base64");
        }
      };
      walk(dir);
      return out;
    };
    /** Run `steps` on a fresh project with `run`: every output, then the files left. */
    const session = (steps, run) => {
      fs.rmSync(base, { recursive: true, force: true });
      fs.mkdirSync(base);
      const { dir } = writeProject({ base });
      fs.writeFileSync(path.join(dir, "alt.toml"), '[rules]\nintegration-excessive-permission = "off"\n');
      const outputs = steps.map((args) => {
        const r = run(["lint", ...args], dir);
        return { args, code: r.code, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
      });
      return { outputs, files: tree(dir) };
    };
    let linted = null;
    for (const [option, cases] of Object.entries(CASES)) {
      for (const steps of cases) {
        const n = session(steps, runNative);
        const j = session(steps, (args, cwd) => runNode(args, { cwd }));
        assert.deepEqual(j, n, `${option}: ${JSON.stringify(steps)}`);
        if (option === "--format" && steps[0][1] === "json") linted = JSON.parse(n.outputs[0].stdout);
      }
    }
    // The project really exercises the selection: exactly these files, each with a finding.
    assert.deepEqual([...new Set(linted.diagnostics.map((d) => d.file))].sort(), SELECTED);
  });

  test("--fix, --fix --diff, --write-baseline and --baseline: same files, bytes and messages", (t) => {
    if (skipReason) return t.skip(skipReason);
    // Two copies of the example project: one for each CLI, since both change files.
    const copy = () => {
      const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "silt-fix-"));
      fs.cpSync(path.join(examples, "integration-gone-wrong"), dir, { recursive: true });
      t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    };
    const [a, b] = [copy(), copy()];
    const both = (args, check = () => {}) => {
      const n = runNative(args, a);
      const j = runNode(args, { cwd: b });
      const what = `silt ${args.join(" ")}`;
      if (!n.stdout.equals(j.stdout)) assert.fail(`${what}: stdout differs at ${firstDifference(n.stdout, j.stdout)}\nnode stderr: ${j.stderr}`);
      assert.equal(j.stderr.toString(), n.stderr, `${what}: stderr`);
      assert.equal(j.code, n.code, `${what}: exit code`);
      check(n, j);
      return n;
    };
    const tree = (dir) => {
      const out = {};
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out[path.relative(dir, p)] = fs.readFileSync(p).toString("base64");
        }
      };
      walk(dir);
      return out;
    };
    const diff = both(["lint", "--fix", "--diff"]);
    assert.match(diff.stdout.toString(), /^--- a\/.*\n\+\+\+ b\//m, "a unified diff");
    assert.deepEqual(tree(b), tree(a), "--diff writes nothing");
    const fixed = both(["lint", "--fix", "--format", "json"]);
    assert.match(fixed.stderr, /^fixed .* \(\d+ edits?\)$/m);
    assert.deepEqual(tree(b), tree(a), "the same files after --fix");
    both(["lint", "--format", "json", "--write-baseline", "silt-baseline.json"]);
    assert.deepEqual(tree(b), tree(a), "the same baseline file");
    // A fixed finding makes a baseline entry prunable; a new one shows.
    for (const dir of [a, b]) {
      const ps = path.join(dir, "force-app/main/default/permissionsets/Sales_Admin_Tools.permissionset-meta.xml");
      if (fs.existsSync(ps)) fs.rmSync(ps);
      fs.appendFileSync(path.join(dir, "data/users.csv"), "legacy-2@acme.example,Salesforce API Only System Integrations,Salesforce Integration,true\n");
    }
    both(["lint", "--format", "json", "--baseline", "silt-baseline.json"], (n) => assert.match(n.stderr, /findings hidden by baseline/));
    both(["lint", "--format", "human", "--color", "never", "--baseline=silt-baseline.json"]);
    // Broken baseline, --diff without --fix: exit 2, same messages.
    for (const dir of [a, b]) fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
    both(["lint", "--baseline", "bad.json"], (n) => assert.equal(n.code, 2));
    both(["lint", "--baseline", "missing.json"], (n) => assert.equal(n.code, 2));
    both(["lint", "--diff"], (n) => assert.equal(n.code, 2));
  });

  test("rules, explain, --version", (t) => {
    if (skipReason) return t.skip(skipReason);
    assertSame(["--version"]);
    assertSame(["rules"]);
    assertSame(["rules", "--format", "json"]);
    assertSame(["rules", "--format", "markdown"]);
    const names = JSON.parse(runNative(["rules", "--format", "json"], repoDir).stdout.toString()).map((r) => r.name);
    for (const n of names) assertSame(["explain", n]);
    assertSame(["explain", "no-such-rule"]);
  });
});
