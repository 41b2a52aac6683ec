import type { PropertyFilter } from "../../../db/schema/products";

/** A form's text value, trimmed; missing or blank is undefined (so zod's optional applies). */
export function textField(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** "a, b\nc" -> ["a", "b", "c"]: lists are typed comma- or line-separated; duplicates dropped. */
export function listField(form: FormData, name: string): string[] {
  const value = form.get(name);
  if (typeof value !== "string") return [];
  const items = value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

/** A positive integer id from a hidden field, or null. */
export function idField(form: FormData, name: string): number | null {
  const value = form.get(name);
  return typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

const OPS: [string, PropertyFilter["op"]][] = [
  ["!=", "neq"],
  ["=", "eq"],
  ["~", "contains"],
];

/**
 * Feature filters typed one per line: `plan = pro`, `plan != free`,
 * `path ~ /reports` (contains) or `coupon exists`. Returns the filters, or the
 * first line that does not parse.
 */
export function parseFilterLines(text: string): { filters: PropertyFilter[] } | { error: string } {
  const filters: PropertyFilter[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const exists = line.match(/^(\S+)\s+exists$/);
    if (exists?.[1]) {
      filters.push({ property: exists[1], op: "exists" });
      continue;
    }
    const op = OPS.find(([symbol]) => line.includes(symbol));
    if (!op) return { error: `line ${i + 1}: write "property = value", "!=", "~" (contains) or "exists"` };
    const at = line.indexOf(op[0]);
    const property = line.slice(0, at).trim();
    const value = line.slice(at + op[0].length).trim();
    if (!property || !value) return { error: `line ${i + 1}: a filter needs a property and a value` };
    filters.push({ property, op: op[1], value });
  }
  return { filters };
}

/** Filters back to the lines the form shows. */
export function formatFilterLines(filters: readonly PropertyFilter[]): string {
  const symbol = { eq: "=", neq: "!=", contains: "~" } as const;
  return filters
    .map((f) =>
      f.op === "exists" ? `${f.property} exists` : `${f.property} ${symbol[f.op]} ${String(f.value ?? "")}`,
    )
    .join("\n");
}
