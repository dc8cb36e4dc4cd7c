// The Node CLI (bin/silt.js) and the API past silt's limits: files over the size limit, regexes, and
// file content that tries to forge output lines.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runNode, tempProject, SFDX_PROJECT, CLEAN_PERMSET } from "../test-helpers.mjs";
import { Linter, escapeText, lint } from "../index.js";

const PROFILES = "force-app/main/default/profiles";
const GOOD = "force-app/main/default/permissionsets/Reader.permissionset-meta.xml";
const FORGED = "\n::error file=x::forged\n| forged | row |";

const parseErrors = (r) =>
  JSON.parse(r.stdout.toString())
    .diagnostics.filter((d) => d.rule === "parse-error")
    .map((d) => [d.file, d.message]);

/** Lines file content forged, and raw control characters. */
const forgedLines = (text) =>
  text.split("\n").filter((l) => l.startsWith("::error file=x") || l.startsWith("| forged") || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(l));

test("a file over the size limit is a parse-error and is not read", (t) => {
  const p = tempProject({ "sfdx-project.json": SFDX_PROJECT, [GOOD]: CLEAN_PERMSET });
  t.after(p.cleanup);
  // A sparse 40 GiB file: reading it would fail (Node cannot hold it) or take minutes.
  const huge = path.join(p.dir, PROFILES, "Huge.profile-meta.xml");
  fs.mkdirSync(path.dirname(huge), { recursive: true });
  fs.closeSync(fs.openSync(huge, "w"));
  fs.truncateSync(huge, 40 * 2 ** 30);
  let r = runNode(["lint", "--format", "json", p.dir]);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(parseErrors(r), [
    [
      `${PROFILES}/Huge.profile-meta.xml`,
      "file too large: 42949672960 bytes, over the 64 MiB limit (67108864 bytes); not read. Raise it with `max_size` in the [files] table of silt.toml or `--max-file-size`",
    ],
  ]);
  // --max-file-size and [files] max_size lower the limit; the flag wins.
  const limit = String(CLEAN_PERMSET.length - 1);
  r = runNode(["lint", "--format", "json", "--max-file-size", limit, p.dir]);
  assert.deepEqual(parseErrors(r).map((e) => e[0]).sort(), [GOOD, `${PROFILES}/Huge.profile-meta.xml`]);
  fs.writeFileSync(path.join(p.dir, "silt.toml"), `[files]\nmax_size = ${limit}\n`);
  assert.equal(parseErrors(runNode(["lint", "--format", "json", p.dir])).length, 2);
  r = runNode(["lint", "--format", "json", "--max-file-size", String(CLEAN_PERMSET.length), p.dir]);
  assert.equal(parseErrors(r).length, 1);
  r = runNode(["lint", "--max-file-size", "lots", p.dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid value 'lots' for '--max-file-size <BYTES>'/);
});

test("API: {path, size} and the maxFileSize option", () => {
  const linter = new Linter({ maxFileSize: 10 });
  assert.equal(linter.maxFileSize, 10);
  assert.equal(new Linter().maxFileSize, 64 * 2 ** 20);
  const report = linter.lint([
    { path: `${PROFILES}/A.profile-meta.xml`, size: 11 },
    { path: `${PROFILES}/B.profile-meta.xml`, contents: "<Profile></Profile>" },
    { path: `${PROFILES}/C.profile-meta.xml`, contents: "<Profile/>" },
    { path: "notes.txt", size: 1e12 },
  ]);
  assert.deepEqual(
    report.diagnostics.map((d) => [d.file, d.message.slice(0, 30)]),
    [
      [`${PROFILES}/A.profile-meta.xml`, "file too large: 11 bytes, over"],
      [`${PROFILES}/B.profile-meta.xml`, "file too large: 19 bytes, over"],
    ],
  );
  linter.update(`${PROFILES}/D.profile-meta.xml`, { size: 2 ** 40 });
  assert.match(linter.report().diagnostics[0].message, /^file too large: 1099511627776 bytes/);
  assert.throws(() => lint([{ path: "a.profile", size: -1 }]), /files\[0\]\.size must be a whole number of bytes/);
  assert.throws(() => new Linter({ maxFileSize: "big" }), /options\.maxFileSize must be a whole number of bytes/);
});

test("too many regexes is a configuration error with its position", () => {
  const patterns = Array.from({ length: 1001 }, (_, i) => `  "^set_${String(i).padStart(4, "0")}$",`);
  assert.throws(
    () => new Linter({ config: `[integration]\npermission_sets = [\n${patterns.join("\n")}\n]\n` }),
    /^Error: silt\.toml:1003:4: too many regexes/,
  );
});

test("no file name, label or baseline entry forges a line on stdout or stderr", (t) => {
  assert.equal(escapeText(`a${FORGED}\u001b[2J`), "a\\n::error file=x::forged\\n| forged | row |\\u{1b}[2J");
  const p = tempProject({
    "sfdx-project.json": SFDX_PROJECT,
    [`${PROFILES}/Evil${FORGED}.profile-meta.xml`]: "<Profile><broken>",
    "force-app/main/default/permissionsets/Ps.permissionset-meta.xml":
      "<PermissionSet><label>Team&#10;::error file=x::forged&#10;| forged | row |&#x85;</label></PermissionSet>",
    "silt.toml": 'custom_rules = ["rules/label.toml"]\n',
    "rules/label.toml": '[[rule]]\nname = "say-label"\nsummary = "s"\nkinds = ["PermissionSet"]\nmessage = "label {label}"\n',
    "baseline.json": JSON.stringify({
      version: 1,
      entries: [{ fingerprint: "0000", rule: `gone${FORGED}`, file: `f${FORGED}`, element: `e${FORGED}`, message: "m" }],
    }),
  });
  t.after(p.cleanup);
  for (const format of ["human", "github"]) {
    const r = runNode(["lint", "--format", format, "--baseline", "baseline.json", p.dir], { cwd: p.dir });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(forgedLines(r.stdout.toString()), [], r.stdout.toString());
    assert.deepEqual(forgedLines(r.stderr), [], r.stderr);
    assert.match(r.stderr, /1 baseline entries are fixed/);
  }
  const human = runNode(["lint", p.dir]).stdout.toString();
  assert.ok(human.includes("label Team\\n::error file=x::forged\\n| forged | row |\\u{85}"), human);
});
