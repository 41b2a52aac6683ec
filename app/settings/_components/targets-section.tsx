import { LOWER_IS_BETTER, TARGET_METRICS, type TargetRow } from "../../../lib/queries/targets";
import { deleteTargetAction, setTargetAction } from "../_actions/target-actions";
import { ActionForm, Field } from "./action-form";

/** KPI targets: the portfolio and KPI board show each KPI on track or not against these. */
export function TargetsSection({ slug, targets }: { slug: string; targets: TargetRow[] }) {
  return (
    <section id="targets" className="panel ns-section">
      <h2>Targets</h2>
      <p className="muted">
        One target per KPI and period. Ratios (stickiness, bounce rate, net sentiment) are fractions: 0.4
        means 40%. Bounce rate and CES are better low; everything else is better high unless you say
        otherwise.
      </p>
      {targets.length === 0 ? (
        <p className="empty">No targets yet. Set one below, e.g. WAU at least 5000 per week.</p>
      ) : (
        <table className="data" data-testid="targets">
          <thead>
            <tr>
              <th scope="col">KPI</th>
              <th scope="col">Period</th>
              <th scope="col" className="num">
                Target
              </th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {targets.map((t) => (
              <tr key={`${t.metric}-${t.period}`}>
                <td>{t.metric}</td>
                <td>{t.period}</td>
                <td className="num">
                  {t.direction === "at_most" ? "≤" : "≥"} {t.value.toLocaleString("en-US")}
                </td>
                <td>
                  <ActionForm
                    action={deleteTargetAction}
                    submitLabel="Remove"
                    pendingLabel="Removing…"
                    inline
                    danger
                  >
                    <input type="hidden" name="product" value={slug} />
                    <input type="hidden" name="metric" value={t.metric} />
                    <input type="hidden" name="period" value={t.period} />
                  </ActionForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionForm action={setTargetAction} submitLabel="Set target" resetOnSuccess testId="target-form">
        <input type="hidden" name="product" value={slug} />
        <Field name="metric" label="KPI">
          <select name="metric" defaultValue="wau">
            {TARGET_METRICS.map((m) => (
              <option key={m} value={m}>
                {m}
                {LOWER_IS_BETTER.has(m) ? " (lower is better)" : ""}
              </option>
            ))}
          </select>
        </Field>
        <Field name="period" label="Period">
          <select name="period" defaultValue="week">
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </Field>
        <Field name="value" label="Target value">
          <input name="value" type="number" step="any" required />
        </Field>
        <Field name="direction" label="Reached when the KPI is">
          <select name="direction" defaultValue="">
            <option value="">the KPI&apos;s default</option>
            <option value="at_least">at least the target</option>
            <option value="at_most">at most the target</option>
          </select>
        </Field>
      </ActionForm>
    </section>
  );
}
