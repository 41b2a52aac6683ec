/** Next's `searchParams` shape: a key may repeat. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a search parameter, trimmed; undefined when absent or empty. */
export function firstParam(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  const t = v?.trim();
  return t ? t : undefined;
}

/** Every non-empty value of a (possibly repeated) parameter, in order. */
export function allParams(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v) => v.trim()).filter(Boolean);
}

/**
 * A query string ("?a=1&b=2", or "" when empty) from a params object; arrays
 * repeat the key, undefined and empty values are left out, so a shared URL
 * only carries what differs from the defaults.
 */
export function buildQuery(params: Record<string, string | readonly string[] | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const v of typeof value === "string" ? [value] : value) if (v !== "") q.append(key, v);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** The subset of `params` named in `keys`, first values only: what a link carries across pages. */
export function pickParams(
  params: SearchParams,
  keys: readonly string[],
): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, firstParam(params[k])]));
}
