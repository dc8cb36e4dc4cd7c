//! Permission set groups and their muting permission sets: group-multiple-muting-sets,
//! muting-set-mutes-nothing.

use super::Ctx;
use crate::access::{grants, muted_rights, Right};
use crate::diagnostic::Related;
use crate::model::EntryKind;

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    let mut found = Vec::new();
    for g in org.groups.iter() {
        if g.muting_permission_sets.len() > 1 {
            let names: Vec<&str> = g
                .muting_permission_sets
                .iter()
                .map(|m| m.value.as_str())
                .collect();
            found.push((
                crate::rules::names::GROUP_MULTIPLE_MUTING_SETS,
                format!(
                    "permission set group `{}` lists {} muting permission sets ({}): Setup allows one per group, so the extra ones are usually left over from a merge; combine what they mute into one muting permission set",
                    g.name,
                    names.len(),
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
                g.muting_permission_sets[1].at.clone(),
                "mutingPermissionSets".to_string(),
                g.muting_permission_sets[..1]
                    .iter()
                    .map(|m| Related {
                        file: m.at.file.to_string(),
                        range: m.at.range,
                        message: format!("first muting permission set `{}`", m.value),
                    })
                    .collect::<Vec<_>>(),
            ));
        }
        // Members the project does not define may grant anything: then nothing can be said.
        let members: Option<Vec<usize>> = g
            .permission_sets
            .iter()
            .map(|m| org.permission_set_index(&m.value))
            .collect();
        let Some(members) = members else { continue };
        for entry in &g.muting_permission_sets {
            let Some(mi) = org.muting_index(&entry.value) else {
                continue;
            };
            let m = &org.permission_sets[mi];
            let muted = muted_rights(m);
            // Fields, classes, pages, apps and tabs of permission sets are kept only for `silt access`:
            // a muting set that mutes any of them may mute something; do not judge it.
            if muted
                .iter()
                .any(|(r, _)| matches!(r, Right::Entry(k, ..) if *k != EntryKind::CustomPermission))
            {
                continue;
            }
            let granted = muted
                .iter()
                .any(|(r, _)| members.iter().any(|&i| grants(&org.permission_sets[i], *r)));
            if granted {
                continue;
            }
            let what = if muted.is_empty() {
                "mutes nothing".to_string()
            } else {
                let names: Vec<String> = muted
                    .iter()
                    .take(3)
                    .map(|(r, _)| match r.access() {
                        Some(a) => format!("`{}` {a}", r.name()),
                        None => format!("`{}`", r.name()),
                    })
                    .collect();
                format!(
                    "mutes {}{}, which no member of the group grants",
                    names.join(", "),
                    if muted.len() > 3 {
                        format!(" and {} more", muted.len() - 3)
                    } else {
                        String::new()
                    }
                )
            };
            found.push((
                crate::rules::names::MUTING_SET_MUTES_NOTHING,
                format!(
                    "muting permission set `{}` of group `{}` {what}: it takes nothing away, so the group grants more than its muting set suggests was intended, or the muting set names the wrong permissions; mute what the members grant, or remove the muting set",
                    m.name, g.name
                ),
                entry.at.clone(),
                format!("mutingPermissionSets[{}]", m.name),
                vec![Related {
                    file: m.root.file.to_string(),
                    range: m.root.range,
                    message: format!("muting permission set `{}`", m.name),
                }],
            ));
        }
    }
    for (rule, message, at, element, related) in found {
        cx.emit(rule, message, &at, element).related = related;
    }
}
