import { mean, safeRatio } from "./ratios";

/**
 * DAU of a period: the mean of the daily distinct-actor counts over every local
 * day of the period, days without activity counting as 0.
 */
export function meanDailyActive(dailyCounts: readonly number[]): number {
  return mean(dailyCounts) ?? 0;
}

/** Stickiness = mean DAU over the period / MAU; null when MAU is 0. */
export function computeStickiness(meanDau: number, mau: number): number | null {
  return safeRatio(meanDau, mau);
}

/** Returning users = active actors in the period minus those whose first event ever is in it. */
export function computeReturning(active: number, newUsers: number): number {
  return Math.max(0, active - newUsers);
}

/** Conversion rate of a goal = distinct actors who fired it in the period / active actors; null without actors. */
export function computeConversionRate(converters: number, active: number): number | null {
  return safeRatio(converters, active);
}
