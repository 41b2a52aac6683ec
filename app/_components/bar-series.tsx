"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue, type ValueKind } from "../../lib/ui/format";
import { colorOf, type SeriesSpec } from "./chart-palette";

/** Bars per category (vertical bars, or horizontal with `horizontal`), optionally stacked. */
export function BarSeries({
  data,
  xKey,
  series,
  stacked = false,
  horizontal = false,
  yKind = "count",
  height = 260,
}: {
  data: readonly Record<string, string | number | null>[];
  xKey: string;
  series: readonly SeriesSpec[];
  stacked?: boolean;
  horizontal?: boolean;
  yKind?: ValueKind;
  height?: number;
}) {
  const fmt = (v: unknown) => formatValue(yKind, v);
  return (
    <BarChart
      responsive
      data={data as Record<string, string | number | null>[]}
      layout={horizontal ? "vertical" : "horizontal"}
      style={{ width: "100%", height }}
      margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" stroke="#e3e4e8" />
      {horizontal ? (
        <>
          <XAxis type="number" tick={{ fontSize: 11 }} tickFormatter={fmt} />
          <YAxis type="category" dataKey={xKey} tick={{ fontSize: 11 }} width={120} />
        </>
      ) : (
        <>
          <XAxis dataKey={xKey} tick={{ fontSize: 11 }} minTickGap={8} />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={fmt} width={52} />
        </>
      )}
      <Tooltip formatter={(v) => fmt(v)} />
      {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
      {series.map((s, i) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.name}
          fill={colorOf(s, i)}
          stackId={stacked ? "stack" : undefined}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}
