//! Typed metadata: only what the rules need, each value with its location.

use crate::diagnostic::Location;
use serde::{Deserialize, Serialize};

/// A value read from a file with the location of the value (and of its element).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Val {
    pub value: String,
    /// The value text itself (for fixes and precise pointers).
    pub at: Location,
    /// The whole element holding the value (for suppressions and related locations).
    pub element: Location,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserPermission {
    pub name: Val,
    pub enabled: Option<Val>,
}

impl UserPermission {
    pub fn is_enabled(&self) -> bool {
        self.enabled
            .as_ref()
            .is_some_and(|e| e.value.eq_ignore_ascii_case("true"))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectPermission {
    pub object: String,
    pub element: Location,
    /// Admin-level flags set true here (`modifyAllRecords`, `viewAllRecords`), with locations.
    pub flags: Vec<Val>,
    /// Which of [`OBJECT_FLAGS`] are `true` (bit `i` for `OBJECT_FLAGS[i]`), and [`VIEW_ALL_FIELDS`].
    pub enabled: u8,
    /// Every boolean child with its location, kept only when [`missing_object_flags`] finds a broken
    /// dependency (the only time a rule needs them; large profiles have thousands of these).
    pub settings: Vec<Flag>,
}

/// A named boolean child (`allowRead`, `editable`, …) with its location.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flag {
    pub name: String,
    pub value: Val,
}

/// The object permission flags in dependency order, as the Metadata API names them.
pub const OBJECT_FLAGS: [&str; 6] = [
    "allowRead",
    "allowCreate",
    "allowEdit",
    "allowDelete",
    "viewAllRecords",
    "modifyAllRecords",
];

/// Bit of [`ObjectPermission::enabled`] for `viewAllFields` (API 63+), after the [`OBJECT_FLAGS`] bits.
pub const VIEW_ALL_FIELDS: u8 = 1 << 6;

/// What each of [`OBJECT_FLAGS`] requires (as a bit mask over the same list): create, edit and delete
/// need read; delete needs edit; view all needs read; modify all needs view all, edit and delete.
/// Source: Object reference ObjectPermissions (PermissionsCreate … PermissionsModifyAllRecords).
const OBJECT_REQUIRES: [u8; 6] = [0, 0b000001, 0b000001, 0b000101, 0b000001, 0b011101];

/// The flags an object permission with `enabled` set lacks, as a bit mask over [`OBJECT_FLAGS`]
/// (dependencies followed transitively). Zero when nothing is broken.
pub fn missing_object_flags(enabled: u8) -> u8 {
    let mut need = 0u8;
    let mut have = enabled;
    loop {
        let mut more = 0u8;
        for (i, req) in OBJECT_REQUIRES.iter().enumerate() {
            if have & (1 << i) != 0 {
                more |= req;
            }
        }
        if more & !have == 0 {
            break;
        }
        need |= more & !have;
        have |= more;
    }
    need & !enabled
}

/// A field permission that is `editable` without being `readable` (the only ones a rule needs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldPermission {
    pub field: String,
    pub element: Location,
    pub editable: Val,
    /// The `readable` element, when present (to fix it in place).
    pub readable: Option<Val>,
}

/// The kind of an [`AccessEntry`]: the access lists of profiles and permission sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// `fieldPermissions` (bits: 1 readable, 2 editable).
    Field,
    /// `classAccesses`.
    ApexClass,
    /// `pageAccesses`.
    ApexPage,
    /// `applicationVisibilities` (visible).
    Application,
    /// `tabSettings` / `tabVisibilities` (any visibility but hidden / none).
    Tab,
    /// `customPermissions`.
    CustomPermission,
}

impl EntryKind {
    /// The `kind` the access JSON gives grants of this entry.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Field => "fieldPermission",
            EntryKind::ApexClass => "apexClass",
            EntryKind::ApexPage => "apexPage",
            EntryKind::Application => "application",
            EntryKind::Tab => "tab",
            EntryKind::CustomPermission => "customPermission",
        }
    }
}

/// A granted entry of an access list (only granted entries are kept): its name, what it grants and where.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessEntry {
    pub kind: EntryKind,
    pub name: String,
    /// Fields: 1 readable, 2 editable; other kinds: 1.
    pub bits: u8,
    pub at: Location,
}

/// Which metadata type a permission-set-shaped file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PermKind {
    Profile,
    PermissionSet,
    MutingPermissionSet,
}

impl PermKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PermKind::Profile => "Profile",
            PermKind::PermissionSet => "PermissionSet",
            PermKind::MutingPermissionSet => "MutingPermissionSet",
        }
    }
}

