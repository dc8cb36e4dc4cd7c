//! The README's rule table is generated from rules/builtin (run `silt rules --format markdown`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#[test]
fn readme_rule_table_is_up_to_date() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .unwrap_or_default();
    let start = readme
        .find("<!-- rules:start -->")
        .map(|i| i + "<!-- rules:start -->".len());
    let end = readme.find("<!-- rules:end -->");
    let (Some(s), Some(e)) = (start, end) else {
        panic!("README.md lacks the <!-- rules:start --> / <!-- rules:end --> markers")
    };
    let table = silt_core::registry::markdown_table();
    assert_eq!(
        readme[s..e].trim(),
        table.trim(),
        "README rule table is stale: paste the output of `silt rules --format markdown`"
    );
}
