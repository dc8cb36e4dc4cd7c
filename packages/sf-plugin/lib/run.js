// The one piece of glue between `sf` and silt: oclif's parsed flags go back to silt's own arguments and
// run through the npm package's CLI (silt-lint/cli, the code path of `npx silt`), so the output bytes and
// exit codes are silt's. Only the sf conventions live here: the --json envelope and the exit code.
import { SfCommand } from "@salesforce/sf-plugins-core";
import { run } from "silt-lint/cli";

/** silt's arguments from oclif's parse tokens: `command`, the flags in the order given (each `-o` still
 * follows its `--format`), `extra`, then the paths after `--`. sf's own flags (--json, --flags-dir) stay
 * with sf. */
function siltArgs(command, raw, flags, extra = []) {
  const out = [command];
  const paths = [];
  for (const t of raw) {
    if (t.type === "arg") paths.push(t.input);
    else if (!(t.flag in SfCommand.baseFlags) && t.flag !== "json") {
      out.push(`--${t.flag}`, ...(flags[t.flag]?.type === "boolean" ? [] : [t.input]));
    }
  }
  out.push(...extra);
  return paths.length ? [...out, "--", ...paths] : out;
}

/** An sf command that runs silt. */
export class SiltCommand extends SfCommand {
  /** Run `silt command` with the parsed arguments. In human output silt writes to the terminal itself.
   * With --json, `extra` arguments are added, silt's stdout becomes the envelope's `result` (through
   * `toResult(stdout, parsedArgs)`), its messages the envelope's `warnings`, and a usage or
   * configuration error (exit 2) an sf error. */
  async silt(command, { extra = [], toResult = (stdout) => JSON.parse(stdout) } = {}) {
    const { raw, args } = await this.parse(this.constructor);
    const argv = siltArgs(command, raw, this.constructor.flags ?? {}, this.jsonEnabled() ? extra : []);
    if (!this.jsonEnabled()) {
      process.exitCode = await run(argv);
      return undefined;
    }
    let stdout = "";
    let stderr = "";
    const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    if (code === 2) this.error(stderr.replace(/^error: /, "").trim(), { exit: 2 });
    for (const line of stderr.split("\n")) if (line.trim()) this.warn(line.replace(/^warning: /, ""));
    let result;
    try {
      result = toResult(stdout, args);
    } catch {
      this.error("with --json, silt's report is the result: write every other --format to a file with -o (and run --fix --diff without --json)", { exit: 2 });
    }
    process.exitCode = code;
    return result;
  }
}