/// A profile, permission set or muting permission set (decomposed permission sets are merged).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PermissionContainer {
    pub kind: PermKind,
    /// API name (decoded file name or `<fullName>`).
    pub name: String,
    pub label: Option<Val>,
    /// Profile `<userLicense>`, or permission set `<license>` / deprecated `<userLicense>`.
    pub license: Option<Val>,
    pub custom: Option<bool>,
    pub user_permissions: Vec<UserPermission>,
    pub object_permissions: Vec<ObjectPermission>,
    /// Field permissions that are editable but not readable.
    pub field_permissions: Vec<FieldPermission>,
    /// `externalCredentialPrincipalAccesses` (`name` is the `externalCredentialPrincipal`).
    pub external_credential_principals: Vec<UserPermission>,
    /// Granted custom permissions always; granted fields, Apex classes, pages, apps and tabs when the
    /// linter keeps access detail (`silt access`) or the container is a muting permission set.
    pub access: Vec<AccessEntry>,
    pub login_ip_ranges: usize,
    /// The profile's `<loginHours>` element, if any.
    pub login_hours: Option<Location>,
    pub description: Option<Val>,
    /// The root element of the main file (where file-level findings point).
    pub root: Location,
    /// Where a new child element can be inserted (zero-width, before the root's closing tag), and how
    /// to format it so the file keeps its style.
    pub insert: Option<InsertPoint>,
    /// Every file this container was read from.
    pub files: Vec<String>,
    /// True when read from a part of a decomposed permission set (merged later).
    pub partial: bool,
}

impl PermissionContainer {
    pub fn permission(&self, name: &str) -> Option<&UserPermission> {
        self.user_permissions.iter().find(|p| p.name.value == name)
    }
    pub fn label_or_name(&self) -> &str {
        self.label
            .as_ref()
            .map(|l| l.value.as_str())
            .unwrap_or(&self.name)
    }
}

/// A zero-width place to insert child elements, with the file's indentation and line ending.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InsertPoint {
    pub at: Location,
    /// Indentation of one level (e.g. four spaces or a tab); empty for one-line files.
    pub indent: String,
    /// `\n`, `\r\n`, or empty for one-line files.
    pub newline: String,
}

impl InsertPoint {
    /// Format `<tag><child>value</child>...</tag>` in the file's style.
    pub fn element(&self, tag: &str, children: &[(&str, &str)]) -> String {
        let (i, nl) = (&self.indent, &self.newline);
        let mut s = format!("{i}<{tag}>{nl}");
        for (k, v) in children {
            s.push_str(&format!("{i}{i}<{k}>{v}</{k}>{nl}"));
        }
        s.push_str(&format!("{i}</{tag}>{nl}"));
        s
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PermissionSetGroup {
    pub name: String,
    pub label: Option<Val>,
    pub permission_sets: Vec<Val>,
    pub muting_permission_sets: Vec<Val>,
    pub root: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppKind {
    ConnectedApp,
    /// External Client App OAuth policy (`*.ecaOauthPlcy-meta.xml`).
    EcaPolicy,
    /// External Client App global OAuth settings (`*.ecaGlblOauth-meta.xml`).
    EcaGlobalOauth,
    /// External Client App OAuth settings (`*.ecaOauth-meta.xml`).
    EcaOauth,
}

/// A connected app or an External Client App policy/settings file, normalised.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    pub kind: AppKind,
    /// The file's API name (file name or `fullName`): the connected app, or the ECA policy/settings file.
    pub name: String,
    pub label: Option<Val>,
    /// `isClientCredentialEnabled` / `isClientCredentialsFlowEnabled`.
    pub client_credentials_enabled: Option<Val>,
    /// `oauthClientCredentialUser` / `clientCredentialsFlowUser`.
    pub client_credentials_user: Option<Val>,
    /// Permission sets by label (`permissionSetName`), or ECA `commaSeparatedPermissionSet` entries.
    pub permission_sets: Vec<Val>,
    pub profiles: Vec<Val>,
    pub scopes: Vec<Val>,
    pub callback_urls: Vec<Val>,
    /// `ipRelaxation` / `ipRelaxationPolicyType`.
    pub ip_relaxation: Option<Val>,
    /// `isAdminApproved`, or ECA `permittedUsersPolicyType`.
    pub admin_approval: Option<Val>,
    /// `certificate` (connected app `oauthConfig`, ECA global OAuth settings): the JWT bearer flow.
    pub certificate: Option<Val>,
    /// `consumerSecret` (connected app `oauthConfig`, ECA global OAuth settings).
    pub consumer_secret: Option<Val>,
    /// `refreshTokenPolicy` / `refreshTokenPolicyType`.
    pub refresh_token_policy: Option<Val>,
    /// ECA files: the `externalClientApplication` they belong to.
    pub external_client_application: Option<Val>,
    /// The `oauthConfig` element (or the root for ECA files).
    pub oauth: Location,
    pub root: Location,
}

impl App {
    /// The app's API name: the connected app's, or that of the External Client App an ECA file belongs to.
    pub fn api_name(&self) -> &str {
        self.eca_name().unwrap_or(&self.name)
    }

    /// ECA files: the name of the External Client App they belong to, when given.
    fn eca_name(&self) -> Option<&str> {
        self.external_client_application
            .as_ref()
            .map(|v| v.value.trim())
            .filter(|a| !a.is_empty())
    }

    /// How findings name the app: ``connected app `Billing_Sync` `` or
    /// ``external client app `Erp_Connector` (OAuth policy `Erp_Connector_oauthPlcy`)``.
    pub fn describe(&self) -> String {
        let part = match self.kind {
            AppKind::ConnectedApp => return format!("connected app `{}`", self.name),
            AppKind::EcaPolicy => "OAuth policy",
            AppKind::EcaGlobalOauth => "global OAuth settings",
            AppKind::EcaOauth => "OAuth settings",
        };
        match self.eca_name() {
            Some(app) => format!("external client app `{app}` ({part} `{}`)", self.name),
            None => format!("external client app {part} `{}`", self.name),
        }
    }

    pub fn cc_enabled(&self) -> bool {
        self.client_credentials_enabled
            .as_ref()
            .is_some_and(|v| v.value.eq_ignore_ascii_case("true"))
    }
}

/// Org settings silt reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsKind {
    OauthOidc,
    Security,
}

/// An org settings file: its leaf values by path (`blockOAuthUnPwFlow`,
/// `sessionSettings.forceLogoutOnSessionTimeout`, …).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgSettings {
    pub kind: SettingsKind,
    pub values: Vec<Flag>,
    pub root: Location,
}

