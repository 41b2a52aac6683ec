import type { Command } from "commander";
import { createProduct, listProducts } from "../../../lib/queries/products";
import { emit, table } from "../output";
import { withDatabase } from "../with-db";

export function registerProductCommands(program: Command): void {
  const products = program.command("products").description("the products Northstar tracks");

  products
    .command("add")
    .description("add a product")
    .argument("<slug>", "URL name: lowercase letters, digits and dashes")
    .requiredOption("--name <name>", "display name")
    .option("--timezone <IANA>", "time zone for days and weeks", "UTC")
    .option("--week-start <day>", "monday (ISO) or sunday", "monday")
    .option("--json", "print one JSON document")
    .action(
      async (slug: string, opts: { name: string; timezone: string; weekStart: string; json?: boolean }) => {
        const product = await withDatabase(({ db }) =>
          createProduct(db, {
            slug,
            name: opts.name,
            timezone: opts.timezone,
            weekStart: opts.weekStart as "monday",
          }),
        );
        emit(
          opts.json,
          product,
          () => `Added product ${product.slug} (${product.name}, ${product.timezone}).`,
        );
      },
    );

  products
    .command("list")
    .description("list products")
    .option("--json", "print one JSON document")
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDatabase(({ db }) => listProducts(db));
      emit(opts.json, rows, () =>
        rows.length === 0
          ? "No products yet. Add one with: npm run northstar -- products add <slug> --name <name>"
          : table(
              ["slug", "name", "timezone", "week start"],
              rows.map((p) => [p.slug, p.name, p.timezone, p.weekStart]),
            ),
      );
    });
}
