import { Args } from "@oclif/core";
import { Flags } from "@salesforce/sf-plugins-core";
import { SiltCommand } from "../../run.js";

// `sf silt lint`: `silt lint` with the same options (`silt lint --help` says what they do).
export default class Lint extends SiltCommand {
  static summary = "Lint an SFDX project, metadata folders or files for Salesforce Integration user license policies.";
  static description =
    "Checks profiles, permission sets, permission set groups, connected apps and user data against the Salesforce Integration user license rules. " +
    "Same options, output and exit codes as the silt CLI: exit 0 when no finding reaches --fail-on, 1 when one does, 2 on a usage or configuration error. " +
    "With --json the result is silt's JSON report.";
  static examples = [
    { description: "Lint the SFDX project in the current folder:", command: "<%= config.bin %> <%= command.id %>" },
    { description: "Lint one folder; fail only on errors:", command: "<%= config.bin %> <%= command.id %> force-app/main/default/profiles --fail-on error" },
    { description: "GitHub annotations on stdout and SARIF in a file:", command: "<%= config.bin %> <%= command.id %> --format github --format sarif -o silt.sarif" },
    { description: "The findings as the sf JSON envelope (result: silt's JSON report):", command: "<%= config.bin %> <%= command.id %> --json" },
  ];
  static args = {
    paths: Args.string({ description: "Files or folders to lint (default: the current folder).", multiple: true }),
  };
  static flags = {
    format: Flags.string({
      summary: "Output format: human, json, sarif, junit, github or markdown. Repeatable; each -o after a --format writes that format to a file.",
      multiple: true,
      multipleNonGreedy: true,
    }),
    output: Flags.string({ char: "o", summary: "Write the format given just before this flag to this file instead of stdout.", multiple: true, multipleNonGreedy: true }),
    "fail-on": Flags.string({ summary: "Exit with 1 when a finding at or above this level remains (default: silt.toml fail_on, else error).", options: ["error", "warning", "note", "never"] }),
    config: Flags.string({ summary: "Configuration file (default: the first silt.toml found from the lint root upwards)." }),
    "no-config": Flags.boolean({ summary: "Ignore any silt.toml." }),
    threads: Flags.string({ char: "j", summary: "Accepted for compatibility with the native CLI (the Wasm build uses one thread)." }),
    quiet: Flags.boolean({ char: "q", summary: "Human format: print only the summary." }),
    color: Flags.string({ summary: "Colours in human output.", options: ["auto", "always", "never"] }),
    fix: Flags.boolean({ summary: "Apply mechanical fixes to the files, then report what remains." }),
    diff: Flags.boolean({ summary: "With --fix: print a unified diff of the fixes instead of writing them." }),
    baseline: Flags.string({ summary: "Hide findings recorded in this baseline file." }),
    "write-baseline": Flags.string({ summary: "Record the current findings in this baseline file (they are then hidden from this run's output)." }),
    "new-since": Flags.string({ summary: "Report only the findings this git revision did not have (no baseline file needed)." }),
  };

  async run() {
    return this.silt("lint", { extra: ["--format", "json"] });
  }
}
