import { describe, expect, it } from "vitest";
import { compareValues } from "../../lib/metrics/compare";
import { formatChangeRatio, formatCount } from "../../lib/metrics/format";

describe("period comparison", () => {
  it("gives absolute and relative change", () => {
    expect(compareValues(120, 100)).toEqual({ current: 120, previous: 100, change: 20, changeRatio: 0.2 });
    expect(compareValues(75, 100).changeRatio).toBeCloseTo(-0.25);
  });
  it("has no ratio when the previous period is zero", () => {
    expect(compareValues(5, 0).changeRatio).toBeNull();
  });
});

describe("number formatting", () => {
  it("formats counts with separators, compact from 10,000", () => {
    expect(formatCount(1234)).toBe("1,234");
    expect(formatCount(12345)).toBe("12.3K");
  });
  it("formats change with a sign and one decimal", () => {
    expect(formatChangeRatio(0.1234)).toBe("+12.3%");
    expect(formatChangeRatio(-0.05)).toBe("-5.0%");
    expect(formatChangeRatio(null)).toBe("–");
  });
});
