import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { USER_ROLES } from "../../../db/schema/auth";
import { requireAdmin, requireViewer } from "../../../lib/access";
import { listUsers } from "../../../lib/auth/users";
import { getAppDb } from "../../../lib/db";
import { listProducts } from "../../../lib/queries/products";
import { createUserAction, grantMembershipAction, revokeMembershipAction } from "../_actions/user-actions";
import { ActionForm, Field } from "../_components/action-form";

export const metadata: Metadata = { title: "Users" };

const label = (role: string) => role.replace("_", " ");

/** Users, roles and product memberships: admins only (404 for everyone else). */
export default async function UsersPage() {
  await connection();
  requireAdmin(await requireViewer("/settings/users"));
  const db = await getAppDb();
  const [users, products] = await Promise.all([listUsers(db), listProducts(db)]);
  const names = new Map(products.map((p) => [p.slug, p.name]));
  return (
    <>
      <p className="muted">
        <Link href="/settings">Settings</Link> /
      </p>
      <h1>Users and memberships</h1>
      <p className="subtitle">
        Admins and execs see every product; lead PMs and members see the products they are members of, and a
        lead PM membership also lets them configure that product.
      </p>
      <div className="panel" style={{ marginBottom: "1.25rem" }}>
        <table className="data" data-testid="users">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Products</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user={u.email}>
                <td>
                  {u.name ?? u.email}
                  <div className="muted">
                    {u.email}
                    {u.disabled ? " · disabled" : ""}
                  </div>
                </td>
                <td>{label(u.role)}</td>
                <td>
                  {u.memberships.length === 0 ? (
                    <span className="muted">
                      {u.role === "admin" || u.role === "exec" ? "all (by role)" : "none"}
                    </span>
                  ) : (
                    u.memberships.map((m) => (
                      <div key={m.product} style={{ display: "flex", gap: "0.5rem", alignItems: "center" }}>
                        <span>
                          {names.get(m.product) ?? m.product} <span className="muted">{label(m.role)}</span>
                        </span>
                        <ActionForm
                          action={revokeMembershipAction}
                          submitLabel="Remove"
                          pendingLabel="Removing…"
                          inline
                          danger
                        >
                          <input type="hidden" name="userId" value={u.id} />
                          <input type="hidden" name="productSlug" value={m.product} />
                        </ActionForm>
                      </div>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel ns-section">
        <h2>Give a user a product</h2>
        {products.length === 0 ? (
          <p className="empty">No products yet: add one on the settings page first.</p>
        ) : (
          <ActionForm action={grantMembershipAction} submitLabel="Grant" testId="grant-form">
            <Field name="email" label="User">
              <select name="email" required>
                {users.map((u) => (
                  <option key={u.id} value={u.email}>
                    {u.email}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="productSlug" label="Product">
              <select name="productSlug" required>
                {products.map((p) => (
                  <option key={p.id} value={p.slug}>
                    {p.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="role" label="As">
              <select name="role" defaultValue="member">
                <option value="member">member (reads)</option>
                <option value="lead_pm">lead PM (reads and configures)</option>
              </select>
            </Field>
          </ActionForm>
        )}
      </section>
      <section className="panel ns-section">
        <h2>Add a user</h2>
        <p className="muted">They sign in with this e-mail and password (at least 10 characters).</p>
        <ActionForm action={createUserAction} submitLabel="Add user" resetOnSuccess testId="user-form">
          <Field name="email" label="E-mail">
            <input name="email" type="email" required maxLength={254} autoComplete="off" />
          </Field>
          <Field name="name" label="Name">
            <input name="name" maxLength={200} />
          </Field>
          <Field name="role" label="Role">
            <select name="role" defaultValue="member">
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {label(r)}
                </option>
              ))}
            </select>
          </Field>
          <Field name="password" label="Password">
            <input
              name="password"
              type="password"
              required
              minLength={10}
              maxLength={1024}
              autoComplete="new-password"
            />
          </Field>
        </ActionForm>
      </section>
    </>
  );
}
