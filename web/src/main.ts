// The page: inputs, progress, results (counts, license cards, findings, source and rule docs),
// filters, exports and the `#finding=<fingerprint>` link to the selected finding.

import "./style.css";
import { LintClient, WorkerError } from "./client.ts";
import { hideCompare, setupCompare } from "./diff-view.ts";
import { isZipName, sourceFromDrop, sourceFromFolderInput } from "./input.ts";
import { escapeHtml, inline, renderMarkdown } from "./markdown.ts";
import { renderSource, scrollToHighlight, splitLines } from "./source-view.ts";
import type { AccessHop, AccessReport, Diagnostic, HandOverPlan, InitResult, License, LintResult, Progress, Range, Severity, Source } from "./types.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const el = {
  version: $("version"),
  drop: $("drop"),
  pickFolder: $<HTMLButtonElement>("pick-folder"),
  pickZip: $<HTMLButtonElement>("pick-zip"),
  loadExample: $<HTMLButtonElement>("load-example"),
  folderInput: $<HTMLInputElement>("folder-input"),
  zipInput: $<HTMLInputElement>("zip-input"),
  pasteName: $<HTMLInputElement>("paste-name"),
  pasteText: $<HTMLTextAreaElement>("paste-text"),
  pasteLint: $<HTMLButtonElement>("paste-lint"),
  pasteError: $("paste-error"),
  configDetails: $<HTMLDetailsElement>("config"),
  configText: $<HTMLTextAreaElement>("config-text"),
  configApply: $<HTMLButtonElement>("config-apply"),
  configStarter: $<HTMLButtonElement>("config-starter"),
  configFolder: $<HTMLButtonElement>("config-folder"),
  configError: $("config-error"),
  configState: $("config-state"),
  status: $("status"),
  progress: $<HTMLProgressElement>("progress"),
  warnings: $("warnings"),
  results: $("results"),
  resultsSource: $("results-source"),
  exportSarif: $<HTMLButtonElement>("export-sarif"),
  exportJson: $<HTMLButtonElement>("export-json"),
  counts: $("counts"),
  license: $("license"),
  sevFilters: $("sev-filters"),
  filterRule: $<HTMLSelectElement>("filter-rule"),
  filterFile: $<HTMLSelectElement>("filter-file"),
  filterText: $<HTMLInputElement>("filter-text"),
  filterClear: $<HTMLButtonElement>("filter-clear"),
  listCount: $("list-count"),
  findings: $<HTMLUListElement>("findings"),
  detail: $("detail"),
};

const SEVERITIES: Severity[] = ["error", "warning", "note"];
const SEV_LABEL: Record<Severity, [string, string]> = {
  error: ["error", "errors"],
  warning: ["warning", "warnings"],
  note: ["note", "notes"],
};

const client = new LintClient();
let info: InitResult | null = null;

/** The folders silt never walks, from the worker; before it answers (the page is not ready then),
 * none: every file is handed over and silt still skips them. */
function skippedDirs(): ReadonlySet<string> {
  return new Set(info?.skippedDirs ?? []);
}

const state = {
  result: null as LintResult | null,
  diagnostics: [] as Diagnostic[],
  shown: [] as Diagnostic[],
  active: -1,
  selected: null as string | null,
  fromExample: false,
  sourceLabel: "",
  busy: false,
  /** The files the worker holds (even if their run failed): the configuration can be re-applied to them.
   * `full`: the whole folder, when only the files a lint without `silt.toml` reads were handed over (a
   * configuration applied later may name more: custom rule files, user-data globs). */
  loaded: null as { label: string; fromExample: boolean; full?: Source } | null,
  filters: { sev: new Set<Severity>(SEVERITIES), rule: "", file: "", text: "" },
  /** A fingerprint from the URL waiting for the files it belongs to. */
  pendingFinding: null as string | null,
  docs: new Map<string, string>(),
  sources: new Map<string, string[]>(),
};

// ---------------------------------------------------------------------------------------------
// Status and progress

function setStatus(text: string, kind: "info" | "error" | "ok" = "info"): void {
  el.status.textContent = text;
  el.status.dataset.kind = kind;
}

function showProgress(p: Progress | null): void {
  if (!p) {
    el.progress.hidden = true;
    return;
  }
  el.progress.hidden = false;
  el.progress.max = Math.max(1, p.total);
  el.progress.value = p.done;
  if (p.phase === "lint") {
    const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 1 : 0);
    const bytes = p.totalBytes ? ` (${mb(p.bytes ?? 0)} / ${mb(p.totalBytes)} MB)` : "";
    setStatus(`Checking files… ${p.done} / ${p.total}${bytes}`);
  }
  if (p.phase === "read") setStatus(`Reading files… ${p.done} / ${p.total}`);
  if (p.phase === "unzip") setStatus(`Unzipping… ${p.done} / ${p.total} files`);
}

