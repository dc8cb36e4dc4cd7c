//! Effective access: what every user, client-credentials run-as user and profile really holds, and why.
//!
//! A principal's access is its profile ∪ the permission sets assigned to it directly ∪ every assigned
//! permission set group (its members minus its muting permission sets) ∪, for a run-as user, the
//! permission sets its apps pre-authorize. In a muting permission set `<enabled>true</enabled>` means
//! *muted*, and muting only subtracts from its own group's members.
//!
//! [`Access`] is built once with the [`Org`] and keeps only the routes (which container reaches which
//! principal, through what); the grants themselves are read from the containers when asked, so the
//! model costs little more than the user data. Rules, `silt access`, the page and hovers all read it.

use crate::diagnostic::Location;
use crate::model::*;
use crate::org::Org;
use std::collections::HashMap;

/// Who holds access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A user from the project's user data.
    User,
    /// A client-credentials run-as user named by an app but absent from the user data.
    RunAs,
    /// A profile, as "a user on this profile" with nothing else assigned.
    Profile,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::RunAs => "runAs",
            PrincipalKind::Profile => "profile",
        }
    }
}

/// A profile or permission set: an index into `org.profiles` or `org.permission_sets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    Profile(usize),
    PermissionSet(usize),
}

/// One route by which a container reaches a principal.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub holder: Holder,
    /// The group it comes through (index into `org.groups`) and the group's entry naming the member.
    pub group: Option<(usize, &'a Val)>,
    /// The app whose run-as user the principal is (index into `org.apps`) and the app's entry naming
    /// the permission set.
    pub app: Option<(usize, &'a Val)>,
    /// The record that assigns the outermost container (user-def `permsets` entry, assignment row,
    /// the user's profile field); `None` for profile principals and app routes.
    pub assigned: Option<&'a Val>,
}

/// A user, run-as user or profile and every route that reaches it.
#[derive(Debug, Clone)]
pub struct Principal<'a> {
    pub kind: PrincipalKind,
    /// Username, or the profile's name.
    pub name: String,
    /// Index into `org.users` (kind `User`).
    pub user: Option<usize>,
    pub profile: Option<String>,
    pub license: Option<String>,
    /// On the Salesforce Integration license (users), or an integration profile.
    pub integration: bool,
    pub active: bool,
    /// The apps (indices into `org.apps`) whose client-credentials run-as user this is.
    pub run_as: Vec<usize>,
    pub sources: Vec<Source<'a>>,
}

/// What a grant gives: a user permission, an object access flag, an access-list entry, an external
/// credential principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right<'r> {
    User(&'r str),
    /// Object and one bit of [`ObjectPermission::enabled`].
    Object(&'r str, u8),
    /// Entry kind, name, bit (fields: 1 read, 2 edit).
    Entry(EntryKind, &'r str, u8),
    Principal(&'r str),
}

/// The object access names, by bit of [`ObjectPermission::enabled`] (`OBJECT_FLAGS` then
/// `viewAllFields`), as `silt access` and its JSON show them.
pub const OBJECT_ACCESS: [&str; 7] = [
    "read",
    "create",
    "edit",
    "delete",
    "viewAll",
    "modifyAll",
    "viewAllFields",
];

impl Right<'_> {
    /// The JSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Right::User(_) => "userPermission",
            Right::Object(..) => "objectPermission",
            Right::Entry(k, ..) => k.as_str(),
            Right::Principal(_) => "externalCredentialPrincipal",
        }
    }
    /// The permission, object, field, class, … it names.
    pub fn name(&self) -> &str {
        match self {
            Right::User(n) | Right::Object(n, _) | Right::Entry(_, n, _) | Right::Principal(n) => n,
        }
    }
    /// Object and field grants: the access (`read`, `modifyAll`, …).
    pub fn access(&self) -> Option<&'static str> {
        match *self {
            Right::Object(_, bit) => OBJECT_ACCESS.get(bit.trailing_zeros() as usize).copied(),
            Right::Entry(EntryKind::Field, _, 1) => Some("read"),
            Right::Entry(EntryKind::Field, _, _) => Some("edit"),
            _ => None,
        }
    }
}

