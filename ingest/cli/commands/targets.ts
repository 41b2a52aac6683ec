import type { Command } from "commander";
import { ZodError } from "zod";
import { listTargets, setTarget, TARGET_METRICS } from "../../../lib/queries/targets";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

export function registerTargetCommands(program: Command): void {
  const targets = program.command("targets").description("KPI targets per product and period kind");

  targets
    .command("set")
    .description("set (or replace) a KPI target")
    .requiredOption("--product <slug>", "product")
    .requiredOption("--metric <metric>", `one of ${TARGET_METRICS.join(", ")}`)
    .requiredOption("--value <number>", "target value")
    .option("--period <period>", "day, week or month", "week")
    .option("--direction <direction>", "at_least or at_most (default: at_most for bounce_rate and ces)")
    .option("--json", "print one JSON document")
    .action(
      async (opts: {
        product: string;
        metric: string;
        value: string;
        period: string;
        direction?: string;
        json?: boolean;
      }) => {
        const value = Number(opts.value);
        if (opts.value.trim() === "" || !Number.isFinite(value))
          throw new CliError("--value must be a number");
        const saved = await withDatabase(async ({ db }) => {
          const product = await requireProduct(db, opts.product);
          try {
            return await setTarget(db, {
              productId: product.id,
              metric: opts.metric as never,
              value,
              period: opts.period as never,
              direction: opts.direction as never,
            });
          } catch (err) {
            if (err instanceof ZodError)
              throw new CliError(err.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("; "));
            throw err;
          }
        });
        emit(
          opts.json,
          { product: opts.product, ...saved },
          () =>
            `Target for ${opts.product}: ${saved.metric} ${saved.direction === "at_least" ? ">=" : "<="} ${saved.value} per ${saved.period}.`,
        );
      },
    );

  targets
    .command("list")
    .description("list a product's targets")
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (opts: { product: string; json?: boolean }) => {
      const rows = await withDatabase(async ({ db }) =>
        listTargets(db, (await requireProduct(db, opts.product)).id),
      );
      emit(opts.json, { product: opts.product, targets: rows }, () =>
        rows.length === 0
          ? `No targets for ${opts.product}.`
          : table(
              ["metric", "period", "direction", "value"],
              rows.map((r) => [r.metric, r.period, r.direction, r.value]),
            ),
      );
    });
  for (const cmd of targets.commands) cmd.exitOverride();
}
