// `silt` for Node: the JavaScript twin of crates/silt-cli/src/main.rs, over the Wasm build. Same
// commands, options, output bytes and exit codes: 0 no finding at or above --fail-on, 1 findings at or
// above it, 2 usage, configuration or internal error.
import fs from "node:fs";
import path from "node:path";
import { Linter, version, starterConfig, customRuleFiles, rulesMarkdown, escapeText } from "../index.js";
import { Fatal, files, ioMessage, plan, readText } from "./discover.js";

const CONFIG_FILE = "silt.toml";
const FORMATS = ["human", "json", "sarif", "junit", "github", "markdown"];

const HELP = `Salesforce Integration license linter for SFDX projects

Usage: silt <COMMAND>

Commands:
  lint     Lint an SFDX project, metadata folders or files (default: the current folder)
  rules    List the rules
  explain  Show a rule's documentation
  init     Write a commented silt.toml in the current folder
  help     Print this message

Options:
  -h, --help     Print help
  -V, --version  Print version
`;

const LINT_HELP = `Lint an SFDX project, metadata folders or files (default: the current folder)

Usage: silt lint [OPTIONS] [PATHS]...

Arguments:
  [PATHS]...  Files or folders to lint

Options:
      --format <FMT>     Output format: human, json, sarif, junit or github. Repeatable; each \`-o\` after a
                         \`--format\` writes that format to a file
  -o, --output <FILE>    Write the format given just before this option to FILE instead of stdout
      --fail-on <LEVEL>  Exit with 1 when a finding at or above this level remains [possible values: error,
                         warning, note, never]
      --config <FILE>    Configuration file (default: the first silt.toml found from the lint root upwards)
      --no-config        Ignore any silt.toml
  -j, --threads <N>      Accepted for compatibility with the native CLI (the Wasm build uses one thread)
  -q, --quiet            Human format: print only the summary
      --color <WHEN>     Colours in human output [possible values: auto, always, never]
      --fix              Apply mechanical fixes to the files, then report what remains
      --diff             With --fix: print a unified diff of the fixes instead of writing them
      --baseline <FILE>  Hide findings recorded in this baseline file; report how many were hidden and
                         which entries are fixed
      --write-baseline <FILE>
                         Record the current findings in this baseline file (they are then hidden from
                         this run's output)
      --max-file-size <BYTES>
                         Files larger than this many bytes are reported as a parse-error and not read
                         (default: silt.toml \`[files] max_size\`, else 67108864, i.e. 64 MiB)
  -h, --help             Print help
  -V, --version          Print version
`;

class Usage extends Error {}

function normalFormat(s) {
  const f = { text: "human", md: "markdown" }[s.toLowerCase()] ?? s.toLowerCase();
  if (!FORMATS.includes(f)) throw new Usage(`invalid value '${s}' for '--format <FMT>': unknown format \`${s}\`; expected one of ${FORMATS.join(", ")}`);
  return f;
}

function oneOf(name, value, allowed) {
  if (!allowed.includes(value)) throw new Usage(`invalid value '${value}' for '${name}' [possible values: ${allowed.join(", ")}]`);
  return value;
}

