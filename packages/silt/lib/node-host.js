// The file system the Wasm build's command line runs on in Node: I/O only. Which files are read,
// what a flag means and every message come from Rust (crates/silt-workspace through crates/silt-wasm).
// A failing call throws Node's error; Rust turns its `code` into the native CLI's words.
import fs from "node:fs";
import path from "node:path";
import { lazyBuiltin } from "./builtin.js";

// Loaded on the first git call (`silt diff`, `--new-since`): a lint makes none.
const childProcess = lazyBuiltin("node:child_process");

const absent = { throwIfNoEntry: false };
const utf8 = new TextDecoder("utf-8", { fatal: true });
const kindOf = (s) => (s.isSymbolicLink() ? "link" : s.isDirectory() ? "dir" : s.isFile() ? "file" : "other");

/** Write all of `bytes` to `fd`, waiting out EAGAIN on a non-blocking pipe; a closed pipe ends it. */
function writeAll(fd, bytes) {
  let at = 0;
  while (at < bytes.length) {
    try {
      at += fs.writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      if (e.code === "EAGAIN") continue;
      if (e.code === "EPIPE") return;
      throw e;
    }
  }
}

/** A host writing to `sinks.stdout(bytes)` / `sinks.stderr(bytes)` (default: the process's streams). */
export function nodeHost(sinks = {}) {
  const out = sinks.stdout ?? ((b) => writeAll(1, b));
  const err = sinks.stderr ?? ((b) => writeAll(2, b));
  return {
    cwd: () => process.cwd().split(path.sep).join("/"),
    env: (name) => process.env[name],
    stdoutIsTerminal: () => !sinks.stdout && Boolean(process.stdout.isTTY),
    list: (dir) =>
      fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" }).map((e) => {
        let name;
        let ok = true;
        try {
          name = utf8.decode(e.name);
        } catch {
          name = e.name.toString("utf8");
          ok = false;
        }
        return [name, kindOf(e), ok];
      }),
    // A missing path is an answer, not an error: most folders are asked for ignore files they do
    // not have, and an ENOENT error (with its stack) costs several times the stat.
    kind: (p, follow) => {
      const s = follow ? fs.statSync(p, absent) : fs.lstatSync(p, absent);
      return s ? kindOf(s) : "missing";
    },
    size: (p) => fs.statSync(p, absent)?.size ?? -1,
    realpath: (p) => fs.realpathSync.native(p).split(path.sep).join("/"),
    read: (p, max) => {
      const fd = fs.openSync(p, "r");
      try {
        const want = Math.min(fs.fstatSync(fd).size, max + 1);
        const buf = Buffer.allocUnsafe(want);
        let n = 0;
        while (n < want) {
          const got = fs.readSync(fd, buf, n, want - n, null);
          if (got === 0) break;
          n += got;
        }
        return buf.subarray(0, n);
      } finally {
        fs.closeSync(fd);
      }
    },
    // Fill `buf` (a view of Wasm memory: crates/silt-wasm/src/stream.rs) from the file's start; the
    // bytes read. No JS buffer per file: the file goes straight into the check.
    readInto: (p, buf) => {
      const fd = fs.openSync(p, "r");
      try {
        let n = 0;
        while (n < buf.length) {
          const got = fs.readSync(fd, buf, n, buf.length - n, null);
          if (got === 0) break;
          n += got;
        }
        return n;
      } finally {
        fs.closeSync(fd);
      }
    },
    write: (p, bytes) => fs.writeFileSync(p, bytes),
    createNew: (p, bytes) => fs.writeFileSync(p, bytes, { flag: "wx" }),
    // Atomic: a temporary file beside the original with its mode, flushed, renamed over it.
    replace: (p, bytes) => {
      const tmp = path.join(path.dirname(p), `.${path.basename(p)}.silt-${process.pid}.tmp`);
      const fd = fs.openSync(tmp, "wx");
      try {
        fs.fchmodSync(fd, fs.statSync(p).mode & 0o7777);
        writeAll(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      try {
        fs.renameSync(tmp, p);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      }
    },
    stdout: (bytes) => out(bytes),
    stderr: (bytes) => err(bytes),
    // `silt diff REV`, `silt lint --new-since REV`: git's standard output; on a non-zero exit, an
    // error whose message is git's standard error.
    git: (dir, args, stdin) => {
      try {
        return childProcess().execFileSync("git", args, {
          cwd: dir,
          input: stdin,
          maxBuffer: 1 << 30,
          stdio: ["pipe", "pipe", "pipe"],
          env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
        });
      } catch (e) {
        const text = e.stderr ? e.stderr.toString("utf8").trim() : "";
        throw new Error(text || (e.code === "ENOENT" ? "cannot run git: No such file or directory (os error 2)" : e.message));
      }
    },
  };
}
