import type { TargetStatus } from "../../lib/metrics/targets";

const LABELS: Record<TargetStatus, string> = {
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
};

/** A KPI's (or a product's) standing against its target. */
export function StatusBadge({ status }: { status: TargetStatus | null }) {
  if (!status) return <span className="status status-none">No target</span>;
  return (
    <span className={`status status-${status.replace("_", "-")}`} data-status={status}>
      {LABELS[status]}
    </span>
  );
}

/** The worst status among several: one off-track KPI makes the product off track. */
export function worstStatus(statuses: readonly (TargetStatus | null)[]): TargetStatus | null {
  if (statuses.includes("off_track")) return "off_track";
  if (statuses.includes("at_risk")) return "at_risk";
  return statuses.includes("on_track") ? "on_track" : null;
}
