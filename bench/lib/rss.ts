import { readFileSync } from "node:fs";

/**
 * This process's peak resident set in MiB: `VmHWM` of /proc/self/status on Linux, which starts afresh at
 * exec. (`process.resourceUsage().maxRSS` does not: Linux carries a parent's high-water mark into the
 * children it spawns, so a child of a bench holding large models reads the parent's peak.) Elsewhere,
 * `maxRSS`.
 */
export function peakRssMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
