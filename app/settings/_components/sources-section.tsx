import { SOURCE_KINDS, type Source, type SourceConfig } from "../../../lib/queries/sources";
import { addSourceAction, removeSourceAction } from "../_actions/source-actions";
import { formatDateTime } from "../_lib/format-time";
import { ActionForm, Field } from "./action-form";

function describeConfig(config: SourceConfig): string {
  const parts = [
    config.query && `query "${config.query}"`,
    config.url,
    config.country && `country ${config.country}`,
  ];
  if (config.tokenEnv) parts.push(`token from $${config.tokenEnv}`);
  return parts.filter(Boolean).join(" · ");
}

/** Pull sources that `sync` fetches on a schedule. */
export function SourcesSection(props: { slug: string; timezone: string; sources: Source[] }) {
  return (
    <section id="sources" className="panel ns-section">
      <h2>Pull sources</h2>
      <p className="muted">
        Hacker News, Reddit, X, App Store reviews, RSS/Atom feeds and Typeform forms, fetched by{" "}
        <code>npm run northstar -- sync</code> from where the last run stopped. Tokens are never stored: give
        the NAME of the environment variable that holds one.
      </p>
      {props.sources.length === 0 ? (
        <p className="empty">
          No pull sources yet. Add one below, e.g. a Hacker News search for the product&apos;s name.
        </p>
      ) : (
        <table className="data" data-testid="sources">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Last sync</th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.sources.map((s) => (
              <tr key={s.id}>
                <td>
                  #{s.id} {s.kind}
                  {s.enabled ? "" : " (disabled)"}
                  <div className="muted">{describeConfig(s.config as SourceConfig)}</div>
                </td>
                <td>
                  {formatDateTime(s.lastSyncAt, props.timezone)}
                  <div className="muted">{s.lastStatus ?? "never synced"}</div>
                </td>
                <td>
                  <ActionForm
                    action={removeSourceAction}
                    submitLabel="Remove"
                    pendingLabel="Removing…"
                    inline
                    danger
                    confirmText="Remove this source? Its past runs stay listed under Imports."
                  >
                    <input type="hidden" name="product" value={props.slug} />
                    <input type="hidden" name="id" value={s.id} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionForm action={addSourceAction} submitLabel="Add source" resetOnSuccess testId="source-form">
        <input type="hidden" name="product" value={props.slug} />
        <Field name="kind" label="Kind">
          <select name="kind" defaultValue="hn">
            {SOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Field>
        <Field name="query" label="Query" hint="Search terms; the app id (appstore); the form id (typeform)">
          <input name="query" maxLength={500} />
        </Field>
        <Field name="url" label="URL" hint="Feed URL (rss) or listing URL (reddit, appstore)">
          <input name="url" type="url" />
        </Field>
        <Field name="tokenEnv" label="Token variable" hint="e.g. X_BEARER_TOKEN (x and typeform need one)">
          <input name="tokenEnv" pattern="[A-Za-z_][A-Za-z0-9_]*" />
        </Field>
        <Field name="country" label="Country" hint="Two letters (appstore)">
          <input name="country" maxLength={2} />
        </Field>
      </ActionForm>
    </section>
  );
}
