// Reading chosen files one after another for a run that checks each file and drops it (the lint
// worker, worker.ts, and the checker worker, checker.ts), in flat memory:
//   - the files are read as one: a `Blob` made of them all, through one BYOB reader, each file's
//     bytes into a buffer of a small pool that is reused once the file has been checked. A read of
//     its own per file (`arrayBuffer()`, or a stream each) left a fresh buffer and a data pipe behind
//     per file, which the garbage collector found late: the page grew by about a tenth of the bytes
//     it read, and more with read-ahead;
//   - a few files are read ahead, off the worker's thread, while one is checked;
//   - when the joined read fails (a file removed or changed since it was chosen), the rest is read
//     file by file, so only the bad file gets an error; so it is in a browser without BYOB readers.

/** A file's bytes, why it could not be read, or (over the size limit, not read) its size. */
export type FileData = Uint8Array | { error: string } | { size: number };

/** One file of a stream: its data and the bytes it counts for (0 when not read). */
export interface Streamed {
  path: string;
  data: FileData;
  size: number;
}

/** Reads in flight while a file is checked: at most this many files and (beyond the first) bytes. */
const READ_AHEAD_FILES = 8;
const READ_AHEAD_BYTES = 4 * 2 ** 20;
/** Buffers are allocated in multiples of this. */
const BUFFER_STEP = 64 * 1024;
/** Free buffers kept for reuse, at most this many bytes of them. */
const POOL_BYTES = 8 * 2 ** 20;

export function readError(e: unknown): { error: string } {
  return { error: `cannot read file: ${e instanceof Error ? e.message : String(e)}` };
}

/** Buffers files are read into; the stream gives each back when its file has been checked. */
class Pool {
  private free: ArrayBuffer[] = [];
  private bytes = 0;

  /** A buffer of at least `min` bytes. */
  take(min: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const n = this.free[i].byteLength;
      if (n >= min && (best < 0 || n < this.free[best].byteLength)) best = i;
    }
    if (best < 0) return new ArrayBuffer(Math.max(1, Math.ceil(min / BUFFER_STEP)) * BUFFER_STEP);
    const [b] = this.free.splice(best, 1);
    this.bytes -= b.byteLength;
    return b;
  }

  give(b: ArrayBuffer): void {
    if (b.byteLength === 0) return; // detached
    this.free.push(b);
    this.bytes += b.byteLength;
    // Over the cap: the smallest go (to the garbage collector).
    this.free.sort((x, y) => y.byteLength - x.byteLength);
    while (this.bytes > POOL_BYTES && this.free.length > 1) this.bytes -= this.free.pop()!.byteLength;
  }
}

/** Streams being read. Held here: in Chromium, a stream that only its pending read refers to can be
 * collected with the read, which then never settles. */
const reading = new Set<ReadableStream>();

/** Exactly `n` bytes of `reader` into `buffer` (at least `n` long): a view of them, on the buffer
 * the reader gave back (a BYOB read moves the memory to a new `ArrayBuffer` each time). */
async function readExactly(reader: ReadableStreamBYOBReader, buffer: ArrayBuffer, n: number): Promise<Uint8Array> {
  let filled = 0;
  while (filled < n) {
    const { done, value } = await reader.read(new Uint8Array(buffer, filled, n - filled));
    if (!value || done) throw new Error("the file changed since it was chosen");
    buffer = value.buffer as ArrayBuffer;
    filled += value.byteLength;
  }
  return new Uint8Array(buffer, 0, n);
}

/** The files, in order, through one BYOB reader on a `Blob` of them all; null when this browser
 * gives none. Each read must wait for the one before. */
function joinedReader(files: File[]): { read(size: number, buffer: ArrayBuffer): Promise<Uint8Array>; close(): void } | null {
  const stream = new Blob(files).stream();
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: "byob" });
  } catch {
    return null;
  }
  reading.add(stream);
  return {
    read: (size, buffer) => readExactly(reader, buffer, size),
    close() {
      reading.delete(stream);
      reader.cancel().catch(() => {});
    },
  };
}

/**
 * The files of `paths` (looked up with `fileOf`) in that order, a few read ahead. The bytes of a
 * file are the stream's until the consumer asks for the next one: copy them before.
 */
export async function* streamFiles(
  paths: string[],
  fileOf: (path: string) => File | undefined,
  maxSize: number,
): AsyncGenerator<Streamed> {
  const items = paths.map((path) => {
    const file = fileOf(path);
    return { path, file, reads: file !== undefined && file.size <= maxSize };
  });
  const pool = new Pool();
  let joined = joinedReader(items.flatMap((i) => (i.reads && i.file!.size > 0 ? [i.file!] : [])));
  // One read at a time on the joined reader, in the files' order.
  let previous: Promise<unknown> = Promise.resolve();
  const read = (file: File): Promise<{ data: FileData; pooled: boolean }> => {
    const mine = previous.then(async () => {
      if (file.size === 0) return { data: new Uint8Array(0), pooled: false };
      if (joined) {
        try {
          return { data: await joined.read(file.size, pool.take(file.size)), pooled: true };
        } catch {
          // Misaligned from here on: the rest is read file by file.
          joined.close();
          joined = null;
        }
      }
      try {
        return { data: new Uint8Array(await file.arrayBuffer()), pooled: false };
      } catch (e) {
        return { data: readError(e), pooled: false };
      }
    });
    previous = mine;
    return mine;
  };
  const ahead: { path: string; size: number; data: Promise<{ data: FileData; pooled: boolean }> }[] = [];
  let next = 0;
  let aheadBytes = 0;
  const fill = () => {
    while (next < items.length && ahead.length < READ_AHEAD_FILES) {
      const { path, file, reads } = items[next];
      const size = file?.size ?? 0;
      if (ahead.length > 0 && reads && aheadBytes + size > READ_AHEAD_BYTES) break;
      next++;
      let data: Promise<{ data: FileData; pooled: boolean }>;
      if (!file) data = Promise.resolve({ data: { error: "cannot read file: not in the chosen files" }, pooled: false });
      else if (!reads) data = Promise.resolve({ data: { size }, pooled: false });
      else {
        aheadBytes += size;
        data = read(file);
      }
      ahead.push({ path, size: reads ? size : 0, data });
    }
  };
  try {
    fill();
    while (ahead.length > 0) {
      const head = ahead.shift()!;
      const { data, pooled } = await head.data;
      aheadBytes -= head.size;
      fill();
      yield { path: head.path, data, size: head.size };
      if (pooled && data instanceof Uint8Array) pool.give(data.buffer as ArrayBuffer);
    }
  } finally {
    joined?.close();
  }
}
