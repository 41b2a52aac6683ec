import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { ADAPTERS } from "../../ingest/adapters/registry";
import { isPlausibleSlug, listVisibleProducts, requireViewer } from "../../lib/access";
import { getAppDb } from "../../lib/db";
import { listRunsOfProducts } from "../../lib/queries/settings-runs";
import { listConfigurableProducts } from "../settings/_lib/configurable";
import { formatDateTime } from "../settings/_lib/format-time";
import { formatExact, RunStatus } from "./_components/run-status";
import { UploadForm } from "./_components/upload-form";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL } from "./_lib/upload-options";
import "../settings/_components/forms.css";

export const metadata: Metadata = { title: "Imports" };

const searchSchema = z.object({ product: z.string().optional().catch(undefined) });

/** Import, sync, API and demo runs of the products the viewer may read, newest first; and the upload form. */
export default async function ImportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const viewer = await requireViewer("/imports");
  const { product: filter } = searchSchema.parse(await searchParams);
  const db = await getAppDb();
  const [visible, configurable] = await Promise.all([
    listVisibleProducts(db, viewer),
    listConfigurableProducts(db, viewer),
  ]);
  // A filter naming a product this viewer cannot see is answered like an unknown product.
  const chosen = filter ? visible.find((p) => p.slug === filter) : undefined;
  if (filter && (!isPlausibleSlug(filter) || !chosen)) notFound();
  const shown = chosen ? [chosen] : visible;
  const runs = await listRunsOfProducts(db, { productIds: shown.map((p) => p.id), limit: 200 });
  const byId = new Map(visible.map((p) => [p.id, p]));
  const formats = ADAPTERS.map(({ name, kind, description }) => ({ name, kind, description }));
  return (
    <>
      <h1>Imports</h1>
      <p className="subtitle">
        Every file import, scheduled sync, API batch and demo load, with what happened to each row. Open a run
        to see the rows it rejected and why.
      </p>
      {configurable.length > 0 ? (
        <section className="panel ns-section" id="upload">
          <h2>Import a file</h2>
          <p className="muted">
            Up to {MAX_UPLOAD_LABEL} per upload. Larger exports:{" "}
            <code>npm run northstar -- import &lt;file&gt; --product &lt;slug&gt;</code>, which streams from
            disk. Importing the same file again adds nothing.
          </p>
          <UploadForm
            products={configurable.map((p) => ({ slug: p.slug, name: p.name }))}
            formats={formats}
            maxBytes={MAX_UPLOAD_BYTES}
            maxLabel={MAX_UPLOAD_LABEL}
            selected={chosen && configurable.some((p) => p.id === chosen.id) ? chosen.slug : undefined}
          />
        </section>
      ) : null}
      {visible.length > 1 ? (
        <nav className="ns-subnav" aria-label="Filter by product">
          <span className="muted">Product:</span>
          {chosen ? <Link href="/imports">all</Link> : <strong>all</strong>}
          {visible.map((p) =>
            p.id === chosen?.id ? (
              <strong key={p.id}>{p.name}</strong>
            ) : (
              <Link key={p.id} href={`/imports?product=${p.slug}`}>
                {p.name}
              </Link>
            ),
          )}
        </nav>
      ) : null}
      <div className="panel">
        {runs.length === 0 ? (
          <p className="empty" data-testid="no-runs">
            No runs yet{chosen ? ` for ${chosen.name}` : ""}.{" "}
            {configurable.length > 0
              ? "Upload an export above, send events to the ingest API with a write key, or add a pull source in Settings."
              : "Runs appear here once someone imports a file, syncs a source or sends events to the API."}
          </p>
        ) : (
          <table className="data" data-testid="runs">
            <thead>
              <tr>
                <th scope="col">Run (UTC)</th>
                <th scope="col">Product</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Read
                </th>
                <th scope="col" className="num">
                  Inserted
                </th>
                <th scope="col" className="num">
                  Duplicates
                </th>
                <th scope="col" className="num">
                  Rejected
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const product = byId.get(r.productId);
                return (
                  <tr key={r.id} data-run={r.id}>
                    <td>
                      <Link href={`/imports/${r.id}`}>#{r.id}</Link>
                      <div className="muted">{formatDateTime(r.startedAt)}</div>
                    </td>
                    <td>{product?.name}</td>
                    <td>
                      {r.kind} · {r.format}
                      {r.fileName ? <div className="muted">{r.fileName}</div> : null}
                    </td>
                    <td>
                      <RunStatus status={r.status} />
                    </td>
                    <td className="num">{formatExact(r.read)}</td>
                    <td className="num">{formatExact(r.inserted)}</td>
                    <td className="num">{formatExact(r.duplicates)}</td>
                    <td className="num">
                      {r.rejected > 0 ? (
                        <Link href={`/imports/${r.id}#rejected`}>{formatExact(r.rejected)}</Link>
                      ) : (
                        "0"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
