// Reading a zip the user chose, within limits: a small zip that claims or inflates to gigabytes gets a
// clear message instead of taking the tab's memory. The central directory is read for the entry list
// (nothing inflated); entries are inflated in small steps with fflate's streaming `Inflate`, counting
// the output as it comes, so no entry is inflated past its limit.

import { Inflate } from "fflate";

/** Entries a zip may list. */
export const MAX_ENTRIES = 100_000;
/** Bytes all the entries read in one run may inflate to together. */
export const MAX_TOTAL_INFLATED = 512 * 2 ** 20;
/** Compressed bytes pushed to the inflater at a time: DEFLATE inflates at most ~1032:1, so one step
 * yields at most ~16 MiB before the limits are checked again. */
const STEP = 16 * 1024;

/** A limit of the whole zip was passed: the run stops with this message. */
export class ZipLimitError extends Error {}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** The inflated size the zip declares (it may lie). */
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
}

/** What reading one entry gave: its bytes, why it could not be read, or (over `maxSize`) its size. */
export type EntryRead = Uint8Array | { error: string } | { size: number };

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, i: number) => u32(b, i) + u32(b, i + 4) * 2 ** 32;

const utf8 = new TextDecoder("utf-8");
const latin1 = (b: Uint8Array) => {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

function corrupt(what: string): Error {
  return new Error(`this is not a readable zip file (${what})`);
}

/** The entries of a zip's central directory (directories included), without inflating anything. */
export function listZip(b: Uint8Array): ZipEntry[] {
  let e = b.length - 22;
  while (e >= 0 && u32(b, e) !== 0x06054b50) {
    if (b.length - e > 65557 || e === 0) throw corrupt("no end of central directory");
    e--;
  }
  if (e < 0) throw corrupt("too short");
  let count = u16(b, e + 10);
  let at = u32(b, e + 16);
  if (count === 0xffff || at === 0xffffffff) {
    // ZIP64: the locator just before the end record points at the ZIP64 end record.
    const z = e - 20 >= 0 && u32(b, e - 20) === 0x07064b50 ? u64(b, e - 12) : -1;
    if (z >= 0 && z + 56 <= b.length && u32(b, z) === 0x06064b50) {
      count = u64(b, z + 32);
      at = u64(b, z + 48);
    }
  }
  if (count > MAX_ENTRIES) {
    throw new ZipLimitError(`the zip lists ${count.toLocaleString("en")} entries; silt reads zips of at most ${MAX_ENTRIES.toLocaleString("en")}`);
  }
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || u32(b, at) !== 0x02014b50) throw corrupt("bad central directory");
    const flags = u16(b, at + 8);
    const nameLen = u16(b, at + 28);
    const extraLen = u16(b, at + 30);
    const commentLen = u16(b, at + 32);
    const nameBytes = b.subarray(at + 46, at + 46 + nameLen);
    const entry: ZipEntry = {
      name: flags & 0x800 ? utf8.decode(nameBytes) : latin1(nameBytes),
      method: u16(b, at + 10),
      compressedSize: u32(b, at + 20),
      size: u32(b, at + 24),
      offset: u32(b, at + 42),
    };
    // ZIP64 extra field: the 64-bit values of the fields set to 0xffffffff, in this order.
    for (let x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen; ) {
      const id = u16(b, x);
      const len = u16(b, x + 2);
      if (id === 0x0001) {
        let f = x + 4;
        if (entry.size === 0xffffffff) (entry.size = u64(b, f)), (f += 8);
        if (entry.compressedSize === 0xffffffff) (entry.compressedSize = u64(b, f)), (f += 8);
        if (entry.offset === 0xffffffff) entry.offset = u64(b, f);
      }
      x += 4 + len;
    }
    out.push(entry);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The running total of one read: bytes inflated so far, against `MAX_TOTAL_INFLATED`. */
export class Budget {
  used = 0;
  add(n: number): void {
    this.used += n;
    if (this.used > MAX_TOTAL_INFLATED) {
      throw new ZipLimitError(
        `the zip's files inflate to more than ${MAX_TOTAL_INFLATED / 2 ** 20} MiB together; silt stops there (a zip bomb, or a project to check in parts)`,
      );
    }
  }
}

/**
 * One entry's bytes. Over `maxSize` by its declared size: `{size}`, not inflated (silt reports it as
 * too large). An entry that inflates to more than it declares is cut off at that point and reported
 * unreadable. Every inflated byte counts against `budget`, as it is inflated.
 */
export function readEntry(b: Uint8Array, entry: ZipEntry, maxSize: number, budget: Budget): EntryRead {
  if (entry.size > maxSize) return { size: entry.size };
  const h = entry.offset;
  if (h + 30 > b.length || u32(b, h) !== 0x04034b50) return { error: "cannot read file: bad local header in the zip" };
  const start = h + 30 + u16(b, h + 26) + u16(b, h + 28);
  const data = b.subarray(start, start + entry.compressedSize);
  if (data.length < entry.compressedSize) return { error: "cannot read file: the zip is truncated" };
  if (entry.method === 0) {
    if (data.length !== entry.size) return { error: "cannot read file: the zip entry's sizes disagree" };
    budget.add(data.length);
    return data.slice();
  }
  if (entry.method !== 8) return { error: `cannot read file: zip compression method ${entry.method} is not supported` };
  const chunks: Uint8Array[] = [];
  let written = 0;
  let lying = false;
  const inflate = new Inflate((chunk) => {
    if (lying) return;
    written += chunk.length;
    if (written > entry.size) {
      lying = true;
      return;
    }
    budget.add(chunk.length);
    chunks.push(chunk);
  });
  try {
    if (data.length === 0) inflate.push(data, true);
    for (let i = 0; i < data.length && !lying; i += STEP) inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch (e) {
    if (e instanceof ZipLimitError) throw e;
    return { error: `cannot read file: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (lying) return { error: `cannot read file: the zip entry inflates to more than the ${entry.size} bytes it declares` };
  if (written !== entry.size) return { error: `cannot read file: the zip entry inflates to ${written} bytes, not the ${entry.size} it declares` };
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(written);
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.length);
  return out;
}
