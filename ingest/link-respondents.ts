import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { queryRows } from "../db/rows";

export interface RespondentLinks {
  responses: number;
  linked: number;
  /** linked / responses, or null for a run without responses. */
  share: number | null;
}

/**
 * Link a run's survey responses to product users: a respondent id (or e-mail)
 * that is a known user id of the product (one that identified) becomes the
 * response's user id. Returns how many of the run's responses are linked.
 */
export async function linkRespondents(
  db: Db,
  params: { productId: number; runId: number },
): Promise<RespondentLinks> {
  await db.execute(sql`
    update survey_responses s set user_id = i.user_id
    from (select distinct user_id from identities where product_id = ${params.productId}) i
    where s.product_id = ${params.productId} and s.run_id = ${params.runId}
      and s.user_id is null and s.respondent is not null and lower(s.respondent) = lower(i.user_id)`);
  const [row] = await queryRows<{ responses: number; linked: number }>(
    db,
    sql`select count(*)::int as responses, count(user_id)::int as linked
        from survey_responses where product_id = ${params.productId} and run_id = ${params.runId}`,
  );
  const responses = row?.responses ?? 0;
  const linked = row?.linked ?? 0;
  return { responses, linked, share: responses === 0 ? null : linked / responses };
}
