import type { Metadata } from "next";
import { connection } from "next/server";
import { listVisibleProducts, requireViewer } from "../lib/access";
import { now as clockNow } from "../lib/clock";
import { getAppDb } from "../lib/db";
import { getPortfolioRow } from "../lib/queries/dash-portfolio";
import { formatChangeRatio, formatCount } from "../lib/ui/format";
import { readPagePeriod } from "../lib/ui/period-params";
import { DataTable, type TableColumn } from "./_components/data-table";
import { EmptyState } from "./_components/empty-state";
import { PeriodBar } from "./_components/period-bar";

export const metadata: Metadata = { title: "Portfolio" };

const COLUMNS: TableColumn[] = [
  { key: "name", header: "Product", render: "link", hrefKey: "href", noteKey: "timezone" },
  {
    key: "active",
    header: "Active users",
    kind: "count",
    noteKey: "activeNote",
    title: "Distinct users (or anonymous visitors) with at least one event in the period (WAU for a week)",
  },
  {
    key: "activeChange",
    header: "Change",
    render: "change",
    kind: "ratio",
    title: "Against the period before",
  },
  {
    key: "conversion",
    header: "Conversion",
    kind: "ratio",
    noteKey: "goalNote",
    title: "Converters to the first goal event / active users",
  },
  {
    key: "nps",
    header: "NPS",
    kind: "nps",
    noteKey: "npsNote",
    title: "% promoters - % detractors; response count below",
  },
  {
    key: "netSentiment",
    header: "Net sentiment",
    kind: "sentiment",
    title: "(positive - negative) / scored comments and mentions",
  },
  { key: "mentions", header: "Mentions", kind: "count" },
  { key: "trend", header: "WAU, 12 weeks", render: "sparkline", sortable: false },
  { key: "status", header: "Targets", render: "status", noteKey: "targetNote" },
];

export default async function PortfolioPage({ searchParams }: PageProps<"/">) {
  await connection();
  const viewer = await requireViewer("/");
  const search = await searchParams;
  const db = await getAppDb();
  const now = clockNow();
  // Only the products this viewer may read: the access layer decides, the query never sees others.
  const visible = await listVisibleProducts(db, viewer);
  const rows = await Promise.all(
    visible.map(async (product) => {
      const { period, previous } = readPagePeriod(search, product, now);
      const row = await getPortfolioRow(db, { product, period, previous });
      return {
        ...row,
        href: `/products/${row.slug}`,
        activeNote: `from ${formatCount(row.previousActive)} (${formatChangeRatio(row.activeChange)})`,
        goalNote: row.goal ? `to ${row.goal}` : "no goal events",
        npsNote: `${row.npsResponses} responses${row.npsResponses > 0 && row.npsResponses < 30 ? " ⚠ under 30" : ""}`,
        targetNote: row.targets ? `${row.targets} targets` : "set with targets set",
      };
    }),
  );
  // The picker shows the period as UTC weeks; each product reads the same URL in its own zone.
  const page = readPagePeriod(search, { timezone: "UTC", weekStart: "monday" }, now);
  return (
    <>
      <h1>Portfolio</h1>
      <p className="subtitle">
        Every product on the same definitions, each in its own time zone: active users against the period
        before, conversion, what customers say, and status against targets.
      </p>
      <PeriodBar
        pathname="/"
        search={search}
        page={page}
        product={{ timezone: "UTC", weekStart: "monday" }}
        now={now}
      />
      {rows.length === 0 ? (
        <EmptyState title="No products yet">
          <p>
            Add one with <code>npm run northstar -- products add &lt;slug&gt; --name &lt;name&gt;</code> or
            load the demo with <code>npm run northstar -- demo</code>.
          </p>
        </EmptyState>
      ) : (
        <div className="panel">
          <DataTable
            id="portfolio-table"
            rows={rows}
            columns={COLUMNS}
            filename={`portfolio-${page.period.label}`}
            rowId="slug"
            initialSort={{ key: "active", desc: true }}
            caption="Products of the portfolio"
          />
        </div>
      )}
    </>
  );
}
