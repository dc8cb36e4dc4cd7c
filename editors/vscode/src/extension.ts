// VS Code client: starts the silt language server (dist/server.js, over IPC) and passes the settings.

import * as path from "path";
import { ExtensionContext, OutputChannel, commands, window, workspace } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

let client: LanguageClient | undefined;
let output: OutputChannel | undefined;

function settings() {
  const c = workspace.getConfiguration("silt");
  return {
    enable: c.get<boolean>("enable", true),
    severityThreshold: c.get<string>("severityThreshold", "note"),
    configPath: c.get<string>("configPath", ""),
  };
}

async function start(context: ExtensionContext): Promise<void> {
  const started = Date.now();
  const module = context.asAbsolutePath(path.join("dist", "server.js"));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every file kind silt reads: metadata XML, user and scratch definitions (JSON), user data (CSV,
    // bulk XML), silt.toml and custom rule files.
    documentSelector: [
      { scheme: "file", language: "xml" },
      { scheme: "file", pattern: "**/*.{xml,json,csv,toml}" },
    ],
    outputChannel: output,
    initializationOptions: { settings: settings() },
    synchronize: { configurationSection: "silt" },
  };
  client = new LanguageClient("silt", "silt", serverOptions, clientOptions);
  await client.start();
  output?.appendLine(`silt: language server started in ${Date.now() - started} ms`);
}

export async function activate(context: ExtensionContext): Promise<void> {
  output = window.createOutputChannel("silt");
  context.subscriptions.push(output);
  context.subscriptions.push(
    commands.registerCommand("silt.restart", async () => {
      const t = Date.now();
      if (client) await client.stop();
      await start(context);
      output?.appendLine(`silt: restarted in ${Date.now() - t} ms`);
    }),
    commands.registerCommand("silt.showOutput", () => output?.show(true)),
  );
  try {
    await start(context);
  } catch (e) {
    output.appendLine(`silt: cannot start the language server: ${e instanceof Error ? e.message : String(e)}`);
    void window.showErrorMessage("silt: the language server did not start; see the silt output channel.");
  }
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
