import type { Command } from "commander";
import { reenrichProduct } from "../../enrich";
import { emit } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

export function registerEnrichCommand(program: Command): void {
  program
    .command("enrich")
    .description("recompute sentiment, themes and feature links of a product's comments and mentions")
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (opts: { product: string; json?: boolean }) => {
      const result = await withDatabase(async ({ db }) =>
        reenrichProduct(db, (await requireProduct(db, opts.product)).id),
      );
      emit(
        opts.json,
        result,
        () => `Re-scored ${result.surveys} survey responses and ${result.mentions} mentions.`,
      );
    });
}
