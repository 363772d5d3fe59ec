import { RawImage, type Tensor } from "@huggingface/transformers";
import { InvalidArgumentError } from "@sidenet/core";

/** Pixels already in memory as the browser's `ImageData` holds them (RGBA, row-major). */
export interface ImageDataLike {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/**
 * What an image-classification call takes: what transformers.js's pipeline reads (a path or URL, a
 * `Blob`, a `RawImage`, a canvas) and, decoded already, an `ImageData` or a uint8 `Tensor` of an image
 * (`[channels, height, width]` or `[height, width, channels]`, 1–4 channels).
 */
export type ImageInput = string | URL | Blob | RawImage | ImageDataLike | Tensor | CanvasLike;

/** An `HTMLCanvasElement` or `OffscreenCanvas` (browser), typed without the DOM library. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(id: "2d"): unknown;
}

const isImageData = (x: unknown): x is ImageDataLike => {
  const o = x as ImageDataLike;
  return (
    typeof o === "object" &&
    o !== null &&
    (o.data instanceof Uint8ClampedArray || o.data instanceof Uint8Array) &&
    Number.isInteger(o.width) &&
    Number.isInteger(o.height) &&
    o.data.length === o.width * o.height * 4 &&
    !("dims" in o)
  );
};

const isTensor = (x: unknown): x is Tensor =>
  typeof x === "object" && x !== null && Array.isArray((x as Tensor).dims) && "type" in x && "data" in x;

/** A uint8 image tensor (transformers.js's or onnxruntime's) as a RawImage, channels last. */
function fromTensor(t: Tensor): RawImage {
  const data = t.data as unknown;
  if (t.dims.length !== 3 || !(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new Error(`expected a uint8 tensor of 3 dimensions, got ${t.type} [${t.dims}]`);
  }
  const [a, b, c] = t.dims as [number, number, number];
  if (!(a <= 4 && c > 4)) {
    if (c < 1 || c > 4) throw new Error(`expected 1–4 channels, got [${t.dims}]`);
    return new RawImage(new Uint8ClampedArray(data), b, a, c as 1 | 2 | 3 | 4);
  }
  // [channels, height, width] → [height, width, channels]
  const hw = b * c;
  const out = new Uint8ClampedArray(a * hw);
  for (let ch = 0; ch < a; ch++) for (let p = 0; p < hw; p++) out[p * a + ch] = data[ch * hw + p]!;
  return new RawImage(out, c, b, a as 1 | 2 | 3 | 4);
}

/**
 * `input` as a `RawImage`: what `RawImage.read` reads goes through it (exactly what the stock pipeline
 * does); an `ImageData` becomes a 4-channel RawImage of its pixels; a uint8 image Tensor becomes a
 * RawImage of its pixels (channels first when its first axis has 1–4 entries and its last does not).
 * Anything else is an InvalidArgumentError naming item `i`.
 */
export async function readImage(input: unknown, i: number): Promise<RawImage> {
  try {
    if (input instanceof RawImage) return input;
    if (isImageData(input)) return new RawImage(input.data, input.width, input.height, 4);
    if (isTensor(input)) return fromTensor(input);
    return await RawImage.read(input as never);
  } catch (e) {
    const what =
      typeof input === "string"
        ? input
        : isTensor(input)
          ? `Tensor ${input.type} [${input.dims}]`
          : typeof input;
    throw new InvalidArgumentError(
      `image ${i} (${what}) could not be read as an image: ${(e as Error).message}. Pass a path, URL, Blob, RawImage, canvas or ImageData of a PNG/JPEG/WebP image, or a uint8 Tensor [channels, height, width] / [height, width, channels].`,
      { cause: e },
    );
  }
}
