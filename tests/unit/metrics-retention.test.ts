import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAdoption } from "../../lib/metrics/adoption";
import {
  addWeeksToKey,
  computeRetention,
  countsFromMasks,
  retentionFromCounts,
} from "../../lib/metrics/retention";

const ACTORS = [
  { cohort: "2026-11-02", activeWeeks: ["2026-11-02", "2026-11-16"] },
  { cohort: "2026-11-02", activeWeeks: ["2026-11-02", "2026-11-09", "2026-11-23"] },
  { cohort: "2026-11-09", activeWeeks: ["2026-11-09"] },
  { cohort: "2026-10-26", activeWeeks: ["2026-10-26", "2026-11-02"] }, // cohort outside the range
];
const WEEKS = ["2026-11-02", "2026-11-09", "2026-11-16"];

describe("retention cohorts", () => {
  it("counts actors active in week N ('on'); future weeks are null", () => {
    const [c1, c2, c3] = computeRetention(ACTORS, WEEKS, "on", "2026-11-23", 5);
    expect(c1).toMatchObject({ cohort: "2026-11-02", size: 2, retained: [2, 1, 1, 1, null] });
    expect(c1?.rates).toEqual([1, 0.5, 0.5, 0.5, null]);
    expect(c2).toMatchObject({ size: 1, retained: [1, 0, 0, null, null] });
    expect(c3).toMatchObject({
      size: 0,
      retained: [0, 0, null, null, null],
      rates: [null, null, null, null, null],
    });
  });

  it("counts actors active in week N or later ('on_or_after')", () => {
    const [c1] = computeRetention(ACTORS, WEEKS, "on_or_after", "2026-11-23", 5);
    expect(c1?.retained).toEqual([2, 2, 2, 1, null]);
  });

  it("counts 'on_or_after' only up to the last week followed, whatever activity comes later", () => {
    const late = [{ cohort: "2026-11-02", activeWeeks: ["2026-11-02", "2026-12-07"] }]; // week 5
    expect(computeRetention(late, WEEKS, "on_or_after", "2027-06-01", 5)[0]?.retained).toEqual([
      1, 0, 0, 0, 0,
    ]);
    expect(computeRetention(late, WEEKS, "on_or_after", "2027-06-01", 6)[0]?.retained).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it("follows 12 weeks by default", () => {
    expect(computeRetention(ACTORS, WEEKS, "on", "2027-06-01")[0]?.retained).toHaveLength(12);
    expect(addWeeksToKey("2026-12-28", 1)).toBe("2027-01-04");
  });
});

describe("adoption figures", () => {
  it("derives rates from counts", () => {
    expect(
      computeAdoption({
        adopters: 5,
        active: 20,
        newAdopters: 2,
        uses: 12,
        previousAdopters: 4,
        previousAdoptersRetained: 3,
        previousNonAdopters: 10,
        previousNonAdoptersRetained: 4,
      }),
    ).toEqual({
      adopters: 5,
      active_users: 20,
      adoption_rate: 0.25,
      new_adopters: 2,
      uses: 12,
      mean_uses_per_adopter: 2.4,
      adopter_retention: 0.75,
      non_adopter_retention: 0.4,
    });
  });
});

describe("retention from aggregated counts", () => {
  /** What lib/queries/retention.ts asks the database for, computed here from actor rows. */
  function aggregate(actors: { cohort: string; activeWeeks: string[] }[], mode: "on" | "on_or_after") {
    const out = new Map<string, { cohort: string; week: number; actors: number }>();
    const add = (cohort: string, week: number) => {
      const key = `${cohort}|${week}`;
      const row = out.get(key) ?? { cohort, week, actors: 0 };
      row.actors += 1;
      out.set(key, row);
    };
    for (const a of actors) {
      const base = Date.parse(a.cohort);
      const offsets = [
        ...new Set(a.activeWeeks.map((w) => Math.round((Date.parse(w) - base) / (7 * 86_400_000)))),
      ].filter((k) => k >= 0 && k < 12);
      if (offsets.length === 0) continue;
      add(a.cohort, -1);
      if (mode === "on") for (const k of offsets) add(a.cohort, k);
      else add(a.cohort, Math.max(...offsets));
    }
    return [...out.values()];
  }

  it("equals computeRetention on random actors, in both modes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cohort: fc.integer({ min: 0, max: 4 }),
            active: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 8 }),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 16 }),
        fc.constantFrom("on" as const, "on_or_after" as const),
        (raw, now, mode) => {
          const week = (n: number) => addWeeksToKey("2026-06-01", n);
          const actors = raw.map((r) => ({
            cohort: week(r.cohort),
            activeWeeks: [week(r.cohort), ...r.active.map((a) => week(r.cohort + a))],
          }));
          const cohorts = [0, 1, 2, 3].map(week);
          const expected = computeRetention(actors, cohorts, mode, week(now));
          expect(retentionFromCounts(aggregate(actors, mode), cohorts, mode, week(now))).toEqual(expected);
          // The same from one activity mask per actor (what the key rollup gives), grouped by cohort and mask.
          const masks = new Map<string, { cohort: string; mask: number; actors: number }>();
          for (const a of actors) {
            const base = Date.parse(a.cohort);
            let mask = 0;
            for (const w of a.activeWeeks) {
              const k = Math.round((Date.parse(w) - base) / (7 * 86_400_000));
              if (k >= 0 && k < 12) mask |= 1 << k;
            }
            const row = masks.get(`${a.cohort}|${mask}`) ?? { cohort: a.cohort, mask, actors: 0 };
            row.actors += 1;
            masks.set(`${a.cohort}|${mask}`, row);
          }
          expect(
            retentionFromCounts(countsFromMasks(masks.values(), mode), cohorts, mode, week(now)),
          ).toEqual(expected);
        },
      ),
    );
  });
});
