import type { Comparison } from "../../lib/metrics/compare";
import { formatChangeRatio, formatCount } from "../../lib/metrics/format";

/** "+12.3% (+45)" coloured by direction; the absolute change is kept for small bases. */
export function ChangeBadge({ comparison }: { comparison: Comparison }) {
  const { change, changeRatio } = comparison;
  const tone = change > 0 ? "change-up" : change < 0 ? "change-down" : "change-flat";
  const arrow = change > 0 ? "▲" : change < 0 ? "▼" : "■";
  const abs = `${change > 0 ? "+" : ""}${formatCount(change)}`;
  return (
    <span className={tone} data-testid="change">
      <span aria-hidden="true">{arrow}</span> {formatChangeRatio(changeRatio)}{" "}
      <span className="muted">({abs})</span>
    </span>
  );
}
