//! Metadata XML → typed model. One function per kind, all over the one XML reader in [`crate::xml`].

use crate::files::{api_name, FileKind};
use crate::model::*;
use crate::source::Span;
use crate::xml::{self, Document};
use crate::{parse_error, FileCtx, FileResult, Linter};

/// Parse one decoded file of a known kind into `result`.
pub fn parse_file(ctx: &FileCtx, kind: &FileKind, linter: &Linter, result: &mut FileResult) {
    match kind {
        FileKind::UserDef
        | FileKind::JsonData
        | FileKind::Csv
        | FileKind::ScratchDef
        | FileKind::SfdxProject => {
            crate::users::parse(ctx, kind, result);
            return;
        }
        FileKind::Config => return,
        _ => {}
    }
    let doc = match xml::parse(ctx.text) {
        Ok(d) => d,
        Err(e) => {
            if *kind != FileKind::BulkXml || looks_like_bulk(ctx.text) {
                result
                    .diagnostics
                    .push(parse_error(&ctx.loc(e.span), &e.message));
            } else {
                result.kind = None;
            }
            return;
        }
    };
    let root_name = doc.name(doc.root);
    if *kind == FileKind::BulkXml {
        if root_name == "queryResult" {
            crate::users::parse_bulk_xml(ctx, &doc, result);
        } else {
            result.kind = None; // some other XML file: not silt's
        }
        return;
    }
    if let Some(expected) = kind.xml_root() {
        if root_name != expected {
            let n = &doc.nodes[doc.root as usize];
            result.diagnostics.push(parse_error(
                &ctx.loc(n.start_tag()),
                &format!(
                    "wrong root element <{root_name}> for a {} file; expected <{expected}>",
                    kind.as_str()
                ),
            ));
            return;
        }
    }
    result
        .suppressions
        .extend(crate::suppress::collect(ctx, &doc, &mut result.diagnostics));
    linter
        .policies
        .check(ctx, &doc, kind, &mut result.diagnostics);
    let name = doc
        .child_value(doc.root, "fullName")
        .map(|s| s.into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| api_name(ctx.path));
    let md = match kind {
        FileKind::Profile => Metadata::Permissions(permissions(
            ctx,
            &doc,
            PermKind::Profile,
            name,
            false,
            linter.access_detail,
        )),
        FileKind::PermissionSet => Metadata::Permissions(permissions(
            ctx,
            &doc,
            PermKind::PermissionSet,
            name,
            false,
            linter.access_detail,
        )),
        FileKind::MutingPermissionSet => Metadata::Permissions(permissions(
            ctx,
            &doc,
            PermKind::MutingPermissionSet,
            name,
            false,
            true,
        )),
        FileKind::PermissionSetPart { set } => Metadata::Permissions(permissions(
            ctx,
            &doc,
            PermKind::PermissionSet,
            set.clone(),
            true,
            linter.access_detail,
        )),
        FileKind::PermissionSetGroup => Metadata::Group(group(ctx, &doc, name)),
        FileKind::ConnectedApp => Metadata::App(connected_app(ctx, &doc, name)),
        FileKind::EcaPolicy | FileKind::EcaGlobalOauth | FileKind::EcaOauth => {
            Metadata::App(eca(ctx, &doc, kind, name))
        }
        FileKind::OauthOidcSettings => {
            Metadata::Settings(settings(ctx, &doc, SettingsKind::OauthOidc))
        }
        FileKind::SecuritySettings => {
            Metadata::Settings(settings(ctx, &doc, SettingsKind::Security))
        }
        FileKind::ExternalCredential => {
            Metadata::ExternalCredential(external_credential(ctx, &doc, name))
        }
        FileKind::NamedCredential => Metadata::NamedCredential(named_credential(ctx, &doc, name)),
        _ => return,
    };
    result.metadata.push(md);
}

fn looks_like_bulk(text: &str) -> bool {
    text.get(..text.len().min(512))
        .is_some_and(|h| h.contains("queryResult"))
}

/// A child value with locations.
pub fn val(ctx: &FileCtx, doc: &Document, node: u32) -> Val {
    let n = &doc.nodes[node as usize];
    let vs = doc.value_span(node);
    let at = if vs.start == vs.end { n.span } else { vs };
    Val {
        value: doc.value(node).into_owned(),
        at: ctx.loc(at),
        element: ctx.loc(n.span),
    }
}

