/**
 * `@sidenet/core/node`: the file-system helpers of the core (Node only; the main entry point stays free of
 * Node modules so that it bundles for the browser).
 */
export { sha256File, writeFileAtomic } from "./artefact/fs.js";
