import { safeRatio } from "./ratios";

/** Raw counts for one feature in one period (and the period before, for retention). */
export interface AdoptionCounts {
  /** Distinct actors who used the feature in the period. */
  adopters: number;
  /** Distinct actors active in the period. */
  active: number;
  /** Adopters whose first use ever falls in the period. */
  newAdopters: number;
  /** Feature events in the period. */
  uses: number;
  /** Adopters of the previous period, and how many of them are active in this one. */
  previousAdopters: number;
  previousAdoptersRetained: number;
  /** Active non-adopters of the previous period, and how many of them are active in this one. */
  previousNonAdopters: number;
  previousNonAdoptersRetained: number;
}

export interface AdoptionFigures {
  adopters: number;
  active_users: number;
  /** adopters / active actors of the period. */
  adoption_rate: number | null;
  new_adopters: number;
  uses: number;
  /** uses / adopters. */
  mean_uses_per_adopter: number | null;
  /** Share of the previous period's adopters active in this period. */
  adopter_retention: number | null;
  /** Share of the previous period's active non-adopters active in this period. */
  non_adopter_retention: number | null;
}

/**
 * Adoption of a feature: adoption rate among active actors, first-time
 * adopters, usage frequency, and period-over-period retention of adopters
 * against non-adopters (measured on completed periods, so it never waits for
 * a period that has not ended).
 */
export function computeAdoption(c: AdoptionCounts): AdoptionFigures {
  return {
    adopters: c.adopters,
    active_users: c.active,
    adoption_rate: safeRatio(c.adopters, c.active),
    new_adopters: c.newAdopters,
    uses: c.uses,
    mean_uses_per_adopter: safeRatio(c.uses, c.adopters),
    adopter_retention: safeRatio(c.previousAdoptersRetained, c.previousAdopters),
    non_adopter_retention: safeRatio(c.previousNonAdoptersRetained, c.previousNonAdopters),
  };
}
