// End-to-end tests of the built site (web/dist) in headless Chromium, against the native CLI's
// answers on the same files. Run by `npm run test` (which builds first).
import { after, before, describe, test as nodeTest } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import {
  CORPORA,
  DIST,
  EXAMPLE,
  REPO,
  artifactsDir,
  buildCli,
  cliReport,
  expectedRows,
  launch,
  openPage,
  renderedCards,
  renderedCounts,
  renderedRows,
  runs,
  startServer,
  waitForRun,
} from "./helpers.mjs";

/** Every test gets two minutes. */
const test = (name, fn) => nodeTest(name, { timeout: 120_000 }, fn);

let server;
let browser;
let tmp;

before(
  async () => {
    buildCli();
  },
  { timeout: 900_000 },
);

before(async () => {
  server = await startServer();
  browser = await launch();
  tmp = mkdtempSync(path.join(os.tmpdir(), "silt-web-test-"));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function licenseCards(report) {
  const l = report.summary.license;
  return {
    "integration-users": l.activeIntegrationUsers,
    "free-seats": l.freeSeats ?? null,
    "add-on-seats": l.addOnSeatsNeeded,
    "monthly-cost": l.monthlyCost,
  };
}

function severityCounts(report) {
  const s = report.summary;
  return { error: s.errors, warning: s.warnings, note: s.notes };
}

async function loadExample(page) {
  const n = await runs(page);
  await page.getByRole("button", { name: "Load example project" }).click();
  await waitForRun(page, n);
}

/** Every file below `dir`, relative paths with forward slashes. */
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

describe("silt web", () => {
  test("the built page carries the strict Content-Security-Policy", () => {
    const html = readFileSync(path.join(DIST, "index.html"), "utf8");
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    assert.ok(m, "CSP meta tag present");
    assert.equal(
      m[1],
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline scripts");
    assert.doesNotMatch(html, /<style|style="/, "no inline styles");
    assert.doesNotMatch(html, /\b(?:src|href|action|content)="(?:https?:)?\/\//, "nothing loaded from another origin");
    assert.ok(readdirSync(path.join(DIST, "assets")).some((f) => f.endsWith(".wasm")), "the wasm binary is a separate asset");
  });

  test("(1) Load example project: the findings and license cards equal the native CLI's", async () => {
    const { json: expected } = cliReport(EXAMPLE);
    const { context, page, log } = await openPage(browser, server.url);
    try {
      await loadExample(page);
      assert.deepEqual(await renderedRows(page), expectedRows(expected));
      assert.deepEqual(await renderedCounts(page), severityCounts(expected));
      assert.deepEqual(await renderedCards(page), licenseCards(expected));
      const count = await page.locator("#counts [data-count=files]").getAttribute("data-value");
      assert.equal(Number(count), expected.summary.files);
      assert.deepEqual(log.errors, []);
      assert.deepEqual(log.console, []);
    } finally {
      await context.close();
    }
  });

  test("(1b) the Access view lists each integration user, what they hold, and chains that open the source at the line", async () => {
    const { context, page, log } = await openPage(browser, server.url);
    try {
      await loadExample(page);
      await page.locator("#show-access").click();
      const users = page.locator("#access-users article.access-user");
      await users.first().waitFor();
      // The same integration users as `silt access --format json` (summary).
      const names = await users.evaluateAll((xs) => xs.map((x) => x.dataset.user));
      assert.ok(names.includes("int-svc@acme.example") && names.includes("int-erp@acme.example"), names.join(", "));
      const svc = page.locator('article.access-user[data-user="int-svc@acme.example"]');
      assert.match(await svc.innerText(), /tier 0: ModifyAllData, ViewAllData/);
      // int-erp's ModifyAllData is muted by the group's muting set: nothing dangerous listed.
      const erp = page.locator('article.access-user[data-user="int-erp@acme.example"]');
      assert.match(await erp.innerText(), /no admin-level user permission/);
      // Expand a grant of int-sync (assigned Ledger_Core directly) and open its permission set at the line.
      const sync = page.locator('article.access-user[data-user="int-sync@acme.example"]');
      const grant = sync.locator("details.grant", { hasText: "ModifyAllData" }).first();
      await grant.locator("summary").click();
      await grant.locator('button[data-file$="Ledger_Core.permissionset-meta.xml"]').click();
      await page.locator("#access-source .line.hl").first().waitFor();
      assert.equal(await page.locator("#access-source .line.hl").first().getAttribute("data-line"), "17");
      assert.match(await page.locator("#access-source-title").innerText(), /Ledger_Core\.permissionset-meta\.xml:17$/);
      assert.match(await page.locator("#access-source .line.hl").first().innerText(), /ModifyAllData/);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  /** Upload `dir` with the folder input and compare everything with the CLI on it. */
  async function assertFolderMatchesCli(dir) {
    const { json: expected } = cliReport(dir);
    const { context, page, log } = await openPage(browser, server.url);
    try {
      const n = await runs(page);
      await page.locator("#folder-input").setInputFiles(dir);
      await waitForRun(page, n);
      assert.deepEqual(await renderedRows(page), expectedRows(expected), `findings on ${dir}`);
      assert.deepEqual(await renderedCounts(page), severityCounts(expected));
      assert.deepEqual(await renderedCards(page), licenseCards(expected));
      const files = await page.locator("#counts [data-count=files]").getAttribute("data-value");
      assert.equal(Number(files), expected.summary.files, `files linted in ${dir}`);
      assert.deepEqual(log.errors, []);
      return expected;
    } finally {
      await context.close();
    }
  }

  test("(2) uploading a folder of real metadata (sf-dahlia, npsp) gives the native CLI's findings", async (t) => {
    const dirs = ["sf-dahlia", "npsp"].map((d) => path.join(CORPORA, d)).filter((d) => existsSync(d));
    if (!existsSync(path.join(CORPORA, "sf-dahlia"))) {
      t.skip(`${CORPORA}/sf-dahlia is absent`);
      return;
    }
    for (const dir of dirs) {
      const expected = await assertFolderMatchesCli(dir);
      assert.ok(expected.summary.files > 0, `${dir}: files were linted`);
    }
  });

  test("(2b) folder selection follows the CLI: package directories, ignore files, hidden folders, silt.toml globs and custom rules", async () => {
    const dir = path.join(tmp, "tricky-project");
    cpSync(EXAMPLE, dir, { recursive: true });
    const put = (rel, text) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    const profile = readFileSync(path.join(EXAMPLE, "force-app/main/default/profiles/Integration Sync.profile-meta.xml"), "utf8");
    put(".forceignore", "# salesforce ignore\n**/profiles/Reporting API.profile-meta.xml\n**/jsconfig.json\n");
    put(".gitignore", "data/private/\n*.log\n");
    put("data/private/secret-users.csv", "Username,ProfileName\nsecret@acme.example,Integration Sync\n");
    put("node_modules/pkg/Bad.profile-meta.xml", profile);
    put(".hidden/Hidden.profile-meta.xml", profile);
    put("force-app/.sfdx/Cache.profile-meta.xml", profile);
    put("unlisted/profiles/Stray.profile-meta.xml", profile);
    put("force-app/main/default/permissionsets/.gitignore", "Sales_*\n");
    put("force-app/main/default/profiles/Copy.profile-meta.xml", profile);
    put("rules/least-privilege.toml", readFileSync(path.join(REPO, "rules/examples/least-privilege.toml"), "utf8"));
    put(
      "silt.toml",
      [
        'custom_rules = ["rules/least-privilege.toml"]',
        "[org]",
        'edition = "Enterprise"',
        "purchased_integration_seats = 1",
        "[rules]",
        'integration-profile-no-ip-restriction = "off"',
        'connected-app-open-access = "error"',
        "[files]",
        'exclude = ["force-app/main/default/connectedApps/Inventory_Feed.connectedApp-meta.xml"]',
        "",
      ].join("\n"),
    );
    const expected = await assertFolderMatchesCli(dir);
    const files = new Set(expected.diagnostics.map((d) => d.file));
    // The fixture really exercises the selection.
    assert.ok(expected.diagnostics.some((d) => d.rule === "description-required"), "custom rules ran");
    assert.ok(files.has("force-app/main/default/profiles/Copy.profile-meta.xml"));
    for (const f of files) assert.doesNotMatch(f, /Reporting API|Stray|Hidden|Bad|Cache|secret|Sales_Admin|Inventory_Feed/);
  });

  test("(3) a Metadata API retrieve zip (unpackaged/…) is unzipped and linted", async () => {
    const { json: expected } = cliReport(EXAMPLE);
    const entries = {};
    for (const rel of walk(EXAMPLE)) entries[`unpackaged/${rel}`] = readFileSync(path.join(EXAMPLE, rel));
    const zipPath = path.join(tmp, "retrieve.zip");
    writeFileSync(zipPath, zipSync(entries, { level: 6 }));
    const { context, page, log } = await openPage(browser, server.url);
    try {
      const n = await runs(page);
      await page.locator("#zip-input").setInputFiles(zipPath);
      await waitForRun(page, n);
      const rows = await renderedRows(page);
      assert.ok(rows.length > 0, "findings appear");
      // Paths are relative to the zip's single top folder, so they match the CLI on the unzipped folder.
      assert.deepEqual(rows, expectedRows(expected));
      assert.match(await page.locator("#status").textContent(), /unpackaged\//);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test("(4) no request leaves the page's origin, and it keeps working offline", async () => {
    const { json: expected, text: expectedText } = cliReport(EXAMPLE);
    const { context, page, log } = await openPage(browser, server.url);
    try {
      // Everything the page needs is loaded by now: cut the network and use every feature.
      await page.waitForSelector("body[data-example-ready=true]");
      await context.setOffline(true);
      await loadExample(page);
      assert.equal((await renderedRows(page)).length, expected.diagnostics.length);
      await page.locator("#findings li.finding").nth(3).click();
      await page.waitForSelector("#source .line.hl");
      await page.waitForSelector("#doc h3");
      const [sarifDl] = await Promise.all([page.waitForEvent("download"), page.click("#export-sarif")]);
      const sarif = JSON.parse(readFileSync(await sarifDl.path(), "utf8"));
      assert.equal(sarif.version, "2.1.0");
      assert.equal(sarif.runs[0].results.length, expected.diagnostics.length);
      assert.equal(sarifDl.suggestedFilename(), "silt.sarif");
      const [jsonDl] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
      assert.equal(readFileSync(await jsonDl.path(), "utf8"), expectedText, "JSON export is byte for byte the CLI's");
      await context.setOffline(false);

      const origin = new URL(server.url).origin;
      const outside = log.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`) && !u.startsWith("data:"));
      assert.deepEqual(outside, [], "requests outside the origin");
      assert.ok(log.requests.some((u) => u.endsWith(".wasm")), "the wasm binary came from the origin");
      assert.deepEqual(log.errors, []);
      assert.deepEqual(
        log.console.filter((m) => /Content Security Policy|Refused/.test(m)),
        [],
        "no CSP violations",
      );
      // Nothing stored.
      const stored = await page.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        idb: (await indexedDB.databases()).length,
        cookies: document.cookie,
      }));
      assert.deepEqual(stored, { local: 0, session: 0, idb: 0, cookies: "" });
    } finally {
      await context.close();
    }
  });

  test("(5) keyboard: ArrowDown + Enter in the findings list opens the source with the line highlighted; the hash restores it", async () => {
    const { page, context } = await openPage(browser, server.url);
    try {
      await loadExample(page);
      await page.locator("#findings").focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      const row = page.locator("#findings li.finding").nth(1);
      assert.equal(await row.getAttribute("aria-selected"), "true");
      const file = await row.getAttribute("data-file");
      const line = await row.getAttribute("data-line");
      const fingerprint = await row.getAttribute("data-fingerprint");
      await page.waitForSelector("#source .line.hl");
      assert.equal(await page.locator("#source .line.hl").first().getAttribute("data-line"), line);
      assert.equal(await page.locator("#source-title").textContent(), file);
      assert.ok(await page.locator("#source .line.hl mark").count(), "the range is marked");
      // The list keeps the focus, with a visible ring on the active row.
      assert.equal(await page.evaluate(() => document.activeElement?.id), "findings");
      const outline = await row.evaluate((e) => getComputedStyle(e).outlineStyle);
      assert.notEqual(outline, "none");
      // Arrow keys move on; Enter opens the next one.
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      assert.equal(await page.locator("#findings li.finding").nth(2).getAttribute("aria-selected"), "true");
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("Enter");

      const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
      assert.equal(hash.get("finding"), fingerprint);
      assert.equal(hash.get("source"), "example");

      // A reload with that hash loads the example again and reopens the same finding.
      await page.reload();
      await page.waitForFunction(() => Number(document.body.dataset.runs ?? 0) >= 1);
      await page.waitForSelector("#source .line.hl");
      assert.equal(await page.locator('#findings li.finding[aria-selected="true"]').getAttribute("data-fingerprint"), fingerprint);
      assert.equal(await page.locator("#source .line.hl").first().getAttribute("data-line"), line);
    } finally {
      await context.close();
    }
  });

  test("filters by severity, rule and file", async () => {
    const { json: expected } = cliReport(EXAMPLE);
    const { page, context } = await openPage(browser, server.url);
    try {
      await loadExample(page);
      await page.click('#sev-filters button[data-sev="note"]');
      await page.click('#sev-filters button[data-sev="warning"]');
      assert.deepEqual(
        await renderedRows(page),
        expectedRows(expected).filter((r) => r.severity === "error"),
      );
      await page.click("#filter-clear");
      await page.selectOption("#filter-rule", "integration-excessive-permission");
      assert.deepEqual(
        await renderedRows(page),
        expectedRows(expected).filter((r) => r.rule === "integration-excessive-permission"),
      );
      await page.click("#filter-clear");
      const file = "force-app/main/default/profiles/Integration Sync.profile-meta.xml";
      await page.selectOption("#filter-file", file);
      assert.deepEqual(
        await renderedRows(page),
        expectedRows(expected).filter((r) => r.file === file),
      );
    } finally {
      await context.close();
    }
  });

  test("a pasted file is linted; a configuration error is shown with its line and column", async () => {
    const { page, context } = await openPage(browser, server.url);
    try {
      const profile = readFileSync(path.join(EXAMPLE, "force-app/main/default/profiles/Integration Sync.profile-meta.xml"), "utf8");
      await page.click("#paste summary");
      await page.fill("#paste-name", "Integration Sync.profile-meta.xml");
      await page.fill("#paste-text", profile);
      let n = await runs(page);
      await page.click("#paste-lint");
      await waitForRun(page, n);
      const rows = await renderedRows(page);
      assert.ok(rows.some((r) => r.rule === "permission-name-typo" && r.line === 21), JSON.stringify(rows));

      // A name silt does not read is refused before anything runs.
      await page.fill("#paste-name", "notes.txt");
      await page.click("#paste-lint");
      // The name is classified by the worker: wait for its answer.
      await page.waitForFunction(() => (document.querySelector("#paste-error")?.textContent ?? "") !== "");
      assert.match(await page.locator("#paste-error").textContent(), /does not read/);

      // Configuration: an unknown key is an error at line:col; a good one changes the license numbers.
      await page.click("#config summary");
      await loadExample(page);
      const failures = await page.evaluate(() => Number(document.body.dataset.failures ?? 0));
      await page.fill("#config-text", '[org]\nedition = "Enterprise"\nseats = 3\n');
      await page.click("#config-apply");
      await page.waitForFunction((f) => Number(document.body.dataset.failures ?? 0) > f, failures);
      assert.match(await page.locator("#config-error").textContent(), /line 3, column 1: unknown field `seats`/);

      n = await runs(page);
      await page.fill("#config-text", '[org]\nedition = "Enterprise"\npurchased_integration_seats = 2\n');
      await page.click("#config-apply");
      await waitForRun(page, n);
      const cards = await renderedCards(page);
      assert.equal(cards["free-seats"], 5);
      assert.equal(await page.locator("#config-error").textContent(), "");
    } finally {
      await context.close();
    }
  });

  test("dropping a metadata file, and dropping a zip, lints them", async () => {
    const { json: expected } = cliReport(EXAMPLE);
    const { page, context, log } = await openPage(browser, server.url);
    const drop = (files) =>
      page.evaluate((files) => {
        const dt = new DataTransfer();
        for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
        const target = document.getElementById("drop");
        for (const type of ["dragenter", "dragover", "drop"]) {
          target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
      }, files);
    try {
      const name = "Integration Sync.profile-meta.xml";
      const bytes = [...readFileSync(path.join(EXAMPLE, "force-app/main/default/profiles", name))];
      let n = await runs(page);
      await drop([{ name, bytes }]);
      await waitForRun(page, n);
      const rows = await renderedRows(page);
      assert.ok(rows.length > 0 && rows.every((r) => r.file === name), JSON.stringify(rows));
      assert.ok(rows.some((r) => r.rule === "permission-name-typo" && r.line === 21));

      const entries = {};
      for (const rel of walk(EXAMPLE)) entries[`unpackaged/${rel}`] = readFileSync(path.join(EXAMPLE, rel));
      n = await runs(page);
      await drop([{ name: "retrieve.zip", bytes: [...zipSync(entries)] }]);
      await waitForRun(page, n);
      assert.deepEqual(await renderedRows(page), expectedRows(expected));
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test("(7) a large folder is read and linted in the worker with progress (files and bytes checked), and the page stays responsive", async () => {
    const dir = path.join(tmp, "large-project");
    cpSync(EXAMPLE, dir, { recursive: true });
    const profile = readFileSync(path.join(EXAMPLE, "force-app/main/default/profiles/Integration Sync.profile-meta.xml"), "utf8");
    const block = (i) =>
      `    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Object_${i}__c</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>\n`;
    const filler = Array.from({ length: 160 }, (_, i) => block(i)).join("");
    const big = profile.replace("</Profile>", `${filler}</Profile>`);
    const count = 600;
    for (let i = 0; i < count; i++) {
      writeFileSync(path.join(dir, "force-app/main/default/profiles", `Bulk_${String(i).padStart(3, "0")}.profile-meta.xml`), big);
    }
    const { json: expected } = cliReport(dir);
    const { page, context, log } = await openPage(browser, server.url);
    try {
      // Watch the status line and the main thread's frame gaps while the run goes on.
      await page.evaluate(() => {
        const w = (window.__watch = { statuses: [], gaps: [] });
        const status = document.getElementById("status");
        new MutationObserver(() => w.statuses.push([performance.now(), status.textContent])).observe(status, {
          childList: true,
          characterData: true,
          subtree: true,
        });
        let last = performance.now();
        const tick = (t) => {
          w.gaps.push([t, t - last]);
          last = t;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const n = await runs(page);
      await page.locator("#folder-input").setInputFiles(dir);
      await waitForRun(page, n);
      const rows = await renderedRows(page);
      assert.equal(rows.length, expected.diagnostics.length);
      assert.deepEqual(rows, expectedRows(expected));
      const files = await page.locator("#counts [data-count=files]").getAttribute("data-value");
      assert.equal(Number(files), expected.summary.files);
      const watch = await page.evaluate(() => window.__watch);
      const texts = watch.statuses.map(([, t]) => t);
      // Progress while the files are checked: files done of the total, and megabytes.
      const steps = texts
        .map((t) => /^Checking files… (\d+) \/ (\d+) \(([\d.]+) \/ ([\d.]+) MB\)$/.exec(t))
        .filter(Boolean)
        .map((m) => ({ done: Number(m[1]), total: Number(m[2]), mb: Number(m[3]), totalMb: Number(m[4]) }));
      assert.ok(steps.length > 0, `progress shown: ${texts.slice(0, 5)}`);
      for (const s of steps) assert.equal(s.total, expected.summary.files, "progress counts the files checked");
      assert.ok(
        steps.some((s) => s.done > 0 && s.done < s.total && s.mb > 0 && s.mb < s.totalMb),
        `progress during the check, not only before or after: ${steps.map((s) => `${s.done}/${s.total}`)}`,
      );
      for (let i = 1; i < steps.length; i++) assert.ok(steps[i].done >= steps[i - 1].done, "progress only moves forward");
      // While the worker reads and checks, frames keep coming.
      const from = watch.statuses.find(([, t]) => t.startsWith("Checking files"))[0];
      const to = watch.statuses.find(([, t]) => t.startsWith("Checked"))[0];
      const gaps = watch.gaps.filter(([t]) => t > from && t <= to).map(([, g]) => g);
      assert.ok(gaps.length > 3, `frames during the run: ${gaps.length}`);
      assert.ok(Math.max(...gaps) < 250, `longest frame gap during the run: ${Math.max(...gaps)} ms`);
      assert.deepEqual(log.errors, []);
    } finally {
      await context.close();
    }
  });

  test("(6) screenshots at 1280×800 and 390×844", async () => {
    const dir = artifactsDir();
    for (const [w, h, scheme] of [
      [1280, 800, "light"],
      [390, 844, "light"],
      [1280, 800, "dark"],
    ]) {
      const { page, context, log } = await openPage(browser, server.url, { width: w, height: h }, { colorScheme: scheme });
      const name = (suffix) => path.join(dir, `web-${w}x${h}${scheme === "dark" ? "-dark" : ""}${suffix}.png`);
      try {
        await page.screenshot({ path: name("-start") });
        await loadExample(page);
        await page.screenshot({ path: name("-results"), fullPage: true });
        // Open a finding in a profile, the typical case.
        await page.locator('#findings li.finding[data-rule="permission-name-typo"]').click();
        await page.waitForSelector("#source .line.hl");
        await page.waitForSelector("#doc h3");
        // The working view: the list and the detail filling the window.
        if (w > 900) await page.locator(".toolbar").evaluate((e) => e.scrollIntoView({ block: "start" }));
        await page.screenshot({ path: name("") });
        await page.screenshot({ path: name("-full"), fullPage: true });
        // Nothing sticks out sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `horizontal overflow at ${w}px`);
        assert.deepEqual(log.errors, []);
      } finally {
        await context.close();
      }
    }
  });
});
