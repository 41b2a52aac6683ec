import type { Command } from "commander";
import { now } from "../../../lib/clock";
import { parseWindow } from "../../../lib/metrics/funnel";
import type { FunnelMode } from "../../../lib/metrics/funnel-trace";
import type { RetentionMode } from "../../../lib/metrics/retention";
import { getAdoptionReport } from "../../../lib/queries/adoption";
import { getFeedbackFigures } from "../../../lib/queries/feedback";
import { getFunnel } from "../../../lib/queries/funnels";
import { getKpiReport, toPeriodJson } from "../../../lib/queries/kpis";
import { getRetention } from "../../../lib/queries/retention";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";
import {
  type PeriodOptions,
  periodFromOptions,
  splitList,
  stepsFromOption,
  withPeriodOptions,
} from "./metrics-args";

type Opts = PeriodOptions & { product: string; json?: boolean };

const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? "–" : Number.isInteger(v) ? String(v) : v.toFixed(digits);
const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

function registerKpis(metrics: Command): void {
  withPeriodOptions(
    metrics.command("kpis").description("KPI set of a period vs the period before, with targets"),
  )
    .requiredOption("--product <slug>", "product")
    .option("--goals <events>", "goal events, comma-separated (default: signed_up,purchase where present)")
    .option("--json", "print one JSON document")
    .action(async (opts: Opts & { goals?: string }) => {
      const report = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        const period = periodFromOptions(opts, product);
        const goals = opts.goals === undefined ? undefined : splitList(opts.goals);
        return getKpiReport(db, { product, period, goals });
      });
      emit(opts.json, report, () => {
        const keys = [
          "dau",
          "wau",
          "mau",
          "stickiness",
          "new_users",
          "returning_users",
          "sessions",
          "pageviews",
        ];
        const more = ["bounce_rate", "avg_session_seconds", "nps", "csat", "mentions"];
        const rows = [...keys, ...more].map((k) => {
          const cur = (report.metrics as unknown as Record<string, number | null>)[k] ?? null;
          const prev = (report.previous as unknown as Record<string, number | null>)[k] ?? null;
          const t = report.targets[k];
          return [
            k,
            fmt(cur),
            fmt(prev),
            pct(report.changes[k]?.change_ratio ?? null),
            t ? `${t.target} ${t.status}` : "",
          ];
        });
        for (const [goal, c] of Object.entries(report.metrics.conversion)) {
          rows.push([
            `conversion ${goal}`,
            pct(c.rate),
            pct(report.previous.conversion[goal]?.rate ?? null),
            "",
            "",
          ]);
        }
        return `${report.product} ${report.period.label} (${report.period.first_day} – ${report.period.last_day})\n${table(["metric", "value", "previous", "change", "target"], rows)}`;
      });
    });
}

function registerFunnel(metrics: Command): void {
  withPeriodOptions(
    metrics.command("funnel").description("conversion funnel of actors entering in the period"),
  )
    .requiredOption("--product <slug>", "product")
    .requiredOption("--steps <steps>", "2-10 steps, comma-separated: event or event[prop=value]")
    .option("--window <window>", "conversion window from step 1: 14d, 2h, 3600s (max 90d)", "14d")
    .option("--mode <mode>", "sequential, strict or any", "sequential")
    .option("--exclude <events>", "exclusion events, comma-separated")
    .option("--breakdown <property>", "split by this property's value at step 1")
    .option("--json", "print one JSON document")
    .action(
      async (
        opts: Opts & { steps: string; window: string; mode: string; exclude?: string; breakdown?: string },
      ) => {
        const steps = stepsFromOption(opts.steps);
        if (!["sequential", "strict", "any"].includes(opts.mode)) {
          throw new CliError("--mode must be sequential, strict or any");
        }
        let windowMs: number;
        try {
          windowMs = parseWindow(opts.window);
        } catch (err) {
          throw new CliError(`--window: ${(err as Error).message}`);
        }
        const report = await withDatabase(async ({ db }) => {
          const product = await requireProduct(db, opts.product);
          const period = periodFromOptions(opts, product);
          const result = await getFunnel(db, {
            product,
            period,
            steps,
            windowMs,
            mode: opts.mode as FunnelMode,
            exclusions: splitList(opts.exclude),
            breakdown: opts.breakdown,
          });
          return { ...result, period: toPeriodJson(period) };
        });
        emit(opts.json, report, () =>
          table(
            ["step", "count", "from start", "from previous", "drop-off", "median s", "p90 s"],
            report.steps.map((s) => [
              s.name,
              s.count,
              pct(s.conversion_from_start),
              pct(s.conversion_from_previous),
              s.drop_off,
              fmt(s.median_seconds_to_convert, 0),
              fmt(s.p90_seconds_to_convert, 0),
            ]),
          ),
        );
      },
    );
}

