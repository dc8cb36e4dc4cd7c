//! Other `.json` files: `sf data query --json` output, bare `{"records": [...]}` (REST, Bulk,
//! `sf data export tree`), `sf org list users --json`, or a user-definition-shaped object (CumulusCI
//! dataset users). Anything else is not silt's file.
//!
//! REST output nests parent fields (`{"Profile":{"Name":..}}`), Bulk output flattens them
//! (`{"Profile.Name":..}`); both are read. A User record's `PermissionSetAssignments` /
//! `PermissionSetLicenseAssignments` subquery results are read as its assignments.

use super::{
    license_target, lookup, permission_set_target, prop, user_def, Collector, Json, RecordView,
};
use crate::diagnostic::Location;
use crate::model::{UserSource, Val};
use crate::FileResult;
use jsonc_parser::ast::{Object, Value};

pub(super) fn parse(json: &Json, result: &mut FileResult) {
    let mut c = Collector::default();
    match &json.root {
        Value::Array(a) => records(json, &a.elements, &mut c),
        Value::Object(o) => {
            if let Some(recs) = records_of(o) {
                records(json, recs, &mut c);
            } else if let Some(res) = prop(o, "result") {
                match &res.value {
                    Value::Array(a) => records(json, &a.elements, &mut c),
                    Value::Object(r) => {
                        if let Some(recs) = records_of(r) {
                            records(json, recs, &mut c);
                        }
                    }
                    _ => {}
                }
            } else if user_def::is_user_def_shape(o) {
                c.recognised = true;
                c.users.push(user_def::user_from_def(json, o, result));
            } else if prop(o, "attributes").is_some() {
                // A single record.
                record(json, o, &mut c);
            }
        }
        _ => {}
    }
    c.finish(result);
}

/// The `records` array of a query result.
fn records_of<'x, 'a>(o: &'x Object<'a>) -> Option<&'x [Value<'a>]> {
    match prop(o, "records").map(|p| &p.value) {
        Some(Value::Array(a)) => Some(&a.elements),
        _ => None,
    }
}

fn records(json: &Json, values: &[Value], c: &mut Collector) {
    for v in values {
        if let Value::Object(o) = v {
            record(json, o, c);
        }
    }
}

fn record(json: &Json, o: &Object, c: &mut Collector) {
    let view = JsonRecord { json, obj: o };
    let Some(i) = c.add(&view, UserSource::QueryJson) else {
        return;
    };
    // Subqueries: (SELECT PermissionSet.Name FROM PermissionSetAssignments), and the same for licenses.
    for (rel, license) in [
        ("PermissionSetAssignments", false),
        ("PermissionSetLicenseAssignments", true),
    ] {
        let Some(sub) = prop(o, rel) else { continue };
        let Value::Object(sub) = &sub.value else {
            continue;
        };
        let Some(recs) = records_of(sub) else {
            continue;
        };
        for r in recs {
            let Value::Object(r) = r else { continue };
            let view = JsonRecord { json, obj: r };
            let user = &mut c.users[i];
            if license {
                user.permission_set_licenses.extend(license_target(&view));
            } else {
                user.permission_sets.extend(permission_set_target(&view));
            }
        }
    }
}

struct JsonRecord<'j, 'c, 'a, 'o> {
    json: &'j Json<'c, 'a>,
    obj: &'o Object<'a>,
}

