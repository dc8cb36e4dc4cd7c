// Re-lint latency of the language server: time from a one-line didChange to the publishDiagnostics
// for that file, with a 3 MB profile (about 76,000 lines of <fieldPermissions>) in the project.
//
//   node bench/relint.mjs [--runs 20] [--json]     (npm run build first; `npm run bench` does both)
//   node bench/relint.mjs --write-project DIR      only write the benchmark project
//
// Two scenarios over real LSP JSON-RPC (stdio, debounce 0 via initializationOptions):
//   big    edit one line in the middle of the 3 MB profile itself (the edited file must be re-parsed)
//   small  edit one line of a small permission set while the 3 MB profile is part of the project
//          (what per-file caching in the Wasm API would make cheap)
// Prints median and p95 in ms per scenario, the server's own split (Wasm lint vs the rest, from its
// log), and the target.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LspClient } from "../tests/lsp-client.mjs";

const TARGET_MS = 30;
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) > 0 && args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 20;
const asJson = args.includes("--json");

const BIG = "force-app/main/default/profiles/Big_Integration.profile-meta.xml";
const SMALL = "force-app/main/default/permissionsets/Integration_Orders.permissionset-meta.xml";

/** A profile of `elements` <fieldPermissions> (5 lines each): 15,200 → ~76,000 lines, ~3 MB. */
export function bigProfile(elements = 15200) {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Profile xmlns="http://soap.sforce.com/2006/04/metadata">',
    "    <custom>true</custom>",
    "    <description>Generated: a big integration profile</description>",
  ];
  for (let i = 0; i < elements; i++) {
    const object = `Fulfilment_Order_Line_${String(i % 400).padStart(3, "0")}__c`;
    lines.push(
      "    <fieldPermissions>",
      `        <editable>${i % 3 === 0 ? "true" : "false"}</editable>`,
      `        <field>${object}.External_System_Field_${String(i).padStart(5, "0")}__c</field>`,
      "        <readable>true</readable>",
      "    </fieldPermissions>",
    );
  }
  lines.push(
    "    <userLicense>Salesforce Integration</userLicense>",
    "    <userPermissions>",
    "        <enabled>true</enabled>",
    "        <name>ApiEnabled</name>",
    "    </userPermissions>",
    "    <userPermissions>",
    "        <enabled>true</enabled>",
    "        <name>ApiUserOnly</name>",
    "    </userPermissions>",
    "</Profile>",
    "",
  );
  return lines.join("\n");
}

function project(dir) {
  const files = {
    "sfdx-project.json": JSON.stringify({ packageDirectories: [{ path: "force-app", default: true }], sourceApiVersion: "62.0" }, null, 2),
    "config/project-scratch-def.json": JSON.stringify({ orgName: "Bench", edition: "Developer" }, null, 2),
    "config/integration-user-def.json": JSON.stringify(
      { Username: "int-bench@acme.example", LastName: "Bench", profileName: "Big_Integration", permsets: ["Integration_Orders"] },
      null,
      2,
    ),
    [BIG]: bigProfile(),
    [SMALL]: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
      "    <label>Integration Orders</label>",
      "    <license>SalesforceAPIIntegrationPsl</license>",
      "    <objectPermissions>",
      "        <allowCreate>true</allowCreate>",
      "        <allowDelete>false</allowDelete>",
      "        <allowEdit>true</allowEdit>",
      "        <allowRead>true</allowRead>",
      "        <modifyAllRecords>false</modifyAllRecords>",
      "        <object>Order</object>",
      "        <viewAllRecords>false</viewAllRecords>",
      "    </objectPermissions>",
      "</PermissionSet>",
      "",
    ].join("\n"),
    "force-app/main/default/profiles/Reporting.profile-meta.xml": [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Profile xmlns="http://soap.sforce.com/2006/04/metadata">',
      "    <custom>true</custom>",
      "    <userLicense>Salesforce</userLicense>",
      "    <userPermissions>",
      "        <enabled>true</enabled>",
      "        <name>RunReports</name>",
      "    </userPermissions>",
      "</Profile>",
      "",
    ].join("\n"),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, ...rel.split("/").slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, ...rel.split("/")), text);
  }
  return files;
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: s[0], max: s[s.length - 1] };
}

const lintLog = /linted .*: (\d+) files in ([\d.]+) ms \(Wasm ([\d.]+) ms[,)].*\(([\d.]+) ms in all\)/;

