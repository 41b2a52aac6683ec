"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { PERIOD_KEYS } from "../../lib/ui/period-params";

const TABS = [
  { path: "", label: "KPI board" },
  { path: "/funnels", label: "Funnels" },
  { path: "/features", label: "Features" },
  { path: "/retention", label: "Retention" },
  { path: "/feedback", label: "Feedback" },
  { path: "/mentions", label: "Mentions" },
] as const;

/** The product's pages; the chosen period travels along so switching tabs keeps the same week. */
export function ProductTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const carry = new URLSearchParams();
  for (const key of PERIOD_KEYS) {
    const v = search.get(key);
    if (v) carry.set(key, v);
  }
  const query = carry.toString();
  const base = `/products/${slug}`;
  return (
    <nav className="tabs" aria-label="Product pages">
      {TABS.map((tab) => {
        const href = `${base}${tab.path}`;
        const active = tab.path === "" ? pathname === base : pathname.startsWith(href);
        return (
          <Link
            key={tab.path}
            href={`${href}${query ? `?${query}` : ""}`}
            aria-current={active ? "page" : undefined}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
