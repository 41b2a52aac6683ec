import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Run raw SQL and return its rows. The two drivers shape `execute` results
 * differently (postgres.js: an array; PGlite: `{ rows }`); callers get plain rows.
 * Cast aggregates in SQL (`count(*)::int`) so both engines return numbers.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A timestamptz parameter for raw SQL. Drizzle's postgres.js driver leaves Date
 * serialization to typed columns, so raw templates pass ISO strings instead.
 */
export function sqlTimestamp(value: Date): SQL {
  return sql`${value.toISOString()}::timestamptz`;
}

/** Values as a comma-separated list of parameters (for `in (...)`, `array[...]`). */
export function sqlList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

/** `column in (values)` with each value a parameter; `false` for no values. */
export function sqlIn(column: SQL, values: readonly string[]): SQL {
  return values.length ? sql`${column} in (${sqlList(values)})` : sql`false`;
}
