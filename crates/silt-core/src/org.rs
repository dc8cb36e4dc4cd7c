//! The cross-file view: lookups by API name, label and username; who is an integration user; which
//! permission sets reach which users; the edition. Rules ask it questions; they do not re-scan files.

use crate::access::{Access, Holder};
use crate::config::Config;
use crate::diagnostic::Location;
use crate::model::*;
use crate::registry::{registry, Registry};
use crate::report::LicenseSummary;
use crate::FileResult;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// One user, merged from every record with the same username.
#[derive(Debug, Clone)]
pub struct User<'a> {
    /// Username as written (or the user-def path for users without one).
    pub name: String,
    pub records: Vec<&'a UserRecord>,
    pub profile: Option<&'a Val>,
    pub license: Option<&'a Val>,
    pub active: bool,
    pub api_only: Option<bool>,
    pub permission_sets: Vec<&'a Val>,
    pub permission_set_licenses: Vec<&'a Val>,
    /// Counted as an integration user (decided once the org is built; see `is_integration_user`).
    pub integration: bool,
}

impl User<'_> {
    /// Where the user is defined (first record).
    pub fn at(&self) -> Option<&Location> {
        self.records.first().map(|r| &r.at)
    }
}

/// How a permission set reaches a user.
#[derive(Debug, Clone)]
pub struct Grant<'a> {
    pub permission_set: &'a PermissionContainer,
    pub user: usize,
    /// The reference that grants it (user-def `permsets` entry, group member, connected-app entry).
    pub via: &'a Val,
    pub how: String,
}

pub struct Org<'a> {
    pub registry: &'static Registry,
    pub profiles: Vec<&'a PermissionContainer>,
    /// Permission sets and muting permission sets, decomposed parts merged.
    pub permission_sets: Vec<PermissionContainer>,
    pub groups: Vec<&'a PermissionSetGroup>,
    pub apps: Vec<&'a App>,
    pub users: Vec<User<'a>>,
    pub edition: Option<&'a Val>,
    pub project: Option<&'a Project>,
    /// Org settings files (`OauthOidc`, `Security`).
    pub settings: Vec<&'a OrgSettings>,
    pub external_credentials: Vec<&'a ExternalCredential>,
    pub named_credentials: Vec<&'a NamedCredential>,
    /// norm(name) -> first permission set (kind PermissionSet) with that name, and by label.
    ps_by_name: HashMap<String, usize>,
    ps_by_label: HashMap<String, usize>,
    group_by_name: HashMap<String, usize>,
    profile_by_name: HashMap<String, usize>,
    /// Lowercase username (or `file#offset` for a user-def without one) -> user.
    user_by_name: HashMap<String, usize>,
    /// norm(name) -> muting permission set.
    muting_by_name: HashMap<String, usize>,
    /// Effective access of every user, run-as user and profile (computed once, when the org is built).
    pub access: Access<'a>,
}

/// A name for comparisons: whitespace runs collapsed to one space, trimmed, lowercase. Borrowed
/// when the name already is (most API names and usernames), so lookups do not allocate.
pub fn norm(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let plain = b.iter().all(|&c| {
        c.is_ascii() && !c.is_ascii_uppercase() && (c == b' ' || !c.is_ascii_whitespace())
    }) && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !s.contains("  ");
    if plain {
        return Cow::Borrowed(s);
    }
    Cow::Owned(norm_owned(s))
}

/// `norm(a) == norm(b)`, without allocating.
pub fn norm_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a
            .split_ascii_whitespace()
            .map(Some)
            .chain([None])
            .zip(b.split_ascii_whitespace().map(Some).chain([None]))
            .all(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                (x, y) => x.is_none() && y.is_none(),
            });
    }
    fn chars(s: &str) -> impl Iterator<Item = char> + '_ {
        s.split_whitespace().enumerate().flat_map(|(i, w)| {
            (i > 0)
                .then_some(' ')
                .into_iter()
                .chain(w.chars().flat_map(char::to_lowercase))
        })
    }
    chars(a).eq(chars(b))
}

