// The JS API of the Wasm build: results, errors as thrown Errors, and no trap on any input.
import assert from "node:assert/strict";
import { test } from "node:test";
import "../test-helpers.mjs";
import fs from "node:fs";
import path from "node:path";
import { MALFORMED_PROFILE, CLEAN_PERMSET, repoDir } from "../test-helpers.mjs";
import * as silt from "../index.js";

/** `f` throws an `Error` (not a Wasm trap) whose message matches `re`. */
function throwsError(f, re) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), String(e));
    assert.match(e.message, re);
    return true;
  });
}

const PROFILE = "force-app/main/default/profiles/Broken.profile-meta.xml";

test("a malformed profile gives a parse-error with its line and column", () => {
  const r = silt.lint([{ path: PROFILE, contents: MALFORMED_PROFILE }]);
  assert.equal(r.version, 1);
  assert.equal(r.tool.name, "silt");
  const d = r.diagnostics.find((x) => x.rule === "parse-error");
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.severity, "error");
  assert.equal(d.file, PROFILE);
  assert.ok(d.range.start.line >= 4, `line ${d.range.start.line}`);
  assert.ok(d.range.start.column >= 1);
  assert.equal(typeof d.range.start.columnUtf16, "number");
  assert.equal(typeof d.fingerprint, "string");
  assert.equal(r.summary.files, 1);
  assert.ok(r.summary.errors >= 1);
  assert.equal(r.fails, true);
  assert.equal(typeof r.summary.license.monthlyCost, "number");
});

test("a clean permission set does not fail", () => {
  const r = silt.lint([{ path: "force-app/main/default/permissionsets/Reader.permissionset-meta.xml", contents: CLEAN_PERMSET }]);
  assert.equal(r.summary.files, 1);
  assert.equal(r.diagnostics.filter((d) => d.rule === "parse-error").length, 0);
});

test("a bad configuration throws an Error with file:line:col", () => {
  assert.throws(() => silt.lint([], { config: 'fail_on = "error"\n[rules]\nintegration-profil-not-api-only = "off"\n' }), (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^silt\.toml:3:1: unknown rule `integration-profil-not-api-only`/);
    return true;
  });
  throwsError(() => silt.lint([], { config: "fail_on = 3\n", configPath: "conf/silt.toml" }), /^conf\/silt\.toml:1:11: /);
  throwsError(() => silt.lint([], { config: "[org]\neditoin = 'Enterprise'\n" }), /^silt\.toml:2:1: .*did you mean `edition`/);
  throwsError(() => silt.customRuleFiles("[nope]\n"), /^silt\.toml:1:/);
  throwsError(() => new silt.Linter({ config: "[rules\n" }), /^silt\.toml:1:/);
});

test("configuration errors carry file, line, column and reason (no message parsing)", () => {
  /** The thrown Error's structured fields. */
  const fields = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), String(e));
      return { file: e.file, line: e.line, column: e.column, reason: e.reason };
    }
    assert.fail("no error thrown");
  };
  const failOn = fields(() => silt.lint([], { config: "fail_on = 3\n", configPath: "conf/silt.toml" }));
  assert.deepEqual([failOn.file, failOn.line, failOn.column], ["conf/silt.toml", 1, 11]);
  assert.equal(typeof failOn.reason, "string");
  assert.ok(failOn.reason.length > 0 && !failOn.reason.startsWith("conf/silt.toml"), failOn.reason);
  const typo = fields(() => silt.lintText([], { config: "[org]\neditoin = 'Enterprise'\n", format: "sarif" }));
  assert.equal(typo.file, "silt.toml");
  assert.equal(typo.line, 2);
  assert.equal(typo.column, 1);
  assert.match(typo.reason, /did you mean `edition`/);
  assert.ok(!typo.reason.startsWith("silt.toml"), typo.reason);
  assert.deepEqual(
    [fields(() => silt.customRuleFiles("[nope]\n")), fields(() => new silt.Linter({ config: "[rules\n" }))].map((f) => [f.file, f.line]),
    [["silt.toml", 1], ["silt.toml", 1]],
  );
  const baseline = fields(() => silt.lint([], { baseline: "{", baselinePath: "b.json" }));
  assert.equal(baseline.file, "b.json");
  assert.equal(typeof baseline.line, "number");
  // A custom rule file that is not text: the file and the reason, no position.
  const rules = fields(() =>
    silt.lint([], { config: 'custom_rules = ["r.toml"]\n', customRules: [{ path: "r.toml", contents: new Uint8Array([0xff, 0xfe, 0x00, 0xd8]) }] }),
  );
  assert.equal(rules.file, "r.toml");
  assert.equal(rules.line, undefined);
  assert.equal(typeof rules.reason, "string");
  // Badly shaped arguments are plain Errors.
  assert.equal(fields(() => silt.lint([], { format: "xml" })).file, undefined);
});

