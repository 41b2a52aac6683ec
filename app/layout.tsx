import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getViewer } from "../lib/access";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Northstar", template: "%s · Northstar" },
  description: "Weekly product KPIs, funnels, adoption and the voice of the customer, per product.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            <span aria-hidden="true">✦</span> Northstar
          </Link>
          {viewer ? (
            <nav aria-label="Main">
              <Link href="/">Portfolio</Link>
              <Link href="/imports">Imports</Link>
              <Link href="/settings">Settings</Link>
            </nav>
          ) : null}
          {viewer ? (
            <form
              method="post"
              action="/logout"
              className="account"
              style={{ marginLeft: "auto", display: "flex", gap: "0.75rem", alignItems: "center" }}
            >
              <span className="muted" data-testid="viewer">
                {viewer.name ?? viewer.email} · {viewer.role.replace("_", " ")}
              </span>
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
