/** A condition on one event property (same shape as the features and funnels store). */
export interface PropertyFilter {
  property: string;
  op: "eq" | "neq" | "contains" | "exists";
  value?: string | number | boolean;
}

/**
 * Whether an event's properties pass every filter. Values compare as text (as
 * `properties->>'key'` does in SQL): eq / neq exact, contains is a
 * case-sensitive substring, exists means the key is present and not null.
 */
export function matchesFilters(
  properties: Record<string, unknown>,
  filters: readonly PropertyFilter[],
): boolean {
  return filters.every((f) => {
    const raw = properties[f.property];
    const text =
      raw === undefined || raw === null ? null : typeof raw === "object" ? JSON.stringify(raw) : String(raw);
    const want = f.value === undefined ? "" : String(f.value);
    switch (f.op) {
      case "eq":
        return text === want;
      case "neq":
        return text !== want;
      case "contains":
        return text?.includes(want) ?? false;
      case "exists":
        return text !== null;
      default:
        return false;
    }
  });
}
