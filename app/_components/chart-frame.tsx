import type { ReactNode } from "react";
import { formatValue, type ValueKind } from "../../lib/ui/format";

export interface ChartTableColumn {
  key: string;
  header: string;
  kind?: ValueKind;
}

/**
 * A chart with its title and, for screen readers and anyone who wants the
 * figures, the same data as a table in a disclosure below it.
 */
export function ChartFrame({
  title,
  subtitle,
  children,
  rows,
  columns,
  id,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  rows: readonly Record<string, unknown>[];
  columns: readonly ChartTableColumn[];
  id?: string;
}) {
  return (
    <figure className="panel chart" data-testid={id}>
      <figcaption>
        <h2>{title}</h2>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </figcaption>
      <div aria-hidden="true" className="chart-body">
        {children}
      </div>
      <details className="chart-data">
        <summary>Data table</summary>
        <table className="data compact">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={c.kind && c.kind !== "text" ? "num" : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional series points
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.key} className={c.kind && c.kind !== "text" ? "num" : undefined}>
                    {formatValue(c.kind ?? "text", r[c.key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
