import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { IncompatibleModelError, InvalidArgumentError } from "@sidenet/core";
import { describe, expect, it } from "vitest";
import { attachTextSideNet, pipeline, TEXT_ARCHITECTURES } from "../src/index.js";
import { rows } from "./helpers/small-artefact.js";

const MAINNET = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures", "models", "bert");

describe("the text registry", () => {
  it("is frozen and covers the fixture's model_type with sequence poolings", () => {
    expect(Object.isFrozen(TEXT_ARCHITECTURES)).toBe(true);
    const bert = TEXT_ARCHITECTURES.find((a) => a.modelTypes.includes("bert"))!;
    expect(bert.tapLayout).toBe("sequence");
    expect(bert.poolings).toEqual(["cls", "mean"]);
    expect(bert.tapName("/bert/encoder/layer.3/output/LayerNorm/Add_1_output_0")).toBe("layer 3");
  });

  it("attach refuses a model_type outside the registry before any work, naming config.json and the supported types", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sidenet-unknown-arch-"));
    try {
      for (const f of readdirSync(MAINNET)) {
        if (f !== "config.json") symlinkSync(join(MAINNET, f), join(dir, f));
      }
      const config = JSON.parse(readFileSync(join(MAINNET, "config.json"), "utf8"));
      writeFileSync(join(dir, "config.json"), JSON.stringify({ ...config, model_type: "mystery" }));
      const attach = attachTextSideNet({
        mainnet: dir,
        train: [{ text: "a", label: "ham" }],
        calibration: [{ text: "b", label: "spam" }],
        out: join(dir, "out"),
        log: () => {},
      });
      await expect(attach).rejects.toThrow(IncompatibleModelError);
      await expect(attach).rejects.toThrow(
        /config\.json: model_type "mystery" is not in sidenet's registry \(supported: bert, distilbert, roberta, xlm-roberta, albert, electra, deberta-v2, mobilebert, modernbert\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--taps names any node output, not only the candidates (here the embeddings, with mean pooling)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sidenet-any-tap-"));
    const embeddings = "/bert/embeddings/LayerNorm/Add_1_output_0";
    try {
      const common = {
        mainnet: MAINNET,
        train: rows("train").slice(0, 200),
        calibration: rows("validation").slice(0, 200),
        out: join(dir, "out"),
        poolings: ["mean" as const],
        measureSmallBatches: false,
        log: () => {},
      };
      await expect(attachTextSideNet({ ...common, taps: ["/no/such/tensor"] })).rejects.toThrow(
        InvalidArgumentError,
      );
      await expect(attachTextSideNet({ ...common, taps: ["/no/such/tensor"] })).rejects.toThrow(
        /tap "\/no\/such\/tensor" is not a tensor computed by .*model\.onnx\. Name any node output/,
      );
      // a tensor the graph computes, but of integers: refused on the first batch, naming it
      await expect(
        attachTextSideNet({ ...common, taps: ["/bert/embeddings/Shape_output_0"] }),
      ).rejects.toThrow(
        /tap "\/bert\/embeddings\/Shape_output_0" holds int64 values \(shape \[2\]\); a SideNet head reads float32 features/,
      );
      const { sweep } = await attachTextSideNet({ ...common, taps: [embeddings] });
      expect(sweep.candidates.map((c) => c.tap)).toEqual([embeddings]);
      expect(sweep.candidates[0]!.pooling).toBe("mean");
      // and the artefact runs: at τ = 0 every row leaves at the embeddings
      const classify = (await pipeline("text-classification", common.out)) as unknown as ((
        t: string[],
        o?: object,
      ) => Promise<unknown[] & { sidenet: { exit: number }[] }>) & { model: { dispose(): Promise<void> } };
      const out = await classify(
        rows("test")
          .slice(0, 4)
          .map((r) => r.text),
        { threshold: 0 },
      );
      expect(out.sidenet.map((t) => t.exit)).toEqual([0, 0, 0, 0]);
      await classify.model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
