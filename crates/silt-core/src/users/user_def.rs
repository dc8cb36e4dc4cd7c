//! `config/*user-def*.json`: one scratch-org user (`sf org create user --definition-file`).
//!
//! The CLI lower-cases the first letter of every key, and sObject fields are case-insensitive, so
//! keys are matched ignoring ASCII case. `permsets` is an array or a comma-separated string. There is
//! no option to assign a permission set license (a `permissionSetLicenses` key does nothing), so none
//! is read.

use super::{parse_bool, prop, Json};
use crate::model::{Metadata, UserRecord, UserSource, Val};
use crate::FileResult;
use jsonc_parser::ast::{Object, ObjectProp, Value};

pub(super) fn parse(json: &Json, result: &mut FileResult) {
    let Value::Object(obj) = &json.root else {
        json.error(
            result,
            value_range(&json.root),
            "a user definition file must hold one JSON object (the user's fields)",
        );
        return;
    };
    let user = user_from_def(json, obj, result);
    result.metadata.push(Metadata::Users(vec![user]));
}

/// A user-definition-shaped object: `profileName`, `permsets`, or `Username` with `LastName`.
pub(super) fn is_user_def_shape(obj: &Object) -> bool {
    prop(obj, "profileName").is_some()
        || prop(obj, "permsets").is_some()
        || (prop(obj, "Username").is_some() && prop(obj, "LastName").is_some())
}

/// Read one user definition object.
pub(super) fn user_from_def(json: &Json, obj: &Object, result: &mut FileResult) -> UserRecord {
    let mut user = UserRecord {
        source: UserSource::UserDef,
        username: prop(obj, "Username").and_then(|p| json.prop_val(p)),
        profile: prop(obj, "profileName").and_then(|p| json.prop_val(p)),
        license: None,
        active: prop(obj, "IsActive")
            .and_then(|p| json.prop_val(p))
            .and_then(|v| parse_bool(&v.value)),
        api_only: None,
        permission_sets: Vec::new(),
        permission_set_licenses: Vec::new(),
        at: json.loc(obj.range),
    };
    if let Some(p) = prop(obj, "permsets") {
        permsets(json, p, &mut user.permission_sets, result);
    }
    user
}

fn permsets(json: &Json, p: &ObjectProp, out: &mut Vec<Val>, result: &mut FileResult) {
    match &p.value {
        Value::StringLit(s) => out.extend(json.split_commas(s, p.range)),
        Value::Array(a) => {
            for e in &a.elements {
                match e {
                    Value::StringLit(s) => out.extend(json.split_commas(s, p.range)),
                    Value::NullKeyword(_) => {}
                    other => json.error(
                        result,
                        value_range(other),
                        "`permsets` entries must be strings (permission set API names)",
                    ),
                }
            }
        }
        Value::NullKeyword(_) => {}
        other => json.error(
            result,
            value_range(other),
            "`permsets` must be an array of permission set API names or a comma-separated string",
        ),
    }
}

