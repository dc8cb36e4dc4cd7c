// The file system silt's workspace layer (the Wasm `Workspace`) sees in the browser: what the user
// gave, held in memory, mounted at `ROOT`. I/O only: which files are linted, which ignore files and
// configuration apply, are decided in Rust exactly as `silt lint <folder>` decides them.

import type { WorkspaceHost } from "silt-lint/web";

/** Where the input is mounted: finding paths are relative to it. */
export const ROOT = "/project";

/** One file of the input: its size, and a synchronous read (a Worker can read `File`s with
 * `FileReaderSync`, zip entries with fflate's synchronous inflater). */
export interface HostFile {
  size: number;
  read(max: number): Uint8Array;
}

function fail(code: string, path: string): never {
  throw Object.assign(new Error(`${code}: ${path}`), { code });
}

/** A read-only host over `files` (path relative to `ROOT` → file). */
export function memoryHost(files: Map<string, HostFile>): WorkspaceHost {
  const dirs = new Map<string, Map<string, "file" | "dir">>([[ROOT, new Map()]]);
  const abs = new Map<string, HostFile>();
  for (const [rel, file] of files) {
    const parts = rel.split("/").filter((p) => p !== "");
    let dir = ROOT;
    parts.forEach((name, i) => {
      const last = i === parts.length - 1;
      const child = `${dir}/${name}`;
      // A name that is both a file and a folder in a zip: the folder wins.
      dirs.get(dir)?.set(name, last && !dirs.has(child) ? "file" : "dir");
      if (last) abs.set(child, file);
      else if (!dirs.has(child)) dirs.set(child, new Map());
      dir = child;
    });
  }
  const kind = (p: string): "file" | "dir" => (dirs.has(p) ? "dir" : abs.has(p) ? "file" : fail("ENOENT", p));
  const readOnly = (p: string): never => fail("EROFS", p);
  return {
    cwd: () => ROOT,
    env: () => undefined,
    stdoutIsTerminal: () => false,
    list: (dir) => {
      const entries = dirs.get(dir) ?? (abs.has(dir) ? fail("ENOTDIR", dir) : fail("ENOENT", dir));
      return [...entries].map(([name, k]) => [name, k, true]);
    },
    kind: (p) => kind(p),
    size: (p) => (kind(p) === "dir" ? 0 : (abs.get(p) as HostFile).size),
    realpath: (p) => (kind(p), p),
    read: (p, max) => (kind(p) === "dir" ? fail("EISDIR", p) : (abs.get(p) as HostFile).read(max)),
    write: readOnly,
    createNew: readOnly,
    replace: readOnly,
    stdout: () => {},
    stderr: () => {},
  };
}
