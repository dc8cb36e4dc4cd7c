// The language server's initial lint of a project: time from spawning the server to the last
// publishDiagnostics of its first lint of the whole workspace, and the server process's peak memory
// (VmHWM of /proc/<pid>/status) and CPU time (user + system, /proc/<pid>/stat). Used by
// scripts/bench.sh (step (h), front ends) on the large benchmark project.
//
//   node bench/start.mjs [--runs N] [--env FILE] DIR        (npm run build first)
//
// Over real LSP JSON-RPC (stdio), as an editor opening DIR as its workspace folder, no document open.
// The server logs `silt: linted …` right after it has sent the lint's diagnostics (stdio keeps the
// order), so that log line is the end. Prints the figures; with --env, writes LSP_MS, LSP_CPU_MS,
// LSP_MB, LSP_FILES, LSP_FILES_PUBLISHED as shell assignments to FILE (the best run by wall
// clock; memory: the highest of the runs). Exit 3: the server is not built.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { LspClient, serverPath } from "../tests/lsp-client.mjs";

const args = process.argv.slice(2);
let runs = 1;
let envFile = null;
let dir = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--runs") runs = Number(args[++i]);
  else if (args[i] === "--env") envFile = args[++i];
  else if (args[i].startsWith("-")) {
    console.error(`start.mjs: unknown option ${args[i]}`);
    process.exit(2);
  } else dir = resolve(args[i]);
}
if (!dir || !(runs >= 1)) {
  console.error("usage: node bench/start.mjs [--runs N] [--env FILE] DIR");
  process.exit(2);
}
if (!existsSync(serverPath)) {
  console.error(`start.mjs: ${serverPath} is not built (npm run --workspace editors/vscode build)`);
  process.exit(3);
}

const TICKS = 100; // USER_HZ

function procStatus(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { hwmKb: kb("VmHWM"), cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS };
}

const linted = /^silt: linted .*: (\d+) files in .*, (\d+) files published/;

async function once() {
  const t0 = performance.now();
  const client = new LspClient(dir, { initializationOptions: { debounceMs: 0 } });
  try {
    let done;
    const finished = new Promise((res) => (done = res));
    const conn = client.conn;
    conn.onNotification("window/logMessage", (p) => {
      client.logs.push(p.message);
      const m = linted.exec(p.message);
      if (m) done({ ms: performance.now() - t0, files: Number(m[1]), published: Number(m[2]) });
    });
    await client.initialize();
    let timer;
    const timeout = new Promise((_, rej) => {
      timer = setTimeout(() => rej(new Error(`no lint within 10 minutes\n${client.logs.join("\n")}\n${client.stderr}`)), 600000);
    });
    const r = await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
    const p = procStatus(client.child.pid);
    return { ...r, mb: p.hwmKb / 1024, cpuMs: p.cpuMs, logs: client.logs };
  } finally {
    await client.stop();
  }
}

let best;
let mb = 0;
for (let i = 0; i < runs; i++) {
  const r = await once();
  mb = Math.max(mb, r.mb);
  if (!best || r.ms < best.ms) best = r;
  console.log(`run ${i + 1}: ${r.ms.toFixed(0)} ms to the last diagnostics (${r.files} files, ${r.published} published), CPU ${r.cpuMs.toFixed(0)} ms, peak ${r.mb.toFixed(1)} MB`);
}
for (const l of best.logs) if (/^silt: (indexed|linted|ready)/.test(l)) console.log(`  server: ${l}`);
console.log(`language server, start -> last diagnostics: ${best.ms.toFixed(0)} ms best of ${runs}, CPU ${best.cpuMs.toFixed(0)} ms, peak memory (VmHWM) ${mb.toFixed(1)} MB`);
if (envFile) {
  writeFileSync(
    envFile,
    [
      `LSP_MS=${best.ms.toFixed(1)}`,
      `LSP_CPU_MS=${best.cpuMs.toFixed(0)}`,
      `LSP_MB=${mb.toFixed(1)}`,
      `LSP_FILES=${best.files}`,
      `LSP_FILES_PUBLISHED=${best.published}`,
      "",
    ].join("\n"),
  );
}
