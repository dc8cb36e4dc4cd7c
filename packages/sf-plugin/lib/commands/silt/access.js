import { Args } from "@oclif/core";
import { Flags } from "@salesforce/sf-plugins-core";
import { SiltCommand } from "../../run.js";

// `sf silt access`: `silt access` with the same options (`silt access --help` says what they do).
export default class Access extends SiltCommand {
  static summary = "Effective access: what each user and integration really holds, and through what.";
  static description =
    "Profile, permission sets and permission set groups minus their muting sets, with the chain that grants each permission. " +
    "Same options and output as the silt CLI; with --json the result is silt's access report (version 1).";
  static examples = [
    { description: "Every integration user and the tiers of what they hold:", command: "<%= config.bin %> <%= command.id %>" },
    { description: "One user's effective access, dangerous permissions first:", command: "<%= config.bin %> <%= command.id %> --user int-svc@acme.example" },
    { description: "Who holds Modify All Data, and through what:", command: "<%= config.bin %> <%= command.id %> --permission ModifyAllData --json" },
  ];
  static args = {
    paths: Args.string({ description: "Files or folders to read (default: the current folder).", multiple: true }),
  };
  static flags = {
    user: Flags.string({ summary: "One user's effective access (a username, or a profile name)." }),
    permission: Flags.string({ summary: "Who holds this user or custom permission, and through what." }),
    object: Flags.string({ summary: "Who has access to this object, and through what." }),
    access: Flags.string({ summary: "With --object: only this access.", options: ["read", "create", "edit", "delete", "viewall", "modifyall", "viewallfields"] }),
    format: Flags.string({ summary: "Output format.", options: ["human", "json", "markdown"] }),
    config: Flags.string({ summary: "Configuration file (default: the first silt.toml found from the root upwards)." }),
    "no-config": Flags.boolean({ summary: "Ignore any silt.toml." }),
    threads: Flags.string({ char: "j", summary: "Accepted for compatibility with the native CLI (the Wasm build uses one thread)." }),
  };

  async run() {
    return this.silt("access", { extra: ["--format", "json"] });
  }
}
