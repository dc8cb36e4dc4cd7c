//! Which users a profile or permission set reaches, from the Org's own answers: users whose profile it
//! is, and [`Org::grants`] for permission sets (assigned, through a group, through a connected app the
//! user runs). Shared by the rule families that ask "does this grant reach (integration) users?".

use crate::model::{PermKind, PermissionContainer};
use crate::org::{norm, Org};
use std::collections::{BTreeSet, HashMap};

pub struct Reach {
    users: HashMap<(bool, String), BTreeSet<usize>>,
}

impl Reach {
    pub fn new(org: &Org) -> Reach {
        let mut users: HashMap<(bool, String), BTreeSet<usize>> = HashMap::new();
        for (i, u) in org.users.iter().enumerate() {
            if let Some(p) = u.profile.and_then(|p| org.profile(&p.value)) {
                users
                    .entry((true, norm(&p.name).into_owned()))
                    .or_default()
                    .insert(i);
            }
        }
        for g in org.grants() {
            users
                .entry((false, norm(&g.permission_set.name).into_owned()))
                .or_default()
                .insert(g.user);
        }
        Reach { users }
    }

    /// The users (indices into `org.users`) that `p` reaches.
    pub fn users(&self, p: &PermissionContainer) -> impl Iterator<Item = usize> + '_ {
        self.users
            .get(&(p.kind == PermKind::Profile, norm(&p.name).into_owned()))
            .into_iter()
            .flatten()
            .copied()
    }

    /// Whether `p` reaches an integration user: an integration user gets it, or it is a profile on the
    /// Salesforce Integration license (whoever has it is an integration user).
    pub fn integration(&self, org: &Org, p: &PermissionContainer) -> bool {
        (p.kind == PermKind::Profile
            && p.license
                .as_ref()
                .is_some_and(|l| org.is_integration_license(&l.value)))
            || self.users(p).any(|i| org.users[i].integration)
    }
}

/// Up to three names of the users `p` reaches, for messages (`a`, `b`, `c` and 2 more).
pub fn user_list(org: &Org, users: &[usize]) -> String {
    let mut s = users
        .iter()
        .take(3)
        .map(|&i| format!("`{}`", org.users[i].name))
        .collect::<Vec<_>>()
        .join(", ");
    if users.len() > 3 {
        s.push_str(&format!(" and {} more", users.len() - 3));
    }
    s
}

/// Profiles and permission sets (not muting permission sets: they take permissions away).
pub fn granting_containers<'x>(org: &'x Org) -> impl Iterator<Item = &'x PermissionContainer> {
    org.profiles.iter().copied().chain(
        org.permission_sets
            .iter()
            .filter(|p| p.kind == PermKind::PermissionSet),
    )
}

/// `Profile` or `PermissionSet` with its name, for messages.
pub fn what(p: &PermissionContainer) -> String {
    match p.kind {
        PermKind::Profile => format!("profile `{}`", p.name),
        _ => format!("permission set `{}`", p.name),
    }
}
