import type { ReactNode } from "react";

/** What to do when a view has no data: always says how to send or import some. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" data-testid="empty-state">
      <p className="empty-title">{title}</p>
      {children ?? (
        <p>
          Send events to the ingest API (<code>POST /api/v1/track</code> with a write key), or import a file
          with <code>npm run northstar -- import &lt;file&gt; --product &lt;slug&gt;</code>.
        </p>
      )}
    </div>
  );
}
