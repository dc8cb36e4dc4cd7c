// A minimal LSP client for the tests and the benchmark: spawns dist/server.js with --stdio and speaks
// JSON-RPC to it with vscode-jsonrpc (StreamMessageReader/Writer).

import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node.js";
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
} from "vscode-languageserver-protocol";
// Messages are sent by method name: the protocol package's typed message objects may come from another
// copy of vscode-jsonrpc than the connection (npm does not always dedupe them), and jsonrpc checks
// their parameter structure by identity.

export const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const repo = resolve(here, "../..");
export const serverPath = join(here, "dist", "server.js");

export const uriOf = (abs) => pathToFileURL(abs).href;
export const pathOf = (uri) => fileURLToPath(uri);

/** A temporary copy of an example project (or an empty folder). */
export function tempProject(example = "integration-gone-wrong") {
  const dir = mkdtempSync(join(tmpdir(), "silt-lsp-"));
  if (example) cpSync(join(repo, "examples", example), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export class LspClient {
  constructor(root, { initializationOptions = { debounceMs: 0 }, capabilities, env, serverPath: server = serverPath, configuration } = {}) {
    this.root = root;
    this.diagnostics = new Map(); // uri → latest diagnostics
    this.waiters = [];
    this.logs = [];
    this.versions = new Map();
    this.texts = new Map();
    this.initializationOptions = initializationOptions;
    this.capabilities = capabilities ?? {
      workspace: {
        configuration: configuration !== undefined,
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
      },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        hover: { contentFormat: ["markdown", "plaintext"] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
        synchronization: { didSave: true },
      },
    };
    this.child = spawn(process.execPath, [server, "--stdio"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    this.stderr = "";
    this.child.stderr.on("data", (d) => (this.stderr += d));
    this.exited = new Promise((res) => this.child.on("exit", (code, signal) => res({ code, signal })));
    this.conn = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.conn.onNotification(PublishDiagnosticsNotification.method, (p) => {
      const key = normUri(p.uri);
      this.diagnostics.set(key, p.diagnostics);
      for (const w of [...this.waiters]) w.check(key, p.diagnostics);
    });
    this.conn.onNotification("window/logMessage", (p) => this.logs.push(p.message));
    this.conn.onRequest("client/registerCapability", () => null);
    this.conn.onRequest("client/unregisterCapability", () => null);
    // `configuration`: what workspace/configuration answers for section "silt" (the client pulls).
    this.configuration = configuration;
    this.conn.onRequest("workspace/configuration", (p) =>
      p.items.map((item) => (item.section === "silt" ? (this.configuration ?? null) : null)),
    );
    this.conn.onRequest("window/workDoneProgress/create", () => null);
    this.conn.listen();
  }

  async initialize() {
    const rootUri = uriOf(this.root);
    this.initResult = await this.conn.sendRequest(InitializeRequest.method, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: "test" }],
      capabilities: this.capabilities,
      initializationOptions: this.initializationOptions,
    });
    await this.conn.sendNotification(InitializedNotification.method, {});
    return this.initResult;
  }

  abs(rel) {
    return join(this.root, ...rel.split("/"));
  }

  uri(rel) {
    return uriOf(this.abs(rel));
  }

  /** Latest diagnostics of a file (relative to the root), [] when none were published. */
  current(rel) {
    return this.diagnostics.get(normUri(this.uri(rel))) ?? [];
  }

  /** Resolves with the diagnostics of `rel` once they satisfy `pred` (now or in a later publish). */
  waitFor(rel, pred, { timeout = 30000, fresh = false } = {}) {
    const key = normUri(this.uri(rel));
    if (!fresh && this.diagnostics.has(key) && pred(this.diagnostics.get(key))) {
      return Promise.resolve(this.diagnostics.get(key));
    }
    return new Promise((res, rej) => {
      const w = {
        check: (uri, list) => {
          if (uri === key && pred(list)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            clearTimeout(timer);
            res(list);
          }
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        rej(
          new Error(
            `timed out waiting for diagnostics of ${rel}; latest: ${JSON.stringify(this.diagnostics.get(key))}\n` +
              `server log:\n${this.logs.slice(-20).join("\n")}\n${this.stderr}`,
          ),
        );
      }, timeout);
      this.waiters.push(w);
    });
  }

  /** Resolves with the next publish for `rel`, whatever it holds. */
  nextPublish(rel, opts) {
    return this.waitFor(rel, () => true, { ...opts, fresh: true });
  }

  async open(rel, text = readFileSync(this.abs(rel), "utf8"), languageId = rel.endsWith(".xml") ? "xml" : "plaintext") {
    this.versions.set(rel, 1);
    this.texts.set(rel, text);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.method, {
      textDocument: { uri: this.uri(rel), languageId, version: 1, text },
    });
  }

  text(rel) {
    return this.texts.get(rel);
  }

  /** Replace the whole text of an open document. */
  async change(rel, text) {
    const version = (this.versions.get(rel) ?? 0) + 1;
    this.versions.set(rel, version);
    this.texts.set(rel, text);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.method, {
      textDocument: { uri: this.uri(rel), version },
      contentChanges: [{ text }],
    });
  }

  /** Apply LSP text edits (ranges in the current text) incrementally, like an editor does. */
  async edit(rel, edits) {
    const version = (this.versions.get(rel) ?? 0) + 1;
    this.versions.set(rel, version);
    // Send them last-first so earlier ranges stay valid.
    const sorted = [...edits].sort((a, b) => cmpPos(b.range.start, a.range.start));
    let text = this.texts.get(rel);
    for (const e of sorted) text = applyEdit(text, e);
    this.texts.set(rel, text);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.method, {
      textDocument: { uri: this.uri(rel), version },
      contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })),
    });
    return text;
  }

  async close(rel) {
    this.texts.delete(rel);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.method, { textDocument: { uri: this.uri(rel) } });
  }

  /** Write a file on disk and tell the server (workspace/didChangeWatchedFiles). */
  async writeDisk(rel, text, type = 2) {
    writeFileSync(this.abs(rel), text);
    await this.conn.sendNotification(DidChangeWatchedFilesNotification.method, { changes: [{ uri: this.uri(rel), type }] });
  }

  async configure(settings) {
    await this.conn.sendNotification(DidChangeConfigurationNotification.method, { settings: { silt: settings } });
  }

  hover(rel, position) {
    return this.conn.sendRequest(HoverRequest.method, { textDocument: { uri: this.uri(rel) }, position });
  }

  codeActions(rel, range, diagnostics) {
    return this.conn.sendRequest(CodeActionRequest.method, {
      textDocument: { uri: this.uri(rel) },
      range,
      context: { diagnostics },
    });
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.method), delay(15000)]);
      await this.conn.sendNotification(ExitNotification.method);
    } catch {
      // already gone
    }
    // Generous: Node's teardown after process.exit takes about a second with the Wasm module loaded
    // (more on a loaded machine).
    const exited = await Promise.race([this.exited, delay(20000).then(() => null)]);
    if (!exited) this.child.kill();
    this.conn.dispose();
    return exited;
  }
}

export function delay(ms) {
  return new Promise((res) => setTimeout(res, ms));
}

function normUri(uri) {
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

function cmpPos(a, b) {
  return a.line - b.line || a.character - b.character;
}

/** Offset of an LSP position (UTF-16 character) in `text`. */
export function offsetAt(text, pos) {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + pos.character, text.length);
}

export function applyEdit(text, e) {
  return text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
}

/** Apply a WorkspaceEdit's `changes` for one URI to `text`. */
export function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => cmpPos(b.range.start, a.range.start));
  for (const e of sorted) text = applyEdit(text, e);
  return text;
}