/// One grant of one right to one principal through one route.
#[derive(Debug, Clone)]
pub struct Grant<'x, 'a> {
    pub right: Right<'x>,
    /// The element that grants it.
    pub at: &'x Location,
    pub source: &'x Source<'a>,
    /// The muting permission set that turns it off, and its muting element.
    pub muted_by: Option<(&'x PermissionContainer, &'x Location)>,
}

/// The effective access model of an org.
#[derive(Debug, Default)]
pub struct Access<'a> {
    pub principals: Vec<Principal<'a>>,
    /// For every group (index into `org.groups`): its muting permission sets (indices into
    /// `org.permission_sets`).
    pub mutings: Vec<Vec<usize>>,
    /// For every permission set (index into `org.permission_sets`): the groups that list it.
    pub groups_of: HashMap<usize, Vec<usize>>,
    /// (principal, source) routes by container.
    routes: HashMap<Holder, Vec<(u32, u32)>>,
}

impl<'a> Access<'a> {
    pub fn build(org: &Org<'a>) -> Access<'a> {
        let mut access = Access {
            mutings: org
                .groups
                .iter()
                .map(|g| {
                    g.muting_permission_sets
                        .iter()
                        .filter_map(|m| org.muting_index(&m.value))
                        .collect()
                })
                .collect(),
            ..Access::default()
        };
        for (gi, g) in org.groups.iter().enumerate() {
            for m in &g.permission_sets {
                if let Some(i) = org.permission_set_index(&m.value) {
                    let gs = access.groups_of.entry(i).or_default();
                    if !gs.contains(&gi) {
                        gs.push(gi);
                    }
                }
            }
        }
        // Run-as users by lowercase username -> apps.
        let mut run_as: Vec<(String, Vec<usize>)> = Vec::new();
        for (ai, app) in org.apps.iter().enumerate() {
            let Some(u) = app
                .client_credentials_user
                .as_ref()
                .filter(|u| !u.value.trim().is_empty())
            else {
                continue;
            };
            let key = u.value.trim().to_lowercase();
            match run_as.iter_mut().find(|(k, _)| *k == key) {
                Some((_, apps)) => apps.push(ai),
                None => run_as.push((key, vec![ai])),
            }
        }
        let mut claimed = vec![false; run_as.len()];
        for (ui, u) in org.users.iter().enumerate() {
            let mut sources = Vec::new();
            if let Some(pv) = u.profile {
                if let Some(pi) = org.profile_index(&pv.value) {
                    sources.push(Source {
                        holder: Holder::Profile(pi),
                        group: None,
                        app: None,
                        assigned: Some(pv),
                    });
                }
            }
            for v in &u.permission_sets {
                assigned_sources(org, v, &mut sources);
            }
            let key = u.name.trim().to_lowercase();
            let mut apps = Vec::new();
            if let Some(k) = run_as.iter().position(|(name, _)| *name == key) {
                claimed[k] = true;
                apps = run_as[k].1.clone();
                for &ai in &apps {
                    app_sources(org, ai, &mut sources);
                }
            }
            access.principals.push(Principal {
                kind: PrincipalKind::User,
                name: u.name.clone(),
                user: Some(ui),
                profile: u.profile.map(|p| p.value.clone()),
                license: u.license.map(|l| l.value.clone()).or_else(|| {
                    u.profile
                        .and_then(|p| org.profile(&p.value))
                        .and_then(|p| p.license.as_ref())
                        .map(|l| l.value.clone())
                }),
                integration: u.integration,
                active: u.active,
                run_as: apps,
                sources,
            });
        }
        for ((_, apps), claimed) in run_as.into_iter().zip(claimed) {
            if claimed {
                continue;
            }
            let mut sources = Vec::new();
            for &ai in &apps {
                app_sources(org, ai, &mut sources);
            }
            let name = org.apps[apps[0]]
                .client_credentials_user
                .as_ref()
                .map(|u| u.value.trim().to_string())
                .unwrap_or_default();
            access.principals.push(Principal {
                kind: PrincipalKind::RunAs,
                name,
                user: None,
                profile: None,
                license: None,
                integration: false,
                active: true,
                run_as: apps,
                sources,
            });
        }
        for (pi, p) in org.profiles.iter().enumerate() {
            access.principals.push(Principal {
                kind: PrincipalKind::Profile,
                name: p.name.clone(),
                user: None,
                profile: Some(p.name.clone()),
                license: p.license.as_ref().map(|l| l.value.clone()),
                integration: match &p.license {
                    Some(l) => org.is_integration_license(&l.value),
                    None => org.is_integration_profile_name(&p.name),
                },
                active: true,
                run_as: Vec::new(),
                sources: vec![Source {
                    holder: Holder::Profile(pi),
                    group: None,
                    app: None,
                    assigned: None,
                }],
            });
        }
        for (pi, p) in access.principals.iter().enumerate() {
            for (si, s) in p.sources.iter().enumerate() {
                access
                    .routes
                    .entry(s.holder)
                    .or_default()
                    .push((pi as u32, si as u32));
            }
        }
        access
    }

    /// The routes by which `holder` reaches principals: (principal, source).
    pub fn routes(&self, holder: Holder) -> impl Iterator<Item = (&Principal<'a>, &Source<'a>)> {
        self.routes
            .get(&holder)
            .into_iter()
            .flatten()
            .map(|&(p, s)| {
                let p = &self.principals[p as usize];
                (p, &p.sources[s as usize])
            })
    }

    /// The user principal of `org.users[user]`.
    pub fn user(&self, user: usize) -> Option<&Principal<'a>> {
        // User principals come first, in user order.
        self.principals.get(user).filter(|p| p.user == Some(user))
    }

