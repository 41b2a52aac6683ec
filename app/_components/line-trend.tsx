"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue, type ValueKind } from "../../lib/ui/format";
import { colorOf, type SeriesSpec } from "./chart-palette";

export interface ChartAnnotation {
  /** The x value (same axis as the data) the marker stands on. */
  x: string;
  label: string;
}

/** A line chart over time with optional release markers (vertical reference lines). */
export function LineTrend({
  data,
  xKey,
  series,
  annotations = [],
  yKind = "count",
  height = 260,
}: {
  data: readonly Record<string, string | number | null>[];
  xKey: string;
  series: readonly SeriesSpec[];
  annotations?: readonly ChartAnnotation[];
  yKind?: ValueKind;
  height?: number;
}) {
  const fmt = (v: unknown) => formatValue(yKind, v);
  return (
    <LineChart
      responsive
      data={data as Record<string, string | number | null>[]}
      style={{ width: "100%", height }}
      margin={{ top: 24, right: 16, bottom: 4, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" stroke="#e3e4e8" />
      <XAxis dataKey={xKey} tick={{ fontSize: 11 }} minTickGap={16} />
      <YAxis tick={{ fontSize: 11 }} tickFormatter={fmt} width={52} />
      <Tooltip formatter={(v) => fmt(v)} />
      {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
      {annotations.map((a) => (
        <ReferenceLine
          key={`${a.x}-${a.label}`}
          x={a.x}
          stroke="#d97706"
          strokeDasharray="4 3"
          label={{ value: `▲ ${a.label}`, position: "insideTopLeft", fontSize: 11, fill: "#92400e" }}
        />
      ))}
      {series.map((s, i) => (
        <Line
          key={s.key}
          type="monotone"
          dataKey={s.key}
          name={s.name}
          stroke={colorOf(s, i)}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
