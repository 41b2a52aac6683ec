import type { TargetResult } from "../../lib/queries/targets";
import { formatChangeRatio, formatValue, type ValueKind } from "../../lib/ui/format";
import { Definition } from "./definition";
import { Sparkline } from "./sparkline";
import { StatusBadge } from "./status-badge";

export interface KpiCardProps {
  metric: string;
  label: string;
  definition: string;
  kind: ValueKind;
  value: number | null;
  previous: number | null;
  /** Bounce rate, effort: a fall is good news and shows green. */
  lowerIsBetter?: boolean;
  target?: TargetResult;
  trend?: readonly (number | null)[];
  trendLabel?: string;
  /** A line under the value: sample size, margin of error. */
  note?: string;
  /** Shown in amber: e.g. fewer than 30 responses. */
  warning?: string;
}

/** Change shown the way the value is read: percent change for counts, points for ratios and scores. */
function describeChange(kind: ValueKind, value: number, previous: number): string {
  if (kind === "ratio") {
    const pts = (value - previous) * 100;
    return `${pts > 0 ? "+" : ""}${pts.toFixed(1)} pts`;
  }
  if (kind === "nps" || kind === "percent") {
    const pts = value - previous;
    return `${pts > 0 ? "+" : ""}${pts.toFixed(1)} pts`;
  }
  if (kind === "sentiment") {
    const d = value - previous;
    return `${d > 0 ? "+" : ""}${d.toFixed(2)}`;
  }
  return formatChangeRatio(previous === 0 ? null : (value - previous) / previous);
}

/** One KPI: value, change against the previous period, target status, trend and definition. */
export function KpiCard(props: KpiCardProps) {
  const { value, previous, kind } = props;
  const delta = value !== null && previous !== null ? value - previous : null;
  const good = delta === null || delta === 0 ? null : props.lowerIsBetter ? delta < 0 : delta > 0;
  const tone = good === null ? "change-flat" : good ? "change-up" : "change-down";
  const arrow = delta === null || delta === 0 ? "■" : delta > 0 ? "▲" : "▼";
  return (
    <article className="card kpi-card" data-metric={props.metric}>
      <header className="kpi-head">
        <h3 className="label">{props.label}</h3>
        <Definition term={props.label}>{props.definition}</Definition>
      </header>
      <div className="value" data-testid={`kpi-${props.metric}`}>
        {formatValue(kind, value)}
      </div>
      <div className="kpi-change">
        {delta !== null && previous !== null && value !== null ? (
          <span className={tone} data-testid={`change-${props.metric}`}>
            <span aria-hidden="true">{arrow}</span> {describeChange(kind, value, previous)}
          </span>
        ) : (
          <span className="change-flat">–</span>
        )}{" "}
        <span className="muted">from {formatValue(kind, previous)}</span>
      </div>
      {props.note ? <div className="muted">{props.note}</div> : null}
      {props.warning ? <div className="warning-inline">⚠ {props.warning}</div> : null}
      <footer className="kpi-foot">
        {props.target ? (
          <span className="kpi-target">
            <StatusBadge status={props.target.status} />{" "}
            <span className="muted">
              target {props.target.direction === "at_most" ? "≤" : "≥"}{" "}
              {formatValue(kind, props.target.target)}
            </span>
          </span>
        ) : (
          <span className="muted">No target</span>
        )}
        {props.trend ? (
          <Sparkline values={props.trend} label={props.trendLabel ?? `${props.label} trend`} />
        ) : null}
      </footer>
    </article>
  );
}
