// Streaming reads (crates/silt-wasm/src/stream.rs): a host with `readInto` has every file read into a
// buffer in Wasm memory (no JS buffer per file); a host without it (the browser page's) is read with
// `read`; both give the native CLI's report. `Linter.read` checks a file without the host keeping it.
import assert from "node:assert/strict";
import { test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoDir } from "../test-helpers.mjs";
import * as silt from "../index.js";
import { nodeHost } from "../lib/node-host.js";

const example = path.join(repoDir, "examples", "integration-gone-wrong").split(path.sep).join("/");
const quiet = () => nodeHost({ stdout: () => {}, stderr: () => {} });

/** Node's host counting its reads; `withReadInto: false` drops `readInto`. */
function counting(withReadInto) {
  const base = quiet();
  const calls = { read: 0, readInto: 0 };
  const host = { ...base, read: (p, max) => (calls.read++, base.read(p, max)) };
  if (withReadInto) host.readInto = (p, buf) => (calls.readInto++, base.readInto(p, buf));
  else delete host.readInto;
  return { host, calls };
}

function lintWith(host) {
  const ws = new silt.Workspace(host, { paths: [example] });
  try {
    return { report: ws.lint(host, {}), files: ws.files().length };
  } finally {
    ws.free();
  }
}

test("a host with readInto: every file is read into Wasm memory, never through read", () => {
  const into = counting(true);
  const viaRead = counting(false);
  const a = lintWith(into.host);
  const b = lintWith(viaRead.host);
  assert.ok(a.files >= 15);
  assert.ok(into.calls.readInto >= a.files, JSON.stringify(into.calls));
  // `read` is left for the configuration (silt.toml) alone.
  assert.ok(into.calls.read <= 1, JSON.stringify(into.calls));
  assert.equal(viaRead.calls.readInto, 0);
  assert.ok(viaRead.calls.read >= b.files, JSON.stringify(viaRead.calls));
  assert.deepEqual(a.report, b.report);
  assert.ok(a.report.diagnostics.length > 10);
});

test("readInto: a short read, a file that shrank, an error", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silt-stream-"));
  try {
    const file = path.join(dir, "p.profile-meta.xml");
    fs.writeFileSync(file, "<Profile/>");
    const host = quiet();
    // The file shrank between its size and its read: the bytes read, no more.
    const linter = new silt.Linter();
    const shrinking = { ...host, size: () => 1000 };
    linter.read(shrinking, "p.profile-meta.xml", file.split(path.sep).join("/"));
    assert.equal(linter.fileCount, 1);
    const r = linter.report();
    assert.ok(!r.diagnostics.some((d) => d.rule === "parse-error"), JSON.stringify(r.diagnostics));
    // A file that cannot be read: a parse-error, as in `silt lint`, and no throw.
    linter.read(host, "gone.profile-meta.xml", `${dir.split(path.sep).join("/")}/gone.profile-meta.xml`);
    const gone = linter.report().diagnostics.find((d) => d.file === "gone.profile-meta.xml");
    assert.equal(gone?.rule, "parse-error");
    // A host whose readInto throws: the error, not a trap.
    const failing = { ...host, readInto: () => { const e = new Error("boom"); e.code = "EIO"; throw e; } };
    linter.read(failing, "p.profile-meta.xml", file.split(path.sep).join("/"));
    const eio = linter.report().diagnostics.find((d) => d.file === "p.profile-meta.xml");
    assert.equal(eio?.rule, "parse-error");
    assert.match(eio.message, /Input\/output error/);
    linter.remove("gone.profile-meta.xml");
    linter.remove("p.profile-meta.xml");
    assert.equal(linter.fileCount, 0);
    linter.free();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Linter.read gives the same result as update with the file's bytes", () => {
  const host = quiet();
  const ws = new silt.Workspace(host, { paths: [example] });
  const a = ws.linter();
  const b = ws.linter();
  for (const f of ws.files()) {
    if (!("abs" in f)) continue;
    a.read(host, f.path, f.abs);
    b.update(f.path, fs.readFileSync(f.abs));
  }
  assert.equal(a.fileCount, b.fileCount);
  assert.deepEqual(a.report(), b.report());
  assert.deepEqual(a.access({}), b.access({}));
  a.free();
  b.free();
  ws.free();
});
