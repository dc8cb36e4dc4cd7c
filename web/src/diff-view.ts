// Compare mode: a "before" and an "after" version (folder, zip or drop, as the main input takes them),
// compared by silt in the worker (the Wasm `diff()`, what `silt diff --format json` prints), and the
// report shown: effective access added and removed per user with the chain that grants it, app
// changes, integration seats and cost before and after, findings introduced and fixed. Rendering
// only: what changed is silt's answer.

import "./diff-view.css";
import type { LintClient } from "./client.ts";
import { isZipName, sourceFromDrop, sourceFromFolderInput } from "./input.ts";
import { escapeHtml, inline } from "./markdown.ts";
import type { AccessChange, AccessGrant, AppChange, AppSettingChange, Diagnostic, DiffReport, DiffResult, License, Progress, Source } from "./types.ts";

export interface CompareHost {
  client: LintClient;
  setStatus(text: string, kind?: "info" | "error" | "ok"): void;
  showProgress(p: Progress | null): void;
  isBusy(): boolean;
  setBusy(busy: boolean): void;
  /** The config box's text (null when empty): it applies to both versions. */
  config(): string | null;
  /** A run failed (configuration errors go to the config box). */
  failed(e: unknown): void;
  /** The compare view is about to show: the single-version results hide. */
  onShow(): void;
  /** The folders silt never walks: a dropped folder's walk skips them. */
  skippedDirs(): ReadonlySet<string>;
  /** A chosen folder's files without those silt never reads (each `File` handed over costs the page). */
  compareFiles(source: Source): Promise<Source>;
}

type Side = "before" | "after";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const chosen: Record<Side, Source | null> = { before: null, after: null };
let compares = 0;

/** Hide the compare view (a single-version check is shown instead). */
export function hideCompare(): void {
  $("diff").hidden = true;
}

export function setupCompare(host: CompareHost): void {
  const run = $<HTMLButtonElement>("compare-run");

  const choose = (side: Side, source: Source | null) => {
    if (!source) return;
    chosen[side] = source;
    $(`compare-${side}-label`).textContent = source.label;
    $(`compare-${side}`).classList.add("loaded");
    run.disabled = !(chosen.before && chosen.after);
    if (chosen.before && chosen.after) compare();
  };

  const compare = async () => {
    const base = chosen.before;
    const head = chosen.after;
    if (!base || !head || host.isBusy()) return;
    host.setBusy(true);
    run.disabled = true;
    host.setStatus(`Comparing ${base.label} with ${head.label}…`);
    try {
      const [b, h] = await Promise.all([host.compareFiles(base), host.compareFiles(head)]);
      const result = await host.client.call<DiffResult>({ type: "diff", base: b, head: h, config: host.config() }, host.showProgress);
      host.onShow();
      show(result, base.label, head.label);
      host.setStatus(
        `Compared ${base.label} (${plural(result.files.base, "file", "files")}) with ${head.label} (${plural(result.files.head, "file", "files")}) in ${result.millis} ms.`,
        "ok",
      );
      document.body.dataset.compares = String(++compares);
    } catch (e) {
      host.failed(e);
    } finally {
      host.showProgress(null);
      host.setBusy(false);
      run.disabled = !(chosen.before && chosen.after);
    }
  };

  for (const side of ["before", "after"] as const) {
    const slot = $(`compare-${side}`);
    const folder = $<HTMLInputElement>(`compare-${side}-folder`);
    const zip = $<HTMLInputElement>(`compare-${side}-zip`);
    slot.querySelector<HTMLButtonElement>("[data-pick=folder]")!.addEventListener("click", () => folder.click());
    slot.querySelector<HTMLButtonElement>("[data-pick=zip]")!.addEventListener("click", () => zip.click());
    folder.addEventListener("change", () => {
      const source = folder.files ? sourceFromFolderInput(folder.files) : null;
      folder.value = "";
      choose(side, source);
    });
    zip.addEventListener("change", () => {
      const file = zip.files?.[0];
      zip.value = "";
      if (file) choose(side, { kind: "zip", label: file.name, file });
    });
    // A drop on a slot is that version (not a check of the page's main input).
    slot.addEventListener("dragover", (e) => {
      if (!e.dataTransfer?.types.includes("Files")) return;
      e.preventDefault();
      e.stopPropagation();
      slot.classList.add("dragging");
    });
    slot.addEventListener("dragleave", () => slot.classList.remove("dragging"));
    slot.addEventListener("drop", (e) => {
      if (!e.dataTransfer) return;
      e.preventDefault();
      e.stopPropagation();
      slot.classList.remove("dragging");
      $("drop").classList.remove("dragging");
      if (host.isBusy()) return;
      const pending = sourceFromDrop(e.dataTransfer, (n) => host.setStatus(`Listing files… ${n}`), host.skippedDirs());
      pending?.then(
        (source) => {
          if (source?.kind === "files" && source.files.length === 1 && isZipName(source.files[0].path)) {
            choose(side, { kind: "zip", label: source.label, file: source.files[0].file });
          } else choose(side, source);
        },
        (err) => host.setStatus(`Could not read the dropped items: ${err instanceof Error ? err.message : String(err)}`, "error"),
      );
    });
  }
  run.addEventListener("click", () => compare());
}

