"use client";

import {
  createContext,
  type ReactNode,
  startTransition,
  useActionState,
  useContext,
  useEffect,
  useRef,
} from "react";
import { type FormState, IDLE } from "../_lib/form-state";
import "./forms.css";

type Action = (prev: FormState, form: FormData) => Promise<FormState>;

const ErrorsContext = createContext<FormState["fieldErrors"]>({});

/**
 * A form bound to a server action through useActionState: shows the action's
 * message, its field errors beside the fields (see Field), and a secret the
 * action returns once. Submitting with JavaScript keeps what was typed when
 * the action refuses it; without JavaScript the form still posts.
 */
export function ActionForm(props: {
  action: Action;
  submitLabel: string;
  pendingLabel?: string;
  children?: ReactNode;
  /** Clear the fields after a success (add forms); edit forms keep theirs. */
  resetOnSuccess?: boolean;
  inline?: boolean;
  danger?: boolean;
  testId?: string;
  confirmText?: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, IDLE);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "ok" && props.resetOnSuccess) formRef.current?.reset();
  }, [state, props.resetOnSuccess]);
  return (
    <form
      ref={formRef}
      action={formAction}
      data-testid={props.testId}
      className={props.inline ? "ns-form ns-form-inline" : "ns-form"}
      onSubmit={(event) => {
        event.preventDefault();
        if (props.confirmText && !window.confirm(props.confirmText)) return;
        const data = new FormData(event.currentTarget);
        startTransition(() => formAction(data));
      }}
    >
      <ErrorsContext value={state.fieldErrors ?? {}}>{props.children}</ErrorsContext>
      <div className="ns-form-actions">
        <button type="submit" disabled={pending} className={props.danger ? "ns-danger" : undefined}>
          {pending ? (props.pendingLabel ?? "Saving…") : props.submitLabel}
        </button>
        {state.message ? (
          <p
            role={state.status === "error" ? "alert" : "status"}
            className={state.status === "error" ? "ns-form-error" : "ns-form-ok"}
          >
            {state.message}
          </p>
        ) : null}
      </div>
      {state.secret ? (
        <div className="ns-secret" data-testid="secret">
          <strong>{state.secret.label}</strong>
          <code>{state.secret.value}</code>
          <span className="muted">Copy it now: it is stored only as a hash and will not be shown again.</span>
        </div>
      ) : null}
    </form>
  );
}

/** A labelled input with its hint and the action's errors for `name`. */
export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  children: ReactNode;
  wide?: boolean;
}) {
  const errors = useContext(ErrorsContext)?.[props.name];
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label className={props.wide ? "ns-field ns-field-wide" : "ns-field"}>
      <span className="ns-label">{props.label}</span>
      {props.children}
      {props.hint ? <span className="muted">{props.hint}</span> : null}
      {errors?.map((e) => (
        <span key={e} className="ns-field-error" role="alert">
          {e}
        </span>
      ))}
    </label>
  );
}