    /// A principal by username or profile name (users first), case-insensitively.
    pub fn find(&self, name: &str) -> Option<&Principal<'a>> {
        let n = name.trim();
        self.principals
            .iter()
            .find(|p| p.kind != PrincipalKind::Profile && p.name.trim().eq_ignore_ascii_case(n))
            .or_else(|| {
                self.principals
                    .iter()
                    .find(|p| p.kind == PrincipalKind::Profile && crate::org::norm_eq(&p.name, n))
            })
    }

    /// The muting permission set of the route's group that turns `right` off, with its element.
    pub fn muted_by<'x>(
        &self,
        org: &'x Org,
        source: &Source,
        right: Right,
    ) -> Option<(&'x PermissionContainer, &'x Location)> {
        let (g, _) = source.group?;
        self.mutings.get(g)?.iter().find_map(|&m| {
            let m = &org.permission_sets[m];
            mutes(m, right).map(|at| (m, at))
        })
    }

    /// Whether `right`, granted by permission set `ps`, is muted wherever it is used: the set is not
    /// assigned other than through groups, is in at least one group, and every such group mutes it.
    /// Then, with the muting sets that mute it. Profiles are never muted.
    pub fn muted_everywhere<'x>(
        &self,
        org: &'x Org,
        holder: Holder,
        right: Right,
    ) -> Option<Vec<&'x PermissionContainer>> {
        let Holder::PermissionSet(ps) = holder else {
            return None;
        };
        if self.routes(holder).any(|(_, s)| s.group.is_none()) {
            return None;
        }
        let groups = self.groups_of.get(&ps)?;
        let mut by = Vec::new();
        for &g in groups {
            let m = self.mutings.get(g)?.iter().find_map(|&m| {
                let m = &org.permission_sets[m];
                mutes(m, right).map(|_| m)
            })?;
            by.push(m);
        }
        Some(by)
    }

    /// Principals `holder` reaches with `right` not muted (one entry per principal, its first such route).
    pub fn holders<'x>(
        &'x self,
        org: &Org,
        holder: Holder,
        right: Right,
    ) -> Vec<(&'x Principal<'a>, &'x Source<'a>)> {
        let mut out: Vec<(&Principal, &Source)> = Vec::new();
        for (p, s) in self.routes(holder) {
            if out.last().is_some_and(|(q, _)| std::ptr::eq(*q, p)) {
                continue;
            }
            if self.muted_by(org, s, right).is_none() {
                out.push((p, s));
            }
        }
        out
    }

    /// Every grant a principal holds, muted ones included, in source order.
    pub fn grants<'x>(&self, org: &'x Org, p: &'x Principal<'a>) -> Vec<Grant<'x, 'a>> {
        let mut out = Vec::new();
        for s in &p.sources {
            let c = org.holder(s.holder);
            let mut push = |right: Right<'x>, at: &'x Location| {
                let muted_by = self.muted_by(org, s, right);
                out.push(Grant {
                    right,
                    at,
                    source: s,
                    muted_by,
                });
            };
            for u in c.user_permissions.iter().filter(|u| u.is_enabled()) {
                push(Right::User(&u.name.value), &u.name.at);
            }
            for o in &c.object_permissions {
                for bit in 0..OBJECT_ACCESS.len() {
                    if o.enabled & (1 << bit) != 0 {
                        push(Right::Object(&o.object, 1 << bit), &o.element);
                    }
                }
            }
            for e in &c.access {
                for bit in [1u8, 2] {
                    if e.bits & bit != 0 {
                        push(Right::Entry(e.kind, &e.name, bit), &e.at);
                    }
                }
            }
            for e in c
                .external_credential_principals
                .iter()
                .filter(|e| e.is_enabled())
            {
                push(Right::Principal(&e.name.value), &e.name.at);
            }
        }
        out
    }

    /// A route's provenance chain, outermost first: (kind, name, where). The last hop is the
    /// container; its location is `at` (the granting element) when given, else the container's root.
    pub fn chain<'x>(
        &self,
        org: &'x Org,
        source: &'x Source,
        at: Option<&'x Location>,
    ) -> Vec<(&'static str, &'x str, &'x Location)> {
        let mut hops = Vec::new();
        if let Some((ai, v)) = source.app {
            let app = org.apps[ai];
            let kind = if app.kind == AppKind::ConnectedApp {
                "ConnectedApp"
            } else {
                "ExternalClientApp"
            };
            hops.push((kind, app.api_name(), &v.at));
        }
        if let Some((gi, v)) = source.group {
            hops.push(("PermissionSetGroup", org.groups[gi].name.as_str(), &v.at));
        }
        let c = org.holder(source.holder);
        hops.push((c.kind.as_str(), c.name.as_str(), at.unwrap_or(&c.root)));
        hops
    }
}