test("the configuration changes severities and fail_on", () => {
  const files = [{ path: PROFILE, contents: MALFORMED_PROFILE }];
  const r = silt.lint(files, { config: '[rules]\nparse-error = "warning"\n' });
  assert.equal(r.diagnostics.find((d) => d.rule === "parse-error").severity, "warning");
  assert.equal(r.fails, false);
  assert.equal(silt.lint(files, { config: 'fail_on = "warning"\n[rules]\nparse-error = "warning"\n' }).fails, true);
  assert.equal(silt.lint(files, { config: '[rules]\nparse-error = "warning"\n', failOn: "warning" }).fails, true);
  assert.deepEqual(silt.customRuleFiles('custom_rules = ["rules/a.toml"]\n'), ["rules/a.toml"]);
});

test("explain: markdown for a rule, an Error for an unknown one", () => {
  assert.match(silt.explain("parse-error"), /^# parse-error\n/);
  assert.throws(() => silt.explain("parse-eror"), (e) => e instanceof Error && /unknown rule `parse-eror`; did you mean `parse-error`\?/.test(e.message));
  assert.throws(() => silt.explain(42), Error);
  const names = silt.rules().map((r) => r.name);
  assert.ok(names.includes("parse-error"));
  assert.deepEqual(names, [...names].sort());
  for (const r of silt.rules()) assert.match(silt.explain(r.name), new RegExp(`^# ${r.name}\\n`));
});

test("Uint8Array, Buffer, ArrayBuffer and string contents give the same result", () => {
  const text = MALFORMED_PROFILE.replace("Salesforce", "Salesforce “Intégration” 😀");
  const bytes = new TextEncoder().encode(text);
  const s = silt.lintJson([{ path: PROFILE, contents: text }]);
  assert.equal(silt.lintJson([{ path: PROFILE, contents: bytes }]), s);
  assert.equal(silt.lintJson([{ path: PROFILE, contents: Buffer.from(text) }]), s);
  assert.equal(silt.lintJson([{ path: PROFILE, contents: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }]), s);
  assert.deepEqual(JSON.parse(s), (({ fails, ...rest }) => rest)(silt.lint([{ path: PROFILE, contents: bytes }])));
});

test("lintJson is the JSON text of lint, and lintText renders every format", () => {
  const files = [{ path: PROFILE, contents: MALFORMED_PROFILE }];
  const json = silt.lintJson(files);
  assert.ok(json.endsWith("\n"));
  assert.equal(silt.lintText(files, { format: "json" }).text, json);
  for (const format of ["sarif", "junit", "github", "human"]) {
    const r = silt.lint(files, { format });
    assert.equal(typeof r.text, "string", format);
    assert.equal(r.fails, true, format);
    assert.deepEqual(silt.lintText(files, { format }), r);
  }
});

test("UTF-16 files with a byte-order mark are read, broken ones reported, never a trap", () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MALFORMED_PROFILE, "utf16le")]);
  const r = silt.lint([{ path: PROFILE, contents: le }]);
  assert.ok(r.diagnostics.some((d) => d.rule === "parse-error"));
  const be = Buffer.from(le);
  be[0] = 0xfe;
  be[1] = 0xff;
  for (let i = 2; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
  assert.equal(silt.lint([{ path: PROFILE, contents: be }]).summary.files, 1);
  for (const bytes of [[0xff, 0xfe], [0xff, 0xfe, 0x3c], [0xfe, 0xff, 0xd8, 0x00], [0xff, 0xfe, 0x00, 0xd8, 0x3c, 0x00], [0xef, 0xbb, 0xbf], [0xc3, 0x28, 0xa0]]) {
    const out = silt.lint([{ path: PROFILE, contents: new Uint8Array(bytes) }]);
    assert.equal(out.summary.files, 1);
  }
  const ok = silt.lint([{ path: "force-app/main/default/permissionsets/Reader.permissionset-meta.xml", contents: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CLEAN_PERMSET, "utf16le")]) }]);
  assert.equal(ok.diagnostics.filter((d) => d.rule === "parse-error").length, 0);
});

