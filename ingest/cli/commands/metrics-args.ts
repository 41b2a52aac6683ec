import type { Command } from "commander";
import type { Product } from "../../../db/schema/products";
import { parseSteps } from "../../../lib/metrics/funnel-steps";
import type { FunnelStepSpec } from "../../../lib/metrics/funnel-trace";
import { PeriodError, type ResolvedPeriod, resolvePeriod } from "../../../lib/metrics/period-resolve";
import { CliError } from "../output";

export interface PeriodOptions {
  day?: string;
  week?: string;
  month?: string;
  from?: string;
  to?: string;
}

/** Add --day / --week / --month / --from --to (local dates in the product's zone, --to inclusive). */
export function withPeriodOptions(cmd: Command): Command {
  return cmd
    .option(
      "--week <YYYY-Www>",
      "ISO week (Monday weeks; Sunday-week products: the week starting the Sunday before)",
    )
    .option("--day <YYYY-MM-DD>", "one local day")
    .option("--month <YYYY-MM>", "one calendar month")
    .option("--from <YYYY-MM-DD>", "first local day of a custom range")
    .option("--to <YYYY-MM-DD>", "last local day of a custom range (inclusive)");
}

/** The period the options name, in the product's zone; a one-line error otherwise. */
export function periodFromOptions(opts: PeriodOptions, product: Product): ResolvedPeriod {
  try {
    return resolvePeriod(
      { day: opts.day, week: opts.week, month: opts.month, from: opts.from, to: opts.to },
      product.timezone,
      product.weekStart,
    );
  } catch (err) {
    if (err instanceof PeriodError) throw new CliError(err.message);
    throw err;
  }
}

/** Comma-separated list, trimmed, without empties. */
export function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Funnel steps from --steps, as a one-line CLI error when malformed. */
export function stepsFromOption(text: string): FunnelStepSpec[] {
  try {
    return parseSteps(text);
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(`--steps: ${err.message}`);
    throw err;
  }
}
