// The plugin through the real Salesforce CLI: `sf silt …` must print the same bytes and exit with the
// same code as `silt …` (the npm package's CLI, and the native CLI where it is built), and follow the sf
// conventions (--json envelope, exit codes, --help).
//
// Run by scripts/test-sf-plugin.sh, which installs `sf` from npm, links this plugin in an isolated home
// folder and sets SILT_SF (the sf binary) and the environment used here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const siltJs = path.join(repoDir, "packages", "silt", "bin", "silt.js");
const sf = process.env.SILT_SF;
const gone = path.join(repoDir, "examples", "integration-gone-wrong");
const clean = path.join(repoDir, "examples", "integration-clean");
const env = { ...process.env, NO_COLOR: "1" };
if (!sf) throw new Error("SILT_SF is not set: run scripts/test-sf-plugin.sh");

function sfRun(args, cwd = repoDir) {
  const r = spawnSync(sf, args, { cwd, env, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
function siltRun(args, cwd = repoDir) {
  const r = spawnSync(process.execPath, [siltJs, ...args], { cwd, env, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
/** The native CLI when it is built (the rust stage builds target/debug/silt), else null. */
function nativeSilt() {
  const candidates = [process.env.SILT_NATIVE, path.join(repoDir, "target", "release", "silt"), path.join(repoDir, "target", "debug", "silt")];
  return candidates.find((p) => p && fs.existsSync(p)) ?? null;
}

function assertSame(args, cwd = repoDir) {
  const s = sfRun(["silt", ...args], cwd);
  const n = siltRun(args, cwd);
  const what = `sf silt ${args.join(" ")} (in ${path.relative(repoDir, cwd) || "."})`;
  assert.equal(s.stdout.toString(), n.stdout.toString(), `${what}: stdout differs from silt's (sf stderr: ${s.stderr})`);
  assert.ok(s.stdout.equals(n.stdout), `${what}: stdout bytes differ`);
  assert.equal(s.code, n.code, `${what}: exit code (sf stderr: ${s.stderr}; silt stderr: ${n.stderr})`);
  return s;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "silt-sf-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("sf silt lint: the same bytes and exit code as silt in every format", () => {
  for (const format of ["human", "json", "sarif", "junit", "github", "markdown"]) {
    const s = assertSame(["lint", "examples/integration-gone-wrong", "--format", format, "--color", "never"]);
    assert.equal(s.code, 1, `${format}: the example has errors`);
    assert.ok(s.stdout.length > 100, `${format}: a report`);
  }
  // Human output by default, with silt's summary line; no path: the current folder.
  const s = assertSame(["lint"], gone);
  assert.match(s.stdout.toString(), /^\d+ errors, \d+ warnings, \d+ notes in \d+ files/m);
  assertSame(["lint", "-q", "--fail-on", "never"], gone);
  assert.equal(assertSame(["lint", "--format", "human"], clean).code, 0);
  // Several paths; files and folders.
  assertSame(["lint", "examples/integration-clean/force-app", "examples/integration-gone-wrong/force-app", "--format", "json", "--no-config"]);
});

test("sf silt lint: each -o writes the format before it, as silt does", () => {
  const run = (tool, dir) => {
    fs.mkdirSync(dir, { recursive: true });
    const args = ["lint", gone, "--format", "sarif", "-o", path.join(dir, "a.sarif"), "--format", "junit", "--output", path.join(dir, "b.xml"), "--format", "github"];
    return tool === "sf" ? sfRun(["silt", ...args]) : siltRun(args);
  };
  const s = run("sf", path.join(tmp, "sf"));
  const n = run("silt", path.join(tmp, "silt"));
  assert.equal(s.stdout.toString(), n.stdout.toString());
  assert.match(s.stdout.toString(), /^::error /m);
  assert.equal(s.code, n.code);
  for (const f of ["a.sarif", "b.xml"]) assert.equal(fs.readFileSync(path.join(tmp, "sf", f), "utf8"), fs.readFileSync(path.join(tmp, "silt", f), "utf8"), f);
});

test("sf silt lint --json: the sf envelope around silt's JSON report, the same findings as silt lint --format json", () => {
  const s = sfRun(["silt", "lint", "--json"], gone);
  assert.equal(s.code, 1, s.stderr);
  const envelope = JSON.parse(s.stdout.toString());
  assert.deepEqual(Object.keys(envelope).sort(), ["result", "status", "warnings"]);
  assert.equal(envelope.status, 1);
  assert.deepEqual(envelope.warnings, []);
  const report = JSON.parse(siltRun(["lint", "--format", "json"], gone).stdout.toString());
  assert.deepEqual(envelope.result, report);
  assert.ok(report.diagnostics.length > 10);
  const native = nativeSilt();
  if (native) {
    const r = spawnSync(native, ["lint", "--format", "json"], { cwd: gone, env });
    assert.deepEqual(envelope.result.diagnostics, JSON.parse(r.stdout.toString()).diagnostics, `native ${native}`);
  }
  // No finding at or above --fail-on: status and exit code 0.
  const ok = sfRun(["silt", "lint", "--json"], clean);
  assert.equal(ok.code, 0, ok.stderr);
  const e = JSON.parse(ok.stdout.toString());
  assert.equal(e.status, 0);
  assert.deepEqual(e.result.diagnostics, []);
  const lenient = JSON.parse(sfRun(["silt", "lint", "--json", "--fail-on", "never"], gone).stdout.toString());
  assert.equal(lenient.status, 0);
});

test("sf silt lint --json: silt's messages become warnings; other formats still go to files", () => {
  const baseline = path.join(tmp, "baseline.json");
  const sarif = path.join(tmp, "json-mode.sarif");
  const s = sfRun(["silt", "lint", "--json", "--write-baseline", baseline, "--format", "sarif", "-o", sarif], gone);
  const e = JSON.parse(s.stdout.toString());
  assert.equal(s.code, 0, s.stderr); // every finding is now in the baseline
  assert.equal(e.status, 0);
  assert.equal(e.warnings.length, 1);
  assert.match(e.warnings[0], /^silt: wrote \d+ findings to baseline /);
  assert.ok(fs.existsSync(baseline));
  assert.equal(JSON.parse(fs.readFileSync(sarif, "utf8")).version, "2.1.0");
});

test("sf silt lint: usage and configuration errors exit 2, as silt's messages or the sf error envelope", () => {
  // Human: silt's own message on stderr.
  for (const args of [["lint", "--format", "nope"], ["lint", "no-such-folder"]]) {
    const s = sfRun(["silt", ...args], gone);
    const n = siltRun(args, gone);
    assert.equal(n.code, 2, args.join(" "));
    assert.equal(s.code, 2, `${args.join(" ")}: ${s.stderr}`);
    assert.equal(s.stderr, n.stderr, args.join(" "));
  }
  // --json: the sf error envelope with silt's message (silt runs with `--format json` added).
  for (const args of [["lint", "--config", "no-such.toml"], ["lint", "--diff"]]) {
    const j = sfRun(["silt", ...args, "--json"], gone);
    const n = siltRun([...args, "--format", "json"], gone);
    assert.equal(n.code, 2, args.join(" "));
    assert.equal(j.code, 2, args.join(" "));
    const e = JSON.parse(j.stdout.toString());
    assert.equal(e.status, 2);
    assert.equal(e.message, n.stderr.replace(/^error: /, "").trim());
  }
  // A --format that prints to stdout cannot share it with the JSON result.
  const mixed = sfRun(["silt", "lint", "--json", "--format", "sarif"], gone);
  assert.equal(mixed.code, 2);
  assert.match(JSON.parse(mixed.stdout.toString()).message, /write every other --format to a file with -o/);
});

test("sf silt rules and sf silt explain: silt's bytes; --json envelopes", () => {
  assertSame(["rules"]);
  assertSame(["rules", "--format", "json"]);
  assertSame(["rules", "--format", "markdown"]);
  const rules = JSON.parse(siltRun(["rules", "--format", "json"]).stdout.toString());
  const e = JSON.parse(sfRun(["silt", "rules", "--json"]).stdout.toString());
  assert.equal(e.status, 0);
  assert.deepEqual(e.result, rules);
  assertSame(["explain", rules.at(-1).name]);
  const x = JSON.parse(sfRun(["silt", "explain", rules[0].name, "--json"]).stdout.toString());
  assert.equal(x.result.rule, rules[0].name);
  assert.equal(x.result.text, siltRun(["explain", rules[0].name]).stdout.toString());
  const bad = sfRun(["silt", "explain", "no-such-rule", "--json"]);
  assert.equal(bad.code, 2);
  assert.match(JSON.parse(bad.stdout.toString()).message, /no-such-rule/);
});

test("sf silt access: silt's bytes in every format; --json envelopes silt's access report", () => {
  for (const q of [[], ["--user", "int-svc@acme.example"], ["--permission", "ModifyAllData"]]) {
    for (const f of ["human", "json", "markdown"]) assertSame(["access", ...q, "--format", f], gone);
  }
  const report = JSON.parse(siltRun(["access", "--permission", "ModifyAllData", "--format", "json"], gone).stdout.toString());
  assert.equal(report.version, 1);
  const e = JSON.parse(sfRun(["silt", "access", "--permission", "ModifyAllData", "--json"], gone).stdout.toString());
  assert.deepEqual(e.result, report);
});

test("sf silt diff and lint --new-since: silt's bytes and exit codes; --json envelopes silt's diff report", () => {
  const base = "tests/fixtures/diff/base";
  const head = "tests/fixtures/diff/head";
  for (const f of ["human", "json", "markdown", "github"]) {
    const s = assertSame(["diff", base, head, "--format", f, "--no-config"]);
    assert.ok(s.stdout.length > 100, `${f}: a report`);
  }
  assert.equal(assertSame(["diff", base, head, "--no-config", "--fail-on", "warning"]).code, 1, "introduced warnings fail with --fail-on warning");
  assert.equal(assertSame(["diff", base, head, "--no-config", "--fail-on", "never"]).code, 0);
  const report = JSON.parse(siltRun(["diff", base, head, "--no-config", "--format", "json"]).stdout.toString());
  assert.equal(report.version, 1);
  assert.ok(report.access.length > 0 && report.findings.introduced.length > 0, "the fixture's change grants access and introduces findings");
  const e = JSON.parse(sfRun(["silt", "diff", base, head, "--no-config", "--json"]).stdout.toString());
  assert.deepEqual(e.result, report);
  // A revision that does not exist: silt's usage error, exit 2, as an sf error with --json.
  const bad = sfRun(["silt", "diff", "no-such-revision-xyz", "--json"], gone);
  assert.equal(bad.code, 2);
  assert.match(JSON.parse(bad.stdout.toString()).message, /no-such-revision-xyz/);
  // --new-since HEAD in this checkout: only what the working tree added since the last commit.
  assertSame(["lint", "examples/integration-gone-wrong", "--new-since", "HEAD", "--format", "json", "--fail-on", "never"]);
});

test("sf silt lint --help: summary, flags and examples", () => {
  const h = sfRun(["silt", "lint", "--help"]);
  assert.equal(h.code, 0, h.stderr);
  const text = h.stdout.toString();
  for (const want of ["USAGE", "--format", "-o, --output", "--fail-on", "--json", "EXAMPLES", "sf silt lint --format github --format sarif -o silt.sarif"]) {
    assert.ok(text.includes(want), `--help lacks ${want}:\n${text}`);
  }
  assert.match(sfRun(["silt", "--help"]).stdout.toString(), /silt access[\s\S]*silt diff[\s\S]*silt explain[\s\S]*silt lint[\s\S]*silt rules/);
});
