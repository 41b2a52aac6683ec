import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { requireViewer } from "../../lib/access";
import { getAppDb } from "../../lib/db";
import { createProductAction } from "./_actions/product-actions";
import { ActionForm, Field } from "./_components/action-form";
import { TimeZoneInput } from "./_components/time-zone-input";
import { listConfigurableProducts } from "./_lib/configurable";

export const metadata: Metadata = { title: "Settings" };

/** The settings hub: the products this viewer configures; for admins also new products and users. */
export default async function SettingsPage() {
  await connection();
  const viewer = await requireViewer("/settings");
  const db = await getAppDb();
  const products = await listConfigurableProducts(db, viewer);
  const admin = viewer.role === "admin";
  return (
    <>
      <h1>Settings</h1>
      <p className="subtitle">
        Features, themes, targets, pull sources, API keys and annotations, per product
        {admin ? "; users and memberships for the whole installation" : ""}.
      </p>
      {admin ? (
        <p>
          <Link href="/settings/users">Users and memberships →</Link>
        </p>
      ) : null}
      <div className="panel" style={{ marginBottom: "1.25rem" }}>
        {products.length === 0 ? (
          <p className="empty" data-testid="no-products">
            {admin
              ? "No products yet. Add the first one below."
              : "You have no product to configure. Settings are changed by an admin or by a product's lead PM; ask an admin to make you lead PM of your product."}
          </p>
        ) : (
          <table className="data" data-testid="settings-products">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Time zone</th>
                <th scope="col">Weeks start</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id} data-product={p.slug}>
                  <td>
                    <Link href={`/settings/products/${p.slug}`}>{p.name}</Link>
                    <div className="muted">{p.slug}</div>
                  </td>
                  <td>{p.timezone}</td>
                  <td>{p.weekStart}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {admin ? (
        <section className="panel ns-section" id="new-product">
          <h2>Add a product</h2>
          <p className="muted">The slug appears in URLs and cannot be changed later.</p>
          <ActionForm
            action={createProductAction}
            submitLabel="Add product"
            resetOnSuccess
            testId="new-product-form"
          >
            <Field name="slug" label="Slug" hint="lowercase letters, digits and dashes">
              <input name="slug" required maxLength={63} pattern="[a-z0-9][a-z0-9\-]*" />
            </Field>
            <Field name="name" label="Name">
              <input name="name" required maxLength={200} />
            </Field>
            <Field name="timezone" label="Time zone">
              <TimeZoneInput />
            </Field>
            <Field name="weekStart" label="Weeks start on">
              <select name="weekStart" defaultValue="monday">
                <option value="monday">Monday (ISO)</option>
                <option value="sunday">Sunday</option>
              </select>
            </Field>
          </ActionForm>
        </section>
      ) : null}
    </>
  );
}
