/** A run's status word, coloured: running, succeeded, failed. */
export function RunStatus({ status }: { status: string }) {
  return <span className={`ns-status-${status}`}>{status}</span>;
}

const exact = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Row counts are shown exactly (1,234,567): a reject count of "1.2M" hides the last few rows. */
export function formatExact(n: number): string {
  return exact.format(n);
}
