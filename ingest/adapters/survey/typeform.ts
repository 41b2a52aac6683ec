import type { IngestItem } from "../../normalized";
import { readAllText } from "../read-text";
import { type Adapter, type AdapterContext, UnreadableInputError } from "../types";
import {
  answerValue,
  type FieldPlan,
  fieldName,
  isCommentAnswer,
  isScoreField,
  matchesField,
  planField,
  type TypeformAnswer,
  type TypeformField,
} from "./typeform-fields";

type Item = Record<string, unknown> & { answers?: unknown };

function itemsOf(text: string, fileName: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UnreadableInputError(`${fileName} is not JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === "object" && Array.isArray((doc as { items?: unknown }).items)) {
    return (doc as { items: unknown[] }).items;
  }
  throw new UnreadableInputError(`${fileName} is not a Typeform Responses API document (no "items" array)`);
}

const answersOf = (item: Item): TypeformAnswer[] =>
  Array.isArray(item.answers)
    ? (item.answers as unknown[]).filter(
        (a): a is TypeformAnswer =>
          !!a && typeof a === "object" && typeof (a as TypeformAnswer).field?.id === "string",
      )
    : [];

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** Plan every score field of the file from all its answers (range check needs them all). */
function planFields(items: Item[], ctx: AdapterContext): Map<string, FieldPlan & { field: TypeformField }> {
  const values = new Map<string, { field: TypeformField; nums: number[] }>();
  const mapped = ctx.options["map.score"];
  for (const item of items) {
    for (const a of answersOf(item)) {
      const f = a.field as TypeformField;
      if (mapped ? !matchesField(f, mapped) : !isScoreField(f)) continue;
      const entry = values.get(f.id) ?? { field: f, nums: [] };
      if (typeof a.number === "number") entry.nums.push(a.number);
      values.set(f.id, entry);
    }
  }
  if (mapped && values.size === 0) {
    throw new UnreadableInputError(`--map score="${mapped}" matches no answered field (by id, ref or title)`);
  }
  const plans = new Map<string, FieldPlan & { field: TypeformField }>();
  for (const [id, { field, nums }] of values)
    plans.set(id, { field, ...planField(field, nums, ctx.options.kind) });
  return plans;
}

const KIND_RANK = { nps: 0, csat: 1, ces: 2, other: 3 } as const;

function itemRecords(
  item: Item,
  index: number,
  plans: ReturnType<typeof planFields>,
  ctx: AdapterContext,
): IngestItem[] {
  const reject = (reason: string): IngestItem => ({ kind: "reject", value: { line: index, reason } });
  const responseId = str(item.response_id) ?? str(item.token);
  if (!responseId) return [reject("item has neither response_id nor token")];
  const submittedAt = new Date(String(item.submitted_at));
  if (Number.isNaN(submittedAt.getTime()))
    return [reject(`submitted_at "${String(item.submitted_at)}" is not a date`)];
  const answers = answersOf(item);
  const hidden = (item.hidden && typeof item.hidden === "object" ? item.hidden : {}) as Record<
    string,
    unknown
  >;
  const email = str(answers.find((a) => a.type === "email")?.email) ?? str(hidden.email);
  const userId = str(hidden.user_id) ?? str(hidden.userId) ?? str(hidden.userid);
  const commentMap = ctx.options["map.comment"];
  const commentAnswers = answers.filter((a) =>
    commentMap
      ? matchesField(a.field as TypeformField, commentMap) && typeof a.text === "string"
      : isCommentAnswer(a),
  );
  const comment =
    commentAnswers
      .map((a) => String(a.text).trim())
      .filter(Boolean)
      .join("\n\n") || null;
  const other: Record<string, unknown> = {};
  const scored = answers
    .filter((a) => plans.has((a.field as TypeformField).id))
    .sort(
      (a, b) =>
        KIND_RANK[plans.get(a.field?.id as string)?.kind ?? "other"] -
        KIND_RANK[plans.get(b.field?.id as string)?.kind ?? "other"],
    );
  for (const a of answers) {
    if (!scored.includes(a) && !commentAnswers.includes(a))
      other[a.field?.ref ?? (a.field?.id as string)] = answerValue(a);
  }
  const metadata: Record<string, unknown> = { landed_at: item.landed_at ?? null };
  for (const key of ["hidden", "metadata", "calculated", "variables"])
    if (item[key] != null) metadata[key] = item[key];
  if (Object.keys(other).length > 0) metadata.answers = other;
  const base = { submittedAt, respondent: email ?? userId, userId, metadata };
  const out: IngestItem[] = [];
  let commentPlaced = false;
  for (const a of scored) {
    const f = a.field as TypeformField;
    const plan = plans.get(f.id) as FieldPlan;
    const n = a.number;
    if (typeof n !== "number" || !Number.isFinite(n)) {
      out.push(
        reject(`field "${fieldName(f)}": answer ${JSON.stringify(n ?? answerValue(a))} is not a number`),
      );
      continue;
    }
    if (plan.scale && (n < plan.scale.min || n > plan.scale.max)) {
      out.push(
        reject(
          `field "${fieldName(f)}": ${n} is outside the ${plan.kind.toUpperCase()} scale ${plan.scale.min}-${plan.scale.max}`,
        ),
      );
      continue;
    }
    out.push({
      kind: "survey",
      line: index,
      value: {
        ...base,
        externalId: `${responseId}:${f.id}`,
        question: fieldName(f),
        questionKind: plan.kind,
        score: n,
        scaleMin: plan.scale?.min ?? null,
        scaleMax: plan.scale?.max ?? null,
        comment: commentPlaced ? null : comment,
      },
    });
    commentPlaced = true;
  }
  if (!commentPlaced && comment) {
    const f = commentAnswers[0]?.field as TypeformField;
    out.push({
      kind: "survey",
      line: index,
      value: {
        ...base,
        externalId: `${responseId}:${f.id}`,
        question: fieldName(f),
        questionKind: "other",
        score: null,
        comment,
      },
    });
  }
  return out;
}

/**
 * Typeform Responses API JSON (`{items: [...]}` or a bare array of items). One
 * record per score answer (externalId "<response id>:<field id>"); long-text
 * answers are the comment, attached to the primary score record. Responses
 * never submitted (`submitted_at` "0001-01-01T00:00:00Z" or missing) are
 * skipped and counted in the note "unsubmitted_responses".
 */
export const typeformAdapter: Adapter = {
  name: "typeform",
  kind: "survey",
  description: "Typeform Responses API JSON (items[].answers[])",
  sniff(sample) {
    if (!/^\s*[[{]/.test(sample)) return 0;
    const hasItems = /"items"\s*:/.test(sample);
    const hits = [
      /"answers"\s*:/,
      /"landed_at"\s*:/,
      /"submitted_at"\s*:/,
      /"landing_id"\s*:/,
      /"field"\s*:\s*\{/,
    ].filter((r) => r.test(sample)).length;
    return hits >= 3 ? (hasItems ? 0.95 : 0.8) : 0;
  },
  async *parse(input, ctx) {
    const items = itemsOf(await readAllText(input), ctx.fileName).filter(
      (i): i is Item => !!i && typeof i === "object" && !Array.isArray(i),
    );
    const plans = planFields(items, ctx);
    const [first] = [...plans.values()].sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind]);
    ctx.note(
      "score_column",
      first
        ? { column: fieldName(first.field), kind: first.kind, reason: first.reason }
        : { column: null, kind: null, reason: "no nps, opinion_scale or rating field answered" },
    );
    if (plans.size > 1) {
      ctx.note(
        "score_columns",
        [...plans.values()].map((p) => ({ column: fieldName(p.field), kind: p.kind, reason: p.reason })),
      );
    }
    let unsubmitted = 0;
    let withEmail = 0;
    for (const [index, item] of items.entries()) {
      const at = typeof item.submitted_at === "string" ? item.submitted_at : "";
      if (!at || at.startsWith("0001-")) {
        unsubmitted += 1;
        continue;
      }
      const records = itemRecords(item, index, plans, ctx);
      const firstRecord = records.find((r) => r.kind === "survey");
      if (firstRecord?.kind === "survey" && firstRecord.value.respondent?.includes("@")) withEmail += 1;
      yield* records;
    }
    ctx.note("responses", items.length - unsubmitted);
    ctx.note("unsubmitted_responses", unsubmitted);
    ctx.note("respondents_with_email", withEmail);
  },
};
