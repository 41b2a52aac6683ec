import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";

/** Columns of an `event_actor_days` row computed from events `e` joined to their product `p`. */
const ROLLUP_SELECT = sql.raw(`e.product_id, (e.timestamp at time zone p.timezone)::date as day, e.event,
  coalesce(e.user_id, '') as user_id,
  case when e.user_id is null then coalesce(e.anonymous_id, '') else '' end as anonymous_id,
  count(*)::int, (count(*) filter (where e.type = 'page'))::int, min(e.timestamp)`);

/**
 * Weeks a key's activity mask follows (`actor_key_first_days.weeks_monday`,
 * `weeks_sunday`): bit n = active in the n-th week after the first day's week.
 * Equal to RETENTION_WEEKS (lib/metrics/retention.ts); migration 0004 spells it out.
 */
export const KEY_MASK_WEEKS = 12;

/**
 * SQL (raw, over column expressions of this module) for the first day of the
 * Monday or Sunday week of date `d`: integer arithmetic from a Monday (3 Jan
 * 2000) or a Sunday (2 Jan 2000), cheaper than `extract` per row.
 */
export function weekStartOf(d: string, start: "monday" | "sunday"): string {
  const origin = start === "monday" ? "2000-01-03" : "2000-01-02";
  return `(${d} - ((${d} - date '${origin}') % 7 + 7) % 7)`;
}

/** Bit of the week of day `day` in a mask based on the week of day `first` (0 past the mask). */
function weekBit(day: string, first: string, start: "monday" | "sunday"): string {
  const gap = `(${weekStartOf(day, start)} - ${weekStartOf(first, start)})`;
  return `case when ${gap} < ${7 * KEY_MASK_WEEKS} then 1 << (${gap} / 7) else 0 end`;
}

/**
 * Per raw key, from `src` (a relation of product_id, user_id, anonymous_id,
 * day: the key's active local days, repeats allowed): its first day and its
 * Monday and Sunday week masks (see db/schema/rollups.ts). `src` is SQL of this module.
 */
function keyFirstDaysFrom(src: SQL): SQL {
  return sql`select k.product_id, k.user_id, k.anonymous_id, k.first_day,
      bit_or(${sql.raw(weekBit("k.day", "k.first_day", "monday"))})::int2,
      bit_or(${sql.raw(weekBit("k.day", "k.first_day", "sunday"))})::int2
    from (
      select d.*, min(d.day) over (partition by d.product_id, d.user_id, d.anonymous_id) as first_day
      from (select distinct s.product_id, s.user_id, s.anonymous_id, s.day from ${src} s) d
    ) k
    group by 1, 2, 3, 4`;
}

/** The upsert's merge of a week mask: both masks re-based on the earlier of the two first days. */
function mergedMask(column: string, start: "monday" | "sunday"): string {
  const t = "actor_key_first_days";
  const first = `least(${t}.first_day, excluded.first_day)`;
  const shifted = (mask: string, day: string) => {
    const gap = `(${weekStartOf(day, start)} - ${weekStartOf(first, start)})`;
    return `case when ${gap} < ${7 * KEY_MASK_WEEKS} then ${mask}::int << (${gap} / 7) else 0 end`;
  };
  return `((${shifted(`${t}.${column}`, `${t}.first_day`)}) | (${shifted(`excluded.${column}`, "excluded.first_day")})) & ${(1 << KEY_MASK_WEEKS) - 1}`;
}

/**
 * The person of a rollup row `alias` (columns product_id, user_id,
 * anonymous_id) as the statement sees the links: its user id, else the user
 * id its anonymous id is linked to, else the anonymous id. With
 * `batchLinks`, the statement's own new links (the CTE `linked` of
 * ROLLUP_CTES_FROM_INS) come first: a statement does not see the rows its
 * sibling CTEs insert. `alias` is a fixed name of this module.
 */
function keyActor(alias: string, options: { batchLinks?: boolean } = {}): SQL {
  const a = sql.raw(alias);
  const own = options.batchLinks
    ? sql`(select l.user_id from linked l where l.anonymous_id = ${a}.anonymous_id), `
    : sql``;
  return sql`coalesce(nullif(${a}.user_id, ''), ${own}(
      select i.user_id from identities i where i.product_id = ${a}.product_id and i.anonymous_id = ${a}.anonymous_id),
    ${a}.anonymous_id)`;
}

/** A gap of this much or more between two of an actor's events starts a new session. */
export const SESSION_GAP = sql.raw(`interval '30 minutes'`);

/**
 * Session pieces of the events in `src` (a relation with product_id,
 * timestamp, type, user_id, anonymous_id): per product, local day and raw
 * key, each run of events with gaps under 30 minutes. Identify events are not
 * activity. `src` is SQL built by this module (a CTE name or a product-scoped
 * subquery), never user input.
 */
