// The source view: a file's lines with numbers, the finding's lines highlighted and its exact range
// marked. Positions are silt's: 1-based lines, `columnUtf16` 1-based in UTF-16 units (JS strings).

import { escapeHtml } from "./markdown.ts";
import type { Range } from "./types.ts";

/** Files longer than this show a window around the finding first. */
const FULL_LIMIT = 4000;
const CONTEXT = 200;

export interface SourceView {
  /** The first and last line rendered, and the file's line count. */
  from: number;
  to: number;
  total: number;
}

export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith("\r")) lines[i] = lines[i].slice(0, -1);
  // A final newline does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Render `lines` into `pre`, highlighting `range`; `whole` renders every line of a long file. */
export function renderSource(pre: HTMLElement, lines: string[], range: Range, whole = false): SourceView {
  const total = lines.length;
  const startLine = Math.max(1, Math.min(range.start.line, total));
  const endLine = Math.max(startLine, Math.min(range.end.line, total));
  let from = 1;
  let to = total;
  if (!whole && total > FULL_LIMIT) {
    from = Math.max(1, startLine - CONTEXT);
    to = Math.min(total, endLine + CONTEXT);
  }
  const empty = range.start.line === range.end.line && range.start.columnUtf16 === range.end.columnUtf16;
  const parts: string[] = [];
  for (let n = from; n <= to; n++) {
    const line = lines[n - 1] ?? "";
    const hl = n >= startLine && n <= endLine;
    let html: string;
    if (hl && !empty) {
      const a = n === range.start.line ? Math.max(0, range.start.columnUtf16 - 1) : 0;
      const b = n === range.end.line ? Math.max(a, range.end.columnUtf16 - 1) : line.length;
      html = `${escapeHtml(line.slice(0, a))}<mark>${escapeHtml(line.slice(a, b)) || " "}</mark>${escapeHtml(line.slice(b))}`;
    } else {
      html = escapeHtml(line);
    }
    // Keep the indentation in one unbreakable piece (the mark never starts inside it in practice;
    // when it does, the line is left as is).
    const indent = /^[ \t]+/.exec(line)?.[0];
    if (indent && html.startsWith(indent)) html = `<span class="indent">${indent}</span>${html.slice(indent.length)}`;
    const cls = hl ? (n === startLine ? "line hl hl-start" : "line hl") : "line";
    parts.push(`<span class="${cls}" data-line="${n}"><span class="ln" aria-hidden="true">${n}</span><span class="code">${html}</span></span>`);
  }
  pre.innerHTML = parts.join("");
  return { from, to, total };
}

/** Scroll `scroller` so the first highlighted line sits in its upper quarter. */
export function scrollToHighlight(scroller: HTMLElement): void {
  const line = scroller.querySelector<HTMLElement>(".line.hl");
  if (!line) return;
  const top = line.offsetTop - scroller.clientHeight / 4;
  scroller.scrollTop = Math.max(0, top);
}
