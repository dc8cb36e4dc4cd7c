// The .vsix (`npm run package`, which `npm test` runs before the tests): a zip that holds the bundled
// server, the client and the Wasm module, and whose server runs on its own (no node_modules).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { LspClient, here, tempProject } from "./lsp-client.mjs";

const { name, version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const vsixPath = join(here, `${name}-${version}.vsix`);

/** Entries of a zip file: name → () => contents (stored or deflated). */
function readZip(buf) {
  // End of central directory: the last signature 0x06054b50.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, "not a zip file: no end of central directory");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, "bad central directory entry");
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entryName = buf.toString("utf8", p + 46, p + 46 + nameLen);
    entries.set(entryName, () => {
      const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(dataStart, dataStart + compressed);
      const out = method === 0 ? Buffer.from(raw) : inflateRawSync(raw);
      assert.equal(out.length, size, `size of ${entryName}`);
      return out;
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

describe("the .vsix package", () => {
  it(`${name}-${version}.vsix holds the server, the client and the Wasm module`, () => {
    const zip = readZip(readFileSync(vsixPath));
    for (const entry of [
      "extension/package.json",
      "extension/dist/extension.js",
      "extension/dist/server.js",
      "extension/dist/silt/silt.js",
      "extension/dist/silt/silt_bg.wasm",
    ]) {
      assert.ok(zip.has(entry), `${entry} missing; entries: ${[...zip.keys()].join(", ")}`);
    }
    assert.ok([...zip.keys()].some((e) => e.toLowerCase() === "extension/readme.md"), "README");
    const wasm = zip.get("extension/dist/silt/silt_bg.wasm")();
    assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], "the .wasm starts with \\0asm");
    const manifest = JSON.parse(zip.get("extension/package.json")().toString("utf8"));
    assert.equal(manifest.main, "./dist/extension.js");
    assert.ok(manifest.activationEvents.includes("workspaceContains:sfdx-project.json"));
    for (const key of ["silt.enable", "silt.severityThreshold", "silt.configPath"]) {
      assert.ok(manifest.contributes.configuration.properties[key], key);
    }
    // Nothing that is not needed at run time.
    const stray = [...zip.keys()].filter((e) => /^extension\/(src|test|bench|node_modules|scripts)\/|\.map$|\.ts$/.test(e));
    assert.deepEqual(stray, []);
  });

  it("the packaged server runs alone (no node_modules) and lints", async () => {
    const zip = readZip(readFileSync(vsixPath));
    const out = mkdtempSync(join(tmpdir(), "silt-vsix-"));
    const { dir, cleanup } = tempProject();
    try {
      for (const [entry, read] of zip) {
        if (!entry.startsWith("extension/dist/")) continue;
        const target = join(out, entry.slice("extension/".length));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, read());
      }
      const client = new LspClient(dir, { serverPath: join(out, "dist", "server.js") });
      try {
        await client.initialize();
        const rel = "force-app/main/default/profiles/Integration Sync.profile-meta.xml";
        await client.open(rel);
        await client.waitFor(rel, (l) => l.some((d) => d.code === "permission-name-typo"));
      } finally {
        await client.stop();
      }
    } finally {
      cleanup();
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("the client bundle needs nothing but the vscode module and exports activate/deactivate", () => {
    // VS Code cannot run here: load dist/extension.js against a stub `vscode` module.
    const require = createRequire(import.meta.url);
    const Module = require("node:module");
    const stub = (name) =>
      new Proxy(function () {}, {
        get: (_t, k) => (k === "then" ? undefined : stub(`${name}.${String(k)}`)),
        apply: () => stub(`${name}()`),
        construct: () => stub(`new ${name}`),
      });
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
    };
    require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: stub("vscode") };
    try {
      const ext = require(join(here, "dist", "extension.js"));
      assert.equal(typeof ext.activate, "function");
      assert.equal(typeof ext.deactivate, "function");
    } finally {
      Module._resolveFilename = resolve;
      delete require.cache.vscode;
    }
    const bundle = readFileSync(join(here, "dist", "extension.js"), "utf8");
    const external = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const builtins = new Set(Module.builtinModules.flatMap((m) => [m, `node:${m}`]));
    assert.deepEqual([...new Set(external.filter((m) => !builtins.has(m)))], ["vscode"]);
  });
});
