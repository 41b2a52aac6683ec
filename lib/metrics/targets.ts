export type TargetDirection = "at_least" | "at_most";
export type TargetStatus = "on_track" | "at_risk" | "off_track";

/** Within this share of the target (on the wrong side) a KPI is "at risk" rather than "off track". */
export const AT_RISK_MARGIN = 0.1;

/**
 * Status of a value against its target. at_least: on track when value >=
 * target, at risk down to 10% below it, off track further below. at_most
 * (bounce rate...): on track when value <= target, at risk up to 10% above,
 * off track beyond. Null when there is no value to judge.
 */
export function evaluateTarget(
  value: number | null,
  target: number,
  direction: TargetDirection,
): TargetStatus | null {
  if (value === null || !Number.isFinite(value)) return null;
  const margin = Math.abs(target) * AT_RISK_MARGIN;
  if (direction === "at_least") {
    if (value >= target) return "on_track";
    return value >= target - margin ? "at_risk" : "off_track";
  }
  if (value <= target) return "on_track";
  return value <= target + margin ? "at_risk" : "off_track";
}
