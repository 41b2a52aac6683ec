/** The body of a JSON page, or null when it is not JSON (the adapter then reports why). */
export function parsePageJson(page: { body: Uint8Array }): Record<string, unknown> | null {
  try {
    const doc: unknown = JSON.parse(new TextDecoder().decode(page.body));
    return doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

export const numberOf = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};

export const stringOf = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Join a base URL and an API path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`);
}

/** Cursor fields without the undefined/null ones (cursors are stored as compact JSON). */
export function compact(
  c: Record<string, string | number | null | undefined>,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(c)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
