import type { Metadata } from "next";
import Link from "next/link";
import { findProductForViewer, getViewer } from "../../../lib/access";
import { getAppDb } from "../../../lib/db";
import { formatChangeRatio, formatPercent, formatValue } from "../../../lib/ui/format";
import { conversionDefinition, KPI_DEFINITIONS } from "../../../lib/ui/kpi-definitions";
import { rankMovers } from "../../../lib/ui/movers";
import { periodToParams } from "../../../lib/ui/period-params";
import { buildQuery } from "../../../lib/ui/search";
import { ChartFrame } from "../../_components/chart-frame";
import { EmptyState } from "../../_components/empty-state";
import { KpiCard, type KpiCardProps } from "../../_components/kpi-card";
import { LineTrend } from "../../_components/line-trend";
import { PeriodBar } from "../../_components/period-bar";
import { VoiceList } from "../../_components/voice-list";
import { type BoardData, listMoverCandidates, loadBoard } from "./_lib/board-data";
import { loadProductPage } from "./_lib/load-page";
import { dayLabel } from "./_lib/trend-range";

export async function generateMetadata({ params }: PageProps<"/products/[slug]">): Promise<Metadata> {
  const { slug } = await params;
  // The title too goes through the access layer: never echo a product the viewer may not see.
  const viewer = await getViewer();
  const product = viewer ? await findProductForViewer(await getAppDb(), viewer, slug, "read") : null;
  return { title: product ? `${product.name} · KPI board` : "Not found" };
}

/** The sparkline series of a KPI card, where the board has one. */
function trendOf(key: string, data: BoardData): (number | null)[] | undefined {
  switch (key) {
    case "wau":
      return data.weekly.map((w) => w.active);
    case "dau":
      return data.report.metrics.daily_active.map((d) => d.value);
    case "sessions":
      return data.daily.map((d) => d.sessions);
    case "nps":
      return data.feedbackWeeks.map((w) => w.nps);
    case "csat":
      return data.feedbackWeeks.map((w) => w.csat);
    case "net_sentiment":
      return data.feedbackWeeks.map((w) => w.net_sentiment);
    case "mentions":
      return data.feedbackWeeks.map((w) => w.mentions);
    default:
      return undefined;
  }
}

function buildCards(data: BoardData): KpiCardProps[] {
  const { report } = data;
  const m = report.metrics as unknown as Record<string, number | null>;
  const p = report.previous as unknown as Record<string, number | null>;
  const cards: KpiCardProps[] = KPI_DEFINITIONS.map((d) => ({
    metric: d.key,
    label: d.label,
    definition: d.definition,
    kind: d.kind,
    lowerIsBetter: d.lowerIsBetter,
    value: m[d.key] ?? null,
    previous: p[d.key] ?? null,
    target: report.targets[d.key],
    trend: trendOf(d.key, data),
  }));
  const nps = cards.find((c) => c.metric === "nps");
  if (nps) {
    const moe = report.metrics.nps_margin_of_error;
    nps.note = `${report.metrics.nps_responses} responses${moe === null ? "" : ` · ±${moe.toFixed(1)}`} · ${report.metrics.promoters}/${report.metrics.passives}/${report.metrics.detractors} P/P/D`;
    if (report.metrics.nps_low_sample) nps.warning = "fewer than 30 responses";
  }
  const csat = cards.find((c) => c.metric === "csat");
  if (csat) {
    csat.note = `${report.metrics.csat_responses} responses`;
    if (report.metrics.csat_responses < 30) csat.warning = "fewer than 30 responses";
  }
  const mentions = cards.find((c) => c.metric === "mentions");
  if (mentions) {
    mentions.note = Object.entries(report.metrics.mentions_by_source)
      .map(([s, n]) => `${s} ${n}`)
      .join(" · ");
  }
  for (const [goal, c] of Object.entries(report.metrics.conversion)) {
    cards.push({
      metric: `conversion-${goal}`,
      label: `Conversion: ${goal}`,
      definition: conversionDefinition(goal),
      kind: "ratio",
      value: c.rate,
      previous: report.previous.conversion[goal]?.rate ?? null,
      note: `${c.converters} converters`,
    });
  }
  return cards;
}

