// Parity (tests/parity/project.mjs): the page, given the tricky project as a folder and as a zip,
// shows exactly the native CLI's findings and file count, and exports its JSON byte for byte: it
// selects the same files with the same configuration (silt's workspace layer in the worker).
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { zipSync } from "fflate";
import { spawnSync } from "node:child_process";
import { SELECTED, filesWithFindings, nativeSilt, writeCopies, writeProject } from "../../tests/parity/project.mjs";
import { handOver } from "../../packages/silt/index.js";
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

/** The page given `load`, against the CLI's `expected`; `hooks.before(page)` runs before, and
 * `hooks.after(page)` after the run, on the same page. */
async function check(load, expected, hooks = {}) {
  const { context, page, log } = await openPage(browser, server.url);
  await hooks.before?.(page);
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
    await hooks.after?.(page);
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
      // Files in folders silt never walks (node_modules, .git but its info/exclude) stay on the page,
      // and so, with no silt.toml, do files a lint cannot read (the Wasm handOver): every File handed
      // to the worker costs the page a call to the browser. A class, a component and an object field
      // are added to the folder for this.
      for (const [rel, text] of [
        ["force-app/main/default/classes/Foo.cls", "public class Foo {}\n"],
        ["force-app/main/default/classes/Foo.cls-meta.xml", "<ApexClass/>\n"],
        ["force-app/main/default/lwc/cmp/cmp.js", "export default class {}\n"],
        ["force-app/main/default/objects/Account/fields/X__c.field-meta.xml", "<CustomField/>\n"],
      ]) {
        mkdirSync(path.dirname(path.join(plain.dir, rel)), { recursive: true });
        writeFileSync(path.join(plain.dir, rel), text);
      }
      // A rule pack silt reads only when a configuration names it (not handed over at first).
      writeFileSync(path.join(plain.dir, "lp.toml"), readFileSync(new URL("../../rules/examples/least-privilege.toml", import.meta.url)));
      assert.equal(native(plain.dir).text, expected.text, "silt reads none of them");
      const config = 'custom_rules = ["lp.toml"]\n';
      writeFileSync(path.join(plain.dir, "silt.toml"), config);
      const configured = native(plain.dir);
      rmSync(path.join(plain.dir, "silt.toml"));
      assert.notEqual(configured.text, expected.text, "the rule pack finds more");
      const all = walk(plain.dir);
      const walked = all.filter((f) => !/(^|\/)(node_modules|\.sfdx|\.sf)\//.test(f) && (!/(^|\/)\.git\//.test(f) || /(^|\/)\.git\/info\/exclude$/.test(f)));
      const plan = handOver(all, false);
      const handed = Array.from(plan.files, (i) => all[i]);
      assert.ok(plan.narrowed && handed.every((f) => walked.includes(f)), `handed: ${handed}`);
      assert.ok(walked.length < all.length && handed.some((f) => f.endsWith(".git/info/exclude")), `fixture: ${all}`);
      assert.ok(!handed.some((f) => /Foo\.cls|cmp\.js|X__c/.test(f)) && handed.length < walked.length, `handed: ${handed}`);
      await check((page) => page.locator("#folder-input").setInputFiles(plain.dir), expected, {
        before: (page) =>
          page.evaluate(() => {
            window.__handedOver = [];
            const post = Worker.prototype.postMessage;
            Worker.prototype.postMessage = function (m, ...rest) {
              const files = m?.req?.files ?? m?.req?.source?.files;
              if (Array.isArray(files)) window.__handedOver.push(...files.map((f) => f.path));
              return post.call(this, m, ...rest);
            };
          }),
        after: async (page) => {
          assert.deepEqual((await page.evaluate(() => window.__handedOver)).sort(), handed.sort());
          const skipped = all.length - expected.report.summary.files;
          assert.match(await page.locator("#status").textContent(), new RegExp(`\\(${skipped} other files skipped`));
          // The configuration box names the rule pack: the whole folder is checked again with it.
          const n = await runs(page);
          await page.click("#config summary");
          await page.fill("#config-text", config);
          await page.click("#config-apply");
          await waitForRun(page, n);
          assert.deepEqual(await renderedRows(page), expectedRows(configured.report));
        },
      });
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

  describe("a folder big enough for a second worker", () => {
    let big;
    let expected;
    const choose = (page) => page.locator("#folder-input").setInputFiles(big.dir);
    before(() => {
      big = writeCopies(5);
      // A browser cannot be given a file whose name is not UTF-8.
      const meta = path.join(big.dir, "force-app/main/default/profiles");
      for (const name of readdirSync(meta, { encoding: "buffer" })) {
        if (name.includes(0xff)) rmSync(Buffer.concat([Buffer.from(`${meta}/`), name]));
      }
      // Among the files read as one (web/src/read.ts): an empty one, and one over the size limit that
      // is not read at all.
      writeFileSync(path.join(meta, "Empty.profile-meta.xml"), "");
      appendFileSync(path.join(big.dir, "silt.toml"), "[files]\nmax_size = 300000\n");
      writeFileSync(path.join(meta, "Huge.profile-meta.xml"), `<?xml version="1.0"?>\n<Profile>${" ".repeat(400_000)}</Profile>\n`);
      expected = native(big.dir);
      const parseErrors = expected.report.diagnostics.filter((d) => d.rule === "parse-error").map((d) => path.basename(d.file));
      assert.ok(["Empty.profile-meta.xml", "Huge.profile-meta.xml"].every((f) => parseErrors.includes(f)), `parse errors: ${parseErrors}`);
      assert.ok(expected.report.summary.files >= 100, `${expected.report.summary.files} files`);
    });
    after(() => big?.cleanup());

    /** The lint worker (web/src/worker.ts) of a page. */
    function lintWorker(page) {
      const w = page.workers().find((w) => /\/worker[^/]*\.js/.test(w.url()));
      assert.ok(w, `workers: ${page.workers().map((w) => w.url())}`);
      return w;
    }

    /** In the lint worker, `script` runs instead of the checker worker's (web/src/checker.ts). */
    function replaceChecker(page, script) {
      return lintWorker(page).evaluate((script) => {
        const url = URL.createObjectURL(new Blob([script], { type: "text/javascript" }));
        const Real = self.Worker;
        self.__checkers = 0;
        self.Worker = class extends Real {
          constructor(_url, options) {
            self.__checkers++;
            super(url, options);
          }
        };
      }, script);
    }

    test("the same findings, the checker worker used", { timeout: 180_000 }, async () => {
      const workers = [];
      await check(choose, expected, { before: async (page) => page.on("worker", (w) => workers.push(w.url())) });
      assert.ok(workers.some((u) => /checker/.test(u)), `workers: ${workers.join(", ")}`);
    });

    // Whatever the checker worker does not deliver, the lint worker checks itself (web/src/worker.ts).
    const broken = {
      "fails to start": `throw new Error("no checker here");`,
      "delivers nothing": `self.onmessage = () => self.postMessage({ done: true });`,
      "delivers bytes that are no result": `self.onmessage = (e) => {
        for (const f of e.data.files) self.postMessage({ path: f.path, bytes: new Uint8Array([1, 2, 3]) });
        self.postMessage({ done: true });
      };`,
    };
    for (const [what, script] of Object.entries(broken)) {
      test(`a checker worker that ${what}: the lint worker checks its share, the same findings`, { timeout: 180_000 }, async () => {
        await check(choose, expected, {
          before: (page) => replaceChecker(page, script),
          after: async (page) => assert.equal(await lintWorker(page).evaluate(() => self.__checkers), 1, "the checker worker was started"),
        });
      });
    }

    // The lint worker reads its files as one Blob through one BYOB reader (web/src/read.ts); when that
    // fails midway (a file changed since it was chosen) or the browser has no BYOB reader, it reads
    // the rest file by file. Patched in the lint worker; the checker worker delivers nothing, so the
    // lint worker reads every file.
    const patches = {
      "the joined read fails midway": () => {
        const stream = Blob.prototype.stream;
        self.__patched = 0;
        Blob.prototype.stream = function () {
          const inner = stream.call(this).getReader();
          // Small pieces, so that the failure comes while files are still being read.
          let piece = new Uint8Array(0);
          let sent = 0;
          return new ReadableStream({
            type: "bytes",
            async pull(c) {
              if (sent > 20_000) {
                self.__patched++;
                return c.error(new Error("the file changed"));
              }
              if (piece.length === 0) {
                const { done, value } = await inner.read();
                if (done) {
                  c.close();
                  return c.byobRequest?.respond(0);
                }
                piece = value;
              }
              c.enqueue(piece.slice(0, 4096));
              sent += Math.min(4096, piece.length);
              piece = piece.subarray(4096);
            },
          });
        };
      },
      "there is no BYOB reader": () => {
        const getReader = ReadableStream.prototype.getReader;
        self.__patched = 0;
        ReadableStream.prototype.getReader = function (options) {
          if (options?.mode === "byob") {
            self.__patched++;
            throw new TypeError("no BYOB readers here");
          }
          return getReader.call(this, options);
        };
      },
    };
    for (const [what, patch] of Object.entries(patches)) {
      test(`${what}: files are read one by one, the same findings`, { timeout: 180_000 }, async () => {
        await check(choose, expected, {
          before: async (page) => {
            await replaceChecker(page, broken["delivers nothing"]);
            await lintWorker(page).evaluate(patch);
          },
          after: async (page) => assert.ok((await lintWorker(page).evaluate(() => self.__patched)) > 0, "the patched path was taken"),
        });
      });
    }
  });
});
