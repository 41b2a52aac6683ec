import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";

/** A survey comment or a mention, as the dashboards list them. */
export interface VoiceItem {
  kind: "comment" | "mention";
  id: number;
  source: string;
  /** The comment, or the mention's title and body. */
  text: string;
  url: string | null;
  author: string | null;
  /** ISO 8601. */
  at: string;
  sentiment: number | null;
  /** Mentions: points, likes or upvotes. */
  engagement: number | null;
  /** Comments: the score given with them, and the question's kind (nps, csat, ces, other). */
  score: number | null;
  questionKind: string | null;
  themes: string[];
  featureKeys: string[];
}

export interface VoiceFilters {
  productId: number;
  start: Date;
  end: Date;
  /** Only items linked to this feature key. */
  featureKey?: string;
  theme?: string;
  source?: string;
  /** Case-insensitive substring of the text (ILIKE, parameterized, wildcards escaped). */
  search?: string;
  /** Comments only: NPS bucket of the score. */
  scoreBucket?: "promoter" | "passive" | "detractor";
  limit?: number;
}

/** `%text%` for ILIKE with the pattern characters of the user's text escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const toNum = (v: unknown) => (v === null || v === undefined ? null : Number(v));

interface CommentRow {
  id: number;
  source: string;
  comment: string;
  respondent: string | null;
  at: string;
  sentiment: number | null;
  score: number | null;
  question_kind: string;
  themes: string[] | null;
  feature_keys: string[] | null;
}

const COMMENT_COLUMNS = sql.raw(`id::int as id, source, comment, respondent,
  to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
  sentiment, score, question_kind, themes, feature_keys`);

function commentItem(r: CommentRow): VoiceItem {
  return {
    kind: "comment",
    id: Number(r.id),
    source: r.source,
    text: r.comment,
    url: null,
    author: r.respondent,
    at: r.at,
    sentiment: toNum(r.sentiment),
    engagement: null,
    score: toNum(r.score),
    questionKind: r.question_kind,
    themes: r.themes ?? [],
    featureKeys: r.feature_keys ?? [],
  };
}

interface MentionRow {
  id: number;
  source: string;
  title: string | null;
  body: string | null;
  url: string | null;
  author: string | null;
  at: string;
  sentiment: number | null;
  engagement: number;
  rating: number | null;
  themes: string[] | null;
  feature_keys: string[] | null;
}

const MENTION_COLUMNS = sql.raw(`id::int as id, source, title, body, url, author,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
  sentiment, engagement, rating, themes, feature_keys`);

function mentionItem(r: MentionRow): VoiceItem {
  return {
    kind: "mention",
    id: Number(r.id),
    source: r.source,
    text: [r.title, r.body].filter(Boolean).join(" — "),
    url: r.url,
    author: r.author,
    at: r.at,
    sentiment: toNum(r.sentiment),
    engagement: Number(r.engagement),
    score: toNum(r.rating),
    questionKind: null,
    themes: r.themes ?? [],
    featureKeys: r.feature_keys ?? [],
  };
}

/** Survey responses with a non-empty comment in [start, end), newest first, filtered. */
export async function listComments(db: Db, f: VoiceFilters): Promise<VoiceItem[]> {
  const where: SQL[] = [
    sql`product_id = ${f.productId}`,
    sql`submitted_at >= ${sqlTimestamp(f.start)}`,
    sql`submitted_at < ${sqlTimestamp(f.end)}`,
    sql`coalesce(btrim(comment), '') <> ''`,
  ];
  if (f.featureKey) where.push(sql`${f.featureKey} = any(feature_keys)`);
  if (f.theme) where.push(sql`${f.theme} = any(themes)`);
  if (f.source) where.push(sql`source = ${f.source}`);
  if (f.search) where.push(sql`comment ilike ${likePattern(f.search)}`);
  if (f.scoreBucket) {
    where.push(sql`question_kind = 'nps'`);
    if (f.scoreBucket === "promoter") where.push(sql`score >= 9`);
    else if (f.scoreBucket === "passive") where.push(sql`score >= 7 and score < 9`);
    else where.push(sql`score < 7`);
  }
  const rows = await queryRows<CommentRow>(
    db,
    sql`select ${COMMENT_COLUMNS}
        from survey_responses where ${sql.join(where, sql` and `)}
        order by submitted_at desc, id desc limit ${f.limit ?? 500}`,
  );
  return rows.map(commentItem);
}

/** Mentions posted in [start, end), newest first, filtered (score buckets do not apply). */
export async function listMentions(db: Db, f: VoiceFilters): Promise<VoiceItem[]> {
  const where: SQL[] = [
    sql`product_id = ${f.productId}`,
    sql`created_at >= ${sqlTimestamp(f.start)}`,
    sql`created_at < ${sqlTimestamp(f.end)}`,
  ];
  if (f.featureKey) where.push(sql`${f.featureKey} = any(feature_keys)`);
  if (f.theme) where.push(sql`${f.theme} = any(themes)`);
  if (f.source) where.push(sql`source = ${f.source}`);
  if (f.search) {
    const p = likePattern(f.search);
    where.push(sql`(coalesce(title, '') ilike ${p} or coalesce(body, '') ilike ${p})`);
  }
  const rows = await queryRows<MentionRow>(
    db,
    sql`select ${MENTION_COLUMNS}
        from mentions where ${sql.join(where, sql` and `)}
        order by created_at desc, id desc limit ${f.limit ?? 500}`,
  );
  return rows.map(mentionItem);
}