/// The sources a user's assignment entry adds: a permission set, or a group's members.
fn assigned_sources<'a>(org: &Org<'a>, v: &'a Val, out: &mut Vec<Source<'a>>) {
    if let Some(i) = org.permission_set_index(&v.value) {
        out.push(Source {
            holder: Holder::PermissionSet(i),
            group: None,
            app: None,
            assigned: Some(v),
        });
    } else if let Some(gi) = org.group_index(&v.value) {
        for m in &org.groups[gi].permission_sets {
            if let Some(i) = org.permission_set_index(&m.value) {
                out.push(Source {
                    holder: Holder::PermissionSet(i),
                    group: Some((gi, m)),
                    app: None,
                    assigned: Some(v),
                });
            }
        }
    }
}

/// The permission sets an app pre-authorizes, for its run-as user.
fn app_sources<'a>(org: &Org<'a>, ai: usize, out: &mut Vec<Source<'a>>) {
    let app = org.apps[ai];
    for v in &app.permission_sets {
        if let Some(i) = org.permission_set_index_by_label(&v.value) {
            out.push(Source {
                holder: Holder::PermissionSet(i),
                group: None,
                app: Some((ai, v)),
                assigned: None,
            });
        }
    }
}

/// Where muting permission set `m` mutes `right` (`<enabled>true</enabled>` means muted).
pub fn mutes<'m>(m: &'m PermissionContainer, right: Right) -> Option<&'m Location> {
    match right {
        Right::User(n) => m
            .user_permissions
            .iter()
            .find(|u| u.is_enabled() && u.name.value.eq_ignore_ascii_case(n))
            .map(|u| &u.name.at),
        Right::Object(obj, bit) => m
            .object_permissions
            .iter()
            .find(|o| o.enabled & bit != 0 && o.object.eq_ignore_ascii_case(obj))
            .map(|o| &o.element),
        Right::Entry(kind, name, bit) => m
            .access
            .iter()
            .find(|e| e.kind == kind && e.bits & bit != 0 && e.name.eq_ignore_ascii_case(name))
            .map(|e| &e.at),
        Right::Principal(n) => m
            .external_credential_principals
            .iter()
            .find(|e| e.is_enabled() && e.name.value.eq_ignore_ascii_case(n))
            .map(|e| &e.name.at),
    }
}

