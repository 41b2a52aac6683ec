import type { ValueKind } from "./format";

export interface MoverCandidate {
  /** What moved: "KPI", "Funnel step", "Feature adoption". */
  group: string;
  label: string;
  kind: ValueKind;
  current: number | null;
  previous: number | null;
  href?: string;
  /** Actors behind the smaller of the two figures; tiny bases are left out (noise). */
  base?: number;
}

export interface Mover extends MoverCandidate {
  current: number;
  previous: number;
  /** (current - previous) / |previous|. */
  changeRatio: number;
}

/** Below this many actors a relative change is noise, not news. */
export const MIN_MOVER_BASE = 10;

/**
 * The biggest movers of the period: candidates with both values, a non-zero
 * previous value and a base of at least MIN_MOVER_BASE, ranked by the size
 * of their relative change (ties: label order), at most `limit`.
 */
export function rankMovers(candidates: readonly MoverCandidate[], limit = 5): Mover[] {
  const out: Mover[] = [];
  for (const c of candidates) {
    if (c.current === null || c.previous === null || c.previous === 0) continue;
    if (c.base !== undefined && c.base < MIN_MOVER_BASE) continue;
    const changeRatio = (c.current - c.previous) / Math.abs(c.previous);
    if (!Number.isFinite(changeRatio) || changeRatio === 0) continue;
    out.push({ ...c, current: c.current, previous: c.previous, changeRatio });
  }
  return out
    .sort((a, b) => Math.abs(b.changeRatio) - Math.abs(a.changeRatio) || a.label.localeCompare(b.label))
    .slice(0, limit);
}
