"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  createUser,
  createUserSchema,
  findUserByEmail,
  grantMembership,
  MEMBERSHIP_ROLES,
  revokeMembership,
  UserExistsError,
} from "../../../lib/auth/users";
import { getProductBySlug } from "../../../lib/queries/products";
import { guardAdminAction } from "../_lib/action-guard";
import { type FormState, failed, invalid, succeeded } from "../_lib/form-state";
import { idField, textField } from "../_lib/parse-fields";

/** Add a user (admins only). The password follows the same policy as `users add`. */
export async function createUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardAdminAction();
  if (!guard.ok) return guard.state;
  const parsed = createUserSchema.safeParse({
    email: textField(form, "email") ?? "",
    name: textField(form, "name"),
    role: textField(form, "role") ?? "",
    password: String(form.get("password") ?? ""),
  });
  if (!parsed.success) return invalid(parsed.error);
  try {
    const user = await createUser(guard.db, parsed.data);
    revalidatePath("/settings/users");
    return succeeded(`Added ${user.email} (${user.role.replace("_", " ")}).`);
  } catch (err) {
    if (err instanceof UserExistsError) return failed(err.message, { email: ["already a user"] });
    throw err;
  }
}

const grantSchema = z.object({
  email: z.string().min(1, "choose a user"),
  product: z.string().min(1, "choose a product"),
  role: z.enum(MEMBERSHIP_ROLES, { error: "choose lead PM or member" }),
});

/** Give a user a product (or change their role in it). */
export async function grantMembershipAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardAdminAction();
  if (!guard.ok) return guard.state;
  const parsed = grantSchema.safeParse({
    email: textField(form, "email") ?? "",
    product: textField(form, "productSlug") ?? "",
    role: textField(form, "role") ?? "",
  });
  if (!parsed.success) return invalid(parsed.error, { product: "productSlug" });
  const user = await findUserByEmail(guard.db, parsed.data.email);
  if (!user) return failed("No such user.", { email: ["no such user"] });
  const product = await getProductBySlug(guard.db, parsed.data.product);
  if (!product) return failed("No such product.", { productSlug: ["no such product"] });
  await grantMembership(guard.db, { userId: user.id, productId: product.id, role: parsed.data.role });
  revalidatePath("/settings/users");
  return succeeded(`${user.email} is now ${parsed.data.role.replace("_", " ")} of ${product.name}.`);
}

export async function revokeMembershipAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardAdminAction();
  if (!guard.ok) return guard.state;
  const userId = idField(form, "userId");
  const slug = textField(form, "productSlug");
  const product = slug ? await getProductBySlug(guard.db, slug) : null;
  if (userId === null || !product || !(await revokeMembership(guard.db, { userId, productId: product.id })))
    return failed("That membership no longer exists.");
  revalidatePath("/settings/users");
  return succeeded("Removed.");
}