/// Every right a muting permission set mutes.
pub fn muted_rights(m: &PermissionContainer) -> Vec<(Right<'_>, &Location)> {
    let mut out = Vec::new();
    for u in m.user_permissions.iter().filter(|u| u.is_enabled()) {
        out.push((Right::User(&u.name.value), &u.name.at));
    }
    for o in &m.object_permissions {
        for bit in 0..OBJECT_ACCESS.len() {
            if o.enabled & (1 << bit) != 0 {
                out.push((Right::Object(&o.object, 1 << bit), &o.element));
            }
        }
    }
    for e in &m.access {
        for bit in [1u8, 2] {
            if e.bits & bit != 0 {
                out.push((Right::Entry(e.kind, &e.name, bit), &e.at));
            }
        }
    }
    for e in m
        .external_credential_principals
        .iter()
        .filter(|e| e.is_enabled())
    {
        out.push((Right::Principal(&e.name.value), &e.name.at));
    }
    out
}

/// Whether container `c` grants `right`.
pub fn grants(c: &PermissionContainer, right: Right) -> bool {
    match right {
        Right::User(n) => c
            .user_permissions
            .iter()
            .any(|u| u.is_enabled() && u.name.value.eq_ignore_ascii_case(n)),
        Right::Object(obj, bit) => c
            .object_permissions
            .iter()
            .any(|o| o.enabled & bit != 0 && o.object.eq_ignore_ascii_case(obj)),
        Right::Entry(kind, name, bit) => c
            .access
            .iter()
            .any(|e| e.kind == kind && e.bits & bit != 0 && e.name.eq_ignore_ascii_case(name)),
        Right::Principal(n) => c
            .external_credential_principals
            .iter()
            .any(|e| e.is_enabled() && e.name.value.eq_ignore_ascii_case(n)),
    }
}

// --- `silt access`: the query and its report (JSON version 1, documented in the README) ------------

use serde::{Deserialize, Serialize};

/// What `silt access` (and the Wasm `access`) asks. Empty: the integration-user summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AccessQuery {
    /// A username (or a profile name): everything it holds, dangerous first.
    pub user: Option<String>,
    /// A user or custom permission: who holds it, and through what (muted grants marked).
    pub permission: Option<String>,
    /// An object: who has access to it, and through what.
    pub object: Option<String>,
    /// With `object`: one access (`read`, `create`, `edit`, `delete`, `viewall`, `modifyall`,
    /// `viewallfields`).
    pub access: Option<String>,
}

impl AccessQuery {
    /// The query's mistakes, as a message (unknown access, `access` without `object`, several modes).
    pub fn validate(&self) -> Result<(), String> {
        let modes = [&self.user, &self.permission, &self.object]
            .iter()
            .filter(|m| m.is_some())
            .count();
        if modes > 1 {
            return Err("ask one question at a time: --user, --permission or --object".into());
        }
        if let Some(a) = &self.access {
            if self.object.is_none() {
                return Err("--access needs --object".into());
            }
            if object_access_bit(a).is_none() {
                return Err(format!(
                    "unknown access `{a}`; expected one of read, create, edit, delete, viewall, modifyall, viewallfields"
                ));
            }
        }
        Ok(())
    }

