// The GitHub Action (action.yml) run as a runner runs a composite action: each step's `run` script in
// `bash --noprofile --norc -eo pipefail`, its `env` with `${{ inputs.* }}` filled in, GITHUB_PATH lines
// added to PATH for the next step, and the files GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_PATH and
// GITHUB_ENV in RUNNER_TEMP. The npm package comes from `npm pack packages/silt` (passed as the
// `version` input, an npm package spec) instead of the registry; the install itself is the real one.
//
// Needs the Wasm build (npm run build:wasm).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const action = YAML.parse(fs.readFileSync(path.join(repoDir, "action.yml"), "utf8"));
const siltJs = path.join(repoDir, "packages", "silt", "bin", "silt.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "silt-action-test-"));
let tarball;

before(() => {
  assert.ok(fs.existsSync(path.join(repoDir, "packages", "silt", "node", "silt_bg.wasm")), "run `npm run build:wasm` first");
  const r = spawnSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: path.join(repoDir, "packages", "silt"), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  tarball = path.join(tmp, r.stdout.trim().split("\n").at(-1));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const INPUT = /\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** An `env` value with its `${{ inputs.x }}` filled in (no other expression may appear). */
function expand(value, inputs) {
  const text = String(value);
  const rest = text.replace(INPUT, "");
  assert.ok(!rest.includes("${{"), `unsupported expression in ${text}`);
  return text.replace(INPUT, (_, name) => inputs[name]);
}

/** Run the action's steps in a simulated runner. Resolves to what a workflow would see. */
async function runAction(given, workspace) {
  const inputs = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? String(spec.default ?? "");
  const runnerTemp = fs.mkdtempSync(path.join(tmp, "runner-"));
  const files = Object.fromEntries(["GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV"].map((k) => [k, path.join(runnerTemp, `${k.toLowerCase()}.txt`)]));
  for (const f of Object.values(files)) fs.writeFileSync(f, "");
  const base = { ...process.env, ...files, RUNNER_TEMP: runnerTemp, GITHUB_ACTION_PATH: repoDir, GITHUB_WORKSPACE: workspace, GITHUB_ACTIONS: "true", CI: "true", NO_COLOR: "1" };
  const t0 = performance.now();
  let firstFinding = null;
  const steps = [];
  for (const [n, step] of action.runs.steps.entries()) {
    const script = path.join(runnerTemp, `step-${n}.sh`);
    fs.writeFileSync(script, step.run);
    const extraPath = fs.readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean).reverse();
    const env = { ...base, PATH: [...extraPath, process.env.PATH].join(path.delimiter) };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v, inputs);
    const result = await new Promise((resolve) => {
      const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: workspace, env });
      const out = [];
      const err = [];
      child.stdout.on("data", (d) => {
        if (firstFinding === null && /^::(error|warning|notice) /m.test(d.toString())) firstFinding = performance.now() - t0;
        out.push(d);
      });
      child.stderr.on("data", (d) => err.push(d));
      child.on("close", (code) => resolve({ name: step.name, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    });
    steps.push(result);
    if (result.code !== 0) break; // a failed step ends the job
  }
  const outputs = parseOutputs(fs.readFileSync(files.GITHUB_OUTPUT, "utf8"));
  return { steps, outputs, summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"), firstFinding, total: performance.now() - t0 };
}

/** GITHUB_OUTPUT lines: `name=value` or `name<<DELIMITER` … `DELIMITER`. */
function parseOutputs(text) {
  const out = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i].includes("=")) {
      out[lines[i].slice(0, lines[i].indexOf("="))] = lines[i].slice(lines[i].indexOf("=") + 1);
    }
  }
  return out;
}

function workspaceCopy(name) {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(repoDir, "examples", "integration-gone-wrong"), dir, { recursive: true });
  return dir;
}

