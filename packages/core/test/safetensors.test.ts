import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CorruptArtefactError, readSafetensors, writeSafetensors } from "../src/index.js";
import type { SafetensorsTensor } from "../src/internal.js";

const bytesOf = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

const tensorArb: fc.Arbitrary<SafetensorsTensor> = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 })
  .chain((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.oneof(
      // any bit pattern, NaN payloads included: the round trip must be bit-exact
      fc.array(fc.integer(), { minLength: n, maxLength: n }).map((ints) => ({
        dtype: "F32" as const,
        shape,
        data: new Float32Array(Int32Array.from(ints).buffer),
      })),
      fc
        .array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: n, maxLength: n })
        .map((v) => ({
          dtype: "I64" as const,
          shape,
          data: BigInt64Array.from(v),
        })),
      fc
        .array(fc.integer(), { minLength: n, maxLength: n })
        .map((v) => ({ dtype: "I32" as const, shape, data: Int32Array.from(v) })),
    );
  });

function header(json: object, data = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe("safetensors", () => {
  test.prop([
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== "__metadata__"),
      tensorArb,
    ),
    fc.dictionary(fc.string(), fc.string()),
  ])("write → read round-trips bit-exactly", (tensors, metadata) => {
    const back = readSafetensors(writeSafetensors(tensors, metadata));
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const b = back.tensors[name]!;
      expect(b.dtype).toBe(t.dtype);
      expect(b.shape).toEqual(t.shape);
      expect(bytesOf(b.data)).toEqual(bytesOf(t.data));
    }
    expect(back.metadata).toEqual(Object.keys(metadata).length ? metadata : {});
  });

  // regression: a Node Buffer's `slice` is a view, and tensors were read from offset 0 of the whole file
  test.prop([
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== "__metadata__"),
      tensorArb,
    ),
    fc.nat(64),
  ])("reads the same tensors from a Node Buffer, at any offset in its ArrayBuffer", (tensors, pad) => {
    const bytes = writeSafetensors(tensors);
    const file = Buffer.alloc(pad + bytes.length);
    file.set(bytes, pad);
    const back = readSafetensors(file.subarray(pad));
    for (const [name, t] of Object.entries(tensors))
      expect(bytesOf(back.tensors[name]!.data)).toEqual(bytesOf(t.data));
  });

  it("writes 8-byte aligned data", () => {
    const bytes = writeSafetensors({ a: { dtype: "F32", shape: [1], data: new Float32Array([1]) } });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  const cases: [string, Uint8Array, RegExp][] = [
    ["too short", new Uint8Array(4), /too short/],
    [
      "header longer than the file",
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, 1000n, true);
        return b;
      })(),
      /header length 1000 exceeds/,
    ],
    [
      "negative-looking (huge) header length",
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigInt64(0, -5n, true);
        return b;
      })(),
      /exceeds/,
    ],
    ["garbage JSON", header({}).map((v, i) => (i === 8 ? 0x7b + 1 : v)), /not valid UTF-8 JSON/],
    [
      "unknown dtype",
      header({ a: { dtype: "Q4", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /dtype "Q4"/,
    ],
    [
      "offsets out of range",
      header({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)),
      /outside the 4 data bytes/,
    ],
    [
      "size ≠ shape",
      header({ a: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /needs 8 bytes/,
    ],
    [
      "overlapping tensors",
      header(
        {
          a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
          b: { dtype: "F32", shape: [2], data_offsets: [4, 12] },
        },
        new Uint8Array(12),
      ),
      /overlap/,
    ],
    [
      "negative shape",
      header({ a: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /shape/,
    ],
    [
      "trailing bytes",
      header({ a: { dtype: "U8", shape: [1], data_offsets: [0, 1] } }, new Uint8Array(3)),
      /cover 1 of the 3/,
    ],
  ];
  it.each(cases)("rejects %s with a CorruptArtefactError naming the file", (_, bytes, pattern) => {
    expect(() => readSafetensors(bytes, "heads.safetensors")).toThrow(CorruptArtefactError);
    expect(() => readSafetensors(bytes, "heads.safetensors")).toThrow(pattern);
    expect(() => readSafetensors(bytes, "heads.safetensors")).toThrow(/^heads\.safetensors: /);
  });

  test.prop([fc.uint8Array({ maxLength: 200 })])(
    "never throws anything but CorruptArtefactError on random bytes",
    (bytes) => {
      try {
        readSafetensors(bytes, "x");
      } catch (e) {
        expect(e).toBeInstanceOf(CorruptArtefactError);
      }
    },
  );
});
