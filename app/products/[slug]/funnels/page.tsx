import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { findProductForViewer } from "../../../../lib/access";
import { listEventNames, pickDefaultFunnel } from "../../../../lib/queries/dash-events";
import { featuresOfEvent, listFeatureRefs } from "../../../../lib/queries/dash-features";
import { listComments, listMentions, pickNotable } from "../../../../lib/queries/dash-voice";
import { listSampledPropertyKeys } from "../../../../lib/queries/funnel-pickers";
import { getFunnel } from "../../../../lib/queries/funnels";
import { listSavedFunnels } from "../../../../lib/queries/saved-funnels";
import { formatDuration, formatPercent } from "../../../../lib/ui/format";
import { funnelToQuery, readFunnelQuery } from "../../../../lib/ui/funnel-params";
import { periodToParams } from "../../../../lib/ui/period-params";
import { buildQuery, firstParam } from "../../../../lib/ui/search";
import { BarSeries } from "../../../_components/bar-series";
import { ChartFrame } from "../../../_components/chart-frame";
import { DataTable, type TableColumn } from "../../../_components/data-table";
import { EmptyState } from "../../../_components/empty-state";
import { LineTrend } from "../../../_components/line-trend";
import { PeriodBar } from "../../../_components/period-bar";
import { VoiceList } from "../../../_components/voice-list";
import { loadProductPage } from "../_lib/load-page";
import { saveFunnelAction } from "./actions";
import { FunnelBuilder } from "./funnel-builder";

export const metadata: Metadata = { title: "Funnels" };

const STEP_COLUMNS: TableColumn[] = [
  { key: "label", header: "Step" },
  { key: "count", header: "Actors", kind: "count" },
  { key: "conversion_from_start", header: "From step 1", kind: "ratio" },
  { key: "conversion_from_previous", header: "From previous", kind: "ratio" },
  { key: "drop_off", header: "Dropped", kind: "count" },
  { key: "drop_off_rate", header: "Drop-off", kind: "ratio" },
  { key: "median_seconds_to_convert", header: "Median time", kind: "seconds" },
  { key: "p90_seconds_to_convert", header: "p90 time", kind: "seconds" },
];

const ERRORS: Record<string, string> = {
  origin: "The funnel was not saved: the request did not come from this site.",
  definition: "The funnel was not saved: its definition was not valid.",
  name: "Give the funnel a name to save it.",
};