/** CPU time (user + system, ms) the server process has used so far; Linux only (/proc), else NaN. */
function serverCpuMs(client) {
  try {
    const stat = readFileSync(`/proc/${client.child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** Edit `line` of `rel` `runs` times (toggling between two texts); time didChange → publish. */
async function measure(client, rel, line, a, b) {
  const samples = [];
  const server = [];
  let cpuStart = NaN;
  for (let i = 0; i < runs + 2; i++) {
    if (i === 2) cpuStart = serverCpuMs(client);
    const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
    const published = client.nextPublish(rel, { timeout: 60000 });
    const logsBefore = client.logs.length;
    const t0 = performance.now();
    await client.edit(rel, [{ range: { start: { line, character: 0 }, end: { line, character: from.length } }, newText: to }]);
    await published;
    const elapsed = performance.now() - t0;
    if (i < 2) continue; // warm-up
    samples.push(elapsed);
    // The log line comes right after the publish.
    for (let k = 0; k < 50 && !client.logs.slice(logsBefore).some((l) => lintLog.test(l)); k++) await new Promise((r) => setTimeout(r, 2));
    const m = client.logs.slice(logsBefore).map((l) => lintLog.exec(l)).find(Boolean);
    if (m) server.push({ wasm: Number(m[3]), all: Number(m[4]) });
  }
  return {
    // Average CPU time of the server per re-lint: wall times on a busy machine say little.
    serverCpuPerRun: (serverCpuMs(client) - cpuStart) / runs,
    roundTrip: stats(samples),
    serverWasm: stats(server.map((s) => s.wasm)),
    serverAll: stats(server.map((s) => s.all)),
  };
}

if (args.includes("--write-project")) {
  // Only write the benchmark project (to compare with `silt lint` or silt-bench on the same bytes).
  const target = args[args.indexOf("--write-project") + 1];
  mkdirSync(target, { recursive: true });
  project(target);
  console.log(`wrote the benchmark project to ${target}`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "silt-bench-"));
const files = project(dir);
const client = new LspClient(dir, { initializationOptions: { debounceMs: 0 } });
try {
  const bigText = files[BIG];
  await client.initialize();
  const tOpen = performance.now();
  await client.open(BIG, bigText);
  await client.nextPublish(BIG, { timeout: 120000 });
  const openMs = performance.now() - tOpen;
  await client.open(SMALL, files[SMALL]);
  await client.nextPublish(SMALL, { timeout: 60000 });

  const bigLines = bigText.split("\n");
  const mid = bigLines.findIndex((l, i) => i > bigLines.length / 2 && l.includes("<editable>false</editable>"));
  const big = await measure(client, BIG, mid, "        <editable>false</editable>", "        <editable>true</editable>");
  const smallLine = files[SMALL].split("\n").findIndex((l) => l.includes("<allowEdit>"));
  const small = await measure(client, SMALL, smallLine, "        <allowEdit>true</allowEdit>", "        <allowEdit>false</allowEdit>");

  const result = {
    profile: { bytes: Buffer.byteLength(bigText), lines: bigLines.length },
    runs,
    openMs,
    targetMs: TARGET_MS,
    loadAverage: loadavg()[0],
    editBigProfile: big,
    editSmallFile: small,
  };
  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const f = (x) => x.toFixed(1).padStart(7);
    console.log(`silt LSP re-lint benchmark: ${runs} runs, profile ${(result.profile.bytes / 1e6).toFixed(2)} MB, ${result.profile.lines} lines`);
    console.log(`first open of the profile to diagnostics: ${openMs.toFixed(0)} ms`);
    console.log(`load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores (wall times grow with it; server CPU does not)`);
    console.log(`scenario                                  median      p95   server: Wasm lint / all (median wall), CPU per re-lint`);
    for (const [name, r] of [
      ["edit 1 line of the 3 MB profile", big],
      ["edit 1 line of a small permission set", small],
    ]) {
      console.log(
        `${name.padEnd(40)} ${f(r.roundTrip.median)} ms ${f(r.roundTrip.p95)} ms   ` +
          `${r.serverWasm.median.toFixed(1)} / ${r.serverAll.median.toFixed(1)} ms, ${r.serverCpuPerRun.toFixed(0)} ms CPU`,
      );
    }
    const verdict = (r) => (r.roundTrip.median <= TARGET_MS ? "meets" : "misses");
    console.log(`target: didChange → publishDiagnostics ≤ ${TARGET_MS} ms; big-profile edit ${verdict(big)} it, small-file edit ${verdict(small)} it`);
  }
} finally {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
}
