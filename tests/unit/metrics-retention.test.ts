import { describe, expect, it } from "vitest";
import { computeAdoption } from "../../lib/metrics/adoption";
import { addWeeksToKey, computeRetention } from "../../lib/metrics/retention";

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
