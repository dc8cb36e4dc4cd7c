import { Args } from "@oclif/core";
import { SiltCommand } from "../../run.js";

// `sf silt explain RULE`: `silt explain RULE`.
export default class Explain extends SiltCommand {
  static summary = "Show a rule's documentation: what it checks, why, and how to fix it.";
  static examples = [{ description: "Explain one rule (`sf silt rules` lists them):", command: "<%= config.bin %> <%= command.id %> parse-error" }];
  static args = {
    rule: Args.string({ description: "The rule name, e.g. parse-error.", required: true }),
  };

  async run() {
    return this.silt("explain", { toResult: (text, args) => ({ rule: args.rule, text }) });
  }
}