fn child_val(ctx: &FileCtx, doc: &Document, node: u32, name: &str) -> Option<Val> {
    doc.child(node, name).map(|c| val(ctx, doc, c))
}

fn root_loc(ctx: &FileCtx, doc: &Document) -> crate::Location {
    ctx.loc(doc.nodes[doc.root as usize].start_tag())
}

fn permissions(
    ctx: &FileCtx,
    doc: &Document,
    kind: PermKind,
    name: String,
    partial: bool,
    detail: bool,
) -> PermissionContainer {
    let mut pc = PermissionContainer {
        kind,
        name,
        label: None,
        license: None,
        custom: None,
        user_permissions: Vec::new(),
        object_permissions: Vec::new(),
        field_permissions: Vec::new(),
        external_credential_principals: Vec::new(),
        access: Vec::new(),
        login_ip_ranges: 0,
        login_hours: None,
        description: None,
        root: root_loc(ctx, doc),
        insert: None, // below: positions are cheapest asked in file order
        files: vec![ctx.path.to_string()],
        partial,
    };
    let root = doc.root;
    let root_name = doc.name(root);
    // A decomposed part may be rooted at the child itself (one file per child).
    let single = if partial && root_name != "PermissionSet" {
        let n = root_name.to_ascii_lowercase();
        if n.contains("userpermission")
            || (doc.child(root, "name").is_some() && doc.child(root, "enabled").is_some())
        {
            Some("userPermissions")
        } else if n.contains("objectpermission") || doc.child(root, "object").is_some() {
            Some("objectPermissions")
        } else {
            None // objectSettings-style grouping: look one level down.
        }
    } else {
        None
    };
    let elements: Vec<(u32, &str)> = match single {
        Some(kind) => vec![(root, kind)],
        None => doc.children(root).map(|c| (c, doc.name(c))).collect(),
    };
    for (c, cname) in elements {
        match cname {
            "label" => pc.label = Some(val(ctx, doc, c)),
            "description" => pc.description = Some(val(ctx, doc, c)),
            "userLicense" | "license" if pc.license.is_none() || cname == "license" => {
                pc.license = Some(val(ctx, doc, c))
            }
            "custom" => pc.custom = Some(doc.value(c).eq_ignore_ascii_case("true")),
            "loginIpRanges" => pc.login_ip_ranges += 1,
            "loginHours" => pc.login_hours = Some(ctx.loc(doc.nodes[c as usize].start_tag())),
            "externalCredentialPrincipalAccesses" => {
                if let Some(name) = child_val(ctx, doc, c, "externalCredentialPrincipal") {
                    pc.external_credential_principals.push(UserPermission {
                        name,
                        enabled: child_val(ctx, doc, c, "enabled"),
                    });
                }
            }
            "customPermissions" => entry(ctx, doc, c, EntryKind::CustomPermission, &mut pc),
            "classAccesses" if detail => entry(ctx, doc, c, EntryKind::ApexClass, &mut pc),
            "pageAccesses" if detail => entry(ctx, doc, c, EntryKind::ApexPage, &mut pc),
            "applicationVisibilities" if detail => {
                entry(ctx, doc, c, EntryKind::Application, &mut pc)
            }
            "tabSettings" | "tabVisibilities" if detail => {
                entry(ctx, doc, c, EntryKind::Tab, &mut pc)
            }
            "fieldPermissions" => {
                let is_true = |n: &str| {
                    doc.child_value(c, n)
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
                };
                if detail {
                    entry(ctx, doc, c, EntryKind::Field, &mut pc);
                }
                if is_true("editable") && !is_true("readable") {
                    if let Some(editable) = child_val(ctx, doc, c, "editable") {
                        pc.field_permissions.push(FieldPermission {
                            field: doc
                                .child_value(c, "field")
                                .map(|s| s.into_owned())
                                .unwrap_or_default(),
                            element: ctx.loc(doc.nodes[c as usize].span),
                            readable: child_val(ctx, doc, c, "readable"),
                            editable,
                        });
                    }
                }
            }
            "userPermissions" => {
                if let Some(name) = child_val(ctx, doc, c, "name") {
                    pc.user_permissions.push(UserPermission {
                        name,
                        enabled: child_val(ctx, doc, c, "enabled"),
                    });
                }
            }
            "objectPermissions" => {
                let mut flags = Vec::new();
                let mut enabled = 0u8;
                for f in doc.children(c) {
                    let fname = doc.name(f);
                    let on = doc.value(f).eq_ignore_ascii_case("true");
                    if let Some(i) = OBJECT_FLAGS.iter().position(|n| *n == fname) {
                        if on {
                            enabled |= 1 << i;
                        }
                    } else if fname == "viewAllFields" && on {
                        enabled |= VIEW_ALL_FIELDS;
                    }
                    if (fname == "modifyAllRecords" || fname == "viewAllRecords") && on {
                        flags.push(Val {
                            value: fname.to_string(),
                            ..val(ctx, doc, f)
                        });
                    }
                }
                let settings = if missing_object_flags(enabled) != 0 {
                    doc.children(c)
                        .filter(|&f| OBJECT_FLAGS.contains(&doc.name(f)))
                        .map(|f| Flag {
                            name: doc.name(f).to_string(),
                            value: val(ctx, doc, f),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                pc.object_permissions.push(ObjectPermission {
                    object: doc
                        .child_value(c, "object")
                        .map(|s| s.into_owned())
                        .unwrap_or_default(),
                    element: ctx.loc(doc.nodes[c as usize].span),
                    flags,
                    enabled,
                    settings,
                });
            }
            _ => {}
        }
    }
    if !partial {
        pc.insert = insert_point(ctx, doc);
    }
    pc
}

/// A granted access-list entry (`<apexClass>X</apexClass><enabled>true</enabled>`, a visible tab, a
/// readable field, …) into `pc.access`; entries that grant nothing are skipped.
fn entry(ctx: &FileCtx, doc: &Document, c: u32, kind: EntryKind, pc: &mut PermissionContainer) {
    let is_true = |n: &str| {
        doc.child_value(c, n)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    };
    let (key, bits) = match kind {
        EntryKind::Field => (
            "field",
            u8::from(is_true("readable")) | (u8::from(is_true("editable")) << 1),
        ),
        EntryKind::ApexClass => ("apexClass", u8::from(is_true("enabled"))),
        EntryKind::ApexPage => ("apexPage", u8::from(is_true("enabled"))),
        EntryKind::CustomPermission => ("name", u8::from(is_true("enabled"))),
        EntryKind::Application => ("application", u8::from(is_true("visible"))),
        EntryKind::Tab => {
            let shown = doc.child_value(c, "visibility").is_some_and(|v| {
                !(v.eq_ignore_ascii_case("Hidden") || v.eq_ignore_ascii_case("None"))
            });
            ("tab", u8::from(shown))
        }
    };
    if bits == 0 {
        return;
    }
    let Some(name) = doc.child(c, key) else {
        return;
    };
    pc.access.push(AccessEntry {
        kind,
        name: doc.value(name).into_owned(),
        bits,
        at: ctx.loc(doc.nodes[c as usize].start_tag()),
    });
}

/// Where to insert a child before the root's closing tag, in the file's style.
fn insert_point(ctx: &FileCtx, doc: &Document) -> Option<InsertPoint> {
    let root = &doc.nodes[doc.root as usize];
    if root.inner().start == root.span.end {
        return None; // `<Profile/>`: nothing to insert into
    }
    let close = root.inner().end as usize;
    let text = ctx.text;
    let line_start = text[..close].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let own_line = line_start > 0 && text[line_start..close].trim().is_empty();
    if !own_line {
        return Some(InsertPoint {
            at: ctx.loc(Span::new(close, close)),
            indent: String::new(),
            newline: String::new(),
        });
    }
    let newline = if text[..line_start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    // Indentation of the first child's line.
    let indent = doc
        .children(doc.root)
        .next()
        .map(|c| {
            let s = doc.nodes[c as usize].span.start as usize;
            let ls = text[..s].rfind('\n').map(|i| i + 1).unwrap_or(0);
            text[ls..s]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect::<String>()
        })
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| "    ".to_string());
    Some(InsertPoint {
        at: ctx.loc(Span::new(line_start, line_start)),
        indent,
        newline: newline.to_string(),
    })
}

fn group(ctx: &FileCtx, doc: &Document, name: String) -> PermissionSetGroup {
    let root = doc.root;
    let mut g = PermissionSetGroup {
        name,
        label: child_val(ctx, doc, root, "label"),
        permission_sets: Vec::new(),
        muting_permission_sets: Vec::new(),
        root: root_loc(ctx, doc),
    };
    for c in doc.children(root) {
        match doc.name(c) {
            "permissionSets" => g.permission_sets.push(val(ctx, doc, c)),
            "mutingPermissionSets" => g.muting_permission_sets.push(val(ctx, doc, c)),
            _ => {}
        }
    }
    g
}

fn empty_app(ctx: &FileCtx, doc: &Document, kind: AppKind, name: String) -> App {
    App {
        kind,
        name,
        label: child_val(ctx, doc, doc.root, "label"),
        client_credentials_enabled: None,
        client_credentials_user: None,
        permission_sets: Vec::new(),
        profiles: Vec::new(),
        scopes: Vec::new(),
        callback_urls: Vec::new(),
        ip_relaxation: None,
        admin_approval: None,
        certificate: None,
        consumer_secret: None,
        refresh_token_policy: None,
        external_client_application: None,
        oauth: root_loc(ctx, doc),
        root: root_loc(ctx, doc),
    }
}

fn connected_app(ctx: &FileCtx, doc: &Document, name: String) -> App {
    let root = doc.root;
    let mut app = empty_app(ctx, doc, AppKind::ConnectedApp, name);
    for c in doc.children(root) {
        match doc.name(c) {
            "permissionSetName" => app.permission_sets.push(val(ctx, doc, c)),
            "profileName" => app.profiles.push(val(ctx, doc, c)),
            "oauthConfig" => {
                app.oauth = ctx.loc(doc.nodes[c as usize].start_tag());
                for o in doc.children(c) {
                    match doc.name(o) {
                        "isClientCredentialEnabled" => {
                            app.client_credentials_enabled = Some(val(ctx, doc, o))
                        }
                        "oauthClientCredentialUser" => {
                            app.client_credentials_user = Some(val(ctx, doc, o))
                        }
                        "isAdminApproved" => app.admin_approval = Some(val(ctx, doc, o)),
                        "certificate" => app.certificate = Some(val(ctx, doc, o)),
                        "consumerSecret" => app.consumer_secret = Some(val(ctx, doc, o)),
                        "scopes" => {
                            // Repeated `<scopes>Api</scopes>`, or the nested `<scopes><scopes>` form.
                            if doc.has_children(o) {
                                app.scopes.extend(doc.children(o).map(|s| val(ctx, doc, s)));
                            } else {
                                app.scopes.push(val(ctx, doc, o));
                            }
                        }
                        "callbackUrl" => {
                            split_list(ctx, doc, o, &[',', '\n'], &mut app.callback_urls)
                        }
                        _ => {}
                    }
                }
            }
            "oauthPolicy" => {
                app.ip_relaxation =
                    child_val(ctx, doc, c, "ipRelaxation").or(app.ip_relaxation.take());
                app.refresh_token_policy = child_val(ctx, doc, c, "refreshTokenPolicy")
                    .or(app.refresh_token_policy.take());
            }
            _ => {}
        }
    }
    app
}

fn eca(ctx: &FileCtx, doc: &Document, kind: &FileKind, name: String) -> App {
    let root = doc.root;
    let app_kind = match kind {
        FileKind::EcaPolicy => AppKind::EcaPolicy,
        FileKind::EcaGlobalOauth => AppKind::EcaGlobalOauth,
        _ => AppKind::EcaOauth,
    };
    let mut app = empty_app(ctx, doc, app_kind, name);
    for c in doc.children(root) {
        match doc.name(c) {
            "isClientCredentialsFlowEnabled" | "isClientCredentialEnabled" => {
                app.client_credentials_enabled = Some(val(ctx, doc, c))
            }
            "clientCredentialsFlowUser" => app.client_credentials_user = Some(val(ctx, doc, c)),
            "permittedUsersPolicyType" => app.admin_approval = Some(val(ctx, doc, c)),
            "ipRelaxationPolicyType" => app.ip_relaxation = Some(val(ctx, doc, c)),
            "commaSeparatedPermissionSet" => {
                split_list(ctx, doc, c, &[','], &mut app.permission_sets)
            }
            "commaSeparatedProfile" => split_list(ctx, doc, c, &[','], &mut app.profiles),
            "commaSeparatedOauthScopes" | "oauthScopes" => {
                split_list(ctx, doc, c, &[',', ' '], &mut app.scopes)
            }
            "callbackUrl" => split_list(ctx, doc, c, &[',', '\n'], &mut app.callback_urls),
            "externalClientApplication" => app.external_client_application = Some(val(ctx, doc, c)),
            "refreshTokenPolicyType" => app.refresh_token_policy = Some(val(ctx, doc, c)),
            "certificate" => app.certificate = Some(val(ctx, doc, c)),
            "consumerSecret" => app.consumer_secret = Some(val(ctx, doc, c)),
            _ => {}
        }
    }
    app
}

/// Org settings: every leaf element by its path below the root (`a.b`), nested one level deep
/// (`SecuritySettings` groups its values in `sessionSettings`, `passwordPolicies`, …).
fn settings(ctx: &FileCtx, doc: &Document, kind: SettingsKind) -> OrgSettings {
    let mut values = Vec::new();
    for c in doc.children(doc.root) {
        let name = doc.name(c);
        if doc.has_children(c) {
            for g in doc.children(c).filter(|&g| !doc.has_children(g)) {
                values.push(Flag {
                    name: format!("{name}.{}", doc.name(g)),
                    value: val(ctx, doc, g),
                });
            }
        } else {
            values.push(Flag {
                name: name.to_string(),
                value: val(ctx, doc, c),
            });
        }
    }
    OrgSettings {
        kind,
        values,
        root: root_loc(ctx, doc),
    }
}

fn external_credential(ctx: &FileCtx, doc: &Document, name: String) -> ExternalCredential {
    let principals = doc
        .children(doc.root)
        .filter(|&c| doc.name(c) == "externalCredentialParameters")
        .filter(|&c| {
            doc.child_value(c, "parameterType")
                .is_some_and(|t| t.ends_with("Principal"))
        })
        // Retrieved files repeat the principal name in `parameterGroup`; accept either.
        .flat_map(|c| {
            let name = child_val(ctx, doc, c, "parameterName");
            let group = child_val(ctx, doc, c, "parameterGroup")
                .filter(|g| name.as_ref().is_none_or(|n| n.value != g.value));
            name.into_iter().chain(group)
        })
        .collect();
    ExternalCredential {
        name,
        principals,
        root: root_loc(ctx, doc),
    }
}

fn named_credential(ctx: &FileCtx, doc: &Document, name: String) -> NamedCredential {
    let mut external_credentials = Vec::new();
    for c in doc.children(doc.root) {
        match doc.name(c) {
            "namedCredentialParameters" => {
                external_credentials.extend(child_val(ctx, doc, c, "externalCredential"))
            }
            // Legacy named credentials of API 55 and earlier have no external credential.
            "externalCredential" => external_credentials.push(val(ctx, doc, c)),
            _ => {}
        }
    }
    NamedCredential {
        name,
        external_credentials,
        root: root_loc(ctx, doc),
    }
}

/// Split a list-valued element into values, each located precisely.
fn split_list(ctx: &FileCtx, doc: &Document, node: u32, seps: &[char], out: &mut Vec<Val>) {
    let whole = val(ctx, doc, node);
    let span = doc.value_span(node);
    let raw = ctx.text.get(span.range()).unwrap_or("");
    if raw.contains('&') {
        // Entities shift offsets: point at the whole value.
        for part in whole
            .value
            .split(seps)
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            out.push(Val {
                value: part.to_string(),
                ..whole.clone()
            });
        }
        return;
    }
    let mut offset = 0usize;
    for part in raw.split(seps) {
        let lead = part.len() - part.trim_start().len();
        let t = part.trim();
        if !t.is_empty() {
            let s = span.start as usize + offset + lead;
            out.push(Val {
                value: t.to_string(),
                at: ctx.loc(Span::new(s, s + t.len())),
                element: whole.element.clone(),
            });
        }
        offset += part.len() + 1;
    }
}
