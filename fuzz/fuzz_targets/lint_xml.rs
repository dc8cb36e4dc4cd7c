//! Arbitrary bytes as one metadata XML file (the first byte picks the kind), linted beside the anchor;
//! and where the XML fast path takes the text, it must give the document quick-xml's events build.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silt_fuzz::{check, linter, pick, Run};

/// Index = first byte modulo the length; `scripts/fuzz.sh` prefixes seeds with their kind's index.
pub const PATHS: &[&str] = &[
    "force-app/main/default/profiles/Fuzz.profile-meta.xml",
    "force-app/main/default/permissionsets/Fuzz.permissionset-meta.xml",
    "force-app/main/default/connectedApps/Fuzz.connectedApp-meta.xml",
    "force-app/main/default/extlClntAppOauthPolicies/Fuzz.ecaOauthPlcy-meta.xml",
    "force-app/main/default/permissionsetgroups/Fuzz.permissionsetgroup-meta.xml",
    "force-app/main/default/mutingpermissionsets/Fuzz.mutingpermissionset-meta.xml",
    "force-app/main/default/extlClntAppGlobalOauthSets/Fuzz.ecaGlblOauth-meta.xml",
    "force-app/main/default/extlClntAppOauthSettings/Fuzz.ecaOauth-meta.xml",
    "force-app/main/default/permissionsets/Fuzz/objectSettings/Account.objectSettings-meta.xml",
    "src/profiles/Fuzz.profile",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let mut run = Run::new();
    run.add(pick(PATHS, selector), body);
    check(&run, &linter(), true);
    if let Ok(text) = std::str::from_utf8(body) {
        if let Some(fast) = silt_core::xml::parse_fast(text) {
            assert_eq!(Ok(fast), silt_core::xml::parse_quick_xml(text), "the XML paths disagree");
        }
    }
});