    pub fn is_summary(&self) -> bool {
        self.user.is_none() && self.permission.is_none() && self.object.is_none()
    }
}

/// The bit of [`ObjectPermission::enabled`] an access name means (case-insensitive).
pub fn object_access_bit(name: &str) -> Option<u8> {
    OBJECT_ACCESS
        .iter()
        .position(|a| a.eq_ignore_ascii_case(name.trim()))
        .map(|i| 1 << i)
}

/// The answer: version 1.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccessReport {
    pub version: u32,
    pub query: AccessQuery,
    pub users: Vec<AccessUser>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AccessUser {
    /// The username; for a profile principal, `null`.
    pub username: Option<String>,
    /// `user`, `runAs` (a run-as user absent from the user data) or `profile` (a user on this profile).
    pub kind: String,
    pub profile: Option<String>,
    pub license: Option<String>,
    pub integration: bool,
    pub active: bool,
    /// The apps whose client-credentials run-as user this is.
    pub run_as: Vec<String>,
    /// Where the user (or profile) is defined.
    pub file: Option<String>,
    pub line: Option<u32>,
    /// The dangerous user permissions held (not muted), by tier (`rules/data/dangerous-permissions.toml`).
    pub tiers: Vec<TierHeld>,
    pub grants: Vec<AccessGrant>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TierHeld {
    pub tier: u8,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccessGrant {
    /// The user permission, object, field (`Object.Field`), class, page, app, tab, custom permission
    /// or external credential principal.
    pub permission: String,
    /// `userPermission`, `objectPermission`, `fieldPermission`, `apexClass`, `apexPage`,
    /// `application`, `tab`, `customPermission`, `externalCredentialPrincipal`.
    pub kind: String,
    /// Object and field grants: `read`, `create`, `edit`, `delete`, `viewAll`, `modifyAll`,
    /// `viewAllFields`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub access: Option<String>,
    /// Dangerous user permissions: their tier.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tier: Option<u8>,
    pub muted: bool,
    /// The muting permission set that turns it off, at its muting element.
    pub muted_by: Option<Hop>,
    /// From the outermost container to the element that grants it.
    pub via: Vec<Hop>,
    /// The record that assigns the outermost container (user definition, assignment export, the
    /// user's profile field); `null` for profile principals and app routes.
    pub assigned_at: Option<Hop>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "AccessHop"))]
pub struct Hop {
    pub kind: String,
    pub name: String,
    pub file: String,
    pub line: u32,
}

fn hop(kind: &str, name: &str, at: &Location) -> Hop {
    Hop {
        kind: kind.to_string(),
        name: name.to_string(),
        file: at.file.to_string(),
        line: at.range.start.line,
    }
}

/// How a grant sorts: dangerous user permissions by tier, then admin-level object access, other user
/// permissions, custom permissions and credentials, other object access, fields, the rest.
pub fn rank(org: &Org, r: &Right) -> u8 {
    match *r {
        Right::User(n) => org
            .registry
            .dangerous_tier(n)
            .map(|t| t.tier.min(2))
            .unwrap_or(4),
        Right::Object(_, bit) if bit >= 1 << 4 => 3,
        Right::Object(..) => 6,
        Right::Entry(EntryKind::CustomPermission, ..) | Right::Principal(_) => 5,
        Right::Entry(EntryKind::Field, ..) => 7,
        Right::Entry(..) => 8,
    }
}

