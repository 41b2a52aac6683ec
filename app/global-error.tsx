"use client";

/**
 * Shown when the root layout itself fails (it reads the session, so a database
 * outage lands here): a generic message, never the error's text or stack.
 */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main style={{ maxWidth: "40rem", margin: "3rem auto", fontFamily: "system-ui, sans-serif" }}>
          <h1>Something went wrong</h1>
          <p>Northstar could not load this page. If the database was restarted, try again.</p>
          <button type="button" onClick={() => reset()}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
