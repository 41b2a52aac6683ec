/** Shown while the server computes the page's figures. */
export default function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      <div className="skeleton skeleton-bar" />
      <div className="cards">
        <div className="card skeleton" />
        <div className="card skeleton" />
        <div className="card skeleton" />
        <div className="card skeleton" />
      </div>
      <p className="muted">Computing the figures…</p>
    </div>
  );
}
