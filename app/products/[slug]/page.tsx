import type { Metadata } from "next";
import { connection } from "next/server";
import { findProductForViewer, getViewer, requireProduct, requireViewer } from "../../../lib/access";
import { now } from "../../../lib/clock";
import { getAppDb } from "../../../lib/db";
import { formatCount } from "../../../lib/metrics/format";
import { formatWeekLabel } from "../../../lib/metrics/periods";
import { getWeeklyActiveSummary } from "../../../lib/queries/portfolio";
import { ChangeBadge } from "../../_components/change-badge";

export async function generateMetadata({ params }: PageProps<"/products/[slug]">): Promise<Metadata> {
  const { slug } = await params;
  // The title too goes through the access layer: never echo a product the viewer may not see.
  const viewer = await getViewer();
  const product = viewer ? await findProductForViewer(await getAppDb(), viewer, slug, "read") : null;
  return { title: product?.name ?? "Not found" };
}

export default async function ProductPage({ params }: PageProps<"/products/[slug]">) {
  await connection();
  const { slug } = await params;
  const viewer = await requireViewer(`/products/${slug}`);
  const db = await getAppDb();
  // 404 both for a product that does not exist and for one this viewer may not read.
  const product = await requireProduct(db, viewer, slug, "read");
  const { week, wau } = await getWeeklyActiveSummary(db, { product, now: now() });
  return (
    <>
      <h1>{product.name}</h1>
      <p className="subtitle">
        Week of {formatWeekLabel(week, product.timezone)} · {product.timezone} · weeks start on{" "}
        {product.weekStart}
      </p>
      <div className="cards">
        <div className="card">
          <div className="label">Weekly active users</div>
          <div className="value" data-testid="wau">
            {formatCount(wau.current)}
          </div>
          <ChangeBadge comparison={wau} />
        </div>
      </div>
      <div className="panel">
        <p className="empty">
          The weekly KPI board is on its way: DAU, MAU, stickiness, sessions, bounce rate, funnels, feature
          adoption, retention, NPS and mentions for this product will appear here.
        </p>
      </div>
    </>
  );
}
