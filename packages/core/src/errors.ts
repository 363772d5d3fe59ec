/**
 * Stable error codes. A caller may branch on `error.code`; the codes never change meaning.
 */
export type SideNetErrorCode =
  | "INVALID_ARGUMENT"
  | "SHAPE_MISMATCH"
  | "CORRUPT_ARTEFACT"
  | "INCOMPATIBLE_MODEL"
  | "UNKNOWN_TAP"
  | "UNSUPPORTED"
  | "FETCH_FAILED";

/**
 * Base class of every error sidenet throws on purpose. Messages say what was found, what was
 * expected and what to do.
 *
 * @example
 * ```ts
 * try { readSafetensors(bytes, "heads.safetensors"); }
 * catch (e) { if (e instanceof SideNetError && e.code === "CORRUPT_ARTEFACT") … }
 * ```
 */
export class SideNetError extends Error {
  readonly code: SideNetErrorCode;
  constructor(code: SideNetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SideNetError";
    this.code = code;
  }
}

/** An argument or option outside its domain. */
export class InvalidArgumentError extends SideNetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_ARGUMENT", message, options);
    this.name = "InvalidArgumentError";
  }
}

/** Two sizes that must agree do not (e.g. head input size vs. tap hidden size). */
export class ShapeMismatchError extends SideNetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SHAPE_MISMATCH", message, options);
    this.name = "ShapeMismatchError";
  }
}

/** A file on disk is damaged, truncated or inconsistent. */
export class CorruptArtefactError extends SideNetError {
  /** The file the problem was found in. */
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super("CORRUPT_ARTEFACT", `${file}: ${message}`, options);
    this.name = "CorruptArtefactError";
    this.file = file;
  }
}

/** A model that sidenet cannot attach to (unsupported architecture, missing tensors …). */
export class IncompatibleModelError extends SideNetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INCOMPATIBLE_MODEL", message, options);
    this.name = "IncompatibleModelError";
  }
}

/** A file could not be fetched (an HTTP status other than 200 or 404, or a network failure). */
export class FetchError extends SideNetError {
  /** The URL that failed. */
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super("FETCH_FAILED", `${url}: ${message}`, options);
    this.name = "FetchError";
    this.url = url;
  }
}

/** Throws an {@link InvalidArgumentError} naming the API, the option and the value found. */
export function invalid(api: string, option: string, found: unknown, expected: string): never {
  throw new InvalidArgumentError(`${api}: option \`${option}\` is ${describe(found)}; expected ${expected}.`);
}

function describe(v: unknown): string {
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (v === undefined || v === null) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return `a ${typeof v}`;
}
