"use client";

import { toCsv } from "../../lib/csv";

/**
 * Download rows as a CSV file built in the browser from the data on screen.
 * Cells go through lib/csv.ts, which defuses text a spreadsheet would run as
 * a formula.
 */
export function CsvButton({
  filename,
  rows,
  columns,
}: {
  filename: string;
  rows: readonly Record<string, unknown>[];
  columns: readonly { key: string; header: string }[];
}) {
  const download = () => {
    const csv = toCsv(
      rows,
      columns.map((c) => ({
        header: c.header,
        value: (r: Record<string, unknown>) => {
          const v = r[c.key];
          return Array.isArray(v) ? v.join(" ") : v;
        },
      })),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename.endsWith(".csv") ? filename : `${filename}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <button type="button" className="button-secondary" onClick={download} data-testid="csv-export">
      Export CSV
    </button>
  );
}