/** Parse `lint` arguments, keeping each --format / -o position (they pair by order). */
function parseLint(argv) {
  const a = {
    paths: [],
    formats: [],
    outputs: [],
    failOn: null,
    config: null,
    noConfig: false,
    quiet: false,
    color: "auto",
    fix: false,
    diff: false,
    baseline: null,
    writeBaseline: null,
    maxFileSize: null,
    help: false,
    version: false,
  };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || arg === "-" || !arg.startsWith("-")) {
      a.paths.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyPaths = true;
      continue;
    }
    let name = arg;
    let inline = null;
    if (arg.startsWith("--") && arg.includes("=")) {
      name = arg.slice(0, arg.indexOf("="));
      inline = arg.slice(arg.indexOf("=") + 1);
    } else if (/^-[oj]./.test(arg)) {
      name = arg.slice(0, 2);
      inline = arg.slice(2).replace(/^=/, "");
    }
    const value = () => {
      if (inline !== null) return inline;
      if (i + 1 >= argv.length) throw new Usage(`a value is required for '${name}' but none was supplied`);
      return argv[++i];
    };
    switch (name) {
      case "--format":
        a.formats.push({ at: i, format: normalFormat(value()) });
        break;
      case "-o":
      case "--output":
        a.outputs.push({ at: i, file: value() });
        break;
      case "--fail-on":
        a.failOn = oneOf("--fail-on <LEVEL>", value(), ["error", "warning", "note", "never"]);
        break;
      case "--config":
        a.config = value();
        break;
      case "--no-config":
        a.noConfig = true;
        break;
      case "-j":
      case "--threads": {
        const n = value();
        if (!/^\d+$/.test(n)) throw new Usage(`invalid value '${n}' for '--threads <N>': invalid digit found in string`);
        break;
      }
      case "-q":
      case "--quiet":
        a.quiet = true;
        break;
      case "--color":
        a.color = oneOf("--color <WHEN>", value(), ["auto", "always", "never"]);
        break;
      case "--fix":
        a.fix = true;
        break;
      case "--diff":
        a.diff = true;
        break;
      case "--baseline":
        a.baseline = value();
        break;
      case "--write-baseline":
        a.writeBaseline = value();
        break;
      case "--max-file-size": {
        const n = value();
        if (!/^\d+$/.test(n)) throw new Usage(`invalid value '${n}' for '--max-file-size <BYTES>': invalid digit found in string`);
        a.maxFileSize = Number(n);
        break;
      }
      case "-h":
      case "--help":
        a.help = true;
        break;
      case "-V":
      case "--version":
        a.version = true;
        break;
      default:
        throw new Usage(`unexpected argument '${arg}' found`);
    }
    if (inline !== null && !["--format", "-o", "--output", "--fail-on", "--config", "-j", "--threads", "--color", "--baseline", "--write-baseline", "--max-file-size"].includes(name)) {
      throw new Usage(`unexpected value '${inline}' for '${name}' found; no more were expected`);
    }
  }
  if (a.config !== null && a.noConfig) throw new Usage("the argument '--config <FILE>' cannot be used with '--no-config'");
  if (a.diff && !a.fix) {
    throw new Usage("the following required arguments were not provided:\n  --fix\n\nUsage: silt lint --fix --diff [PATHS]...");
  }
  return a;
}

/** Pair each -o with the --format before it; a format with no file goes to stdout (main.rs `pair_outputs`). */
function pairOutputs(formats, outputs) {
  if (!formats.length) {
    if (!outputs.length) return [{ format: "human", file: null }];
    return outputs.map((o) => ({ format: "human", file: o.file }));
  }
  const early = outputs.find((o) => o.at < formats[0].at);
  if (early) {
    throw new Fatal(`\`-o ${early.file}\` comes before any \`--format\`; put it after the format it writes, e.g. \`--format sarif -o ${early.file}\``);
  }
  const targets = [];
  formats.forEach((f, n) => {
    const next = n + 1 < formats.length ? formats[n + 1].at : Infinity;
    const mine = outputs.filter((o) => o.at > f.at && o.at < next);
    if (!mine.length) targets.push({ format: f.format, file: null });
    else for (const o of mine) targets.push({ format: f.format, file: o.file });
  });
  return targets;
}

