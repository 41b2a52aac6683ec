/**
 * The current instant. NORTHSTAR_NOW (ISO 8601) pins it, so that a demo,
 * a test or a screenshot shows the same weeks whenever it runs.
 */
export function now(): Date {
  const pinned = process.env.NORTHSTAR_NOW;
  if (pinned) {
    const d = new Date(pinned);
    if (Number.isNaN(d.getTime())) throw new Error(`NORTHSTAR_NOW="${pinned}" is not an ISO 8601 date`);
    return d;
  }
  return new Date();
}

/** Midnight UTC of the day `instant` falls on: demo data ends there, so a rerun the same day is identical. */
export function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}
