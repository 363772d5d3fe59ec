/**
 * Static import graphs of the workspace's entry points, as a bundler for the browser resolves them
 * (`browser` export condition, then `source`): which files an entry reaches and which outside packages
 * those files import. Used by the browser-entry tests of @sidenet/text and @sidenet/vision.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** Node's built-in modules, with and without the `node:` prefix. */
export const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Specifiers of value imports and re-exports (`import type` / `export type` are erased). */
function imports(source: string): string[] {
  const out: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']/g;
  for (const m of source.matchAll(statement)) if (!m[2]) out.push(m[4]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) out.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]!);
  return out;
}

type Exports = Record<string, string | Record<string, unknown>>;

/** A workspace package's entry under the conditions a bundler uses for the browser (`browser`, then `source`). */
function workspaceEntry(spec: string): string {
  const [, name, sub] = /^@sidenet\/([^/]+)(\/.*)?$/.exec(spec)!;
  const dir = join(PACKAGES, name!);
  const exports = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).exports as Exports;
  let entry: unknown = exports[`.${sub ?? ""}`];
  while (entry && typeof entry === "object") {
    const e = entry as Record<string, unknown>;
    entry = e.browser ?? e.source;
  }
  if (typeof entry !== "string") throw new Error(`${spec}: no browser/source export`);
  return resolve(dir, entry);
}

/** Files reached from `entry` (relative to packages/) and the outside specifiers each imports. */
export function walk(entry: string) {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of imports(readFileSync(file, "utf8"))) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else if (spec.startsWith("@sidenet/")) visit(workspaceEntry(spec));
      else external.set(spec, relative(PACKAGES, file));
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(PACKAGES, f)), external };
}
