//! The only module that talks to quick-xml: a flat element arena with byte spans. Plain metadata
//! XML takes a fast path of its own (`scan.rs`), which builds the same arena or leaves the file to
//! quick-xml.
//!
//! The tree keeps byte ranges into the source, never copies of names or text, and is built without
//! recursion, so 100,000-deep nesting or a 50 MB one-line file costs memory, not stack.

use crate::source::{clamp_u32, Span};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::borrow::Cow;

mod scan;

pub const NONE: u32 = u32::MAX;

/// One element: 36 bytes, as a big profile has hundreds of thousands of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Local name (prefix stripped) range.
    pub name: Span,
    /// From `<` of the start tag to `>` of the end tag.
    pub span: Span,
    /// Where the start tag ends (after its `>`).
    start_tag_end: u32,
    /// Where the end tag starts (`start_tag_end` for `<a/>`).
    inner_end: u32,
    pub parent: u32,
    pub first_child: u32,
    pub next_sibling: u32,
}

impl Node {
    /// The start tag alone.
    pub fn start_tag(&self) -> Span {
        Span {
            start: self.span.start,
            end: self.start_tag_end,
        }
    }
    /// Between the start and end tags (empty for `<a/>`).
    pub fn inner(&self) -> Span {
        Span {
            start: self.start_tag_end,
            end: self.inner_end,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The whole `<!-- ... -->`.
    pub span: Span,
    /// The comment's text between the markers.
    pub text: Span,
    /// The element that follows the comment as a sibling (or the root), if any.
    pub next_element: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Document<'a> {
    pub text: &'a str,
    pub nodes: Vec<Node>,
    pub comments: Vec<Comment>,
    pub root: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub span: Span,
}

/// Parse `text` (offset 0 is the start of the file; a UTF-8 BOM is skipped).
///
/// Plain metadata XML takes a fast path (`xml/scan.rs`); anything it does not handle, and every
/// malformed file, is read by quick-xml, which gives the same document or the error.
pub fn parse(text: &str) -> Result<Document<'_>, XmlError> {
    let base = control_check(text)?;
    if let Some(doc) = scan::scan(text, base) {
        return Ok(doc);
    }
    parse_events(text, base)
}

/// [`parse`] through quick-xml only (for the tests that compare both paths).
#[doc(hidden)]
pub fn parse_quick_xml(text: &str) -> Result<Document<'_>, XmlError> {
    parse_events(text, control_check(text)?)
}

/// [`parse`]'s fast path alone: `None` where it leaves the file to quick-xml (for the tests that
/// compare both paths).
#[doc(hidden)]
pub fn parse_fast(text: &str) -> Option<Document<'_>> {
    scan::scan(text, control_check(text).ok()?)
}

/// Where the body starts (after a UTF-8 BOM), unless the text holds a control character.
fn control_check(text: &str) -> Result<usize, XmlError> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // XML 1.0 allows no C0 control character but tab, line feed and carriage return, anywhere.
    if let Some(at) = first_control(text.as_bytes()) {
        let b = text.as_bytes()[at];
        return Err(XmlError {
            message: format!(
                "control character U+{b:04X} is not allowed in XML{}",
                if b == 0 {
                    " (NUL byte; is this a binary or UTF-16 file?)"
                } else {
                    ""
                }
            ),
            span: Span::new(at, at + 1),
        });
    }
    Ok(base)
}

/// The arena both readers build ([`parse_events`] from quick-xml's events, [`scan`] from the bytes),
/// element by element, in document order. Offsets are the file's (after the BOM).
struct Tree {
    nodes: Vec<Node>,
    comments: Vec<Comment>,
    /// Open elements: (node, its last child so far).
    stack: Vec<(u32, u32)>,
    root: u32,
    /// Comments waiting for the next element at the current level.
    pending: Vec<usize>,
}

