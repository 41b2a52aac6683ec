/** One labelled value of a time series. */
export interface Bucket {
  key: string;
  value: number;
}

/**
 * Put values on every expected key, in the given order, with zero for the keys
 * that had no data: a chart must show an empty day as 0, not skip it. Values
 * whose key is not expected are dropped (they belong to another range).
 */
export function fillBuckets(keys: readonly string[], values: ReadonlyMap<string, number>): Bucket[] {
  return keys.map((key) => ({ key, value: values.get(key) ?? 0 }));
}

/** Count items per bucket key, e.g. events per local day. */
export function countByKey<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
