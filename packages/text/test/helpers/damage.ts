/**
 * Damaging copies of a good artefact for the reliability tests: copies (ONNX files linked, never
 * written through), a snapshot of every file's bytes (to prove a load writes nothing), edits of
 * sidenet.json fields, byte-level damage of any file, and re-pinning (sealing a damaged file's new hash
 * into sidenet.json, so that the checks behind the pins are exercised too).
 */
import { createHash } from "node:crypto";
import {
  cpSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Manifest = {
  heads?: string;
  segments: Record<string, string[]>;
  files?: Record<string, string>;
  [k: string]: unknown;
};

/** A copy of `good` in a new folder of `work`: small files copied, ONNX files linked (read-only use). */
export function cloneArtefact(good: string, work: string): string {
  const dir = mkdtempSync(join(work, "case-"));
  const walk = (rel: string) => {
    for (const f of readdirSync(join(good, rel))) {
      const r = join(rel, f);
      if (statSync(join(good, r)).isDirectory()) {
        cpSync(join(good, r), join(dir, r), { recursive: true, filter: (src) => !src.endsWith(".onnx") });
        walk(r);
      } else if (f.endsWith(".onnx")) symlinkSync(join(good, r), join(dir, r));
      else cpSync(join(good, r), join(dir, r));
    }
  };
  walk("");
  return dir;
}

/** Every file under `dir` (relative path → sha256 of its bytes; links followed, and marked). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const f of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${f}` : f;
      const p = join(dir, r);
      if (statSync(p).isDirectory()) walk(r);
      else
        out[r] =
          `${lstatSync(p).isSymbolicLink() ? "link:" : ""}${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
    }
  };
  walk("");
  return out;
}

export const manifestOf = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "sidenet.json"), "utf8")) as Manifest;

/** The file of a named part of the artefact ("heads", "segment fp32 1", or a plain relative path). */
export function partPath(dir: string, part: string): string {
  const m = manifestOf(dir);
  if (part === "heads") return join(dir, m.heads ?? "heads.safetensors");
  const seg = /^segment (\w+) (\d+)$/.exec(part);
  if (seg) return join(dir, m.segments[seg[1]!]![Number(seg[2])]!);
  return join(dir, part);
}

/** Replaces `path` by `bytes` (a linked ONNX file is unlinked first: the good artefact is never touched). */
export function overwrite(path: string, bytes: Uint8Array | string): void {
  unlinkSync(path);
  writeFileSync(path, bytes);
}

/** Damages `path` in place: truncated to a fraction `at` of its length. */
export function truncate(path: string, at: number): void {
  const b = readFileSync(path);
  overwrite(path, b.subarray(0, Math.floor(at * b.length)));
}

/** Damages `path` in place: the byte at fraction `at` XOR `mask` (1 … 255: always a change). */
export function flipByte(path: string, at: number, mask: number): void {
  const b = new Uint8Array(readFileSync(path));
  const i = Math.min(b.length - 1, Math.floor(at * b.length));
  b[i] = b[i]! ^ mask;
  overwrite(path, b);
}

/** Edits sidenet.json of `dir` with `f`. */
export function editJson(dir: string, f: (m: Record<string, any>) => void): void {
  const p = join(dir, "sidenet.json");
  const m = JSON.parse(readFileSync(p, "utf8"));
  f(m);
  writeFileSync(p, JSON.stringify(m));
}

/** Edits config.json of `dir` with `f`. */
export function editConfig(dir: string, f: (m: Record<string, unknown>) => void): void {
  const p = join(dir, "config.json");
  const m = JSON.parse(readFileSync(p, "utf8"));
  f(m);
  writeFileSync(p, JSON.stringify(m));
}

/** Seals the current bytes of `rel` into sidenet.json's pins (a consistent but wrong artefact). */
export function repin(dir: string, rel: string): void {
  const hash = createHash("sha256")
    .update(readFileSync(join(dir, rel)))
    .digest("hex");
  editJson(dir, (m) => {
    if (m.files) m.files[rel] = hash;
    if (m.mainnet?.file === rel) m.mainnet.sha256 = hash;
  });
}

/** Every path into a JSON value (objects and lists), depth first. */
export function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const here = at.length ? [at] : [];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (v && typeof v === "object")
    return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return here;
}

/**
 * One path per field of the schema: paths whose list indices are all 0 (the first exit, the first
 * front point, …) stand for every index. Object keys that are data (file names under `files`, label ids
 * under `id2label`, dtypes under `segments`) are kept as they are.
 */
export function fieldPaths(v: Json): (string | number)[][] {
  return paths(v).filter((p) => p.every((k) => typeof k !== "number" || k === 0));
}

/** Sets (or, with `undefined`, deletes) the value at `path`. */
export function edit(root: Json, path: (string | number)[], value: Json | undefined): void {
  let o = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(Number(last), 1);
    else delete o[last];
  } else o[last] = value;
}

/** A value of another JSON type than `v` (a string for numbers, a number for strings, …). */
export function wrongType(v: Json): Json {
  if (typeof v === "number") return "7";
  if (typeof v === "string") return 7;
  if (typeof v === "boolean") return "true";
  if (Array.isArray(v)) return { 0: v[0] ?? null };
  if (v === null) return [];
  return [v];
}
