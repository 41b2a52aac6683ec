import type { Product } from "../../../db/schema/products";
import { updateProductAction } from "../_actions/product-actions";
import { ActionForm, Field } from "./action-form";
import { TimeZoneInput } from "./time-zone-input";

/** Name, time zone and week start of a product. */
export function GeneralSection({ product }: { product: Product }) {
  return (
    <section id="general" className="panel ns-section">
      <h2>Product</h2>
      <p className="muted">
        Slug <code>{product.slug}</code> (fixed: URLs and API keys use it). Days and weeks are counted in the
        time zone below.
      </p>
      <ActionForm action={updateProductAction} submitLabel="Save product" testId="product-form">
        <input type="hidden" name="product" value={product.slug} />
        <Field name="name" label="Name">
          <input name="name" defaultValue={product.name} required maxLength={200} />
        </Field>
        <Field name="timezone" label="Time zone" hint="IANA name, e.g. Europe/Berlin">
          <TimeZoneInput defaultValue={product.timezone} />
        </Field>
        <Field name="weekStart" label="Weeks start on">
          <select name="weekStart" defaultValue={product.weekStart}>
            <option value="monday">Monday (ISO)</option>
            <option value="sunday">Sunday</option>
          </select>
        </Field>
      </ActionForm>
    </section>
  );
}
