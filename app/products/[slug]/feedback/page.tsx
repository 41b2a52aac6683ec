import type { Metadata } from "next";
import { weekStartOfDay } from "../../../../lib/metrics/period-resolve";
import { extractKeyPhrases } from "../../../../lib/metrics/themes";
import { listFeatureRefs } from "../../../../lib/queries/dash-features";
import { getFeedbackWeeks } from "../../../../lib/queries/dash-feedback-weekly";
import { listWeekStarts } from "../../../../lib/queries/dash-series";
import { listComments, listThemeNames, listVoiceSources } from "../../../../lib/queries/dash-voice";
import { getFeedbackFigures } from "../../../../lib/queries/feedback";
import { feedbackParamsSchema } from "../../../../lib/ui/feedback-params";
import { KPI_DEFINITIONS } from "../../../../lib/ui/kpi-definitions";
import { PERIOD_KEYS } from "../../../../lib/ui/period-params";
import { firstParam } from "../../../../lib/ui/search";
import { BarSeries } from "../../../_components/bar-series";
import { ChartFrame } from "../../../_components/chart-frame";
import { DataTable } from "../../../_components/data-table";
import { EmptyState } from "../../../_components/empty-state";
import { KpiCard } from "../../../_components/kpi-card";
import { LineTrend } from "../../../_components/line-trend";
import { PeriodBar } from "../../../_components/period-bar";
import { loadProductPage } from "../_lib/load-page";

export const metadata: Metadata = { title: "Feedback" };

const defOf = (key: string) => KPI_DEFINITIONS.find((d) => d.key === key)?.definition ?? "";

