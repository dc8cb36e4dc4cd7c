#!/usr/bin/env node
// `npx silt lint force-app`: silt without Rust, on the Wasm build. See lib/cli.js.
import { main } from "../lib/cli.js";

process.exitCode = await main(process.argv.slice(2));
