// The language server over real LSP JSON-RPC (stdio): spawned as `node dist/server.js --stdio` on a
// temporary copy of examples/integration-gone-wrong. Run `npm run build` first (`npm test` does).

import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fork } from "node:child_process";
import { IPCMessageReader, IPCMessageWriter, createMessageConnection } from "vscode-jsonrpc/node.js";
import { LspClient, applyEdits, delay, repo, serverPath, tempProject, uriOf } from "./lsp-client.mjs";

const PROFILE = "force-app/main/default/profiles/Integration Sync.profile-meta.xml";
const REPORTING = "force-app/main/default/profiles/Reporting API.profile-meta.xml";
const ROBOT = "force-app/main/default/profiles/Warehouse Robot.profile-meta.xml";
const SALES_ADMIN = "force-app/main/default/permissionsets/Sales_Admin_Tools.permissionset-meta.xml";
const USER_DEF = "config/integration-user-def.json";
const CLEAN_PROFILE = readFileSync(join(repo, "examples/integration-clean", PROFILE), "utf8");

const has = (rule) => (list) => list.some((d) => d.code === rule);
const lacks = (rule) => (list) => !list.some((d) => d.code === rule);
const rules = (list) => list.map((d) => d.code).sort();

assert.ok(existsSync(serverPath), `${serverPath} is missing: run npm run build`);

/** Run `fn` with a server initialized on a fresh copy of the example project. */
async function withServer(fn, { options, prepare } = {}) {
  const { dir, cleanup } = tempProject();
  if (prepare) prepare(dir);
  const client = new LspClient(dir, options ? { initializationOptions: options } : undefined);
  try {
    await client.initialize();
    await fn(client, dir);
    // Whatever the test did, the server must still be up and answering.
    const r = await client.hover(PROFILE, { line: 0, character: 0 });
    assert.ok(r === null || typeof r === "object");
  } finally {
    const exit = await client.stop();
    cleanup();
    assert.deepEqual(exit, { code: 0, signal: null }, `server exit\n${client.stderr}`);
  }
}

