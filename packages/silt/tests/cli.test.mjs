// The Node CLI (bin/silt.js) on temporary projects: exit codes, -o, ignore files, configuration errors.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runNode, tempProject, SFDX_PROJECT, MALFORMED_PROFILE, CLEAN_PERMSET } from "../test-helpers.mjs";
import { skippedDirs, version } from "../index.js";

const BAD = "force-app/main/default/profiles/Broken.profile-meta.xml";
const GOOD = "force-app/main/default/permissionsets/Reader.permissionset-meta.xml";

function project(extra = {}) {
  return tempProject({ "sfdx-project.json": SFDX_PROJECT, [GOOD]: CLEAN_PERMSET, ...extra });
}

const json = (r) => JSON.parse(r.stdout.toString());

test("exit 0 on a clean project, 1 with an error finding", (t) => {
  const clean = project();
  t.after(clean.cleanup);
  let r = runNode(["lint", "--format", "json", clean.dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(json(r).summary.files, 2); // the permission set and sfdx-project.json
  r = runNode(["lint", "--format", "json"], { cwd: path.join(clean.dir, "force-app") });
  assert.equal(r.code, 0, r.stderr);

  const bad = project({ [BAD]: MALFORMED_PROFILE });
  t.after(bad.cleanup);
  r = runNode(["lint", "--format", "json", bad.dir]);
  assert.equal(r.code, 1, r.stderr);
  const d = json(r).diagnostics.find((x) => x.rule === "parse-error");
  assert.equal(d.file, BAD);
  // A sub-folder: paths stay relative to the project root.
  r = runNode(["lint", "--format", "json", path.join(bad.dir, "force-app/main/default/profiles")]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(json(r).diagnostics.find((x) => x.rule === "parse-error").file, BAD);
  // --fail-on never, and a configuration that lowers the rule.
  assert.equal(runNode(["lint", "--fail-on", "never", bad.dir]).code, 0);
  fs.writeFileSync(path.join(bad.dir, "silt.toml"), '[rules]\nparse-error = "warning"\n');
  assert.equal(runNode(["lint", bad.dir]).code, 0);
  assert.equal(runNode(["lint", "--fail-on", "warning", bad.dir]).code, 1);
  assert.equal(runNode(["lint", "--no-config", bad.dir]).code, 1);
});

test("-o writes the format before it to a file", (t) => {
  const p = project({ [BAD]: MALFORMED_PROFILE });
  t.after(p.cleanup);
  const out = path.join(p.dir, "out", "report.json");
  fs.mkdirSync(path.dirname(out));
  const direct = runNode(["lint", "--format", "json", p.dir]);
  let r = runNode(["lint", "--format", "json", "-o", out, p.dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout.length, 0);
  assert.deepEqual(fs.readFileSync(out), direct.stdout);
  // Two formats: SARIF to a file, JSON to stdout.
  const sarif = path.join(p.dir, "out", "r.sarif");
  r = runNode(["lint", p.dir, "--format", "sarif", `--output=${sarif}`, "--format=json"]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.stdout, direct.stdout);
  assert.ok(fs.statSync(sarif).size > 0);
  // -o before any --format is a usage error.
  r = runNode(["lint", "-o", out, "--format", "json", p.dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /comes before any `--format`/);
  // An unwritable output.
  r = runNode(["lint", "--format", "json", "-o", path.join(p.dir, "missing", "x.json"), p.dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: cannot write `.*x\.json`: No such file or directory \(os error 2\)/);
});

test(".forceignore and .gitignore keep files out", (t) => {
  const p = project({ [BAD]: MALFORMED_PROFILE, "force-app/main/default/profiles/Other.profile-meta.xml": MALFORMED_PROFILE });
  t.after(p.cleanup);
  assert.equal(runNode(["lint", p.dir]).code, 1);
  fs.writeFileSync(path.join(p.dir, ".forceignore"), "# ignore the broken ones\n**/Broken.profile-meta.xml\n");
  let r = runNode(["lint", "--format", "json", p.dir]);
  let files = new Set(json(r).diagnostics.map((d) => d.file));
  assert.ok(!files.has(BAD));
  assert.ok(files.has("force-app/main/default/profiles/Other.profile-meta.xml"));
  fs.writeFileSync(path.join(p.dir, "force-app", ".gitignore"), "Other.profile-meta.xml\n");
  r = runNode(["lint", "--format", "json", p.dir]);
  assert.equal(r.code, 0, r.stdout.toString());
  assert.equal(json(r).summary.files, 2);
  // A negation in a deeper .forceignore brings one back.
  fs.writeFileSync(path.join(p.dir, "force-app/main/.forceignore"), "!**/Broken.profile-meta.xml\n");
  r = runNode(["lint", "--format", "json", p.dir]);
  assert.equal(r.code, 1);
  files = new Set(json(r).diagnostics.map((d) => d.file));
  assert.ok(files.has(BAD));
  // A file named on the command line is linted whatever the ignore files say.
  fs.rmSync(path.join(p.dir, "force-app/main/.forceignore"));
  r = runNode(["lint", "--format", "json", path.join(p.dir, BAD)]);
  assert.equal(r.code, 1);
  // node_modules, .sfdx and hidden folders are never walked.
  for (const dir of ["node_modules/x", ".sfdx/tools", ".hidden"]) {
    fs.mkdirSync(path.join(p.dir, "force-app", dir), { recursive: true });
    fs.writeFileSync(path.join(p.dir, "force-app", dir, "Z.profile-meta.xml"), MALFORMED_PROFILE);
  }
  fs.rmSync(path.join(p.dir, ".forceignore"));
  r = runNode(["lint", "--format", "json", p.dir]);
  files = new Set(json(r).diagnostics.map((d) => d.file));
  assert.deepEqual([...files].filter((f) => f.includes("Z.profile")), []);
});

test("skippedDirs() names the folders the CLI never walks", (t) => {
  const dirs = skippedDirs();
  assert.ok(dirs.includes("node_modules") && dirs.includes(".git"), `${dirs}`);
  const extra = {};
  for (const d of dirs) extra[`force-app/${d}/main/default/profiles/Broken.profile-meta.xml`] = MALFORMED_PROFILE;
  const p = project({ ...extra, [BAD]: MALFORMED_PROFILE });
  t.after(p.cleanup);
  const r = runNode(["lint", "--format", "json", p.dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(json(r).diagnostics.map((d) => d.file), [BAD], "nothing under a skipped folder is read");
});

test("configuration and usage errors exit 2", (t) => {
  const p = project();
  t.after(p.cleanup);
  fs.writeFileSync(path.join(p.dir, "silt.toml"), '[org]\nedition = "Enterprise"\n\n[rules]\nno-such-rule = "off"\n');
  let r = runNode(["lint", p.dir], { cwd: p.dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: silt\.toml:5:1: unknown rule `no-such-rule`/);
  r = runNode(["lint", "--config", path.join(p.dir, "nope.toml"), p.dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read configuration .*nope\.toml.*No such file or directory/);
  r = runNode(["lint", "--no-config", "--format", "xml", p.dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown format `xml`/);
  assert.equal(runNode(["lint", "--no-config", path.join(p.dir, "does-not-exist")]).code, 2);
  assert.equal(runNode(["lint", "--bogus"]).code, 2);
  assert.equal(runNode(["frobnicate"]).code, 2);
  assert.equal(runNode([]).code, 2);
});

test("--version, rules, explain, init", (t) => {
  let r = runNode(["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.toString(), `silt ${version()}\n`);
  r = runNode(["rules"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout.toString(), /^NAME +SEVERITY +FIXABLE +SUMMARY\n/);
  assert.match(r.stdout.toString(), /\nparse-error +error /);
  r = runNode(["rules", "--format", "json"]);
  assert.ok(JSON.parse(r.stdout.toString()).some((x) => x.name === "parse-error"));
  r = runNode(["explain", "parse-error"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout.toString(), /^# parse-error\n/);
  r = runNode(["explain", "parse-eror"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown rule `parse-eror`; did you mean `parse-error`\?/);
  const p = tempProject({});
  t.after(p.cleanup);
  r = runNode(["init"], { cwd: p.dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(fs.readFileSync(path.join(p.dir, "silt.toml"), "utf8"), /^# silt\.toml/);
  assert.equal(runNode(["init"], { cwd: p.dir }).code, 2);
});
