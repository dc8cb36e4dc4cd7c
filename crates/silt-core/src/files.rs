//! Which files silt reads and what they are: typed by suffix, never by a bare `.xml`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Profile,
    PermissionSet,
    /// A part of a decomposed permission set (`permissionsets/<Name>/...-meta.xml`).
    PermissionSetPart {
        set: String,
    },
    MutingPermissionSet,
    PermissionSetGroup,
    ConnectedApp,
    EcaPolicy,
    EcaGlobalOauth,
    EcaOauth,
    /// Org settings `settings/OauthOidc.settings-meta.xml` (`OauthOidcSettings`).
    OauthOidcSettings,
    /// Org settings `settings/Security.settings-meta.xml` (`SecuritySettings`, session settings).
    SecuritySettings,
    ExternalCredential,
    NamedCredential,
    /// `config/*user-def*.json`.
    UserDef,
    /// `*scratch-def*.json` (org edition), also CumulusCI `orgs/*.json`.
    ScratchDef,
    SfdxProject,
    /// Other `.json`: user data if it holds User records (`sf data query --json`), else ignored.
    JsonData,
    /// `.csv`: user or assignment data if its header has the columns, else ignored.
    Csv,
    /// Bare `.xml`: a Bulk API query result if rooted at `queryResult`, else ignored.
    BulkXml,
    /// `silt.toml` is configuration, not linted.
    Config,
}

impl FileKind {
    /// Every [`FileKind::name`], in declaration order: the `FileKind` type of the TypeScript
    /// declarations (`classify()` in the Wasm build). Keep in step with `name`.
    pub const NAMES: [&'static str; 20] = [
        "Profile",
        "PermissionSet",
        "PermissionSetPart",
        "MutingPermissionSet",
        "PermissionSetGroup",
        "ConnectedApp",
        "EcaPolicy",
        "EcaGlobalOauth",
        "EcaOauth",
        "OauthOidcSettings",
        "SecuritySettings",
        "ExternalCredential",
        "NamedCredential",
        "UserDef",
        "ScratchDef",
        "SfdxProject",
        "JsonData",
        "Csv",
        "BulkXml",
        "Config",
    ];

    /// The variant's name (`Profile`, `PermissionSetPart`, `UserDef`, …): what hosts are told.
    pub fn name(&self) -> &'static str {
        match self {
            FileKind::Profile => "Profile",
            FileKind::PermissionSet => "PermissionSet",
            FileKind::PermissionSetPart { .. } => "PermissionSetPart",
            FileKind::MutingPermissionSet => "MutingPermissionSet",
            FileKind::PermissionSetGroup => "PermissionSetGroup",
            FileKind::ConnectedApp => "ConnectedApp",
            FileKind::EcaPolicy => "EcaPolicy",
            FileKind::EcaGlobalOauth => "EcaGlobalOauth",
            FileKind::EcaOauth => "EcaOauth",
            FileKind::OauthOidcSettings => "OauthOidcSettings",
            FileKind::SecuritySettings => "SecuritySettings",
            FileKind::ExternalCredential => "ExternalCredential",
            FileKind::NamedCredential => "NamedCredential",
            FileKind::UserDef => "UserDef",
            FileKind::ScratchDef => "ScratchDef",
            FileKind::SfdxProject => "SfdxProject",
            FileKind::JsonData => "JsonData",
            FileKind::Csv => "Csv",
            FileKind::BulkXml => "BulkXml",
            FileKind::Config => "Config",
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            FileKind::Profile => "Profile",
            FileKind::PermissionSet | FileKind::PermissionSetPart { .. } => "PermissionSet",
            FileKind::MutingPermissionSet => "MutingPermissionSet",
            FileKind::PermissionSetGroup => "PermissionSetGroup",
            FileKind::ConnectedApp => "ConnectedApp",
            FileKind::EcaPolicy => "ExtlClntAppOauthConfigurablePolicies",
            FileKind::EcaGlobalOauth => "ExtlClntAppGlobalOauthSettings",
            FileKind::EcaOauth => "ExtlClntAppOauthSettings",
            FileKind::OauthOidcSettings => "OauthOidcSettings",
            FileKind::SecuritySettings => "SecuritySettings",
            FileKind::ExternalCredential => "ExternalCredential",
            FileKind::NamedCredential => "NamedCredential",
            FileKind::UserDef | FileKind::JsonData | FileKind::Csv | FileKind::BulkXml => "User",
            FileKind::ScratchDef => "ScratchOrgDefinition",
            FileKind::SfdxProject => "SfdxProject",
            FileKind::Config => "Config",
        }
    }
    /// The expected XML root element for metadata kinds.
    pub fn xml_root(&self) -> Option<&'static str> {
        Some(match self {
            FileKind::Profile => "Profile",
            FileKind::PermissionSet => "PermissionSet",
            FileKind::MutingPermissionSet => "MutingPermissionSet",
            FileKind::PermissionSetGroup => "PermissionSetGroup",
            FileKind::ConnectedApp => "ConnectedApp",
            FileKind::EcaPolicy => "ExtlClntAppOauthConfigurablePolicies",
            FileKind::EcaGlobalOauth => "ExtlClntAppGlobalOauthSettings",
            FileKind::EcaOauth => "ExtlClntAppOauthSettings",
            FileKind::OauthOidcSettings => "OauthOidcSettings",
            FileKind::SecuritySettings => "SecuritySettings",
            FileKind::ExternalCredential => "ExternalCredential",
            FileKind::NamedCredential => "NamedCredential",
            _ => return None,
        })
    }
}

