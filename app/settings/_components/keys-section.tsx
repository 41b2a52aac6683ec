import type { listApiKeys } from "../../../lib/auth/api-keys";
import { createKeyAction, revokeKeyAction } from "../_actions/key-actions";
import { formatDateTime } from "../_lib/format-time";
import { ActionForm, Field } from "./action-form";

type KeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

/** API keys: write keys ingest only (safe in web pages), read keys read the JSON API only. */
export function KeysSection(props: { slug: string; timezone: string; keys: KeyRow[] }) {
  return (
    <section id="keys" className="panel ns-section">
      <h2>API keys</h2>
      <p className="muted">
        Write keys (<code>ns_w_…</code>) send events to <code>/api/v1/track</code>, <code>/batch</code> and{" "}
        <code>/capture</code> and can read nothing. Read keys (<code>ns_r_…</code>) read this product through{" "}
        <code>/api/v1/products/{props.slug}/…</code>. A key is shown once, when it is created.
      </p>
      {props.keys.length === 0 ? (
        <p className="empty">No keys yet. Create a write key to send events from your site or app.</p>
      ) : (
        <table className="data" data-testid="keys">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Kind</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="muted">Status</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.keys.map((k) => (
              <tr key={k.id} data-key={k.prefix}>
                <td>
                  <code>{k.prefix}…</code>
                  {k.name ? <div className="muted">{k.name}</div> : null}
                </td>
                <td>{k.kind}</td>
                <td>{formatDateTime(k.createdAt, props.timezone)}</td>
                <td>{formatDateTime(k.lastUsedAt, props.timezone)}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="muted">revoked {formatDateTime(k.revokedAt, props.timezone)}</span>
                  ) : (
                    <ActionForm
                      action={revokeKeyAction}
                      submitLabel="Revoke"
                      pendingLabel="Revoking…"
                      inline
                      danger
                      confirmText={`Revoke ${k.prefix}…? Requests using it fail from now on.`}
                    >
                      <input type="hidden" name="product" value={props.slug} />
                      <input type="hidden" name="id" value={k.id} />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionForm
        action={createKeyAction}
        submitLabel="Create key"
        pendingLabel="Creating…"
        resetOnSuccess
        testId="key-form"
      >
        <input type="hidden" name="product" value={props.slug} />
        <Field name="kind" label="Kind">
          <select name="kind" defaultValue="write">
            <option value="write">write (ingest)</option>
            <option value="read">read (JSON API)</option>
          </select>
        </Field>
        <Field name="name" label="Label" hint="Optional, e.g. marketing site">
          <input name="name" maxLength={100} />
        </Field>
      </ActionForm>
    </section>
  );
}
