//! Source text, byte spans and the one line index that turns byte offsets into positions.
//!
//! Hosts hand the core raw bytes. [`decode`] turns them into UTF-8 text (stripping nothing: a UTF-8
//! byte-order mark stays in the text so byte offsets match the file on disk; UTF-16 files are decoded
//! and their offsets then refer to the decoded UTF-8 text). Every position the core reports is computed
//! by [`LineIndex`].

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A half-open byte range `[start, end)` in a file's (decoded) text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

pub(crate) fn clamp_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A 1-based position. `column` counts Unicode scalar values, `column_utf16` UTF-16 code units
/// (what LSP and JavaScript use); `offset` is the 0-based byte offset.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub column_utf16: u32,
    pub offset: u32,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Positions in a text: line and column (chars and UTF-16 units) of byte offsets. `\n`, `\r\n` and
/// a lone `\r` all end a line.
///
/// Parsers ask for positions in file order, mostly a few per element, so a text without `\r` is not
/// indexed up front: a cursor moves from the last position to the next one, counting the `\n`s in
/// between (a loop the compiler vectorises; far cheaper than recording every line start of a 76,000
/// line profile that needs a few hundred positions). Once lookups have scanned four times the
/// text (positions asked in random order), or for `line_span`, or when the text has a `\r`, every
/// line start is recorded and lookups binary-search them.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Every line start, once built.
    line_starts: std::cell::OnceCell<Vec<u32>>,
    /// For every multi-byte character: (byte offset just after it, bytes beyond chars so far, bytes
    /// beyond UTF-16 units so far). Columns are then O(log n) whatever the line length.
    wide: Vec<(u32, u32, u32)>,
    /// Length of a leading UTF-8 byte-order mark, which does not count as a column.
    bom: u32,
    /// The last lookup: (byte offset, 0-based line, byte offset of that line's start).
    cursor: std::cell::Cell<(usize, usize, usize)>,
    /// Bytes the cursor has scanned so far.
    scanned: std::cell::Cell<usize>,
}

/// The number of `\n` bytes: byte-sized counters over blocks of 255 bytes, which the compiler
/// turns into wide compares (a `usize` counter per byte would not vectorise).
fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')) as usize)
        .sum()
}

/// Whether `bytes` are all ASCII, and whether they hold a `\r`: one pass of 64-byte chunks without
/// an early exit, which the compiler vectorises (in Wasm too, where `is_ascii` reads 4 bytes a step).
fn ascii_and_cr(bytes: &[u8]) -> (bool, bool) {
    let (mut high, mut cr) = (0u8, false);
    for chunk in bytes.chunks(64) {
        let (mut h, mut c) = (0u8, false);
        for &b in chunk {
            h |= b;
            c |= b == b'\r';
        }
        high |= h;
        cr |= c;
    }
    (high < 0x80, cr)
}

