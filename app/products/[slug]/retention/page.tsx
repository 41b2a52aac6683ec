import type { Metadata } from "next";
import Link from "next/link";
import { listEventNames } from "../../../../lib/queries/dash-events";
import { getRetention } from "../../../../lib/queries/retention";
import { PERIOD_KEYS } from "../../../../lib/ui/period-params";
import { retentionParamsSchema } from "../../../../lib/ui/retention-params";
import { buildQuery, firstParam } from "../../../../lib/ui/search";
import { ChartFrame } from "../../../_components/chart-frame";
import { CsvButton } from "../../../_components/csv-button";
import { EmptyState } from "../../../_components/empty-state";
import { LineTrend } from "../../../_components/line-trend";
import { PeriodBar } from "../../../_components/period-bar";
import { averageCurve, RetentionHeatmap } from "../../../_components/retention-heatmap";
import { cohortRange } from "../_lib/cohort-range";
import { loadProductPage } from "../_lib/load-page";

export const metadata: Metadata = { title: "Retention" };

export default async function RetentionPage({
  params,
  searchParams,
}: PageProps<"/products/[slug]/retention">) {
  const ctx = await loadProductPage(params, searchParams, "/retention");
  const { db, product, page, search, now } = ctx;
  const opts = retentionParamsSchema.parse(search);
  const range = cohortRange(page.period, product.timezone, product.weekStart);
  const [report, names] = await Promise.all([
    getRetention(db, { product, period: range, mode: opts.mode, startEvent: opts.start, now }),
    listEventNames(db, product.id, { now }),
  ]);
  const periodParams = Object.fromEntries(PERIOD_KEYS.map((k) => [k, firstParam(search[k])]));
  const link = (mode: string) =>
    `${ctx.pathname}${buildQuery({ ...periodParams, mode: mode === "on" ? undefined : mode, start: opts.start })}`;
  const curve = averageCurve(report.cohorts, report.weeks);
  const csvRows = report.cohorts.map((c) => ({
    cohort: c.cohort,
    size: c.size,
    ...Object.fromEntries(c.retained.map((r, n) => [`w${n}`, r])),
  }));
  const csvColumns = [
    { key: "cohort", header: "cohort_week" },
    { key: "size", header: "actors" },
    ...Array.from({ length: report.weeks }, (_, n) => ({ key: `w${n}`, header: `week_${n}_retained` })),
  ];
  const empty = report.cohorts.every((c) => c.size === 0);
  return (
    <>
      <PeriodBar pathname={ctx.pathname} search={search} page={page} product={product} now={now} />
      <div className="panel padded retention-controls">
        <p>
          Cohorts: weeks from {range.firstDay} to {range.lastDay}, by{" "}
          {opts.start ? (
            <>
              the first <code>{opts.start}</code> event
            </>
          ) : (
            "first activity"
          )}
          . Week N counts actors active{" "}
          <strong>{opts.mode === "on" ? "in week N" : "in week N or any later week"}</strong>.
        </p>
        <div className="builder-row">
          <nav aria-label="Retention mode" className="segmented">
            <Link
              href={link("on")}
              aria-current={opts.mode === "on" ? "true" : undefined}
              data-testid="mode-on"
            >
              On week N
            </Link>
            <Link
              href={link("on_or_after")}
              aria-current={opts.mode === "on_or_after" ? "true" : undefined}
              data-testid="mode-on-or-after"
            >
              On or after week N
            </Link>
          </nav>
          <form method="get" action={ctx.pathname} className="builder-row">
            {Object.entries(periodParams).map(([k, v]) =>
              v ? <input key={k} type="hidden" name={k} value={v} /> : null,
            )}
            {opts.mode !== "on" ? <input type="hidden" name="mode" value={opts.mode} /> : null}
            <label>
              <span className="sr-only">Start event</span>
              <select name="start" defaultValue={opts.start ?? ""}>
                <option value="">Cohort by first activity</option>
                {names.map((n) => (
                  <option key={n.event} value={n.event}>
                    Cohort by first {n.event}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Apply</button>
          </form>
        </div>
      </div>
      {empty ? (
        <EmptyState title="No new actors in these cohort weeks" />
      ) : (
        <>
          <section className="panel" aria-labelledby="cohorts-title">
            <div className="table-tools">
              <h2 id="cohorts-title">Weekly cohorts</h2>
              <CsvButton
                filename={`retention-${product.slug}-${range.firstDay}`}
                rows={csvRows}
                columns={csvColumns}
              />
            </div>
            <RetentionHeatmap cohorts={report.cohorts} weeks={report.weeks} />
          </section>
          <ChartFrame
            id="retention-curve"
            title="Average retention curve"
            subtitle="Cohorts weighted by size; each week averages only the cohorts that have reached it"
            rows={curve}
            columns={[
              { key: "week", header: "Week" },
              { key: "rate", header: "Retained", kind: "ratio" },
              { key: "cohorts", header: "Cohorts", kind: "count" },
            ]}
          >
            <LineTrend
              data={curve}
              xKey="week"
              yKind="ratio"
              series={[{ key: "rate", name: "Retained" }]}
              height={220}
            />
          </ChartFrame>
        </>
      )}
    </>
  );
}
