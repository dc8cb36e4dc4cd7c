// (d) of scripts/bench.sh: silt's Wasm build in Node, 1 thread, on the same files as silt-bench.
//
//   node bench/wasm-bench.mjs [--runs N] [--env FILE] --list LIST DIR
//
// LIST is the file list `silt-bench --list` wrote (relative paths, sorted), so (b) and (d) read the same
// bytes. Each run reads every file (fs.readFileSync, like the CLI reads them) and calls the npm package's
// `lintJson(files, {config})` once; the best run is reported. Module loading and instantiation are not
// timed. MB = 10^6 bytes.
//
// The package is found at $SILT_WASM_MODULE (a .js/.mjs/.cjs file), else through packages/silt's
// package.json entry, else any module under packages/silt/node/ that exports `lintJson`. If none is
// built, this prints why and exits with 3 (bench.sh reports (d) as skipped).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const pkgDir = path.join(repo, 'packages', 'silt');

function usage(msg) {
  if (msg) console.error(`wasm-bench: ${msg}`);
  console.error('usage: node bench/wasm-bench.mjs [--runs N] [--env FILE] --list LIST DIR');
  process.exit(2);
}

let runs = 3;
let envFile = null;
let listFile = null;
let dir = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--runs') runs = Number(argv[++i]);
  else if (a === '--env') envFile = argv[++i];
  else if (a === '--list') listFile = argv[++i];
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else dir = a;
}
if (!dir || !listFile || !(runs >= 1)) usage();

/** Candidate module files, most specific first. */
function candidates() {
  const out = [];
  if (process.env.SILT_WASM_MODULE) out.push(path.resolve(process.env.SILT_WASM_MODULE));
  const pj = path.join(pkgDir, 'package.json');
  if (fs.existsSync(pj)) {
    try {
      out.push(createRequire(pj).resolve(pkgDir));
    } catch {
      // ESM-only exports or a missing build: read the fields ourselves.
    }
    try {
      const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
      const pickExport = (e) => {
        if (!e) return null;
        if (typeof e === 'string') return e;
        const dot = e['.'] ?? e;
        if (typeof dot === 'string') return dot;
        for (const k of ['node', 'import', 'require', 'default']) {
          const v = dot[k];
          if (typeof v === 'string') return v;
          if (v && typeof v === 'object') {
            const nested = pickExport(v);
            if (nested) return nested;
          }
        }
        return null;
      };
      for (const rel of [pickExport(pkg.exports), pkg.module, pkg.main]) {
        if (typeof rel === 'string') out.push(path.resolve(pkgDir, rel));
      }
    } catch {
      // unreadable package.json: fall through to the node/ folder
    }
  }
  const nodeDir = path.join(pkgDir, 'node');
  if (fs.existsSync(nodeDir)) {
    const names = fs.readdirSync(nodeDir).filter((n) => /\.(c|m)?js$/.test(n)).sort();
    // Entry points first (index.*), then the wasm-bindgen glue.
    names.sort((a, b) => Number(!a.startsWith('index')) - Number(!b.startsWith('index')));
    for (const n of names) out.push(path.join(nodeDir, n));
  }
  return [...new Set(out)].filter((p) => fs.existsSync(p));
}

async function loadLintJson() {
  const tried = [];
  for (const file of candidates()) {
    try {
      let mod = await import(pathToFileURL(file).href);
      let fn = mod.lintJson ?? mod.default?.lintJson;
      if (typeof fn !== 'function' && typeof mod.default === 'function') {
        // A web-style build: the default export initialises the module.
        const r = await mod.default();
        fn = mod.lintJson ?? r?.lintJson;
      }
      if (typeof fn === 'function') return { fn, file };
      tried.push(`${path.relative(repo, file)}: no lintJson export`);
    } catch (e) {
      tried.push(`${path.relative(repo, file)}: ${String(e?.message ?? e).split('\n')[0]}`);
    }
  }
  return { fn: null, tried };
}

const { fn: lintJson, file: moduleFile, tried } = await loadLintJson();
if (!lintJson) {
  console.log(
    'wasm-bench: skipped: the npm package packages/silt is not built (run `npm run build:wasm`, or set SILT_WASM_MODULE)' +
      (tried.length ? `; tried: ${tried.join('; ')}` : ''),
  );
  process.exit(3);
}

const rels = fs.readFileSync(listFile, 'utf8').split('\n').filter((l) => l.length > 0);
const abs = rels.map((r) => path.join(dir, ...r.split('/')));
const configPath = path.join(dir, 'silt.toml');
const options = fs.existsSync(configPath) ? { config: fs.readFileSync(configPath, 'utf8'), configPath: 'silt.toml' } : {};

// Warm the page cache (silt-bench already did; cheap when warm).
for (const f of abs) fs.readFileSync(f);

let best = Infinity;
let bestCpu = 0;
let bestRead = 0;
let bytes = 0;
let report = null;
const times = [];
for (let r = 0; r < runs; r++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const files = new Array(rels.length);
  let n = 0;
  for (let i = 0; i < rels.length; i++) {
    const contents = fs.readFileSync(abs[i]);
    n += contents.length;
    files[i] = { path: rels[i], contents };
  }
  const t1 = process.hrtime.bigint();
  const json = lintJson(files, options);
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(c0);
  const secs = Number(t2 - t0) / 1e9;
  times.push(secs);
  if (secs < best) {
    best = secs;
    bestCpu = (cpu.user + cpu.system) / 1e6;
    bestRead = Number(t1 - t0) / 1e9;
    bytes = n;
    report = json;
  }
}
const parsed = JSON.parse(report);
const mbps = bytes / 1e6 / best;
// Process CPU time (all of Node's threads, so GC and JIT threads count too): a steadier figure than
// wall time when other processes compete for the cores.
const cpuMbps = bytes / 1e6 / bestCpu;
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `wasm 1-thread: ${mbps.toFixed(1)} MB/s  (${(best * 1e3).toFixed(1)} ms, of which reading ${(bestRead * 1e3).toFixed(1)} ms; ` +
    `process CPU ${(bestCpu * 1e3).toFixed(1)} ms = ${cpuMbps.toFixed(1)} MB/s; ` +
    `median ${(median * 1e3).toFixed(1)} ms; ${parsed.summary.files} files, ${parsed.diagnostics.length} findings; ` +
    `module ${path.relative(repo, moduleFile)}; node ${process.version})`,
);
if (envFile) {
  fs.writeFileSync(
    envFile,
    `WASM_MBPS=${mbps.toFixed(1)}\nWASM_CPU_MBPS=${cpuMbps.toFixed(1)}\nWASM_MS=${(best * 1e3).toFixed(1)}\nWASM_FILES=${parsed.summary.files}\nWASM_FINDINGS=${parsed.diagnostics.length}\n`,
  );
}
