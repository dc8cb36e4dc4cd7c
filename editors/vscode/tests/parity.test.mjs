// Parity (tests/parity/project.mjs): the language server, over real LSP JSON-RPC, publishes exactly the
// native CLI's findings on the tricky project (ignore files of every kind, a JSONC sfdx-project.json,
// hidden folders, symbolic links), so it lints the same files with the same configuration.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SELECTED, filesWithFindings, nativeReport, writeCopies, writeProject } from "../../../tests/parity/project.mjs";
import { LspClient, delay, serverPath } from "./lsp-client.mjs";

assert.ok(existsSync(serverPath), `${serverPath} is missing: run npm run build`);

const SEVERITY = { error: 1, warning: 2, note: 3 };
const position = (p) => ({ line: p.line - 1, character: p.columnUtf16 - 1 });

/** A native finding as the server must publish it. */
const expected = (d) => ({
  file: d.file,
  rule: d.rule,
  severity: SEVERITY[d.severity],
  message: d.message,
  range: { start: position(d.range.start), end: position(d.range.end) },
  fingerprint: d.fingerprint,
});

/** Everything the server published, as `expected` shapes, sorted like silt sorts. */
function published(client, files) {
  const out = [];
  for (const file of files) {
    for (const d of client.current(file)) {
      out.push({ file, rule: d.code, severity: d.severity, message: d.message, range: d.range, fingerprint: d.data?.fingerprint });
    }
  }
  return out;
}

const sortKey = (d) => JSON.stringify([d.file, d.range.start.line, d.range.start.character, d.rule, d.message]);
const sorted = (list) => [...list].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));

async function serverFindings(dir, files, want) {
  const client = new LspClient(dir);
  try {
    await client.initialize();
    // Every file with findings is published; then whatever else would come has come too.
    for (const f of files) await client.waitFor(f, (l) => l.length > 0);
    for (let i = 0; i < 100 && published(client, files).length < want; i++) await delay(20);
    await delay(200);
    const indexed = client.logs.find((l) => /^silt: indexed /.test(l));
    return { findings: published(client, files), indexed, logs: client.logs };
  } finally {
    await client.stop();
  }
}

describe("parity: the language server and the native CLI", () => {
  it("the tricky project: the same files and the same findings", async () => {
    const { dir, cleanup } = writeProject({ symlinks: true });
    try {
      const { report } = nativeReport(dir);
      assert.deepEqual(filesWithFindings(report), SELECTED, "the fixture: every selected file has a finding");
      const want = sorted(report.diagnostics.map(expected));
      const got = await serverFindings(dir, SELECTED, want.length);
      assert.deepEqual(sorted(got.findings), want);
      assert.match(got.indexed ?? "", new RegExp(`: ${report.summary.files} files,`), got.logs.join("\n"));

      // The files the server never publishes for: not linted, no findings.
      const skipped = ["ForceIgnored", "DotIgnored", "GitExcluded", "NestedIgnored", "Out", "Broken"].map(
        (n) => `force-app/main/default/profiles/${n}.profile-meta.xml`,
      );
      const client = new LspClient(dir);
      try {
        await client.initialize();
        await client.waitFor(SELECTED[0], (l) => l.length > 0);
        for (const f of skipped) assert.deepEqual(client.current(f), [], f);
        // An ignore file edited on disk: the same selection as the CLI's on the new tree.
        writeFileSync(join(dir, ".ignore"), "DotIgnored.profile-meta.xml\nLinted.profile-meta.xml\n");
        await client.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: client.uri(".ignore"), type: 2 }] });
        await client.waitFor("force-app/main/default/profiles/Linted.profile-meta.xml", (l) => l.length === 0);
        const now = nativeReport(dir).report;
        assert.ok(!filesWithFindings(now).includes("force-app/main/default/profiles/Linted.profile-meta.xml"));
        await delay(200);
        assert.deepEqual(sorted(published(client, filesWithFindings(report))), sorted(now.diagnostics.map(expected)));
        // An ignore file's unsaved text counts (the open documents lie over the disk); closed, the disk's.
        const KEPT = "force-app/main/default/profiles/NestedKept.profile-meta.xml";
        await client.open(".forceignore", "**/NestedKept.profile-meta.xml\n", "ignore");
        await client.waitFor(KEPT, (l) => l.length === 0);
        await client.close(".forceignore");
        await client.waitFor(KEPT, (l) => l.length > 0);
      } finally {
        await client.stop();
      }
    } finally {
      cleanup();
    }
  });

  it("a project big enough for worker threads: the first lint publishes the native CLI's findings", async () => {
    const { dir, cleanup } = writeCopies(5);
    try {
      const { report } = nativeReport(dir);
      assert.ok(report.summary.files >= 100, `${report.summary.files} files`);
      const files = filesWithFindings(report);
      const want = sorted(report.diagnostics.map(expected));
      const got = await serverFindings(dir, files, want.length);
      assert.deepEqual(sorted(got.findings), want);
      // The first lint read the files together, on the worker threads as far as they got to them.
      assert.ok(got.logs.some((l) => /^silt: linted .*: \d+ files in [\d.]+ ms \(Wasm [\d.]+ ms, \d+ files on worker threads\)/.test(l)), got.logs.join("\n"));
    } finally {
      cleanup();
    }
  });
});