function registerRetention(metrics: Command): void {
  withPeriodOptions(metrics.command("retention").description("weekly retention cohorts (12 weeks)"))
    .requiredOption("--product <slug>", "product")
    .option(
      "--start-event <event>",
      "cohort by the first time this event was fired (default: first activity)",
    )
    .option("--mode <mode>", "on (active in week N) or on_or_after (in week N or later)", "on")
    .option("--json", "print one JSON document")
    .action(async (opts: Opts & { startEvent?: string; mode: string }) => {
      if (opts.mode !== "on" && opts.mode !== "on_or_after")
        throw new CliError("--mode must be on or on_or_after");
      const report = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        const period = periodFromOptions(opts, product);
        const result = await getRetention(db, {
          product,
          period,
          startEvent: opts.startEvent,
          mode: opts.mode as RetentionMode,
          now: now(),
        });
        return { ...result, period: toPeriodJson(period) };
      });
      emit(opts.json, report, () =>
        table(
          ["cohort", "size", ...Array.from({ length: report.weeks }, (_, i) => `w${i}`)],
          report.cohorts.map((c) => [c.cohort, c.size, ...c.rates.map((r) => (r === null ? "" : pct(r)))]),
        ),
      );
    });
}

function registerAdoption(metrics: Command): void {
  withPeriodOptions(metrics.command("adoption").description("adoption of each feature in the period"))
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (opts: Opts) => {
      const report = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        const period = periodFromOptions(opts, product);
        return { ...(await getAdoptionReport(db, { product, period })), period: toPeriodJson(period) };
      });
      emit(opts.json, report, () =>
        table(
          ["feature", "adopters", "rate", "new", "uses/adopter", "adopter ret.", "non-adopter ret."],
          report.features.map((f) => [
            f.key,
            f.adopters,
            pct(f.adoption_rate),
            f.new_adopters,
            fmt(f.mean_uses_per_adopter),
            pct(f.adopter_retention),
            pct(f.non_adopter_retention),
          ]),
        ),
      );
    });
}

function registerFeedback(metrics: Command): void {
  withPeriodOptions(metrics.command("feedback").description("survey scores and mentions of the period"))
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (opts: Opts) => {
      const report = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        const period = periodFromOptions(opts, product);
        const figures = await getFeedbackFigures(db, {
          productId: product.id,
          start: period.start,
          end: period.end,
        });
        return { product: product.slug, period: toPeriodJson(period), ...figures };
      });
      emit(opts.json, report, () =>
        [
          `NPS ${fmt(report.nps, 1)} ± ${fmt(report.nps_margin_of_error, 1)} (${report.nps_responses} responses${report.nps_low_sample ? ", fewer than 30" : ""})`,
          `CSAT ${fmt(report.csat, 1)}% (${report.csat_responses})  CES ${fmt(report.ces)} (${report.ces_responses})`,
          `comments ${report.comments}  net sentiment ${fmt(report.net_sentiment)}  mentions ${report.mentions}`,
        ].join("\n"),
      );
    });
}

export function registerMetricsCommands(program: Command): void {
  const metrics = program
    .command("metrics")
    .description("KPIs, funnels, retention, adoption and feedback figures");
  registerKpis(metrics);
  registerFunnel(metrics);
  registerRetention(metrics);
  registerAdoption(metrics);
  registerFeedback(metrics);
  for (const cmd of metrics.commands) cmd.exitOverride();
}
