{
  "version": 1,
  "entries": [
    {
      "fingerprint": "b967455428d529ed",
      "rule": "integration-permset-license-mismatch",
      "file": "examples/integration-gone-wrong/config/integration-user-def.json",
      "element": "grant[int-svc@acme.example->Sales_Admin_Tools]",
      "message": "integration user `int-svc@acme.example` gets permission set `Sales_Admin_Tools` assigned, but its license `Salesforce` is not available to Salesforce Integration users: the org rejects the assignment"
    },
    {
      "fingerprint": "fbf7ebcefbb39a34",
      "rule": "integration-deprecated-profile",
      "file": "examples/integration-gone-wrong/config/legacy-user-def.json",
      "element": "user[legacy-etl@acme.example].profile",
      "message": "user `legacy-etl@acme.example` uses the deprecated profile `Salesforce API Only System Integrations`, which is not available in newly provisioned orgs; use `Minimum Access - API Only Integrations`"
    },
    {
      "fingerprint": "8d6dc0bc753e59de",
      "rule": "integration-license-capacity",
      "file": "examples/integration-gone-wrong/data/users.csv",
      "element": "capacity",
      "message": "6 active Salesforce Integration users exceed the 5 seats of this org (5 free in Enterprise edition + 0 purchased): 1 add-on seat needed, $10.00 per month at $10.00/user/month"
    },
    {
      "fingerprint": "fc81b584ec0a19a5",
      "rule": "client-credentials-user-not-integration",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml",
      "element": "clientCredentialsUser",
      "message": "run-as user `billing-admin@acme.example` of connected app `Billing_Sync` is not on the Salesforce Integration license (Salesforce); use a dedicated API-only Salesforce Integration user"
    },
    {
      "fingerprint": "16a91df89cf95fc4",
      "rule": "connected-app-full-scope",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml",
      "element": "scopes[Full]",
      "message": "connected app `Billing_Sync` requests the `Full` OAuth scope; request only what the integration needs (e.g. `Api`)"
    },
    {
      "fingerprint": "17296a68a2ecc751",
      "rule": "connected-app-http-callback",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml",
      "element": "callbackUrl[http://billing.acme.example/oauth/callback]",
      "message": "connected app `Billing_Sync` has an http:// callback URL `http://billing.acme.example/oauth/callback`; use https"
    },
    {
      "fingerprint": "68872937cde9948b",
      "rule": "connected-app-ip-relaxation-bypass",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml",
      "element": "ipRelaxation",
      "message": "connected app `Billing_Sync` relaxes IP restrictions (`BYPASS`): tokens work from any address"
    },
    {
      "fingerprint": "959248887bc9051a",
      "rule": "connected-app-open-access",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml",
      "element": "adminApproval",
      "message": "connected app `Billing_Sync` lets every user self-authorize; require admin-approved, pre-authorized users"
    },
    {
      "fingerprint": "05e9b86ccd7e6024",
      "rule": "integration-user-shared",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Inventory_Feed.connectedApp-meta.xml",
      "element": "clientCredentialsUser",
      "message": "`int-sync@acme.example` is the run-as user of `Inventory_Feed` and also of `Warehouse_Sync`: use one integration user per integration so every transaction is traceable"
    },
    {
      "fingerprint": "c6c6729aa3a53fd3",
      "rule": "integration-permset-license-mismatch",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Warehouse_Sync.connectedApp-meta.xml",
      "element": "grant[int-sync@acme.example->Sales_Admin_Tools]",
      "message": "integration user `int-sync@acme.example` gets permission set `Sales_Admin_Tools` through a connected app it runs, but its license `Salesforce` is not available to Salesforce Integration users: the org rejects the assignment"
    },
    {
      "fingerprint": "5ff15a40eda49ff3",
      "rule": "integration-user-shared",
      "file": "examples/integration-gone-wrong/force-app/main/default/connectedApps/Warehouse_Sync.connectedApp-meta.xml",
      "element": "clientCredentialsUser",
      "message": "`int-sync@acme.example` is the run-as user of `Warehouse_Sync` and also of `Inventory_Feed`: use one integration user per integration so every transaction is traceable"
    },
    {
      "fingerprint": "7921e54094a81520",
      "rule": "client-credentials-user-missing",
      "file": "examples/integration-gone-wrong/force-app/main/default/extlClntAppOauthPolicies/Erp_Connector_oauthPlcy.ecaOauthPlcy-meta.xml",
      "element": "clientCredentials",
      "message": "external client app `Erp_Connector_oauthPlcy` enables the client credentials flow without a run-as user: set `clientCredentialsFlowUser` to a dedicated API-only integration user"
    },
    {
      "fingerprint": "39f33d8d6bd716a2",
      "rule": "integration-excessive-permission",
      "file": "examples/integration-gone-wrong/force-app/main/default/permissionsets/Integration_Sync.permissionset-meta.xml",
      "element": "objectPermissions[viewAll/modifyAll]",
      "message": "integration permission set `Integration_Sync` grants modifyAllRecords/viewAllRecords on 1 object: Order (viewAllRecords)"
    },
    {
      "fingerprint": "c737b5032cb01798",
      "rule": "integration-excessive-permission",
      "file": "examples/integration-gone-wrong/force-app/main/default/permissionsets/Integration_Sync.permissionset-meta.xml",
      "element": "userPermissions[ViewAllData]",
      "message": "integration permission set `Integration_Sync` grants ViewAllData (tier 0 admin-level permission): integration users should have least privilege"
    },
    {
      "fingerprint": "49aa28fecbf8f207",
      "rule": "integration-excessive-permission",
      "file": "examples/integration-gone-wrong/force-app/main/default/permissionsets/Sales_Admin_Tools.permissionset-meta.xml",
      "element": "userPermissions[ExportReport]",
      "message": "integration permission set `Sales_Admin_Tools` grants ExportReport (tier 2 admin-level permission): integration users should have least privilege"
    },
    {
      "fingerprint": "bb30061f0010e3e2",
      "rule": "integration-excessive-permission",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "userPermissions[ViewSetup]",
      "message": "integration profile `Integration Sync` grants ViewSetup (tier 2 admin-level permission): integration users should have least privilege"
    },
    {
      "fingerprint": "c05e2d4093421c05",
      "rule": "integration-excessive-permission",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "objectPermissions[viewAll/modifyAll]",
      "message": "integration profile `Integration Sync` grants modifyAllRecords/viewAllRecords on 1 object: Account (modifyAllRecords, viewAllRecords)"
    },
    {
      "fingerprint": "ac4bfbb0263ce45b",
      "rule": "integration-profile-no-ip-restriction",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "Profile",
      "message": "integration profile `Integration Sync` has no loginIpRanges: its users can call the API from any address"
    },
    {
      "fingerprint": "151fb300bee5a2b3",
      "rule": "integration-profile-not-api-only",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "userPermissions[ApiEnabled]",
      "message": "integration profile `Integration Sync` disables ApiEnabled; Salesforce Integration users must stay API-only"
    },
    {
      "fingerprint": "80744469d5a2b1b4",
      "rule": "integration-profile-not-api-only",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "userPermissions[ApiUserOnly]",
      "message": "integration profile `Integration Sync` declares `ApiOnlyUser`, a misspelling of ApiUserOnly: as written it does not keep the profile API-only"
    },
    {
      "fingerprint": "c31eec65a85aeb8a",
      "rule": "permission-name-typo",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "userPermissions[ApiOnlyUser]",
      "message": "unknown user permission `ApiOnlyUser` in `Integration Sync` (the deploy fails with \"Unknown user permission: ApiOnlyUser\"); the API name is `ApiUserOnly`"
    },
    {
      "fingerprint": "6c427e8c7dac5aaa",
      "rule": "suppression-missing-reason",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml",
      "element": "suppression[integration-excessive-permission]",
      "message": "suppression of integration-excessive-permission has no reason; add one after a colon: `integration-excessive-permission: <why>`"
    },
    {
      "fingerprint": "e51894842091cec0",
      "rule": "integration-license-candidate",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Reporting API.profile-meta.xml",
      "element": "userPermissions[ApiUserOnly]",
      "message": "profile `Reporting API` is API-only on a full Salesforce license: its users could use the cheaper `Salesforce Integration` license"
    },
    {
      "fingerprint": "e3c238d4ea2aac03",
      "rule": "unused-suppression",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Reporting API.profile-meta.xml",
      "element": "suppression[connected-app-full-scope]",
      "message": "unused suppression: no connected-app-full-scope finding here to silence; remove the comment"
    },
    {
      "fingerprint": "62c3490345d85e0f",
      "rule": "integration-deprecated-profile",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Salesforce API Only System Integrations.profile-meta.xml",
      "element": "Profile",
      "message": "profile `Salesforce API Only System Integrations` is deprecated and not available in newly provisioned orgs; use `Minimum Access - API Only Integrations`"
    },
    {
      "fingerprint": "410b7916ee6a5845",
      "rule": "parse-error",
      "file": "examples/integration-gone-wrong/force-app/main/default/profiles/Warehouse Robot.profile-meta.xml",
      "element": "",
      "message": "unexpected end of file: <startAddress> is never closed"
    }
  ]
}