function silt(args, cwd) {
  return spawnSync(process.execPath, [siltJs, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
}

test("action.yml: inputs reach the scripts only through env; every input is used", () => {
  assert.equal(action.runs.using, "composite");
  const used = new Set();
  for (const step of action.runs.steps) {
    assert.ok(!step.run.includes("${{"), `step "${step.name}": an expression inside a run script`);
    assert.ok(!step.uses, `step "${step.name}": the action needs no other action`);
    for (const v of Object.values(step.env ?? {})) for (const m of String(v).matchAll(INPUT)) used.add(m[1]);
    for (const m of step.run.matchAll(/\$GITHUB_ACTION_PATH\/([^"\s]+)/g)) assert.ok(fs.existsSync(path.join(repoDir, m[1])), `${m[1]} does not exist`);
  }
  assert.deepEqual([...used].sort(), Object.keys(action.inputs).sort(), "every declared input, and only those, is used");
  assert.doesNotMatch(fs.readFileSync(path.join(repoDir, "action.yml"), "utf8"), /cargo|rustup/, "no Rust build");
});

test("the action's steps in a simulated runner: annotations, SARIF, job summary, outputs; input text is never run", async () => {
  const ws = workspaceCopy("ws-findings");
  // Shell metacharacters in an input: a file name, never a command.
  const sarifName = "silt $(touch PWNED1) `touch PWNED2`; touch PWNED3 && echo x | tee PWNED4 > .sarif";
  const r = await runAction({ version: tarball, "sarif-file": sarifName }, ws);
  const [install, lint] = r.steps;
  assert.equal(install.code, 0, install.stderr);
  assert.match(install.stdout, /^silt \d+\.\d+\.\d+/m);
  assert.equal(lint.code, 1, `findings at error level fail the step: ${lint.stderr}`);
  for (const p of ["PWNED1", "PWNED2", "PWNED3", "PWNED4"]) {
    assert.ok(!fs.existsSync(path.join(ws, p)) && !fs.existsSync(path.join(repoDir, p)), `${p}: an input ran as a command`);
  }
  assert.ok(fs.existsSync(path.join(ws, sarifName)), "the SARIF file has the input's name, as written");
  assert.equal(r.outputs["sarif-file"], sarifName);
  // The same bytes as silt itself (the npm package's CLI) on the same folder.
  assert.equal(lint.stdout, silt(["lint", "--format", "github"], ws).stdout.toString());
  assert.match(lint.stdout, /^::error file=/m);
  assert.equal(fs.readFileSync(path.join(ws, sarifName), "utf8"), silt(["lint", "--format", "sarif"], ws).stdout.toString());
  assert.equal(r.summary, silt(["lint", "--format", "markdown"], ws).stdout.toString());
  assert.match(r.summary, /^## silt/m);
  assert.ok(r.firstFinding !== null, "an annotation was printed");
  const line = `action (simulated runner): ${(r.firstFinding / 1000).toFixed(2)} s from start to first finding (install from the packed npm package included), ${(r.total / 1000).toFixed(2)} s in all`;
  console.log(line);
  assert.ok(r.firstFinding < 60_000, line);
});

test("the action's inputs: paths (space-separated, not expanded), fail-on", async () => {
  const ws = workspaceCopy("ws-inputs");
  let r = await runAction({ version: tarball, paths: "force-app integration-pkg", "fail-on": "never" }, ws);
  assert.equal(r.steps[1].code, 0, r.steps[1].stderr);
  assert.equal(r.steps[1].stdout, silt(["lint", "--format", "github", "force-app", "integration-pkg"], ws).stdout.toString());
  r = await runAction({ version: tarball, paths: "force-app $(touch PWNED5) *", "fail-on": "never" }, ws);
  assert.equal(r.steps[1].code, 2, "a path that does not exist is a usage error");
  assert.match(r.steps[1].stderr, /\$\(touch/, "the path is reported literally");
  assert.ok(!fs.existsSync(path.join(ws, "PWNED5)")) && !fs.existsSync(path.join(ws, "PWNED5")));
});
