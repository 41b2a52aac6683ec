import type { Command } from "commander";
import { openDatabase } from "../../../db/client";
import { countAppliedMigrations, migrateDatabase } from "../../../db/migrate";
import { emit } from "../output";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply the committed migrations that the database has not seen yet")
    .option("--json", "print one JSON document")
    .action(async (opts: { json?: boolean }) => {
      const handle = await openDatabase({ role: "cli" });
      try {
        const before = await countAppliedMigrations(handle.db);
        await migrateDatabase(handle.db, handle.engine);
        const after = await countAppliedMigrations(handle.db);
        emit(opts.json, { database: handle.description, applied: after - before, total: after }, () =>
          after > before
            ? `Applied ${after - before} migration(s) to ${handle.description} (${after} in all).`
            : `${handle.description} is up to date (${after} migrations).`,
        );
      } finally {
        await handle.close();
      }
    });
}
