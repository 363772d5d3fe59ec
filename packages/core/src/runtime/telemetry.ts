import type { ExitSpec } from "../artefact/format.js";
import type { CascadeOutput } from "../routing/cascade.js";

/** Per-row telemetry of a SideNet call. */
export interface ExitTelemetry {
  /** Exit index the row left at, or −1 when the MainNet answered. */
  exit: number;
  /** Tap the row left at (undefined for the MainNet). */
  tap: string | undefined;
  confidence: number;
  /** Milliseconds from the start of the batch until this row's answer was known. */
  ms: number;
}

/** `result` with `telemetry` attached as its non-enumerable `sidenet` property (the output shape stays transformers.js's). */
export function withTelemetry<T extends object>(result: T, telemetry: ExitTelemetry[]): T {
  Object.defineProperty(result, "sidenet", { value: telemetry, enumerable: false });
  return result;
}

/** Telemetry rows of a {@link CascadeOutput}. */
export function telemetryOf(out: CascadeOutput, exits: readonly ExitSpec[]): ExitTelemetry[] {
  return Array.from(out.exitIndex, (e, r) => ({
    exit: e,
    tap: e >= 0 ? exits[e]!.tap : undefined,
    confidence: out.confidence[r]!,
    ms: out.elapsedMs[r]!,
  }));
}