/// (suffix, kind, suffix of the API name) for metadata files in source and Metadata API format.
const SUFFIXES: &[(&str, FileKind)] = &[
    (".profile-meta.xml", FileKind::Profile),
    (".profile", FileKind::Profile),
    (".permissionset-meta.xml", FileKind::PermissionSet),
    (".permissionset", FileKind::PermissionSet),
    (
        ".mutingpermissionset-meta.xml",
        FileKind::MutingPermissionSet,
    ),
    (".mutingpermissionset", FileKind::MutingPermissionSet),
    (".permissionsetgroup-meta.xml", FileKind::PermissionSetGroup),
    (".permissionsetgroup", FileKind::PermissionSetGroup),
    (".connectedApp-meta.xml", FileKind::ConnectedApp),
    (".connectedApp", FileKind::ConnectedApp),
    (".ecaOauthPlcy-meta.xml", FileKind::EcaPolicy),
    (".ecaOauthPlcy", FileKind::EcaPolicy),
    (".ecaGlblOauth-meta.xml", FileKind::EcaGlobalOauth),
    (".ecaGlblOauth", FileKind::EcaGlobalOauth),
    (".ecaOauth-meta.xml", FileKind::EcaOauth),
    (".ecaOauth", FileKind::EcaOauth),
    (".externalCredential-meta.xml", FileKind::ExternalCredential),
    (".externalCredential", FileKind::ExternalCredential),
    (".namedCredential-meta.xml", FileKind::NamedCredential),
    (".namedCredential", FileKind::NamedCredential),
];

/// Org settings silt reads, by exact file name (source and Metadata API format); other settings are
/// not read.
const SETTINGS: &[(&str, FileKind)] = &[
    ("OauthOidc.settings-meta.xml", FileKind::OauthOidcSettings),
    ("OauthOidc.settings", FileKind::OauthOidcSettings),
    ("Security.settings-meta.xml", FileKind::SecuritySettings),
    ("Security.settings", FileKind::SecuritySettings),
];

/// What kind of file `path` (relative, `/`-separated) is, or `None` when silt does not read it.
pub fn classify(path: &str) -> Option<FileKind> {
    let path = path.replace('\\', "/");
    let file = path.rsplit('/').next().unwrap_or(&path);
    for (suffix, kind) in SUFFIXES {
        if file.len() > suffix.len() && file.ends_with(suffix) {
            return Some(kind.clone());
        }
    }
    if let Some((_, kind)) = SETTINGS.iter().find(|(name, _)| file == *name) {
        return Some(kind.clone());
    }
    // Decomposed permission sets: permissionsets/<Name>/**/*-meta.xml
    if file.ends_with("-meta.xml") {
        let parts: Vec<&str> = path.split('/').collect();
        if let Some(i) = parts.iter().rposition(|p| *p == "permissionsets") {
            if parts.len() >= i + 3 {
                return Some(FileKind::PermissionSetPart {
                    set: decode_name(parts[i + 1]),
                });
            }
        }
        return None;
    }
    let lower = file.to_ascii_lowercase();
    if lower == "silt.toml" {
        return Some(FileKind::Config);
    }
    if lower == "sfdx-project.json" {
        return Some(FileKind::SfdxProject);
    }
    if lower.ends_with(".json") {
        if lower.contains("user-def") || lower.contains("userdef") {
            return Some(FileKind::UserDef);
        }
        let in_orgs = path.split('/').rev().nth(1).is_some_and(|d| d == "orgs");
        if lower.contains("scratch-def") || lower.contains("scratchdef") || in_orgs {
            return Some(FileKind::ScratchDef);
        }
        if lower == "package.json"
            || lower == "package-lock.json"
            || lower.starts_with("tsconfig")
            || lower.starts_with(".")
        {
            return None;
        }
        return Some(FileKind::JsonData);
    }
    if lower.ends_with(".csv") {
        return Some(FileKind::Csv);
    }
    if lower.ends_with(".xml")
        && !lower.ends_with("-meta.xml")
        && lower != "package.xml"
        && !lower.starts_with("destructivechanges")
    {
        return Some(FileKind::BulkXml);
    }
    None
}