impl Tree {
    fn new(body_len: usize) -> Tree {
        Tree {
            // About one element per 32 bytes in metadata XML (fieldPermissions: 4 per ~130 bytes).
            nodes: Vec::with_capacity(body_len / 32 + 16),
            comments: Vec::new(),
            stack: Vec::new(),
            root: NONE,
            pending: Vec::new(),
        }
    }

    /// Whether an element is open (text here is content, not outside the root).
    fn inside(&self) -> bool {
        !self.stack.is_empty()
    }

    /// The innermost open element.
    fn open(&self) -> Option<&Node> {
        self.stack.last().map(|&(i, _)| &self.nodes[i as usize])
    }

    /// A start tag from `start` to `after`, its local name at `name`; `empty` for `<a/>`. The error
    /// is the reason it cannot be one.
    fn start(
        &mut self,
        name: Span,
        start: usize,
        after: usize,
        empty: bool,
    ) -> Result<(), &'static str> {
        let parent = self.stack.last().map_or(NONE, |&(p, _)| p);
        if parent == NONE && self.root != NONE {
            return Err("a second root element; an XML file has exactly one");
        }
        let idx = u32::try_from(self.nodes.len()).map_err(|_| "too many elements")?;
        self.nodes.push(Node {
            name,
            span: Span::new(start, after),
            start_tag_end: clamp_u32(after),
            inner_end: clamp_u32(after),
            parent,
            first_child: NONE,
            next_sibling: NONE,
        });
        // The open parent's last child so far lives on the stack, not in the node.
        if let Some((_, last)) = self.stack.last_mut() {
            match std::mem::replace(last, idx) {
                NONE => self.nodes[parent as usize].first_child = idx,
                prev => self.nodes[prev as usize].next_sibling = idx,
            }
        } else {
            self.root = idx;
        }
        for c in self.pending.drain(..) {
            self.comments[c].next_element = idx;
        }
        if !empty {
            self.stack.push((idx, NONE));
        }
        Ok(())
    }

    /// The end tag of the innermost open element, from `start` to `after`; `None` if none is open.
    fn end(&mut self, start: usize, after: usize) -> Option<()> {
        let (idx, _) = self.stack.pop()?;
        self.pending.clear();
        let n = &mut self.nodes[idx as usize];
        n.inner_end = clamp_u32(start);
        n.span = Span::new(n.span.start as usize, after);
        Some(())
    }

    /// A comment from `start` to `after` (`<!--` to `-->`).
    fn comment(&mut self, start: usize, after: usize) {
        self.comments.push(Comment {
            span: Span::new(start, after),
            text: Span::new(start + 4, after.saturating_sub(3)),
            next_element: NONE,
        });
        self.pending.push(self.comments.len() - 1);
    }

    /// The document, once the text has ended: every element closed, one root.
    fn finish(self, text: &str) -> Result<Document<'_>, XmlError> {
        if let Some(n) = self.open() {
            let name = text.get(n.name.range()).unwrap_or("?").to_string();
            return Err(XmlError {
                message: format!("unexpected end of file: <{name}> is never closed"),
                span: n.start_tag(),
            });
        }
        if self.root == NONE {
            return Err(XmlError {
                message: "no root element (the file is empty or has no XML element)".into(),
                span: Span::new(0, text.len().min(1)),
            });
        }
        Ok(Document {
            text,
            nodes: self.nodes,
            comments: self.comments,
            root: self.root,
        })
    }
}

