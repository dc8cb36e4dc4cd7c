//! silt's XML fast path (`xml::parse_fast`) against the quick-xml path (`xml::parse_quick_xml`):
//! wherever the fast path gives a document, quick-xml must give the same one (every element's name,
//! spans and links, every comment); where the fast path gives up, `xml::parse` falls back to
//! quick-xml, so only its acceptances can be wrong.
//!
//! Inputs: generated metadata-like documents with every construct the fast path handles and some it
//! leaves to quick-xml; each mutated at random (bytes of markup deleted, inserted, swapped), which
//! yields malformed documents near the valid ones; and every XML file of the bundled examples, test
//! fixtures and, where present, the shared corpora, which the fast path must accept whole.
//!
//! `SILT_XML_CASES` sets the number of generated documents (default 20,000).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::xml;
use std::path::{Path, PathBuf};

mod common;
use common::Rng;

const NAMES: &[&str] = &[
    "Profile",
    "fieldPermissions",
    "editable",
    "a",
    "x1",
    "ns:label",
    "a.b-c_d",
    "_u",
    "名前",
];
const TEXTS: &[&str] = &[
    "true",
    "Account.Name",
    " ",
    "\n    ",
    "\r\n",
    "l&apos;été",
    "&amp;",
    "&#233;",
    "&#x1F600;",
    "a > b",
    "]]>",
    "\"q\"",
    "'",
    "営業",
    "&bad;",
    "& ",
    "<![CDATA[<&>]]>",
    "<!-- c -->",
    "<!---->",
    "<!-- a - b -->",
    "<!-- -- -->",
    "<?pi x?>",
    "<??>",
];
const ATTRS: &[&str] = &[
    " xmlns=\"http://soap.sforce.com/2006/04/metadata\"",
    " a='1'",
    " b=\"x>y\"",
    " c=\"it's\"",
    " d='say \"hi\"'",
    " e=\"a/\"",
    "  f = \"&amp;\" ",
    " g=\"&nope;\"",
    "\n\tx=\"1\"",
];

fn element(r: &mut Rng, out: &mut String, depth: usize) {
    let name = r.pick(NAMES);
    out.push('<');
    out.push_str(name);
    for _ in 0..r.below(3).saturating_sub(1) {
        out.push_str(r.pick(ATTRS));
    }
    if r.below(7) == 0 {
        out.push_str(r.pick(&["/>", " />"]));
        return;
    }
    out.push('>');
    if depth >= 3 || r.below(3) == 0 {
        for _ in 0..r.below(3) {
            out.push_str(r.pick(TEXTS));
        }
    } else {
        for _ in 0..1 + r.below(4) {
            out.push_str(r.pick(&["\n", "\n    ", "", "<!-- silt-ignore x -->\n"]));
            element(r, out, depth + 1);
        }
        out.push('\n');
    }
    out.push_str("</");
    out.push_str(name);
    out.push_str(r.pick(&[">", ">", ">", " >", "\n>"]));
}

fn document(r: &mut Rng) -> String {
    let mut out = String::new();
    out.push_str(r.pick(&["", "", "\u{feff}", "\n"]));
    if r.below(4) != 0 {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.push_str(r.pick(&["\n", "\r\n", ""]));
    }
    if r.below(4) == 0 {
        out.push_str("<!-- before the root -->\n");
    }
    element(r, &mut out, 0);
    out.push_str(r.pick(&["", "\n", "\n<!-- after -->\n", " \t\r\n"]));
    out
}

/// Bytes of markup a mutation deletes, inserts or puts in place of another.
const MARKUP: &[u8] = b"<>/!-?\"'&; \n:=a[";

fn mutate(r: &mut Rng, doc: &str) -> String {
    let mut b = doc.as_bytes().to_vec();
    for _ in 0..1 + r.below(3) {
        if b.is_empty() {
            break;
        }
        let at = r.below(b.len());
        let byte = MARKUP[r.below(MARKUP.len())];
        match r.below(3) {
            0 => {
                b.remove(at);
            }
            1 => b.insert(at, byte),
            _ => b[at] = byte,
        }
    }
    // Mutations may split a multi-byte character: such a file is not text, and never reaches XML.
    String::from_utf8_lossy(&b).into_owned()
}

