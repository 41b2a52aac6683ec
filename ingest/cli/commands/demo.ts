import type { Command } from "commander";
import { now, startOfUtcDay } from "../../../lib/clock";
import { CliError, emit, progress, table } from "../output";
import { withDatabase } from "../with-db";

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CliError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("load deterministic demo data for three products (loading twice adds nothing)")
    .option("--days <n>", "days of history before today", "120")
    .option("--seed <n>", "random seed", "42")
    .option("--json", "print one JSON document")
    .action(async (opts: { days: string; seed: string; json?: boolean }) => {
      const days = positiveInt("days", opts.days, 730);
      const seed = positiveInt("seed", opts.seed, 2 ** 31 - 1);
      // Loaded on demand: the generator is only needed by this command.
      const { loadDemo } = await import("../../demo");
      const result = await withDatabase(({ db }) =>
        loadDemo(db, { end: startOfUtcDay(now()), days, seed, onProgress: (m) => progress(opts.json, m) }),
      );
      emit(opts.json, result, () =>
        table(
          ["product", "events", "survey responses", "mentions", "duplicates skipped"],
          result.products.map((p) => [
            p.slug,
            p.events.inserted,
            p.surveys.inserted,
            p.mentions.inserted,
            p.events.duplicates + p.surveys.duplicates + p.mentions.duplicates,
          ]),
        ),
      );
    });
}
