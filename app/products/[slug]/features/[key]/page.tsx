import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getAdoptionReport } from "../../../../../lib/queries/adoption";
import { listComments, listMentions } from "../../../../../lib/queries/dash-voice";
import { getRetention } from "../../../../../lib/queries/retention";
import { formatMean, formatPercent } from "../../../../../lib/ui/format";
import { periodToParams } from "../../../../../lib/ui/period-params";
import { buildQuery } from "../../../../../lib/ui/search";
import { ChartFrame } from "../../../../_components/chart-frame";
import { DataTable } from "../../../../_components/data-table";
import { LineTrend } from "../../../../_components/line-trend";
import { PeriodBar } from "../../../../_components/period-bar";
import { averageCurve, RetentionHeatmap } from "../../../../_components/retention-heatmap";
import { VoiceList } from "../../../../_components/voice-list";
import { cohortRange } from "../../_lib/cohort-range";
import { loadProductPage } from "../../_lib/load-page";

export const metadata: Metadata = { title: "Feature" };

export default async function FeaturePage({
  params,
  searchParams,
}: PageProps<"/products/[slug]/features/[key]">) {
  const { key } = await params;
  const ctx = await loadProductPage(params, searchParams, `/features/${encodeURIComponent(key)}`);
  const { db, product, page, now } = ctx;
  const report = await getAdoptionReport(db, { product, period: page.period });
  const feature = report.features.find((f) => f.key === key);
  if (!feature) notFound();
  const range = cohortRange(page.period, product.timezone, product.weekStart);
  const scope = {
    productId: product.id,
    start: page.period.start,
    end: page.period.end,
    featureKey: key,
    limit: 200,
  };
  const [retention, comments, mentions] = await Promise.all([
    // Adopter cohorts: the week of each actor's first use of the feature's first event.
    feature.event_names[0]
      ? getRetention(db, { product, period: range, startEvent: feature.event_names[0], now })
      : Promise.resolve(null),
    listComments(db, scope),
    listMentions(db, scope),
  ]);
  const trendRows = feature.trend.map((t) => ({ ...t }));
  const voice = [...comments, ...mentions].sort((a, b) => b.at.localeCompare(a.at));
  const carry = buildQuery(page.isDefault ? {} : periodToParams(page.period));
  const curve = retention ? averageCurve(retention.cohorts, retention.weeks) : [];
  return (
    <>
      <p>
        <Link href={`/products/${product.slug}/features${carry}`}>← All features</Link>
      </p>
      <h2 className="section-title">
        {feature.name} <span className="muted">({feature.event_names.join(", ")})</span>
      </h2>
      <PeriodBar pathname={ctx.pathname} search={ctx.search} page={page} product={product} now={now} />
      <div className="cards">
        <div className="card">
          <div className="label">Adoption</div>
          <div className="value" data-testid="feature-adoption">
            {formatPercent(feature.adoption_rate)}
          </div>
          <div className="muted">
            {feature.adopters} of {feature.active_users} active users
          </div>
        </div>
        <div className="card">
          <div className="label">New adopters</div>
          <div className="value">{feature.new_adopters}</div>
        </div>
        <div className="card">
          <div className="label">Uses per adopter</div>
          <div className="value">{formatMean(feature.mean_uses_per_adopter)}</div>
          <div className="muted">{feature.uses} uses</div>
        </div>
        <div className="card">
          <div className="label">Adopter retention</div>
          <div className="value">{formatPercent(feature.adopter_retention)}</div>
          <div className="muted">non-adopters {formatPercent(feature.non_adopter_retention)}</div>
        </div>
      </div>
      <ChartFrame
        id="feature-trend"
        title="Adoption by week"
        subtitle="Adopters / active users of each week"
        rows={trendRows}
        columns={[
          { key: "week", header: "Week of" },
          { key: "adopters", header: "Adopters", kind: "count" },
          { key: "active_users", header: "Active users", kind: "count" },
          { key: "adoption_rate", header: "Adoption", kind: "ratio" },
        ]}
      >
        <LineTrend
          data={trendRows}
          xKey="week"
          yKind="ratio"
          series={[{ key: "adoption_rate", name: "Adoption" }]}
          height={220}
        />
      </ChartFrame>
      {retention ? (
        <section className="panel" aria-labelledby="feature-retention">
          <h2 id="feature-retention" className="padded">
            Retention of adopters (cohort = first <code>{feature.event_names[0]}</code>)
          </h2>
          <RetentionHeatmap cohorts={retention.cohorts} weeks={retention.weeks} />
          <p className="muted padded">
            Average week 1: {formatPercent(curve[1]?.rate ?? null)} · week 4:{" "}
            {formatPercent(curve[4]?.rate ?? null)}
          </p>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="feature-voice">
        <h2 id="feature-voice" className="padded">
          Linked feedback ({voice.length})
        </h2>
        {voice.length ? (
          <DataTable
            id="feature-feedback"
            filename={`feedback-${product.slug}-${key}`}
            rows={voice.map((v) => ({ ...v, date: v.at.slice(0, 10), link: v.url ? "open" : "" }))}
            columns={[
              { key: "date", header: "Date" },
              { key: "kind", header: "Kind" },
              { key: "source", header: "Source" },
              { key: "text", header: "Text", render: "long-text" },
              { key: "sentiment", header: "Sentiment", kind: "sentiment" },
              { key: "link", header: "Link", render: "external", hrefKey: "url" },
            ]}
          />
        ) : (
          <div className="padded">
            <VoiceList
              items={[]}
              empty="No comments or mentions mention this feature's keywords in the period."
            />
          </div>
        )}
      </section>
    </>
  );
}
