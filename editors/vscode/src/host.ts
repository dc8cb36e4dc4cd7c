// The file system the language server opens workspaces on: Node's (packages/silt/lib/node-host.js)
// with the open documents laid over it, so an unsaved silt.toml, ignore file or new metadata file
// counts as silt's workspace layer decides which files are linted and which configuration applies.
// I/O only: the decisions are made in Rust (crates/silt-workspace through the Wasm build).

import * as path from "path";
import { nodeHost } from "../../../packages/silt/lib/node-host.js";
import type { WorkspaceHost } from "../../../packages/silt/index.js";

/** A path as the workspace layer writes it: absolute, `/`-separated. */
export function slashed(p: string): string {
  return p.split(path.sep).join("/");
}

/** `abs` relative to `root` with forward slashes, or undefined when outside. */
export function relPath(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
    return undefined;
  }
  return slashed(rel);
}

/** Copy the start of `from` into `to`; the bytes copied. */
function copy(from: Uint8Array, to: Uint8Array): number {
  const n = Math.min(from.length, to.length);
  to.set(from.subarray(0, n));
  return n;
}

/** Node's file system with `open` (path → the document's bytes) over it; `cwd` for messages. */
export function overlayHost(cwd: string, open: Map<string, Uint8Array>): WorkspaceHost {
  const disk = nodeHost({ stdout: () => {}, stderr: () => {} });
  const docs = new Map([...open].map(([p, b]) => [slashed(p), b]));
  const onDisk = <T>(f: () => T, p: string, otherwise: (b: Uint8Array) => T): T => {
    try {
      return f();
    } catch (e) {
      const doc = docs.get(p);
      if (doc && (e as { code?: string }).code === "ENOENT") return otherwise(doc);
      throw e;
    }
  };
  return {
    ...disk,
    cwd: () => slashed(cwd),
    stdoutIsTerminal: () => false,
    list: (dir: string) => {
      const entries = disk.list(dir);
      const names = new Set(entries.map((e) => e[0]));
      for (const p of docs.keys()) {
        const name = p.slice(p.lastIndexOf("/") + 1);
        if (path.posix.dirname(p) === dir && !names.has(name)) entries.push([name, "file", true]);
      }
      return entries;
    },
    kind: (p: string, follow: boolean) => {
      const kind = onDisk(() => disk.kind(p, follow), p, () => "file" as const);
      return kind === "missing" && docs.has(p) ? "file" : kind;
    },
    size: (p: string) => docs.get(p)?.length ?? disk.size(p),
    realpath: (p: string) => onDisk(() => disk.realpath(p), p, () => p),
    read: (p: string, max: number) => {
      const doc = docs.get(p);
      if (doc) return doc.subarray(0, max + 1);
      return disk.read(p, max);
    },
    // The Wasm module reads through this one when the host has it (crates/silt-wasm/src/stream.rs):
    // it must see the open documents too.
    readInto: (p: string, buffer: Uint8Array) => {
      const doc = docs.get(p);
      if (!doc) return disk.readInto ? disk.readInto(p, buffer) : copy(disk.read(p, buffer.length), buffer);
      return copy(doc, buffer);
    },
  };
}
