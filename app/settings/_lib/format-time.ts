import { tz } from "@date-fns/tz";
import { format } from "date-fns";

/** "Nov 20, 2026 14:05" in the given zone; "—" for none. */
export function formatDateTime(instant: Date | null | undefined, zone = "UTC"): string {
  if (!instant) return "—";
  return format(instant, "MMM d, yyyy HH:mm", { in: tz(zone) });
}

/** The value a datetime-local input shows for an instant in a zone. */
export function toLocalInputValue(instant: Date, zone: string): string {
  return format(instant, "yyyy-MM-dd'T'HH:mm", { in: tz(zone) });
}
