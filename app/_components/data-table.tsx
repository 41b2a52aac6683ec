"use client";

import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { formatChangeRatio, formatValue, type ValueKind } from "../../lib/ui/format";
import { CsvButton } from "./csv-button";
import { Sparkline } from "./sparkline";
import { StatusBadge } from "./status-badge";

type Row = Record<string, unknown>;

/** A column as a server component describes it: plain data, formatted here by kind. */
export interface TableColumn {
  key: string;
  header: string;
  kind?: ValueKind;
  /** How to draw the cell beyond formatting the value. */
  render?: "link" | "external" | "change" | "status" | "sparkline" | "tags" | "long-text";
  /** For link cells: the row key holding the URL. */
  hrefKey?: string;
  /** Header tooltip, e.g. the metric's definition. */
  title?: string;
  /** A small second line under the value, from this row key (already formatted text). */
  noteKey?: string;
  sortable?: boolean;
}

const features = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
  filterFns: { includesString: filterFn_includesString },
});
const helper = createColumnHelper<typeof features, Row>();

const isNumeric = (c: TableColumn) =>
  (c.kind !== undefined && c.kind !== "text") || c.render === "change" || c.render === "sparkline";

function Cell({ column, row }: { column: TableColumn; row: Row }) {
  const value = row[column.key];
  const note = column.noteKey ? row[column.noteKey] : undefined;
  let body: React.ReactNode;
  switch (column.render) {
    case "link": {
      const href = column.hrefKey ? row[column.hrefKey] : undefined;
      body = typeof href === "string" ? <a href={href}>{String(value ?? "")}</a> : String(value ?? "");
      break;
    }
    case "external": {
      const href = column.hrefKey ? row[column.hrefKey] : undefined;
      body =
        typeof href === "string" && /^https?:\/\//i.test(href) ? (
          <a href={href} target="_blank" rel="noopener noreferrer">
            {String(value ?? "link")} <span aria-hidden="true">↗</span>
          </a>
        ) : (
          String(value ?? "")
        );
      break;
    }
    case "change": {
      const n = typeof value === "number" ? value : null;
      const tone = n === null || n === 0 ? "change-flat" : n > 0 ? "change-up" : "change-down";
      body = (
        <span className={tone}>
          {column.kind === "ratio" || !column.kind ? formatChangeRatio(n) : formatValue(column.kind, n)}
        </span>
      );
      break;
    }
    case "status":
      body = <StatusBadge status={(value as "on_track" | "at_risk" | "off_track" | null) ?? null} />;
      break;
    case "sparkline":
      body = (
        <Sparkline
          values={Array.isArray(value) ? (value as (number | null)[]) : []}
          label={`${column.header} trend`}
        />
      );
      break;
    case "tags":
      body = Array.isArray(value)
        ? (value as string[]).map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))
        : null;
      break;
    case "long-text":
      body = <span className="long-text">{String(value ?? "")}</span>;
      break;
    default:
      body = formatValue(column.kind ?? "text", value);
  }
  return (
    <>
      {body}
      {note ? <div className="muted">{String(note)}</div> : null}
    </>
  );
}

/**
 * A sortable, searchable table of plain rows with a CSV export of what is
 * shown (filtered and sorted). `rowId` names the key whose value goes into
 * each row's data-row attribute, which tests and deep links use.
 */
export function DataTable({
  id,
  rows,
  columns,
  filename,
  rowId,
  searchable = true,
  initialSort,
  caption,
}: {
  id: string;
  rows: readonly Row[];
  columns: readonly TableColumn[];
  filename: string;
  rowId?: string;
  searchable?: boolean;
  initialSort?: { key: string; desc?: boolean };
  caption?: string;
}) {
  const [sorting, setSorting] = useState<SortingState>(
    initialSort ? [{ id: initialSort.key, desc: initialSort.desc ?? false }] : [],
  );
  const [globalFilter, setGlobalFilter] = useState("");
  const data = useMemo(() => [...rows], [rows]);
  const defs = useMemo(
    () =>
      helper.columns(
        columns.map((c) =>
          helper.accessor(
            (r: Row) => {
              const v = r[c.key];
              return Array.isArray(v) ? v.join(" ") : (v as string | number | null);
            },
            {
              id: c.key,
              header: c.header,
              enableSorting: c.sortable !== false,
              sortFn: isNumeric(c) ? "basic" : "alphanumeric",
              sortUndefined: "last",
            },
          ),
        ),
      ),
    [columns],
  );
  const table = useTable({
    features,
    columns: defs,
    data,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    globalFilterFn: "includesString",
  });
  const visible = table.getRowModel().rows;
  const byKey = new Map(columns.map((c) => [c.key, c]));
  return (
    <div className="data-table" data-testid={id}>
      <div className="table-tools">
        {searchable ? (
          <input
            type="search"
            placeholder="Filter rows…"
            aria-label="Filter rows"
            value={globalFilter}
            onChange={(e) => setGlobalFilter(e.target.value)}
          />
        ) : null}
        <span className="muted">
          {visible.length} of {rows.length} rows
        </span>
        <CsvButton
          filename={filename}
          rows={visible.map((r) => r.original)}
          columns={columns.filter((c) => c.render !== "sparkline")}
        />
      </div>
      <div className="table-scroll">
        <table className="data">
          {caption ? <caption className="sr-only">{caption}</caption> : null}
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const col = byKey.get(header.column.id);
                  const sorted = header.column.getIsSorted();
                  const numeric = col ? isNumeric(col) : false;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? "num" : undefined}
                      title={col?.title}
                      aria-sort={
                        sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                      }
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          className="sort"
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          {col?.header}
                          <span aria-hidden="true">
                            {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : " ↕"}
                          </span>
                        </button>
                      ) : (
                        col?.header
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={row.id} data-row={rowId ? String(row.original[rowId] ?? "") : undefined}>
                {columns.map((c) => (
                  <td key={c.key} className={isNumeric(c) ? "num" : undefined} data-col={c.key}>
                    <Cell column={c} row={row.original} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
