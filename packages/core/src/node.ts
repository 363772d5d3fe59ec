/**
 * `@sidenet/core/node`: the Node-only file helpers — an artefact directory on a local disk as an artefact
 * source, and the atomic writes and hashes the artefact format relies on. (The main entry and
 * `@sidenet/core/runtime` import no Node module, so they bundle for the browser.)
 */
export { sha256File, writeFileAtomic } from "./artefact/fs.js";
export { localArtefact } from "./artefact/local.js";