impl OrgSettings {
    pub fn get(&self, path: &str) -> Option<&Val> {
        self.values
            .iter()
            .find(|f| f.name == path)
            .map(|f| &f.value)
    }
}

/// An external credential and the principals it defines (`externalCredentialParameters` of type
/// `NamedPrincipal` or `PerUserPrincipal`; the principal name is the `parameterName`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExternalCredential {
    pub name: String,
    pub principals: Vec<Val>,
    pub root: Location,
}

/// A named credential and the external credentials its parameters name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NamedCredential {
    pub name: String,
    pub external_credentials: Vec<Val>,
    pub root: Location,
}

/// Where user data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserSource {
    /// `config/*user-def*.json` (scratch org user definition).
    UserDef,
    /// `sf data query --json` output.
    QueryJson,
    /// CSV export with User columns.
    Csv,
    /// Bulk API XML query result.
    BulkXml,
}

impl UserSource {
    /// The name custom `User` rules test (`field = "source"`).
    pub fn label(self) -> &'static str {
        match self {
            UserSource::UserDef => "user-def",
            UserSource::QueryJson => "query-json",
            UserSource::Csv => "csv",
            UserSource::BulkXml => "bulk-xml",
        }
    }
}

/// One user record from one source. Records with the same username are merged by the Org.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    pub source: UserSource,
    /// Username; `None` for a user-def without `Username` (the scratch org generates one).
    pub username: Option<Val>,
    pub profile: Option<Val>,
    /// `Profile.UserLicense.Name`.
    pub license: Option<Val>,
    /// `IsActive` (absent means active).
    pub active: Option<bool>,
    /// `Profile.PermissionsApiUserOnly` when exported.
    pub api_only: Option<bool>,
    /// Permission sets (or groups) assigned by this record.
    pub permission_sets: Vec<Val>,
    /// Permission set licenses assigned by this record.
    pub permission_set_licenses: Vec<Val>,
    /// The record itself (row, object, element).
    pub at: Location,
}

/// Assignments exported as data (PermissionSetAssignment / PermissionSetLicenseAssignment rows).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Assignment {
    pub username: String,
    /// Permission set / group name, or permission set license DeveloperName / label.
    pub target: Val,
    pub license: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackageDirectory {
    pub path: String,
    pub package: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub package_directories: Vec<PackageDirectory>,
    pub at: Location,
}

/// Everything one file contributes to the org.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)] // one per file; boxing buys nothing
pub enum Metadata {
    Permissions(PermissionContainer),
    Group(PermissionSetGroup),
    App(App),
    Users(Vec<UserRecord>),
    Assignments(Vec<Assignment>),
    Edition(Val),
    Project(Project),
    Settings(OrgSettings),
    ExternalCredential(ExternalCredential),
    NamedCredential(NamedCredential),
}
