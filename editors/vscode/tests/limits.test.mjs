// The language server over real LSP JSON-RPC: which rule documentation links it offers, and files
// over the size limit. Run `npm run build` first (`npm test` does).

import assert from "node:assert/strict";
import { closeSync, existsSync, mkdirSync, openSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { LspClient, serverPath, tempProject } from "./lsp-client.mjs";

const PROFILE = "force-app/main/default/profiles/Integration Sync.profile-meta.xml";
const HUGE = "force-app/main/default/profiles/Huge.profile-meta.xml";

assert.ok(existsSync(serverPath), `${serverPath} is missing: run npm run build`);

/** A server on a fresh copy of the example project, after `prepare(dir)`. */
async function withServer(prepare, fn) {
  const { dir, cleanup } = tempProject();
  prepare(dir);
  const client = new LspClient(dir);
  try {
    await client.initialize();
    await fn(client, dir);
  } finally {
    const exit = await client.stop();
    cleanup();
    assert.deepEqual(exit, { code: 0, signal: null }, `server exit\n${client.stderr}`);
  }
}

const LINKS = {
  "link-https": "https://example.com/rules/a",
  "link-http": "http://example.com/rules/b",
  "link-command": "command:workbench.action.terminal.new",
  "link-file": "file:///etc/passwd",
  "link-javascript": "javascript:alert(1)",
  "link-vscode": "vscode://settings/editor",
};

describe("silt language server limits", () => {
  it("offers a rule's docs link only when it is https: or http:", async () => {
    const rules = Object.entries(LINKS).map(
      ([name, docs]) => `[[rule]]\nname = "${name}"\nsummary = "s"\nkinds = ["Profile"]\nmessage = "m"\ndocs = "${docs}"\n`,
    );
    await withServer(
      (dir) => {
        writeFileSync(join(dir, "silt.toml"), 'custom_rules = ["rules/links.toml"]\n');
        mkdirSync(join(dir, "rules"));
        writeFileSync(join(dir, "rules/links.toml"), rules.join("\n"));
      },
      async (c) => {
        const list = await c.waitFor(PROFILE, (l) => Object.keys(LINKS).every((r) => l.some((d) => d.code === r)));
        const href = (rule) => list.find((d) => d.code === rule).codeDescription?.href;
        assert.equal(href("link-https"), LINKS["link-https"]);
        assert.equal(href("link-http"), LINKS["link-http"]);
        for (const rule of ["link-command", "link-file", "link-javascript", "link-vscode"]) {
          assert.equal(href(rule), undefined, `${rule} must not carry its docs link`);
        }
      },
    );
  });

  it("reports a file over the size limit as a parse-error without reading it", async () => {
    await withServer(
      (dir) => {
        // A sparse 40 GiB file: reading it would fail or take minutes.
        const abs = join(dir, HUGE);
        mkdirSync(dirname(abs), { recursive: true });
        closeSync(openSync(abs, "w"));
        truncateSync(abs, 40 * 2 ** 30);
      },
      async (c) => {
        const list = await c.waitFor(HUGE, (l) => l.some((d) => d.code === "parse-error"));
        assert.match(list[0].message, /^file too large: 42949672960 bytes, over the 64 MiB limit/);
        // The rest of the project is linted as usual.
        await c.waitFor(PROFILE, (l) => l.some((d) => d.code === "permission-name-typo"));
      },
    );
  });
});