/// The byte range of any JSON value.
pub(super) fn value_range(v: &Value) -> jsonc_parser::common::Range {
    match v {
        Value::StringLit(x) => x.range,
        Value::NumberLit(x) => x.range,
        Value::BooleanLit(x) => x.range,
        Value::Object(x) => x.range,
        Value::Array(x) => x.range,
        Value::NullKeyword(x) => x.range,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;

    const DEF: &str = "{\n  \"Username\": \"int-svc@example.com\",\n  \"LastName\": \"Integration\",\n  \"profileName\": \"Minimum Access - API Only Integrations\",\n  \"permsets\": [\"Fan_App_API_Access\", \" Second \"],\n  \"IsActive\": false,\n  \"permissionSetLicenses\": [\"SalesforceAPIIntegrationPsl\"]\n}\n";

    #[test]
    fn users_user_def_array_permsets() {
        let r = check("config/int-user-def.json", DEF);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let u = users(&r);
        assert_eq!(u.len(), 1);
        let u = &u[0];
        assert_eq!(u.source, crate::model::UserSource::UserDef);
        assert_eq!(lc(&u.at), (1, 1, 8, 2));
        let name = u
            .username
            .as_ref()
            .map(|v| (v.value.as_str(), lc(&v.at), lc(&v.element)));
        assert_eq!(
            name,
            Some(("int-svc@example.com", (2, 16, 2, 35), (2, 3, 2, 36)))
        );
        let p = u.profile.as_ref().map(|v| (v.value.as_str(), lc(&v.at)));
        assert_eq!(
            p,
            Some(("Minimum Access - API Only Integrations", (4, 19, 4, 57)))
        );
        let ps: Vec<_> = u
            .permission_sets
            .iter()
            .map(|v| (v.value.as_str(), lc(&v.at), lc(&v.element)))
            .collect();
        assert_eq!(
            ps,
            [
                ("Fan_App_API_Access", (5, 17, 5, 35), (5, 3, 5, 49)),
                ("Second", (5, 40, 5, 46), (5, 3, 5, 49))
            ]
        );
        assert_eq!(u.active, Some(false));
        assert!(u.permission_set_licenses.is_empty());
        assert!(u.license.is_none() && u.api_only.is_none());
    }

    #[test]
    fn users_user_def_comma_string_lowercase_keys_bom() {
        let text = "\u{feff}{\"username\":\"a@b.c\",\"ProfileName\":\"P\",\"PermSets\":\"One, Two,,Three\",\"isActive\":\"TRUE\"}";
        let r = check("config/user-def.json", text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let u = users(&r);
        assert_eq!(u.len(), 1);
        let u = &u[0];
        // The BOM is not a column: `{` is column 1.
        assert_eq!(lc(&u.at), (1, 1, 1, 86));
        let n = u
            .username
            .as_ref()
            .map(|v| (lc(&v.at), text_at(text, &v.at)));
        assert_eq!(n, Some(((1, 14, 1, 19), "a@b.c")));
        let ps: Vec<_> = u
            .permission_sets
            .iter()
            .map(|v| {
                (
                    v.value.as_str(),
                    text_at(text, &v.at),
                    v.at.range.start.column,
                )
            })
            .collect();
        assert_eq!(
            ps,
            [
                ("One", "One", 51),
                ("Two", "Two", 56),
                ("Three", "Three", 61)
            ]
        );
        assert_eq!(u.active, Some(true));
    }

    #[test]
    fn users_user_def_without_username_and_escapes() {
        let text = "{\n\t\"profileName\": \"A\\u0020B\",\n\t\"permsets\": \"X\\u002cY\"\n}";
        let r = check("config/dev-user-def.json", text);
        assert!(r.diagnostics.is_empty());
        let u = users(&r);
        assert_eq!(u.len(), 1);
        assert!(u[0].username.is_none());
        assert_eq!(value(&u[0].profile), Some("A B"));
        // Escapes: the value is decoded, the location is the whole string's contents.
        let p = u[0].profile.as_ref().map(|v| text_at(text, &v.at));
        assert_eq!(p, Some("A\\u0020B"));
        let ps: Vec<_> = u[0]
            .permission_sets
            .iter()
            .map(|v| (v.value.as_str(), lc(&v.at)))
            .collect();
        assert_eq!(ps, [("X", (3, 15, 3, 23)), ("Y", (3, 15, 3, 23))]);
    }

    #[test]
    fn users_user_def_wrong_shapes() {
        let r = check("config/a-user-def.json", "[1]");
        assert_eq!(
            errors(&r),
            ["1:1: a user definition file must hold one JSON object (the user's fields)"]
        );
        let r = check("config/a-user-def.json", "{\"permsets\": [\"A\", 3]}");
        assert_eq!(
            errors(&r),
            ["1:20: `permsets` entries must be strings (permission set API names)"]
        );
        assert_eq!(users(&r).len(), 1);
        let r = check("config/a-user-def.json", "{\"permsets\": {}}");
        assert_eq!(errors(&r).len(), 1);
        let r = check(
            "config/a-user-def.json",
            "{\"permsets\": null, \"Username\": \"\"}",
        );
        assert!(r.diagnostics.is_empty());
        assert!(users(&r)[0].username.is_none());
    }
}
