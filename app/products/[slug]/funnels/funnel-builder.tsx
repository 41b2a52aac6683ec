"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FUNNEL_MODES } from "../../../../lib/ui/funnel-params";
import { PERIOD_KEYS } from "../../../../lib/ui/period-params";

interface StepRow {
  id: number;
  event: string;
  filter: string;
}

/** "signed_up[plan=pro]" -> event "signed_up", filter "plan=pro". */
function splitStep(text: string, id: number): StepRow {
  const m = /^([^[\]]+)(?:\[(.*)\])?$/.exec(text);
  return { id, event: (m?.[1] ?? text).trim(), filter: (m?.[2] ?? "").trim() };
}

/**
 * The funnel builder: steps (event + optional property filter), conversion
 * window, order mode, exclusions and breakdown. It writes the URL; the
 * server computes the funnel from it.
 */
export function FunnelBuilder({
  events,
  properties,
  steps,
  windowText,
  mode,
  exclusions,
  breakdown,
}: {
  events: string[];
  properties: string[];
  steps: string[];
  windowText: string;
  mode: string;
  exclusions: string[];
  breakdown: string | undefined;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [rows, setRows] = useState<StepRow[]>(() => steps.map((s, i) => splitStep(s, i)));
  const [nextId, setNextId] = useState(steps.length);
  const update = (id: number, patch: Partial<StepRow>) =>
    setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const q = new URLSearchParams();
    for (const key of PERIOD_KEYS) {
      const v = search.get(key);
      if (v) q.set(key, v);
    }
    for (const r of rows) if (r.event) q.append("step", r.filter ? `${r.event}[${r.filter}]` : r.event);
    const w = String(form.get("window") ?? "").trim();
    if (w && w !== "14d") q.set("window", w);
    const m = String(form.get("mode") ?? "");
    if (m && m !== "sequential") q.set("mode", m);
    for (const x of form.getAll("exclude")) if (String(x)) q.append("exclude", String(x));
    const b = String(form.get("breakdown") ?? "");
    if (b) q.set("breakdown", b);
    router.push(`${pathname}?${q.toString()}`);
  };
  return (
    <form
      className="builder panel padded"
      onSubmit={submit}
      aria-label="Funnel builder"
      data-testid="funnel-builder"
    >
      <h2>Build a funnel</h2>
      <datalist id="funnel-events">
        {events.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <ol className="builder-steps">
        {rows.map((r, i) => (
          <li key={r.id} className="builder-row" data-testid="funnel-step">
            <label>
              Step {i + 1} event
              <select
                value={r.event}
                onChange={(e) => update(r.id, { event: e.target.value })}
                name={`step-${i}`}
              >
                {events.includes(r.event) ? null : <option value={r.event}>{r.event}</option>}
                {events.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Property filter
              <input
                value={r.filter}
                placeholder="plan=pro"
                onChange={(e) => update(r.id, { filter: e.target.value })}
                aria-label={`Step ${i + 1} property filter (prop=value, prop!=value, prop~text, prop?)`}
              />
            </label>
            <button
              type="button"
              className="button-secondary"
              disabled={rows.length <= 2}
              onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}
              aria-label={`Remove step ${i + 1}`}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <div className="builder-row">
        <button
          type="button"
          className="button-secondary"
          disabled={rows.length >= 10}
          onClick={() => {
            setRows((rs) => [...rs, { id: nextId, event: events[0] ?? "", filter: "" }]);
            setNextId((n) => n + 1);
          }}
          data-testid="funnel-add-step"
        >
          + Add step
        </button>
      </div>
      <div className="builder-row">
        <label>
          Conversion window
          <input
            name="window"
            defaultValue={windowText}
            size={6}
            pattern="\d+\s*[dhms]?"
            title="14d, 2h, 30m or 3600s"
          />
        </label>
        <label>
          Order
          <select name="mode" defaultValue={mode}>
            {FUNNEL_MODES.map((m) => (
              <option key={m} value={m}>
                {m === "sequential"
                  ? "Sequential (other events may come between)"
                  : m === "strict"
                    ? "Strict (next event)"
                    : "Any order"}
              </option>
            ))}
          </select>
        </label>
        <label>
          Exclude actors who did
          <select name="exclude" multiple defaultValue={exclusions} size={3}>
            {events.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label>
          Breakdown by property
          <select name="breakdown" defaultValue={breakdown ?? ""}>
            <option value="">None</option>
            {properties.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="builder-row">
        <button type="submit" data-testid="funnel-run">
          Show funnel
        </button>
      </div>
    </form>
  );
}