/// The document built from quick-xml's events.
fn parse_events(text: &str, base: usize) -> Result<Document<'_>, XmlError> {
    let body = &text[base..];
    let mut reader = Reader::from_str(body);
    {
        let c = reader.config_mut();
        c.check_end_names = true;
        c.trim_text_start = false;
        c.trim_text_end = false;
        c.expand_empty_elements = false;
        c.allow_dangling_amp = true;
    }
    let mut tree = Tree::new(body.len());
    // The next `&` at or after the last event checked: most files have none, so the events between
    // two ampersands are not scanned again one by one.
    let mut amp = memchr::memchr(b'&', body.as_bytes()).unwrap_or(usize::MAX);
    let err = |message: String, at: usize, end: usize| XmlError {
        message,
        span: Span::new(base + at, base + end.max(at)),
    };

    loop {
        let before = reader.buffer_position() as usize;
        // The event is matched where `read_event` left it, and not dropped: moving it out of the
        // `Result` cost a store-forwarding stall per event on x86, and the drop an out-of-line call
        // per event (together about 15 % of a lint). Nothing leaks: read from a `&str`, every event
        // borrows the text (quick-xml's zero-copy reading); only an error owns memory, and it is
        // dropped below.
        let res = std::mem::ManuallyDrop::new(reader.read_event());
        let after = reader.buffer_position() as usize;
        let ev = match &*res {
            Ok(ev) => ev,
            Err(e) => {
                let message = format!("malformed XML: {e}");
                drop(std::mem::ManuallyDrop::into_inner(res));
                let at = (reader.error_position() as usize).min(body.len());
                return Err(err(message, at, (at + 1).min(body.len())));
            }
        };
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                // References in attribute values (`&` appears nowhere else in a tag).
                if has_amp(body, &mut amp, before, after) {
                    check_references(body.get(before..after).unwrap_or(""), base + before)?;
                }
                let local_len = s.local_name().as_ref().len();
                let name_start = before + 1 + (s.name().as_ref().len() - local_len);
                let name = Span::new(base + name_start, base + name_start + local_len);
                tree.start(
                    name,
                    base + before,
                    base + after,
                    matches!(ev, Event::Empty(_)),
                )
                .map_err(|m| err(m.into(), before, after))?;
            }
            Event::End(_) => {
                tree.end(base + before, base + after).ok_or_else(|| {
                    err("closing tag without an opening tag".into(), before, after)
                })?;
            }
            Event::Comment(_) => tree.comment(base + before, base + after),
            Event::Text(ref t) => {
                if !tree.inside() && !t.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(err("text outside the root element".into(), before, after));
                }
                // A dangling `&` (quick-xml lets it through as text).
                if has_amp(body, &mut amp, before, after) {
                    check_references(body.get(before..after).unwrap_or(""), base + before)?;
                }
            }
            Event::GeneralRef(_) => {
                if !tree.inside() {
                    return Err(err(
                        "content outside the root element".into(),
                        before,
                        after,
                    ));
                }
                if has_amp(body, &mut amp, before, after) {
                    check_references(body.get(before..after).unwrap_or(""), base + before)?;
                }
            }
            Event::CData(_) => {
                if !tree.inside() {
                    return Err(err(
                        "content outside the root element".into(),
                        before,
                        after,
                    ));
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    tree.finish(text)
}

/// The first C0 control character other than tab, LF, CR: 64-byte chunks without an early exit, so
/// the compiler vectorises the scan.
fn first_control(b: &[u8]) -> Option<usize> {
    for (k, chunk) in b.chunks(64).enumerate() {
        let mut hit = false;
        for &x in chunk {
            hit |= (x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r');
        }
        if hit {
            let i = chunk
                .iter()
                .position(|&x| x < 0x20 && !matches!(x, b'\t' | b'\n' | b'\r'))?;
            return Some(k * 64 + i);
        }
    }
    None
}

impl<'a> Document<'a> {
    pub fn node(&self, i: u32) -> Option<&Node> {
        self.nodes.get(i as usize)
    }
    pub fn name(&self, i: u32) -> &'a str {
        self.node(i)
            .and_then(|n| self.text.get(n.name.range()))
            .unwrap_or("")
    }
    pub fn children(&self, i: u32) -> Children<'_, 'a> {
        Children {
            doc: self,
            next: self.node(i).map(|n| n.first_child).unwrap_or(NONE),
        }
    }
    pub fn child(&self, i: u32, name: &str) -> Option<u32> {
        self.children(i)
            .find(|&c| same(self.name(c).as_bytes(), name.as_bytes()))
    }
    pub fn has_children(&self, i: u32) -> bool {
        self.node(i).map(|n| n.first_child != NONE).unwrap_or(false)
    }
    /// The text of a leaf element: references decoded, CDATA unwrapped, comments dropped, trimmed
    /// of XML white space.
    pub fn value(&self, i: u32) -> Cow<'a, str> {
        match self.node(i) {
            Some(n) if n.first_child == NONE => {
                text_value(self.text.get(n.inner().range()).unwrap_or(""))
            }
            _ => Cow::Borrowed(""),
        }
    }
    /// The trimmed value span of a leaf (for pointing at and fixing values).
    pub fn value_span(&self, i: u32) -> Span {
        let Some(n) = self.node(i) else {
            return Span::default();
        };
        let raw = self.text.get(n.inner().range()).unwrap_or("");
        let lead = raw.len() - raw.trim_start_matches(is_xml_space).len();
        let trimmed = trim_xml(raw);
        let s = n.inner().start as usize + lead;
        Span::new(s, s + trimmed.len())
    }
    /// Value of the child `name` of `i`.
    pub fn child_value(&self, i: u32, name: &str) -> Option<Cow<'a, str>> {
        self.child(i, name).map(|c| self.value(c))
    }
    /// The value of attribute `name` (local name) on element `i`.
    pub fn attr(&self, i: u32, name: &str) -> Option<String> {
        let n = self.node(i)?;
        let tag = self.text.get(n.start_tag().range())?;
        let tag = tag
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim_end_matches('/');
        let name_len = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
        let start = quick_xml::events::BytesStart::from_content(tag, name_len);
        for a in start.attributes().with_checks(false).flatten() {
            if a.key.local_name().as_ref() == name.as_bytes() {
                return Some(text_value(std::str::from_utf8(&a.value).unwrap_or("")).into_owned());
            }
        }
        None
    }
    /// The comment text (between `<!--` and `-->`).
    pub fn comment_text(&self, c: &Comment) -> &'a str {
        self.text.get(c.text.range()).unwrap_or("")
    }
}

