// The GitHub Action's pull-request mode (`mode: diff` / `auto`), its steps run in a simulated runner
// (helpers.mjs) on a real git repository: a bare `origin` with two commits (tests/fixtures/diff/base,
// then head) and a shallow clone of the head commit as the workspace, as actions/checkout leaves it
// (the base commit is not there: the action fetches it). The GitHub REST API is a local HTTP server
// that records every request and answers like GitHub (Link pagination, 403 for a read-only token).
//
// Needs the Wasm build (npm run build:wasm).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { packSilt, repoDir, runAction, silt } from "./helpers.mjs";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "silt-action-pr-test-"));
const MARKER = "<!-- silt:diff -->";
const TOKEN = "ghs_test-token-1234";
const REPOSITORY = "acme/crm";
const NUMBER = 7;
let tarball;
let origin;
let baseSha;
let headSha;

function git(cwd, ...args) {
  const r = spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", ...args], { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

before(() => {
  tarball = packSilt(tmp);
  // origin: base, then head (the pull request's merge result).
  const work = path.join(tmp, "author");
  fs.mkdirSync(work);
  git(work, "init", "-q");
  fs.cpSync(path.join(repoDir, "tests/fixtures/diff/base"), work, { recursive: true });
  git(work, "add", "-A");
  git(work, "commit", "-qm", "base");
  baseSha = git(work, "rev-parse", "HEAD");
  for (const name of fs.readdirSync(work)) if (name !== ".git") fs.rmSync(path.join(work, name), { recursive: true });
  fs.cpSync(path.join(repoDir, "tests/fixtures/diff/head"), work, { recursive: true });
  git(work, "add", "-A");
  git(work, "commit", "-qm", "head");
  headSha = git(work, "rev-parse", "HEAD");
  origin = path.join(tmp, "origin.git");
  git(tmp, "clone", "-q", "--bare", work, origin);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fresh workspace as actions/checkout leaves it: the head commit only (fetch-depth 1). */
function checkout(name) {
  const ws = path.join(tmp, name);
  git(tmp, "clone", "-q", "--depth=1", `file://${origin}`, ws);
  assert.equal(git(ws, "rev-parse", "HEAD"), headSha);
  assert.notEqual(spawnSync("git", ["cat-file", "-e", `${baseSha}^{commit}`], { cwd: ws }).status, 0, "the base commit is not in the checkout");
  return ws;
}

/**
 * The REST API: `comments` are the pull request's comments (served 100 a page, with Link headers as
 * GitHub does); `fail` answers every request with that status. Records every request.
 */
async function apiStub({ comments = [], fail = null } = {}) {
  const requests = [];
  let nextId = 9000;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const url = new URL(req.url, "http://stub");
      requests.push({ method: req.method, path: url.pathname, query: url.search, authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : null });
      const send = (status, value, headers = {}) => {
        res.writeHead(status, { "Content-Type": "application/json", ...headers });
        res.end(JSON.stringify(value));
      };
      if (fail) return send(fail, { message: "Resource not accessible by integration" });
      const list = `/repos/${REPOSITORY}/issues/${NUMBER}/comments`;
      if (req.method === "GET" && url.pathname === list) {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const pages = Math.max(1, Math.ceil(comments.length / perPage));
        const headers = {};
        if (page < pages) headers.Link = `<http://127.0.0.1:${server.address().port}${list}?per_page=${perPage}&page=${page + 1}>; rel="next", <http://127.0.0.1:${server.address().port}${list}?per_page=${perPage}&page=${pages}>; rel="last"`;
        return send(200, comments.slice((page - 1) * perPage, page * perPage), headers);
      }
      if (req.method === "POST" && url.pathname === list) return send(201, { id: nextId++ });
      const patch = /^\/repos\/acme\/crm\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (req.method === "PATCH" && patch) return send(200, { id: Number(patch[1]) });
      send(404, { message: "Not Found" });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

/** The pull_request event of the runner: base and head commits, the number. */
function pullRequestEnv(api, extra = {}) {
  const event = path.join(tmp, `event-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(event, JSON.stringify({ action: "synchronize", number: NUMBER, pull_request: { number: NUMBER, base: { sha: baseSha, ref: "main" }, head: { sha: headSha } } }));
  return { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: REPOSITORY, ...extra };
}

/** silt's own answer (the npm package's CLI) in the workspace, once the base is fetched. */
function siltDiff(ws, format) {
  const r = silt(["diff", "--format", format, "--fail-on", "never", "--", baseSha], ws);
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString();
}

function otherComments(n) {
  return Array.from({ length: n }, (_, i) => ({ id: 100 + i, body: i % 7 === 0 ? `I like this ${MARKER}` : `comment ${i}` }));
}

test("a pull request without silt's comment: the base is fetched, GET then POST of the Markdown report, with the job's token; summary and annotations", async () => {
  const api = await apiStub({ comments: otherComments(3) });
  try {
    const ws = checkout("ws-post");
    const r = await runAction({ version: tarball, mode: "diff", "fail-on": "warning", "github-token": TOKEN }, ws, tmp, pullRequestEnv(api));
    const [install, step] = r.steps;
    assert.equal(install.code, 0, install.stderr);
    const markdown = siltDiff(ws, "markdown");
    assert.ok(markdown.startsWith(`${MARKER}\n`), markdown);
    assert.match(markdown, /ManageUsers/);
    // The exit code is silt's: introduced warnings, fail-on warning.
    assert.equal(step.code, 1, step.stderr);
    assert.equal(silt(["diff", "--format", "github", "--fail-on", "warning", "--", baseSha], ws).status, 1);
    // (c) The job summary is the Markdown report.
    assert.equal(r.summary, markdown);
    // (d) The annotations are silt's, on stdout.
    const annotations = siltDiff(ws, "github");
    assert.match(annotations, /^::warning file=force-app\/main\/default\/connectedApps\/Partner_Feed\.connectedApp-meta\.xml,line=\d+/m);
    assert.ok(step.stdout.startsWith(annotations), `stdout:\n${step.stdout}\nexpected annotations:\n${annotations}`);
    // (a) GET (one page) then POST with the report.
    assert.deepEqual(
      api.requests.map((q) => `${q.method} ${q.path}${q.query}`),
      [`GET /repos/acme/crm/issues/7/comments?per_page=100`, `POST /repos/acme/crm/issues/7/comments`],
    );
    assert.deepEqual(api.requests[1].body, { body: markdown });
    // (f) Every request carries the token.
    for (const q of api.requests) assert.equal(q.authorization, `Bearer ${TOKEN}`);
    assert.equal(r.outputs["sarif-file"], undefined, "no SARIF in diff mode");
  } finally {
    await api.close();
  }
});

test("silt's comment on page 2: the GETs follow the Link header, then PATCH of that comment (mode auto on a pull_request event)", async () => {
  const comments = otherComments(130);
  comments[117] = { id: 4242, body: `${MARKER}\n## silt: an older report` };
  const api = await apiStub({ comments });
  try {
    const ws = checkout("ws-patch");
    const r = await runAction({ version: tarball, mode: "auto", "github-token": TOKEN }, ws, tmp, pullRequestEnv(api));
    const step = r.steps[1];
    assert.equal(step.code, 0, `fail-on error, only warnings introduced: ${step.stderr}`);
    assert.deepEqual(
      api.requests.map((q) => `${q.method} ${q.path}${q.query}`),
      [
        `GET /repos/acme/crm/issues/7/comments?per_page=100`,
        `GET /repos/acme/crm/issues/7/comments?per_page=100&page=2`,
        `PATCH /repos/acme/crm/issues/comments/4242`,
      ],
    );
    assert.deepEqual(api.requests[2].body, { body: siltDiff(ws, "markdown") });
    for (const q of api.requests) assert.equal(q.authorization, `Bearer ${TOKEN}`);
  } finally {
    await api.close();
  }
});

test("an API error (403, a fork's read-only token) is a warning; the step's result stays silt's", async () => {
  const api = await apiStub({ fail: 403 });
  try {
    const ws = checkout("ws-403");
    for (const [failOn, code] of [
      ["never", 0],
      ["warning", 1],
    ]) {
      const before = api.requests.length;
      const r = await runAction({ version: tarball, mode: "diff", "fail-on": failOn, "github-token": TOKEN }, ws, tmp, pullRequestEnv(api));
      const step = r.steps[1];
      assert.equal(step.code, code, step.stderr);
      assert.match(step.stdout, /^::warning title=silt::could not create or update the pull-request comment: GET \/repos\/acme\/crm\/issues\/7\/comments: HTTP 403 Resource not accessible by integration/m);
      assert.equal(api.requests.length, before + 1, "one request, no retry");
      assert.equal(r.summary, siltDiff(ws, "markdown"), "the summary is written all the same");
    }
  } finally {
    await api.close();
  }
  // Nobody listening: a network error is a warning too.
  const ws = checkout("ws-down");
  const r = await runAction({ version: tarball, mode: "diff", "fail-on": "never", "github-token": TOKEN }, ws, tmp, pullRequestEnv({ url: "http://127.0.0.1:9" }));
  assert.equal(r.steps[1].code, 0, r.steps[1].stderr);
  assert.match(r.steps[1].stdout, /^::warning title=silt::could not create or update the pull-request comment: /m);
});

test("comment: false makes no request; a base given as input; no base, a bad base or a bad input is a usage error", async () => {
  const api = await apiStub();
  try {
    const ws = checkout("ws-inputs");
    let r = await runAction({ version: tarball, mode: "diff", comment: "false", base: baseSha, "github-token": TOKEN }, ws, tmp, pullRequestEnv(api, { GITHUB_EVENT_PATH: "" }));
    assert.equal(r.steps[1].code, 0, r.steps[1].stderr);
    assert.equal(r.summary, siltDiff(ws, "markdown"));
    assert.deepEqual(api.requests, []);

    // A push event: no pull request, no base.
    r = await runAction({ version: tarball, mode: "diff", "github-token": TOKEN }, ws, tmp, pullRequestEnv(api, { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: "" }));
    assert.equal(r.steps[1].code, 2);
    assert.match(r.steps[1].stdout, /^::error::silt: diff mode needs a base revision/m);

    // mode auto on a push event lints.
    r = await runAction({ version: tarball, mode: "auto", "fail-on": "never" }, ws, tmp, pullRequestEnv(api, { GITHUB_EVENT_NAME: "push" }));
    assert.equal(r.steps[1].code, 0, r.steps[1].stderr);
    assert.equal(r.steps[1].stdout, silt(["lint", "--format", "github"], ws).stdout.toString());

    r = await runAction({ version: tarball, mode: "diff", base: "no-such-branch", "github-token": TOKEN }, ws, tmp, pullRequestEnv(api));
    assert.equal(r.steps[1].code, 2, "a base that does not exist: silt's usage error");
    assert.match(r.steps[1].stderr, /`no-such-branch` is neither a folder nor a revision/);

    for (const [input, value] of [
      ["mode", "review"],
      ["comment", "yes"],
      ["paths", "force-app data"],
    ]) {
      r = await runAction({ version: tarball, mode: "diff", [input]: value }, ws, tmp, pullRequestEnv(api));
      assert.equal(r.steps[1].code, 2, `${input}: ${value}`);
      assert.match(r.steps[1].stdout, new RegExp(`^::error::silt: .*${value}`, "m"));
    }
    assert.deepEqual(api.requests, []);
  } finally {
    await api.close();
  }
});

test("comment.mjs keeps the marker first and cuts a body over GitHub's limit at a line end", async () => {
  const { commentBody, nextLink } = await import("../../scripts/action/comment.mjs");
  assert.equal(commentBody(`${MARKER}\nx\n`), `${MARKER}\nx\n`);
  assert.equal(commentBody("x\n"), `${MARKER}\nx\n`);
  const long = `${MARKER}\n${"| a | b |\n".repeat(10_000)}`;
  const cut = commentBody(long);
  assert.ok(cut.length <= 65_536 && cut.startsWith(MARKER));
  assert.match(cut, /\| a \| b \|\n\n… \(cut: the whole report is in the job summary\)\n$/);
  assert.equal(nextLink('<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"'), "https://x/a?page=2");
  assert.equal(nextLink('<https://x/a?page=1>; rel="prev"'), null);
  assert.equal(nextLink(null), null);
});
