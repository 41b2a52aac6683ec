import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import { type UserRole, users } from "../../db/schema/auth";
import { products } from "../../db/schema/products";
import { hashPassword } from "./password";
import { grantMembership, type MembershipRole } from "./users";

/** The products the demo generator creates (checked against it in a unit test). */
export const DEMO_PRODUCT_SLUGS = ["atlas", "pulse", "forge"] as const;

/** Shared by every demo account; shown on the login page and by `npm start` only while demo data is in use. */
export const DEMO_PASSWORD = "northstar-demo";

const DEMO_DOMAIN = "@demo.northstar";

export interface DemoAccount {
  email: string;
  name: string;
  role: UserRole;
  /** For lead_pm and member: the product and the role on it. */
  membership?: { product: (typeof DEMO_PRODUCT_SLUGS)[number]; role: MembershipRole };
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: `admin${DEMO_DOMAIN}`, name: "Ada Admin", role: "admin" },
  { email: `exec${DEMO_DOMAIN}`, name: "Evan Exec", role: "exec" },
  {
    email: `pm${DEMO_DOMAIN}`,
    name: "Priya PM",
    role: "lead_pm",
    membership: { product: "atlas", role: "lead_pm" },
  },
  {
    email: `member${DEMO_DOMAIN}`,
    name: "Max Member",
    role: "member",
    membership: { product: "pulse", role: "member" },
  },
];

export function isDemoAccountEmail(email: string): boolean {
  return email.toLowerCase().endsWith(DEMO_DOMAIN);
}

/**
 * Demo data is "in use" while the database holds at least one product and every
 * product is a demo product loaded by the demo loader (a `demo` import run).
 * The first real product ends demo mode: the login page stops showing the demo
 * password and demo accounts can no longer sign in or use their sessions, so a
 * published password never guards real data.
 */
export async function isDemoInUse(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ total: number; demo: number }>(
    db,
    sql`select count(*)::int as total,
          count(*) filter (
            where p.slug in (${sql.join(
              DEMO_PRODUCT_SLUGS.map((s) => sql`${s}`),
              sql`, `,
            )})
              and exists (select 1 from import_runs r where r.product_id = p.id and r.kind = 'demo')
          )::int as demo
        from products p`,
  );
  return !!row && row.total > 0 && row.total === row.demo;
}

/**
 * Create the demo accounts and their memberships (idempotent: existing accounts
 * keep their password). Called by the demo loader after the demo products exist.
 */
export async function ensureDemoAccounts(db: Db): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db
    .insert(users)
    .values(DEMO_ACCOUNTS.map((a) => ({ email: a.email, name: a.name, role: a.role, passwordHash })))
    .onConflictDoNothing();
  const accounts = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        DEMO_ACCOUNTS.map((a) => a.email),
      ),
    );
  for (const account of DEMO_ACCOUNTS) {
    if (!account.membership) continue;
    const user = accounts.find((u) => u.email === account.email);
    const [product] = await db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.slug, account.membership.product)));
    if (user && product)
      await grantMembership(db, { userId: user.id, productId: product.id, role: account.membership.role });
  }
}

/** Lines `npm start` prints while demo data is in use. */
export function describeDemoAccounts(): string[] {
  return [
    `Demo accounts (password "${DEMO_PASSWORD}"; they stop working once you add a real product):`,
    ...DEMO_ACCOUNTS.map(
      (a) =>
        `  ${a.email.padEnd(24)} ${a.role}${a.membership ? ` (${a.membership.role} of ${a.membership.product})` : ""}`,
    ),
  ];
}
