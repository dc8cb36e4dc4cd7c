// Effective access through the Wasm package: `access(files, query)` returns the same JSON (version 1)
// as the native `silt access --format json` on the bundled example project, and the incremental
// Linter answers the same summary over the files it keeps.
//
// The native binary: $SILT_NATIVE, else `cargo build --release -p silt-cli` → target/release/silt.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { before, describe, test } from "node:test";
import { repoDir, runNode, buildNative, metadataFiles } from "../test-helpers.mjs";
import { access, classify, Linter } from "../index.js";

const example = path.join(repoDir, "examples", "integration-gone-wrong");
let native = null;
let skipReason = null;
before(() => ({ native, skipReason } = buildNative()));

const files = (dir) => metadataFiles(dir, classify);

function nativeAccess(args) {
  const r = spawnSync(native, ["access", "--format", "json", ...args], { cwd: example, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe("access(files, query)", () => {
  const queries = [
    [{}, []],
    [{ user: "int-erp@acme.example" }, ["--user", "int-erp@acme.example"]],
    [{ permission: "ModifyAllData" }, ["--permission", "ModifyAllData"]],
    [{ object: "Account", access: "modifyall" }, ["--object", "Account", "--access", "modifyall"]],
  ];
  for (const [query, args] of queries) {
    test(`parity with silt access ${args.join(" ") || "(summary)"}`, (t) => {
      if (skipReason) return t.skip(skipReason);
      const wasm = access(files(example), query);
      assert.deepEqual(wasm, nativeAccess(args));
    });
  }

  test("npx silt access prints the native CLI's bytes", (t) => {
    if (skipReason) return t.skip(skipReason);
    for (const args of [["access"], ["access", "--format", "json", "--user", "int-sync@acme.example"], ["access", "--format", "markdown", "--permission", "ModifyAllData"]]) {
      const n = spawnSync(native, args, { cwd: example, env: { ...process.env, NO_COLOR: "1" } });
      const j = runNode(args, { cwd: example });
      assert.equal(j.code, n.status, `${args.join(" ")}: ${j.stderr}`);
      assert.equal(j.stdout.toString(), n.stdout.toString(), args.join(" "));
    }
  });

  test("a muted ModifyAllData is marked with its muting set; the direct one is not", () => {
    const r = access(files(example), { permission: "ModifyAllData" });
    assert.equal(r.version, 1);
    const erp = r.users.find((u) => u.username === "int-erp@acme.example");
    assert.ok(erp.grants.every((g) => g.muted && g.mutedBy.name === "Erp_Sync_Muted"));
    assert.deepEqual(erp.grants[0].via.map((h) => h.kind), ["PermissionSetGroup", "PermissionSet"]);
    const sync = r.users.find((u) => u.username === "int-sync@acme.example");
    assert.deepEqual(sync.grants.map((g) => [g.muted, g.via[0].name, g.assignedAt.line]), [[false, "Ledger_Core", 3]]);
  });

  test("the incremental Linter answers from the files it keeps; bad queries throw", () => {
    const linter = new Linter({});
    for (const f of files(example)) linter.update(f.path, f.contents);
    assert.deepEqual(linter.access({}), access(files(example), {}));
    assert.throws(() => access([], { object: "Account", access: "write" }), /unknown access `write`/);
    assert.throws(() => access([], { usr: "x" }), /unknown option `usr`/);
    linter.free();
  });

  test("streaming: takeReport is the report of the files given to update, then forgets them", () => {
    const linter = new Linter({});
    const all = files(example);
    // Given in reverse order: the report is the same whatever the order files come in.
    for (const f of [...all].reverse()) linter.update(f.path, f.contents);
    const whole = linter.lint(all);
    assert.deepEqual(linter.report(), whole);
    assert.deepEqual(linter.takeReport(), whole);
    assert.equal(linter.report().summary.files, 0, "nothing kept after takeReport");
    assert.throws(() => linter.takeReport({ format: "yaml" }), /unknown format `yaml`/);
    linter.free();
  });

  test("reportText is lintText of the kept files, in every format but human (no code frames)", () => {
    const linter = new Linter({});
    const all = files(example);
    for (const f of all) linter.update(f.path, f.contents);
    for (const format of ["json", "sarif", "markdown", "junit", "github"]) {
      const r = linter.reportText({ format });
      assert.deepEqual(r, linter.lintText(all, { format }), format);
      assert.ok(r.text.length > 200, format);
    }
    assert.throws(() => linter.reportText({ format: "yaml" }), /unknown format `yaml`/);
    linter.free();
  });
});
