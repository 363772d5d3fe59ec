import { basename } from "node:path";
import type { CalibrationSplitOff } from "@sidenet/core/artefact";
import { stratifiedSplit, subsetIndices } from "@sidenet/core/node";
import * as text from "@sidenet/text";
import * as vision from "@sidenet/vision";
import type { CliOptions } from "./options.js";

/** A labelled row of either modality. */
export type Row = text.TextRow | vision.ImageRow;

/** The modality a command works on, from the task. */
export type Modality = "text" | "image";

/** Reads a data file (or image folder) with the command's column options, then `--shuffle`/`--limit`. */
export async function readRows(modality: Modality, file: string, o: CliOptions): Promise<Row[]> {
  const rows: Row[] =
    modality === "image"
      ? await vision.readImageData(file, {
          imageColumn: o.columns.imageColumn,
          labelColumn: o.columns.labelColumn,
        })
      : await text.readTextData(file, {
          textColumn: o.columns.textColumn,
          labelColumn: o.columns.labelColumn,
        });
  if (o.columns.textColumn && modality === "image") warnIgnored("--text-column", "image");
  if (o.columns.imageColumn && modality === "text") warnIgnored("--image-column", "text");
  return [...subsetIndices(rows.length, { limit: o.limit, shuffle: o.shuffle, seed: o.seed })].map(
    (i) => rows[i]!,
  );
}

const warnIgnored = (option: string, modality: string) =>
  console.error(`note: ${option} is ignored for ${modality} data.`);

/** Training and calibration rows of an attach, with their names and, when split off, how. */
export interface AttachRows {
  train: Row[];
  calibration: Row[];
  trainName: string;
  calibrationName: string;
  splitOff?: CalibrationSplitOff;
}

/**
 * The rows of an attach: `--data` and `--calibration`, or `--data` split by label (`--calibration-split`),
 * said loudly since the MainNet may have trained on those rows.
 */
export async function attachRows(modality: Modality, o: CliOptions): Promise<AttachRows> {
  const data = await readRows(modality, o.data!, o);
  if (o.calibration !== undefined) {
    return {
      train: data,
      calibration: await readRows(modality, o.calibration, o),
      trainName: o.data!,
      calibrationName: o.calibration,
    };
  }
  const fraction = o.calibrationSplit!;
  const { rest, held } = stratifiedSplit(
    data.map((r) => r.label),
    fraction,
    o.seed,
  );
  console.error(
    `WARNING: no --calibration file: ${held.length} of the ${data.length} rows of ${o.data} (a stratified ${(fraction * 100).toFixed(0)} %, seed ${o.seed}) are held out to fit temperature and τ. If the MainNet trained on ${basename(o.data!)}, its accuracy there is optimistic and so is the budget; a file of rows it never saw is better. Recorded in sidenet.json (calibration.split_off).`,
  );
  return {
    train: [...rest].map((i) => data[i]!),
    calibration: [...held].map((i) => data[i]!),
    trainName: `${o.data} (${data.length - held.length} rows, --calibration-split ${fraction} --seed ${o.seed})`,
    calibrationName: `${o.data} (${held.length} rows held out, --calibration-split ${fraction} --seed ${o.seed})`,
    splitOff: { from: o.data!, fraction, seed: o.seed, stratified: true },
  };
}
