import type { Command } from "commander";
import { findSourceProductId } from "../../../lib/queries/sources";
import { type SyncResult, syncSources } from "../../sync";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

function humanSummary(results: SyncResult[]): string {
  if (results.length === 0)
    return "No enabled sources to sync. Add one with: npm run northstar -- sources add ...";
  return table(
    ["source", "status", "run", "pages", "inserted", "duplicates", "rejected", "note"],
    results.map((r) => [
      `${r.sourceId} ${r.label}`,
      r.status,
      r.runId ?? "",
      r.pages,
      r.inserted,
      r.duplicates,
      r.rejected,
      r.error ?? r.stopped ?? "",
    ]),
  );
}

export function registerSyncCommand(program: Command): void {
  program
    .command("sync")
    .description("pull new items from configured sources since their cursor (safe to run from cron)")
    .option("--product <slug>", "only this product's sources (default: every product)")
    .option("--source <id>", "only this source")
    .option("--json", "print one JSON document")
    .action(async (opts: { product?: string; source?: string; json?: boolean }) => {
      const sourceId = opts.source === undefined ? undefined : Number(opts.source);
      if (sourceId !== undefined && (!Number.isInteger(sourceId) || sourceId < 1)) {
        throw new CliError("--source must be a positive whole number");
      }
      const startedAt = new Date();
      const results = await withDatabase(async ({ db }) => {
        const productId = opts.product ? (await requireProduct(db, opts.product)).id : undefined;
        if (sourceId !== undefined) {
          const owner = await findSourceProductId(db, sourceId);
          if (owner === null || (productId !== undefined && owner !== productId)) {
            throw new CliError(`no source ${sourceId}${opts.product ? ` in product "${opts.product}"` : ""}`);
          }
        }
        return syncSources(db, { productId, sourceId });
      });
      const failed = results.filter((r) => r.status === "failed");
      emit(
        opts.json,
        {
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          succeeded: results.filter((r) => r.status === "succeeded").length,
          failed: failed.length,
          skipped: results.filter((r) => r.status === "skipped").length,
          sources: results,
        },
        () => humanSummary(results),
      );
      // A non-zero exit lets cron (MAILTO) or a monitor notice; the other sources were still synced.
      if (failed.length > 0) {
        throw new CliError(
          `${failed.length} of ${results.length} sources failed: ${failed.map((r) => `${r.sourceId} (${r.error})`).join("; ")}`,
        );
      }
    });
}
