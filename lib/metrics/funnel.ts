import type { FunnelEvent, FunnelPath, FunnelSpec } from "./funnel-trace";
import { traceFunnelPath } from "./funnel-trace";
import { percentile, safeRatio } from "./ratios";

export interface FunnelStepResult {
  name: string;
  /** Actors who reached this step. */
  count: number;
  /** count / step-1 count. */
  conversion_from_start: number | null;
  /** count / previous step's count (1 for step 1 when anyone entered). */
  conversion_from_previous: number | null;
  /** Actors who reached the previous step but not this one (0 for step 1). */
  drop_off: number;
  /** drop_off / previous step's count. */
  drop_off_rate: number | null;
  /** Median seconds from the previous step to this one, over actors who reached it (null for step 1). */
  median_seconds_to_convert: number | null;
  /** 90th percentile of the same. */
  p90_seconds_to_convert: number | null;
}

export interface FunnelBreakdownRow {
  /** Value of the breakdown property at step 1; "(none)" when absent, "other" for values beyond the top 10. */
  value: string;
  steps: FunnelStepResult[];
}

export interface FunnelTrendRow {
  /** First local day of the entry week. */
  week: string;
  entered: number;
  converted: number;
  conversion_rate: number | null;
}

export interface FunnelResult {
  steps: FunnelStepResult[];
  breakdown: FunnelBreakdownRow[];
  trend: FunnelTrendRow[];
}

/** Breakdown keeps the 10 values with the most entrants; the rest are pooled as "other". */
export const BREAKDOWN_TOP = 10;
export const NO_VALUE = "(none)";
export const OTHER_VALUE = "other";

/** Per-step counts, conversions, drop-off and time to convert from traced paths. */
export function summarizeFunnelSteps(
  paths: readonly FunnelPath[],
  names: readonly string[],
): FunnelStepResult[] {
  const first = paths.length;
  return names.map((name, k) => {
    const reached = paths.filter((p) => p.times.length > k);
    const prev = k === 0 ? first : paths.filter((p) => p.times.length > k - 1).length;
    const seconds =
      k === 0 ? [] : reached.map((p) => ((p.times[k] as number) - (p.times[k - 1] as number)) / 1000);
    return {
      name,
      count: reached.length,
      conversion_from_start: safeRatio(reached.length, first),
      conversion_from_previous: safeRatio(reached.length, prev),
      drop_off: prev - reached.length,
      drop_off_rate: safeRatio(prev - reached.length, prev),
      median_seconds_to_convert: percentile(seconds, 0.5),
      p90_seconds_to_convert: percentile(seconds, 0.9),
    };
  });
}

function breakdownRows(paths: readonly FunnelPath[], names: readonly string[]): FunnelBreakdownRow[] {
  const groups = new Map<string, FunnelPath[]>();
  for (const p of paths) {
    const key = p.breakdownValue ?? NO_VALUE;
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  const ranked = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const top = ranked.slice(0, BREAKDOWN_TOP);
  const rest = ranked.slice(BREAKDOWN_TOP).flatMap(([, ps]) => ps);
  const rows = top.map(([value, ps]) => ({ value, steps: summarizeFunnelSteps(ps, names) }));
  if (rest.length > 0) rows.push({ value: OTHER_VALUE, steps: summarizeFunnelSteps(rest, names) });
  return rows;
}

/**
 * The whole funnel report from each actor's events. `weekOf` maps an entry
 * instant to the first local day of its week; `weeks` lists the weeks of the
 * range so that a week nobody entered shows as 0.
 */
export function computeFunnel(
  actors: Iterable<readonly FunnelEvent[]>,
  spec: FunnelSpec,
  weekOf: (t: number) => string,
  weeks: readonly string[],
): FunnelResult {
  const paths: FunnelPath[] = [];
  for (const events of actors) {
    const path = traceFunnelPath(events, spec);
    if (path) paths.push(path);
  }
  return summarizeFunnel(paths, spec, weekOf, weeks);
}

/**
 * The funnel report from traced paths (one per actor who entered and was not
 * excluded), however they were traced: steps, breakdown when the spec has one,
 * and the trend by entry week.
 */
export function summarizeFunnel(
  paths: readonly FunnelPath[],
  spec: Pick<FunnelSpec, "steps" | "breakdown">,
  weekOf: (t: number) => string,
  weeks: readonly string[],
): FunnelResult {
  const names = spec.steps.map((s) => s.event);
  const byWeek = new Map(weeks.map((w) => [w, { entered: 0, converted: 0 }]));
  for (const p of paths) {
    const w = weekOf(p.entryT);
    const row = byWeek.get(w) ?? { entered: 0, converted: 0 };
    row.entered += 1;
    if (p.times.length === names.length) row.converted += 1;
    byWeek.set(w, row);
  }
  const trend = [...byWeek.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([week, r]) => ({ week, ...r, conversion_rate: safeRatio(r.converted, r.entered) }));
  return {
    steps: summarizeFunnelSteps(paths, names),
    breakdown: spec.breakdown ? breakdownRows(paths, names) : [],
    trend,
  };
}

/** Parse a conversion window: "14d", "2h", "30m", "3600s" or bare seconds; 1 second to 90 days. */
export function parseWindow(text: string): number {
  const m = /^(\d+)\s*([dhms]?)$/.exec(text.trim());
  if (!m) throw new RangeError(`window "${text}" is not like 14d, 2h, 30m or 3600s`);
  const unit = { d: 86_400, h: 3600, m: 60, s: 1, "": 1 }[m[2] as "d" | "h" | "m" | "s" | ""];
  const seconds = Number(m[1]) * unit;
  if (seconds < 1 || seconds > 90 * 86_400)
    throw new RangeError("the window must be between 1 second and 90 days");
  return seconds * 1000;
}
