// The GitHub Action (action.yml) run the way a runner runs a composite action: each step's `run` script
// in `bash --noprofile --norc -eo pipefail`, its `env` with `${{ inputs.* }}` filled in, GITHUB_PATH
// lines added to PATH for the next step, and the files GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_PATH
// and GITHUB_ENV in RUNNER_TEMP. The npm package comes from `npm pack packages/silt` (passed as the
// `version` input, an npm package spec) instead of the registry; the install itself is the real one.
//
// Shared by the action's tests (not a test file itself). Needs the Wasm build (npm run build:wasm).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const action = YAML.parse(fs.readFileSync(path.join(repoDir, "action.yml"), "utf8"));
export const siltJs = path.join(repoDir, "packages", "silt", "bin", "silt.js");

/** `npm pack packages/silt` into `dir`: the path of the tarball, an npm package spec for `version`. */
export function packSilt(dir) {
  assert.ok(fs.existsSync(path.join(repoDir, "packages", "silt", "node", "silt_bg.wasm")), "run `npm run build:wasm` first");
  const r = spawnSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: path.join(repoDir, "packages", "silt"), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return path.join(dir, r.stdout.trim().split("\n").at(-1));
}

export const INPUT = /\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g;

/** An `env` value with its `${{ inputs.x }}` filled in (no other expression may appear). */
function expand(value, inputs) {
  const text = String(value);
  const rest = text.replace(INPUT, "");
  assert.ok(!rest.includes("${{"), `unsupported expression in ${text}`);
  return text.replace(INPUT, (_, name) => inputs[name]);
}

/**
 * Run the action's steps in a simulated runner, in `workspace`, below `tmp`. `env` adds to the runner's
 * environment (GITHUB_EVENT_PATH, GITHUB_API_URL, …). Resolves to what a workflow would see.
 */
export async function runAction(given, workspace, tmp, env = {}) {
  const inputs = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? String(spec.default ?? "");
  const runnerTemp = fs.mkdtempSync(path.join(tmp, "runner-"));
  const files = Object.fromEntries(["GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV"].map((k) => [k, path.join(runnerTemp, `${k.toLowerCase()}.txt`)]));
  for (const f of Object.values(files)) fs.writeFileSync(f, "");
  const base = { ...process.env, ...files, RUNNER_TEMP: runnerTemp, GITHUB_ACTION_PATH: repoDir, GITHUB_WORKSPACE: workspace, GITHUB_ACTIONS: "true", CI: "true", NO_COLOR: "1", ...env };
  const t0 = performance.now();
  let firstFinding = null;
  const steps = [];
  for (const [n, step] of action.runs.steps.entries()) {
    const script = path.join(runnerTemp, `step-${n}.sh`);
    fs.writeFileSync(script, step.run);
    const extraPath = fs.readFileSync(files.GITHUB_PATH, "utf8").split("\n").filter(Boolean).reverse();
    const stepEnv = { ...base, PATH: [...extraPath, process.env.PATH].join(path.delimiter) };
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = expand(v, inputs);
    const result = await new Promise((resolve) => {
      const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: workspace, env: stepEnv });
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

/** silt itself (the npm package's CLI) in `cwd`. */
export function silt(args, cwd) {
  return spawnSync(process.execPath, [siltJs, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
}
