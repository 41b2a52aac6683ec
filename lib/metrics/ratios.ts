/** `part / whole`, or null when the whole is 0 (a rate of nothing is undefined, not 0%). */
export function safeRatio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Arithmetic mean, or null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Percentile with linear interpolation between closest ranks (PostgreSQL's
 * `percentile_cont`): p = 0.5 is the usual median. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Round to `digits` decimals for display and stable JSON; null stays null. */
export function roundTo(value: number | null, digits = 4): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
