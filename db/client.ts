import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { DatabaseUnavailableError } from "./errors";
import { type OwnerLock, ownerAddress, queryOwner, tryAcquireOwner } from "./owner-lock";
import * as schema from "./schema";

/** One Drizzle type for both engines; code above db/ never knows which it has. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * - `postgres`: a PostgreSQL server (DATABASE_URL).
 * - `pglite`: the embedded database, opened in this process, which owns its directory.
 * - `pglite-socket`: the embedded database owned by another process (the app), reached over the wire protocol.
 */
export type Engine = "postgres" | "pglite" | "pglite-socket";

export interface DbHandle {
  db: Db;
  engine: Engine;
  /** Where the data lives, for messages ("PostgreSQL at 127.0.0.1:5432", "embedded database in ./.northstar"). */
  description: string;
  /** Set when this process owns an embedded database. */
  pglite?: PGlite;
  /** Set when this process owns an embedded database: lets it advertise a socket port. */
  owner?: OwnerLock;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL URL; defaults to DATABASE_URL. Empty means the embedded database. */
  databaseUrl?: string;
  /** Embedded database directory; defaults to NORTHSTAR_DATA_DIR or ./.northstar. */
  dataDir?: string;
  /** How long to wait for another command that holds the embedded database. */
  waitMs?: number;
  /** Connections in the pool (postgres.js). */
  maxConnections?: number;
  /** Shown to whoever asks who holds the embedded database. */
  role?: string;
}

export function defaultDataDir(): string {
  return resolve(/*turbopackIgnore: true*/ process.env.NORTHSTAR_DATA_DIR || ".northstar");
}

/** Open the database chosen by the environment: PostgreSQL when a URL is given, else the embedded one. */
export async function openDatabase(options: OpenOptions = {}): Promise<DbHandle> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url, options.maxConnections ?? 10);
  return openEmbedded(options.dataDir ?? defaultDataDir(), options);
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname || "localhost"}:${u.port || "5432"}${u.pathname || ""}`;
  } catch {
    throw new DatabaseUnavailableError(
      "DATABASE_URL is not a valid URL (expected postgres://user@host:port/db)",
    );
  }
}

/**
 * Planner settings an analytical statement may ask for (lib/queries/analytical-query.ts):
 * `parallel` lets the planner use parallel workers without charging for starting them
 * and passing rows back; `sortedGroups` groups by sorting rather than hashing;
 * `hashedGroups` sorts only where nothing else can (a window's input).
 */
export interface AnalyticalSettings {
  parallel?: boolean;
  sortedGroups?: boolean;
  hashedGroups?: boolean;
}

/**
 * For a PostgreSQL server's Db: a Db whose connections run with those settings (a
 * small pool of its own per combination, opened on first use), so that a statement
 * needs no transaction to `set local` them. Transactions are what postgres.js 3.4
 * cannot lose a connection in: when the server ends a backend mid-transaction, its own
 * ROLLBACK is written to the closed socket and the process dies of an uncaught
 * TypeError (porsager/postgres#1208), which would take the app down with it.
 */
const analyticalPools = new WeakMap<Db, (settings: AnalyticalSettings) => Db>();

/** The Db for `settings` (see analyticalPools), or undefined when `db` is not a PostgreSQL server's. */
export function analyticalDb(db: Db, settings: AnalyticalSettings): Db | undefined {
  return analyticalPools.get(db)?.(settings);
}

export async function openPostgres(url: string, max = 10, engine: Engine = "postgres"): Promise<DbHandle> {
  const description =
    engine === "postgres" ? describeUrl(url) : "embedded database (served by the running app)";
  // JIT compilation costs seconds on the wide reporting statements at 10M events
  // and saves nothing on these short scans (measured in bench:queries). The default
  // 4 MB work_mem sends their sorts of a few hundred thousand session pieces to disk;
  // 64 MB per sort or hash keeps them in memory (analyticalQuery sets both per
  // statement for the embedded database), at most a few hundred MB over a pool of 10.
  const connection = { jit: "off", work_mem: "64MB" };
  const client = postgres(url, {
    max,
    connect_timeout: 10,
    onnotice: () => {},
    ...(engine === "postgres" ? { connection } : {}),
  });
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {});
    const code = (err as { code?: string }).code;
    const reason = code === "3D000" ? "database does not exist" : (err as Error).message;
    throw new DatabaseUnavailableError(`Cannot reach ${description}: ${reason}`, { cause: err });
  }
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const extra = new Map<string, { client: postgres.Sql; db: Db }>();
  if (engine === "postgres") {
    analyticalPools.set(db, ({ parallel = false, sortedGroups = false, hashedGroups = false }) => {
      if (!parallel && !sortedGroups && !hashedGroups) return db;
      const key = `${parallel}/${sortedGroups}/${hashedGroups}`;
      let pool = extra.get(key);
      if (!pool) {
        const c = postgres(url, {
          max: 3,
          connect_timeout: 10,
          onnotice: () => {},
          connection: {
            ...connection,
            ...(parallel ? { parallel_setup_cost: "0", parallel_tuple_cost: "0" } : {}),
            ...(sortedGroups ? { enable_hashagg: "off" } : {}),
            ...(hashedGroups ? { enable_sort: "off" } : {}),
          },
        });
        pool = { client: c, db: drizzlePostgres({ client: c, schema }) as unknown as Db };
        extra.set(key, pool);
      }
      return pool.db;
    });
  }
  return {
    db,
    engine,
    description,
    close: async () => {
      await Promise.all(
        [client, ...[...extra.values()].map((p) => p.client)].map((c) => c.end({ timeout: 5 })),
      );
    },
  };
}

/** Open a PGlite instance for a directory this process already owns (or in memory for tests). */
export async function createPglite(dataDir?: string): Promise<{ pglite: PGlite; db: Db }> {
  // Loaded on first use: the module costs about 50 MB of memory, which a
  // process on PostgreSQL or on a running app's database never needs.
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  const pglite = dataDir ? await PGlite.create(join(dataDir, "pgdata")) : await PGlite.create();
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
  return { pglite, db };
}

async function openEmbedded(dataDir: string, options: OpenOptions): Promise<DbHandle> {
  mkdirSync(dataDir, { recursive: true });
  const address = ownerAddress(dataDir);
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const answer = await queryOwner(address);
    const owner = answer === "busy" ? null : answer;
    if (owner?.port) {
      return openPostgres(
        `postgres://postgres@127.0.0.1:${owner.port}/postgres`,
        options.maxConnections ?? 4,
        "pglite-socket",
      );
    }
    if (answer === null) {
      const lock = await tryAcquireOwner(address, options.role ?? "cli");
      if (lock) {
        try {
          const { pglite, db } = await createPglite(dataDir);
          return {
            db,
            engine: "pglite",
            description: `embedded database in ${dataDir}`,
            pglite,
            owner: lock,
            close: async () => {
              await pglite.close();
              await lock.release();
            },
          };
        } catch (err) {
          await lock.release();
          throw new DatabaseUnavailableError(
            `Cannot open the embedded database in ${dataDir}: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
    }
    if (Date.now() > deadline) {
      throw new DatabaseUnavailableError(
        `The embedded database in ${dataDir} is busy: another northstar command (pid ${owner?.pid ?? "?"}) is using it. Try again when it finishes.`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