pub struct Children<'d, 'a> {
    doc: &'d Document<'a>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let cur = self.next;
        self.next = self.doc.node(cur).map(|n| n.next_sibling).unwrap_or(NONE);
        Some(cur)
    }
}

/// Byte equality of short strings (element names) without a call to `memcmp`, which WebAssembly
/// does not inline: eight bytes at a time, then the rest.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a8, mut b8) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in a8.by_ref().zip(b8.by_ref()) {
        if u64::from_ne_bytes(x.try_into().unwrap_or([0; 8]))
            != u64::from_ne_bytes(y.try_into().unwrap_or([0; 8]))
        {
            return false;
        }
    }
    a8.remainder()
        .iter()
        .zip(b8.remainder())
        .all(|(x, y)| x == y)
}

/// XML white space (S production): what `value` trims. Not Unicode white space: a label may start
/// with an ideographic space (U+3000) or a no-break space, and those are part of the value.
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Trim XML white space only.
pub fn trim_xml(s: &str) -> &str {
    s.trim_matches(is_xml_space)
}

/// The decoded text of a leaf element, trimmed of XML white space.
pub fn text_value(raw: &str) -> Cow<'_, str> {
    match decode_text(trim_xml(raw)) {
        Cow::Borrowed(t) => Cow::Borrowed(trim_xml(t)),
        Cow::Owned(t) => {
            let trimmed = trim_xml(&t);
            if trimmed.len() == t.len() {
                Cow::Owned(t)
            } else {
                Cow::Owned(trimmed.to_string())
            }
        }
    }
}

