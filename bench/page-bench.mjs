// The browser page on a folder: time from choosing the folder to results shown, peak memory of the
// page's processes, and the longest main-thread task. A benchmark, not a test (nothing here fails on a
// slow figure).
//
//   node bench/page-bench.mjs [--runs N] [--env FILE] [--no-build] DIR
//
// Builds the page (`npm run build` in web/, unless --no-build), serves web/dist on 127.0.0.1, starts
// headless Chromium (playwright-core, $CHROMIUM_PATH or /usr/bin/chromium) and, per run, opens the page
// in a fresh context and chooses DIR in the folder input (`setInputFiles`, the folder picker's
// `webkitdirectory` input). Measured per run:
//   - time: from the input's `change` event to the first frame after the results are rendered
//     (`body[data-runs]` counts finished runs), on the page's own clock;
//   - memory: the resident set size (VmRSS in /proc) of the page's renderer process, which holds the
//     page and its workers (dedicated workers are threads of the page's renderer), sampled every 10 ms
//     from choosing until the results are shown; the peak is reported, and the idle figure before
//     choosing. Chromium's renderers come from `SystemInfo.getProcessInfo`; the page's is the one that
//     grows (the others, a spare and the blank page's, stay idle; their sum is printed per run);
//   - the longest main-thread task after choosing: a `longtask` PerformanceObserver installed before
//     choosing (it reports tasks over 50 ms; 0 means none did). The task that dispatches `change`
//     begins before it, while Chromium builds the input's FileList: only its part from the event on
//     counts (PAGE_MAX_TASK_MS); the whole task is printed too. And the longest gap between frames.
//   - CPU time of all Chromium's processes over the same span (`SystemInfo.getProcessInfo`): on a busy
//     machine the wall clock suffers, this does not (much).
// The best time of N runs (default 3) is reported (with its CPU time), and the worst memory and
// longest task of them all.
// MB = 10^6 bytes; MB/s is the bytes of every file in DIR over the time.
//
// Prints a human line and, with --env FILE, writes PAGE_MS, PAGE_MBPS, PAGE_CPU_MS, PAGE_MB, PAGE_IDLE_MB,
// PAGE_MAX_TASK_MS, PAGE_MAX_GAP_MS and PAGE_FILES (files silt checked) to FILE. Exit 3 when the page
// cannot be built or Chromium cannot be launched (scripts/bench.sh reports the step as skipped), 2 on
// usage errors, 1 when a run fails.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const web = path.join(repo, "web");
const dist = path.join(web, "dist");

function usage(msg) {
  if (msg) console.error(`page-bench: ${msg}`);
  console.error("usage: node bench/page-bench.mjs [--runs N] [--env FILE] [--no-build] DIR");
  process.exit(2);
}

function skip(msg) {
  console.error(`page-bench: skipped: ${msg}`);
  process.exit(3);
}

let runs = 3;
let envFile = null;
let build = true;
let dir = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--runs") runs = Number(argv[++i]);
  else if (a === "--env") envFile = argv[++i];
  else if (a === "--no-build") build = false;
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (dir) usage("one DIR only");
  else dir = a;
}
if (!dir || !(runs >= 1)) usage();
dir = fs.realpathSync(path.resolve(dir)); // Chromium does not list a folder given as a symbolic link
if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) usage(`${dir} is not a folder`);

/** Every regular file under `d` (what the folder input hands the page), and their bytes. */
function measure(d) {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) {
      const sub = measure(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile()) {
      files++;
      bytes += fs.statSync(p).size;
    }
  }
  return { files, bytes };
}

// ---------------------------------------------------------------------------------------------
// Build, serve, launch

if (build) {
  const r = spawnSync("npm", ["run", "build"], { cwd: web, encoding: "utf8" });
  if (r.status !== 0) skip(`the page does not build (npm run build in web/):\n${r.stdout}${r.stderr}`);
}
if (!fs.existsSync(path.join(dist, "index.html"))) skip(`${dist} is not built`);

let chromium;
try {
  const require = createRequire(path.join(web, "package.json"));
  const mod = await import(pathToFileURL(require.resolve("playwright-core")).href);
  chromium = mod.chromium ?? mod.default.chromium;
} catch (e) {
  skip(`playwright-core is not installed (npm ci at the repository root): ${e.message}`);
}
const { serve } = await import(pathToFileURL(path.join(web, "scripts/serve.mjs")).href);
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser;
try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
} catch (e) {
  skip(`Chromium (${executablePath}) cannot be launched: ${e.message.split("\n")[0]}`);
}
const server = await serve(dist, 0);