/// Every line start of a text.
fn all_line_starts(bytes: &[u8]) -> Vec<u32> {
    let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
    starts.push(0u32);
    if memchr::memchr(b'\r', bytes).is_none() {
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| clamp_u32(i + 1)));
    } else {
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue; // the \n that follows ends the line
            }
            starts.push(clamp_u32(i + 1));
        }
    }
    starts
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let line_starts = std::cell::OnceCell::new();
        let (ascii, cr) = ascii_and_cr(bytes);
        if cr {
            let _ = line_starts.set(all_line_starts(bytes));
        }
        let bom: u32 = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut wide = Vec::new();
        let body = &text[bom as usize..];
        if !ascii {
            let (mut extra_chars, mut extra_utf16) = (0u32, 0u32);
            for (i, c) in body.char_indices() {
                let len = c.len_utf8() as u32;
                if len > 1 {
                    extra_chars += len - 1;
                    extra_utf16 += len - c.len_utf16() as u32;
                    wide.push((clamp_u32(i) + bom + len, extra_chars, extra_utf16));
                }
            }
        }
        LineIndex {
            line_starts,
            wide,
            bom,
            cursor: std::cell::Cell::new((0, 0, 0)),
            scanned: std::cell::Cell::new(0),
        }
    }

    fn starts(&self, text: &str) -> &[u32] {
        self.line_starts
            .get_or_init(|| all_line_starts(text.as_bytes()))
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self, text: &str) -> usize {
        self.starts(text).len()
    }

    /// Position of a byte offset in `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let (line, mut start) = self.line_of(text, offset);
        if line == 0 {
            start = start.max(self.bom as usize).min(offset);
        }
        // Step back to a char boundary so slicing never panics.
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let (chars, utf16) = self.columns_between(start, end);
        Position {
            line: clamp_u32(line + 1),
            column: clamp_u32(chars + 1),
            column_utf16: clamp_u32(utf16 + 1),
            offset: clamp_u32(offset),
        }
    }

    /// The 0-based line holding byte `offset` (at most `text.len()`) and the offset of its start.
    fn line_of(&self, text: &str, offset: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        let (at, line, start) = self.cursor.get();
        let found = if let Some(starts) = self.line_starts.get() {
            let on = |l: usize| {
                starts.get(l).is_some_and(|&s| s as usize <= offset)
                    && starts.get(l + 1).is_none_or(|&n| offset < n as usize)
            };
            let l = if on(line) {
                line
            } else if on(line + 1) {
                line + 1
            } else {
                match starts.binary_search(&clamp_u32(offset)) {
                    Ok(l) => l,
                    Err(l) => l.saturating_sub(1),
                }
            };
            (l, starts.get(l).copied().unwrap_or(0) as usize)
        } else if self.scanned.get() > bytes.len().saturating_mul(4) {
            // Random access: index every line once, then binary-search.
            let _ = self.starts(text);
            return self.line_of(text, offset);
        } else if offset >= at {
            let gap = &bytes[at..offset];
            self.scanned.set(self.scanned.get() + gap.len());
            match memchr::memrchr(b'\n', gap) {
                Some(last) => (line + count_newlines(&gap[..=last]), at + last + 1),
                None => (line, start),
            }
        } else {
            let gap = &bytes[offset..at];
            let line = line - count_newlines(gap);
            let start = if offset >= start {
                start
            } else {
                memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1)
            };
            self.scanned
                .set(self.scanned.get() + gap.len() + (offset - start));
            (line, start)
        };
        self.cursor.set((offset, found.0, found.1));
        found
    }

    /// (chars, UTF-16 units) between two char-boundary byte offsets.
    fn columns_between(&self, start: usize, end: usize) -> (usize, usize) {
        let extra = |o: usize| -> (u32, u32) {
            let i = self.wide.partition_point(|w| w.0 as usize <= o);
            i.checked_sub(1)
                .map(|i| (self.wide[i].1, self.wide[i].2))
                .unwrap_or((0, 0))
        };
        let bytes = end.saturating_sub(start);
        if self.wide.is_empty() {
            return (bytes, bytes);
        }
        let (c1, u1) = extra(end);
        let (c0, u0) = extra(start);
        (bytes - (c1 - c0) as usize, bytes - (u1 - u0) as usize)
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range {
            start: self.position(text, span.start as usize),
            end: self.position(text, span.end as usize),
        }
    }

    /// Byte range of 1-based line `line` without its line ending.
    pub fn line_span(&self, text: &str, line: u32) -> Option<Span> {
        let i = (line as usize).checked_sub(1)?;
        let starts = self.starts(text);
        let start = *starts.get(i)? as usize;
        let mut end = starts.get(i + 1).map(|e| *e as usize).unwrap_or(text.len());
        let b = text.as_bytes();
        while end > start && (b[end - 1] == b'\n' || b[end - 1] == b'\r') {
            end -= 1;
        }
        Some(Span::new(start, end))
    }
}

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    /// Byte offset of the problem in the best-effort text returned beside it.
    pub offset: usize,
}

/// Turn a file's bytes into UTF-8 text.
///
/// UTF-8 (with or without BOM) is borrowed as is. UTF-16 LE/BE with a BOM is decoded. A file whose XML
/// declaration names ISO-8859-1 / Latin-1 / windows-1252 and is not valid UTF-8 is decoded as Latin-1.
/// Anything else that is not UTF-8 is an error; the lossy text is returned so the error can be positioned.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, (DecodeError, String)> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let head = &bytes[..bytes.len().min(200)];
            let head = String::from_utf8_lossy(head).to_ascii_lowercase();
            if head.starts_with("<?xml")
                && [
                    "iso-8859-1",
                    "latin1",
                    "latin-1",
                    "windows-1252",
                    "iso8859-1",
                ]
                .iter()
                .any(|n| head.contains(n))
            {
                return Ok(Cow::Owned(bytes.iter().map(|&b| b as char).collect()));
            }
            let valid = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let offset = String::from_utf8_lossy(&bytes[..valid]).len();
            Err((
                DecodeError {
                    message: format!(
                        "file is not valid UTF-8 (invalid byte 0x{:02X}); save it as UTF-8",
                        bytes.get(valid).copied().unwrap_or(0)
                    ),
                    offset,
                },
                text,
            ))
        }
    }
}