// ---------------------------------------------------------------------------------------------
// Rendering

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function show(result: DiffResult, before: string, after: string): void {
  const r = result.report;
  const section = $("diff");
  $("diff-source").textContent = `— ${before} → ${after}`;
  const warnings = $("diff-warnings");
  warnings.hidden = result.warnings.length === 0;
  warnings.innerHTML = result.warnings.map((w) => `<li>${inline(w)}</li>`).join("");
  $("diff-body").innerHTML = [summary(r), accessView(r.access), appsView(r.apps), licenseView(r.license.before, r.license.after), findingsView(r)].join("");
  section.hidden = false;
  section.scrollIntoView({ block: "start" });
}

function summary(r: DiffReport): string {
  const added = r.access.reduce((n, u) => n + u.added.length, 0);
  const removed = r.access.reduce((n, u) => n + u.removed.length, 0);
  const bits = [
    `<span data-summary="introduced">${plural(r.findings.introduced.length, "finding", "findings")} introduced</span>`,
    `<span data-summary="fixed">${r.findings.fixed.length} fixed</span>`,
    `<span data-summary="access">access: ${added} added, ${removed} removed for ${plural(r.access.length, "user", "users")}</span>`,
    `<span data-summary="apps">${plural(r.apps.length, "app", "apps")} changed</span>`,
  ];
  return `<p class="diff-summary">${bits.join(" · ")}</p>`;
}

/** `Sync_Group › Sync_Core`: the chain's names, outermost first. */
function chain(g: AccessGrant): string {
  return g.via.map((h) => escapeHtml(h.name)).join(" › ");
}

function grantItem(g: AccessGrant, change: "added" | "removed"): string {
  const name = g.access ? `${g.permission} ${g.access}` : g.permission;
  const tier = g.tier !== undefined ? ` <span class="dtag tier">tier ${g.tier}</span>` : "";
  const muted = g.muted ? ` <span class="muted">(muted${g.mutedBy ? ` by ${escapeHtml(g.mutedBy.name)}` : ""})</span>` : "";
  const hops = [
    ...(g.assignedAt ? [`assigned at ${escapeHtml(`${g.assignedAt.file}:${g.assignedAt.line}`)}`] : []),
    ...g.via.map((h) => `${escapeHtml(h.kind)} ${escapeHtml(h.name)} <span class="muted">(${escapeHtml(`${h.file}:${h.line}`)})</span>`),
  ];
  return `<li class="grant-change ${change}" data-change="${change}" data-permission="${escapeHtml(g.permission)}" data-kind="${escapeHtml(g.kind)}"${
    g.access ? ` data-access="${escapeHtml(g.access)}"` : ""
  } data-chain="${escapeHtml(g.via.map((h) => h.name).join(" › "))}">
    <details><summary><span class="sign" aria-label="${change}">${change === "added" ? "+" : "−"}</span> <code>${escapeHtml(name)}</code>${tier}${muted}${
      g.via.length ? ` <span class="via">via ${chain(g)}</span>` : ""
    }</summary><ol class="chain">${hops.map((h) => `<li>${h}</li>`).join("")}</ol></details></li>`;
}