impl Access<'_> {
    /// A grant as `silt access --format json` (and `silt diff`) shows it.
    pub fn grant_out(&self, org: &Org, p: &Principal, g: &Grant) -> AccessGrant {
        AccessGrant {
            permission: g.right.name().to_string(),
            kind: g.right.kind().to_string(),
            access: g.right.access().map(str::to_string),
            tier: match g.right {
                Right::User(n) => org.registry.dangerous_tier(n).map(|t| t.tier),
                _ => None,
            },
            muted: g.muted_by.is_some(),
            muted_by: g.muted_by.map(|(m, at)| hop(m.kind.as_str(), &m.name, at)),
            via: self
                .chain(org, g.source, Some(g.at))
                .into_iter()
                .map(|(k, n, at)| hop(k, n, at))
                .collect(),
            assigned_at: g.source.assigned.map(|v| {
                let kind = match g.source.holder {
                    Holder::Profile(_) => "ProfileAssignment",
                    Holder::PermissionSet(_) => "Assignment",
                };
                hop(kind, &p.name, &v.at)
            }),
        }
    }

    /// Answer a query.
    pub fn report(&self, org: &Org, query: &AccessQuery) -> AccessReport {
        let bit = query.access.as_deref().and_then(object_access_bit);
        let wanted = |r: &Right| -> bool {
            if let Some(n) = &query.permission {
                matches!(
                    r,
                    Right::User(_) | Right::Entry(EntryKind::CustomPermission, ..)
                ) && r.name().eq_ignore_ascii_case(n.trim())
            } else if let Some(o) = &query.object {
                matches!(*r, Right::Object(obj, b) if obj.eq_ignore_ascii_case(o.trim()) && bit.is_none_or(|w| w == b))
            } else if query.user.is_some() {
                true
            } else {
                rank(org, r) <= 3
            }
        };
        let principals: Vec<&Principal> = match &query.user {
            Some(u) => self.find(u).into_iter().collect(),
            None if query.is_summary() => self
                .principals
                .iter()
                .filter(|p| p.integration || !p.run_as.is_empty())
                .collect(),
            None => self.principals.iter().collect(),
        };
        let mut users = Vec::new();
        for p in principals {
            let mut grants: Vec<(u8, Grant)> = self
                .grants(org, p)
                .into_iter()
                .filter(|g| wanted(&g.right))
                .map(|g| (rank(org, &g.right), g))
                .collect();
            if grants.is_empty() && !query.is_summary() && query.user.is_none() {
                continue;
            }
            grants.sort_by(|(ra, a), (rb, b)| {
                (ra, a.right.name(), a.right.access(), a.muted_by.is_some()).cmp(&(
                    rb,
                    b.right.name(),
                    b.right.access(),
                    b.muted_by.is_some(),
                ))
            });
            let mut tiers: Vec<TierHeld> = Vec::new();
            for (_, g) in grants.iter().filter(|(_, g)| g.muted_by.is_none()) {
                if let Right::User(n) = g.right {
                    if let Some(t) = org.registry.dangerous_tier(n) {
                        match tiers.iter_mut().find(|h| h.tier == t.tier) {
                            Some(h) if !h.permissions.iter().any(|x| x == n) => {
                                h.permissions.push(n.to_string())
                            }
                            Some(_) => {}
                            None => tiers.push(TierHeld {
                                tier: t.tier,
                                permissions: vec![n.to_string()],
                            }),
                        }
                    }
                }
            }
            tiers.sort_by_key(|t| t.tier);
            let at = match p.kind {
                PrincipalKind::User => p.user.and_then(|u| org.users[u].at()).cloned(),
                PrincipalKind::RunAs => p.run_as.first().and_then(|&a| {
                    org.apps[a]
                        .client_credentials_user
                        .as_ref()
                        .map(|v| v.at.clone())
                }),
                PrincipalKind::Profile => {
                    p.sources.first().map(|s| org.holder(s.holder).root.clone())
                }
            };
            users.push(AccessUser {
                username: (p.kind != PrincipalKind::Profile).then(|| p.name.clone()),
                kind: p.kind.as_str().to_string(),
                profile: p.profile.clone(),
                license: p.license.clone(),
                integration: p.integration,
                active: p.active,
                run_as: p
                    .run_as
                    .iter()
                    .map(|&a| org.apps[a].api_name().to_string())
                    .collect(),
                file: at.as_ref().map(|a| a.file.to_string()),
                line: at.as_ref().map(|a| a.range.start.line),
                tiers,
                grants: grants
                    .into_iter()
                    .map(|(_, g)| self.grant_out(org, p, &g))
                    .collect(),
            });
        }
        AccessReport {
            version: 1,
            query: query.clone(),
            users,
        }
    }
}