export function sessionPiecesFrom(src: SQL): SQL {
  return sql`select product_id, day, user_id, anonymous_id, min(ts) as start_at, max(ts) as end_at,
      count(*)::int as events, (count(*) filter (where type = 'page'))::int as pageviews
    from (
      select m.*, sum(m.opens) over (partition by m.product_id, m.day, m.user_id, m.anonymous_id order by m.ts
          rows between unbounded preceding and current row) as piece
      from (
        select k.*, case when k.ts - lag(k.ts) over (partition by k.product_id, k.day, k.user_id, k.anonymous_id
            order by k.ts) < ${SESSION_GAP} then 0 else 1 end as opens
        from (
          select s.product_id, (s.timestamp at time zone p.timezone)::date as day,
            coalesce(s.user_id, '') as user_id,
            case when s.user_id is null then coalesce(s.anonymous_id, '') else '' end as anonymous_id,
            s.timestamp as ts, s.type
          from ${src} s join products p on p.id = s.product_id
          where s.type <> 'identify'
        ) k
      ) m
    ) n
    group by product_id, day, user_id, anonymous_id, piece`;
}

/**
 * Merge intervals: rows of `src` (start_at, end_at, events, pageviews plus the
 * `partition` columns) that belong to one partition and lie less than 30
 * minutes apart are joined, sweeping in start order against the latest end
 * seen so far. Each input row must itself be a run of events with gaps under
 * 30 minutes; then the output is exactly the runs of the union of their
 * events. `partition` is a fixed column list of this module.
 */
export function mergePieces(src: SQL, partition: string): SQL {
  const by = sql.raw(partition);
  return sql`select ${by}, min(start_at) as start_at, max(end_at) as end_at,
      sum(events)::int as events, sum(pageviews)::int as pageviews
    from (
      select x.*, sum(case when x.prev_end is not null and x.start_at - x.prev_end < ${SESSION_GAP} then 0 else 1 end)
          over (partition by ${by} order by x.start_at, x.end_at rows between unbounded preceding and current row)
          as merged
      from (
        select q.*, max(q.end_at) over (partition by ${by} order by q.start_at, q.end_at
            rows between unbounded preceding and 1 preceding) as prev_end
        from (${src}) q
      ) x
    ) y
    group by ${by}, merged`;
}

/**
 * The rollup-maintaining CTEs of writeEvents' single insert statement, given
 * the rows just inserted as the CTE `ins` (RETURNING product_id, timestamp,
 * event, type, user_id, anonymous_id; skipped duplicates are not in it):
 * the per-day activity (`event_actor_days`), each raw key's first day per
 * event name (`event_key_first_days`, from the activity rows the batch
 * touched), each raw key's first active day and 12-week activity masks
 * (`actor_key_first_days`) and the session pieces (`session_pieces`, appended
 * uncompacted). New rows of all four get their person through the statement's
 * own new links, the CTE `linked` (RETURNING anonymous_id, user_id), and the
 * links committed before it (keyActor). Rows are taken in key order so
 * concurrent batches lock in the same order. Identify events are not activity.
 */