fn cases() -> usize {
    std::env::var("SILT_XML_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// `Some` from the fast path must be what quick-xml gives. Returns whether the fast path took it.
fn agree(doc: &str, what: &str) -> bool {
    let Some(fast) = xml::parse_fast(doc) else {
        return false;
    };
    match xml::parse_quick_xml(doc) {
        Ok(slow) => assert_eq!(fast, slow, "{what}: the paths disagree on\n{doc:?}"),
        Err(e) => panic!("{what}: the fast path accepts what quick-xml rejects ({e:?}):\n{doc:?}"),
    }
    // And `parse` gives that document.
    assert_eq!(xml::parse(doc).ok(), Some(fast), "{what}");
    true
}

#[test]
fn generated_and_mutated_documents_agree_with_quick_xml() {
    let mut r = Rng(0x5EED_F00D);
    let (mut plain, mut mutated_fast, mut mutated_rejected) = (0, 0, 0);
    for case in 0..cases() {
        let doc = document(&mut r);
        let fast = agree(&doc, &format!("case {case}"));
        // A document with nothing the fast path leaves to quick-xml must take it.
        let plain_doc = !["名前", "<![CDATA[", "&bad;", "& ", "&nope;", "<??>"]
            .iter()
            .any(|s| doc.contains(s));
        if plain_doc {
            plain += 1;
            assert!(fast, "case {case}: the fast path gives up on\n{doc:?}");
        }
        for m in 0..4 {
            let bad = mutate(&mut r, &doc);
            if agree(&bad, &format!("case {case}, mutation {m}")) {
                mutated_fast += 1;
            } else if xml::parse_quick_xml(&bad).is_err() {
                mutated_rejected += 1;
            }
        }
    }
    eprintln!(
        "{plain} plain documents, all on the fast path; mutations: {mutated_fast} \
         accepted on it, {mutated_rejected} rejected"
    );
    assert!(plain > cases() / 10, "too few plain documents: {plain}");
    assert!(mutated_fast > 0 && mutated_rejected > 0);
}

#[test]
fn edge_cases_agree_with_quick_xml() {
    // Each either takes the fast path with quick-xml's document, or is left to quick-xml.
    let cases = [
        "<a/>",
        "<a></a>",
        "<a ></a >",
        "<a/ >",
        "<a b/>",
        "<a b='>'/>",
        "<a b=\"'\">x</a>",
        "<a b=\"unclosed></a>",
        "<a><!----></a>",
        "<a><!--></a>-->",
        "<a><!---></a>--->",
        "<a><!-- x --->y</a>",
        "<!--c--><a/><!--d-->",
        "<a><!--c--></a><!--d-->",
        "<a><b/><!--c--></a>",
        "<?xml?><a/>",
        "<?><a/>",
        "<?x?y?><a/>",
        "<?xml version='1.0'?><a/><?pi?>",
        "<a><?pi > ?></a>",
        "<a>&amp;&lt;&#65;&#x42;</a>",
        "<a>&amp</a>",
        "<a>&amp;&</a>",
        "<a x='&amp;'/>",
        "<a x='&'/>",
        "<a:b></a:b>",
        "<a:b></b>",
        "<:a></:a>",
        "<a:b:c/>",
        "<a></b>",
        "<a></ab>",
        "<ab></a>",
        "<a>",
        "</a>",
        "<a/><b/>",
        "x<a/>",
        "<a/>x",
        "<a/>&amp;",
        "",
        " ",
        "<",
        "<a",
        "<a/",
        "<a b",
        "<>",
        "< a/>",
        "<1a/>",
        "<-a/>",
        "<a\u{e9}/>",
        "<a><![CDATA[x]]></a>",
        "<!DOCTYPE a><a/>",
        "\u{feff}<a/>",
        "\u{feff}\u{feff}<a/>",
        "<a>\r\n<b>1</b>\r\n</a>\r\n",
    ];
    for doc in cases {
        agree(doc, "edge case");
    }
    // The well-formed ones made only of what the fast path handles must take it.
    for doc in [
        "<a/>",
        "<a></a>",
        "<a ></a >",
        "<a b/>",
        "<a b='>'/>",
        "<a b=\"'\">x</a>",
        "<a><!----></a>",
        "<a><!-- x --->y</a>",
        "<!--c--><a/><!--d-->",
        "<a><!--c--></a><!--d-->",
        "<?xml?><a/>",
        "<?x?y?><a/>",
        "<?xml version='1.0'?><a/><?pi?>",
        "<a><?pi > ?></a>",
        "<a>&amp;&lt;&#65;&#x42;</a>",
        "<a x='&amp;'/>",
        "<a:b></a:b>",
        "<a:b:c/>",
        "\u{feff}<a/>",
        "<a>\r\n<b>1</b>\r\n</a>\r\n",
    ] {
        assert!(agree(doc, "edge case"), "the fast path gives up on {doc:?}");
    }
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            xml_files(&p, out);
        } else if [".xml", ".profile", ".permissionset"]
            .iter()
            .any(|x| p.to_string_lossy().ends_with(x))
        {
            out.push(p);
        }
    }
}

/// Every XML file of the repository's examples and fixtures and of the shared corpora: the fast
/// path takes each one quick-xml accepts and that holds no CDATA or DOCTYPE, with the same result.
#[test]
fn real_files_take_the_fast_path() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![
        crate_dir.join("../../examples"),
        crate_dir.join("../../tests/fixtures"),
    ];
    let corpora = std::env::var_os("SILT_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir.join("../../../shared/corpora"));
    if corpora.is_dir() {
        dirs.push(corpora);
    } else {
        eprintln!("shared corpora not found; only the repository's files");
    }
    let mut files = Vec::new();
    for d in &dirs {
        xml_files(d, &mut files);
    }
    let (mut fast, mut valid) = (0, 0);
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue; // not UTF-8: never reaches the XML layer as is
        };
        let what = p.display().to_string();
        let took = agree(&text, &what);
        if xml::parse_quick_xml(&text).is_ok() {
            valid += 1;
            if !text.contains("<![CDATA[") && !text.contains("<!DOCTYPE") {
                assert!(took, "{what}: the fast path gives up on a plain file");
            }
        }
        fast += usize::from(took);
    }
    eprintln!(
        "{fast} of {valid} well-formed XML files on the fast path ({} read)",
        files.len()
    );
    assert!(
        valid >= 50,
        "expected the repository's XML files, found {valid}"
    );
}
