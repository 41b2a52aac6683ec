import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Northstar", template: "%s · Northstar" },
  description: "Weekly product KPIs, funnels, adoption and the voice of the customer, per product.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            <span aria-hidden="true">✦</span> Northstar
          </Link>
          <nav aria-label="Main">
            <Link href="/">Portfolio</Link>
          </nav>
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
