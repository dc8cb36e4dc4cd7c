// Zip bombs in the browser: a zip that claims or inflates to far more than it holds gets a clear
// message (a parse-error for one file, or the run stopped for the whole zip), and the tab keeps working.
// Run by `npm run test` (which builds first).
import { after, before, describe, test as nodeTest } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { deflateSync } from "fflate";
import { EXAMPLE, cliReport, expectedRows, launch, openPage, renderedRows, runs, startServer, waitForRun } from "./helpers.mjs";

const test = (name, fn) => nodeTest(name, { timeout: 120_000 }, fn);
const PROFILES = "force-app/main/default/profiles";

let server;
let browser;
let tmp;

before(async () => {
  server = await startServer();
  browser = await launch();
  tmp = mkdtempSync(path.join(os.tmpdir(), "silt-web-limits-"));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function walk(dir, prefix = "") {
  const out = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(abs).isDirectory()) out.push(...walk(abs, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * A zip written by hand, so that it can lie: each entry is `{name, data, size, method?}` where `data`
 * is the stored bytes (DEFLATE when `method` is 8, the default) and `size` the inflated size it
 * declares. `count` overrides the entry count of the end record.
 */
function zip(entries, count = entries.length) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const method = e.method ?? 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(e.data));
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

const deflated = (text) => deflateSync(Buffer.from(text));
const exampleEntries = () => walk(EXAMPLE).map((rel) => {
  const bytes = readFileSync(path.join(EXAMPLE, rel));
  return { name: rel, data: deflateSync(bytes), size: bytes.length };
});

async function openZip(page, name, bytes) {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  const failures = await page.evaluate(() => Number(document.body.dataset.failures ?? 0));
  const n = await runs(page);
  await page.locator("#zip-input").setInputFiles(file);
  // A run ends either way: findings shown, or a failure.
  await page.waitForFunction(
    ([r, f]) => Number(document.body.dataset.runs ?? 0) > r || Number(document.body.dataset.failures ?? 0) > f,
    [n, failures],
    { timeout: 60_000 },
  );
  return { status: await page.locator("#status").textContent(), kind: await page.locator("#status").getAttribute("data-kind") };
}

async function exportedReport(page) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
  return JSON.parse(readFileSync(await dl.path(), "utf8"));
}

describe("zip limits", () => {
  test("a zip entry that claims gigabytes, or inflates past what it declares, is a parse-error; the rest is linted", async () => {
    const huge = `${PROFILES}/Huge.profile-meta.xml`;
    const liar = `${PROFILES}/Liar.profile-meta.xml`;
    const bytes = zip([
      ...exampleEntries(),
      // Declares 4 GB (never inflated): too large for silt.
      { name: huge, data: deflated("<Profile/>"), size: 4_000_000_000 },
      // Declares 1000 bytes, inflates to 200 MiB.
      { name: liar, data: deflateSync(new Uint8Array(200 * 2 ** 20)), size: 1000 },
    ]);
    assert.ok(bytes.length < 2 ** 20, `the bomb is small: ${bytes.length} bytes`);
    const { context, page, log } = await openPage(browser, server.url);
    try {
      const { kind } = await openZip(page, "claims.zip", bytes);
      assert.equal(kind, "ok");
      const report = await exportedReport(page);
      const message = (file) => report.diagnostics.find((d) => d.file === file && d.rule === "parse-error")?.message;
      assert.equal(
        message(huge),
        "file too large: 4000000000 bytes, over the 64 MiB limit (67108864 bytes); not read. Raise it with `max_size` in the [files] table of silt.toml or `--max-file-size`",
      );
      assert.equal(message(liar), "cannot read file: the zip entry inflates to more than the 1000 bytes it declares");
      // Every other file is linted as from the folder.
      const { json: expected } = cliReport(EXAMPLE);
      const rows = (await renderedRows(page)).filter((r) => r.file !== huge && r.file !== liar);
      assert.deepEqual(rows, expectedRows(expected));
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test("a zip inflating past the total limit, or listing too many entries, stops with a message; the tab keeps working", async () => {
    // 20 honest entries of 31 MiB each (under the per-file limit): 620 MiB together, from 600 KiB.
    const zeros = deflateSync(new Uint8Array(31 * 2 ** 20));
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `${PROFILES}/Big${i}.profile-meta.xml`, data: zeros, size: 31 * 2 ** 20 }));
    const bomb = zip(entries);
    assert.ok(bomb.length < 2 ** 20, `the bomb is small: ${bomb.length} bytes`);
    const { context, page, log } = await openPage(browser, server.url);
    try {
      let r = await openZip(page, "total.zip", bomb);
      assert.equal(r.kind, "error");
      assert.match(r.status, /^Could not check the files: the zip's files inflate to more than 512 MiB together; silt stops there/);

      // An end record claiming 100,001 entries (ZIP64 end record, as a real one would be).
      const many = zip([{ name: "a.txt", data: Buffer.from("a"), size: 1, method: 0 }], 0xffff);
      const z64 = Buffer.alloc(56 + 20);
      z64.writeUInt32LE(0x06064b50, 0);
      z64.writeUInt32LE(100_001, 32);
      z64.writeUInt32LE(0, 48);
      z64.writeUInt32LE(0x07064b50, 56);
      z64.writeUInt32LE(many.length - 22, 56 + 8);
      const withZip64 = Buffer.concat([many.subarray(0, many.length - 22), z64, many.subarray(many.length - 22)]);
      r = await openZip(page, "many.zip", withZip64);
      assert.equal(r.kind, "error");
      assert.match(r.status, /the zip lists 100,001 entries; silt reads zips of at most 100,000/);

      // The tab survives: the example project still checks as the CLI does.
      const n = await runs(page);
      await page.getByRole("button", { name: "Load example project" }).click();
      await waitForRun(page, n);
      assert.deepEqual(await renderedRows(page), expectedRows(cliReport(EXAMPLE).json));
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });
});
