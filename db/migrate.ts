import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Db, Engine } from "./client";
import { queryRows } from "./rows";
import type * as schema from "./schema";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** Apply the committed drizzle-kit migrations that this database has not seen yet. */
export async function migrateDatabase(db: Db, engine: Engine): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (engine === "pglite") {
    await migratePglite(db as unknown as PgliteDatabase<typeof schema>, config);
  } else {
    await migratePostgres(db as unknown as PostgresJsDatabase<typeof schema>, config);
  }
}

/** How many migrations the database has recorded (0 before the first run). */
export async function countAppliedMigrations(db: Db): Promise<number> {
  const [exists] = await queryRows<{ ok: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`,
  );
  if (!exists?.ok) return 0;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(row?.n ?? 0);
}
