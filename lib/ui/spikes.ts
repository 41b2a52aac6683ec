/** Trailing weeks a week's volume is compared with. */
export const SPIKE_WINDOW = 8;
/** A week is a spike when its volume is at least this multiple of the trailing mean... */
export const SPIKE_FACTOR = 2;
/** ...and at least this many items (three mentions instead of one is not news). */
export const SPIKE_MIN = 5;

export interface SpikeWeek {
  week: string;
  count: number;
  /** Mean of the up to 8 weeks before; null for the first week. */
  trailingMean: number | null;
  spike: boolean;
}

/**
 * Flag spikes in a weekly series: a week is a spike when its count is at
 * least SPIKE_FACTOR times the mean of the SPIKE_WINDOW weeks before it
 * (fewer at the start of the series) and at least SPIKE_MIN. With a trailing
 * mean of 0, any week reaching SPIKE_MIN is a spike.
 */
export function flagSpikes(series: readonly { week: string; count: number }[]): SpikeWeek[] {
  return series.map((w, i) => {
    const before = series.slice(Math.max(0, i - SPIKE_WINDOW), i);
    const trailingMean = before.length ? before.reduce((s, b) => s + b.count, 0) / before.length : null;
    const spike =
      trailingMean !== null &&
      w.count >= SPIKE_MIN &&
      (trailingMean === 0 || w.count >= SPIKE_FACTOR * trailingMean);
    return { week: w.week, count: w.count, trailingMean, spike };
  });
}