fn norm_owned(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

impl<'a> Org<'a> {
    pub fn build(files: &'a [FileResult], _config: &Config) -> Org<'a> {
        let mut org = Org {
            registry: registry(),
            profiles: Vec::new(),
            permission_sets: Vec::new(),
            groups: Vec::new(),
            apps: Vec::new(),
            users: Vec::new(),
            edition: None,
            project: None,
            settings: Vec::new(),
            external_credentials: Vec::new(),
            named_credentials: Vec::new(),
            ps_by_name: HashMap::new(),
            ps_by_label: HashMap::new(),
            group_by_name: HashMap::new(),
            profile_by_name: HashMap::new(),
            user_by_name: HashMap::new(),
            muting_by_name: HashMap::new(),
            access: Access::default(),
        };
        let mut sets: BTreeMap<(u8, String), PermissionContainer> = BTreeMap::new();
        let mut assignments: Vec<&'a Assignment> = Vec::new();
        for f in files {
            for md in &f.metadata {
                match md {
                    Metadata::Permissions(pc) if pc.kind == PermKind::Profile => {
                        org.profiles.push(pc)
                    }
                    Metadata::Permissions(pc) => {
                        let key = (pc.kind as u8, pc.name.clone());
                        match sets.get_mut(&key) {
                            None => {
                                sets.insert(key, pc.clone());
                            }
                            Some(main) => merge(main, pc),
                        }
                    }
                    Metadata::Group(g) => org.groups.push(g),
                    Metadata::App(a) => org.apps.push(a),
                    Metadata::Edition(e) => {
                        if org.edition.is_none() {
                            org.edition = Some(e)
                        }
                    }
                    Metadata::Project(p) => org.project = Some(p),
                    Metadata::Settings(s) => org.settings.push(s),
                    Metadata::ExternalCredential(e) => org.external_credentials.push(e),
                    Metadata::NamedCredential(n) => org.named_credentials.push(n),
                    Metadata::Assignments(a) => assignments.extend(a.iter()),
                    Metadata::Users(records) => {
                        for r in records {
                            let key = match &r.username {
                                Some(u) => u.value.to_lowercase(),
                                None => format!("{}#{}", r.at.file, r.at.range.start.offset),
                            };
                            let idx = *org.user_by_name.entry(key).or_insert_with(|| {
                                org.users.push(User {
                                    name: r
                                        .username
                                        .as_ref()
                                        .map(|u| u.value.clone())
                                        .unwrap_or_else(|| r.at.file.to_string()),
                                    records: Vec::new(),
                                    profile: None,
                                    license: None,
                                    active: true,
                                    api_only: None,
                                    permission_sets: Vec::new(),
                                    permission_set_licenses: Vec::new(),
                                    integration: false,
                                });
                                org.users.len() - 1
                            });
                            let u = &mut org.users[idx];
                            u.records.push(r);
                            u.profile = u.profile.or(r.profile.as_ref());
                            u.license = u.license.or(r.license.as_ref());
                            if r.active == Some(false) {
                                u.active = false;
                            }
                            u.api_only = u.api_only.or(r.api_only);
                            u.permission_sets.extend(r.permission_sets.iter());
                            u.permission_set_licenses
                                .extend(r.permission_set_licenses.iter());
                        }
                    }
                }
            }
        }
        for a in assignments {
            let key = a.username.to_lowercase();
            let Some(&idx) = org.user_by_name.get(&key) else {
                continue;
            };
            let u = &mut org.users[idx];
            if a.license {
                u.permission_set_licenses.push(&a.target);
            } else {
                u.permission_sets.push(&a.target);
            }
        }
        org.permission_sets = sets.into_values().collect();
        for (i, p) in org.permission_sets.iter().enumerate() {
            if p.kind == PermKind::MutingPermissionSet {
                org.muting_by_name
                    .entry(norm(&p.name).into_owned())
                    .or_insert(i);
            }
            if p.kind == PermKind::PermissionSet {
                org.ps_by_name
                    .entry(norm(&p.name).into_owned())
                    .or_insert(i);
                if let Some(l) = &p.label {
                    org.ps_by_label
                        .entry(norm(&l.value).into_owned())
                        .or_insert(i);
                }
            }
        }
        for (i, g) in org.groups.iter().enumerate() {
            org.group_by_name
                .entry(norm(&g.name).into_owned())
                .or_insert(i);
        }
        for (i, p) in org.profiles.iter().enumerate() {
            org.profile_by_name
                .entry(norm(&p.name).into_owned())
                .or_insert(i);
        }
        let integration: Vec<bool> = org
            .users
            .iter()
            .map(|u| org.decide_integration(u))
            .collect();
        for (u, i) in org.users.iter_mut().zip(integration) {
            u.integration = i;
        }
        org.access = Access::build(&org);
        org
    }

    /// Index into `permission_sets` of a permission set by API name.
    pub fn permission_set_index(&self, name: &str) -> Option<usize> {
        self.ps_by_name.get(norm(name).as_ref()).copied()
    }

    /// Index into `permission_sets` of a permission set by label, falling back to API name.
    pub fn permission_set_index_by_label(&self, label: &str) -> Option<usize> {
        self.ps_by_label
            .get(norm(label).as_ref())
            .copied()
            .or_else(|| self.permission_set_index(label))
    }

    /// Index into `permission_sets` of a muting permission set by API name.
    pub fn muting_index(&self, name: &str) -> Option<usize> {
        self.muting_by_name.get(norm(name).as_ref()).copied()
    }

    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.group_by_name.get(norm(name).as_ref()).copied()
    }

    pub fn profile_index(&self, name: &str) -> Option<usize> {
        self.profile_by_name.get(norm(name).as_ref()).copied()
    }

    pub fn profile(&self, name: &str) -> Option<&'a PermissionContainer> {
        self.profile_by_name
            .get(norm(name).as_ref())
            .map(|&i| self.profiles[i])
    }

    /// A permission set by API name (case-insensitive).
    pub fn permission_set(&self, name: &str) -> Option<&PermissionContainer> {
        self.ps_by_name
            .get(norm(name).as_ref())
            .map(|&i| &self.permission_sets[i])
    }

    /// A permission set by label (connected apps refer to them by label), falling back to API name.
    pub fn permission_set_by_label(&self, label: &str) -> Option<&PermissionContainer> {
        self.ps_by_label
            .get(norm(label).as_ref())
            .map(|&i| &self.permission_sets[i])
            .or_else(|| self.permission_set(label))
    }

    pub fn group(&self, name: &str) -> Option<&'a PermissionSetGroup> {
        self.group_by_name
            .get(norm(name).as_ref())
            .map(|&i| self.groups[i])
    }

    pub fn user(&self, username: &str) -> Option<(usize, &User<'a>)> {
        let n = username.trim().to_lowercase();
        self.user_by_name.get(&n).map(|&i| (i, &self.users[i]))
    }

    pub fn is_integration_license(&self, license: &str) -> bool {
        norm_eq(license, &self.registry.licenses.integration_user_license)
    }

    /// The profile name is one of the integration profiles (current or deprecated).
    pub fn is_integration_profile_name(&self, name: &str) -> bool {
        let n = norm(name);
        norm_eq(&n, &self.registry.profiles.current)
            || n.starts_with(norm(&self.registry.profiles.deprecated_prefix).as_ref())
    }

    /// A user on the Salesforce Integration license (decided when the org was built).
    pub fn is_integration_user(&self, u: &User) -> bool {
        u.integration
    }

    /// Whether a user is on the Salesforce Integration license: by their license, their project
    /// profile's `userLicense`, or (profile file absent) an integration profile name.
    fn decide_integration(&self, u: &User) -> bool {
        if let Some(l) = u.license {
            return self.is_integration_license(&l.value);
        }
        let Some(p) = u.profile else { return false };
        match self.profile(&p.value) {
            Some(prof) => match &prof.license {
                Some(l) => self.is_integration_license(&l.value),
                None => self.is_integration_profile_name(&p.value),
            },
            None => self.is_integration_profile_name(&p.value),
        }
    }

    /// Whether the user is API-only: exported flag, or their project profile enables ApiUserOnly,
    /// or they are an integration user (that license is API-only by design).
    pub fn is_api_only(&self, u: &User) -> Option<bool> {
        if let Some(a) = u.api_only {
            return Some(a);
        }
        if self.is_integration_user(u) {
            return Some(true);
        }
        let prof = self.profile(&u.profile?.value)?;
        Some(
            prof.permission("ApiUserOnly")
                .is_some_and(|p| p.is_enabled()),
        )
    }

    pub fn integration_users(&self) -> impl Iterator<Item = (usize, &User<'a>)> {
        self.users.iter().enumerate().filter(|(_, u)| u.integration)
    }

    /// The run-as user of apps: (app, user value) for apps with a client-credentials user.
    pub fn run_as(&self) -> impl Iterator<Item = (&'a App, &'a Val)> + '_ {
        self.apps
            .iter()
            .filter_map(|a| a.client_credentials_user.as_ref().map(|u| (*a, u)))
    }

    /// The profile or permission set a [`Holder`] names.
    pub fn holder(&self, h: Holder) -> &PermissionContainer {
        match h {
            Holder::Profile(i) => self.profiles[i],
            Holder::PermissionSet(i) => &self.permission_sets[i],
        }
    }

    /// Every permission set that reaches a user: directly, through a group, or through a connected app
    /// whose client-credentials run-as user the user is (the permission set routes of [`Access`]).
    pub fn grants(&self) -> Vec<Grant<'_>> {
        let mut out = Vec::new();
        for p in &self.access.principals {
            let Some(user) = p.user else { continue };
            for s in &p.sources {
                let Holder::PermissionSet(i) = s.holder else {
                    continue;
                };
                let (via, how) = match (s.app, s.group, s.assigned) {
                    (Some((ai, v)), _, _) => (
                        v,
                        format!("as the run-as user of {}", self.apps[ai].describe()),
                    ),
                    (None, Some((_, m)), _) => (m, "through a permission set group".into()),
                    (None, None, Some(v)) => (v, "assigned".into()),
                    (None, None, None) => continue,
                };
                out.push(Grant {
                    permission_set: &self.permission_sets[i],
                    user,
                    via,
                    how,
                });
            }
        }
        out
    }

    pub fn edition_name(&self, config: &Config) -> Option<String> {
        config
            .org
            .edition
            .clone()
            .or_else(|| self.edition.map(|e| e.value.clone()))
    }

    pub fn license_summary(&self, config: &Config) -> LicenseSummary {
        let reg = self.registry;
        let edition = self.edition_name(config);
        let free = edition.as_deref().and_then(|e| reg.free_seats(e));
        let users: Vec<&User> = self.integration_users().map(|(_, u)| u).collect();
        let active = users.iter().filter(|u| u.active).count() as u32;
        let purchased = config.org.purchased_integration_seats;
        let needed = match free {
            Some(f) => active.saturating_sub(f + purchased),
            None => 0,
        };
        let price = config
            .org
            .price_per_seat_month
            .unwrap_or(reg.editions.price_per_seat_month);
        LicenseSummary {
            edition,
            integration_users: users.iter().map(|u| u.name.clone()).collect(),
            active_integration_users: active,
            free_seats: free,
            purchased_seats: purchased,
            add_on_seats_needed: needed,
            price_per_seat_month: price,
            currency: config
                .org
                .currency
                .clone()
                .unwrap_or_else(|| reg.editions.currency.clone()),
            monthly_cost: needed as f64 * price,
        }
    }
}

