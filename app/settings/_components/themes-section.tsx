import type { Theme } from "../../../lib/queries/settings-themes";
import { deleteThemeAction, saveThemeAction } from "../_actions/theme-actions";
import { ActionForm, Field } from "./action-form";

/** Feedback themes and their keywords. */
export function ThemesSection({ slug, themes }: { slug: string; themes: Theme[] }) {
  return (
    <section id="themes" className="panel ns-section">
      <h2>Themes</h2>
      <p className="muted">
        A comment or mention containing one of a theme&apos;s keywords is tagged with it. Saving a theme
        re-tags the product&apos;s existing feedback; saving an existing name replaces its keywords.
      </p>
      {themes.length === 0 ? (
        <p className="empty">No themes yet. Add one such as “pricing” with the words customers use for it.</p>
      ) : (
        <table className="data" data-testid="themes">
          <thead>
            <tr>
              <th scope="col">Theme</th>
              <th scope="col">Keywords</th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {themes.map((t) => (
              <tr key={t.id} data-theme={t.name}>
                <td>{t.name}</td>
                <td>{t.keywords.join(", ")}</td>
                <td>
                  <ActionForm
                    action={deleteThemeAction}
                    submitLabel="Delete"
                    pendingLabel="Deleting…"
                    inline
                    danger
                    confirmText={`Delete the theme "${t.name}"?`}
                  >
                    <input type="hidden" name="product" value={slug} />
                    <input type="hidden" name="id" value={t.id} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionForm action={saveThemeAction} submitLabel="Save theme" resetOnSuccess testId="theme-form">
        <input type="hidden" name="product" value={slug} />
        <Field name="name" label="Theme name">
          <input name="name" required maxLength={100} />
        </Field>
        <Field name="keywords" label="Keywords" hint="Comma-separated, e.g. price, expensive, billing">
          <input name="keywords" required />
        </Field>
      </ActionForm>
    </section>
  );
}
