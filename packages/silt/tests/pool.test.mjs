// Worker threads (lib/pool.js, crates/silt-wasm/src/pool.rs): `npx silt` checks files on every core,
// each worker with a Wasm instance of its own, and prints exactly what the native CLI prints, whatever
// the number of threads, with a configuration and custom rules, a file discovery cannot read and
// `--fix` (whose writes depend on each file's digest). A worker that fails or sends bad bytes costs
// time, never a result: the main thread checks what it did not deliver.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { before, test } from "node:test";
import { buildNative, repoDir, runNode } from "../test-helpers.mjs";
import { nodeHost } from "../lib/node-host.js";
import { workerPool } from "../lib/pool.js";
import { writeCopies } from "../../../tests/parity/project.mjs";

const wasm = createRequire(import.meta.url)("../node/silt.js");
const example = path.join(repoDir, "examples", "integration-gone-wrong");

let native = null;
let skipReason = null;
before(() => ({ native, skipReason } = buildNative()));

/** The example project copied into a project big enough for worker threads: its folder. */
function bigProject(copies) {
  return writeCopies(copies).dir;
}

function runNative(args, cwd) {
  const r = spawnSync(native, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Run the Wasm CLI in this process on `pool` (wrapped to record what it did): `{code, stdout, log}`.
 * With `workersOnly`, the main thread claims no file: the workers check them all. */
function runWith(pool, argv, cwd, { workersOnly = false } = {}) {
  const chunks = [];
  const log = { started: 0, delivered: 0 };
  const host = {
    ...nodeHost({ stdout: (b) => chunks.push(Buffer.from(b)), stderr: () => {} }),
    cwd: () => cwd,
    pool: {
      start: (...a) => (log.started = pool.start(...a)),
      claim: () => (workersOnly ? -1 : pool.claim()),
      finish: () => {
        const out = pool.finish();
        log.delivered = out.length;
        return out;
      },
    },
  };
  const code = wasm.run(argv, host);
  return { code, stdout: Buffer.concat(chunks), log };
}

test("npx silt on worker threads prints the native CLI's bytes, for every thread count and format", (t) => {
  if (skipReason) return t.skip(skipReason);
  const dir = bigProject(5);
  try {
    for (const format of ["json", "sarif", "human"]) {
      const want = runNative(["lint", ".", "--format", format], dir);
      assert.equal(want.code, 1, want.stderr);
      for (const threads of [[], ["-j", "1"], ["-j", "2"], ["-j", "3"]]) {
        const got = runNode(["lint", ".", "--format", format, ...threads], { cwd: dir });
        assert.equal(got.code, want.code, `${format} ${threads.join(" ")}: ${got.stderr}`);
        assert.ok(got.stdout.equals(want.stdout), `${format} ${threads.join(" ")}: the output differs`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the workers check files (their results are joined) and one thread uses none", (t) => {
  if (skipReason) return t.skip(skipReason);
  const dir = bigProject(5);
  try {
    const want = runNative(["lint", ".", "--format", "json", "-j", "1"], dir);
    const files = JSON.parse(want.stdout).summary.files;
    assert.ok(files >= 100, `${files} files`);
    // Every file but the one discovery could not read comes from the worker.
    const two = runWith(workerPool(), ["lint", ".", "--format", "json", "-j", "2"], dir, { workersOnly: true });
    assert.deepEqual(two.log, { started: 1, delivered: files - 1 });
    assert.equal(two.code, want.code);
    assert.ok(two.stdout.equals(want.stdout));
    const three = runWith(workerPool(), ["lint", ".", "--format", "json", "-j", "3"], dir);
    // At most one thread a core.
    assert.equal(three.log.started, Math.min(3, os.availableParallelism()) - 1);
    assert.ok(three.stdout.equals(want.stdout));
    const one = runWith(workerPool(), ["lint", ".", "--format", "json", "-j", "1"], dir);
    assert.deepEqual(one.log, { started: 0, delivered: 0 });
    assert.ok(one.stdout.equals(want.stdout));
    // A small project is checked on the main thread alone (a worker costs more than it saves).
    const small = runWith(workerPool(), ["lint", example, "--format", "json", "-j", "4"], repoDir);
    assert.deepEqual(small.log, { started: 0, delivered: 0 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Every file below `dir` (names that are not UTF-8 left out): {relative path: bytes}. */
function snapshot(dir) {
  const out = {};
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.name.includes("\ufffd")) continue;
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r));
    }
  };
  walk("");
  return out;
}

test("--fix through the workers writes what the native CLI writes", (t) => {
  if (skipReason) return t.skip(skipReason);
  const a = bigProject(4);
  const b = bigProject(4);
  try {
    const before = snapshot(a);
    const n = runNative(["lint", ".", "--fix", "--format", "json"], a);
    const j = runNode(["lint", ".", "--fix", "--format", "json", "-j", "2"], { cwd: b });
    assert.equal(j.code, n.code, j.stderr);
    assert.ok(j.stdout.equals(n.stdout));
    const [fixedA, fixedB] = [snapshot(a), snapshot(b)];
    assert.deepEqual(Object.keys(fixedB).sort(), Object.keys(fixedA).sort());
    let changed = 0;
    for (const [rel, bytes] of Object.entries(fixedA)) {
      assert.ok(bytes.equals(fixedB[rel]), `${rel} differs after --fix`);
      if (!bytes.equals(before[rel])) changed++;
    }
    assert.ok(changed >= 5, `--fix changed ${changed} files`);
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});

test("workers that fail or send bad bytes cost time, never a result", (t) => {
  if (skipReason) return t.skip(skipReason);
  const dir = bigProject(5);
  try {
    const want = runNative(["lint", ".", "--format", "json"], dir);
    // Workers given a spec they cannot build a linter from: they check nothing.
    const broken = workerPool();
    const failing = { start: (spec, ...rest) => broken.start("{", ...rest), claim: () => broken.claim(), finish: () => broken.finish() };
    const a = runWith(failing, ["lint", ".", "--format", "json", "-j", "2"], dir, { workersOnly: true });
    assert.equal(a.log.started, 1);
    assert.equal(a.log.delivered, 0);
    assert.ok(a.stdout.equals(want.stdout));
    // Results whose bytes are cut short, or that name a file out of range.
    const real = workerPool();
    const garbling = {
      start: (...args) => real.start(...args),
      claim: () => real.claim(),
      finish: () => real.finish().map(([i, bytes], k) => (k % 2 ? [i, bytes.subarray(0, bytes.length >> 1)] : [i + 100000, bytes])),
    };
    const b = runWith(garbling, ["lint", ".", "--format", "json", "-j", "2"], dir, { workersOnly: true });
    assert.ok(b.log.delivered > 50, JSON.stringify(b.log));
    assert.ok(b.stdout.equals(want.stdout));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
