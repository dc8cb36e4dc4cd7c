//! Bulk API (v1) XML query results:
//! `<queryResult><records xsi:type="sObject"><type>User</type><Id>…</Id><Id>…</Id>…</records></queryResult>`.
//! Relationship fields nest as `<Profile xsi:type="sObject"><type>Profile</type><Name>…</Name></Profile>`;
//! `xsi:nil="true"` is null; the duplicate `<Id>` is normal and ignored.

use super::{Collector, RecordView};
use crate::diagnostic::Location;
use crate::model::{UserSource, Val};
use crate::xml::Document;
use crate::{FileCtx, FileResult};

pub(super) fn parse(ctx: &FileCtx, doc: &Document, result: &mut FileResult) {
    let mut c = Collector::default();
    for rec in doc.children(doc.root) {
        if doc.name(rec) == "records" {
            c.add(
                &XmlRecord {
                    ctx,
                    doc,
                    node: rec,
                },
                UserSource::BulkXml,
            );
        }
    }
    c.finish(result);
}

struct XmlRecord<'r, 'a> {
    ctx: &'r FileCtx<'a>,
    doc: &'r Document<'a>,
    node: u32,
}

impl XmlRecord<'_, '_> {
    fn child(&self, node: u32, name: &str) -> Option<u32> {
        let c = self
            .doc
            .children(node)
            .find(|&c| self.doc.name(c).eq_ignore_ascii_case(name))?;
        let nil = self
            .doc
            .attr(c, "nil")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        (!nil).then_some(c)
    }
}

impl RecordView for XmlRecord<'_, '_> {
    fn get(&self, path: &[&str]) -> Option<Val> {
        let mut n = self.node;
        for p in path {
            n = self.child(n, p)?;
        }
        if self.doc.has_children(n) {
            return None;
        }
        let v = crate::metadata::val(self.ctx, self.doc, n);
        (!v.value.trim().is_empty()).then_some(v)
    }
    fn type_name(&self) -> Option<String> {
        let t = self.child(self.node, "type")?;
        Some(self.doc.value(t).into_owned())
    }
    fn at(&self) -> Location {
        let span = self.doc.node(self.node).map(|n| n.span).unwrap_or_default();
        self.ctx.loc(span)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::UserSource;

    const BULK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<queryResult xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<records xsi:type="sObject">
  <type>User</type>
  <Id>005000000000001AAA</Id>
  <Id>005000000000001AAA</Id>
  <Username>int@acme.com</Username>
  <IsActive>true</IsActive>
  <Profile xsi:type="sObject">
    <type>Profile</type>
    <Id xsi:nil="true"/>
    <Name>Minimum Access - API Only Integrations</Name>
    <PermissionsApiUserOnly>true</PermissionsApiUserOnly>
    <UserLicense xsi:type="sObject"><type>UserLicense</type><Id xsi:nil="true"/><Name>Salesforce Integration</Name></UserLicense>
  </Profile>
</records>
<records xsi:type="sObject"><type>User</type><Id/><Username>b&amp;c@acme.com</Username><IsActive>false</IsActive><Profile xsi:nil="true"/></records>
<records xsi:type="sObject"><type>Account</type><Name>Acme</Name></records>
</queryResult>"#;

    #[test]
    fn users_bulk_xml_users() {
        let r = check("data/users-result.xml", BULK);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let u = users(&r);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].source, UserSource::BulkXml);
        assert_eq!(lc(&u[0].at), (3, 1, 16, 11));
        let n = u[0]
            .username
            .as_ref()
            .map(|v| (v.value.as_str(), lc(&v.at), lc(&v.element)));
        assert_eq!(n, Some(("int@acme.com", (7, 13, 7, 25), (7, 3, 7, 36))));
        let p = u[0].profile.as_ref().map(|v| (v.value.as_str(), lc(&v.at)));
        assert_eq!(
            p,
            Some(("Minimum Access - API Only Integrations", (12, 11, 12, 49)))
        );
        let l = u[0].license.as_ref().map(|v| (v.value.as_str(), lc(&v.at)));
        assert_eq!(l, Some(("Salesforce Integration", (14, 87, 14, 109))));
        assert_eq!((u[0].active, u[0].api_only), (Some(true), Some(true)));
        assert_eq!(value(&u[1].username), Some("b&c@acme.com"));
        assert_eq!(u[1].active, Some(false));
        assert!(u[1].profile.is_none());
    }

    #[test]
    fn users_bulk_xml_assignments_and_other_results() {
        let text = "<queryResult xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n\
            <records xsi:type=\"sObject\"><type>PermissionSetAssignment</type><Assignee xsi:type=\"sObject\"><type>User</type><Username>int@acme.com</Username></Assignee><PermissionSet xsi:type=\"sObject\"><type>PermissionSet</type><Name>Api_Access</Name></PermissionSet><PermissionSetGroup xsi:nil=\"true\"/></records>\n\
            <records xsi:type=\"sObject\"><type>PermissionSetLicenseAssignment</type><Assignee xsi:type=\"sObject\"><type>User</type><Username>int@acme.com</Username></Assignee><PermissionSetLicense xsi:type=\"sObject\"><type>PermissionSetLicense</type><DeveloperName>SalesforceAPIIntegrationPsl</DeveloperName></PermissionSetLicense></records>\n\
            </queryResult>";
        let r = check("psa.xml", text);
        assert!(r.diagnostics.is_empty());
        let a: Vec<_> = assignments(&r)
            .iter()
            .map(|a| (a.target.value.clone(), a.license, lc(&a.target.at)))
            .collect();
        assert_eq!(
            a,
            [
                ("Api_Access".into(), false, (2, 221, 2, 231)),
                ("SalesforceAPIIntegrationPsl".into(), true, (3, 251, 3, 278))
            ]
        );
        // A Bulk result of other objects, an empty result, and other XML are not silt's.
        for t in [
            "<queryResult><records><type>Account</type><Name>A</Name></records></queryResult>",
            "<queryResult xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"/>",
            "<project><a/></project>",
        ] {
            let r = check("out.xml", t);
            assert!(r.diagnostics.is_empty() && r.metadata.is_empty(), "{t}");
            assert_eq!(r.kind, None, "{t}");
        }
        // Malformed Bulk XML is a parse-error.
        let r = check(
            "out.xml",
            "<queryResult><records><type>User</type></queryResult>",
        );
        assert_eq!(errors(&r).len(), 1);
    }
}