fn decode_utf16(
    rest: &[u8],
    f: fn([u8; 2]) -> u16,
) -> Result<Cow<'static, str>, (DecodeError, String)> {
    let units: Vec<u16> = rest
        .chunks(2)
        .map(|c| f([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    let mut out = String::with_capacity(units.len());
    for (i, r) in char::decode_utf16(units.iter().copied()).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => {
                let offset = out.len();
                let lossy: String = char::decode_utf16(units.iter().copied())
                    .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect();
                return Err((
                    DecodeError {
                        message: format!("invalid UTF-16 (unpaired surrogate at code unit {i})"),
                        offset,
                    },
                    lossy,
                ));
            }
        }
    }
    if rest.len() % 2 == 1 {
        return Err((
            DecodeError {
                message: "truncated UTF-16 file (odd number of bytes)".into(),
                offset: out.len(),
            },
            out,
        ));
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and columns by walking the text from the start: what `LineIndex` must agree with.
    fn naive(text: &str, offset: usize) -> (u32, u32, u32) {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let (mut line, mut col, mut col16) = (1, 1, 1);
        for (i, c) in text[..end].char_indices() {
            if i < bom {
                continue;
            }
            let crlf = c == '\r' && text[i + 1..].starts_with('\n');
            if (c == '\n' || c == '\r') && !crlf {
                (line, col, col16) = (line + 1, 1, 1);
            } else {
                col += 1;
                col16 += c.len_utf16() as u32;
            }
        }
        (line, col, col16)
    }

    #[test]
    fn lazy_positions_agree_with_a_walk_in_any_order() {
        let texts = [
            "<a>\n  <b>x</b>\n</a>\n",
            "\u{feff}<a>\r\n<b>é</b>\r<c/>\n\n</a>",
            "one line without a break",
            "\n\n\n",
            "",
            "x\u{1F600}y\nz\u{e9}\n\u{1F600}\n",
        ];
        for text in texts {
            let n = text.len();
            // Forward, backward, then pseudo-random order (enough jumps to switch to the full index).
            let mut orders: Vec<Vec<usize>> = vec![(0..=n).collect(), (0..=n).rev().collect()];
            let mut x = 0x2545_f491_u32;
            orders.push(
                (0..(n + 1) * 8)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        x as usize % (n + 1)
                    })
                    .collect(),
            );
            for order in orders {
                let idx = LineIndex::new(text);
                for o in order {
                    let p = idx.position(text, o);
                    assert_eq!(
                        (p.line, p.column, p.column_utf16),
                        naive(text, o),
                        "{text:?} at {o}"
                    );
                }
            }
        }
    }

    #[test]
    fn ascii_and_cr_agree_with_std() {
        // Every length around the 64-byte chunks, with the odd byte at every place.
        for len in [0usize, 1, 63, 64, 65, 127, 128, 200] {
            let plain = vec![b'a'; len];
            assert_eq!(ascii_and_cr(&plain), (true, false));
            for at in 0..len {
                for b in [b'\r', 0x80, 0xff, b'\n'] {
                    let mut v = plain.clone();
                    v[at] = b;
                    assert_eq!(ascii_and_cr(&v), (v.is_ascii(), v.contains(&b'\r')), "{len} {at} {b}");
                }
            }
        }
    }

    #[test]
    fn positions_across_line_endings() {
        let text = "a\r\nbc\rd\ne";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(text), 4);
        let p = idx.position(text, 4); // 'c'
        assert_eq!((p.line, p.column), (2, 2));
        let p = idx.position(text, 6); // 'd'
        assert_eq!((p.line, p.column), (3, 1));
        let p = idx.position(text, 8);
        assert_eq!((p.line, p.column), (4, 1));
    }

    #[test]
    fn bom_and_utf16_columns() {
        let text = "\u{feff}<a>é😀x";
        let idx = LineIndex::new(text);
        let p = idx.position(text, 3);
        assert_eq!(p.column, 1);
        let x = text.find('x').unwrap_or(0);
        let p = idx.position(text, x);
        assert_eq!((p.column, p.column_utf16), (6, 7));
    }

    #[test]
    fn decodes_utf16_and_rejects_bad_utf8() {
        let mut b = vec![0xFF, 0xFE];
        for u in "<a/>".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&b).ok().as_deref(), Some("<a/>"));
        let e = decode(b"<a>\xff</a>").err().map(|e| e.0.offset);
        assert_eq!(e, Some(3));
    }
}