function realOr(p) {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A path for messages: relative to the current folder when below it (main.rs `shown`). */
function shown(p) {
  const cwd = realOr(process.cwd());
  const canon = realOr(p) ?? p;
  if (cwd) {
    const c = cwd.split("/").filter(Boolean);
    const parts = canon.split("/").filter(Boolean);
    if (canon.startsWith("/") && parts.length > c.length && c.every((x, i) => x === parts[i])) return parts.slice(c.length).join("/");
  }
  return p;
}

/** `--config`, else the first silt.toml from `start` upwards: `{path, text, display}` or null. */
function findConfig(explicit, start) {
  let p = explicit;
  if (p === null) {
    for (let d = start; ; d = path.dirname(d)) {
      const c = path.join(d, CONFIG_FILE);
      if (isFile(c)) {
        p = c;
        break;
      }
      if (path.dirname(d) === d) return null;
    }
  }
  const display = explicit !== null ? explicit : shown(p);
  try {
    return { path: p, text: readText(p), display };
  } catch (e) {
    throw new Fatal(`cannot read configuration \`${display}\`: ${ioMessage(e)}`);
  }
}

/** A Linter with the configuration and its custom rules (main.rs `load_linter`); `maxFileSize`
 * (`--max-file-size`) overrides the configuration's. */
function loadLinter(config, maxFileSize = null) {
  const limit = maxFileSize === null ? {} : { maxFileSize };
  if (!config) return new Linter(limit);
  const { display, text } = config;
  try {
    const customRules = [];
    for (const ruleFile of customRuleFiles(text, display)) {
      const rulePath = path.resolve(path.dirname(config.path), ruleFile);
      let contents;
      try {
        contents = readText(rulePath);
      } catch (e) {
        throw new Fatal(`${display}: cannot read custom rule file \`${ruleFile}\`: ${ioMessage(e)}`);
      }
      customRules.push({ path: shown(rulePath), contents });
    }
    return new Linter({ config: text, configPath: display, customRules, ...limit });
  } catch (e) {
    if (e instanceof Fatal) throw e;
    throw new Fatal(e.message);
  }
}

function useColor(when, toFile) {
  if (when === "always") return true;
  if (when === "never") return false;
  return !toFile && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

function lint(argv) {
  const args = parseLint(argv);
  if (args.help) return out(LINT_HELP), 0;
  if (args.version) return out(`silt ${version()}\n`), 0;
  const targets = pairOutputs(args.formats, args.outputs);
  const p = plan(args.paths);
  const config = args.noConfig ? null : findConfig(args.config, p.root);
  const linter = loadLinter(config, args.maxFileSize);
  const found = files(p, linter);
  for (const w of found.warnings) io.stderr(`warning: ${escapeText(w)}\n`);
  const maxSize = linter.maxFileSize;
  const read = () =>
    found.entries.map((e) => {
      if (e.error !== undefined) return { path: e.rel, error: e.error };
      try {
        // A file over the size limit is not read: its size is enough for the core's parse-error.
        const size = fs.statSync(e.abs).size;
        if (size > maxSize) return { path: e.rel, size };
        return { path: e.rel, contents: fs.readFileSync(e.abs) };
      } catch (err) {
        return { path: e.rel, error: `cannot read file: ${ioMessage(err)}` };
      }
    });
  let input = read();
  if (args.fix && fix(linter, input, found.entries, args.diff) > 0 && !args.diff) {
    input = read(); // report what remains after the fixes
  }
  const level = args.failOn ?? linter.failOn ?? "error";
  const baseline = baselineOptions(args);
  // With --diff nothing is rendered, but a baseline is still written (as the native CLI does).
  const renders = args.diff ? [{ format: "json", file: undefined }] : targets;
  let fails = false;
  let stdout = "";
  renders.forEach((t, n) => {
    const color = useColor(args.color, t.file !== null);
    let r;
    try {
      r = linter.lintText(input, {
        format: t.format,
        failOn: level === "never" ? "error" : level,
        color,
        quiet: args.quiet && t.format === "human",
        ...baseline,
      });
    } catch (e) {
      throw new Fatal(e.message); // a broken baseline file
    }
    fails = r.fails;
    if (n === 0) baselineMessages(args, r);
    if (t.file === undefined) return;
    if (t.file !== null) {
      try {
        fs.writeFileSync(t.file, r.text);
      } catch (e) {
        throw new Fatal(`cannot write \`${t.file}\`: ${ioMessage(e)}`);
      }
    } else {
      stdout += r.text;
    }
  });
  out(stdout);
  return level !== "never" && fails ? 1 : 0;
}

/** `--fix` (fix.rs): apply the core's edits to the files, or with `diff` print them. Returns how many
 * files changed. */
function fix(linter, input, entries, diff) {
  const abs = new Map(entries.map((e) => [e.rel, e.abs]));
  let changed = 0;
  let diffs = "";
  for (const f of linter.fix(input, { diff })) {
    if (f.warning !== undefined) {
      io.stderr(`warning: ${escapeText(f.warning)}\n`);
      continue;
    }
    changed++;
    if (diff) {
      diffs += f.diff;
      continue;
    }
    try {
      fs.writeFileSync(abs.get(f.path), f.text);
    } catch (e) {
      throw new Fatal(`cannot write \`${f.path}\`: ${ioMessage(e)}`);
    }
    io.stderr(`fixed ${escapeText(f.path)} (${f.edits} edit${f.edits === 1 ? "" : "s"})\n`);
  }
  out(diffs);
  return changed;
}

/** The lint options for --write-baseline / --baseline. */
function baselineOptions(args) {
  if (args.writeBaseline !== null) return { writeBaseline: true };
  if (args.baseline === null) return {};
  let text;
  try {
    text = readText(args.baseline);
  } catch (e) {
    throw new Fatal(`cannot read baseline \`${args.baseline}\`: ${ioMessage(e)}`);
  }
  return { baseline: text, baselinePath: shown(args.baseline) };
}

/** Write the baseline and say what it did (main.rs, after the fixes). */
function baselineMessages(args, r) {
  if (args.writeBaseline !== null) {
    try {
      fs.writeFileSync(args.writeBaseline, r.baselineText);
    } catch (e) {
      throw new Fatal(`cannot write \`${args.writeBaseline}\`: ${ioMessage(e)}`);
    }
    const n = JSON.parse(r.baselineText).entries.length;
    io.stderr(`silt: wrote ${n} findings to baseline ${escapeText(args.writeBaseline)}\n`);
  } else if (args.baseline !== null && r.baseline) {
    const { hidden, fixed } = r.baseline;
    io.stderr(`silt: ${hidden} findings hidden by baseline ${escapeText(args.baseline)}\n`);
    if (fixed.length) {
      io.stderr(
        `silt: ${fixed.length} baseline entries are fixed and can be pruned (re-run with --write-baseline ${escapeText(args.baseline)}):\n`,
      );
      // Baseline entries are file content: escaped like every name in the reports.
      for (const e of fixed) io.stderr(`  ${escapeText(e.rule)} ${escapeText(e.file)} ${escapeText(e.element)}\n`);
    }
  }
}

/** The silt.toml above the current folder, for `rules` and `explain`; broken: built-in rules only. */
function listingLinter() {
  try {
    return loadLinter(findConfig(null, realOr(process.cwd()) ?? process.cwd()));
  } catch (e) {
    io.stderr(`warning: ${escapeText(e.message)}; listing built-in rules only\n`);
    return new Linter();
  }
}

function rules(argv) {
  let format = "human";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") return out("List the rules\n\nUsage: silt rules [--format <human|json|markdown>]\n"), 0;
    if (arg === "--format" || arg.startsWith("--format=")) {
      const v = arg.includes("=") ? arg.slice(9) : argv[++i];
      if (v === undefined) throw new Usage("a value is required for '--format <FORMAT>' but none was supplied");
      format = oneOf("--format <FORMAT>", v, ["human", "json", "markdown"]);
    } else {
      throw new Usage(`unexpected argument '${arg}' found`);
    }
  }
  const list = listingLinter().rules();
  if (format === "markdown") return out(rulesMarkdown()), 0;
  if (format === "json") {
    // Keys in serde_json's (sorted) order, two-space indent: the same bytes as the native CLI.
    const rows = list.map((r) => ({ fixable: r.fixable, name: r.name, origin: r.origin ?? null, severity: r.severity, summary: r.summary, tags: r.tags }));
    out(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    const w = Math.max(4, ...list.map((r) => Buffer.byteLength(r.name)));
    const pad = (s, n) => s + " ".repeat(Math.max(0, n - [...s].length));
    let s = `${pad("NAME", w)}  ${pad("SEVERITY", 8)}  ${pad("FIXABLE", 7)}  SUMMARY\n`;
    for (const r of list) s += `${pad(r.name, w)}  ${pad(r.severity, 8)}  ${pad(r.fixable ? "yes" : "no", 7)}  ${r.summary}\n`;
    out(s);
  }
  return 0;
}

function explain(argv) {
  const names = argv.filter((a) => a !== "--");
  if (names.includes("-h") || names.includes("--help")) return out("Show a rule's documentation\n\nUsage: silt explain <RULE>\n"), 0;
  if (names.length !== 1) throw new Usage(names.length ? `unexpected argument '${names[1]}' found` : "the following required arguments were not provided: <RULE>");
  let text;
  try {
    text = listingLinter().explain(names[0]);
  } catch (e) {
    throw new Fatal(`${e.message} (\`silt rules\` lists them)`);
  }
  out(text.endsWith("\n") ? text : `${text}\n`);
  return 0;
}

function init() {
  let fd;
  try {
    fd = fs.openSync(CONFIG_FILE, "wx");
  } catch (e) {
    if (e.code === "EEXIST") throw new Fatal(`${CONFIG_FILE} already exists; not overwriting it`);
    throw new Fatal(`cannot create ${CONFIG_FILE}: ${ioMessage(e)}`);
  }
  try {
    fs.writeSync(fd, starterConfig());
  } catch (e) {
    throw new Fatal(`cannot write ${CONFIG_FILE}: ${ioMessage(e)}`);
  } finally {
    fs.closeSync(fd);
  }
  io.stderr(`created ${CONFIG_FILE}\n`);
  return 0;
}

let pending = "";
/** Queue stdout text; written once at the end so exit codes never cut it short. */
function out(text) {
  pending += text;
}

/** Where a run writes: `stdout(text)` gets the whole standard output once, at the end (it may return a
 * promise); `stderr(text)` gets messages as they happen. */
const processIo = { stdout: writeStdout, stderr: (text) => process.stderr.write(text) };
let io = processIo;

/** Run the CLI on `argv` (without node and the script), writing to `sinks` (default: the process's
 * stdout and stderr). Resolves to the exit code. Hosts such as the `sf` plugin call this. */
export async function run(argv, sinks = {}) {
  io = { ...processIo, ...sinks };
  let code;
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case "lint":
        code = lint(rest);
        break;
      case "rules":
        code = rules(rest);
        break;
      case "explain":
        code = explain(rest);
        break;
      case "init":
        if (rest.length) throw new Usage(`unexpected argument '${rest[0]}' found`);
        code = init();
        break;
      case "-V":
      case "--version":
        out(`silt ${version()}\n`);
        code = 0;
        break;
      case "help":
      case "-h":
      case "--help":
        out(HELP);
        code = 0;
        break;
      case undefined:
        io.stderr(HELP);
        code = 2;
        break;
      default:
        throw new Usage(`unrecognized subcommand '${command}'`);
    }
  } catch (e) {
    pending = "";
    if (e instanceof Usage) {
      io.stderr(`error: ${e.message}\n\nFor more information, try '--help'.\n`);
    } else if (e instanceof Fatal) {
      io.stderr(`error: ${escapeText(e.message)}\n`);
    } else {
      io.stderr(`error: internal error (a bug in silt); please report it\n${e && e.stack ? e.stack : e}\n`);
    }
    code = 2;
  }
  const text = pending;
  pending = "";
  await io.stdout(text);
  return code;
}

/** `silt` in this process (bin/silt.js). */
export function main(argv) {
  return run(argv);
}

function writeStdout(text) {
  return new Promise((resolve) => {
    if (!text) return resolve();
    process.stdout.on("error", () => resolve()); // closed pipe (`silt lint | head`)
    process.stdout.write(text, () => resolve());
  });
}
