//! The fast path of [`super::parse`]: one pass over the bytes that builds the same arena as the
//! quick-xml path, for the plain XML that metadata files are made of (an XML declaration, elements
//! with ASCII names, attributes, text, references, comments).
//!
//! It accepts only documents it is sure about and gives up (`None`) at the first thing it does not
//! handle or that is not well-formed: CDATA, a DOCTYPE, a name with any byte but ASCII letters,
//! digits and `_ - . :`, a mismatched end tag, an invalid reference, text outside the root, a file
//! that ends inside an element. [`super::parse`] then reads the file again with quick-xml, which gives
//! the result or the error with its message and position. So this path never decides an error, and
//! where it gives a document, it is the one quick-xml's events build: every rule below is quick-xml
//! 0.38's, as configured in [`super::parse_events`]. `tests/xml_fast_path.rs` compares both paths on
//! generated, mutated and real files.
//!
//! Why: in WebAssembly quick-xml's event loop cost about twice what it costs natively, and it was most
//! of a lint's time in every Wasm front end.

use super::{check_references, has_amp, is_xml_space, same, Document, Tree};
use crate::source::Span;

/// Bytes of an element name on this path: ASCII letters, digits and `_ - . :`.
static NAME: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':');
        c += 1;
    }
    t
};

/// XML white space ([`is_xml_space`]), as quick-xml splits a tag's name from its attributes.
fn is_space(b: u8) -> bool {
    is_xml_space(char::from(b))
}

/// The `>` that ends a tag whose attributes start at `from`, outside quotes (quick-xml's
/// `ElementParser`).
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote = 0u8;
    let mut i = from;
    loop {
        let at = i + memchr::memchr3(b'>', b'\'', b'"', b.get(i..)?)?;
        match (quote, b[at]) {
            (0, b'>') => return Some(at),
            (0, q) => quote = q,
            (q, c) if q == c => quote = 0,
            _ => {}
        }
        i = at + 1;
    }
}

/// The first `>` at or after `from` with `pair` just before it (the ends of comments and processing
/// instructions).
fn end_after(b: &[u8], from: usize, pair: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + memchr::memchr(b'>', b.get(i..)?)?;
        if b[..at].ends_with(pair) {
            return Some(at);
        }
        i = at + 1;
    }
}

/// The document of `text` (its body starts at `base`, after a byte-order mark), or `None` when
/// quick-xml must read it.
pub(super) fn scan(text: &str, base: usize) -> Option<Document<'_>> {
    let body = text.get(base..)?;
    let b = body.as_bytes();
    let mut tree = Tree::new(b.len());
    let mut amp = memchr::memchr(b'&', b).unwrap_or(usize::MAX);
    let mut pos = 0;
    loop {
        let lt = memchr::memchr(b'<', &b[pos..]).map_or(b.len(), |o| pos + o);
        if lt > pos {
            if !tree.inside() {
                if !b[pos..lt].iter().all(|&c| is_space(c)) {
                    return None; // text outside the root element
                }
            } else if has_amp(body, &mut amp, pos, lt)
                && check_references(&body[pos..lt], 0).is_err()
            {
                return None;
            }
        }
        if lt == b.len() {
            break;
        }
        match *b.get(lt + 1)? {
            b'/' => {
                // `</name>`, `</name >`: the open element's name, then white space.
                let open = tree.open()?;
                let name = open.span.start as usize + 1 - base..open.name.end as usize - base;
                let name_end = lt + 2 + name.len();
                if !same(b.get(lt + 2..name_end)?, &b[name]) {
                    return None;
                }
                let mut gt = name_end;
                while is_space(*b.get(gt)?) {
                    gt += 1;
                }
                if b[gt] != b'>' {
                    return None;
                }
                tree.end(base + lt, base + gt + 1)?;
                pos = gt + 1;
            }
            b'!' => {
                // Comments only; quick-xml ends one at the first `>` at least five bytes after the `!`
                // with `--` before it.
                if b.get(lt + 2..lt + 4)? != b"--" {
                    return None;
                }
                let gt = end_after(b, lt + 6, b"--")?;
                tree.comment(base + lt, base + gt + 1);
                pos = gt + 1;
            }
            b'?' => {
                // The XML declaration or a processing instruction: up to the first `?>`; `<?>` is
                // an error.
                let gt = end_after(b, lt + 2, b"?")?;
                if gt == lt + 2 {
                    return None;
                }
                pos = gt + 1;
            }
            c if NAME[c as usize] && !matches!(c, b'-' | b'.') && !c.is_ascii_digit() => {
                let name_start = lt + 1;
                let mut i = name_start;
                while NAME[*b.get(i)? as usize] {
                    i += 1;
                }
                let name_end = i;
                let (gt, empty) = match b[i] {
                    b'>' => (i, false),
                    b'/' if *b.get(i + 1)? == b'>' => (i + 1, true),
                    c if is_space(c) => {
                        let gt = tag_end(b, i)?;
                        (gt, b[gt - 1] == b'/')
                    }
                    _ => return None,
                };
                let after = gt + 1;
                // References in attribute values.
                if has_amp(body, &mut amp, lt, after)
                    && check_references(&body[lt..after], 0).is_err()
                {
                    return None;
                }
                // The local name follows the first `:`, as quick-xml's `local_name`.
                let local = memchr::memchr(b':', &b[name_start..name_end])
                    .map_or(name_start, |p| name_start + p + 1);
                let name = Span::new(base + local, base + name_end);
                tree.start(name, base + lt, base + after, empty).ok()?;
                pos = after;
            }
            _ => return None,
        }
    }
    tree.finish(text).ok()
}