function accessView(users: AccessChange[]): string {
  const head = `<h3>Effective access</h3>`;
  if (users.length === 0) return `<section class="diff-part" data-part="access">${head}<p class="muted">No change in any user’s effective access.</p></section>`;
  const body = users
    .map((u) => {
      const badges = [
        u.status === "added" ? `<span class="dtag new">new user</span>` : u.status === "removed" ? `<span class="dtag gone">removed user</span>` : "",
        u.kind === "runAs" ? `<span class="dtag">run-as user</span>` : "",
        u.integration ? `<span class="dtag">Salesforce Integration license</span>` : "",
        u.runAs.length ? `<span class="muted">run-as user of ${u.runAs.map(escapeHtml).join(", ")}</span>` : "",
      ].filter(Boolean);
      const grants = [...u.added.map((g) => grantItem(g, "added")), ...u.removed.map((g) => grantItem(g, "removed"))].join("");
      return `<article class="diff-user" data-user="${escapeHtml(u.username)}" data-status="${escapeHtml(u.status)}"><h4><code>${escapeHtml(u.username)}</code> ${badges.join(" ")}</h4><ul class="grant-changes">${grants}</ul></article>`;
    })
    .join("");
  return `<section class="diff-part" data-part="access">${head}${body}</section>`;
}

/** Settings that hold a list (one row per value): shown as +value / −value. */
const LIST_SETTINGS = new Set(["scope", "callbackUrl", "permissionSet", "profile"]);

function settingText(c: AppSettingChange): string {
  const v = (s: string | null) => (s === null ? `<span class="muted">(none)</span>` : `<code>${escapeHtml(s)}</code>`);
  if (LIST_SETTINGS.has(c.setting) && (c.before === null) !== (c.after === null)) {
    return c.after !== null ? `${escapeHtml(c.setting)} +${v(c.after)}` : `${escapeHtml(c.setting)} −${v(c.before)}`;
  }
  return `${escapeHtml(c.setting)} ${v(c.before)} → ${v(c.after)}`;
}

