// The compare view of the built site (web/dist) in headless Chromium: the before and after versions of
// tests/fixtures/diff loaded through the page's own inputs, the report checked against the native
// `silt diff --format json` of the same two folders. Run by `npm run test` (which builds first).
import { after, before, test as nodeTest } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import { REPO, buildCli, cliReport, launch, openPage, startServer } from "./helpers.mjs";

const test = (name, fn) => nodeTest(name, { timeout: 120_000 }, fn);

const BASE = path.join(REPO, "tests/fixtures/diff/base");
const HEAD = path.join(REPO, "tests/fixtures/diff/head");
const LEGACY = "force-app/main/default/permissionsets/Legacy_Tools.permissionset-meta.xml";

let server;
let browser;
let tmp;

before(() => buildCli(), { timeout: 900_000 });
before(async () => {
  server = await startServer();
  browser = await launch();
  tmp = mkdtempSync(path.join(os.tmpdir(), "silt-web-diff-test-"));
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The native CLI's answer on the two folders (no silt.toml: the fixtures have none, as the page sees them). */
function cliDiff() {
  const r = spawnSync(path.join(REPO, "target/release/silt"), ["diff", BASE, HEAD, "--format", "json", "--no-config", "--fail-on", "never"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function compares(page) {
  return page.evaluate(() => Number(document.body.dataset.compares ?? 0));
}

async function waitForCompare(page, before) {
  await page.waitForFunction((n) => Number(document.body.dataset.compares ?? 0) > n, before, { timeout: 60_000 });
}

/** The report as rendered: access, apps, license and findings, from the view's data attributes. */
function rendered(page) {
  return page.evaluate(() => {
    const all = (sel, root = document) => [...root.querySelectorAll(sel)];
    return {
      access: all("#diff article.diff-user").map((u) => ({
        username: u.dataset.user,
        status: u.dataset.status,
        added: all("li.grant-change[data-change=added]", u).map((g) => `${g.dataset.permission} via ${g.dataset.chain}`),
        removed: all("li.grant-change[data-change=removed]", u).map((g) => `${g.dataset.permission} via ${g.dataset.chain}`),
      })),
      apps: all("#diff tr.app-change").map((a) => ({
        app: a.dataset.app,
        status: a.dataset.status,
        changes: all("li.setting", a).map((s) => ({ setting: s.dataset.setting, before: s.dataset.before || null, after: s.dataset.after || null, risky: s.dataset.risky === "true" })),
      })),
      license: Object.fromEntries(
        all("#diff tr[data-license]")
          .filter((r) => r.querySelector("td[data-value]"))
          .map((r) => [r.dataset.license, [r.querySelector("td[data-side=before]").dataset.value, r.querySelector("td[data-side=after]").dataset.value].map((v) => (v === "" ? null : Number(v)))]),
      ),
      findings: Object.fromEntries(
        ["introduced", "fixed"].map((c) => [c, all(`#diff li.diff-finding[data-change=${c}]`).map((f) => ({ rule: f.dataset.rule, file: f.dataset.file, line: Number(f.dataset.line), fingerprint: f.dataset.fingerprint }))]),
      ),
    };
  });
}

function expected(report) {
  const grant = (g) => `${g.permission} via ${g.via.map((h) => h.name).join(" › ")}`;
  const finding = (d) => ({ rule: d.rule, file: d.file, line: d.range.start.line, fingerprint: d.fingerprint });
  const l = (s) => ({ "integration-users": s.activeIntegrationUsers, "free-seats": s.freeSeats ?? null, "purchased-seats": s.purchasedSeats, "add-on-seats": s.addOnSeatsNeeded, "monthly-cost": s.monthlyCost });
  const before = l(report.license.before);
  const after = l(report.license.after);
  return {
    access: report.access.map((u) => ({ username: u.username, status: u.status, added: u.added.map(grant), removed: u.removed.map(grant) })),
    apps: report.apps.map((a) => ({ app: a.app, status: a.status, changes: a.changes })),
    license: Object.fromEntries(Object.keys(before).map((k) => [k, [before[k], after[k]]])),
    findings: { introduced: report.findings.introduced.map(finding), fixed: report.findings.fixed.map(finding) },
  };
}

test("compare view: two folders through the page's inputs, silt diff's report (access chain, new app's Full scope, licenses, findings; a moved line does not count)", async () => {
  const cli = cliDiff();
  const { context, page, log } = await openPage(browser, server.url);
  try {
    await page.locator("#compare > summary").click();
    const n = await compares(page);
    await page.locator("#compare-before-folder").setInputFiles(BASE);
    assert.match(await page.locator("#compare-before-label").innerText(), /^base$/);
    await page.locator("#compare-after-folder").setInputFiles(HEAD);
    await waitForCompare(page, n);
    assert.ok(await page.locator("#diff").isVisible(), "the compare view shows");
    assert.ok(await page.locator("#results").isHidden(), "the single-version results are hidden");
    assert.match(await page.locator("#status").innerText(), /^Compared base \(\d+ files\) with head \(\d+ files\)/);

    const view = await rendered(page);
    assert.deepEqual(view, expected(cli), "the page shows what silt diff reports");

    // The added ManageUsers grant of int-a, through the permission set group.
    const grant = page.locator('article.diff-user[data-user="int-a@acme.example"] li.grant-change[data-change=added][data-permission=ManageUsers]');
    assert.equal(await grant.count(), 1);
    assert.match(await grant.innerText(), /\+\s*ManageUsers\s*tier 0\s*via Sync_Group › Sync_Core/);
    await grant.locator("summary").click();
    const hops = await grant.locator("ol.chain li").allInnerTexts();
    assert.deepEqual(hops, [
      "assigned at data/permset-assignments.csv:2",
      "PermissionSetGroup Sync_Group (force-app/main/default/permissionsetgroups/Sync_Group.permissionsetgroup-meta.xml:6)",
      "PermissionSet Sync_Core (force-app/main/default/permissionsets/Sync_Core.permissionset-meta.xml:8)",
    ]);

    // The new connected app asks for the Full scope (a risky change) with client credentials.
    const app = page.locator("tr.app-change[data-app=Partner_Feed][data-status=added]");
    assert.equal(await app.locator("li.setting.risky[data-setting=scope][data-after=Full]").count(), 1);
    assert.match(await app.locator("li.setting[data-setting=scope][data-after=Full]").innerText(), /⚠\s*scope \+Full/);
    assert.equal(await app.locator("li.setting.risky[data-setting=clientCredentialsFlow][data-after=on]").count(), 1);

    // Licenses before and after.
    assert.deepEqual(view.license["integration-users"], [1, 2]);
    assert.deepEqual(view.license["monthly-cost"], [0, 10]);
    assert.equal(await page.locator("tr[data-license=monthly-cost] td[data-side=after]").innerText(), "$10.00");

    // Findings introduced and fixed.
    assert.deepEqual(view.findings.introduced.map((f) => f.rule).sort(), ["connected-app-full-scope", "integration-excessive-permission", "integration-license-capacity"]);
    assert.deepEqual(view.findings.fixed.map((f) => f.rule), ["connected-app-http-callback"]);

    // A finding that only moved (Legacy_Tools' typo, two lines down in head) is neither.
    const at = (dir) => cliReport(dir).json.diagnostics.filter((d) => d.file === LEGACY).map((d) => [d.rule, d.range.start.line, d.fingerprint]);
    const [was, is] = [at(BASE), at(HEAD)];
    assert.equal(was.length, 1);
    assert.equal(is.length, 1);
    assert.notEqual(was[0][1], is[0][1], "the fixture moves the line");
    assert.equal(was[0][2], is[0][2], "same fingerprint");
    assert.equal(await page.locator(`#diff li.diff-finding[data-file="${LEGACY}"]`).count(), 0);

    // Zips (one top folder, as a retrieve): the after version dropped on its slot (not a check of the
    // page's main input), the before version through its zip input. The same report.
    const zipOf = (dir, name) => {
      const entries = {};
      for (const rel of readdirSync(dir, { recursive: true })) {
        if (statSync(path.join(dir, rel)).isFile()) entries[`unpackaged/${rel.split(path.sep).join("/")}`] = readFileSync(path.join(dir, rel));
      }
      const file = path.join(tmp, name);
      writeFileSync(file, zipSync(entries));
      return file;
    };
    const runsBefore = await page.evaluate(() => Number(document.body.dataset.runs ?? 0));
    let m = await compares(page);
    await page.evaluate(
      ({ name, bytes }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name));
        const slot = document.getElementById("compare-after");
        for (const type of ["dragenter", "dragover", "drop"]) slot.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name: "head.zip", bytes: [...readFileSync(zipOf(HEAD, "head.zip"))] },
    );
    await waitForCompare(page, m);
    assert.match(await page.locator("#compare-after-label").innerText(), /^head\.zip$/);
    assert.deepEqual(await rendered(page), expected(cli), "the after version as a dropped zip: the same report");
    m = await compares(page);
    await page.locator("#compare-before-zip").setInputFiles(zipOf(BASE, "base.zip"));
    await waitForCompare(page, m);
    assert.match(await page.locator("#compare-before-label").innerText(), /^base\.zip$/);
    assert.deepEqual(await rendered(page), expected(cli), "both versions as zips: the same report");
    assert.equal(await page.evaluate(() => Number(document.body.dataset.runs ?? 0)), runsBefore, "no single-version check ran");

    // Narrow screens: the report fits the width (wide tables scroll inside their own box).
    await page.setViewportSize({ width: 390, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling at 390 px");
    await page.setViewportSize({ width: 1280, height: 800 });

    // A single-version check replaces the compare view.
    const runs = await page.evaluate(() => Number(document.body.dataset.runs ?? 0));
    await page.getByRole("button", { name: "Load example project" }).click();
    await page.waitForFunction((r) => Number(document.body.dataset.runs ?? 0) > r, runs);
    assert.ok(await page.locator("#diff").isHidden());
    assert.ok(await page.locator("#results").isVisible());

    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.console, []);
    const origin = new URL(server.url).origin;
    assert.deepEqual(log.requests.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:")), [], "no request beyond the page's own files");
  } finally {
    await context.close();
  }
});
