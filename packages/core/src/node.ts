/**
 * `@sidenet/core/node`: the Node-only file helpers — an artefact directory on a local disk as an artefact
 * source, and the atomic writes and hashes the artefact format relies on. (The main entry and
 * `@sidenet/core/runtime` import no Node module, so they bundle for the browser.) Also the data-file readers
 * (CSV/TSV, JSON Lines, Parquet) and the row subsets and splits attach uses.
 */
export { isLocalDir, pretrainedPath, sha256File, writeFileAtomic } from "./artefact/fs.js";
export { localArtefact } from "./artefact/local.js";
export { hubCacheDir, openArtefact } from "./artefact/open.js";
export type { StratifiedSplit, SubsetOptions } from "./data/subset.js";
export { stratifiedSplit, subsetIndices } from "./data/subset.js";
export type { Table, TableFormat } from "./data/table.js";
export { cell, readTable, readTableSync, TABLE_FORMATS } from "./data/table.js";
