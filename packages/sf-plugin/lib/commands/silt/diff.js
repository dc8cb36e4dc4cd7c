import { Args } from "@oclif/core";
import { Flags } from "@salesforce/sf-plugins-core";
import { SiltCommand } from "../../run.js";

// `sf silt diff`: `silt diff` with the same options (`silt diff --help` says what they do).
export default class Diff extends SiltCommand {
  static summary = "What a change does to the org's security: access, apps, seats and findings between two versions.";
  static description =
    "BASE and HEAD are each a folder or a git revision of the repository that holds the project; HEAD defaults to the working tree. " +
    "Reports effective access added and removed per user with the chain that grants it, connected app and External Client App changes, " +
    "integration seats and cost before and after, and findings introduced and fixed. Same options, output and exit codes as the silt CLI: " +
    "exit 1 when an introduced finding reaches --fail-on, 2 on a bad revision or usage error. With --json the result is silt's diff report (version 1).";
  static examples = [
    { description: "The working tree against branch main:", command: "<%= config.bin %> <%= command.id %> main" },
    { description: "A pull-request comment body for one commit against another:", command: "<%= config.bin %> <%= command.id %> HEAD~1 HEAD --format markdown" },
    { description: "Two retrieves in folders, as the sf JSON envelope:", command: "<%= config.bin %> <%= command.id %> old-retrieve new-retrieve --json" },
  ];
  static args = {
    base: Args.string({ description: "The base: a git revision (main, HEAD~1, a commit) or a folder.", required: true }),
    head: Args.string({ description: "The head: a revision or a folder (default: the project's working tree)." }),
  };
  static flags = {
    project: Flags.string({ summary: "The project (or metadata folder) to compare, in the working tree and at each revision (default: the current folder)." }),
    format: Flags.string({
      summary: "Output format: human, json, markdown or github. Repeatable; each -o after a --format writes that format to a file.",
      multiple: true,
      multipleNonGreedy: true,
    }),
    output: Flags.string({ char: "o", summary: "Write the format given just before this flag to this file instead of stdout.", multiple: true, multipleNonGreedy: true }),
    "fail-on": Flags.string({ summary: "Exit with 1 when an introduced finding is at or above this level (default: silt.toml fail_on, else error).", options: ["error", "warning", "note", "never"] }),
    config: Flags.string({ summary: "Configuration file for both versions (default: each version's own silt.toml)." }),
    "no-config": Flags.boolean({ summary: "Ignore any silt.toml." }),
    threads: Flags.string({ char: "j", summary: "Accepted for compatibility with the native CLI (the Wasm build uses one thread)." }),
    "max-file-size": Flags.string({ summary: "Files larger than this many bytes are reported as a parse-error and not read." }),
  };

  async run() {
    return this.silt("diff", { extra: ["--format", "json"] });
  }
}