/// Merge a decomposed part into the permission set read so far.
fn merge(main: &mut PermissionContainer, part: &PermissionContainer) {
    if main.partial && !part.partial {
        // The main file's identity wins.
        main.root = part.root.clone();
        main.partial = false;
    }
    if main.label.is_none() {
        main.label = part.label.clone();
    }
    if main.license.is_none() {
        main.license = part.license.clone();
    }
    if main.description.is_none() {
        main.description = part.description.clone();
    }
    main.user_permissions
        .extend(part.user_permissions.iter().cloned());
    main.object_permissions
        .extend(part.object_permissions.iter().cloned());
    main.field_permissions
        .extend(part.field_permissions.iter().cloned());
    main.external_credential_principals
        .extend(part.external_credential_principals.iter().cloned());
    main.access.extend(part.access.iter().cloned());
    main.files.extend(part.files.iter().cloned());
}

#[cfg(test)]
mod tests {
    use super::{norm, norm_eq};

    #[test]
    fn norm_and_norm_eq_agree() {
        let names = [
            "Salesforce Integration",
            "  salesforce   INTEGRATION ",
            "salesforce integration",
            "Salesforce\tIntegration",
            "Salesforce",
            "",
            " ",
            "Übersicht Profil",
            "übersicht  profil",
            "a b",
            "a",
            "ab",
        ];
        for a in names {
            for b in names {
                assert_eq!(norm_eq(a, b), norm(a) == norm(b), "{a:?} vs {b:?}");
            }
        }
        assert!(matches!(
            norm("salesforce integration"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            norm("  Salesforce \t Integration "),
            "salesforce integration"
        );
    }
}
