import { isValidTimeZone } from "../../../lib/metrics/periods";

/** Uploads above this go through the CLI, which streams from disk with bounded memory. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_UPLOAD_LABEL = "50 MB";

/**
 * The upload form's optional fields as the adapter context expects them (the
 * same keys the CLI's --map, --kind and --timezone produce): `map.<field>`,
 * `kind`, `timezone`. Mapping lines are `field=column`, one per line or comma-separated.
 */
export function parseUploadOptions(input: {
  mapping?: string;
  kind?: string;
  timezone?: string;
}): { options: Record<string, string> } | { field: "mapping" | "kind" | "timezone"; error: string } {
  const options: Record<string, string> = {};
  for (const pair of (input.mapping ?? "").split(/[\n,]/)) {
    const text = pair.trim();
    if (!text) continue;
    const eq = text.indexOf("=");
    if (eq <= 0 || eq === text.length - 1)
      return {
        field: "mapping",
        error: `"${text.slice(0, 80)}" is not field=column (e.g. timestamp=created_at)`,
      };
    options[`map.${text.slice(0, eq).trim()}`] = text.slice(eq + 1).trim();
  }
  if (input.kind) {
    if (!["nps", "csat", "ces"].includes(input.kind))
      return { field: "kind", error: "kind must be nps, csat or ces" };
    options.kind = input.kind;
  }
  if (input.timezone) {
    if (!isValidTimeZone(input.timezone))
      return { field: "timezone", error: `unknown time zone "${input.timezone.slice(0, 80)}"` };
    options.timezone = input.timezone;
  }
  return { options };
}
