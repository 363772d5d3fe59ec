/**
 * The browser build's import graph (`browser` export condition of @sidenet/text; @sidenet/core's main
 * and runtime entries), walked statically from packages/text/src/browser.ts and from
 * packages/core/src/runtime/index.ts: no Node built-in module anywhere in them.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE, PACKAGES, walk } from "../../core/test/helpers/import-graph.js";

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
