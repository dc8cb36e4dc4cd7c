// The browser page's ignore-file matcher (web/src/ignore.ts) at size n and 4n, for
// scripts/bench-linear.sh: one line per case, `case n t(n)_ms t(4n)_ms`, CPU time of this process.
//
//   node bench/ignore-bench.mjs
//
// Cases: a glob with eight `*` (`*a*a*a*a*a*a*a*b`) against a name of n = 10,000 characters; a path n =
// 2,500 folders deep under two ignore files. Needs TypeScript (web/node_modules, `npm ci`); exits 3
// without it.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "web");
let IgnoreSet;
try {
  const { importTs } = await import(pathToFileURL(path.join(web, "scripts", "import-ts.mjs")).href);
  ({ IgnoreSet } = await importTs(path.join(web, "src", "ignore.ts")));
} catch (e) {
  console.error(`ignore-bench: cannot load web/src/ignore.ts (is TypeScript installed? run \`npm ci\`): ${e.message}`);
  process.exit(3);
}

/** CPU milliseconds of `run(size)` repeated `reps` times, best of three. */
function time(run, size, reps) {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) run(size);
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) / 1000);
  }
  return best;
}

function measure(name, run, n) {
  run(n); // warm up
  let reps = 1;
  while (time(run, n, reps) < 50) reps *= 2;
  const small = time(run, n, reps);
  const large = time(run, 4 * n, reps);
  // Per call, so the figures read as the cost of one path.
  console.log(`${name} ${n} ${(small / reps).toFixed(3)} ${(large / reps).toFixed(3)}`);
}

const stars = new IgnoreSet();
stars.add(".gitignore", "", "*a*a*a*a*a*a*a*b\n");
measure("ignore.ts-stars", (n) => stars.ignores(`dir/${"a".repeat(n)}`), 10_000);

const deep = new IgnoreSet();
deep.add(".gitignore", "", "*.log\nb*/\n!keep\n");
deep.add(".forceignore", "a", "**/x/**\n");
measure("ignore.ts-deep", (d) => deep.ignores(`${"a/".repeat(d)}f.xml`), 2_500);
