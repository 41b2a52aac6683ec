/**
 * The definition of a metric behind a small "?" button: a native disclosure,
 * so it opens on click or keyboard without client code, and closes on a
 * second click.
 */
export function Definition({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <details className="definition">
      <summary aria-label={`How ${term} is defined`} title={`How ${term} is defined`}>
        ?
      </summary>
      <div className="definition-body" role="note">
        <strong>{term}</strong>
        <p>{children}</p>
      </div>
    </details>
  );
}