impl RecordView for JsonRecord<'_, '_, '_, '_> {
    fn get(&self, path: &[&str]) -> Option<Val> {
        lookup(self.obj, path).and_then(|p| self.json.prop_val(p))
    }
    fn type_name(&self) -> Option<String> {
        match lookup(self.obj, &["attributes", "type"]).map(|p| &p.value) {
            Some(Value::StringLit(s)) => Some(s.value.to_string()),
            _ => None,
        }
    }
    fn at(&self) -> Location {
        self.json.loc(self.obj.range)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::UserSource;

    const QUERY: &str = r#"{
  "status": 0,
  "result": {
    "records": [
      {
        "attributes": { "type": "User", "url": "/services/data/v62.0/sobjects/User/005A" },
        "Username": "int@acme.com",
        "IsActive": true,
        "Profile": {
          "attributes": { "type": "Profile" },
          "Name": "Minimum Access - API Only Integrations",
          "PermissionsApiUserOnly": true,
          "UserLicense": { "attributes": { "type": "UserLicense" }, "Name": "Salesforce Integration" }
        },
        "PermissionSetAssignments": { "totalSize": 2, "done": true, "records": [
          { "attributes": { "type": "PermissionSetAssignment" }, "PermissionSet": { "Name": "Api_Access", "IsOwnedByProfile": false }, "PermissionSetGroup": null },
          { "attributes": { "type": "PermissionSetAssignment" }, "PermissionSet": { "Name": "X00ex000", "IsOwnedByProfile": true } }
        ] },
        "PermissionSetLicenseAssignments": { "records": [ { "PermissionSetLicense": { "DeveloperName": "SalesforceAPIIntegrationPsl" } } ] }
      },
      {
        "attributes": { "type": "User" },
        "Username": "old@acme.com",
        "IsActive": "false",
        "Profile": null
      },
      { "attributes": { "type": "Account" }, "Name": "Acme" }
    ],
    "totalSize": 3,
    "done": true
  },
  "warnings": []
}"#;

