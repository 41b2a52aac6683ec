import { formatDayNumber, parseDateKey } from "./period-resolve";
import { safeRatio } from "./ratios";

export type RetentionMode = "on" | "on_or_after";

/** Cohorts are followed for week 0 (the cohort week) to week 11. */
export const RETENTION_WEEKS = 12;

/** One actor: the first day of their cohort week and of every week they were active in. */
export interface RetentionActor {
  cohort: string;
  activeWeeks: Iterable<string>;
}

export interface RetentionCohort {
  /** First local day of the cohort week. */
  cohort: string;
  size: number;
  /** Actors retained in week N (index N); null for weeks that have not started yet. */
  retained: (number | null)[];
  /** retained / size. */
  rates: (number | null)[];
}

/** First day of the week `n` weeks after the week starting `week`. */
export function addWeeksToKey(week: string, n: number): string {
  return formatDayNumber(parseDateKey(week) + 7 * n);
}

/**
 * Weekly cohort retention. An actor belongs to the cohort of the week of
 * their first activity (or of their first chosen start event). Week-N
 * retention is the share of the cohort active in week N ("on"), or in week N
 * or any later week up to the last one followed ("on_or_after", so a cohort's
 * figures never depend on the range it was asked in). Week 0 is the cohort week itself. Weeks
 * starting after `currentWeek` (the week containing now) are null: they
 * cannot be measured yet. Cohort weeks without actors are listed with size 0.
 */
export function computeRetention(
  actors: Iterable<RetentionActor>,
  cohortWeeks: readonly string[],
  mode: RetentionMode,
  currentWeek: string,
  weeks = RETENTION_WEEKS,
): RetentionCohort[] {
  const byCohort = new Map(cohortWeeks.map((w) => [w, [] as number[][]]));
  for (const a of actors) {
    const list = byCohort.get(a.cohort);
    if (!list) continue;
    const base = parseDateKey(a.cohort);
    const offsets = [...new Set([...a.activeWeeks].map((w) => Math.round((parseDateKey(w) - base) / 7)))];
    list.push(offsets.filter((n) => n >= 0));
  }
  const current = parseDateKey(currentWeek);
  return cohortWeeks.map((cohort) => {
    const members = byCohort.get(cohort) ?? [];
    const base = parseDateKey(cohort);
    const retained = Array.from({ length: weeks }, (_, n) => {
      if (base + 7 * n > current) return null;
      return members.filter((offsets) =>
        mode === "on" ? offsets.includes(n) : offsets.some((o) => o >= n && o < weeks),
      ).length;
    });
    return {
      cohort,
      size: members.length,
      retained,
      rates: retained.map((r) => (r === null ? null : safeRatio(r, members.length))),
    };
  });
}

/**
 * Counts the database aggregated from actors, per cohort week: for mode "on",
 * `actors` with activity in week offset `week`; for "on_or_after", actors whose
 * LAST active week offset is `week`. `size` rows (week = -1) give each
 * cohort's actor count.
 */
export interface RetentionCount {
  cohort: string;
  week: number;
  actors: number;
}

/**
 * The same cohorts as computeRetention, from counts aggregated in the
 * database instead of one row per actor (see RetentionCount). Counts of
 * weeks past the last one followed are ignored.
 */
export function retentionFromCounts(
  counts: Iterable<RetentionCount>,
  cohortWeeks: readonly string[],
  mode: RetentionMode,
  currentWeek: string,
  weeks = RETENTION_WEEKS,
): RetentionCohort[] {
  const sizes = new Map<string, number>();
  const byWeek = new Map<string, Map<number, number>>();
  for (const c of counts) {
    if (c.week < 0) sizes.set(c.cohort, (sizes.get(c.cohort) ?? 0) + c.actors);
    else {
      const m = byWeek.get(c.cohort) ?? new Map<number, number>();
      m.set(c.week, (m.get(c.week) ?? 0) + c.actors);
      byWeek.set(c.cohort, m);
    }
  }
  const current = parseDateKey(currentWeek);
  return cohortWeeks.map((cohort) => {
    const size = sizes.get(cohort) ?? 0;
    const m = byWeek.get(cohort) ?? new Map<number, number>();
    const base = parseDateKey(cohort);
    // "on or after": actors whose last active week (among those followed) is n or later.
    let later = 0;
    const suffix: number[] = new Array(weeks).fill(0);
    for (let n = weeks - 1; n >= 0; n--) {
      later += m.get(n) ?? 0;
      suffix[n] = later;
    }
    const retained = Array.from({ length: weeks }, (_, n) => {
      if (base + 7 * n > current) return null;
      return mode === "on" ? (m.get(n) ?? 0) : (suffix[n] ?? 0);
    });
    return { cohort, size, retained, rates: retained.map((r) => (r === null ? null : safeRatio(r, size))) };
  });
}

/**
 * RetentionCounts from per-cohort activity masks (`mask` bit n: active in week
 * n of the cohort, n < 12; `actors` with exactly that mask), as
 * lib/queries/retention.ts reads them from the key rollup.
 */
export function countsFromMasks(
  rows: Iterable<{ cohort: string; mask: number; actors: number }>,
  mode: RetentionMode,
  weeks = RETENTION_WEEKS,
): RetentionCount[] {
  const out: RetentionCount[] = [];
  for (const r of rows) {
    out.push({ cohort: r.cohort, week: -1, actors: r.actors });
    if (mode === "on") {
      for (let n = 0; n < weeks; n++)
        if (r.mask & (1 << n)) out.push({ cohort: r.cohort, week: n, actors: r.actors });
    } else {
      let lastWeek = -1;
      for (let n = 0; n < weeks; n++) if (r.mask & (1 << n)) lastWeek = n;
      if (lastWeek >= 0) out.push({ cohort: r.cohort, week: lastWeek, actors: r.actors });
    }
  }
  return out;
}
