import { type Db, type DbHandle, openDatabase } from "../db/client";

const globalForDb = globalThis as unknown as { northstarDb?: Promise<DbHandle> };

/**
 * The app's database, opened once per server process. Under `npm start` the
 * launcher owns the embedded database and passes its socket as DATABASE_URL.
 */
export async function getAppDb(): Promise<Db> {
  globalForDb.northstarDb ??= openDatabase({ role: "app" }).catch((err) => {
    globalForDb.northstarDb = undefined;
    throw err;
  });
  return (await globalForDb.northstarDb).db;
}