export const ROLLUP_CTES_FROM_INS = sql`
  rolled as (
    insert into event_actor_days (product_id, day, event, user_id, anonymous_id, events, pageviews, first_at, actor)
    select x.*, ${keyActor("x", { batchLinks: true })}
    from (
      select i.product_id, (i.timestamp at time zone p.timezone)::date as day, i.event,
        coalesce(i.user_id, '') as user_id,
        case when i.user_id is null then coalesce(i.anonymous_id, '') else '' end as anonymous_id,
        count(*)::int, (count(*) filter (where i.type = 'page'))::int, min(i.timestamp)
      from ins i join products p on p.id = i.product_id
      where i.type <> 'identify'
      group by 1, 2, 3, 4, 5
    ) x
    order by 1, 2, 3, 4, 5
    -- An existing row keeps its person: the same links resolved it, or a pending one the repair applies.
    on conflict (product_id, day, event, user_id, anonymous_id) do update
      set events = event_actor_days.events + excluded.events,
          pageviews = event_actor_days.pageviews + excluded.pageviews,
          first_at = least(event_actor_days.first_at, excluded.first_at)
    returning product_id, day, event, user_id, anonymous_id
  ),
  first_used as (
    insert into event_key_first_days (product_id, user_id, anonymous_id, event, first_day, actor)
    select x.*, ${keyActor("x", { batchLinks: true })}
    from (
      select r.product_id, r.user_id, r.anonymous_id, r.event, min(r.day) from rolled r
      -- Most keys sent the event before: skip them here, so the upsert neither locks nor rewrites their rows.
      where not exists (
        select 1 from event_key_first_days k
        where k.product_id = r.product_id and k.user_id = r.user_id and k.anonymous_id = r.anonymous_id
          and k.event = r.event and k.first_day <= r.day)
      group by 1, 2, 3, 4
    ) x
    order by 1, 2, 3, 4
    on conflict (product_id, user_id, anonymous_id, event) do update
      set first_day = excluded.first_day
      where excluded.first_day < event_key_first_days.first_day
  ),
  first_seen as (
    insert into actor_key_first_days (product_id, user_id, anonymous_id, first_day, weeks_monday, weeks_sunday, actor)
    select f.*, ${keyActor("f", { batchLinks: true })}
    from (${keyFirstDaysFrom(sql`(
      select i.product_id, coalesce(i.user_id, '') as user_id,
        case when i.user_id is null then coalesce(i.anonymous_id, '') else '' end as anonymous_id,
        (i.timestamp at time zone p.timezone)::date as day
      from ins i join products p on p.id = i.product_id
      where i.type <> 'identify')`)}) f
    order by 1, 2, 3
    on conflict (product_id, user_id, anonymous_id) do update
      set first_day = least(actor_key_first_days.first_day, excluded.first_day),
          weeks_monday = (${sql.raw(mergedMask("weeks_monday", "monday"))})::int2,
          weeks_sunday = (${sql.raw(mergedMask("weeks_sunday", "sunday"))})::int2
  ),
  pieces as (
    insert into session_pieces (product_id, day, user_id, anonymous_id, start_at, end_at, events, pageviews, actor)
    select x.*, ${keyActor("x", { batchLinks: true })}
    from (${sessionPiecesFrom(sql.raw("ins"))}) x
  )`;

/**
 * Merge a product's uncompacted session pieces with the other pieces of the
 * same raw key and day, so that a key-day holds one piece per run of events.
 * Exactness never depends on it (queries merge pieces anyway); it keeps the
 * table about the size of the number of visits when events arrive a few at a
 * time. One statement, so no explicit transaction (postgres.js crashes the
 * process when a transaction's connection dies under it,
 * porsager/postgres#1208, and this runs on the app's timer): the pieces it
 * deletes are exactly those it merges, so pieces written concurrently are
 * left for the next pass, and a compaction that finds another one of the same
 * product holding the advisory lock does nothing. Returns the pieces merged.
 */