describe("silt language server over stdio", () => {
  it("lints the whole project at start: every file with findings is published", async () => {
    await withServer(async (c) => {
      assert.equal(c.initResult.serverInfo.name, "silt");
      // Files never opened still get their findings (the user definition, the malformed profile).
      const userDef = await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      const mismatch = userDef.find((d) => d.code === "integration-permset-license-mismatch");
      assert.deepEqual(mismatch.range, { start: { line: 5, character: 36 }, end: { line: 5, character: 53 } });
      assert.equal(mismatch.severity, 1);
      assert.equal(mismatch.source, "silt");
      assert.equal(mismatch.relatedInformation.length, 1);
      assert.match(mismatch.relatedInformation[0].location.uri, /Sales_Admin_Tools\.permissionset-meta\.xml$/);
      assert.deepEqual(mismatch.relatedInformation[0].location.range, {
        start: { line: 5, character: 13 },
        end: { line: 5, character: 23 },
      });
      assert.equal(mismatch.relatedInformation[0].message, "license of Sales_Admin_Tools");
      await c.waitFor(ROBOT, has("parse-error"));
      // Lint durations are logged (VS Code shows them in the "silt" output channel).
      for (let i = 0; i < 50 && !c.logs.some((l) => /linted .*: \d+ files in [\d.]+ ms/.test(l)); i++) await delay(20);
      assert.ok(c.logs.some((l) => /linted .*: \d+ files in [\d.]+ ms/.test(l)), c.logs.join("\n"));
    });
  });

  it("(1) opening a profile publishes its findings with the right rule, range and severity", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      const list = await c.waitFor(PROFILE, has("permission-name-typo"));
      const typo = list.find((d) => d.code === "permission-name-typo");
      // `silt lint --format json`: line 21, columns 15..26 (1-based) → LSP 20:14..20:25.
      assert.deepEqual(typo.range, { start: { line: 20, character: 14 }, end: { line: 20, character: 25 } });
      assert.equal(typo.severity, 1); // error
      assert.equal(typo.source, "silt");
      assert.match(typo.message, /ApiUserOnly/);
      const excessive = list.find((d) => d.code === "integration-excessive-permission" && d.range.start.line === 9);
      assert.deepEqual(excessive.range, { start: { line: 9, character: 26 }, end: { line: 9, character: 30 } });
      assert.equal(excessive.severity, 2); // warning
      const ipNote = list.find((d) => d.code === "integration-profile-no-ip-restriction");
      assert.equal(ipNote.severity, 3); // note → Information
    });
  });

  it("(2) changing the profile to a fixed one clears its diagnostics", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      await c.waitFor(PROFILE, has("permission-name-typo"));
      await c.change(PROFILE, CLEAN_PROFILE);
      const list = await c.waitFor(PROFILE, (l) => l.length === 0);
      assert.deepEqual(list, []);
      // Back to the broken text: the findings come back.
      await c.change(PROFILE, readFileSync(c.abs(PROFILE), "utf8"));
      await c.waitFor(PROFILE, has("permission-name-typo"));
    });
  });

  it("(3) the core's fix is offered as a quick fix; applying it removes the finding", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      const list = await c.waitFor(PROFILE, has("permission-name-typo"));
      const typo = list.find((d) => d.code === "permission-name-typo");
      const actions = await c.codeActions(PROFILE, typo.range, [typo]);
      const fix = actions.find((a) => a.isPreferred && /rename to `ApiUserOnly`/.test(a.title));
      assert.ok(fix, JSON.stringify(actions, null, 1));
      assert.equal(fix.kind, "quickfix");
      assert.deepEqual(fix.diagnostics.map((d) => d.code), ["permission-name-typo"]);
      const edits = fix.edit.changes[c.uri(PROFILE)];
      assert.deepEqual(edits, [
        { range: { start: { line: 20, character: 14 }, end: { line: 20, character: 25 } }, newText: "ApiUserOnly" },
      ]);
      const fixed = applyEdits(c.text(PROFILE), edits);
      assert.match(fixed, /<name>ApiUserOnly<\/name>/);
      await c.edit(PROFILE, edits);
      const after = await c.waitFor(PROFILE, lacks("permission-name-typo"));
      assert.ok(after.length > 0, "the profile's other findings stay");

      // integration-profile-not-api-only (ApiEnabled false): its fix enables it.
      const api = after.find((d) => d.code === "integration-profile-not-api-only" && d.range.start.line === 15);
      assert.ok(api, JSON.stringify(after));
      const apiActions = await c.codeActions(PROFILE, api.range, [api]);
      const apiFix = apiActions.find((a) => a.isPreferred);
      assert.ok(apiFix, JSON.stringify(apiActions));
      await c.edit(PROFILE, apiFix.edit.changes[c.uri(PROFILE)]);
      assert.match(c.text(PROFILE), /<enabled>true<\/enabled>\s*<name>ApiEnabled<\/name>/);
      await c.waitFor(PROFILE, (l) => !l.some((d) => d.code === "integration-profile-not-api-only" && d.range.start.line === 15));
    });
  });

  it("(4) cross-file: a permission set's license change updates the user definition that assigns it", async () => {
    await withServer(async (c) => {
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      await c.open(SALES_ADMIN);
      const original = c.text(SALES_ADMIN);
      assert.match(original, /<license>Salesforce<\/license>/);
      await c.change(SALES_ADMIN, original.replace("<license>Salesforce</license>", "<license>SalesforceAPIIntegrationPsl</license>"));
      // The user definition is not open: its diagnostics are republished because its findings changed.
      const after = await c.waitFor(USER_DEF, lacks("integration-permset-license-mismatch"));
      assert.ok(after.some((d) => d.code === "integration-user-missing-psl"));
      await c.change(SALES_ADMIN, original);
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      // Closing the editor falls back to the disk contents (unchanged): still there.
      await c.close(SALES_ADMIN);
      await delay(100);
      assert.ok(has("integration-permset-license-mismatch")(c.current(USER_DEF)));
    });
  });

  it("(5) a malformed file gets a parse-error and the server keeps answering", async () => {
    await withServer(async (c) => {
      await c.open(REPORTING);
      await c.waitFor(REPORTING, has("integration-license-candidate"));
      const broken = '<?xml version="1.0" encoding="UTF-8"?>\n<Profile xmlns="http://soap.sforce.com/2006/04/metadata">\n    <userPermissions>\n        <enabled>true</enabled\n</Profile>\n';
      await c.change(REPORTING, broken);
      const list = await c.waitFor(REPORTING, has("parse-error"));
      const pe = list.find((d) => d.code === "parse-error");
      assert.equal(pe.severity, 1);
      assert.ok(pe.range.start.line >= 1, JSON.stringify(pe.range));
      // Garbage in every shape: the server answers and stays up.
      await c.change(REPORTING, "\u0000\u0001<<<>>>&&&\uFFFF");
      await c.waitFor(REPORTING, (l) => l.some((d) => d.code === "parse-error") && l.length >= 1);
      await c.change(REPORTING, "");
      await c.waitFor(REPORTING, has("parse-error"));
      const hover = await c.hover(REPORTING, { line: 0, character: 0 });
      assert.ok(hover === null || typeof hover === "object");
      const none = await c.codeActions("does/not/exist.xml", { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
      assert.deepEqual(none, []);
      await c.change(REPORTING, readFileSync(c.abs(REPORTING), "utf8"));
      await c.waitFor(REPORTING, lacks("parse-error"));
      // The malformed file on disk, never opened, has its parse-error too.
      await c.waitFor(ROBOT, has("parse-error"));
    });
  });

  it("(6) hover over a finding shows the rule's documentation", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      await c.waitFor(PROFILE, has("permission-name-typo"));
      const hover = await c.hover(PROFILE, { line: 20, character: 18 });
      assert.equal(hover.contents.kind, "markdown");
      assert.match(hover.contents.value, /^# /m);
      assert.match(hover.contents.value, /# permission-name-typo/);
      assert.match(hover.contents.value, /## Why/);
      assert.deepEqual(hover.range.start, { line: 20, character: 14 });
      // Outside every finding: nothing.
      assert.equal(await c.hover(PROFILE, { line: 2, character: 6 }), null);
    });
  });

  it("(6b) hover shows effective access: who a user permission reaches, muted or not; a user's dangerous permissions", async () => {
    await withServer(async (c) => {
      const ERP_CORE = "force-app/main/default/permissionsets/Erp_Core.permissionset-meta.xml";
      const LEDGER_CORE = "force-app/main/default/permissionsets/Ledger_Core.permissionset-meta.xml";
      await c.waitFor(LEDGER_CORE, has("integration-excessive-permission"));
      // Line 17: `        <name>ModifyAllData</name>` (0-based 16).
      const erp = await c.hover(ERP_CORE, { line: 16, character: 20 });
      assert.equal(erp.contents.kind, "markdown");
      assert.match(erp.contents.value, /silt access: `ModifyAllData`\*\*, reached through this file/);
      assert.match(erp.contents.value, /- `int-erp@acme\.example`: muted by `Erp\\_Sync\\_Muted` \(through group `Erp\\_Sync`\)/);
      assert.deepEqual(erp.range, { start: { line: 16, character: 14 }, end: { line: 16, character: 27 } });
      const ledger = await c.hover(LEDGER_CORE, { line: 16, character: 15 });
      assert.match(ledger.contents.value, /- `int-sync@acme\.example`: directly/);
      assert.match(ledger.contents.value, /- `int-erp@acme\.example`: muted by/);
      // The finding on the same element follows the access answer.
      assert.match(ledger.contents.value, /# integration-excessive-permission/);
      // A username in user data (data/users.csv line 3 is int-erp, line 2 int-sync).
      const erpUser = await c.hover("data/users.csv", { line: 2, character: 5 });
      assert.match(erpUser.contents.value, /`int-erp@acme\.example`\*\* \(integration user\), dangerous effective permissions/);
      assert.match(erpUser.contents.value, /- muted: `ModifyAllData` by `Erp\\_Sync\\_Muted`/);
      assert.doesNotMatch(erpUser.contents.value, /tier 0/);
      const syncUser = await c.hover("data/users.csv", { line: 1, character: 3 });
      assert.match(syncUser.contents.value, /- tier 0: .*`ModifyAllData`/);
      // Not a name or a username: no access answer.
      assert.equal(await c.hover(ERP_CORE, { line: 0, character: 2 }), null);
    });
  });

  it("(7) the suppress action inserts a silt-ignore comment that silences the finding", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      const list = await c.waitFor(PROFILE, has("integration-excessive-permission"));
      const target = list.find((d) => d.code === "integration-excessive-permission" && d.range.start.line === 9);
      const actions = await c.codeActions(PROFILE, target.range, [target]);
      const suppress = actions.find((a) => a.title === "Suppress integration-excessive-permission with a comment");
      assert.ok(suppress, JSON.stringify(actions.map((a) => a.title)));
      const edits = suppress.edit.changes[c.uri(PROFILE)];
      assert.deepEqual(edits, [
        {
          range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } },
          newText: "        <!-- silt-ignore integration-excessive-permission: reason -->\n",
        },
      ]);
      const text = await c.edit(PROFILE, edits);
      assert.equal(text.split("\n")[10].trim(), "<modifyAllRecords>true</modifyAllRecords>");
      const after = await c.waitFor(
        PROFILE,
        (l) => !l.some((d) => d.code === "integration-excessive-permission" && d.range.start.line === 10),
      );
      // The comment is used and has a reason: no new findings about it.
      assert.ok(!after.some((d) => d.code === "unused-suppression" && d.range.start.line === 9), JSON.stringify(after));
      assert.ok(!after.some((d) => d.code === "suppression-missing-reason" && d.range.start.line === 9));
      // The other excessive-permission finding (ViewSetup, further down) is still there.
      assert.ok(after.some((d) => d.code === "integration-excessive-permission"));
      // No suppress action in JSON files.
      const userDef = await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      const m = userDef.find((d) => d.code === "integration-permset-license-mismatch");
      const jsonActions = await c.codeActions(USER_DEF, m.range, [m]);
      assert.ok(!jsonActions.some((a) => a.title.startsWith("Suppress")));
    });
  });

  it("settings: severityThreshold hides findings below it", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      await c.waitFor(PROFILE, has("integration-profile-no-ip-restriction"));
      await c.configure({ enable: true, severityThreshold: "error", configPath: "" });
      const errorsOnly = await c.waitFor(PROFILE, lacks("integration-profile-no-ip-restriction"));
      assert.ok(errorsOnly.length > 0 && errorsOnly.every((d) => d.severity === 1), JSON.stringify(errorsOnly));
      await c.configure({ enable: false, severityThreshold: "error", configPath: "" });
      await c.waitFor(PROFILE, (l) => l.length === 0);
      await c.waitFor(USER_DEF, (l) => l.length === 0);
      await c.configure({ enable: true, severityThreshold: "note", configPath: "" });
      await c.waitFor(PROFILE, has("integration-profile-no-ip-restriction"));
    });
  });

  it("settings pulled with workspace/configuration apply from the start", async () => {
    const { dir, cleanup } = tempProject();
    const c = new LspClient(dir, { configuration: { enable: true, severityThreshold: "warning", configPath: "" } });
    try {
      await c.initialize();
      const list = await c.waitFor(PROFILE, has("permission-name-typo"));
      assert.ok(list.every((d) => d.severity <= 2), JSON.stringify(list.map((d) => [d.code, d.severity])));
      // A configPath setting: a silt.toml elsewhere, relative to the workspace folder.
      mkdirSync(join(dir, "settings"));
      writeFileSync(join(dir, "settings", "strict.toml"), '[rules]\npermission-name-typo = "off"\n');
      c.configuration = { enable: true, severityThreshold: "warning", configPath: "settings/strict.toml" };
      await c.conn.sendNotification("workspace/didChangeConfiguration", { settings: null });
      await c.waitFor(PROFILE, lacks("permission-name-typo"));
    } finally {
      await c.stop();
      cleanup();
    }
  });

  it("silt.toml: changes on disk and in an editor re-lint; a broken one is reported on the file", async () => {
    await withServer(async (c) => {
      await c.open(PROFILE);
      await c.waitFor(PROFILE, has("permission-name-typo"));
      await c.writeDisk("silt.toml", '[rules]\npermission-name-typo = "off"\n', 1);
      await c.waitFor(PROFILE, lacks("permission-name-typo"));
      // Open in an editor: its unsaved text counts.
      await c.open("silt.toml", readFileSync(c.abs("silt.toml"), "utf8"), "toml");
      await c.change("silt.toml", '[rules]\npermission-name-typo = "warning"\n');
      const warned = await c.waitFor(PROFILE, has("permission-name-typo"));
      assert.equal(warned.find((d) => d.code === "permission-name-typo").severity, 2);
      // Broken: a config-error on silt.toml at the position silt names; linting goes on with defaults.
      await c.change("silt.toml", '[rules]\npermision-name-typo = "off"\n');
      const problems = await c.waitFor("silt.toml", has("config-error"));
      assert.equal(problems[0].range.start.line, 1);
      assert.match(problems[0].message, /unknown rule `permision-name-typo`.*did you mean `permission-name-typo`/);
      const back = await c.waitFor(PROFILE, has("permission-name-typo"));
      assert.equal(back.find((d) => d.code === "permission-name-typo").severity, 1);
      await c.change("silt.toml", "");
      await c.waitFor("silt.toml", (l) => l.length === 0);
    });
  });

  it("silt.toml custom_rules: custom rule files are read and their findings and docs shown", async () => {
    await withServer(
      async (c) => {
        const list = await c.waitFor(PROFILE, has("manage-users-non-admin"));
        const custom = list.find((d) => d.code === "manage-users-non-admin");
        const hover = await c.hover(PROFILE, custom.range.start);
        assert.match(hover.contents.value, /manage-users-non-admin/);
        // Editing the rule file on disk re-reads it.
        const rulesFile = readFileSync(c.abs("rules/least-privilege.toml"), "utf8");
        await c.writeDisk("rules/least-privilege.toml", rulesFile.replace('"ManageUsers", "ViewSetup"', '"ManageUsers"'));
        await c.waitFor(PROFILE, lacks("manage-users-non-admin"));
      },
      {
        prepare: (dir) => {
          mkdirSync(join(dir, "rules"));
          copyFileSync(join(repo, "rules/examples/least-privilege.toml"), join(dir, "rules/least-privilege.toml"));
          writeFileSync(join(dir, "silt.toml"), 'custom_rules = ["rules/least-privilege.toml"]\n');
        },
      },
    );
  });

  it("disk changes (didChangeWatchedFiles) are re-read; .forceignore is honoured", async () => {
    await withServer(async (c) => {
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      const original = readFileSync(c.abs(SALES_ADMIN), "utf8");
      await c.writeDisk(SALES_ADMIN, original.replace("<license>Salesforce</license>", "<license>SalesforceAPIIntegrationPsl</license>"));
      await c.waitFor(USER_DEF, lacks("integration-permset-license-mismatch"));
      // Deleted: the assignment now names an unknown permission set; the mismatch stays gone.
      await c.writeDisk(SALES_ADMIN, original);
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      // .forceignore: the malformed profile is no longer linted, its findings are cleared.
      await c.waitFor(ROBOT, has("parse-error"));
      await c.writeDisk(".forceignore", "**/Warehouse Robot.profile-meta.xml\n", 1);
      await c.waitFor(ROBOT, (l) => l.length === 0);
    });
  });

  it("new unsaved files in the project and metadata files outside any project are linted while open", async () => {
    await withServer(async (c, dir) => {
      // A permission set that exists only in the editor: linted with the project.
      const NEW = "force-app/main/default/permissionsets/Draft.permissionset-meta.xml";
      const INTEGRATION_SYNC = "force-app/main/default/permissionsets/Integration_Sync.permissionset-meta.xml";
      const text = readFileSync(c.abs(INTEGRATION_SYNC), "utf8").replace("<label>Integration Sync</label>", "<label>Draft</label>");
      await c.open(NEW, text);
      await c.waitFor(NEW, has("integration-license-name"));
      await c.close(NEW);
      await c.waitFor(NEW, (l) => l.length === 0);
      // A folder without sfdx-project.json as the workspace, and a profile outside it.
      const outside = tempProject(null);
      try {
        mkdirSync(join(outside.dir, "ws"));
        mkdirSync(join(outside.dir, "elsewhere"));
        writeFileSync(join(outside.dir, "ws", "junk.json"), '{"not": "org data"}');
        writeFileSync(join(outside.dir, "ws", "Ops.profile-meta.xml"), readFileSync(c.abs(PROFILE), "utf8"));
        writeFileSync(join(outside.dir, "elsewhere", "Loose.profile-meta.xml"), readFileSync(c.abs(PROFILE), "utf8"));
        const ws = new LspClient(join(outside.dir, "ws"));
        try {
          await ws.initialize();
          // A plain folder: the files `silt lint ws` reads (the metadata and the JSON data).
          await ws.waitFor("Ops.profile-meta.xml", has("permission-name-typo"));
          for (let i = 0; i < 50 && !ws.logs.some((l) => l.includes("indexed")); i++) await delay(20);
          assert.ok(ws.logs.some((l) => /indexed .*ws: 2 files/.test(l)), ws.logs.join("\n"));
          const LOOSE = "../elsewhere/Loose.profile-meta.xml";
          await ws.open(LOOSE);
          await ws.waitFor(LOOSE, has("permission-name-typo"));
          await ws.close(LOOSE);
          await ws.waitFor(LOOSE, (l) => l.length === 0);
        } finally {
          await ws.stop();
        }
      } finally {
        outside.cleanup();
      }
      assert.ok(dir);
    });
  });

  it("with an incremental Wasm API (update/read/remove/report), only changed files are sent again", async () => {
    const { dir, cleanup } = tempProject();
    const callLog = join(dir, "..", `${dir.split("/").pop()}-calls.log`);
    writeFileSync(callLog, "");
    const c = new LspClient(dir, {
      env: {
        SILT_WASM_JS: join(repo, "editors/vscode/tests/fixtures/incremental-silt.cjs"),
        SILT_REAL_WASM_JS: join(repo, "editors/vscode/dist/silt/silt.js"),
        SILT_CALL_LOG: callLog,
      },
    });
    try {
      await c.initialize();
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      const first = readFileSync(callLog, "utf8").split("\n").filter(Boolean);
      // Closed files are read by the linter itself (into Wasm memory), never handed in as text.
      assert.ok(first.filter((l) => l.startsWith("read ")).length >= 15, first.join("\n"));
      assert.ok(!first.some((l) => l.startsWith("update ")), first.join("\n"));
      assert.ok(!first.includes("lint"), "the one-shot lint is not used");
      // Opening a document lints once (didOpen and its content event come together; with the debounce
      // of 0 the second once scheduled a lint of its own). With that debounce the server answers a
      // request only after the lints scheduled before it, each logged.
      const lints = () => c.logs.filter((l) => l.startsWith("silt: linted ")).length;
      await c.conn.sendRequest("silt/status");
      const before = lints();
      await c.open(SALES_ADMIN);
      const original = c.text(SALES_ADMIN);
      while (lints() === before) await new Promise((r) => setTimeout(r, 5));
      await c.conn.sendRequest("silt/status");
      assert.equal(lints(), before + 1, c.logs.join("\n"));
      writeFileSync(callLog, "");
      await c.change(SALES_ADMIN, original.replace("<license>Salesforce</license>", "<license>SalesforceAPIIntegrationPsl</license>"));
      await c.waitFor(USER_DEF, lacks("integration-permset-license-mismatch"));
      const calls = readFileSync(callLog, "utf8").split("\n").filter(Boolean);
      assert.deepEqual(calls, [`update ${SALES_ADMIN}`, "report"]);
      // A file deleted on disk is removed from the linter.
      writeFileSync(callLog, "");
      rmSync(c.abs(ROBOT));
      await c.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: c.uri(ROBOT), type: 3 }] });
      await c.waitFor(ROBOT, (l) => l.length === 0);
      const removed = readFileSync(callLog, "utf8").split("\n").filter(Boolean);
      assert.ok(removed.includes(`remove ${ROBOT}`), removed.join("\n"));
      assert.ok(!removed.some((l) => l.startsWith("update ") || l.startsWith("read ")), removed.join("\n"));
      // Closing the edited document: that file is read again from disk, and only that one.
      writeFileSync(callLog, "");
      await c.close(SALES_ADMIN);
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      const closed = readFileSync(callLog, "utf8").split("\n").filter(Boolean);
      assert.deepEqual([...new Set(closed)], [`read ${SALES_ADMIN}`, "report"]);
    } finally {
      await c.stop();
      cleanup();
      rmSync(callLog, { force: true });
    }
  });

  it("keeps the text of open documents only; a closed file changed on disk is read again", async () => {
    await withServer(async (c) => {
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      const status = () => c.conn.sendRequest("silt/status");
      const start = await status();
      assert.equal(start.projects.length, 1);
      assert.ok(start.projects[0].selected >= 15, JSON.stringify(start));
      // Every selected file is linted, yet no file's text is held.
      assert.equal(start.projects[0].linted, start.projects[0].selected);
      assert.deepEqual(start.texts, []);
      assert.equal(start.textBytes, 0);

      await c.open(SALES_ADMIN);
      await c.nextPublish(SALES_ADMIN);
      const open = await status();
      assert.deepEqual(open.texts, [c.uri(SALES_ADMIN)]);
      assert.equal(open.textBytes, Buffer.byteLength(c.text(SALES_ADMIN)));

      await c.close(SALES_ADMIN);
      for (let i = 0; i < 50 && (await status()).texts.length > 0; i++) await delay(20);
      const closed = await status();
      assert.deepEqual(closed.texts, []);
      assert.equal(closed.textBytes, 0);
      assert.equal(closed.projects[0].linted, start.projects[0].selected);

      // Changed on disk while closed: the server reads it again (it kept no copy to lint instead).
      const disk = readFileSync(c.abs(SALES_ADMIN), "utf8");
      await c.writeDisk(SALES_ADMIN, disk.replace("<license>Salesforce</license>", "<license>SalesforceAPIIntegrationPsl</license>"));
      await c.waitFor(USER_DEF, lacks("integration-permset-license-mismatch"));
      await c.writeDisk(SALES_ADMIN, disk);
      await c.waitFor(USER_DEF, has("integration-permset-license-mismatch"));
      assert.deepEqual((await status()).texts, []);
    });
  });

  it("speaks LSP over Node IPC too (the transport VS Code uses)", async () => {
    const { dir, cleanup } = tempProject();
    const child = fork(serverPath, ["--node-ipc"], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Map();
      conn.onNotification("textDocument/publishDiagnostics", (p) => published.set(p.uri, p.diagnostics));
      conn.onRequest("client/registerCapability", () => null);
      conn.listen();
      const rootUri = uriOf(dir);
      const init = await conn.sendRequest("initialize", {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: "ipc" }],
        capabilities: {},
        initializationOptions: { debounceMs: 0 },
      });
      assert.equal(init.serverInfo.name, "silt");
      await conn.sendNotification("initialized", {});
      const userDef = uriOf(join(dir, USER_DEF));
      for (let i = 0; i < 200 && !published.has(userDef); i++) await delay(25);
      assert.ok(published.get(userDef)?.some((d) => d.code === "integration-permset-license-mismatch"));
      await conn.sendRequest("shutdown");
      await conn.sendNotification("exit");
    } finally {
      conn.dispose();
      child.kill();
      cleanup();
    }
  });
});
