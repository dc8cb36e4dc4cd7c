// The tricky project of the four-front-end parity tests (native CLI, `npx silt`, the browser page, the
// language server: packages/silt/tests/parity.test.mjs, web/tests/parity.test.mjs and
// editors/vscode/tests/parity.test.mjs). Every front end must select the same files and report the
// same findings on it; every file silt reads has at least one finding, so the findings show the list.
//
// Selection: a JSONC sfdx-project.json (comments, trailing commas) with two package directories,
// `.forceignore`, `.ignore`, `.gitignore` at two levels (one re-including a file), `.git/info/exclude`,
// hidden files and folders, node_modules, a folder outside the package directories, user data and
// config/ outside them, and (on disk, where the front end can see them) symbolic links: into the
// project, out of it, and broken.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A profile with a parse error (an unclosed tag): a `parse-error` finding wherever it is read. */
const MALFORMED = (name) => `<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <description>${name}</description>
    <userLicense>Salesforce</userLicense
</Profile>
`;

const PERMSET = `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Reader</label>
    <license>Salesforce</license>
    <userPermissions>
        <enabled>true</enabled>
        <name>ModifyAllData</name>
    </userPermissions>
</PermissionSet>
`;

const SFDX_PROJECT = `// The sf CLI reads JSON with comments and trailing commas.
{
  "packageDirectories": [
    { "path": "force-app", "default": true },
    /* a second package */
    { "path": "pkg2", },
  ],
  "sourceApiVersion": "62.0",
}
`;

/** Relative path → contents. */
export const FILES = {
  "sfdx-project.json": SFDX_PROJECT,
  "config/project-scratch-def.json": '{ "orgName": "Acme", "edition": "Enterprise", "features": [ }\n',
  // Assigns a permission set of the Salesforce license to an integration user: a cross-file finding.
  "config/integration-user-def.json": JSON.stringify(
    { Username: "int@acme.example", profileName: "Minimum Access - API Only Integrations", permsets: ["Reader"] },
    null,
    2,
  ),
  ".forceignore": "# Salesforce's ignore file\n**/ForceIgnored.profile-meta.xml\n",
  ".ignore": "DotIgnored.profile-meta.xml\n",
  ".gitignore": "*.log\ndata/private/\n",
  ".git/info/exclude": "GitExcluded.profile-meta.xml\n",
  ".git/HEAD": "ref: refs/heads/main\n",
  "force-app/main/.gitignore": "Nested*.profile-meta.xml\n!NestedKept.profile-meta.xml\n",
  "force-app/main/default/profiles/Linted.profile-meta.xml": MALFORMED("Linted"),
  "force-app/main/default/profiles/NestedKept.profile-meta.xml": MALFORMED("NestedKept"),
  "force-app/main/default/profiles/NestedIgnored.profile-meta.xml": MALFORMED("NestedIgnored"),
  "force-app/main/default/profiles/ForceIgnored.profile-meta.xml": MALFORMED("ForceIgnored"),
  "force-app/main/default/profiles/DotIgnored.profile-meta.xml": MALFORMED("DotIgnored"),
  "force-app/main/default/profiles/GitExcluded.profile-meta.xml": MALFORMED("GitExcluded"),
  "force-app/main/default/profiles/.Hidden.profile-meta.xml": MALFORMED("Hidden file"),
  "force-app/main/default/.hidden/Hidden.profile-meta.xml": MALFORMED("Hidden folder"),
  "force-app/main/default/permissionsets/Reader.permissionset-meta.xml": PERMSET,
  "force-app/node_modules/pkg/Module.profile-meta.xml": MALFORMED("node_modules"),
  "pkg2/profiles/Second.profile-meta.xml": MALFORMED("Second package"),
  "unpackaged/profiles/Outside.profile-meta.xml": MALFORMED("outside the package directories"),
  "data/users.csv": "Username,IsActive,Profile.Name\nint@acme.example,true,Minimum Access - API Only Integrations\nbroken,\"unterminated\n",
  "data/private/secret.csv": "Username\nsecret@acme.example\n",
  "data/build.log": "not read\n",
};

/** The files silt must select (the findings show them), for a readable failure and a check of the
 * fixture itself. */
