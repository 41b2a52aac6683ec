"use client";

/** Shown instead of a stack trace when a page fails to render. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <p className="subtitle">This page could not be loaded. If the database was restarted, try again.</p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </>
  );
}