/**
 * The items worth reading first: the most negative, the most positive and
 * the most engaged, each once, in that order (at most `limit`).
 */
export function pickNotable(items: readonly VoiceItem[], limit = 6): VoiceItem[] {
  const scored = items.filter((i) => i.sentiment !== null);
  const bySentiment = [...scored].sort((a, b) => (a.sentiment ?? 0) - (b.sentiment ?? 0));
  const byEngagement = items
    .filter((i) => (i.engagement ?? 0) > 0)
    .sort((a, b) => (b.engagement ?? 0) - (a.engagement ?? 0));
  const picks = [
    ...bySentiment.slice(0, 2),
    ...bySentiment.slice(-2).reverse(),
    ...byEngagement.slice(0, 2),
    ...items,
  ];
  const seen = new Set<string>();
  const out: VoiceItem[] = [];
  for (const item of picks) {
    const key = `${item.kind}:${item.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/** How many of the newest comments and of the newest mentions `listNotable` chooses from (each). */
export const NOTABLE_POOL = 300;

/**
 * `pickNotable` over the period's newest `pool` comments followed by its
 * newest `pool` mentions (listComments + listMentions, unfiltered), in one
 * statement that returns only the rows that can be picked: of each list, its
 * first `limit` rows, its two most negative, two most positive and (mentions)
 * two most engaged, ties broken by position as pickNotable's stable sorts
 * break them. The same items, in the same order, as picking from the full lists.
 */
export async function listNotable(
  db: Db,
  f: { productId: number; start: Date; end: Date; limit?: number; pool?: number },
): Promise<VoiceItem[]> {
  const limit = f.limit ?? 6;
  const pool = f.pool ?? NOTABLE_POOL;
  const rows = await queryRows<(CommentRow & MentionRow) & { kind: number; pos: number }>(
    db,
    sql`with c as (
          select ${COMMENT_COLUMNS}, row_number() over (order by submitted_at desc, id desc) as pos
          from survey_responses
          where product_id = ${f.productId} and coalesce(btrim(comment), '') <> ''
            and submitted_at >= ${sqlTimestamp(f.start)} and submitted_at < ${sqlTimestamp(f.end)}
          order by submitted_at desc, id desc limit ${pool}
        ), m as (
          select ${MENTION_COLUMNS}, row_number() over (order by created_at desc, id desc) as pos
          from mentions
          where product_id = ${f.productId}
            and created_at >= ${sqlTimestamp(f.start)} and created_at < ${sqlTimestamp(f.end)}
          order by created_at desc, id desc limit ${pool}
        )
        select 0 as kind, c.id, c.source, c.comment, c.respondent, null::text as title, null::text as body,
          null::text as url, null::text as author, c.at, c.sentiment, null::int as engagement, c.score,
          null::float8 as rating, c.question_kind, c.themes, c.feature_keys, c.pos
        from c
        where c.pos <= ${limit}
          or c.pos in (select pos from c where sentiment is not null order by sentiment, pos limit 2)
          or c.pos in (select pos from c where sentiment is not null order by sentiment desc, pos desc limit 2)
        union all
        select 1, m.id, m.source, null, null, m.title, m.body, m.url, m.author, m.at, m.sentiment, m.engagement,
          null, m.rating, null, m.themes, m.feature_keys, m.pos
        from m
        where m.pos <= ${limit}
          or m.pos in (select pos from m where sentiment is not null order by sentiment, pos limit 2)
          or m.pos in (select pos from m where sentiment is not null order by sentiment desc, pos desc limit 2)
          or m.pos in (select pos from m where engagement > 0 order by engagement desc, pos limit 2)
        order by 1, pos`,
  );
  const items = rows.map((r) => (Number(r.kind) === 0 ? commentItem(r) : mentionItem(r)));
  return pickNotable(items, limit);
}

/** The sources of a product's survey responses and mentions (for filter pickers). */
export async function listVoiceSources(
  db: Db,
  productId: number,
): Promise<{ surveys: string[]; mentions: string[] }> {
  const s = await queryRows<{ source: string }>(
    db,
    sql`select distinct source from survey_responses where product_id = ${productId} order by 1`,
  );
  const m = await queryRows<{ source: string }>(
    db,
    sql`select distinct source from mentions where product_id = ${productId} order by 1`,
  );
  return { surveys: s.map((r) => r.source), mentions: m.map((r) => r.source) };
}

/** A product's configured theme names. */
export async function listThemeNames(db: Db, productId: number): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from themes where product_id = ${productId} order by name`,
  );
  return rows.map((r) => r.name);
}
