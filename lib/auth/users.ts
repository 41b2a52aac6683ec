import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { memberships, USER_ROLES, type UserRole, users } from "../../db/schema/auth";
import { products } from "../../db/schema/products";
import { checkPasswordPolicy, hashPassword } from "./password";
import { deleteUserSessions } from "./sessions";

export const MEMBERSHIP_ROLES = ["lead_pm", "member"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** E-mails are compared case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const createUserSchema = z.object({
  email: z
    .string()
    .transform(normalizeEmail)
    .pipe(
      z
        .string()
        .max(254)
        .regex(/^[^\s@]+@[^\s@]+$/, "not a valid e-mail address"),
    ),
  name: z.string().trim().max(200).nullish(),
  role: z.enum(USER_ROLES),
  password: z.string().superRefine((pw, ctx) => {
    const problem = checkPasswordPolicy(pw);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
});

export class UserExistsError extends Error {}

/** The public face of a user: never the password hash. */
export interface UserSummary {
  id: number;
  email: string;
  name: string | null;
  role: UserRole;
  disabled: boolean;
  memberships: { product: string; role: MembershipRole }[];
}

export async function createUser(
  db: Db,
  params: z.input<typeof createUserSchema>,
): Promise<{ id: number; email: string; role: UserRole }> {
  const input = createUserSchema.parse(params);
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ email: input.email, name: input.name ?? null, role: input.role, passwordHash })
    .onConflictDoNothing()
    .returning({ id: users.id, email: users.email, role: users.role });
  if (!row) throw new UserExistsError(`user "${input.email}" already exists`);
  return row;
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row ?? null;
}

/** Set a new password, clear any lockout and end the user's sessions everywhere. */
export async function setUserPassword(db: Db, userId: number, password: string): Promise<void> {
  const problem = checkPasswordPolicy(password);
  if (problem) throw new Error(problem);
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null })
    .where(eq(users.id, userId));
  await deleteUserSessions(db, userId);
}

/** Add or change a user's membership of a product. */
export async function grantMembership(
  db: Db,
  params: { userId: number; productId: number; role: MembershipRole },
): Promise<void> {
  await db
    .insert(memberships)
    .values(params)
    .onConflictDoUpdate({
      target: [memberships.userId, memberships.productId],
      set: { role: params.role },
    });
}

/** Remove a membership; returns false when there was none. */
export async function revokeMembership(
  db: Db,
  params: { userId: number; productId: number },
): Promise<boolean> {
  const rows = await db
    .delete(memberships)
    .where(and(eq(memberships.userId, params.userId), eq(memberships.productId, params.productId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .orderBy(asc(users.email));
  const grants = await db
    .select({ userId: memberships.userId, product: products.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(products, eq(products.id, memberships.productId))
    .orderBy(asc(products.slug));
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    memberships: grants.filter((g) => g.userId === u.id).map(({ product, role }) => ({ product, role })),
  }));
}