export default async function FeedbackPage({ params, searchParams }: PageProps<"/products/[slug]/feedback">) {
  const ctx = await loadProductPage(params, searchParams, "/feedback");
  const { db, product, page, search } = ctx;
  const filters = feedbackParamsSchema.parse(search);
  const weekStarts = listWeekStarts(weekStartOfDay(page.period.lastDay, product.weekStart), 12);
  const span = { productId: product.id, start: page.period.start, end: page.period.end };
  const [now, before, weeks, all, verbatims, features, sources, themes] = await Promise.all([
    getFeedbackFigures(db, span),
    getFeedbackFigures(db, { productId: product.id, start: page.previous.start, end: page.previous.end }),
    getFeedbackWeeks(db, { product, weekStarts }),
    listComments(db, { ...span, limit: 1000 }),
    listComments(db, {
      ...span,
      scoreBucket: filters.score,
      theme: filters.theme,
      featureKey: filters.feature,
      source: filters.source,
      search: filters.q,
      limit: 500,
    }),
    listFeatureRefs(db, product.id),
    listVoiceSources(db, product.id),
    listThemeNames(db, product.id),
  ]);
  const previousThemes = new Map(before.top_themes.map((t) => [t.theme, t.count]));
  const themeRows = now.top_themes.map((t) => {
    const prev = previousThemes.get(t.theme) ?? 0;
    return { theme: t.theme, count: t.count, previous: prev, change: prev ? (t.count - prev) / prev : null };
  });
  const phrases = extractKeyPhrases(
    all.filter((c) => c.themes.length === 0).map((c) => c.text),
    { limit: 15 },
  );
  const weekRows = weeks.map((w) => ({
    week: w.week,
    nps: w.nps,
    nps_responses: w.nps_responses,
    moe: w.nps_margin_of_error,
    csat: w.csat,
    csat_responses: w.csat_responses,
    ces: w.ces,
    ces_responses: w.ces_responses,
    promoters: w.promoters,
    passives: w.passives,
    detractors: w.detractors,
    sentiment: w.net_sentiment,
  }));
  const periodParams = Object.fromEntries(PERIOD_KEYS.map((k) => [k, firstParam(search[k])]));
  const nothing =
    now.nps_responses + now.csat_responses + now.ces_responses + now.comments === 0 &&
    weeks.every((w) => w.nps_responses === 0);
  return (
    <>
      <PeriodBar pathname={ctx.pathname} search={search} page={page} product={product} now={ctx.now} />
      {nothing ? (
        <EmptyState title="No survey responses yet">
          <p>
            Import survey results (Typeform, SurveyMonkey, Google Forms, Qualtrics, Delighted or CSV):{" "}
            <code>npm run northstar -- import responses.csv --product {product.slug}</code>.
          </p>
        </EmptyState>
      ) : null}
      <div className="cards kpi-cards">
        <KpiCard
          metric="nps"
          label="NPS"
          kind="nps"
          definition={defOf("nps")}
          value={now.nps}
          previous={before.nps}
          note={`${now.nps_responses} responses${now.nps_margin_of_error === null ? "" : ` · ±${now.nps_margin_of_error.toFixed(1)} (95%)`}`}
          warning={now.nps_low_sample ? "fewer than 30 responses" : undefined}
          trend={weeks.map((w) => w.nps)}
        />
        <KpiCard
          metric="csat"
          label="CSAT"
          kind="percent"
          definition={defOf("csat")}
          value={now.csat}
          previous={before.csat}
          note={`${now.csat_responses} responses`}
          warning={now.csat_responses < 30 ? "fewer than 30 responses" : undefined}
          trend={weeks.map((w) => w.csat)}
        />
        <KpiCard
          metric="ces"
          label="CES"
          kind="score"
          lowerIsBetter
          definition="Mean customer-effort score on the survey's own scale."
          value={now.ces}
          previous={before.ces}
          note={`${now.ces_responses} responses`}
          warning={now.ces_responses > 0 && now.ces_responses < 30 ? "fewer than 30 responses" : undefined}
          trend={weeks.map((w) => w.ces)}
        />
        <KpiCard
          metric="net_sentiment"
          label="Net sentiment"
          kind="sentiment"
          definition={defOf("net_sentiment")}
          value={now.net_sentiment}
          previous={before.net_sentiment}
          note={`${now.comments} comments · ${now.mentions} mentions`}
          trend={weeks.map((w) => w.net_sentiment)}
        />
      </div>
      <div className="grid-2">
        <ChartFrame
          id="nps-trend"
          title="NPS by week"
          subtitle="Response counts and 95% margins in the data table; weeks under 30 responses are noisy"
          rows={weekRows}
          columns={[
            { key: "week", header: "Week of" },
            { key: "nps", header: "NPS", kind: "nps" },
            { key: "nps_responses", header: "Responses", kind: "count" },
            { key: "moe", header: "± (95%)", kind: "score" },
          ]}
        >
          <LineTrend
            data={weekRows}
            xKey="week"
            yKind="nps"
            series={[{ key: "nps", name: "NPS" }]}
            height={220}
          />
        </ChartFrame>
        <ChartFrame
          id="ppd-split"
          title="Promoters, passives, detractors"
          rows={weekRows}
          columns={[
            { key: "week", header: "Week of" },
            { key: "promoters", header: "Promoters", kind: "count" },
            { key: "passives", header: "Passives", kind: "count" },
            { key: "detractors", header: "Detractors", kind: "count" },
          ]}
        >
          <BarSeries
            data={weekRows}
            xKey="week"
            stacked
            height={220}
            series={[
              { key: "promoters", name: "Promoters", color: "#16a34a" },
              { key: "passives", name: "Passives", color: "#94a3b8" },
              { key: "detractors", name: "Detractors", color: "#dc2626" },
            ]}
          />
        </ChartFrame>
        <ChartFrame
          id="csat-ces-trend"
          title="CSAT and CES by week"
          rows={weekRows}
          columns={[
            { key: "week", header: "Week of" },
            { key: "csat", header: "CSAT", kind: "percent" },
            { key: "csat_responses", header: "CSAT responses", kind: "count" },
            { key: "ces", header: "CES", kind: "score" },
            { key: "ces_responses", header: "CES responses", kind: "count" },
          ]}
        >
          <LineTrend
            data={weekRows}
            xKey="week"
            yKind="score"
            series={[
              { key: "csat", name: "CSAT %" },
              { key: "ces", name: "CES" },
            ]}
            height={220}
          />
        </ChartFrame>
        <ChartFrame
          id="sentiment-trend"
          title="Net sentiment by week"
          subtitle="Comments and mentions together"
          rows={weekRows}
          columns={[
            { key: "week", header: "Week of" },
            { key: "sentiment", header: "Net sentiment", kind: "sentiment" },
          ]}
        >
          <LineTrend
            data={weekRows}
            xKey="week"
            yKind="sentiment"
            series={[{ key: "sentiment", name: "Net sentiment", color: "#16a34a" }]}
            height={220}
          />
        </ChartFrame>
      </div>
      <div className="grid-2">
        <section className="panel" aria-labelledby="themes-title">
          <h2 id="themes-title" className="padded">
            Themes
          </h2>
          <DataTable
            id="themes-table"
            filename={`themes-${product.slug}-${page.period.label}`}
            rows={themeRows}
            searchable={false}
            columns={[
              { key: "theme", header: "Theme" },
              { key: "count", header: "Comments + mentions", kind: "count" },
              { key: "previous", header: "Before", kind: "count" },
              { key: "change", header: "Change", render: "change", kind: "ratio" },
            ]}
            initialSort={{ key: "count", desc: true }}
          />
        </section>
        <section className="panel" aria-labelledby="phrases-title">
          <h2 id="phrases-title" className="padded">
            Key phrases in untagged comments
          </h2>
          {phrases.length ? (
            <DataTable
              id="phrases-table"
              filename={`key-phrases-${product.slug}-${page.period.label}`}
              rows={phrases}
              searchable={false}
              columns={[
                { key: "phrase", header: "Phrase" },
                { key: "count", header: "Comments", kind: "count" },
              ]}
            />
          ) : (
            <p className="muted padded">No phrase recurs in the comments that no theme caught.</p>
          )}
        </section>
      </div>
      <section className="panel" aria-labelledby="verbatims-title">
        <h2 id="verbatims-title" className="padded">
          Verbatims
        </h2>
        <form
          method="get"
          action={ctx.pathname}
          className="builder-row padded"
          aria-label="Filter verbatims"
          data-testid="verbatim-filters"
        >
          {Object.entries(periodParams).map(([k, v]) =>
            v ? <input key={k} type="hidden" name={k} value={v} /> : null,
          )}
          <label>
            Score
            <select name="score" defaultValue={filters.score ?? ""}>
              <option value="">Any</option>
              <option value="promoter">Promoters (9-10)</option>
              <option value="passive">Passives (7-8)</option>
              <option value="detractor">Detractors (0-6)</option>
            </select>
          </label>
          <label>
            Theme
            <select name="theme" defaultValue={filters.theme ?? ""}>
              <option value="">Any</option>
              {themes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label>
            Feature
            <select name="feature" defaultValue={filters.feature ?? ""}>
              <option value="">Any</option>
              {features.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Source
            <select name="source" defaultValue={filters.source ?? ""}>
              <option value="">Any</option>
              {sources.surveys.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Text
            <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="pricing" />
          </label>
          <button type="submit">Filter</button>
        </form>
        <DataTable
          id="verbatims-table"
          filename={`verbatims-${product.slug}-${page.period.label}`}
          rows={verbatims.map((v) => ({
            ...v,
            date: v.at.slice(0, 10),
            question: v.questionKind?.toUpperCase() ?? "",
          }))}
          columns={[
            { key: "date", header: "Date" },
            { key: "question", header: "Question" },
            { key: "score", header: "Score", kind: "score" },
            { key: "text", header: "Comment", render: "long-text" },
            { key: "themes", header: "Themes", render: "tags" },
            { key: "featureKeys", header: "Features", render: "tags" },
            { key: "sentiment", header: "Sentiment", kind: "sentiment" },
            { key: "source", header: "Source" },
          ]}
        />
      </section>
    </>
  );
}