export default async function KpiBoardPage({ params, searchParams }: PageProps<"/products/[slug]">) {
  const ctx = await loadProductPage(params, searchParams);
  const { db, product, page, now } = ctx;
  const data = await loadBoard(db, product, page.period, page.previous, now);
  const carry = buildQuery(page.isDefault ? {} : { ...periodToParams(page.period) });
  const movers = rankMovers(listMoverCandidates(data, product.slug), 5);
  const hasActivity = data.weekly.some((w) => w.active > 0) || data.report.metrics.active_users > 0;
  const chartRows = data.daily.map((d) => ({
    day: dayLabel(d.day),
    date: d.day,
    active: d.active,
    sessions: d.sessions,
  }));
  const marks = data.annotations.map((a) => ({ x: dayLabel(a.day), label: a.title }));
  return (
    <>
      <PeriodBar pathname={ctx.pathname} search={ctx.search} page={page} product={product} now={now} />
      {hasActivity ? null : (
        <EmptyState title="No events for this product yet">
          <p>
            Send events to <code>POST /api/v1/track</code> with a write key (
            <code>npm run northstar -- keys create --product {product.slug} --kind write</code>), or import a
            file: <code>npm run northstar -- import events.jsonl --product {product.slug}</code>.
          </p>
        </EmptyState>
      )}
      <section aria-labelledby="kpis-title">
        <h2 id="kpis-title" className="section-title">
          KPIs
        </h2>
        <div className="cards kpi-cards">
          {buildCards(data).map((card) => (
            <KpiCard key={card.metric} {...card} />
          ))}
        </div>
      </section>
      <div className="grid-2">
        <ChartFrame
          id="chart-active"
          title="Daily active users"
          subtitle={`${data.range.firstDay} to ${data.range.lastDay}; dashed lines mark releases`}
          rows={chartRows}
          columns={[
            { key: "date", header: "Day" },
            { key: "active", header: "Active users", kind: "count" },
          ]}
        >
          <LineTrend
            data={chartRows}
            xKey="day"
            series={[{ key: "active", name: "Active users" }]}
            annotations={marks}
          />
        </ChartFrame>
        <ChartFrame
          id="chart-sessions"
          title="Sessions per day"
          subtitle="A gap of 30 minutes or more starts a new session"
          rows={chartRows}
          columns={[
            { key: "date", header: "Day" },
            { key: "sessions", header: "Sessions", kind: "count" },
          ]}
        >
          <LineTrend
            data={chartRows}
            xKey="day"
            series={[{ key: "sessions", name: "Sessions", color: "#0891b2" }]}
            annotations={marks}
          />
        </ChartFrame>
      </div>
      {data.annotations.length ? (
        <p className="muted annotations-note">
          Releases:{" "}
          {data.annotations.map((a) => (
            <span key={`${a.day}-${a.title}`} className="tag" title={a.description ?? undefined}>
              {a.day} {a.title}
            </span>
          ))}
        </p>
      ) : null}
      <div className="grid-2">
        <section className="panel padded" aria-labelledby="movers-title" data-testid="top-movers">
          <h2 id="movers-title">Top movers</h2>
          <p className="muted">
            The biggest relative changes against the previous period (bases under 10 left out).
          </p>
          {movers.length === 0 ? (
            <p className="muted">Nothing moved yet: there is no previous period to compare with.</p>
          ) : (
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col" className="num">
                    Now
                  </th>
                  <th scope="col" className="num">
                    Before
                  </th>
                  <th scope="col" className="num">
                    Change
                  </th>
                </tr>
              </thead>
              <tbody>
                {movers.map((mv) => (
                  <tr key={`${mv.group}-${mv.label}`}>
                    <td>
                      <div className="muted">{mv.group}</div>
                      {mv.href ? <Link href={`${mv.href}${carry}`}>{mv.label}</Link> : mv.label}
                    </td>
                    <td className="num">{formatValue(mv.kind, mv.current)}</td>
                    <td className="num">{formatValue(mv.kind, mv.previous)}</td>
                    <td className={`num ${mv.changeRatio > 0 ? "change-up" : "change-down"}`}>
                      {formatChangeRatio(mv.changeRatio)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.funnel ? (
            <p className="muted">
              Funnel: {data.funnel.name} ({data.funnel.now.steps.map((s) => s.name).join(" → ")}), overall{" "}
              {formatPercent(data.funnel.now.steps.at(-1)?.conversion_from_start ?? null)}.
            </p>
          ) : null}
        </section>
        <section className="panel padded" aria-labelledby="voice-title" data-testid="notable-voice">
          <h2 id="voice-title">What customers said</h2>
          <p className="muted">
            The period's most negative, most positive and most engaged comments and mentions.
          </p>
          <VoiceList
            items={data.notable}
            empty="No comments or mentions in this period. Import survey results or mentions with npm run northstar -- import <file> --product <slug>."
          />
          <p>
            <Link href={`/products/${product.slug}/feedback${carry}`}>All feedback</Link> ·{" "}
            <Link href={`/products/${product.slug}/mentions${carry}`}>All mentions</Link>
          </p>
        </section>
      </div>
    </>
  );
}
