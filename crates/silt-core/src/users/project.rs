//! `*scratch-def*.json` / CumulusCI `orgs/*.json` (the org edition) and `sfdx-project.json`
//! (package directories).

use super::user_def::value_range;
use super::{prop, Json};
use crate::model::{Metadata, PackageDirectory, Project};
use crate::FileResult;
use jsonc_parser::ast::Value;

pub(super) fn scratch_def(json: &Json, result: &mut FileResult) {
    let Value::Object(obj) = &json.root else {
        json.error(
            result,
            value_range(&json.root),
            "a scratch org definition must be a JSON object",
        );
        return;
    };
    if let Some(edition) = prop(obj, "edition").and_then(|p| json.prop_val(p)) {
        result.metadata.push(Metadata::Edition(edition));
    }
}

pub(super) fn sfdx_project(json: &Json, result: &mut FileResult) {
    let Value::Object(obj) = &json.root else {
        json.error(
            result,
            value_range(&json.root),
            "sfdx-project.json must be a JSON object",
        );
        return;
    };
    let mut package_directories = Vec::new();
    let dirs = prop(obj, "packageDirectories");
    if let Some(Value::Array(a)) = dirs.map(|p| &p.value) {
        for d in &a.elements {
            let Value::Object(d) = d else { continue };
            let Some(path) = prop(d, "path").and_then(|p| json.prop_val(p)) else {
                continue;
            };
            let package = prop(d, "package")
                .and_then(|p| json.prop_val(p))
                .map(|v| v.value);
            package_directories.push(PackageDirectory {
                path: path.value,
                package,
            });
        }
    }
    let at = json.loc(dirs.map(|p| p.range).unwrap_or(obj.range));
    result.metadata.push(Metadata::Project(Project {
        package_directories,
        at,
    }));
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::Metadata;

    type Lc = (u32, u32, u32, u32);

    fn edition(r: &crate::FileResult) -> Vec<(String, Lc, Lc)> {
        r.metadata
            .iter()
            .filter_map(|m| match m {
                Metadata::Edition(v) => Some((v.value.clone(), lc(&v.at), lc(&v.element))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn users_scratch_def_edition() {
        let text = "{\r\n  \"orgName\": \"Acme\",\r\n  \"edition\": \"Developer\",\r\n  \"features\": []\r\n}";
        let r = check("config/project-scratch-def.json", text);
        assert!(r.diagnostics.is_empty());
        assert_eq!(
            edition(&r),
            [("Developer".to_string(), (3, 15, 3, 24), (3, 3, 3, 25))]
        );
        // CumulusCI orgs/*.json; no edition → nothing.
        let r = check("orgs/trial.json", "{\"template\": \"0TT\"}");
        assert!(r.diagnostics.is_empty() && r.metadata.is_empty());
        assert_eq!(r.kind, Some(crate::FileKind::ScratchDef));
        let r = check("config/project-scratch-def.json", "[\"Developer\"]");
        assert_eq!(
            errors(&r),
            ["1:1: a scratch org definition must be a JSON object"]
        );
    }

    #[test]
    fn users_sfdx_project() {
        let text = "{\n  \"packageDirectories\": [\n    { \"path\": \"force-app\", \"default\": true, \"package\": \"Core\" },\n    { \"path\": \"extra\" },\n    { \"package\": \"no path\" }\n  ],\n  // comments are accepted\n  \"sourceApiVersion\": \"62.0\"\n}\n";
        let r = check("sfdx-project.json", text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let p: Vec<_> = r
            .metadata
            .iter()
            .filter_map(|m| match m {
                Metadata::Project(p) => Some(p.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(p.len(), 1);
        let dirs: Vec<_> = p[0]
            .package_directories
            .iter()
            .map(|d| (d.path.as_str(), d.package.as_deref()))
            .collect();
        assert_eq!(dirs, [("force-app", Some("Core")), ("extra", None)]);
        assert_eq!(lc(&p[0].at), (2, 3, 6, 4));
        let r = check("sfdx-project.json", "\"x\"");
        assert_eq!(errors(&r), ["1:1: sfdx-project.json must be a JSON object"]);
    }
}
