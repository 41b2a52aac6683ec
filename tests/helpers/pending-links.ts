import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/** The rollups that store a person per row (lib/queries/stored-actor.ts). */
export const PERSON_TABLES = [
  "session_pieces",
  "event_actor_days",
  "event_key_first_days",
  "actor_key_first_days",
];

/**
 * Put a database in the state where every identity link arrived after all
 * the rows of its anonymous id and no repair has run yet: every link pending,
 * and every anonymous row storing its anonymous id as its person. Queries must
 * then apply the pending links themselves. Returns how many stored persons are
 * now stale (a test should check there are some).
 */
export async function unrepairAllLinks(db: Db): Promise<number> {
  await db.execute(sql`update identities set pending = true, seen_at = null`);
  for (const table of PERSON_TABLES)
    await db.execute(sql`update ${sql.identifier(table)} set actor = anonymous_id where user_id = ''`);
  const [stale] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from actor_key_first_days k join identities i
          on i.product_id = k.product_id and i.anonymous_id = k.anonymous_id where k.user_id = ''`,
  );
  return Number(stale?.n ?? 0);
}