export const SELECTED = [
  "config/integration-user-def.json",
  "config/project-scratch-def.json",
  "data/users.csv",
  "force-app/main/default/permissionsets/Reader.permissionset-meta.xml",
  "force-app/main/default/profiles/Linted.profile-meta.xml",
  "force-app/main/default/profiles/NestedKept.profile-meta.xml",
  "pkg2/profiles/Second.profile-meta.xml",
  "sfdx-project.json",
];

/**
 * Write the project into `<base>/tricky` (`base`: a new temporary folder, real path, unless given);
 * `symlinks` adds the links (a folder link into the project, a file link out of it, a broken one).
 * Returns `{dir, cleanup}`.
 */
export function writeProject({ symlinks = true, base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "silt-parity-"))) } = {}) {
  const dir = path.join(base, "tricky");
  for (const [rel, contents] of Object.entries(FILES)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, contents);
  }
  if (symlinks) {
    fs.writeFileSync(path.join(base, "Elsewhere.profile-meta.xml"), MALFORMED("outside the project"));
    fs.symlinkSync("../../../pkg2", path.join(dir, "force-app/main/default/linked"));
    fs.symlinkSync(path.join(base, "Elsewhere.profile-meta.xml"), path.join(dir, "force-app/main/default/profiles/Out.profile-meta.xml"));
    fs.symlinkSync("nowhere", path.join(dir, "force-app/main/default/profiles/Broken.profile-meta.xml"));
  }
  return { dir, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/** The native CLI: $SILT_NATIVE, else target/release/silt (built with cargo when missing). */
export function nativeSilt() {
  if (process.env.SILT_NATIVE) return process.env.SILT_NATIVE;
  const bin = path.join(REPO, "target", "release", "silt");
  if (!fs.existsSync(bin)) {
    const r = spawnSync("cargo", ["build", "--release", "-p", "silt-cli"], { cwd: REPO, stdio: "inherit" });
    if (r.status !== 0) throw new Error("cargo build --release -p silt-cli failed");
  }
  return bin;
}

/** `silt lint --format json` in `dir` (the whole project, as the other front ends open it). */
export function nativeReport(dir, args = []) {
  const r = spawnSync(nativeSilt(), ["lint", "--format", "json", "--fail-on", "never", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`silt lint exited ${r.status}: ${r.stderr}`);
  return { report: JSON.parse(r.stdout), stderr: r.stderr };
}

/** The files a report has findings in, sorted. */
export function filesWithFindings(report) {
  return [...new Set(report.diagnostics.map((d) => d.file))].sort();
}

/** A project big enough for worker threads (lib/pool.js): the example project with every profile,
 * permission set, connected app and muting permission set copied `copies` times under other names
 * (about 20 files a copy), the example rule pack loaded by a silt.toml, and a file whose name is not
 * UTF-8 (discovery reports it unread). Returns `{dir, cleanup}`. */
export function writeCopies(copies) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "silt-copies-")));
  fs.cpSync(path.join(REPO, "examples", "integration-gone-wrong"), dir, { recursive: true });
  const meta = path.join(dir, "force-app", "main", "default");
  for (const sub of ["profiles", "permissionsets", "connectedApps", "mutingpermissionsets"]) {
    for (const name of fs.readdirSync(path.join(meta, sub))) {
      const [stem, ...rest] = name.split(".");
      for (let k = 1; k <= copies; k++) {
        fs.copyFileSync(path.join(meta, sub, name), path.join(meta, sub, [`${stem} Copy ${k}`, ...rest].join(".")));
      }
    }
  }
  fs.mkdirSync(path.join(dir, "policies"));
  fs.copyFileSync(path.join(REPO, "rules", "examples", "least-privilege.toml"), path.join(dir, "policies", "lp.toml"));
  fs.writeFileSync(path.join(dir, "silt.toml"), 'custom_rules = ["policies/lp.toml"]\n[rules]\ndescription-required = "off"\n');
  const bad = Buffer.concat([Buffer.from(`${path.join(meta, "profiles")}/Bad`), Buffer.from([0xff]), Buffer.from(".profile-meta.xml")]);
  fs.writeFileSync(bad, "<Profile/>");
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