function setBusy(busy: boolean): void {
  state.busy = busy;
  for (const b of [el.pickFolder, el.pickZip, el.loadExample, el.pasteLint, el.configApply, el.exportJson, el.exportSarif]) {
    b.disabled = busy;
  }
  document.body.classList.toggle("busy", busy);
}

// ---------------------------------------------------------------------------------------------
// Running

async function run(source: Source, fromExample = false): Promise<void> {
  if (state.busy) return;
  setBusy(true);
  el.pasteError.textContent = "";
  clearConfigError();
  setStatus(source.kind === "zip" ? `Opening ${source.label}…` : `Reading ${source.label}…`);
  try {
    const config = el.configText.value.trim() === "" ? null : el.configText.value;
    // The worker holds these files, even if the configuration turns out to be broken: a re-check with
    // a fixed configuration applies to them.
    state.loaded = { label: source.label, fromExample };
    const pending = lint(source, config);
    performance.mark("silt:posted");
    const result = await pending;
    performance.mark("silt:received");
    showResult(result);
    performance.mark("silt:shown");
  } catch (e) {
    failed(e);
  } finally {
    showProgress(null);
    setBusy(false);
  }
}

/**
 * A folder's files, handed to the worker the way silt's `handOver` says (asked of the worker): not
 * those in folders silt never walks, nor, in a folder without `silt.toml` checked without a
 * configuration, those such a lint cannot read (`narrowed`: a project's classes, components and object
 * fields). Each `File` handed over costs the page a call to the browser (about 0.2 ms of CPU).
 */
async function lint(source: Source, config: string | null): Promise<LintResult> {
  const sent = await handOver(source, config !== null);
  // Narrowed: a configuration applied later checks the whole folder again.
  if (state.loaded) state.loaded.full = sent.narrowed ? source : undefined;
  return client.lint<LintResult>({ type: "lint", source: sent.source, config }, showProgress);
}

/** What of `source` (when a chosen folder) silt's `handOver` hands to the worker. */
async function handOver(source: Source, configured: boolean): Promise<{ source: Source; narrowed: boolean }> {
  if (source.kind !== "files") return { source, narrowed: false };
  const plan = await client.call<HandOverPlan>({ type: "select", paths: source.files.map((f) => f.path), configured });
  const files = Array.from(plan.files, (i) => source.files[i]);
  return { source: { ...source, files, skipped: (source.skipped ?? 0) + source.files.length - files.length }, narrowed: plan.narrowed };
}

/** A folder's files for the compare view: those `lint` hands over with a configuration. */
async function compareFiles(source: Source): Promise<Source> {
  return (await handOver(source, true)).source;
}

async function relint(): Promise<void> {
  if (state.busy) return;
  if (!state.loaded) {
    setStatus("Load a folder, a zip or the example project first; the configuration applies to the next check.");
    return;
  }
  setBusy(true);
  clearConfigError();
  try {
    const config = el.configText.value.trim() === "" ? null : el.configText.value;
    const full = state.loaded.full;
    const result = full && config !== null ? await lint(full, config) : await client.call<LintResult>({ type: "relint", config }, showProgress);
    showResult(result);
  } catch (e) {
    failed(e);
  } finally {
    showProgress(null);
    setBusy(false);
  }
}

let failures = 0;

