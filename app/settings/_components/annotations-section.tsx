import { ANNOTATION_KINDS, type Annotation } from "../../../lib/queries/settings-annotations";
import { addAnnotationAction, deleteAnnotationAction } from "../_actions/annotation-actions";
import { formatDateTime } from "../_lib/format-time";
import { ActionForm, Field } from "./action-form";

/** Release markers and other notes drawn on the product's trend charts. */
export function AnnotationsSection(props: { slug: string; timezone: string; annotations: Annotation[] }) {
  return (
    <section id="annotations" className="panel ns-section">
      <h2>Annotations</h2>
      <p className="muted">
        Releases, incidents and campaigns, drawn on the trend charts so a change in a KPI can be read next to
        what happened. Times are in the product&apos;s zone ({props.timezone}).
      </p>
      {props.annotations.length === 0 ? (
        <p className="empty">No annotations yet. Add your last release below.</p>
      ) : (
        <table className="data" data-testid="annotations">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.annotations.map((a) => (
              <tr key={a.id}>
                <td>{formatDateTime(a.occurredAt, props.timezone)}</td>
                <td>
                  <strong>{a.title}</strong> <span className="muted">{a.kind}</span>
                  {a.description ? <div className="muted">{a.description}</div> : null}
                </td>
                <td>
                  <ActionForm
                    action={deleteAnnotationAction}
                    submitLabel="Delete"
                    pendingLabel="Deleting…"
                    inline
                    danger
                  >
                    <input type="hidden" name="product" value={props.slug} />
                    <input type="hidden" name="id" value={a.id} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionForm
        action={addAnnotationAction}
        submitLabel="Add annotation"
        resetOnSuccess
        testId="annotation-form"
      >
        <input type="hidden" name="product" value={props.slug} />
        <Field name="occurredAt" label="When">
          <input name="occurredAt" type="datetime-local" required />
        </Field>
        <Field name="kind" label="Kind">
          <select name="kind" defaultValue="release">
            {ANNOTATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field name="title" label="Title">
          <input name="title" required maxLength={200} />
        </Field>
        <Field name="description" label="Description" wide>
          <textarea name="description" maxLength={2000} />
        </Field>
      </ActionForm>
    </section>
  );
}