test("100,000-deep nested XML does not trap", () => {
  const n = 100_000;
  const deep = `<Profile>${"<a>".repeat(n)}${"</a>".repeat(n)}</Profile>`;
  const r = silt.lint([{ path: PROFILE, contents: deep }]);
  assert.equal(r.summary.files, 1);
  const unclosed = `<Profile>${"<a>".repeat(n)}`;
  assert.equal(silt.lint([{ path: PROFILE, contents: unclosed }]).summary.files, 1);
  const json = `${"[".repeat(n)}${"]".repeat(n)}`;
  assert.equal(typeof silt.lintJson([{ path: "config/deep-user-def.json", contents: json }, { path: "data/users.json", contents: json }]), "string");
});

test("arbitrary bytes never throw or trap", () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const paths = [PROFILE, "x/permissionsets/P.permissionset-meta.xml", "x/connectedApps/A.connectedApp-meta.xml", "config/a-user-def.json", "config/project-scratch-def.json", "data/users.csv", "data/users.json", "data/bulk.xml", "sfdx-project.json"];
  const pieces = ["<", ">", "</", "<?xml version=\"1.0\"?>", "<Profile>", "</Profile>", "<userPermissions><enabled>true</enabled><name>ModifyAllData</name></userPermissions>", "&amp;", "&#x0;", "<!--", "-->", "<![CDATA[", "]]>", "\"", "{", "}", "[", "]", ",", "\n", "\r", "\uFEFF", "é", "😀", "Username,ProfileId\n", "silt-ignore", "\u0000"];
  for (let i = 0; i < 300; i++) {
    let s = "";
    const len = Math.floor(rand() * 40);
    for (let j = 0; j < len; j++) s += pieces[Math.floor(rand() * pieces.length)];
    const bytes = Buffer.from(s);
    if (rand() < 0.3 && bytes.length) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    const r = silt.lint([{ path: paths[i % paths.length], contents: bytes }], { format: i % 2 ? "human" : "json" });
    assert.equal(typeof r, "object");
  }
});

test("badly shaped arguments throw an Error, not a RuntimeError", () => {
  const bad = [
    () => silt.lint("force-app"),
    () => silt.lint([42]),
    () => silt.lint([{ path: 1, contents: "" }]),
    () => silt.lint([{ path: "a.profile", contents: 5 }]),
    () => silt.lint([{ path: "a.profile" }]),
    () => silt.lint([], { format: "xml" }),
    () => silt.lint([], { failOn: "fatal" }),
    () => silt.lint([], { confg: "" }),
    () => silt.lint([], { config: 1 }),
    () => silt.lint([], "json"),
    () => silt.lint([], { customRules: "rules.toml" }),
    () => silt.classify(3),
    () => new silt.Linter({ format: "json" }),
  ];
  for (const f of bad) {
    assert.throws(f, (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError), String(f));
  }
  // Still usable afterwards.
  assert.equal(silt.lint([]).summary.files, 0);
});

test("files the host could not read are parse errors at 1:1", () => {
  const r = silt.lint([{ path: PROFILE, error: "cannot read file: Permission denied (os error 13)" }]);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].rule, "parse-error");
  assert.equal(r.diagnostics[0].message, "cannot read file: Permission denied (os error 13)");
  assert.deepEqual(r.diagnostics[0].range.start, { line: 1, column: 1, columnUtf16: 1, offset: 0 });
});

