/**
 * The browser build's import graph (`browser` export condition of @sidenet/text; @sidenet/core's main
 * and runtime entries), walked statically from packages/text/src/browser.ts and from
 * packages/core/src/runtime/index.ts: no Node built-in module anywhere in them.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

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

function walk(entry: string) {
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

describe("the browser build of @sidenet/text", () => {
  const { files, external } = walk(join(PACKAGES, "text", "src", "browser.ts"));

  it("imports no Node built-in module", () => {
    const node = [...external].filter(([spec]) => NODE.has(spec)).map(([spec, f]) => `${f} imports ${spec}`);
    expect(node).toEqual([]);
  });

  it("is the SideNet runtime over fetched artefacts, without the Node-only parts", () => {
    // not vacuous: the walk reaches the model, the cascade and the fetching source…
    expect(files).toEqual(
      expect.arrayContaining([
        "core/src/runtime/sidenet-model.ts",
        "core/src/runtime/remote-artefact.ts",
        "core/src/routing/cascade.ts",
        "text/src/text-pipeline.ts",
      ]),
    );
    // …and none of the local-disk, attach or data-reading modules
    for (const f of [
      "core/src/artefact/local.ts",
      "core/src/artefact/write.ts",
      "core/src/attach/attach.ts",
      "text/src/data.ts",
      "core/src/artefact/fs.ts",
    ])
      expect(files).not.toContain(f);
    // the only packages it needs besides the workspace's: transformers.js (its web build) and the ONNX
    // protobuf reader the core's main entry re-exports
    expect([...external.keys()].sort()).toEqual(["@huggingface/transformers", "onnx-proto"]);
  });

  it("@sidenet/core/runtime on its own: no Node module, no attach module", () => {
    const runtime = walk(join(PACKAGES, "core", "src", "runtime", "index.ts"));
    expect(runtime.files).toContain("core/src/runtime/sidenet-model.ts");
    expect([...runtime.external].filter(([spec]) => NODE.has(spec))).toEqual([]);
    expect(runtime.files.filter((f) => f.startsWith("core/src/attach/"))).toEqual([]);
  });

  it("the Node build does reach the Node-only parts (the walk tells the two apart)", () => {
    const node = walk(join(PACKAGES, "text", "src", "index.ts"));
    expect(node.files).toContain("text/src/data.ts");
    expect([...node.external.keys()].some((s) => NODE.has(s))).toBe(true);
  });
});
