import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getViewer, safeNextPath } from "../../lib/access/viewer";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isDemoInUse } from "../../lib/auth/demo-accounts";
import { getAppDb } from "../../lib/db";
import { loginAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

const MESSAGES: Record<string, string> = {
  invalid: "Wrong e-mail or password.",
  rate: "Too many failed sign-ins from this address. Try again in a few minutes.",
  request: "That request could not be accepted. Reload this page and try again.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getViewer()) redirect(next);
  const error = typeof params.error === "string" ? MESSAGES[params.error] : undefined;
  const demo = await isDemoInUse(await getAppDb());
  return (
    <div className="login" style={{ maxWidth: "26rem", margin: "2rem auto" }}>
      <h1>Sign in</h1>
      {error ? (
        <p className="form-error" role="alert" style={{ color: "var(--down)" }}>
          {error}
        </p>
      ) : null}
      <form
        action={loginAction}
        className="panel login-form"
        style={{ display: "grid", gap: "0.9rem", padding: "1.25rem" }}
      >
        <input type="hidden" name="next" value={next} />
        <label style={{ display: "grid", gap: "0.3rem" }}>
          E-mail
          <input type="email" name="email" autoComplete="username" required maxLength={254} />
        </label>
        <label style={{ display: "grid", gap: "0.3rem" }}>
          Password
          <input type="password" name="password" autoComplete="current-password" required maxLength={1024} />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {demo ? (
        <div
          className="panel"
          data-testid="demo-accounts"
          style={{ marginTop: "1rem", padding: "0 1.25rem" }}
        >
          <p>
            Demo data is loaded. Every demo account uses the password <code>{DEMO_PASSWORD}</code>; they stop
            working once a real product is added.
          </p>
          <ul>
            {DEMO_ACCOUNTS.map((a) => (
              <li key={a.email}>
                <code>{a.email}</code> {a.role}
                {a.membership ? ` (${a.membership.role} of ${a.membership.product})` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
