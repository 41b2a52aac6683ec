import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { findProductForViewer, requireViewer } from "../../../lib/access";
import { getProductById } from "../../../lib/access/product-by-id";
import { getAppDb } from "../../../lib/db";
import { findRunProductId, getImportRun } from "../../../lib/queries/import-runs";
import { formatDateTime } from "../../settings/_lib/format-time";
import { formatExact, RunStatus } from "../_components/run-status";
import "../../settings/_components/forms.css";

export const metadata: Metadata = { title: "Import run" };

const REJECT_LIMIT = 1000;
const RAW_LIMIT = 300;

function truncate(text: string | null): string {
  if (!text) return "";
  return text.length > RAW_LIMIT
    ? `${text.slice(0, RAW_LIMIT)}… (${formatExact(text.length)} characters)`
    : text;
}

function describeSummary(summary: Record<string, unknown>): [string, string][] {
  return Object.entries(summary).map(([key, value]) => [
    key.replaceAll("_", " "),
    typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value),
  ]);
}

/** One run: counts, status, summary notes, and its rejected rows (line, reason, raw text). */
export default async function ImportRunPage({ params }: { params: Promise<{ runId: string }> }) {
  await connection();
  const { runId: raw } = await params;
  const viewer = await requireViewer(`/imports/${raw}`);
  if (!/^\d{1,9}$/.test(raw)) notFound();
  const db = await getAppDb();
  const runId = Number(raw);
  // The run's product must be one this viewer reads; otherwise the run does not exist for them.
  const productId = await findRunProductId(db, runId);
  const owner = productId === null ? null : await getProductById(db, productId);
  const product = owner ? await findProductForViewer(db, viewer, owner.slug, "read") : null;
  if (!product) notFound();
  const found = await getImportRun(db, { productId: product.id, runId, rejectLimit: REJECT_LIMIT });
  if (!found) notFound();
  const { run, rejects } = found;
  const detected = run.summary.detected_format as { format?: string; confidence?: number } | undefined;
  const notes = describeSummary(
    Object.fromEntries(Object.entries(run.summary).filter(([k]) => k !== "detected_format")),
  );
  const cards: [string, number][] = [
    ["Read", run.read],
    ["Inserted", run.inserted],
    ["Duplicates", run.duplicates],
    ["Rejected", run.rejected],
  ];
  return (
    <>
      <p className="muted">
        <Link href="/imports">Imports</Link> /{" "}
        <Link href={`/imports?product=${product.slug}`}>{product.name}</Link> /
      </p>
      <h1>
        Run #{run.id}: {run.fileName ?? `${run.kind} ${run.format}`}
      </h1>
      <p className="subtitle">
        {run.kind} · format <strong data-testid="run-format">{run.format}</strong>
        {detected?.confidence !== undefined
          ? ` (detected, ${Math.round(detected.confidence * 100)}% sure)`
          : ""}{" "}
        · <RunStatus status={run.status} /> · started {formatDateTime(run.startedAt, product.timezone)}
        {run.finishedAt ? `, finished ${formatDateTime(run.finishedAt, product.timezone)}` : ""} (
        {product.timezone})
      </p>
      {run.error ? (
        <p className="panel ns-section ns-form-error" role="alert">
          The run failed: {run.error}. Rows before the failure are kept; importing the file again completes it
          without duplicates.
        </p>
      ) : null}
      <div className="cards">
        {cards.map(([label, value]) => (
          <div className="card" key={label} data-testid={`count-${label.toLowerCase()}`}>
            <div className="label">{label}</div>
            <div className="value">{formatExact(value)}</div>
          </div>
        ))}
      </div>
      {notes.length > 0 ? (
        <section className="panel ns-section">
          <h2>Notes from the adapter</h2>
          <table className="data">
            <tbody>
              {notes.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="ns-raw">{truncate(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section className="panel ns-section" id="rejected">
        <h2>Rejected rows</h2>
        {rejects.length === 0 ? (
          <p className="empty">Nothing was rejected: every row read was inserted or was a duplicate.</p>
        ) : (
          <>
            <p className="muted">
              Line numbers count from 1 in a file; for a JSON array or an API batch they are the 0-based
              index.
              {run.rejected > rejects.length
                ? ` Showing the first ${formatExact(rejects.length)} of ${formatExact(run.rejected)}.`
                : ""}
            </p>
            <table className="data" data-testid="rejects">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Reason</th>
                  <th scope="col">Raw text</th>
                </tr>
              </thead>
              <tbody>
                {rejects.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id here and never reorder
                  <tr key={i}>
                    <td className="num">{r.line ?? "—"}</td>
                    <td>{r.reason}</td>
                    <td className="ns-raw">{truncate(r.raw)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}
