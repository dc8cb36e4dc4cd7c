// silt report values → LSP values. silt positions are 1-based lines and columns; `columnUtf16` counts
// UTF-16 code units like LSP does, so an LSP character is `columnUtf16 - 1`.

import {
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Position,
  Range,
  TextEdit,
} from "vscode-languageserver/node";
import type { SiltDiagnostic, SiltPosition, SiltRange, SiltSeverity } from "./silt";

export const SOURCE = "silt";

const RANK: Record<SiltSeverity, number> = { error: 3, warning: 2, note: 1 };

/** Whether a finding of `severity` is shown under `threshold`. */
export function atLeast(severity: SiltSeverity, threshold: SiltSeverity): boolean {
  return (RANK[severity] ?? 0) >= (RANK[threshold] ?? 1);
}

export function toSeverity(s: SiltSeverity): DiagnosticSeverity {
  switch (s) {
    case "error":
      return DiagnosticSeverity.Error;
    case "warning":
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

export function toPosition(p: SiltPosition): Position {
  const column = typeof p.columnUtf16 === "number" ? p.columnUtf16 : p.column;
  return { line: Math.max(0, p.line - 1), character: Math.max(0, column - 1) };
}

export function toRange(r: SiltRange): Range {
  return { start: toPosition(r.start), end: toPosition(r.end) };
}

/** The `data` an LSP diagnostic carries back in code action requests. */
export interface DiagnosticData {
  fingerprint: string;
  rule: string;
}

/**
 * One silt finding as an LSP diagnostic. `uriOf` turns a lint-root-relative path into a URI;
 * `helpUri` gives the rule's documentation link, if any.
 */
export function toDiagnostic(
  d: SiltDiagnostic,
  uriOf: (rel: string) => string,
  helpUri: (rule: string) => string | undefined,
): Diagnostic {
  const out: Diagnostic = {
    range: toRange(d.range),
    severity: toSeverity(d.severity),
    code: d.rule,
    source: SOURCE,
    message: d.message,
    data: { fingerprint: d.fingerprint, rule: d.rule } satisfies DiagnosticData,
  };
  const href = helpUri(d.rule);
  if (href) {
    out.codeDescription = { href };
  }
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) =>
      DiagnosticRelatedInformation.create({ uri: uriOf(r.file), range: toRange(r.range) }, r.message),
    );
  }
  return out;
}

/** The fix's edits grouped per URI (a fix may touch several files). */
export function fixChanges(d: SiltDiagnostic, uriOf: (rel: string) => string): Record<string, TextEdit[]> | undefined {
  if (!d.fix || d.fix.edits.length === 0) return undefined;
  const changes: Record<string, TextEdit[]> = {};
  for (const e of d.fix.edits) {
    const uri = uriOf(e.file);
    (changes[uri] ??= []).push(TextEdit.replace(toRange(e.range), e.newText));
  }
  return changes;
}

/** Rules whose findings a `silt-ignore` comment cannot silence (they are about comments or parsing). */
const UNSUPPRESSIBLE = new Set(["parse-error", "unused-suppression", "suppression-missing-reason"]);

export function canSuppress(d: SiltDiagnostic, file: string, lineText: string): boolean {
  // Nothing may come before the XML declaration.
  return /\.xml$/i.test(file) && !UNSUPPRESSIBLE.has(d.rule) && !lineText.trimStart().startsWith("<?xml");
}

/**
 * The edit that suppresses `rule` at `line` (0-based): `<!-- silt-ignore rule: reason -->` on its own
 * line above it, with that line's indentation and line ending.
 */
export function suppressEdit(text: string, line: number, rule: string): TextEdit {
  const lines = text.split("\n");
  const current = lines[line] ?? "";
  const indent = /^[ \t]*/.exec(current)?.[0] ?? "";
  const eol = current.endsWith("\r") || (lines.length > 1 && lines[0].endsWith("\r")) ? "\r\n" : "\n";
  return TextEdit.insert({ line, character: 0 }, `${indent}<!-- silt-ignore ${rule}: reason -->${eol}`);
}

/** Whether `pos` lies in `range` (ends inclusive, so a hover at the end of a word still counts). */
export function contains(range: Range, pos: Position): boolean {
  const afterStart = pos.line > range.start.line || (pos.line === range.start.line && pos.character >= range.start.character);
  const beforeEnd = pos.line < range.end.line || (pos.line === range.end.line && pos.character <= range.end.character);
  return afterStart && beforeEnd;
}

export function overlaps(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
