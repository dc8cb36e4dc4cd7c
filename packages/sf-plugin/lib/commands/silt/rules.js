import { Flags } from "@salesforce/sf-plugins-core";
import { SiltCommand } from "../../run.js";

// `sf silt rules`: `silt rules`.
export default class Rules extends SiltCommand {
  static summary = "List silt's rules (with the custom rules of the silt.toml above the current folder).";
  static examples = [
    { description: "The rule table:", command: "<%= config.bin %> <%= command.id %>" },
    { description: "The rules as JSON (with --json: the sf envelope around the same list):", command: "<%= config.bin %> <%= command.id %> --format json" },
  ];
  static flags = {
    format: Flags.string({ summary: "Output format.", options: ["human", "json", "markdown"] }),
  };

  async run() {
    return this.silt("rules", { extra: ["--format", "json"] });
  }
}