    #[test]
    fn users_query_json_nested() {
        let r = check("data/users.json", QUERY);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.kind, Some(crate::FileKind::JsonData));
        let u = users(&r);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].source, UserSource::QueryJson);
        assert_eq!(lc(&u[0].at), (5, 7, 20, 8));
        let n = u[0]
            .username
            .as_ref()
            .map(|v| (v.value.as_str(), lc(&v.at), lc(&v.element)));
        assert_eq!(n, Some(("int@acme.com", (7, 22, 7, 34), (7, 9, 7, 35))));
        let p = u[0].profile.as_ref().map(|v| (lc(&v.at), lc(&v.element)));
        assert_eq!(p, Some(((11, 20, 11, 58), (11, 11, 11, 59))));
        let l = u[0].license.as_ref().map(|v| (v.value.as_str(), lc(&v.at)));
        assert_eq!(l, Some(("Salesforce Integration", (13, 78, 13, 100))));
        assert_eq!((u[0].active, u[0].api_only), (Some(true), Some(true)));
        let ps: Vec<_> = u[0]
            .permission_sets
            .iter()
            .map(|v| (v.value.as_str(), lc(&v.at)))
            .collect();
        assert_eq!(ps, [("Api_Access", (16, 94, 16, 104))]);
        assert_eq!(
            u[0].permission_set_licenses
                .iter()
                .map(|v| v.value.as_str())
                .collect::<Vec<_>>(),
            ["SalesforceAPIIntegrationPsl"]
        );
        assert_eq!(value(&u[1].username), Some("old@acme.com"));
        assert_eq!(u[1].active, Some(false));
        assert!(u[1].profile.is_none() && u[1].license.is_none());
        assert!(assignments(&r).is_empty());
    }

    #[test]
    fn users_query_json_flat_bulk_keys_and_bare_records() {
        let text = "{\"totalSize\":1,\"records\":[{\"Username\":\"a@b.c\",\"Profile.Name\":\"P\",\"Profile.UserLicense.Name\":\"Salesforce Integration\",\"Profile.PermissionsApiUserOnly\":\"false\"}]}";
        let r = check("out/bulk.json", text);
        assert!(r.diagnostics.is_empty());
        let u = users(&r);
        assert_eq!(u.len(), 1);
        let l = u[0]
            .license
            .as_ref()
            .map(|v| (text_at(text, &v.at), text_at(text, &v.element)));
        assert_eq!(
            l,
            Some((
                "Salesforce Integration",
                "\"Profile.UserLicense.Name\":\"Salesforce Integration\""
            ))
        );
        assert_eq!(value(&u[0].profile), Some("P"));
        assert_eq!(u[0].api_only, Some(false));
        assert_eq!(u[0].active, None);
    }

    #[test]
    fn users_query_json_export_tree() {
        let text = "{\n\"records\": [\n  {\"attributes\": {\"type\": \"User\", \"referenceId\": \"UserRef1\"}, \"Username\": \"t@x.org\", \"LastName\": \"T\"}\n]\n}\n";
        let r = check("data/User.json", text);
        let u = users(&r);
        assert_eq!(u.len(), 1);
        assert_eq!(lc(&u[0].at), (3, 3, 3, 102));
        assert_eq!(
            u[0].username.as_ref().map(|v| lc(&v.at)),
            Some((3, 76, 3, 83))
        );
    }

    #[test]
    fn users_query_json_assignments() {
        let text = r#"{"status":0,"result":{"records":[
{"attributes":{"type":"PermissionSetAssignment"},"Assignee":{"Username":"int@acme.com"},"PermissionSet":{"Name":"Api_Access"},"PermissionSetGroup":null},
{"attributes":{"type":"PermissionSetAssignment"},"Assignee.Username":"int@acme.com","PermissionSet.Name":"PSG_agg","PermissionSetGroup.DeveloperName":"Integration_Group"},
{"attributes":{"type":"PermissionSetAssignment"},"Assignee":{"Username":"int@acme.com"},"PermissionSet":{"Name":"X00e","IsOwnedByProfile":true}},
{"attributes":{"type":"PermissionSetLicenseAssignment"},"Assignee":{"Username":"int@acme.com"},"PermissionSetLicense":{"MasterLabel":"Salesforce API Integration"}},
{"Assignee.Username":"b@acme.com","PermissionSetLicense.DeveloperName":"SalesforceAPIIntegrationPsl"}
],"totalSize":5,"done":true}}"#;
        let r = check("assignments.json", text);
        assert!(r.diagnostics.is_empty());
        assert!(users(&r).is_empty());
        let a: Vec<_> = assignments(&r)
            .iter()
            .map(|a| {
                (
                    a.username.clone(),
                    a.target.value.clone(),
                    a.license,
                    lc(&a.target.at),
                )
            })
            .collect();
        assert_eq!(
            a,
            [
                (
                    "int@acme.com".into(),
                    "Api_Access".into(),
                    false,
                    (2, 114, 2, 124)
                ),
                (
                    "int@acme.com".into(),
                    "Integration_Group".into(),
                    false,
                    (3, 152, 3, 169)
                ),
                (
                    "int@acme.com".into(),
                    "Salesforce API Integration".into(),
                    true,
                    (5, 135, 5, 161)
                ),
                (
                    "b@acme.com".into(),
                    "SalesforceAPIIntegrationPsl".into(),
                    true,
                    (6, 73, 6, 100)
                ),
            ]
        );
    }

    #[test]
    fn users_query_json_org_list_users_and_dataset_user() {
        let text = r#"{"status":0,"result":[{"defaultMarker":"(U)","username":"int@acme.com","profileName":"Salesforce API Only System Integrations","orgId":"00D"}]}"#;
        let r = check("users.json", text);
        let u = users(&r);
        assert_eq!(u.len(), 1);
        assert_eq!(
            value(&u[0].profile),
            Some("Salesforce API Only System Integrations")
        );
        // CumulusCI dataset user: a user-def shape.
        let text = "{\n    \"LastName\": \"X\",\n    \"profileName\": \"sysadmin_test\",\n    \"permsets\": [\"QA\", \"Gift_Entry_Perms\"]\n}";
        let r = check("datasets/qa_org/users/perms_test_user.json", text);
        assert!(r.diagnostics.is_empty());
        let u = users(&r);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].source, UserSource::UserDef);
        let ps: Vec<_> = u[0]
            .permission_sets
            .iter()
            .map(|v| (v.value.as_str(), lc(&v.at)))
            .collect();
        assert_eq!(
            ps,
            [("QA", (4, 19, 4, 21)), ("Gift_Entry_Perms", (4, 25, 4, 41))]
        );
    }

    #[test]
    fn users_query_json_not_silts_file() {
        for text in [
            "{\"name\":\"x\",\"version\":\"1.0.0\",\"dependencies\":{}}",
            "{\"status\":0,\"result\":{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"A\"}],\"totalSize\":1}}",
            "{\"status\":0,\"result\":{\"records\":[],\"totalSize\":0,\"done\":true}}",
            "{\"status\":1,\"name\":\"NoOrgFound\",\"message\":\"x\"}",
            "[{\"sobject\":\"Account\",\"files\":[\"Account.json\"]}]",
            "{\"username\":\"svc\",\"password\":\"x\"}",
            "42",
        ] {
            let r = check("data/x.json", text);
            assert!(r.diagnostics.is_empty(), "{text}");
            assert!(r.metadata.is_empty(), "{text}");
            assert_eq!(r.kind, None, "{text}");
        }
    }
}
