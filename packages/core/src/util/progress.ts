/**
 * A minimal progress bar on stderr: redrawn in place on a TTY, a line per 10 % otherwise, nothing when
 * the environment sets `SIDENET_PROGRESS=0` (e.g. in notebooks).
 */
export class ProgressBar {
  private readonly start = performance.now();
  private lastDecile = -1;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    if (process.env.SIDENET_PROGRESS === "0") return;
    const frac = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const secs = (performance.now() - this.start) / 1000;
    const eta = frac > 0 ? secs / frac - secs : 0;
    const text = `${this.label} ${done}/${this.total} ${(frac * 100).toFixed(0)}% ${secs.toFixed(1)}s${frac < 1 ? ` eta ${eta.toFixed(0)}s` : ""}`;
    if (this.stream.isTTY) {
      const width = 24;
      const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
      this.stream.write(`\r${bar} ${text}\x1b[K${frac >= 1 ? "\n" : ""}`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${text}\n`);
      }
    }
  }
}