export async function compactSessionPieces(db: Db, productId: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with locked as (
          select pg_try_advisory_xact_lock(4242, ${productId}) as ok
        ), keys as (
          select distinct s.day, s.user_id, s.anonymous_id from session_pieces s, locked l
          where l.ok and s.product_id = ${productId} and not s.compacted
        ), gone as (
          delete from session_pieces s using keys k
          where s.product_id = ${productId} and s.day = k.day and s.user_id = k.user_id
            and s.anonymous_id = k.anonymous_id
          returning s.product_id, s.day, s.user_id, s.anonymous_id, s.start_at, s.end_at, s.events, s.pageviews
        ), merged as (
          insert into session_pieces
            (product_id, day, user_id, anonymous_id, start_at, end_at, events, pageviews, compacted, actor)
          select m.product_id, m.day, m.user_id, m.anonymous_id, m.start_at, m.end_at, m.events, m.pageviews, true,
            ${keyActor("m")}
          from (${mergePieces(sql`select * from gone`, "product_id, day, user_id, anonymous_id")}) m
        )
        select count(*)::int as n from gone`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Recompute a product's rollups from its raw events, e.g. after its time zone
 * changed (days are bucketed in the product's zone when events are written).
 */
export async function rebuildEventRollups(db: Db, productId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await queryRows(t, sql`delete from event_actor_days where product_id = ${productId}`);
    await queryRows(
      t,
      sql`insert into event_actor_days (product_id, day, event, user_id, anonymous_id, events, pageviews, first_at, actor)
          select x.*, ${keyActor("x")}
          from (
            select ${ROLLUP_SELECT}
            from events e join products p on p.id = e.product_id
            where e.product_id = ${productId} and e.type <> 'identify'
            group by 1, 2, 3, 4, 5
          ) x`,
    );
    await queryRows(t, sql`delete from event_key_first_days where product_id = ${productId}`);
    await queryRows(
      t,
      sql`insert into event_key_first_days (product_id, user_id, anonymous_id, event, first_day, actor)
          select product_id, user_id, anonymous_id, event, min(day), min(actor) from event_actor_days
          where product_id = ${productId} group by 1, 2, 3, 4`,
    );
    await queryRows(t, sql`delete from actor_key_first_days where product_id = ${productId}`);
    await queryRows(
      t,
      sql`insert into actor_key_first_days
            (product_id, user_id, anonymous_id, first_day, weeks_monday, weeks_sunday, actor)
          select k.*, ${keyActor("k")}
          from (${keyFirstDaysFrom(sql`(select product_id, user_id, anonymous_id, day from event_actor_days where product_id = ${productId})`)}) k`,
    );
    await queryRows(t, sql`delete from session_pieces where product_id = ${productId}`);
    await queryRows(
      t,
      sql`insert into session_pieces
            (product_id, day, user_id, anonymous_id, start_at, end_at, events, pageviews, compacted, actor)
          select product_id, day, user_id, anonymous_id, start_at, end_at, events, pageviews, true, ${keyActor("x")}
          from (${sessionPiecesFrom(sql`(select * from events where product_id = ${productId})`)}) x`,
    );
  });
}

/**
 * Apply pending identity links to the session pieces and activity rows written before them, so
 * that queries need only the few links still pending (lib/queries/stored-actor.ts).
 * A statement that wrote pieces of the anonymous id without seeing a link began
 * before the link committed; a link is therefore repaired once no transaction
 * that began before this pass first saw it is still running (same database,
 * `pg_stat_activity.xact_start`; every writer connects with the app's role).
 * One statement: it marks the links it sees for the first time, and repairs
 * and clears those seen by an earlier pass. Safe to run at any time, from any
 * process, as often as wanted; returns the links cleared.
 */
export async function repairPendingLinks(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with fence as (
          select coalesce(min(a.xact_start), now()) as t from pg_stat_activity a
          where a.datname = current_database() and a.pid <> pg_backend_pid() and a.xact_start is not null
        ), seen as (
          update identities set seen_at = now() where pending and seen_at is null
        ), ready as (
          select i.product_id, i.anonymous_id, i.user_id from identities i, fence f
          where i.pending and i.seen_at < f.t
        ), repaired as (
          update session_pieces s set actor = r.user_id from ready r
          where s.product_id = r.product_id and s.user_id = '' and s.anonymous_id = r.anonymous_id
            and s.actor <> r.user_id
        ), days as (
          select distinct r.product_id, r.anonymous_id, r.user_id, s.day from ready r
          join session_pieces s on s.product_id = r.product_id and s.user_id = '' and s.anonymous_id = r.anonymous_id
        ), targets as materialized (
          -- The anonymous id's activity rows, as whole primary keys: its pieces' days times the events it
          -- sent by then (every activity row has a piece that day and a first day of its event), one
          -- relation, so each row can be one probe of all five key columns. With statistics that still
          -- describe a bulk load's first batches the planner probes by (event, day) instead and reads
          -- every row of the day: runIngest runs analyzeRollups before this.
          select d.product_id, d.day, k.event, d.anonymous_id, d.user_id from days d
          cross join lateral (
            select k.event from event_key_first_days k
            where k.product_id = d.product_id and k.user_id = '' and k.anonymous_id = d.anonymous_id
              and k.first_day <= d.day
          ) k
        ), rows_repaired as (
          update event_actor_days a set actor = t.user_id from targets t
          where a.product_id = t.product_id and a.day = t.day and a.event = t.event and a.user_id = ''
            and a.anonymous_id = t.anonymous_id and a.actor <> t.user_id
        ), firsts_repaired as (
          update event_key_first_days k set actor = r.user_id from ready r
          where k.product_id = r.product_id and k.user_id = '' and k.anonymous_id = r.anonymous_id
            and k.actor <> r.user_id
        ), keys_repaired as (
          update actor_key_first_days k set actor = r.user_id from ready r
          where k.product_id = r.product_id and k.user_id = '' and k.anonymous_id = r.anonymous_id
            and k.actor <> r.user_id
        ), cleared as (
          update identities i set pending = false from ready r
          where i.product_id = r.product_id and i.anonymous_id = r.anonymous_id
          returning 1
        )
        select count(*)::int as n from cleared`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Refresh the planner statistics of the links and the rollups (sampled: under a
 * second at 10M events). After a bulk import they still describe the first
 * batches until autovacuum catches up, and the link repair then plans probes
 * by day that read every row of the day.
 */
export async function analyzeRollups(db: Db): Promise<void> {
  await queryRows(
    db,
    sql`analyze identities, session_pieces, event_actor_days, event_key_first_days, actor_key_first_days`,
  );
}

/**
 * Apply the identity links written so far to the session pieces and
 * activity rows written before them (two passes: the first marks the links it sees, the second
 * repairs them unless an older transaction still runs). Queries are exact
 * either way, only slower while links are pending, so a failure here (the
 * next run or the app's timer repairs) is not the run's.
 */
export async function applyPendingLinks(db: Db): Promise<void> {
  try {
    await repairPendingLinks(db);
    await repairPendingLinks(db);
  } catch {
    // Left pending: see above.
  }
}
