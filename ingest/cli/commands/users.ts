import type { Command } from "commander";
import { ZodError } from "zod";
import type { Db } from "../../../db/client";
import { USER_ROLES, type UserRole } from "../../../db/schema/auth";
import { checkPasswordPolicy } from "../../../lib/auth/password";
import {
  createUser,
  findUserByEmail,
  grantMembership,
  listUsers,
  MEMBERSHIP_ROLES,
  type MembershipRole,
  revokeMembership,
  setUserPassword,
  UserExistsError,
} from "../../../lib/auth/users";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

/**
 * The password is the first line of stdin, never an argument (arguments end
 * up in shell history and `ps`). Reading stops at the first newline.
 */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (input is visible; pipe it in to hide it): ");
  let data = "";
  for await (const chunk of process.stdin) {
    data += String(chunk);
    if (data.includes("\n") || data.length > 4096) break;
  }
  const password = data.split(/\r?\n/)[0] ?? "";
  const problem = checkPasswordPolicy(password);
  if (problem) throw new CliError(`refused: ${problem}`);
  return password;
}

function parseChoice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new CliError(`--${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}

async function requireUser(db: Db, email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) throw new CliError(`no user "${email}" (see: npm run northstar -- users list)`);
  return user;
}

export function registerUserCommands(program: Command): void {
  const users = program
    .command("users")
    .description(
      "accounts: admin (everything), exec (reads every product), lead_pm and member (per product)",
    );

  users
    .command("add")
    .description("add an account; the password is read from stdin (at least 10 characters)")
    .argument("<email>", "e-mail address (sign-in name)")
    .requiredOption("--role <role>", USER_ROLES.join("|"))
    .option("--name <name>", "display name")
    .option("--password-stdin", "read the password from the first line of stdin (required)")
    .option("--json", "print one JSON document")
    .action(
      async (
        email: string,
        opts: { role: string; name?: string; passwordStdin?: boolean; json?: boolean },
      ) => {
        const role = parseChoice<UserRole>("role", opts.role, USER_ROLES);
        if (!opts.passwordStdin) throw new CliError("--password-stdin is required (pipe the password in)");
        const password = await readPasswordFromStdin();
        const user = await withDatabase(async ({ db }) => {
          try {
            return await createUser(db, { email, name: opts.name, role, password });
          } catch (err) {
            if (err instanceof UserExistsError) throw new CliError(err.message);
            if (err instanceof ZodError) throw new CliError(err.issues.map((i) => i.message).join("; "));
            throw err;
          }
        });
        emit(
          opts.json,
          { id: user.id, email: user.email, role: user.role, name: opts.name ?? null },
          () => `Added ${user.email} (${user.role}).`,
        );
      },
    );

  users
    .command("grant")
    .description("give an account access to a product (lead_pm also configures it)")
    .argument("<email>", "account")
    .requiredOption("--product <slug>", "product")
    .requiredOption("--role <role>", MEMBERSHIP_ROLES.join("|"))
    .option("--json", "print one JSON document")
    .action(async (email: string, opts: { product: string; role: string; json?: boolean }) => {
      const role = parseChoice<MembershipRole>("role", opts.role, MEMBERSHIP_ROLES);
      await withDatabase(async ({ db }) => {
        const user = await requireUser(db, email);
        const product = await requireProduct(db, opts.product);
        await grantMembership(db, { userId: user.id, productId: product.id, role });
      });
      emit(
        opts.json,
        { email, product: opts.product, role },
        () => `${email} is ${role} of ${opts.product}.`,
      );
    });

  users
    .command("revoke")
    .description("remove an account's access to a product, effective on its next request")
    .argument("<email>", "account")
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (email: string, opts: { product: string; json?: boolean }) => {
      const removed = await withDatabase(async ({ db }) => {
        const user = await requireUser(db, email);
        const product = await requireProduct(db, opts.product);
        return revokeMembership(db, { userId: user.id, productId: product.id });
      });
      if (!removed) throw new CliError(`${email} has no access to ${opts.product}`);
      emit(
        opts.json,
        { email, product: opts.product, revoked: true },
        () => `${email} no longer has access to ${opts.product}.`,
      );
    });

  users
    .command("list")
    .description("list accounts, their roles and products")
    .option("--json", "print one JSON document")
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDatabase(({ db }) => listUsers(db));
      emit(opts.json, rows, () =>
        rows.length === 0
          ? "No accounts yet. Add one with: npm run northstar -- users add <email> --role admin --password-stdin"
          : table(
              ["email", "name", "role", "products", "status"],
              rows.map((u) => [
                u.email,
                u.name ?? "",
                u.role,
                u.memberships.map((m) => `${m.product} (${m.role})`).join(", "),
                u.disabled ? "disabled" : "active",
              ]),
            ),
      );
    });

  users
    .command("passwd")
    .description("set a new password (read from stdin); ends the account's sessions and lockout")
    .argument("<email>", "account")
    .option("--password-stdin", "read the password from the first line of stdin (required)")
    .option("--json", "print one JSON document")
    .action(async (email: string, opts: { passwordStdin?: boolean; json?: boolean }) => {
      if (!opts.passwordStdin) throw new CliError("--password-stdin is required (pipe the password in)");
      const password = await readPasswordFromStdin();
      await withDatabase(async ({ db }) => setUserPassword(db, (await requireUser(db, email)).id, password));
      emit(
        opts.json,
        { email, passwordChanged: true },
        () => `Password changed for ${email}; its sessions ended.`,
      );
    });
}