/// Decode character data exactly as a conforming XML 1.0 parser reports it: line ends normalised
/// (CR LF and lone CR become LF), entity and character references expanded, CDATA sections
/// unwrapped (their content kept verbatim but for line ends), comments and processing instructions
/// dropped. Not trimmed. The input is the raw text between two tags of a document that [`parse`]
/// accepted, so every reference in it is valid; an invalid one is kept as written.
///
/// Works on bytes: every delimiter is ASCII, so multi-byte UTF-8 text next to a reference is copied
/// whole (slicing a `str` at a byte count is what crashed on `l&apos;été`).
pub fn decode_text(raw: &str) -> Cow<'_, str> {
    let b = raw.as_bytes();
    if memchr::memchr3(b'&', b'<', b'\r', b).is_none() {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < b.len() {
        let Some(off) = memchr::memchr3(b'&', b'<', b'\r', &b[i..]) else {
            out.push_str(&raw[i..]);
            break;
        };
        let at = i + off;
        out.push_str(&raw[i..at]);
        let rest = &raw[at..];
        if rest.starts_with('\r') {
            out.push('\n');
            i = at + if rest.starts_with("\r\n") { 2 } else { 1 };
        } else if let Some(r) = rest.strip_prefix("<![CDATA[") {
            let end = r.find("]]>").unwrap_or(r.len());
            push_normalised(&mut out, &r[..end]);
            i = at + 9 + (end + 3).min(r.len());
        } else if let Some(r) = rest.strip_prefix("<!--") {
            i = at + 4 + r.find("-->").map_or(r.len(), |e| e + 3);
        } else if let Some(r) = rest.strip_prefix("<?") {
            i = at + 2 + r.find("?>").map_or(r.len(), |e| e + 2);
        } else if rest.starts_with('&') {
            match reference(rest) {
                Ok((c, len)) => {
                    out.push(c);
                    i = at + len;
                }
                Err(_) => {
                    out.push('&');
                    i = at + 1;
                }
            }
        } else {
            // A `<` that starts nothing known (cannot happen in a parsed document): keep it.
            out.push('<');
            i = at + 1;
        }
    }
    Cow::Owned(out)
}

fn push_normalised(out: &mut String, mut s: &str) {
    while let Some(p) = s.find('\r') {
        out.push_str(&s[..p]);
        out.push('\n');
        s = &s[p + 1..];
        s = s.strip_prefix('\n').unwrap_or(s);
    }
    out.push_str(s);
}

/// The longest reference name silt accepts (`&#x10FFFF;` is 10 bytes; entity names are short).
const MAX_REF: usize = 32;

/// Decode the reference at the start of `s` (which starts with `&`): the character and the
/// reference's length in bytes, or why it is not a valid XML reference.
pub fn reference(s: &str) -> Result<(char, usize), String> {
    let b = s.as_bytes();
    let Some(semi) = b.iter().take(MAX_REF).position(|&x| x == b';') else {
        return Err("`&` starts no reference: write `&amp;` for a literal ampersand".into());
    };
    // Both ends are ASCII, so these are character boundaries.
    let name = &s[1..semi];
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let Some(n) = name.strip_prefix('#') else {
                return Err(format!(
                    "unknown entity `&{name};`: XML defines only &amp; &lt; &gt; &quot; &apos; \
                     (silt reads no DTD entity declarations)"
                ));
            };
            let code = match n.strip_prefix('x') {
                Some(h) if !h.is_empty() && h.bytes().all(|x| x.is_ascii_hexdigit()) => {
                    u32::from_str_radix(h, 16).ok()
                }
                None if !n.is_empty() && n.bytes().all(|x| x.is_ascii_digit()) => n.parse().ok(),
                _ => None,
            };
            match code.and_then(char::from_u32).filter(|&c| is_xml_char(c)) {
                Some(c) => c,
                None => {
                    return Err(format!(
                        "`&{name};` is not a valid character reference (XML allows tab, LF, CR, \
                         U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF)"
                    ))
                }
            }
        }
    };
    Ok((c, semi + 1))
}

