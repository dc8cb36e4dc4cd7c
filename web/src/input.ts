// Turning what the user chose or dropped into a lint `Source`: folder inputs, dropped folders
// (FileSystemEntry traversal), zips and single files. Paths are made relative to the chosen folder,
// the way `silt lint <folder>` prints them.

import type { Source } from "./types.ts";

/** Of `.git` (one of the folders silt never walks: the worker's `skippedDirs`), silt reads only
 * `info/exclude`, as it reads the ignore files. */
const GIT = ".git";
const GIT_EXCLUDE = "info/exclude";

export function isZipName(name: string): boolean {
  return /\.zip$/i.test(name);
}

/** `<input webkitdirectory>`: `webkitRelativePath` starts with the chosen folder's name. Which of
 * the files are handed to the worker is silt's decision (the worker's `select`). */
export function sourceFromFolderInput(list: FileList): Source | null {
  const files = [...list];
  if (files.length === 0) return null;
  const first = files[0].webkitRelativePath || files[0].name;
  const top = first.includes("/") ? first.slice(0, first.indexOf("/")) : "";
  return {
    kind: "files",
    label: top || `${files.length} files`,
    files: files.map((file) => {
      const rel = (file.webkitRelativePath || file.name).replace(/\\/g, "/");
      return { path: top && rel.startsWith(`${top}/`) ? rel.slice(top.length + 1) : rel, file };
    }),
  };
}

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const step = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          step();
        }
      }, reject);
    step();
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** `.git/info/exclude`, if the dropped `.git` folder has one. */
function gitExclude(git: FileSystemDirectoryEntry): Promise<File | null> {
  return new Promise((resolve) =>
    git.getFile(GIT_EXCLUDE, {}, (e) => entryFile(e as FileSystemFileEntry).then(resolve, () => resolve(null)), () => resolve(null)),
  );
}

async function walk(
  entry: FileSystemEntry,
  prefix: string,
  out: { path: string; file: File }[],
  onCount: (n: number) => void,
  skipped: ReadonlySet<string>,
): Promise<void> {
  if (entry.isFile) {
    out.push({ path: prefix + entry.name, file: await entryFile(entry as FileSystemFileEntry) });
    if (out.length % 200 === 0) onCount(out.length);
    return;
  }
  if (entry.isDirectory && entry.name === GIT) {
    const file = await gitExclude(entry as FileSystemDirectoryEntry);
    if (file) out.push({ path: `${prefix}${GIT}/${GIT_EXCLUDE}`, file });
    return;
  }
  if (!entry.isDirectory || skipped.has(entry.name)) return;
  const children = await readAllEntries(entry as FileSystemDirectoryEntry);
  const path = `${prefix}${entry.name}/`;
  for (const child of children) await walk(child, path, out, onCount, skipped);
}

/**
 * A drop. `webkitGetAsEntry` must be called while the event is being dispatched, so this takes the
 * entries synchronously and returns a promise for the rest.
 */
export function sourceFromDrop(dt: DataTransfer, onCount: (n: number) => void, skipped: ReadonlySet<string>): Promise<Source | null> | null {
  const entries: FileSystemEntry[] = [];
  for (const item of [...dt.items]) {
    if (item.kind !== "file") continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  const plainFiles = [...dt.files];
  if (entries.length === 0 && plainFiles.length === 0) return null;
  return (async () => {
    if (entries.length === 0) {
      // No entry API: plain files only.
      if (plainFiles.length === 1 && isZipName(plainFiles[0].name)) {
        return { kind: "zip", label: plainFiles[0].name, file: plainFiles[0] } satisfies Source;
      }
      return { kind: "files", label: plainFiles.map((f) => f.name).join(", "), files: plainFiles.map((file) => ({ path: file.name, file })) };
    }
    if (entries.length === 1 && entries[0].isFile && isZipName(entries[0].name)) {
      const file = await entryFile(entries[0] as FileSystemFileEntry);
      return { kind: "zip", label: file.name, file } satisfies Source;
    }
    const out: { path: string; file: File }[] = [];
    if (entries.length === 1 && entries[0].isDirectory) {
      // One folder: the lint root is that folder.
      const root = entries[0] as FileSystemDirectoryEntry;
      for (const child of await readAllEntries(root)) await walk(child, "", out, onCount, skipped);
      return { kind: "files", label: root.name, files: out };
    }
    for (const e of entries) await walk(e, "", out, onCount, skipped);
    return { kind: "files", label: entries.map((e) => e.name).join(", "), files: out };
  })();
}
