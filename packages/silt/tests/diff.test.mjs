// `silt diff` through the Wasm package: `diff(baseFiles, headFiles)` returns the same JSON (version 1)
// as the native `silt diff base head --format json` on tests/fixtures/diff, `diffText` the same text
// in every format, and `npx silt diff REV` reads a git revision through the Node host's `git`.
//
// The native binary: $SILT_NATIVE, else `cargo build --release -p silt-cli` → target/release/silt.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { repoDir, runNode, tempProject, buildNative, metadataFiles } from "../test-helpers.mjs";
import { classify, diff, diffText } from "../index.js";

const fixtures = path.join(repoDir, "tests", "fixtures", "diff");
let native = null;
let skipReason = null;
before(() => ({ native, skipReason } = buildNative()));

const files = (dir) => metadataFiles(dir, classify);

function nativeRun(args, cwd = fixtures) {
  const r = spawnSync(native, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd, ...args) {
  const r = spawnSync("git", ["-c", "user.name=silt", "-c", "user.email=silt@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
}

const base = () => files(path.join(fixtures, "base"));
const head = () => files(path.join(fixtures, "head"));

describe("diff() through the npm package", () => {
  test("the JSON object is the native CLI's", (t) => {
    if (skipReason) return t.skip(skipReason);
    const report = diff(base(), head(), { base: "base", head: "head" });
    const cli = nativeRun(["diff", "base", "head", "--format", "json"]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(report, JSON.parse(cli.stdout));
    // The facts the pull-request view shows.
    const a = report.access.find((u) => u.username === "int-a@acme.example");
    assert.equal(a.added[0].permission, "ManageUsers");
    assert.deepEqual(a.added[0].via.map((h) => h.name), ["Sync_Group", "Sync_Core"]);
    assert.ok(report.apps.find((x) => x.app === "Partner_Feed").changes.some((c) => c.setting === "scope" && c.after === "Full" && c.risky));
    assert.equal(report.license.after.monthlyCost, 10);
    assert.deepEqual(report.findings.fixed.map((d) => d.rule), ["connected-app-http-callback"]);
    // The lines the change touched, for the files holding an introduced finding: the new user's
    // record, the whole new app; Sync_Core (where int-a's new ManageUsers is reported) did not change.
    assert.deepEqual(report.findings.touched, {
      "data/users.csv": [[3, 3]],
      "force-app/main/default/connectedApps/Partner_Feed.connectedApp-meta.xml": [[1, 17]],
    });
  });

  test("diffText gives the native text in every format, and fails by failOn", (t) => {
    if (skipReason) return t.skip(skipReason);
    for (const format of ["human", "json", "markdown", "github"]) {
      const r = diffText(base(), head(), { base: "base", head: "head", format });
      const cli = nativeRun(["diff", "base", "head", "--format", format]);
      assert.equal(r.text, cli.stdout, format);
      assert.equal(r.fails, false, format);
    }
    // github: annotations only on touched lines; the finding on Sync_Core's unchanged line is listed.
    const gh = diffText(base(), head(), { format: "github" }).text;
    assert.equal(gh.split("\n").filter((l) => l.startsWith("::")).length, 2, gh);
    assert.ok(!/^::.*Sync_Core/m.test(gh), gh);
    assert.match(gh, /not annotated\):\n {2}warning\[integration-excessive-permission\] force-app\/main\/default\/permissionsets\/Sync_Core/);
    assert.equal(diffText(base(), head(), { format: "markdown" }).text.split("\n")[0], "<!-- silt:diff -->");
    assert.equal(diffText(base(), head(), { failOn: "warning" }).fails, true);
  });

  test("unchanged files are no change; default labels; bad options throw", () => {
    const same = diff(head(), head());
    assert.equal(same.base, "base");
    assert.equal(same.head, "head");
    assert.deepEqual(same.access, []);
    assert.deepEqual(same.apps, []);
    assert.deepEqual(same.findings, { introduced: [], fixed: [], touched: {} });
    assert.throws(() => diff(base(), head(), { colour: true }), /unknown option `colour`/);
    assert.throws(() => diffText(base(), head(), { format: "sarif" }), /unknown format `sarif`/);
    assert.throws(() => diff("nope", head()), /baseFiles must be an array/);
  });

  test("npx silt diff REV reads the revision through git, as the native CLI does", (t) => {
    if (skipReason) return t.skip(skipReason);
    const { dir, cleanup } = tempProject({});
    try {
      git(dir, "init", "-q");
      fs.cpSync(path.join(fixtures, "base"), path.join(dir, "project"), { recursive: true });
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "base");
      fs.rmSync(path.join(dir, "project"), { recursive: true });
      fs.cpSync(path.join(fixtures, "head"), path.join(dir, "project"), { recursive: true });
      const cwd = path.join(dir, "project");
      for (const args of [["diff", "HEAD", "--format", "json"], ["diff", "HEAD", "--format", "markdown"], ["diff", "HEAD", "--format", "github"], ["lint", "--new-since", "HEAD", "--format", "json"]]) {
        const node = runNode(args, { cwd });
        const cli = nativeRun(args, cwd);
        assert.equal(node.code, cli.code, `${args.join(" ")}: ${node.stderr}`);
        assert.equal(node.stdout.toString(), cli.stdout, args.join(" "));
        assert.equal(node.stderr, cli.stderr, args.join(" "));
      }
      const bad = runNode(["diff", "no-such-branch"], { cwd });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /`no-such-branch` is neither a folder nor a revision of the git repository/);
    } finally {
      cleanup();
    }
  });
});
