// The GitHub Action (action.yml) in lint mode, its steps run in a simulated runner (helpers.mjs).
//
// Needs the Wasm build (npm run build:wasm).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { INPUT, action, packSilt, repoDir, runAction as runActionIn, silt } from "./helpers.mjs";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "silt-action-test-"));
let tarball;

before(() => {
  tarball = packSilt(tmp);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const runAction = (given, workspace) => runActionIn(given, workspace, tmp);

function workspaceCopy(name) {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(repoDir, "examples", "integration-gone-wrong"), dir, { recursive: true });
  return dir;
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
