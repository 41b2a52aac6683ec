import type { Metadata } from "next";
import { getAdoptionWithPrevious } from "../../../../lib/queries/adoption";
import { getFeatureFeedback } from "../../../../lib/queries/dash-features";
import { periodToParams } from "../../../../lib/ui/period-params";
import { buildQuery } from "../../../../lib/ui/search";
import { DataTable, type TableColumn } from "../../../_components/data-table";
import { EmptyState } from "../../../_components/empty-state";
import { PeriodBar } from "../../../_components/period-bar";
import { loadProductPage } from "../_lib/load-page";

export const metadata: Metadata = { title: "Feature adoption" };

const COLUMNS: TableColumn[] = [
  { key: "name", header: "Feature", render: "link", hrefKey: "href", noteKey: "events" },
  { key: "adopters", header: "Adopters", kind: "count", title: "Distinct actors who used it in the period" },
  { key: "adoption_rate", header: "Adoption", kind: "ratio", title: "Adopters / active users of the period" },
  {
    key: "change",
    header: "Change",
    render: "change",
    kind: "ratio",
    title: "Relative change of the adoption rate against the previous period",
  },
  { key: "new_adopters", header: "New adopters", kind: "count", title: "First use ever in the period" },
  { key: "mean_uses_per_adopter", header: "Uses / adopter", kind: "mean" },
  {
    key: "adopter_retention",
    header: "Adopter retention",
    kind: "ratio",
    title: "Share of the previous period's adopters active in this period",
  },
  { key: "non_adopter_retention", header: "Non-adopter retention", kind: "ratio" },
  { key: "feedback", header: "Feedback", kind: "count", title: "Linked comments and mentions in the period" },
  {
    key: "sentiment",
    header: "Net sentiment",
    kind: "sentiment",
    title: "Of the linked comments and mentions",
  },
  { key: "trend", header: "Adoption, 8 weeks", render: "sparkline", sortable: false },
];

export default async function FeaturesPage({ params, searchParams }: PageProps<"/products/[slug]/features">) {
  const ctx = await loadProductPage(params, searchParams, "/features");
  const { db, product, page } = ctx;
  // One report: its retention figures already count the previous period's adopters, which give its rates.
  const [{ report, previousRates }, feedback] = await Promise.all([
    getAdoptionWithPrevious(db, { product, period: page.period }),
    getFeatureFeedback(db, { productId: product.id, start: page.period.start, end: page.period.end }),
  ]);
  const carry = buildQuery(page.isDefault ? {} : periodToParams(page.period));
  const rows = report.features.map((f) => {
    const prev = previousRates.get(f.key) ?? null;
    const fb = feedback.get(f.key);
    return {
      key: f.key,
      name: f.name,
      href: `/products/${product.slug}/features/${encodeURIComponent(f.key)}${carry}`,
      events: f.event_names.join(", "),
      adopters: f.adopters,
      adoption_rate: f.adoption_rate,
      change: f.adoption_rate !== null && prev ? (f.adoption_rate - prev) / prev : null,
      new_adopters: f.new_adopters,
      mean_uses_per_adopter: f.mean_uses_per_adopter,
      adopter_retention: f.adopter_retention,
      non_adopter_retention: f.non_adopter_retention,
      feedback: fb?.items ?? 0,
      sentiment: fb?.netSentiment ?? null,
      trend: f.trend.map((t) => t.adoption_rate),
    };
  });
  return (
    <>
      <PeriodBar pathname={ctx.pathname} search={ctx.search} page={page} product={product} now={ctx.now} />
      {rows.length === 0 ? (
        <EmptyState title="No features defined for this product">
          <p>
            A feature is a set of event names. Define them in the product's settings, then send those events (
            <code>POST /api/v1/track</code>) or import them (
            <code>npm run northstar -- import &lt;file&gt; --product {product.slug}</code>).
          </p>
        </EmptyState>
      ) : (
        <div className="panel">
          <DataTable
            id="features-table"
            rows={rows}
            columns={COLUMNS}
            filename={`features-${product.slug}-${page.period.label}`}
            rowId="key"
            initialSort={{ key: "adoption_rate", desc: true }}
            caption="Feature adoption"
          />
        </div>
      )}
      <p className="muted">
        Adoption = adopters / active users of the period. Retention compares the previous period's adopters
        (and non-adopters) with this period's active users, so it never waits for a period that has not ended.
      </p>
    </>
  );
}
