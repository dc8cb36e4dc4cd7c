//! What reaches users, from the org's effective access model ([`crate::access`]): which users hold a
//! right a profile or permission set grants (muting subtracted), and the chain that brings it to them
//! as related locations. Shared by the rule families that ask "does this grant reach (integration) users?".

use crate::access::{Holder, Principal, PrincipalKind, Right, Source};
use crate::diagnostic::{Location, Related};
use crate::model::{PermKind, PermissionContainer};
use crate::org::Org;

/// The integration principals (users, or the integration profile itself) that hold `right` through
/// `holder`, muting subtracted, each with its route.
pub fn integration_holders<'x, 'a>(
    org: &'x Org<'a>,
    holder: Holder,
    right: Right,
) -> Vec<(&'x Principal<'a>, &'x Source<'a>)> {
    let mut out = org.access.holders(org, holder, right);
    out.retain(|(p, _)| p.integration);
    out
}

/// Whether `p` reaches an integration user at all (any right): an integration user gets it, or it is
/// a profile on the Salesforce Integration license (whoever has it is an integration user).
pub fn integration(org: &Org, holder: Holder) -> bool {
    let p = org.holder(holder);
    (p.kind == PermKind::Profile
        && p.license
            .as_ref()
            .is_some_and(|l| org.is_integration_license(&l.value)))
        || org
            .access
            .routes(holder)
            .any(|(u, _)| u.integration && u.kind != PrincipalKind::Profile)
}

/// How a right reaches a principal, as related locations: the assignment record, the group's member
/// entry, the app's entry (the container itself is the finding's own location).
pub fn chain_related(org: &Org, p: &Principal, s: &Source) -> Vec<Related> {
    let who = match p.kind {
        PrincipalKind::Profile => format!("users on profile `{}`", p.name),
        _ => format!("`{}`", p.name),
    };
    let mut out = Vec::new();
    let mut push = |at: &Location, message: String| {
        out.push(Related {
            file: at.file.to_string(),
            range: at.range,
            message,
        })
    };
    let hops = org.access.chain(org, s, None);
    let path = hops
        .iter()
        .map(|(kind, name, _)| format!("{kind} `{name}`"))
        .collect::<Vec<_>>()
        .join(" › ");
    if let Some(v) = s.assigned {
        push(&v.at, format!("{who} is assigned {path} here"));
    }
    if let Some((ai, v)) = s.app {
        push(
            &v.at,
            format!(
                "{who} is the run-as user of {}, which lists it",
                org.apps[ai].describe()
            ),
        );
    }
    if let Some((gi, v)) = s.group {
        push(
            &v.at,
            format!(
                "{who} gets it through permission set group `{}`",
                org.groups[gi].name
            ),
        );
    }
    out
}

/// The chains of up to three holders, as related locations.
pub fn holders_related(org: &Org, holders: &[(&Principal, &Source)]) -> Vec<Related> {
    holders
        .iter()
        .take(3)
        .flat_map(|(p, s)| chain_related(org, p, s))
        .collect()
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

/// Profiles and permission sets (not muting permission sets: they take permissions away), with the
/// [`Holder`] that names them in the access model.
pub fn granting_holders<'x>(
    org: &'x Org,
) -> impl Iterator<Item = (Holder, &'x PermissionContainer)> {
    org.profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (Holder::Profile(i), *p))
        .chain(
            org.permission_sets
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == PermKind::PermissionSet)
                .map(|(i, p)| (Holder::PermissionSet(i), p)),
        )
}

/// Profiles and permission sets (not muting permission sets: they take permissions away).
pub fn granting_containers<'x>(org: &'x Org) -> impl Iterator<Item = &'x PermissionContainer> {
    granting_holders(org).map(|(_, p)| p)
}

/// `Profile` or `PermissionSet` with its name, for messages.
pub fn what(p: &PermissionContainer) -> String {
    match p.kind {
        PermKind::Profile => format!("profile `{}`", p.name),
        _ => format!("permission set `{}`", p.name),
    }
}