test("classify, version, starterConfig", () => {
  assert.equal(silt.classify("force-app/main/default/profiles/Admin.profile-meta.xml"), "Profile");
  assert.equal(silt.classify("src/permissionsets/PS.permissionset"), "PermissionSet");
  assert.equal(silt.classify("x/permissionsets/PS/objectSettings/Account.objectSettings-meta.xml"), "PermissionSetPart");
  assert.equal(silt.classify("config/project-scratch-def.json"), "ScratchDef");
  assert.equal(silt.classify("silt.toml"), "Config");
  assert.equal(silt.classify("force-app/main/default/classes/A.cls"), null);
  assert.equal(silt.classify("package.xml"), null);
  assert.match(silt.version(), /^\d+\.\d+\.\d+/);
  assert.match(silt.starterConfig(), /^# silt\.toml/);
  assert.equal(silt.lint([], { config: silt.starterConfig() }).summary.files, 0);
});

test("Linter: one configuration, file selection by its globs", () => {
  const linter = new silt.Linter({ config: 'fail_on = "note"\n[files]\ninclude = ["force-app/**"]\nexclude = ["**/Admin.profile-meta.xml"]\nuser_data = ["data/**/*.txt"]\n' });
  try {
    assert.equal(linter.failOn, "note");
    assert.equal(linter.isIncluded("force-app/main/default/profiles/Int.profile-meta.xml"), true);
    assert.equal(linter.isIncluded("force-app/main/default/profiles/Admin.profile-meta.xml"), false);
    assert.equal(linter.isIncluded("other/x.profile-meta.xml"), false);
    assert.equal(linter.isUserData("data/a/users.txt"), true);
    const r = linter.lint([{ path: PROFILE, contents: MALFORMED_PROFILE }]);
    assert.equal(r.fails, true);
    assert.equal(linter.lintText([], { format: "json" }).text, silt.lintJson([]));
    assert.ok(linter.rules().length >= 1);
    assert.throws(() => linter.explain("nope"), Error);
  } finally {
    linter.free();
  }
  assert.equal(new silt.Linter().failOn, undefined);
});

test("non-English text next to references: decoded, never a trap (the native CLI's inputs)", () => {
  const fixture = path.join(repoDir, "tests", "fixtures", "non-english");
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push({ path: path.relative(fixture, p).split(path.sep).join("/"), contents: fs.readFileSync(p) });
    }
  };
  walk(fixture);
  const r = silt.lint(files);
  const all = r.diagnostics.map((d) => d.message).join("\n");
  assert.match(all, /integration profile `Intégration Équipe` disables ApiUserOnly/);
  assert.match(all, /`intégration-équipe@exemple\.fr`/);
  assert.equal(r.diagnostics.filter((d) => d.rule === "parse-error").length, 0, all);
  // The labels that once trapped the module, in each XML kind, and invalid references.
  for (const label of ["Accès de l&apos;équipe", "営業 &amp; サポート", "l&apos;été", "&amp;サポート", "Größe&#x1F600;"]) {
    for (const [p, root] of [["permissionsets/P.permissionset-meta.xml", "PermissionSet"], ["profiles/P.profile-meta.xml", "Profile"], ["connectedApps/A.connectedApp-meta.xml", "ConnectedApp"]]) {
      const contents = `<?xml version="1.0"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata"><label>${label}</label><description>${label}</description></${root}>\n`;
      const out = silt.lint([{ path: p, contents }]);
      assert.equal(out.diagnostics.filter((d) => d.rule === "parse-error").length, 0, `${p}: ${label}`);
    }
  }
  const bad = silt.lint([{ path: "permissionsets/B.permissionset-meta.xml", contents: "<PermissionSet><label>été &eacute; x</label></PermissionSet>" }]);
  const pe = bad.diagnostics.find((d) => d.rule === "parse-error");
  assert.ok(pe, JSON.stringify(bad.diagnostics));
  assert.match(pe.message, /unknown entity `&eacute;`/);
  assert.equal(pe.range.start.offset, "<PermissionSet><label>été ".length + 2);
});
