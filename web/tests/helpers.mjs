// Shared test plumbing: paths, the native CLI (the reference), the static server and Chromium.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../scripts/serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB = path.resolve(here, "..");
export const REPO = path.resolve(WEB, "..");
export const DIST = path.join(WEB, "dist");
export const EXAMPLE = path.join(REPO, "examples/integration-gone-wrong");
export const CORPORA = path.resolve(REPO, "../shared/corpora");
export const ARTIFACTS = path.join(REPO, "tests/artifacts/web");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const SILT = path.join(REPO, "target/release/silt");

/**
 * Build the native CLI (a no-op when it is up to date): the reference must come from the same sources
 * as the Wasm build. A failed build falls back to an existing binary with a warning.
 */
export function buildCli() {
  const r = spawnSync("cargo", ["build", "--release", "-p", "silt-cli"], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) {
    if (!existsSync(SILT)) throw new Error("cargo build --release -p silt-cli failed");
    console.warn(`warning: cargo build --release -p silt-cli failed; using the existing ${SILT}`);
  }
}

function siltBinary() {
  if (!existsSync(SILT)) buildCli();
  return SILT;
}

/**
 * `silt lint <dir> --format json` parsed. The browser sees only the chosen folder, so the CLI gets the
 * folder's own silt.toml (or none), not one found further up.
 */
export function cliReport(dir) {
  const config = path.join(dir, "silt.toml");
  const args = ["lint", dir, "--format", "json", "--fail-on", "never"];
  args.push(...(existsSync(config) ? ["--config", config] : ["--no-config"]));
  const r = spawnSync(siltBinary(), args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`silt ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { json: JSON.parse(r.stdout), text: r.stdout };
}

export function startServer() {
  if (!existsSync(path.join(DIST, "index.html"))) throw new Error(`${DIST} is not built: run npm run build`);
  return serve(DIST, 0);
}

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export function artifactsDir() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

/** A new page whose every request, console error and page error is recorded. */
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }, options = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const log = { requests: [], errors: [], console: [] };
  context.on("request", (r) => log.requests.push(r.url()));
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") log.console.push(`${m.type()}: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  return { context, page, log };
}

/** Wait until one more lint run has finished than `before`. */
export async function waitForRun(page, before) {
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, { timeout: 60_000 });
}

export function runs(page) {
  return page.evaluate(() => Number(document.body.dataset.runs ?? 0));
}

/** The findings rows as rendered: rule, file and line. */
export function renderedRows(page) {
  return page.$$eval("#findings li.finding", (els) =>
    els.map((e) => ({ rule: e.dataset.rule, file: e.dataset.file, line: Number(e.dataset.line), severity: e.dataset.severity })),
  );
}

export function expectedRows(report) {
  return report.diagnostics.map((d) => ({ rule: d.rule, file: d.file, line: d.range.start.line, severity: d.severity }));
}

export async function renderedCounts(page) {
  return page.$$eval("#counts [data-severity]", (els) => Object.fromEntries(els.map((e) => [e.dataset.severity, Number(e.dataset.value)])));
}

export async function renderedCards(page) {
  return page.$$eval("#license [data-card]", (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.card, e.dataset.value === "" ? null : Number(e.dataset.value)])),
  );
}
