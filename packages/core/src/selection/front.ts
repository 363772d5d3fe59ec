/** Pareto fronts of cascades: cost against accuracy, or against agreement with the MainNet. */

/** Points no other point beats on both cost and accuracy, by cost ascending (accuracy strictly rising). */
export function paretoFront<P extends { cost: number; accuracy: number }>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  const front: P[] = [];
  for (const p of sorted) if (front.length === 0 || p.accuracy > front.at(-1)!.accuracy) front.push(p);
  return front;
}

/** The front of cost against agreement with the MainNet (the `minAgreement` budget's). */
export function agreementFront<P extends { cost: number; accuracy: number; agreement: number }>(
  points: readonly P[],
): P[] {
  const byAgreement = new Map(points.map((p) => [{ cost: p.cost, accuracy: p.agreement }, p]));
  return paretoFront([...byAgreement.keys()]).map((k) => byAgreement.get(k)!);
}

/**
 * Keeps, of many points handed to it, those that may end on either front: when the buffer grows past
 * `limit`, it is cut to the union of its two fronts (a point off both fronts of a subset is off both
 * fronts of the whole).
 */
export class FrontCollector<P extends { cost: number; accuracy: number; agreement: number }> {
  private buffer: P[] = [];
  /** Points handed in. */
  added = 0;

  constructor(private readonly limit = 8192) {}

  add(p: P): void {
    this.added++;
    this.buffer.push(p);
    if (this.buffer.length > this.limit) this.buffer = this.prune();
  }

  /** The points on either front of everything added, by cost ascending. */
  fronts(): P[] {
    this.buffer = this.prune();
    return this.buffer;
  }

  private prune(): P[] {
    const keep = new Set([...paretoFront(this.buffer), ...agreementFront(this.buffer)]);
    return [...keep].sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  }
}
