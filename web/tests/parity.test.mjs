// Parity (tests/parity/project.mjs): the page, given the tricky project as a folder and as a zip,
// shows exactly the native CLI's findings and file count, and exports its JSON byte for byte: it
// selects the same files with the same configuration (silt's workspace layer in the worker).
import assert from "node:assert/strict";
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { zipSync } from "fflate";
import { spawnSync } from "node:child_process";
import { SELECTED, filesWithFindings, nativeSilt, writeCopies, writeProject } from "../../tests/parity/project.mjs";
import { expectedRows, launch, openPage, renderedCounts, renderedRows, runs, startServer, waitForRun } from "./helpers.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** `silt lint --format json --fail-on never` in `dir`: the text and the parsed report. */
function native(dir) {
  const r = spawnSync(nativeSilt(), ["lint", "--format", "json", "--fail-on", "never"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return { text: r.stdout, report: JSON.parse(r.stdout) };
}

function walk(dir, prefix = "") {
  const out = [];
  for (const name of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path.join(dir, name)).isDirectory()) out.push(...walk(path.join(dir, name), rel));
    else out.push(rel);
  }
  return out;
}

async function check(load, expected, onPage = () => {}) {
  const { context, page, log } = await openPage(browser, server.url);
  onPage(page);
  try {
    const n = await runs(page);
    await load(page);
    await waitForRun(page, n);
    assert.deepEqual(await renderedRows(page), expectedRows(expected.report));
    const s = expected.report.summary;
    assert.deepEqual(await renderedCounts(page), { error: s.errors, warning: s.warnings, note: s.notes });
    assert.equal(Number(await page.locator("#counts [data-count=files]").getAttribute("data-value")), s.files);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
    assert.equal(readFileSync(await download.path(), "utf8"), expected.text, "the JSON export is the CLI's, byte for byte");
    assert.deepEqual(log.errors, []);
  } finally {
    await context.close();
  }
}

describe("parity: the page and the native CLI", () => {
  test("the tricky project, as a folder and as a zip: the same files and the same findings", { timeout: 180_000 }, async () => {
    // The page cannot be given symbolic links: the CLI's answer on the tree with links is the same
    // (it skips them all), which this checks too.
    const linked = writeProject({ symlinks: true });
    const plain = writeProject({ symlinks: false });
    try {
      const expected = native(plain.dir);
      assert.equal(native(linked.dir).text, expected.text, "links change nothing");
      assert.deepEqual(filesWithFindings(expected.report), SELECTED, "the fixture: every selected file has a finding");
      await check((page) => page.locator("#folder-input").setInputFiles(plain.dir), expected);
      const entries = {};
      for (const rel of walk(plain.dir)) entries[`tricky/${rel}`] = readFileSync(path.join(plain.dir, rel));
      const zip = path.join(path.dirname(plain.dir), "tricky.zip");
      writeFileSync(zip, zipSync(entries));
      await check((page) => page.locator("#zip-input").setInputFiles(zip), expected);
    } finally {
      linked.cleanup();
      plain.cleanup();
    }
  });

  test("a folder big enough for a second worker: the same findings, the checker worker used", { timeout: 180_000 }, async () => {
    const big = writeCopies(5);
    try {
      // A browser cannot be given a file whose name is not UTF-8.
      const meta = path.join(big.dir, "force-app/main/default/profiles");
      for (const name of readdirSync(meta, { encoding: "buffer" })) {
        if (name.includes(0xff)) rmSync(Buffer.concat([Buffer.from(`${meta}/`), name]));
      }
      const expected = native(big.dir);
      assert.ok(expected.report.summary.files >= 100, `${expected.report.summary.files} files`);
      const workers = [];
      await check((page) => page.locator("#folder-input").setInputFiles(big.dir), expected, (page) => page.on("worker", (w) => workers.push(w.url())));
      assert.ok(workers.some((u) => /checker/.test(u)), `workers: ${workers.join(", ")}`);
    } finally {
      big.cleanup();
    }
  });
});