function failed(e: unknown): void {
  document.body.dataset.failures = String(++failures);
  if (e instanceof WorkerError && e.config) {
    showConfigError(e);
    setStatus("The configuration has an error; nothing was checked.", "error");
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  setStatus(`Could not check the files: ${message}`, "error");
}

function clearConfigError(): void {
  el.configError.textContent = "";
  el.configText.removeAttribute("aria-invalid");
}

function showConfigError(e: WorkerError): void {
  const c = e.config!;
  const file = c.file ?? "silt.toml";
  const isConfig = file === "silt.toml";
  const fromFolder = el.configText.value.trim() === "";
  const where = `${isConfig && fromFolder ? "the folder’s " : ""}${file}${c.line ? `, line ${c.line}, column ${c.column}` : ""}`;
  el.configError.textContent = `${where}: ${c.message}`;
  el.configDetails.open = true;
  if (isConfig && !fromFolder && c.line) {
    el.configText.setAttribute("aria-invalid", "true");
    // Select the offending line in the editor.
    const lines = el.configText.value.split("\n");
    const start = lines.slice(0, c.line - 1).reduce((n, l) => n + l.length + 1, 0);
    const end = start + (lines[c.line - 1]?.length ?? 0);
    el.configText.focus();
    el.configText.setSelectionRange(start, end);
  }
}

// ---------------------------------------------------------------------------------------------
// Results

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

let runs = 0;

function showResult(result: LintResult): void {
  const firstShow = el.results.hidden;
  // A result is always about the files the worker holds.
  if (state.loaded) {
    state.sourceLabel = state.loaded.label;
    state.fromExample = state.loaded.fromExample;
  }
  state.sources.clear();
  state.result = result;
  hideCompare();
  // The access view is about the previous files: closed until asked again.
  $("access").hidden = true;
  $("access-source-pane").hidden = true;
  $("show-access").setAttribute("aria-expanded", "false");
  state.docs.clear();
  state.diagnostics = result.report.diagnostics;
  const s = result.report.summary;
  const skipped = result.seen - result.paths.length;
  let text = `Checked ${plural(s.files, "file", "files")} in ${result.millis} ms`;
  if (skipped > 0) text += ` (${plural(skipped, "other file", "other files")} skipped: not read by silt or ignored)`;
  text += ".";
  if (result.paths.length === 0) {
    text = `No file silt reads was found in ${state.sourceLabel}: it reads profiles, permission sets (and groups), connected apps, External Client App policies, user and scratch definitions and user CSV/JSON exports.`;
  }
  if (result.strippedPrefix) text += ` Paths are relative to ${result.strippedPrefix}/ in the zip.`;
  setStatus(text, result.paths.length ? "ok" : "info");

  el.warnings.hidden = result.warnings.length === 0;
  el.warnings.innerHTML = result.warnings.map((w) => `<li>${inline(w)}</li>`).join("");

  el.configState.textContent =
    result.configFrom === "box" ? "(in use)" : result.configFrom === "folder" ? "(using the folder’s silt.toml)" : "(optional)";
  el.configFolder.hidden = result.folderConfig === null;

  el.results.hidden = false;
  el.resultsSource.textContent = `— ${state.sourceLabel}`;
  renderCounts();
  renderLicense(result.report.summary.license ?? null);
  fillFilterOptions();
  applyFilters();

  // Bring the results into view the first time (the inputs stay one scroll away). In the next frame:
  // measuring now would lay the page out inside this task, which on a big folder is long enough.
  if (firstShow) {
    requestAnimationFrame(() => {
      if (el.findings.getBoundingClientRect().top > window.innerHeight - 160) el.results.scrollIntoView({ block: "start" });
    });
  }

  const fromHash = readHash().finding ?? state.pendingFinding;
  const keep = fromHash && state.diagnostics.some((d) => d.fingerprint === fromHash) ? fromHash : null;
  state.pendingFinding = null;
  if (keep) {
    openFinding(keep, { scroll: true });
  } else {
    state.selected = null;
    renderDetailPlaceholder();
    writeHash();
  }
  // For tests and scripts: how many runs have finished.
  document.body.dataset.runs = String(++runs);
}

function renderCounts(): void {
  const s = state.result!.report.summary;
  const sev = SEVERITIES.map((k) => {
    const n = k === "error" ? s.errors : k === "warning" ? s.warnings : s.notes;
    return `<div class="count sev-${k}" data-severity="${k}" data-value="${n}"><span class="num">${n}</span> <span class="lbl">${SEV_LABEL[k][n === 1 ? 0 : 1]}</span></div>`;
  });
  const extra = [
    ["files", s.files, "file", "files"],
    ["suppressed", s.suppressed, "suppressed", "suppressed"],
    ["baselined", s.baselined, "baselined", "baselined"],
    ["fixable", s.fixable, "fixable", "fixable"],
  ] as const;
  const more = extra
    .filter(([k, n]) => k === "files" || n > 0)
    .map(([k, n, one, many]) => `<div class="count minor" data-count="${k}" data-value="${n}"><span class="num">${n}</span> <span class="lbl">${n === 1 ? one : many}</span></div>`);
  el.counts.innerHTML = sev.join("") + more.join("");
}

function money(n: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

function renderLicense(l: License | null): void {
  if (!l) {
    el.license.innerHTML = `<p class="muted">No license summary for these files.</p>`;
    return;
  }
  const users = l.integrationUsers ?? [];
  const shownUsers = users.slice(0, 4).map((u) => `<li title="${escapeHtml(u)}">${escapeHtml(u)}</li>`).join("");
  const moreUsers = users.length > 4 ? `<li class="muted">and ${users.length - 4} more</li>` : "";
  const free = l.freeSeats;
  const edition = l.edition ? `${escapeHtml(l.edition)} edition` : "edition unknown: set it in silt.toml or the scratch definition";
  const need = l.addOnSeatsNeeded;
  const card = (key: string, value: number | null, shown: string, title: string, body: string, tone = "") =>
    `<div class="card ${tone}" data-card="${key}" data-value="${value ?? ""}">
       <h3>${title}</h3><p class="big">${shown}</p><div class="sub">${body}</div></div>`;
  el.license.innerHTML = [
    card(
      "integration-users",
      l.activeIntegrationUsers,
      String(l.activeIntegrationUsers),
      "Active integration users",
      users.length ? `<ul class="users">${shownUsers}${moreUsers}</ul>` : `<span class="muted">none found in the files</span>`,
    ),
    card("free-seats", free, free === null ? "?" : String(free), "Free integration seats", `<span>${edition}</span>`),
    card(
      "add-on-seats",
      need,
      String(need),
      "Add-on seats needed",
      `<span>${plural(l.purchasedSeats, "seat", "seats")} already purchased</span>`,
      need > 0 ? "warn" : "good",
    ),
    card(
      "monthly-cost",
      l.monthlyCost,
      escapeHtml(money(l.monthlyCost, l.currency)),
      "Monthly add-on cost",
      `<span>${escapeHtml(money(l.pricePerSeatMonth, l.currency))} per seat per month</span>`,
      l.monthlyCost > 0 ? "warn" : "good",
    ),
  ].join("");
}

function countBy<K>(items: Diagnostic[], key: (d: Diagnostic) => K): Map<K, number> {
  const m = new Map<K, number>();
  for (const d of items) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
  return m;
}

function fillFilterOptions(): void {
  const f = state.filters;
  const bySev = countBy(state.diagnostics, (d) => d.severity);
  el.sevFilters.innerHTML = SEVERITIES.map((k) => {
    const n = bySev.get(k) ?? 0;
    return `<button type="button" class="chip sev-${k}" data-sev="${k}" aria-pressed="${f.sev.has(k)}">${SEV_LABEL[k][1]} <span class="n">${n}</span></button>`;
  }).join("");
  const rules = [...countBy(state.diagnostics, (d) => d.rule)].sort((a, b) => a[0].localeCompare(b[0]));
  const files = [...countBy(state.diagnostics, (d) => d.file)].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (f.rule && !rules.some(([r]) => r === f.rule)) f.rule = "";
  if (f.file && !files.some(([p]) => p === f.file)) f.file = "";
  el.filterRule.innerHTML =
    `<option value="">All rules (${rules.length})</option>` +
    rules.map(([r, n]) => `<option value="${escapeHtml(r)}">${escapeHtml(r)} (${n})</option>`).join("");
  el.filterFile.innerHTML =
    `<option value="">All files (${files.length})</option>` +
    files.map(([p, n]) => `<option value="${escapeHtml(p)}">${escapeHtml(p)} (${n})</option>`).join("");
  el.filterRule.value = f.rule;
  el.filterFile.value = f.file;
}

function applyFilters(): void {
  const f = state.filters;
  const q = f.text.trim().toLowerCase();
  state.shown = state.diagnostics.filter(
    (d) =>
      f.sev.has(d.severity) &&
      (!f.rule || d.rule === f.rule) &&
      (!f.file || d.file === f.file) &&
      (!q || `${d.message}\n${d.rule}\n${d.file}\n${d.element ?? ""}`.toLowerCase().includes(q)),
  );
  const selIndex = state.shown.findIndex((d) => d.fingerprint === state.selected);
  state.active = selIndex >= 0 ? selIndex : state.shown.length ? 0 : -1;
  renderList();
}

/** The last two segments of a path: `…/profiles/Admin.profile-meta.xml`. */
function shortPath(p: string): string {
  const parts = p.split("/");
  return parts.length > 2 ? `…/${parts.slice(-2).join("/")}` : p;
}

function renderList(): void {
  const total = state.diagnostics.length;
  const n = state.shown.length;
  el.listCount.textContent =
    total === 0 ? "No findings: nothing to fix." : n === total ? plural(total, "finding", "findings") : `Showing ${n} of ${plural(total, "finding", "findings")}`;
  const rows = state.shown.map((d, i) => {
    const sel = d.fingerprint === state.selected;
    const fixable = d.fix ? `<span class="tag fix" title="fixable with silt lint --fix">fix</span>` : "";
    return `<li role="option" id="finding-${i}" class="finding${i === state.active ? " active" : ""}" aria-selected="${sel}"
      data-index="${i}" data-rule="${escapeHtml(d.rule)}" data-file="${escapeHtml(d.file)}" data-line="${d.range.start.line}"
      data-severity="${d.severity}" data-fingerprint="${escapeHtml(d.fingerprint)}">
      <span class="sev-badge sev-${d.severity}">${d.severity}</span>
      <span class="f-main"><span class="f-head"><span class="f-rule">${escapeHtml(d.rule)}</span>${fixable}</span>
      <span class="f-msg">${inline(d.message)}</span>
      <span class="f-loc" title="${escapeHtml(d.file)}">${escapeHtml(shortPath(d.file))}:${d.range.start.line}:${d.range.start.column}</span></span></li>`;
  });
  el.findings.innerHTML = rows.join("");
  updateActive(false);
}

function updateActive(scroll: boolean): void {
  const items = el.findings.children;
  for (let i = 0; i < items.length; i++) items[i].classList.toggle("active", i === state.active);
  if (state.active >= 0 && items[state.active]) {
    el.findings.setAttribute("aria-activedescendant", `finding-${state.active}`);
    if (scroll) (items[state.active] as HTMLElement).scrollIntoView({ block: "nearest" });
  } else {
    el.findings.removeAttribute("aria-activedescendant");
  }
}

function markSelected(): void {
  for (const li of el.findings.querySelectorAll<HTMLElement>("li.finding")) {
    li.setAttribute("aria-selected", String(li.dataset.fingerprint === state.selected));
  }
}

// ---------------------------------------------------------------------------------------------
// Detail: the finding, its source and the rule's documentation

function renderDetailPlaceholder(): void {
  el.detail.innerHTML = `<p class="placeholder muted">${
    state.diagnostics.length ? "Select a finding to see its source and the rule’s documentation." : "No findings."
  }</p>`;
}

// ---------------------------------------------------------------------------------------------
// Access view: every integration user, the tiers of what they hold, each grant's chain.

function hopButton(h: AccessHop): string {
  return `<button type="button" class="link" data-file="${escapeHtml(h.file)}" data-line="${h.line}">${escapeHtml(h.kind)} ${escapeHtml(h.name)} (${escapeHtml(h.file)}:${h.line})</button>`;
}

function renderAccess(r: AccessReport): void {
  const box = $("access-users");
  if (r.users.length === 0) {
    box.innerHTML = `<p class="muted">No integration user, run-as user or integration profile in these files.</p>`;
    return;
  }
  box.innerHTML = r.users
    .map((u) => {
      const who = u.username ?? `users on profile ${u.profile ?? ""}`;
      const about = [u.profile && u.username ? `profile ${u.profile}` : "", `license ${u.license ?? "unknown"}`, u.runAs.length ? `run-as user of ${u.runAs.join(", ")}` : ""]
        .filter(Boolean)
        .join(" · ");
      const tiers = u.tiers.length
        ? u.tiers.map((t) => `<li>tier ${t.tier}: ${t.permissions.map((p) => `<code>${escapeHtml(p)}</code>`).join(", ")}</li>`).join("")
        : `<li class="muted">no admin-level user permission</li>`;
      const grants = u.grants
        .map((g) => {
          const name = g.access ? `${g.permission} ${g.access}` : g.permission;
          const muted = g.mutedBy ? ` <span class="muted">muted by</span> ${hopButton(g.mutedBy)}` : "";
          const assigned = g.assignedAt ? `<li>assigned at ${hopButton(g.assignedAt)}</li>` : "";
          return `<details class="grant${g.muted ? " muted-grant" : ""}"><summary><code>${escapeHtml(name)}</code>${g.muted ? " (muted)" : ""}</summary><ol class="chain">${assigned}${g.via
            .map((h) => `<li>${hopButton(h)}</li>`)
            .join("")}</ol>${muted}</details>`;
        })
        .join("");
      return `<article class="access-user" data-user="${escapeHtml(who)}"><h4>${escapeHtml(who)}</h4><p class="muted">${escapeHtml(about)}</p><ul>${tiers}</ul>${grants}</article>`;
    })
    .join("");
}

async function openAccessSource(file: string, line: number): Promise<void> {
  let lines: string[];
  try {
    lines = await getSource(file);
  } catch (e) {
    $("access-source").textContent = e instanceof Error ? e.message : String(e);
    return;
  }
  const pos = { line, column: 1, columnUtf16: 1, offset: 0 };
  renderSource($("access-source"), lines, { start: pos, end: { ...pos, columnUtf16: (lines[line - 1] ?? "").length + 1 } });
  $("access-source-title").textContent = `${file}:${line}`;
  $("access-source-pane").hidden = false;
  scrollToHighlight($("access-source-scroll"));
}

$("show-access").addEventListener("click", async () => {
  const section = $("access");
  const open = section.hidden;
  section.hidden = !open;
  $("show-access").setAttribute("aria-expanded", String(open));
  if (!open) return;
  try {
    renderAccess(await client.call<AccessReport>({ type: "access" }));
  } catch (e) {
    $("access-users").textContent = e instanceof Error ? e.message : String(e);
  }
});

$("access-users").addEventListener("click", (e) => {
  const b = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-file]");
  if (b) openAccessSource(b.dataset.file!, Number(b.dataset.line));
});

async function getSource(path: string): Promise<string[]> {
  let lines = state.sources.get(path);
  if (!lines) {
    lines = splitLines(await client.call<string>({ type: "source", path }));
    state.sources.set(path, lines);
  }
  return lines;
}

async function getDoc(rule: string): Promise<string> {
  let html = state.docs.get(rule);
  if (html === undefined) {
    try {
      html = renderMarkdown(await client.call<string>({ type: "explain", rule }));
    } catch (e) {
      html = `<p class="muted">No documentation for ${escapeHtml(rule)}: ${escapeHtml(e instanceof Error ? e.message : String(e))}</p>`;
    }
    state.docs.set(rule, html);
  }
  return html;
}

function where(file: string, r: Range): string {
  return `${file}:${r.start.line}:${r.start.column}`;
}

let detailToken = 0;

async function openFinding(fingerprint: string, opts: { scroll?: boolean; focusDetail?: boolean } = {}): Promise<void> {
  const d = state.diagnostics.find((x) => x.fingerprint === fingerprint);
  if (!d) return;
  state.selected = fingerprint;
  const idx = state.shown.indexOf(d);
  if (idx >= 0) {
    state.active = idx;
    updateActive(true);
  }
  markSelected();
  writeHash();
  const token = ++detailToken;

  const related = (d.related ?? [])
    .map(
      (r, i) =>
        `<li><button type="button" class="link" data-related="${i}">${escapeHtml(where(r.file, r.range))}</button> ${inline(r.message)}</li>`,
    )
    .join("");
  const fix = d.fix
    ? `<div class="fix"><strong>Fix available</strong> (<code>silt lint --fix</code>): ${inline(d.fix.description)}<ul>${d.fix.edits
        .map((e) => `<li>${escapeHtml(where(e.file, e.range))}: <code>${escapeHtml(e.newText) || "(delete)"}</code></li>`)
        .join("")}</ul></div>`
    : "";
  el.detail.innerHTML = `
    <article class="finding-detail" aria-labelledby="detail-msg">
      <div class="detail-head">
        <button type="button" class="button subtle small back" id="back-to-list">← Findings</button>
        <p class="detail-meta"><span class="sev-badge sev-${d.severity}">${d.severity}</span> <code class="rule-name">${escapeHtml(d.rule)}</code></p>
        <h3 id="detail-msg" class="detail-msg">${inline(d.message)}</h3>
        <p class="detail-where"><span class="path">${escapeHtml(where(d.file, d.range))}</span>${
          d.element ? ` · <span class="muted">${escapeHtml(d.element)}</span>` : ""
        }</p>
        ${related ? `<div class="related"><strong>Related</strong><ul>${related}</ul></div>` : ""}
        ${fix}
      </div>
      <div class="detail-body">
        <section class="source-pane" aria-label="Source">
          <div class="pane-head"><span id="source-title" class="path"></span><span id="source-extra"></span></div>
          <div id="source-scroll" class="source-scroll" tabindex="0" aria-label="Source of ${escapeHtml(d.file)}">
            <pre id="source" class="source"><span class="muted">Loading…</span></pre>
          </div>
        </section>
        <section class="doc-pane" aria-label="Rule documentation">
          <div class="pane-head"><span>Rule documentation</span></div>
          <div id="doc" class="doc"><p class="muted">Loading…</p></div>
        </section>
      </div>
    </article>`;

  $("back-to-list").addEventListener("click", () => {
    el.findings.focus();
    el.findings.scrollIntoView({ block: "nearest" });
  });
  for (const b of el.detail.querySelectorAll<HTMLButtonElement>("button[data-related]")) {
    b.addEventListener("click", () => {
      const r = d.related![Number(b.dataset.related)];
      showSource(r.file, r.range, token, `related: ${r.message}`, d);
    });
  }

  if (opts.scroll && window.matchMedia("(max-width: 899px)").matches) {
    el.detail.scrollIntoView({ block: "start" });
  }
  const [, doc] = await Promise.all([showSource(d.file, d.range, token, null, d), getDoc(d.rule)]);
  if (token !== detailToken) return;
  $("doc").innerHTML = doc;
  if (opts.focusDetail) $("source-scroll").focus();
}

async function showSource(file: string, range: Range, token: number, note: string | null, d: Diagnostic): Promise<void> {
  let lines: string[];
  try {
    lines = await getSource(file);
  } catch (e) {
    if (token === detailToken) $("source").textContent = e instanceof Error ? e.message : String(e);
    return;
  }
  if (token !== detailToken) return;
  const pre = $("source");
  const scroller = $("source-scroll");
  const view = renderSource(pre, lines, range);
  $("source-title").textContent = `${file}`;
  const extra = $("source-extra");
  extra.innerHTML = "";
  const bits: string[] = [];
  bits.push(
    range.start.line === range.end.line ? `line ${range.start.line}` : `lines ${range.start.line}–${range.end.line}`,
  );
  if (view.from > 1 || view.to < view.total) bits.push(`showing ${view.from}–${view.to} of ${view.total}`);
  if (note) bits.push(note);
  extra.append(document.createTextNode(` · ${bits.join(" · ")}`));
  if (view.from > 1 || view.to < view.total) {
    const all = document.createElement("button");
    all.type = "button";
    all.className = "link";
    all.textContent = "show whole file";
    all.addEventListener("click", () => {
      renderSource(pre, lines, range, true);
      all.remove();
      scrollToHighlight(scroller);
    });
    extra.append(" ", all);
  }
  if (note) {
    const back = document.createElement("button");
    back.type = "button";
    back.className = "link";
    back.textContent = "back to the finding";
    back.addEventListener("click", () => showSource(d.file, d.range, token, null, d));
    extra.append(" ", back);
  }
  scrollToHighlight(scroller);
}

// ---------------------------------------------------------------------------------------------
// URL hash: #finding=<fingerprint>[&source=example]

function readHash(): { finding: string | null; example: boolean } {
  const p = new URLSearchParams(location.hash.slice(1));
  return { finding: p.get("finding"), example: p.get("source") === "example" };
}

function writeHash(): void {
  const p = new URLSearchParams();
  if (state.selected) p.set("finding", state.selected);
  if (state.fromExample) p.set("source", "example");
  const hash = p.toString();
  const url = hash ? `#${hash}` : location.pathname + location.search;
  if (`#${hash}` !== location.hash && !(hash === "" && location.hash === "")) history.replaceState(null, "", url);
}

window.addEventListener("hashchange", () => {
  const { finding } = readHash();
  if (finding && finding !== state.selected && state.diagnostics.some((d) => d.fingerprint === finding)) {
    openFinding(finding, { scroll: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Exports

async function exportReport(format: "json" | "sarif"): Promise<void> {
  if (!state.result || state.busy) return;
  try {
    const text = await client.call<string>({ type: "export", format });
    const type = format === "sarif" ? "application/sarif+json" : "application/json";
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = format === "sarif" ? "silt.sarif" : "silt-report.json";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`, "error");
  }
}

// ---------------------------------------------------------------------------------------------
// Events

el.pickFolder.addEventListener("click", () => el.folderInput.click());
el.pickZip.addEventListener("click", () => el.zipInput.click());

el.folderInput.addEventListener("change", () => {
  performance.mark("silt:chosen");
  const source = el.folderInput.files ? sourceFromFolderInput(el.folderInput.files) : null;
  performance.mark("silt:listed");
  el.folderInput.value = "";
  if (source) run(source);
});

el.zipInput.addEventListener("change", () => {
  const file = el.zipInput.files?.[0];
  el.zipInput.value = "";
  if (file) run({ kind: "zip", label: file.name, file });
});

async function loadExample(): Promise<void> {
  if (state.busy) return;
  const { exampleFiles, EXAMPLE_NAME } = await import("./example.ts");
  await run({ kind: "texts", label: `example project ${EXAMPLE_NAME}`, files: exampleFiles, example: true }, true);
}
el.loadExample.addEventListener("click", () => {
  state.pendingFinding = readHash().finding;
  loadExample();
});

el.pasteLint.addEventListener("click", async () => {
  const name = el.pasteName.value.trim().replace(/\\/g, "/").replace(/^\/+/, "");
  const text = el.pasteText.value;
  el.pasteError.textContent = "";
  if (!name) {
    el.pasteError.textContent = "Give the file a name, e.g. Integration.profile-meta.xml.";
    el.pasteName.focus();
    return;
  }
  if (!text.trim()) {
    el.pasteError.textContent = "Paste the file’s contents first.";
    el.pasteText.focus();
    return;
  }
  const kind = await client.call<string | null>({ type: "classify", path: name });
  if (!kind || kind === "Config") {
    el.pasteError.textContent = `silt does not read a file named “${name}”. Use the metadata file name, e.g. Integration.profile-meta.xml, Sales.permissionset-meta.xml or My_App.connectedApp-meta.xml.`;
    el.pasteName.focus();
    return;
  }
  run({ kind: "texts", label: name, files: [{ path: name, contents: text }] });
});

el.configApply.addEventListener("click", () => relint());
el.configStarter.addEventListener("click", () => {
  if (!info) return;
  if (el.configText.value.trim() && !confirm("Replace the configuration in the editor with the starter file?")) return;
  el.configText.value = info.starterConfig;
  el.configText.focus();
});
el.configFolder.addEventListener("click", () => {
  const folder = state.result?.folderConfig;
  if (folder == null) return;
  el.configText.value = folder;
  el.configText.focus();
});

el.exportSarif.addEventListener("click", () => exportReport("sarif"));
el.exportJson.addEventListener("click", () => exportReport("json"));

// Filters
el.sevFilters.addEventListener("click", (e) => {
  const b = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-sev]");
  if (!b) return;
  const k = b.dataset.sev as Severity;
  const f = state.filters.sev;
  if (f.has(k)) f.delete(k);
  else f.add(k);
  b.setAttribute("aria-pressed", String(f.has(k)));
  applyFilters();
});
el.filterRule.addEventListener("change", () => {
  state.filters.rule = el.filterRule.value;
  applyFilters();
});
el.filterFile.addEventListener("change", () => {
  state.filters.file = el.filterFile.value;
  applyFilters();
});
el.filterText.addEventListener("input", () => {
  state.filters.text = el.filterText.value;
  applyFilters();
});
el.filterClear.addEventListener("click", () => {
  state.filters = { sev: new Set(SEVERITIES), rule: "", file: "", text: "" };
  el.filterText.value = "";
  fillFilterOptions();
  applyFilters();
});

// The findings list: a listbox with the active row moved by the arrow keys, opened with Enter.
el.findings.addEventListener("click", (e) => {
  const li = (e.target as HTMLElement).closest<HTMLElement>("li.finding");
  if (!li) return;
  state.active = Number(li.dataset.index);
  updateActive(false);
  el.findings.focus({ preventScroll: true });
  openFinding(li.dataset.fingerprint!, { scroll: true });
});
el.findings.addEventListener("focus", () => {
  if (state.active < 0 && state.shown.length) {
    state.active = 0;
    updateActive(true);
  }
});
el.findings.addEventListener("keydown", (e) => {
  const n = state.shown.length;
  if (!n) return;
  let next = state.active;
  switch (e.key) {
    case "ArrowDown":
      next = Math.min(n - 1, state.active + 1);
      break;
    case "ArrowUp":
      next = Math.max(0, state.active - 1);
      break;
    case "Home":
      next = 0;
      break;
    case "End":
      next = n - 1;
      break;
    case "PageDown":
      next = Math.min(n - 1, state.active + 10);
      break;
    case "PageUp":
      next = Math.max(0, state.active - 10);
      break;
    case "Enter":
    case " ":
      e.preventDefault();
      if (state.active >= 0) openFinding(state.shown[state.active].fingerprint, { scroll: true });
      return;
    default:
      return;
  }
  e.preventDefault();
  state.active = next;
  updateActive(true);
});

el.detail.addEventListener("keydown", (e) => {
  if (e.key === "Escape") {
    e.preventDefault();
    el.findings.focus();
  }
});

// Drag and drop anywhere on the page.
let dragDepth = 0;
document.addEventListener("dragenter", (e) => {
  if (!e.dataTransfer?.types.includes("Files")) return;
  dragDepth++;
  el.drop.classList.add("dragging");
});
document.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) el.drop.classList.remove("dragging");
});
document.addEventListener("dragover", (e) => {
  if (!e.dataTransfer?.types.includes("Files")) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = "copy";
});
document.addEventListener("drop", (e) => {
  if (!e.dataTransfer) return;
  e.preventDefault();
  dragDepth = 0;
  el.drop.classList.remove("dragging");
  if (state.busy) return;
  const pending = sourceFromDrop(e.dataTransfer, (n) => setStatus(`Listing files… ${n}`), skippedDirs());
  if (!pending) return;
  setStatus("Listing files…");
  pending.then(
    (source) => {
      if (!source) return;
      if (source.kind === "files" && source.files.length === 1 && isZipName(source.files[0].path)) {
        run({ kind: "zip", label: source.label, file: source.files[0].file });
      } else run(source);
    },
    (err) => setStatus(`Could not read the dropped items: ${err instanceof Error ? err.message : String(err)}`, "error"),
  );
});

// Compare mode (diff-view.ts): two versions, silt's diff report.
setupCompare({
  client,
  setStatus,
  showProgress,
  isBusy: () => state.busy,
  setBusy,
  config: () => (el.configText.value.trim() === "" ? null : el.configText.value),
  failed,
  onShow: () => (el.results.hidden = true),
  skippedDirs,
  compareFiles,
});

// ---------------------------------------------------------------------------------------------
// Start: load the Wasm module in the worker right away, so the page keeps working offline.

client.call<InitResult>({ type: "init" }).then(
  (i) => {
    info = i;
    el.version.textContent = `v${i.version}`;
    document.body.dataset.ready = "true";
    const { example } = readHash();
    if (example) {
      state.pendingFinding = readHash().finding;
      loadExample();
    } else {
      setStatus("Ready. Choose a folder or a zip, drop files here, paste a file or load the example project.");
    }
    // Fetch the example chunk now too: everything is in memory if the network goes away.
    const idle = (cb: () => void) => ("requestIdleCallback" in window ? requestIdleCallback(cb) : setTimeout(cb, 500));
    idle(() => void import("./example.ts").then(() => (document.body.dataset.exampleReady = "true")));
  },
  (e) => setStatus(`silt could not start: ${e instanceof Error ? e.message : String(e)}`, "error"),
);