/// The XML 1.0 Char production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `body[before..after]` holds an `&`, given `next`, the first `&` at or after the end of
/// the last event asked about (events come in order; those in between, comments and CDATA, are
/// skipped). Moves `next` past `after`.
fn has_amp(body: &str, next: &mut usize, before: usize, after: usize) -> bool {
    let find = |from: usize| {
        body.as_bytes()
            .get(from..)
            .and_then(|rest| memchr::memchr(b'&', rest))
            .map_or(usize::MAX, |o| from + o)
    };
    if *next < before {
        *next = find(before);
    }
    if *next < after {
        *next = find(after);
        true
    } else {
        false
    }
}

/// Check every `&` in `raw` (text, a reference or a start tag at byte `base` of the file): the
/// first invalid reference, with its span.
fn check_references(raw: &str, base: usize) -> Result<(), XmlError> {
    let b = raw.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'&', &b[i..]) {
        // `&` is ASCII, so `at` is a character boundary.
        let at = i + off;
        match reference(&raw[at..]) {
            Ok((_, len)) => i = at + len,
            Err(message) => {
                let end = b[at..]
                    .iter()
                    .take(MAX_REF)
                    .position(|&x| x == b';')
                    .map_or(at + 1, |p| at + p + 1);
                return Err(XmlError {
                    message,
                    span: Span::new(base + at, base + end),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ampersands_are_checked_in_every_event_between_skipped_ones() {
        // `&` is literal in comments and CDATA (skipped); every reference in text and attributes
        // before, between and after them is still checked, with its own span.
        let ok = "<a x=\"&amp;\"><!-- & --><b>&lt;</b><![CDATA[&&]]><c y='&#65;'>&gt;&amp;</c><!--&--></a>";
        assert!(parse(ok).is_ok());
        for (text, bad) in [
            ("<a><!-- & --><b>x & y</b></a>", "& y"),
            ("<a><![CDATA[&]]><b z=\"&nope;\"/></a>", "&nope;"),
            (
                "<a><b>&amp;</b><!-- && --><c>&amp;</c><d>&#0;</d></a>",
                "&#0;",
            ),
            ("<a>&amp;&amp;<b/>tail &x</a>", "&x"),
        ] {
            let e = parse(text).expect_err(text);
            let at = text.find(bad).unwrap_or_default();
            assert_eq!(e.span.start as usize, at, "{text}: {}", e.message);
        }
    }

    #[test]
    fn tree_spans_and_values() {
        let text = "\u{feff}<?xml version=\"1.0\"?><Profile xmlns=\"x\"><!-- c --><a><b>x &amp; y</b><c><![CDATA[<z>]]></c></a><d/></Profile>";
        let doc = parse(text).expect("parses");
        assert_eq!(doc.name(doc.root), "Profile");
        let kids: Vec<_> = doc.children(doc.root).map(|c| doc.name(c)).collect();
        assert_eq!(kids, ["a", "d"]);
        let a = doc.child(doc.root, "a").unwrap_or(NONE);
        assert_eq!(doc.child_value(a, "b").as_deref(), Some("x & y"));
        assert_eq!(doc.child_value(a, "c").as_deref(), Some("<z>"));
        assert_eq!(doc.comments[0].next_element, a);
        assert_eq!(
            &text[doc.nodes[a as usize].span.range()],
            "<a><b>x &amp; y</b><c><![CDATA[<z>]]></c></a>"
        );
        assert_eq!(doc.attr(doc.root, "xmlns").as_deref(), Some("x"));
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("<a><b></a>").err().map(|e| e.span.start);
        assert!(e.is_some());
        let e = parse("<a><b>").err().map(|e| e.message);
        assert!(e.unwrap_or_default().contains("never closed"));
        assert!(parse("").is_err());
        assert!(parse("<a/><b/>").is_err());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let n = 100_000;
        let text = format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
        let doc = parse(&text).expect("parses");
        assert_eq!(doc.nodes.len(), n);
    }
}