// ---------------------------------------------------------------------------------------------
// Memory: renderer processes from the browser's own process list, RSS from /proc

const cdp = await browser.newBrowserCDPSession();

async function rendererPids() {
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  return processInfo.filter((p) => p.type === "renderer").map((p) => p.id);
}

/** CPU seconds of every Chromium process (the browser process reads the files for the page), and
 * per process (`type pid`, for PAGE_BENCH_DEBUG). */
async function cpuSeconds() {
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  const each = new Map(processInfo.map((p) => [`${p.type} ${p.id}`, p.cpuTime]));
  return Object.assign(processInfo.reduce((n, p) => n + p.cpuTime, 0), { each });
}

function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // gone
  }
}

const sumRss = (pids) => pids.reduce((n, p) => n + rssBytes(p), 0);

// ---------------------------------------------------------------------------------------------
// One run

async function once() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (process.env.PAGE_BENCH_DEBUG) page.on("console", (m) => console.error(`  console: ${m.text()}`));
  try {
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await page.evaluate(() => {
      const w = (window.__bench = { start: 0, end: 0, tasks: [], maxGap: 0, runs: Number(document.body.dataset.runs ?? 0) });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.tasks.push([e.startTime, e.duration]);
      }).observe({ type: "longtask" });
      document.getElementById("folder-input").addEventListener("change", (e) => (w.start = e.timeStamp), { capture: true });
      let last = 0;
      const frame = (t) => {
        if (w.start && last && t > w.start && !w.end) w.maxGap = Math.max(w.maxGap, t - last);
        last = t;
        if (!w.end) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      new MutationObserver(() => {
        if (!w.end && Number(document.body.dataset.runs ?? 0) > w.runs) requestAnimationFrame(() => (w.end = performance.now()));
      }).observe(document.body, { attributes: true, attributeFilter: ["data-runs"] });
    });
    // Every renderer's RSS is sampled; the page's renderer is the one that grows (the others are
    // Chromium's spare and blank-page renderers, idle).
    const pids = await rendererPids();
    const idle = new Map(pids.map((p) => [p, rssBytes(p)]));
    const peaks = new Map(idle);
    let peakSum = sumRss(pids);
    let sampling = true;
    const sampler = (async () => {
      let n = 0;
      while (sampling) {
        let sum = 0;
        for (const p of pids) {
          const r = rssBytes(p);
          sum += r;
          if (r > peaks.get(p)) peaks.set(p, r);
        }
        peakSum = Math.max(peakSum, sum);
        // PAGE_BENCH_DEBUG=1: the status line and the biggest renderer's memory twice a second.
        if (process.env.PAGE_BENCH_DEBUG && ++n % 50 === 0) {
          const top = pids.reduce((a, b) => (rssBytes(b) > rssBytes(a) ? b : a));
          let roll = "";
          try {
            roll = fs.readFileSync(`/proc/${top}/smaps_rollup`, "utf8").split("\n").filter((l) => /^(Rss|Anonymous|Shared|Private)/.test(l)).map((l) => l.replace(/\s+/g, " ")).join(", ");
          } catch {}
          console.error(`  ${await page.locator("#status").textContent()} ${(sum / 1e6).toFixed(0)} MB; ${roll}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const cpu0 = await cpuSeconds();
    const chosen = page.locator("#folder-input").setInputFiles(dir);
    await page.waitForFunction(() => window.__bench.end > 0 || document.body.dataset.failures, null, { timeout: 600_000, polling: 50 });
    sampling = false;
    const cpu1 = await cpuSeconds();
    const cpu = cpu1 - cpu0;
    await sampler;
    await chosen;
    const w = await page.evaluate(() => window.__bench);
    if (process.env.PAGE_BENCH_DEBUG) {
      const per = [...cpu1.each].map(([k, v]) => [k, v - (cpu0.each.get(k) ?? 0)]).filter(([, v]) => v >= 0.01);
      console.error(`  CPU by process: ${per.map(([k, v]) => `${k} ${(v * 1000).toFixed(0)} ms`).join(", ")}`);
      // The page's own marks (main.ts) and the long tasks, in ms from the choice.
      const marks = await page.evaluate(() => performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]));
      for (const [name, t] of marks) if (t >= w.start - 1) console.error(`  mark ${name} at ${(t - w.start).toFixed(0)} ms`);
      for (const [t, d] of w.tasks) console.error(`  long task at ${(t - w.start).toFixed(0)} ms: ${d.toFixed(0)} ms`);
    }
    const status = await page.locator("#status").textContent();
    const files = Number(await page.locator("#counts [data-count=files]").getAttribute("data-value"));
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    if (!/^Checked /.test(status ?? "")) throw new Error(`the run did not finish: ${status}`);
    // The part of each task after the choice: the task that dispatches `change` starts before it, with
    // Chromium building the input's FileList (which a page cannot change).
    const tasks = w.tasks.filter(([t, d]) => t + d >= w.start).map(([t, d]) => t + d - Math.max(t, w.start));
    const pagePid = pids.reduce((a, b) => (peaks.get(b) - idle.get(b) > peaks.get(a) - idle.get(a) ? b : a));
    const whole = w.tasks.filter(([t, d]) => t + d >= w.start).map(([, d]) => d);
    return {
      wholeTask: whole.length ? Math.max(...whole) : 0,
      cpu,
      ms: w.end - w.start,
      peak: peaks.get(pagePid),
      idle: idle.get(pagePid),
      peakSum,
      maxTask: tasks.length ? Math.max(...tasks) : 0,
      maxGap: w.maxGap,
      files,
      status,
    };
  } finally {
    await context.close();
  }
}

const total = measure(dir);
const results = [];
let exit = 0;
try {
  for (let i = 0; i < runs; i++) {
    const r = await once();
    results.push(r);
    console.error(
      `page-bench: run ${i + 1}/${runs}: ${r.ms.toFixed(0)} ms (CPU ${(r.cpu * 1000).toFixed(0)} ms), peak ${(r.peak / 1e6).toFixed(1)} MB (idle ${(r.idle / 1e6).toFixed(1)}), longest task ${r.maxTask.toFixed(0)} ms after choosing (${r.wholeTask.toFixed(0)} ms with the FileList), longest frame gap ${r.maxGap.toFixed(0)} ms; all renderers ${(r.peakSum / 1e6).toFixed(1)} MB`,
    );
  }
} catch (e) {
  console.error(`page-bench: ${e.message}`);
  exit = 1;
} finally {
  await browser.close();
  await server.close();
}
if (exit) process.exit(exit);

const bestRun = results.reduce((a, b) => (b.ms < a.ms ? b : a));
const best = bestRun.ms;
const peak = Math.max(...results.map((r) => r.peak));
const idle = Math.max(...results.map((r) => r.idle));
const maxTask = Math.max(...results.map((r) => r.maxTask));
const maxGap = Math.max(...results.map((r) => r.maxGap));
const files = results[0].files;
const mbps = total.bytes / 1e6 / (best / 1000);
console.log(
  `page: ${files} files checked (${total.files} files, ${(total.bytes / 1e6).toFixed(1)} MB chosen): ${best.toFixed(0)} ms to results (best of ${runs}; CPU ${(bestRun.cpu * 1000).toFixed(0)} ms), ${mbps.toFixed(1)} MB/s; ` +
    `peak ${(peak / 1e6).toFixed(1)} MB in the page's processes (idle ${(idle / 1e6).toFixed(1)} MB); longest main-thread task ${maxTask.toFixed(0)} ms (frame gap ${maxGap.toFixed(0)} ms)`,
);
if (envFile) {
  fs.writeFileSync(
    envFile,
    [
      `PAGE_MS=${best.toFixed(0)}`,
      `PAGE_MBPS=${mbps.toFixed(1)}`,
      `PAGE_CPU_MS=${(bestRun.cpu * 1000).toFixed(0)}`,
      `PAGE_MB=${(peak / 1e6).toFixed(1)}`,
      `PAGE_IDLE_MB=${(idle / 1e6).toFixed(1)}`,
      `PAGE_MAX_TASK_MS=${maxTask.toFixed(0)}`,
      `PAGE_MAX_GAP_MS=${maxGap.toFixed(0)}`,
      `PAGE_FILES=${files}`,
      "",
    ].join("\n"),
  );
}