export default async function FunnelsPage({ params, searchParams }: PageProps<"/products/[slug]/funnels">) {
  const ctx = await loadProductPage(params, searchParams, "/funnels");
  const { db, product, page, search, viewer } = ctx;
  const [names, properties, features, saved, canConfigure] = await Promise.all([
    listEventNames(db, product.id, { now: ctx.now }),
    listSampledPropertyKeys(db, product.id),
    listFeatureRefs(db, product.id),
    listSavedFunnels(db, product.id),
    findProductForViewer(db, viewer, product.slug, "configure"),
  ]);
  if (names.length === 0) {
    return (
      <>
        <PeriodBar pathname={ctx.pathname} search={search} page={page} product={product} now={ctx.now} />
        <EmptyState title="No events yet, so no funnel to draw" />
      </>
    );
  }
  const events = names.map((n) => n.event);
  const q = readFunnelQuery(search, pickDefaultFunnel(events));
  const funnel = await getFunnel(db, {
    product,
    period: page.period,
    steps: q.steps,
    windowMs: q.windowMs,
    mode: q.mode,
    exclusions: q.exclusions,
    breakdown: q.breakdown,
  });
  const stepRows = funnel.steps.map((s, i) => ({ ...s, label: `${i + 1}. ${q.stepTexts[i] ?? s.name}` }));
  const chartRows = funnel.steps.map((s, i) => ({
    step: `${i + 1}. ${s.name}`,
    reached: s.count,
    dropped: s.drop_off,
  }));
  // The step that lost the most people, and what customers said about its feature in the same period.
  const worst = funnel.steps
    .slice(1)
    .reduce<{ index: number; drop: number } | null>(
      (best, s, i) => (s.drop_off > (best?.drop ?? 0) ? { index: i + 1, drop: s.drop_off } : best),
      null,
    );
  const worstStep = worst ? funnel.steps[worst.index] : undefined;
  const linked = worstStep ? featuresOfEvent(features, worstStep.name) : [];
  const voice = linked.length
    ? pickNotable(
        (
          await Promise.all(
            linked.flatMap((f) => [
              listComments(db, {
                productId: product.id,
                start: page.period.start,
                end: page.period.end,
                featureKey: f.key,
                limit: 50,
              }),
              listMentions(db, {
                productId: product.id,
                start: page.period.start,
                end: page.period.end,
                featureKey: f.key,
                limit: 50,
              }),
            ]),
          )
        ).flat(),
        6,
      )
    : [];
  const periodQuery = page.isDefault ? {} : periodToParams(page.period);
  const definition = {
    steps: q.steps,
    windowSeconds: Math.round(q.windowMs / 1000),
    mode: q.mode,
    ...(q.exclusions.length ? { exclusions: q.exclusions } : {}),
    ...(q.breakdown ? { breakdown: q.breakdown } : {}),
  };
  const error = firstParam(search.error);
  const savedId = firstParam(search.saved);
  const trendRows = funnel.trend.map((t) => ({
    week: t.week,
    rate: t.conversion_rate,
    entered: t.entered,
    converted: t.converted,
  }));
  return (
    <>
      <PeriodBar pathname={ctx.pathname} search={search} page={page} product={product} now={ctx.now} />
      {q.problems.map((p) => (
        <p key={p} className="warning" role="alert">
          {p}
        </p>
      ))}
      {error && ERRORS[error] ? (
        <p className="warning" role="alert">
          {ERRORS[error]}
        </p>
      ) : null}
      {savedId ? <p className="muted">Funnel saved.</p> : null}
      <div className="grid-2">
        <Suspense fallback={<div className="panel padded">Loading the builder…</div>}>
          <FunnelBuilder
            events={events}
            properties={properties}
            steps={q.stepTexts}
            windowText={q.windowText}
            mode={q.mode}
            exclusions={q.exclusions}
            breakdown={q.breakdown}
          />
        </Suspense>
        <section className="panel padded" aria-labelledby="saved-title">
          <h2 id="saved-title">Saved funnels</h2>
          {saved.length === 0 ? (
            <p className="muted">None yet.</p>
          ) : (
            <ul data-testid="saved-funnels">
              {saved.map((f) => {
                const query = funnelToQuery(f.definition);
                return (
                  <li key={f.id}>
                    <Link href={`${ctx.pathname}${query}${buildQuery(periodQuery).replace("?", "&")}`}>
                      {f.name}
                    </Link>{" "}
                    <span className="muted">{f.definition.steps.map((s) => s.event).join(" → ")}</span>
                  </li>
                );
              })}
            </ul>
          )}
          {canConfigure ? (
            <form action={saveFunnelAction} className="builder-row" data-testid="save-funnel">
              <input type="hidden" name="slug" value={product.slug} />
              <input type="hidden" name="definition" value={JSON.stringify(definition)} />
              <label>
                Save this funnel as
                <input name="name" required maxLength={200} placeholder="Signup to paid" />
              </label>
              <button type="submit">Save</button>
            </form>
          ) : (
            <p className="muted">Lead PMs of this product can save funnels.</p>
          )}
        </section>
      </div>
      <div className="grid-2">
        <ChartFrame
          id="funnel-chart"
          title={`Funnel: ${q.stepTexts.join(" → ")}`}
          subtitle={`${q.mode} order, ${q.windowText} window from the first step; entries in ${page.period.label}. Overall conversion ${formatPercent(funnel.steps.at(-1)?.conversion_from_start ?? null)}.`}
          rows={stepRows}
          columns={[
            { key: "label", header: "Step" },
            { key: "count", header: "Actors", kind: "count" },
            { key: "conversion_from_start", header: "From step 1", kind: "ratio" },
            { key: "drop_off", header: "Dropped", kind: "count" },
          ]}
        >
          <BarSeries
            data={chartRows}
            xKey="step"
            stacked
            series={[
              { key: "reached", name: "Reached the step", color: "#4f46e5" },
              { key: "dropped", name: "Dropped since the previous step", color: "#fca5a5" },
            ]}
          />
        </ChartFrame>
        <section className="panel padded" aria-labelledby="dropoff-title" data-testid="dropoff-voice">
          <h2 id="dropoff-title">Biggest drop-off</h2>
          {worst && worstStep ? (
            <>
              <p>
                <strong>
                  {funnel.steps[worst.index - 1]?.name} → {worstStep.name}
                </strong>
                : {worst.drop} actors dropped ({formatPercent(worstStep.drop_off_rate)}); median time to
                convert {formatDuration(worstStep.median_seconds_to_convert)}, p90{" "}
                {formatDuration(worstStep.p90_seconds_to_convert)}.
              </p>
              {linked.length ? (
                <>
                  <p className="muted">
                    What customers said about {linked.map((f) => f.name).join(", ")} in the same period:
                  </p>
                  <VoiceList
                    items={voice}
                    empty="No comments or mentions linked to this feature in the period."
                  />
                </>
              ) : (
                <p className="muted">
                  No feature is defined with the event “{worstStep.name}”; define one in settings to see
                  linked feedback here.
                </p>
              )}
            </>
          ) : (
            <p className="muted">Nobody dropped off in this period.</p>
          )}
        </section>
      </div>
      <div className="panel">
        <DataTable
          id="funnel-steps"
          rows={stepRows}
          columns={STEP_COLUMNS}
          filename={`funnel-${product.slug}-${page.period.label}`}
          searchable={false}
          caption="Funnel steps"
        />
      </div>
      <ChartFrame
        id="funnel-trend"
        title="Conversion by entry week"
        subtitle="Share of actors entering that week who completed every step"
        rows={trendRows}
        columns={[
          { key: "week", header: "Week of" },
          { key: "entered", header: "Entered", kind: "count" },
          { key: "converted", header: "Converted", kind: "count" },
          { key: "rate", header: "Conversion", kind: "ratio" },
        ]}
      >
        <LineTrend
          data={trendRows}
          xKey="week"
          yKind="ratio"
          series={[{ key: "rate", name: "Conversion" }]}
          height={200}
        />
      </ChartFrame>
      {funnel.breakdown.length ? (
        <div className="panel">
          <h2 className="padded">Breakdown by {q.breakdown}</h2>
          <DataTable
            id="funnel-breakdown"
            filename={`funnel-breakdown-${product.slug}`}
            rows={funnel.breakdown.map((b) => ({
              value: b.value,
              entered: b.steps[0]?.count ?? 0,
              converted: b.steps.at(-1)?.count ?? 0,
              rate: b.steps.at(-1)?.conversion_from_start ?? null,
            }))}
            columns={[
              { key: "value", header: q.breakdown ?? "value" },
              { key: "entered", header: "Entered", kind: "count" },
              { key: "converted", header: "Completed", kind: "count" },
              { key: "rate", header: "Conversion", kind: "ratio" },
            ]}
            initialSort={{ key: "entered", desc: true }}
          />
        </div>
      ) : null}
    </>
  );
}
