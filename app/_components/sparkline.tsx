/**
 * A tiny trend line drawn on the server as plain SVG: no client code, so a
 * page of twenty cards stays light. Null points leave a gap; the last point
 * is marked. `label` is read by screen readers instead of the drawing.
 */
export function Sparkline({
  values,
  label,
  width = 120,
  height = 32,
}: {
  values: readonly (number | null)[];
  label: string;
  width?: number;
  height?: number;
}) {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return <span className="muted sparkline-empty">no trend yet</span>;
  const min = Math.min(...known);
  const max = Math.max(...known);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  const y = (v: number) => height - 3 - ((v - min) / span) * (height - 6);
  const segments: string[] = [];
  let current = "";
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? " L" : "M"}${(2 + i * step).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img">
      <title>{label}</title>
      {segments.map((d) => (
        <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth={1.5} />
      ))}
      {last !== null && last !== undefined && Number.isFinite(last) ? (
        <circle cx={2 + lastIndex * step} cy={y(last)} r={2.5} fill="currentColor" />
      ) : null}
    </svg>
  );
}
