/** A value next to the one it is compared with. */
export interface Comparison {
  current: number;
  previous: number;
  /** current - previous */
  change: number;
  /** (current - previous) / previous; null when previous is 0 (no base to compare against). */
  changeRatio: number | null;
}

/** Week-over-week (or any period) change, as absolute and relative figures. */
export function compareValues(current: number, previous: number): Comparison {
  return {
    current,
    previous,
    change: current - previous,
    changeRatio: previous === 0 ? null : (current - previous) / previous,
  };
}
