import type { Metadata } from "next";
import { weekStartOfDay } from "../../../../lib/metrics/period-resolve";
import { getFeedbackWeeks } from "../../../../lib/queries/dash-feedback-weekly";
import { listWeekStarts } from "../../../../lib/queries/dash-series";
import { listMentions } from "../../../../lib/queries/dash-voice";
import { mentionsParamsSchema } from "../../../../lib/ui/feedback-params";
import { formatSentiment } from "../../../../lib/ui/format";
import { PERIOD_KEYS } from "../../../../lib/ui/period-params";
import { firstParam } from "../../../../lib/ui/search";
import { flagSpikes, SPIKE_FACTOR, SPIKE_WINDOW } from "../../../../lib/ui/spikes";
import { BarSeries } from "../../../_components/bar-series";
import { ChartFrame } from "../../../_components/chart-frame";
import { DataTable } from "../../../_components/data-table";
import { EmptyState } from "../../../_components/empty-state";
import { LineTrend } from "../../../_components/line-trend";
import { PeriodBar } from "../../../_components/period-bar";
import { sourceLabel, VoiceList } from "../../../_components/voice-list";
import { loadProductPage } from "../_lib/load-page";

export const metadata: Metadata = { title: "Mentions" };

/** Weeks on the charts; the spike rule looks 8 weeks further back. */
const SHOWN_WEEKS = 12;

export default async function MentionsPage({ params, searchParams }: PageProps<"/products/[slug]/mentions">) {
  const ctx = await loadProductPage(params, searchParams, "/mentions");
  const { db, product, page, search } = ctx;
  const filters = mentionsParamsSchema.parse(search);
  const weekStarts = listWeekStarts(
    weekStartOfDay(page.period.lastDay, product.weekStart),
    SHOWN_WEEKS + SPIKE_WINDOW,
  );
  const span = { productId: product.id, start: page.period.start, end: page.period.end };
  const [weeks, inPeriod, table] = await Promise.all([
    getFeedbackWeeks(db, { product, weekStarts }),
    listMentions(db, { ...span, limit: 1000 }),
    listMentions(db, { ...span, source: filters.source, search: filters.q, limit: 500 }),
  ]);
  const spikes = flagSpikes(weeks.map((w) => ({ week: w.week, count: w.mentions }))).slice(-SHOWN_WEEKS);
  const shown = weeks.slice(-SHOWN_WEEKS);
  const sources = [...new Set(weeks.flatMap((w) => Object.keys(w.mentions_by_source)))].sort();
  const volumeRows = shown.map((w, i) => ({
    week: w.week,
    ...Object.fromEntries(sources.map((s) => [s, w.mentions_by_source[s] ?? 0])),
    total: w.mentions,
    trailing: spikes[i]?.trailingMean ?? null,
    spike: spikes[i]?.spike ? "spike" : "",
    sentiment: w.net_sentiment,
  }));
  const top = [...inPeriod].sort((a, b) => (b.engagement ?? 0) - (a.engagement ?? 0)).slice(0, 5);
  const spikeWeeks = spikes.filter((s) => s.spike);
  const periodParams = Object.fromEntries(PERIOD_KEYS.map((k) => [k, firstParam(search[k])]));
  return (
    <>
      <PeriodBar pathname={ctx.pathname} search={search} page={page} product={product} now={ctx.now} />
      {weeks.every((w) => w.mentions === 0) ? (
        <EmptyState title="No mentions yet">
          <p>
            Import posts and reviews (Hacker News, Reddit, X, App Store, Google Play, RSS):{" "}
            <code>npm run northstar -- import mentions.json --product {product.slug}</code>, or add a source
            to sync with <code>npm run northstar -- sources add ...</code>.
          </p>
        </EmptyState>
      ) : null}
      {spikeWeeks.length ? (
        <p className="warning" role="status" data-testid="spikes">
          Spike{spikeWeeks.length > 1 ? "s" : ""}:{" "}
          {spikeWeeks
            .map(
              (s) =>
                `week of ${s.week} (${s.count} mentions vs a trailing mean of ${(s.trailingMean ?? 0).toFixed(1)})`,
            )
            .join("; ")}
          .
        </p>
      ) : (
        <p className="muted">
          No spike: no week reached {SPIKE_FACTOR}× its trailing {SPIKE_WINDOW}-week mean.
        </p>
      )}
      <div className="grid-2">
        <ChartFrame
          id="mention-volume"
          title="Mentions by source and week"
          subtitle={`Spikes: at least ${SPIKE_FACTOR}× the trailing ${SPIKE_WINDOW}-week mean (and 5 mentions)`}
          rows={volumeRows}
          columns={[
            { key: "week", header: "Week of" },
            ...sources.map((s) => ({ key: s, header: sourceLabel(s), kind: "count" as const })),
            { key: "total", header: "Total", kind: "count" },
            { key: "trailing", header: "Trailing mean", kind: "mean" },
            { key: "spike", header: "Spike" },
          ]}
        >
          <BarSeries
            data={volumeRows}
            xKey="week"
            stacked
            series={sources.map((s) => ({ key: s, name: sourceLabel(s) }))}
          />
        </ChartFrame>
        <ChartFrame
          id="mention-sentiment"
          title="Net sentiment by week"
          subtitle="Comments and mentions with a sentiment score"
          rows={volumeRows}
          columns={[
            { key: "week", header: "Week of" },
            { key: "sentiment", header: "Net sentiment", kind: "sentiment" },
          ]}
        >
          <LineTrend
            data={volumeRows}
            xKey="week"
            yKind="sentiment"
            series={[{ key: "sentiment", name: "Net sentiment", color: "#16a34a" }]}
          />
        </ChartFrame>
      </div>
      <section className="panel padded" aria-labelledby="top-mentions">
        <h2 id="top-mentions">Top mentions by engagement</h2>
        <VoiceList items={top} empty="No mentions in this period." />
      </section>
      <section className="panel" aria-labelledby="all-mentions">
        <h2 id="all-mentions" className="padded">
          Mentions in the period
        </h2>
        <form method="get" action={ctx.pathname} className="builder-row padded" aria-label="Filter mentions">
          {Object.entries(periodParams).map(([k, v]) =>
            v ? <input key={k} type="hidden" name={k} value={v} /> : null,
          )}
          <label>
            Source
            <select name="source" defaultValue={filters.source ?? ""}>
              <option value="">Any</option>
              {sources.map((s) => (
                <option key={s} value={s}>
                  {sourceLabel(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Text
            <input type="search" name="q" defaultValue={filters.q ?? ""} />
          </label>
          <button type="submit">Filter</button>
        </form>
        <DataTable
          id="mentions-table"
          filename={`mentions-${product.slug}-${page.period.label}`}
          rows={table.map((m) => ({
            ...m,
            date: m.at.slice(0, 10),
            sourceName: sourceLabel(m.source),
            linkText: m.url ? "open" : "",
            sentimentText: formatSentiment(m.sentiment),
          }))}
          columns={[
            { key: "date", header: "Date" },
            { key: "sourceName", header: "Source" },
            { key: "text", header: "Mention", render: "long-text" },
            { key: "author", header: "Author" },
            { key: "engagement", header: "Engagement", kind: "count" },
            { key: "sentiment", header: "Sentiment", kind: "sentiment" },
            { key: "themes", header: "Themes", render: "tags" },
            { key: "linkText", header: "Link", render: "external", hrefKey: "url" },
          ]}
          initialSort={{ key: "engagement", desc: true }}
        />
      </section>
    </>
  );
}
