import type { WorkspaceHost } from "../index.js";

/** Node's file system as a `WorkspaceHost`, writing to `sinks` (default: the process's streams). */
export function nodeHost(sinks?: { stdout?: (bytes: Uint8Array) => void; stderr?: (bytes: Uint8Array) => void }): WorkspaceHost;
