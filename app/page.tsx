import Link from "next/link";
import { connection } from "next/server";
import { listVisibleProducts, requireViewer } from "../lib/access";
import { now } from "../lib/clock";
import { getAppDb } from "../lib/db";
import { formatCount } from "../lib/metrics/format";
import { formatWeekLabel } from "../lib/metrics/periods";
import { getWeeklyActiveSummary } from "../lib/queries/portfolio";
import { ChangeBadge } from "./_components/change-badge";

export default async function PortfolioPage() {
  await connection();
  const viewer = await requireViewer("/");
  const db = await getAppDb();
  // Only the products this viewer may read: the access layer decides, the query never sees others.
  const visible = await listVisibleProducts(db, viewer);
  const rows = await Promise.all(
    visible.map((product) => getWeeklyActiveSummary(db, { product, now: now() })),
  );
  return (
    <>
      <h1>Portfolio</h1>
      <p className="subtitle">
        Weekly active users for the last full week of each product, in its own time zone, against the week
        before.
      </p>
      <div className="panel">
        {rows.length === 0 ? (
          <p className="empty">
            No products yet. Add one with{" "}
            <code>npm run northstar -- products add &lt;slug&gt; --name &lt;name&gt;</code> or load the demo
            with <code>npm run northstar -- demo</code>.
          </p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Week</th>
                <th
                  scope="col"
                  className="num"
                  title="Distinct users (or anonymous visitors) with at least one event in the week"
                >
                  Weekly active users
                </th>
                <th scope="col" className="num">
                  Change vs week before
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.product.slug} data-product={row.product.slug}>
                  <td>
                    <Link href={`/products/${row.product.slug}`}>{row.product.name}</Link>
                    <div className="muted">{row.product.timezone}</div>
                  </td>
                  <td>{formatWeekLabel(row.week, row.product.timezone)}</td>
                  <td className="num" data-testid="wau">
                    {formatCount(row.wau.current)}
                  </td>
                  <td className="num">
                    <ChangeBadge comparison={row.wau} />
                    <div className="muted">from {formatCount(row.wau.previous)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
