// The bundled example project (examples/integration-gone-wrong), built into the site at build time.
// Paths are relative to the example's root, as `silt lint examples/integration-gone-wrong` prints them.
// Files are kept raw (`?raw`), so the browser lints exactly the bytes the CLI reads (the example has no
// dotfiles; the glob would need `**/.*` for them).

const PREFIX = "../../examples/integration-gone-wrong/";

const modules = import.meta.glob("../../examples/integration-gone-wrong/**/*", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export const EXAMPLE_NAME = "integration-gone-wrong";

export const exampleFiles: { path: string; contents: string }[] = Object.entries(modules)
  .map(([key, contents]) => ({ path: key.slice(PREFIX.length), contents }))
  .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
