// Import a dependency-free TypeScript module of the site (such as src/ignore.ts) from Node without a
// build: TypeScript's transpiler strips the types into a temporary file, which is imported. For unit
// tests and benchmarks of the page's pure logic.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

export async function importTs(file) {
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "silt-import-ts-"));
  const out = path.join(dir, `${path.basename(file, ".ts")}.mjs`);
  writeFileSync(out, outputText);
  try {
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
