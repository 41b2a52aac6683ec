import { type DbHandle, openDatabase } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

/**
 * Open the database the environment points at, bring its schema up to date
 * (unless the running app, which already did, serves it) and always close it.
 */
export async function withDatabase<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ role: "cli" });
  try {
    if (handle.engine !== "pglite-socket") await migrateDatabase(handle.db, handle.engine);
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
