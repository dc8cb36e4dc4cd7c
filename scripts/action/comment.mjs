#!/usr/bin/env node
// GitHub Action, diff mode (diff.sh): create or update ONE pull-request comment holding silt's Markdown
// diff report. The comment is the one whose body starts with the marker `<!-- silt:diff -->` (the first
// line of `silt diff --format markdown`): found on any page of the pull request's comments, it is
// edited; otherwise a new comment is posted. I/O glue only, no dependency (Node 20's fetch).
//
//   node comment.mjs NUMBER BODY_FILE
// Environment: GITHUB_API_URL, GITHUB_REPOSITORY (owner/name), SILT_GITHUB_TOKEN.
//
// It never fails the job: any error (a fork's read-only token answers 403, the network, …) becomes a
// warning annotation and exit code 0; the step's result stays silt's.
import fs from "node:fs";
import { pathToFileURL } from "node:url";

export const MARKER = "<!-- silt:diff -->";
/** GitHub refuses comment bodies over 65,536 characters. */
const MAX_BODY = 65_536;
const TIMEOUT_MS = 30_000;

/** A workflow command's message: `%`, CR and LF escaped. */
function escapeData(s) {
  return String(s).replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** The body as GitHub takes it: starting with the marker, cut at a line end when too long. */
export function commentBody(markdown) {
  let body = markdown.startsWith(MARKER) ? markdown : `${MARKER}\n${markdown}`;
  if (body.length <= MAX_BODY) return body;
  const note = "\n\n… (cut: the whole report is in the job summary)\n";
  body = body.slice(0, MAX_BODY - note.length);
  const nl = body.lastIndexOf("\n");
  return (nl > MARKER.length ? body.slice(0, nl) : body) + note;
}

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(link) {
  for (const part of (link ?? "").split(",")) {
    const m = /<([^>]+)>\s*;.*\brel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return null;
}

class ApiError extends Error {}

async function api(method, url, token, body) {
  const res = await fetch(url, {
    method,
    headers: {
      Accept: "application/vnd.github+json",
      Authorization: `Bearer ${token}`,
      "X-GitHub-Api-Version": "2022-11-28",
      "User-Agent": "silt-action",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) {
    let detail = "";
    try {
      detail = (await res.json()).message ?? "";
    } catch {
      // not JSON: the status says enough
    }
    const hint = res.status === 403 || res.status === 404 ? " (a pull request from a fork gets a read-only token; the job needs `permissions: pull-requests: write`)" : "";
    throw new ApiError(`${method} ${new URL(url).pathname}: HTTP ${res.status}${detail ? ` ${detail}` : ""}${hint}`);
  }
  return res;
}

/** Create or update the marked comment. Resolves to `{ action: "created" | "updated", id }`. */
export async function upsertComment({ apiUrl, repository, number, token, markdown }) {
  const root = apiUrl.replace(/\/+$/, "");
  const body = commentBody(markdown);
  let url = `${root}/repos/${repository}/issues/${number}/comments?per_page=100`;
  while (url) {
    const res = await api("GET", url, token);
    const comments = await res.json();
    if (!Array.isArray(comments)) throw new ApiError(`GET ${new URL(url).pathname}: not a list of comments`);
    const mine = comments.find((c) => typeof c?.body === "string" && c.body.startsWith(MARKER));
    if (mine) {
      await api("PATCH", `${root}/repos/${repository}/issues/comments/${mine.id}`, token, { body });
      return { action: "updated", id: mine.id };
    }
    url = nextLink(res.headers.get("link"));
  }
  const res = await api("POST", `${root}/repos/${repository}/issues/${number}/comments`, token, { body });
  return { action: "created", id: (await res.json()).id };
}

async function main() {
  const [number, bodyFile] = process.argv.slice(2);
  try {
    const repository = process.env.GITHUB_REPOSITORY ?? "";
    const token = process.env.SILT_GITHUB_TOKEN ?? "";
    if (!/^[1-9][0-9]*$/.test(number ?? "")) throw new Error(`not a pull-request number: ${number}`);
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new Error(`GITHUB_REPOSITORY is not owner/name: ${repository}`);
    if (!token) throw new Error("no token (input github-token)");
    const markdown = fs.readFileSync(bodyFile, "utf8");
    const apiUrl = process.env.GITHUB_API_URL || "https://api.github.com";
    const r = await upsertComment({ apiUrl, repository, number, token, markdown });
    console.error(`silt: ${r.action} the pull-request comment ${r.id}`);
  } catch (e) {
    const why = e instanceof ApiError ? e.message : e?.name === "TimeoutError" ? `no answer in ${TIMEOUT_MS / 1000} s` : e instanceof Error ? (e.cause?.message ?? e.message) : String(e);
    console.log(`::warning title=silt::${escapeData(`could not create or update the pull-request comment: ${why}`)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) await main();