function appsView(apps: AppChange[]): string {
  const head = `<h3>Connected apps and External Client Apps</h3>`;
  if (apps.length === 0) return `<section class="diff-part" data-part="apps">${head}<p class="muted">No change to an app’s security settings.</p></section>`;
  const KIND: Record<string, string> = { ConnectedApp: "connected app", EcaPolicy: "External Client App policy", EcaGlobalOauth: "External Client App OAuth settings", EcaOauth: "External Client App OAuth settings" };
  const rows = apps
    .map((a) => {
      const changes = a.changes
        .map(
          (c) =>
            `<li class="setting${c.risky ? " risky" : ""}" data-setting="${escapeHtml(c.setting)}" data-before="${escapeHtml(c.before ?? "")}" data-after="${escapeHtml(c.after ?? "")}" data-risky="${c.risky}">${
              c.risky ? `<span class="risk" title="widens access or exposure">⚠</span> ` : ""
            }${settingText(c)}</li>`,
        )
        .join("");
      return `<tr class="app-change" data-app="${escapeHtml(a.app)}" data-status="${escapeHtml(a.status)}"><td><span class="muted">${escapeHtml(KIND[a.kind] ?? a.kind)}</span> <code>${escapeHtml(
        a.name,
      )}</code><div class="muted path">${escapeHtml(a.file)}</div></td><td><span class="dtag ${escapeHtml(a.status)}">${escapeHtml(a.status)}</span></td><td><ul class="settings">${changes}</ul></td></tr>`;
    })
    .join("");
  return `<section class="diff-part" data-part="apps">${head}<div class="table-scroll"><table class="diff-table"><thead><tr><th>app</th><th>status</th><th>change</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function money(n: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

function licenseView(before: License, after: License): string {
  const rows: [string, string, number | null, number | null, (n: number | null, l: License) => string][] = [
    ["integration-users", "Active integration users", before.activeIntegrationUsers, after.activeIntegrationUsers, (n) => String(n)],
    ["free-seats", "Free integration seats", before.freeSeats ?? null, after.freeSeats ?? null, (n) => (n === null ? "?" : String(n))],
    ["purchased-seats", "Purchased seats", before.purchasedSeats, after.purchasedSeats, (n) => String(n)],
    ["add-on-seats", "Add-on seats needed", before.addOnSeatsNeeded, after.addOnSeatsNeeded, (n) => String(n)],
    ["monthly-cost", "Monthly add-on cost", before.monthlyCost, after.monthlyCost, (n, l) => money(n ?? 0, l.currency)],
  ];
  const body = rows
    .map(
      ([key, label, b, a, fmt]) =>
        `<tr data-license="${key}" class="${a !== b ? "changed" : ""}"><th scope="row">${label}</th><td data-side="before" data-value="${b ?? ""}">${escapeHtml(fmt(b, before))}</td><td data-side="after" data-value="${
          a ?? ""
        }">${escapeHtml(fmt(a, after))}</td></tr>`,
    )
    .join("");
  const users = (l: License) => (l.integrationUsers ?? []).map((u) => `<code>${escapeHtml(u)}</code>`).join(", ") || `<span class="muted">none</span>`;
  return `<section class="diff-part" data-part="license"><h3>Integration licenses</h3><div class="table-scroll"><table class="diff-table license-table"><thead><tr><th></th><th>before</th><th>after</th></tr></thead><tbody>${body}<tr data-license="users"><th scope="row">Integration users</th><td>${users(
    before,
  )}</td><td>${users(after)}</td></tr></tbody></table></div></section>`;
}

function findingItem(d: Diagnostic, change: "introduced" | "fixed"): string {
  const at = `${d.file}:${d.range.start.line}:${d.range.start.column}`;
  return `<li class="diff-finding ${change}" data-change="${change}" data-rule="${escapeHtml(d.rule)}" data-file="${escapeHtml(d.file)}" data-line="${d.range.start.line}" data-severity="${
    d.severity
  }" data-fingerprint="${escapeHtml(d.fingerprint)}"><span class="sev-badge sev-${d.severity}">${d.severity}</span> <span class="f-main"><span class="f-rule">${escapeHtml(
    d.rule,
  )}</span> <span class="f-msg">${inline(d.message)}</span> <span class="f-loc" title="${escapeHtml(at)}">${escapeHtml(at)}</span></span></li>`;
}

function findingsView(r: DiffReport): string {
  const list = (items: Diagnostic[], change: "introduced" | "fixed", empty: string) =>
    items.length ? `<ul class="diff-findings" data-list="${change}">${items.map((d) => findingItem(d, change)).join("")}</ul>` : `<p class="muted" data-list="${change}">${empty}</p>`;
  return `<section class="diff-part" data-part="findings"><h3>Findings</h3><p class="muted">Matched by fingerprint: a finding that only moved to another line is neither.</p><h4>Introduced (${
    r.findings.introduced.length
  }) <span class="muted">in the after version</span></h4>${list(r.findings.introduced, "introduced", "None.")}<h4>Fixed (${r.findings.fixed.length}) <span class="muted">in the before version</span></h4>${list(
    r.findings.fixed,
    "fixed",
    "None.",
  )}</section>`;
}
