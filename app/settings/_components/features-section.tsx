import type { Feature } from "../../../db/schema/products";
import { deleteFeatureAction, saveFeatureAction } from "../_actions/feature-actions";
import { formatFilterLines } from "../_lib/parse-fields";
import { ActionForm, Field } from "./action-form";

function FeatureFields({ feature }: { feature?: Feature }) {
  return (
    <>
      <Field name="key" label="Key" hint="Stable id, e.g. reports">
        <input name="key" defaultValue={feature?.key} required maxLength={63} readOnly={Boolean(feature)} />
      </Field>
      <Field name="name" label="Name">
        <input name="name" defaultValue={feature?.name} required maxLength={200} />
      </Field>
      <Field
        name="eventNames"
        label="Event names"
        hint="Comma-separated; using any one counts as using the feature"
      >
        <input name="eventNames" defaultValue={feature?.eventNames.join(", ")} required />
      </Field>
      <Field
        name="keywords"
        label="Keywords"
        hint="Comma-separated; link comments and mentions to the feature"
      >
        <input name="keywords" defaultValue={feature?.keywords.join(", ")} />
      </Field>
      <Field
        name="filters"
        label="Property filters"
        hint="One per line: plan = pro, plan != free, path ~ /reports, coupon exists"
      >
        <textarea name="filters" defaultValue={feature ? formatFilterLines(feature.filters) : ""} />
      </Field>
      <Field name="description" label="Description">
        <textarea name="description" defaultValue={feature?.description ?? ""} maxLength={2000} />
      </Field>
    </>
  );
}

/** Features: the events that count as using them, and the words that link feedback to them. */
export function FeaturesSection({ slug, features }: { slug: string; features: Feature[] }) {
  return (
    <section id="features" className="panel ns-section">
      <h2>Features</h2>
      <p className="muted">
        Adoption counts the people who fire one of a feature&apos;s events. Comments and mentions that contain
        one of its keywords are linked to it (existing feedback is re-linked when you save).
      </p>
      {features.length === 0 ? (
        <p className="empty">
          No features yet. Add one below with the event names your product sends for it.
        </p>
      ) : (
        <table className="data" data-testid="features">
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Events</th>
              <th scope="col">Keywords</th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {features.map((f) => (
              <tr key={f.id} data-feature={f.key}>
                <td>
                  {f.name}
                  <div className="muted">{f.key}</div>
                  <details>
                    <summary>Edit</summary>
                    <ActionForm action={saveFeatureAction} submitLabel="Save feature">
                      <input type="hidden" name="product" value={slug} />
                      <FeatureFields feature={f} />
                    </ActionForm>
                  </details>
                </td>
                <td>
                  {f.eventNames.join(", ")}
                  {f.filters.length > 0 ? (
                    <div className="muted">where {formatFilterLines(f.filters).replaceAll("\n", "; ")}</div>
                  ) : null}
                </td>
                <td>{f.keywords.join(", ") || <span className="muted">none</span>}</td>
                <td>
                  <ActionForm
                    action={deleteFeatureAction}
                    submitLabel="Delete"
                    pendingLabel="Deleting…"
                    inline
                    danger
                    confirmText={`Delete the feature "${f.name}"?`}
                  >
                    <input type="hidden" name="product" value={slug} />
                    <input type="hidden" name="id" value={f.id} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Add a feature</h3>
      <ActionForm action={saveFeatureAction} submitLabel="Add feature" resetOnSuccess testId="feature-form">
        <input type="hidden" name="product" value={slug} />
        <FeatureFields />
      </ActionForm>
    </section>
  );
}