/// The API name from a file path: the file name without its suffix, percent-decoded.
pub fn api_name(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file.strip_suffix("-meta.xml").unwrap_or(file);
    let stem = match stem.rfind('.') {
        Some(i) if i > 0 => &stem[..i],
        _ => stem,
    };
    decode_name(stem)
}

/// Percent-decode a metadata file name (`Custom%3A Marketing Profile` → `Custom: Marketing Profile`).
pub fn decode_name(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lists_every_kind() {
        let all = [
            FileKind::Profile,
            FileKind::PermissionSet,
            FileKind::PermissionSetPart { set: "S".into() },
            FileKind::MutingPermissionSet,
            FileKind::PermissionSetGroup,
            FileKind::ConnectedApp,
            FileKind::EcaPolicy,
            FileKind::EcaGlobalOauth,
            FileKind::EcaOauth,
            FileKind::OauthOidcSettings,
            FileKind::SecuritySettings,
            FileKind::ExternalCredential,
            FileKind::NamedCredential,
            FileKind::UserDef,
            FileKind::ScratchDef,
            FileKind::SfdxProject,
            FileKind::JsonData,
            FileKind::Csv,
            FileKind::BulkXml,
            FileKind::Config,
        ];
        assert_eq!(all.map(|k| k.name()), FileKind::NAMES);
    }

    #[test]
    fn kinds_and_names() {
        assert_eq!(
            classify("force-app/main/default/profiles/Admin.profile-meta.xml"),
            Some(FileKind::Profile)
        );
        assert_eq!(
            classify("src/profiles/Admin.profile"),
            Some(FileKind::Profile)
        );
        assert_eq!(
            classify("x/permissionsets/PS/PS.permissionset-meta.xml"),
            Some(FileKind::PermissionSet)
        );
        assert_eq!(
            classify("x/permissionsets/PS/objectSettings/Account.objectSettings-meta.xml"),
            Some(FileKind::PermissionSetPart { set: "PS".into() })
        );
        assert_eq!(
            classify("config/int-user-def.json"),
            Some(FileKind::UserDef)
        );
        assert_eq!(
            classify("config/project-scratch-def.json"),
            Some(FileKind::ScratchDef)
        );
        assert_eq!(
            classify("force-app/main/default/classes/A.cls-meta.xml"),
            None
        );
        assert_eq!(classify("package.xml"), None);
        assert_eq!(
            classify("force-app/main/default/settings/OauthOidc.settings-meta.xml"),
            Some(FileKind::OauthOidcSettings)
        );
        assert_eq!(
            classify("src/settings/Security.settings"),
            Some(FileKind::SecuritySettings)
        );
        assert_eq!(classify("src/settings/Account.settings"), None);
        assert_eq!(
            classify("x/externalCredentials/Erp.externalCredential-meta.xml"),
            Some(FileKind::ExternalCredential)
        );
        assert_eq!(
            classify("src/namedCredentials/Erp.namedCredential"),
            Some(FileKind::NamedCredential)
        );
        assert_eq!(
            api_name("profiles/Custom%3A Marketing Profile.profile-meta.xml"),
            "Custom: Marketing Profile"
        );
        assert_eq!(
            api_name("src/profiles/Work%2Ecom Only User.profile"),
            "Work.com Only User"
        );
    }
}
