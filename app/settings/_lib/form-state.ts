import type { z } from "zod";

/**
 * What every settings action returns to its form (useActionState): a message,
 * field errors by input name, and, once only, a secret to show (a new API key).
 * The secret travels in the action's response, never in a URL or a log.
 */
export interface FormState {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  secret?: { label: string; value: string };
}

export const IDLE: FormState = { status: "idle" };

export function failed(message: string, fieldErrors?: FormState["fieldErrors"]): FormState {
  return { status: "error", message, ...(fieldErrors ? { fieldErrors } : {}) };
}

export function succeeded(message: string, secret?: FormState["secret"]): FormState {
  return { status: "ok", message, ...(secret ? { secret } : {}) };
}

/** A zod failure as form state: per-field messages, and the rest as the form's message. */
export function invalid(error: z.ZodError, fieldNames: Record<string, string> = {}): FormState {
  const fieldErrors: Record<string, string[]> = {};
  const general: string[] = [];
  for (const issue of error.issues) {
    const top = issue.path[0];
    const name = typeof top === "string" ? (fieldNames[top] ?? top) : null;
    if (name) fieldErrors[name] = [...(fieldErrors[name] ?? []), issue.message];
    else general.push(issue.message);
  }
  return failed(
    general.length > 0 ? general.join("; ") : "Please correct the fields marked below.",
    fieldErrors,
  );
}
