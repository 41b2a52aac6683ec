import { tzOffset } from "@date-fns/tz";
import type { NormalizedEvent, NormalizedMention, NormalizedSurveyResponse } from "../../ingest/normalized";

/*
 * Deterministic demo portfolio: three products with visitors, sign-ups, feature
 * usage, surveys and social mentions. Pure: no I/O, no clock, no Math.random.
 * Every generator re-derives its own PRNG sub-stream, so calling them in any
 * order (or twice) yields identical sequences.
 */

// ---------------------------------------------------------------------------
// Public API

/** Options of {@link generateDemo}. */
export interface DemoOptions {
  /** PRNG seed; the same seed and `end` give the same data. Default 42. */
  seed?: number;
  /** Length of the covered range in days. Default 120. */
  days?: number;
  /** Anchor instant: data covers `[end - days, end)`. */
  end: Date;
  /** Multiplies visitor volume (events scale roughly linearly). Default 1. */
  scale?: number;
}

/** A demo product with the configuration rows the loader stores beside it. */
export interface DemoProduct {
  slug: string;
  name: string;
  timezone: string;
  weekStart: "monday" | "sunday";
  features: { key: string; name: string; description: string; eventNames: string[]; keywords: string[] }[];
  themes: { name: string; keywords: string[] }[];
  annotations: { occurredAt: Date; kind: "release"; title: string; description: string }[];
  /** Goal event names, e.g. ["signed_up", "subscription_started"]. */
  goals: string[];
  /** The product's acquisition funnel as ordered event names (step 1 is "pageview"). */
  funnel: { name: string; steps: string[] };
}

/** Mention sources the demo produces; each is loaded as its own run. */
export type DemoMentionSource = "hn" | "reddit" | "x" | "appstore" | "googleplay" | "rss";

/** The generated portfolio. Generators keep memory bounded (events are yielded day by day). */
export interface DemoDataset {
  products: DemoProduct[];
  /** Analytics events of one product, roughly in time order, message ids `demo-<slug>-<n>`. */
  events(slug: string): Generator<NormalizedEvent>;
  /** NPS, CSAT and free-text survey responses of one product. */
  surveys(slug: string): Generator<NormalizedSurveyResponse>;
  /** Posts, comments and store reviews about one product, with their source. */
  mentions(slug: string): Generator<{ source: DemoMentionSource; mention: NormalizedMention }>;
}

/**
 * Build the demo portfolio for `[end - days, end)`. Nothing is generated until a
 * generator is iterated.
 * @throws RangeError when `end`, `days` or `scale` is invalid, Error for an unknown slug.
 */
export function generateDemo(options: DemoOptions): DemoDataset {
  const ctx = resolveContext(options);
  const windows = new Map(PRODUCTS.map((spec) => [spec.slug, buildWindow(spec, ctx)]));
  const lookup = (slug: string): [ProductSpec, Window] => {
    const spec = PRODUCTS.find((p) => p.slug === slug);
    const win = windows.get(slug);
    if (!spec || !win) throw new Error(`unknown demo product "${slug}"`);
    return [spec, win];
  };
  return {
    products: PRODUCTS.map((spec) => describeProduct(spec, lookup(spec.slug)[1])),
    events: (slug) => generateEvents(...lookup(slug), ctx),
    surveys: (slug) => generateSurveys(...lookup(slug), ctx),
    mentions: (slug) => generateMentions(...lookup(slug), ctx),
  };
}

// ---------------------------------------------------------------------------
// PRNG

type Rng = () => number;
type Weighted<T> = readonly (readonly [T, number])[];

/** FNV-1a over the joined parts, then a murmur3 finaliser for avalanche. */
function hashParts(...parts: (string | number)[]): number {
  const text = parts.join("|");
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32): the demo data and the randomized tests draw from it. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent, reproducible stream for one purpose (product, generator, person-day...). */
function streamFor(...parts: (string | number)[]): Rng {
  return mulberry32(hashParts(...parts));
}

/** A stable uniform [0, 1) for a key, without consuming any stream. */
function unitHash(...parts: (string | number)[]): number {
  return hashParts(...parts) / 4294967296;
}

function between(r: Rng, min: number, max: number): number {
  return min + r() * (max - min);
}

function intBetween(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

function chance(r: Rng, p: number): boolean {
  return r() < p;
}

function pick<T>(r: Rng, items: readonly T[]): T {
  const item = items[Math.floor(r() * items.length)];
  if (item === undefined) throw new Error("cannot pick from an empty list");
  return item;
}

function pickWeighted<T>(r: Rng, items: Weighted<T>): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error("cannot pick from an empty list");
  return last[0];
}

/** An index drawn with probability proportional to its weight. */
function pickIndex(r: Rng, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let x = r() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/** A key of a `{ key: weight }` record. */
function pickKey<K extends string>(r: Rng, weights: Partial<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  return pickWeighted(r, entries);
}

function normal(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function poisson(r: Rng, lambda: number): number {
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(r)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = r(); p > limit; p *= r()) k++;
  return k;
}

// ---------------------------------------------------------------------------
// Time: local wall-clock days in the product's zone

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;

/**
 * Converts between UTC instants and wall-clock milliseconds ("local time as if
 * it were UTC"). Offsets are memoised per quarter hour: zones only change
 * offset on such boundaries, so the cache is exact, DST days included.
 */
class ZoneClock {
  private readonly offsets = new Map<number, number>();
  constructor(readonly timeZone: string) {}

  private offsetMs(utcMs: number): number {
    const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = tzOffset(this.timeZone, new Date(bucket * QUARTER_HOUR_MS)) * MINUTE_MS;
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  toWall(utcMs: number): number {
    return utcMs + this.offsetMs(utcMs);
  }

  /** Wall time to instant; a wall time skipped by DST lands just after the gap. */
  toUtc(wallMs: number): number {
    const guess = wallMs - this.offsetMs(wallMs);
    return wallMs - this.offsetMs(guess);
  }
}

interface Context {
  seed: number;
  days: number;
  scale: number;
  startMs: number;
  endMs: number;
}

/** The local calendar days of one product that overlap the range. */
interface Window {
  clock: ZoneClock;
  firstDayWall: number;
  dayCount: number;
  releaseDays: Map<string, number>;
  launchDay: number | null;
  spikeDays: number[];
}

function resolveContext(options: DemoOptions): Context {
  const endMs = options.end instanceof Date ? options.end.getTime() : Number.NaN;
  const days = options.days ?? 120;
  const scale = options.scale ?? 1;
  if (!Number.isFinite(endMs)) throw new RangeError("demo end must be a valid date");
  if (!Number.isInteger(days) || days < 1) throw new RangeError("demo days must be a positive integer");
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError("demo scale must be a positive number");
  return { seed: options.seed ?? 42, days, scale, startMs: endMs - days * DAY_MS, endMs };
}

function buildWindow(spec: ProductSpec, ctx: Context): Window {
  const clock = new ZoneClock(spec.timezone);
  const firstDayWall = floorDay(clock.toWall(ctx.startMs));
  const lastDayWall = floorDay(clock.toWall(ctx.endMs - 1));
  const dayCount = Math.round((lastDayWall - firstDayWall) / DAY_MS) + 1;
  const dayAt = (fraction: number) =>
    Math.min(dayCount - 1, Math.max(1, Math.round(fraction * (dayCount - 1))));
  const releaseDays = new Map<string, number>();
  for (const release of spec.releases)
    if (release.featureKey) releaseDays.set(release.featureKey, dayAt(release.at));
  const launchDay = spec.traffic.launch ? dayAt(spec.traffic.launch.at) : null;
  const spikeDays = spec.mentions.spikes.map((s) => dayAt(s.at));
  return { clock, firstDayWall, dayCount, releaseDays, launchDay, spikeDays };
}

function floorDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}

function dayWall(win: Window, day: number): number {
  return win.firstDayWall + day * DAY_MS;
}

function weekday(win: Window, day: number): number {
  return new Date(dayWall(win, day)).getUTCDay();
}

function progress(win: Window, day: number): number {
  return win.dayCount > 1 ? day / (win.dayCount - 1) : 1;
}

function inRange(ctx: Context, ms: number): boolean {
  return ms >= ctx.startMs && ms < ctx.endMs;
}

/** A random instant on a local day, its hour drawn from the product's daily profile. */
function timeOnDay(r: Rng, win: Window, day: number, hours: readonly number[]): number {
  const hour = pickIndex(r, hours);
  return dayWall(win, day) + hour * HOUR_MS + intBetween(r, 0, 3599) * 1000;
}

// ---------------------------------------------------------------------------
// Catalogue

interface FeatureSpec {
  key: string;
  name: string;
  description: string;
  eventNames: string[];
  keywords: string[];
  /** Share of activated users who use the feature. */
  adoption: number;
  /** Adoption before the release that launches it (a small beta), when a release names this feature. */
  betaAdoption?: number;
  /** Relative frequency among an adopter's feature events. */
  weight: number;
  props: (r: Rng) => Record<string, unknown>;
  complaints: string[];
  praise: string[];
}

interface ThemeSpec {
  name: string;
  keywords: string[];
  complaints: string[];
}

interface SpikeSpec {
  at: number;
  source: DemoMentionSource;
  /** Extra mentions per day from the spike day on. */
  extra: number[];
  mood: Mood;
  headline?: { title: string; body: string; engagement: number };
}

type Mood = readonly [positive: number, neutral: number, negative: number];

interface ProductSpec {
  slug: string;
  name: string;
  timezone: string;
  weekStart: "monday" | "sunday";
  domain: string;
  traffic: {
    endDau: number;
    growth: number;
    /** DAU factor by weekday, Sunday first. */
    weekdays: readonly number[];
    newShare: number;
    existingUsers: number;
    hours: readonly number[];
    noise: number;
    launch?: { at: number; boost: number; decayDays: number };
  };
  audience: { countries: Record<string, number>; devices: Record<Device, number> };
  funnel: {
    activation: string;
    purchase: string;
    signupRate: number;
    activationRate: number;
    payRate: number;
    currency: string;
    plans: Weighted<{ plan: string; value: number; interval: "month" | "year" }>;
  };
  pages: { marketing: Record<string, number>; app: readonly string[]; onboarding: string; billing: string };
  features: FeatureSpec[];
  themes: ThemeSpec[];
  releases: { at: number; title: string; description: string; featureKey?: string }[];
  voice: { praise: string[]; passive: string[]; competitors: string[]; useCase: string };
  survey: { daily: number; promoter: number; detractor: number; drift: number };
  mentions: {
    weekly: number;
    sources: Partial<Record<DemoMentionSource, number>>;
    mood: Mood;
    subreddits: string[];
    blogs: string[];
    spikes: SpikeSpec[];
  };
}

type Device = "desktop" | "mobile" | "tablet";

const OFFICE_HOURS = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 3, 6, 9, 10, 10, 7, 9, 10, 9, 8, 6, 4, 3, 3, 2, 1, 0.5,
];
const CONSUMER_HOURS = [1, 0.5, 0.3, 0.2, 0.3, 1, 4, 7, 6, 4, 3, 4, 5, 4, 3, 3, 4, 5, 6, 8, 9, 8, 5, 2];
const DEVELOPER_HOURS = [1.5, 1, 0.5, 0.3, 0.2, 0.3, 0.8, 2, 5, 8, 9, 9, 7, 8, 9, 9, 8, 7, 5, 4, 4, 4, 3, 2];

const COMMON_THEMES = {
  pricing: ["price", "pricing", "expensive", "cost", "plan", "renewal"],
  onboarding: ["onboarding", "setup", "getting started", "confusing", "tutorial"],
  performance: ["slow", "lag", "loading", "timeout", "times out", "battery"],
  reliability: ["bug", "crash", "crashes", "error", "broken", "outage"],
  support: ["support", "help", "ticket", "response time"],
};

const ATLAS: ProductSpec = {
  slug: "atlas",
  name: "Atlas",
  timezone: "Europe/Berlin",
  weekStart: "monday",
  domain: "https://atlas.example.com",
  traffic: {
    endDau: 350,
    growth: 0.45,
    weekdays: [0.5, 1, 1.03, 1.03, 1, 0.9, 0.45],
    newShare: 0.12,
    existingUsers: 4,
    hours: OFFICE_HOURS,
    noise: 0.06,
  },
  audience: {
    countries: { DE: 30, GB: 12, FR: 10, US: 10, NL: 8, AT: 6, CH: 5, ES: 5, PL: 5, IT: 5, SE: 4 },
    devices: { desktop: 82, mobile: 13, tablet: 5 },
  },
  funnel: {
    activation: "project_created",
    purchase: "subscription_started",
    signupRate: 0.26,
    activationRate: 0.5,
    payRate: 0.33,
    currency: "EUR",
    plans: [
      [{ plan: "team", value: 49, interval: "month" }, 70],
      [{ plan: "business", value: 199, interval: "month" }, 30],
    ],
  },
  pages: {
    marketing: {
      "/": 30,
      "/pricing": 22,
      "/features": 14,
      "/customers": 8,
      "/blog/weekly-status-reports": 8,
      "/integrations": 8,
      "/security": 4,
    },
    app: ["/app/projects", "/app/board", "/app/reports", "/app/inbox", "/app/dashboards", "/app/settings"],
    onboarding: "/app/onboarding",
    billing: "/app/settings/billing",
  },
  features: [
    {
      key: "reports",
      name: "Reports",
      description: "Status, burndown and workload reports per project.",
      eventNames: ["report_viewed", "report_created"],
      keywords: ["report", "reports"],
      adoption: 0.95,
      weight: 5,
      props: (r) => ({ report_type: pick(r, ["status", "burndown", "velocity", "workload"]) }),
      complaints: [
        "Reports take forever to load once a project has more than a few hundred tasks.",
        "The report builder keeps losing my filters.",
      ],
      praise: [
        "The status reports save me an hour every Monday.",
        "Reports are clear enough to send straight to leadership.",
      ],
    },
    {
      key: "comments",
      name: "Comments",
      description: "Threaded comments on tasks.",
      eventNames: ["comment_added"],
      keywords: ["comment", "comments", "thread"],
      adoption: 0.55,
      weight: 3,
      props: (r) => ({ mentions: intBetween(r, 0, 2) }),
      complaints: ["Comment notifications arrive hours late, so threads go stale."],
      praise: ["Comment threads on tasks replaced half of our Slack messages."],
    },
    {
      key: "sharing",
      name: "Dashboard sharing",
      description: "Share a live dashboard with people outside the workspace.",
      eventNames: ["dashboard_shared"],
      keywords: ["share", "sharing", "shared dashboard"],
      adoption: 0.38,
      weight: 1,
      props: (r) => ({ audience: pick(r, ["team", "client", "public_link"]) }),
      complaints: ["Sharing a dashboard with a client still forces them to create an account."],
      praise: ["Sharing a live dashboard with clients is a killer feature."],
    },
    {
      key: "export",
      name: "CSV export",
      description: "Export tasks and reports to CSV.",
      eventNames: ["export_csv"],
      keywords: ["export", "csv"],
      adoption: 0.28,
      weight: 1,
      props: (r) => ({ rows: intBetween(r, 20, 20000), source: pick(r, ["report", "board"]) }),
      complaints: [
        "CSV export times out on large reports.",
        "The CSV export mangles umlauts and dates, we fix it by hand every week.",
      ],
      praise: ["CSV export handles our biggest projects without a hiccup."],
    },
    {
      key: "integrations",
      name: "Integrations",
      description: "Jira, Slack and GitHub sync.",
      eventNames: ["integration_connected", "integration_synced"],
      keywords: ["integration", "jira", "slack", "github"],
      adoption: 0.14,
      weight: 1,
      props: (r) => ({ provider: pick(r, ["slack", "jira", "github"]) }),
      complaints: ["The Jira integration silently stops syncing every few days."],
      praise: ["The Slack integration is great, updates land in the right channel."],
    },
    {
      key: "ai-summary",
      name: "AI summaries",
      description: "One-paragraph AI summary of a project's state.",
      eventNames: ["ai_summary_used"],
      keywords: ["ai summary", "summary", "summaries"],
      adoption: 0.42,
      betaAdoption: 0.04,
      weight: 2,
      props: (r) => ({ length: pick(r, ["short", "detailed"]) }),
      complaints: ["The AI summary invents deadlines that are not in the project."],
      praise: ["The AI summary of a project is scarily good, I read it instead of the board."],
    },
  ],
  themes: [
    {
      name: "pricing",
      keywords: COMMON_THEMES.pricing,
      complaints: [
        "Pricing jumped at renewal, we now pay 40% more for the same seats.",
        "Too expensive for a team of five.",
      ],
    },
    {
      name: "onboarding",
      keywords: COMMON_THEMES.onboarding,
      complaints: ["Onboarding was confusing, it took us a week to set up our first project."],
    },
    {
      name: "performance",
      keywords: COMMON_THEMES.performance,
      complaints: ["The board is slow and laggy with more than 500 tasks."],
    },
    {
      name: "reliability",
      keywords: COMMON_THEMES.reliability,
      complaints: ["We hit an outage during our sprint review, the board showed an error for an hour."],
    },
    {
      name: "support",
      keywords: COMMON_THEMES.support,
      complaints: ["Support took three days to answer a billing ticket."],
    },
  ],
  releases: [
    { at: 0.28, title: "CSV export rewrite", description: "Streaming CSV export for large reports." },
    {
      at: 0.6,
      title: "AI summaries GA",
      description: "AI project summaries are out of beta for every workspace.",
      featureKey: "ai-summary",
    },
  ],
  voice: {
    praise: [
      "Atlas keeps the whole team on the same page.",
      "Love how fast Atlas is to set up for a new client.",
    ],
    passive: ["Solid tool, a few rough edges.", "Does the job, but the mobile view needs work."],
    competitors: ["Asana", "Jira", "Linear", "Monday.com"],
    useCase: "client project reporting",
  },
  survey: { daily: 3.2, promoter: 0.47, detractor: 0.2, drift: 0.07 },
  mentions: {
    weekly: 5,
    sources: { hn: 2, reddit: 4, x: 4, rss: 1 },
    mood: [0.45, 0.25, 0.3],
    subreddits: ["projectmanagement", "SaaS", "agile"],
    blogs: ["saasroundup.example.com", "pmweekly.example.com"],
    spikes: [
      {
        at: 0.35,
        source: "reddit",
        extra: [6, 4, 2, 1],
        mood: [0.15, 0.25, 0.6],
        headline: {
          title: "Atlas just raised prices by 40% for existing customers",
          body: "Got the renewal email today. Pricing jumped from 35 to 49 per seat with no new features. Anyone moving off Atlas?",
          engagement: 486,
        },
      },
    ],
  },
};

const PULSE: ProductSpec = {
  slug: "pulse",
  name: "Pulse",
  timezone: "America/New_York",
  weekStart: "sunday",
  domain: "https://pulse.example.com",
  traffic: {
    endDau: 180,
    growth: 0.6,
    weekdays: [0.97, 1.03, 1, 1, 0.98, 0.9, 0.92],
    newShare: 0.15,
    existingUsers: 4,
    hours: CONSUMER_HOURS,
    noise: 0.09,
  },
  audience: {
    countries: { US: 55, CA: 9, GB: 9, AU: 5, MX: 5, BR: 5, IN: 5, DE: 4, PH: 3 },
    devices: { mobile: 68, desktop: 22, tablet: 10 },
  },
  funnel: {
    activation: "habit_created",
    purchase: "purchase",
    signupRate: 0.24,
    activationRate: 0.55,
    payRate: 0.28,
    currency: "USD",
    plans: [
      [{ plan: "premium_monthly", value: 4.99, interval: "month" }, 55],
      [{ plan: "premium_annual", value: 39.99, interval: "year" }, 45],
    ],
  },
  pages: {
    marketing: { "/": 40, "/pricing": 18, "/features": 12, "/blog/morning-routine": 14, "/download": 16 },
    app: ["/app/today", "/app/habits", "/app/stats", "/app/journal", "/app/friends", "/app/settings"],
    onboarding: "/app/welcome",
    billing: "/app/premium",
  },
  features: [
    {
      key: "check-ins",
      name: "Daily check-ins",
      description: "Tick off habits for the day.",
      eventNames: ["habit_checked_in"],
      keywords: ["check-in", "check in", "habit"],
      adoption: 0.95,
      weight: 6,
      props: (r) => ({ habits: intBetween(r, 1, 6) }),
      complaints: ["Check-ins don't save when I'm offline, I lose my progress."],
      praise: ["Checking in every morning is the only habit routine that has ever stuck for me."],
    },
    {
      key: "reminders",
      name: "Reminders",
      description: "Scheduled nudges to do a habit.",
      eventNames: ["reminder_opened", "reminder_set"],
      keywords: ["reminder", "reminders", "notification", "notifications"],
      adoption: 0.5,
      weight: 2,
      props: (r) => ({ hour: intBetween(r, 6, 22) }),
      complaints: [
        "Reminders fire at the wrong time since daylight saving changed.",
        "Too many notifications, I turned them all off.",
      ],
      praise: ["The gentle reminders actually work without being annoying."],
    },
    {
      key: "streaks",
      name: "Streaks",
      description: "Streak counter, streak freezes and sharing.",
      eventNames: ["streak_viewed", "streak_shared"],
      keywords: ["streak", "streaks"],
      adoption: 0.45,
      betaAdoption: 0.08,
      weight: 2,
      props: (r) => ({ streak_days: intBetween(r, 1, 120) }),
      complaints: ["Lost a 90-day streak because of a sync bug, really demotivating."],
      praise: ["Streaks 2.0 is so motivating, sharing my streak with friends keeps me going."],
    },
    {
      key: "journal",
      name: "Journal",
      description: "Short journal entries after a check-in.",
      eventNames: ["journal_entry_added"],
      keywords: ["journal", "notes", "entry"],
      adoption: 0.25,
      weight: 2,
      props: (r) => ({ words: intBetween(r, 5, 300) }),
      complaints: ["The journal is slow to open and sometimes loses entries."],
      praise: ["I love the short journal prompts after each check-in."],
    },
    {
      key: "challenges",
      name: "Friend challenges",
      description: "30-day challenges with friends.",
      eventNames: ["challenge_joined", "challenge_completed"],
      keywords: ["challenge", "challenges", "friends"],
      adoption: 0.12,
      weight: 1,
      props: (r) => ({ participants: intBetween(r, 2, 8) }),
      complaints: ["Friend challenges are buggy, my friend never received the invite."],
      praise: ["Doing a 30-day challenge with my sister was the best part of Pulse."],
    },
    {
      key: "health-sync",
      name: "Health sync",
      description: "Apple Health and Google Fit sync.",
      eventNames: ["health_sync_enabled"],
      keywords: ["apple health", "google fit", "sync"],
      adoption: 0.08,
      weight: 0.5,
      props: (r) => ({ provider: pick(r, ["apple_health", "google_fit"]) }),
      complaints: ["Apple Health sync duplicates my workouts."],
      praise: ["Apple Health sync works flawlessly."],
    },
  ],
  themes: [
    {
      name: "pricing",
      keywords: COMMON_THEMES.pricing,
      complaints: ["Premium went from $29 to $39.99 a year, the pricing jumped with no new features."],
    },
    {
      name: "onboarding",
      keywords: COMMON_THEMES.onboarding,
      complaints: ["Onboarding asks too many questions before I can add a single habit, very confusing."],
    },
    {
      name: "performance",
      keywords: COMMON_THEMES.performance,
      complaints: ["The app got slow and drains my battery."],
    },
    {
      name: "reliability",
      keywords: COMMON_THEMES.reliability,
      complaints: ["The app crashes every time I open the stats tab."],
    },
    {
      name: "support",
      keywords: COMMON_THEMES.support,
      complaints: ["No response from support after a week."],
    },
  ],
  releases: [
    {
      at: 0.45,
      title: "Streaks 2.0",
      description: "Redesigned streaks with sharing and streak freezes.",
      featureKey: "streaks",
    },
  ],
  voice: {
    praise: [
      "Pulse is simple and beautiful, exactly what I needed.",
      "Best habit app I have tried, and I tried them all.",
    ],
    passive: [
      "Nice app, but I wish the widgets were customisable.",
      "Good, though premium feels a bit thin.",
    ],
    competitors: ["Habitica", "Streaks", "Fabulous"],
    useCase: "building a morning routine",
  },
  survey: { daily: 2.6, promoter: 0.48, detractor: 0.2, drift: -0.04 },
  mentions: {
    weekly: 7,
    sources: { reddit: 3, x: 4, appstore: 4, googleplay: 3, rss: 1 },
    mood: [0.5, 0.2, 0.3],
    subreddits: ["getdisciplined", "productivity", "habits"],
    blogs: ["appadvice.example.com", "wellnesstech.example.com"],
    spikes: [{ at: 0.46, source: "appstore", extra: [5, 4, 3, 2, 1], mood: [0.7, 0.15, 0.15] }],
  },
};

const FORGE: ProductSpec = {
  slug: "forge",
  name: "Forge",
  timezone: "Australia/Sydney",
  weekStart: "monday",
  domain: "https://forge.example.dev",
  traffic: {
    endDau: 90,
    growth: 0.35,
    weekdays: [0.6, 1, 1.03, 1.03, 1, 0.92, 0.55],
    newShare: 0.13,
    existingUsers: 4,
    hours: DEVELOPER_HOURS,
    noise: 0.1,
    launch: { at: 0.55, boost: 2.5, decayDays: 3 },
  },
  audience: {
    countries: { AU: 28, US: 22, GB: 8, IN: 8, DE: 7, NZ: 6, SG: 5, JP: 5, CA: 5, NL: 3, BR: 3 },
    devices: { desktop: 92, mobile: 7, tablet: 1 },
  },
  funnel: {
    activation: "repo_connected",
    purchase: "subscription_started",
    signupRate: 0.28,
    activationRate: 0.55,
    payRate: 0.3,
    currency: "USD",
    plans: [
      [{ plan: "pro", value: 20, interval: "month" }, 70],
      [{ plan: "team", value: 99, interval: "month" }, 30],
    ],
  },
  pages: {
    marketing: {
      "/": 30,
      "/pricing": 18,
      "/docs": 22,
      "/docs/remote-cache": 10,
      "/blog/monorepo-ci": 10,
      "/changelog": 10,
    },
    app: ["/app/builds", "/app/pipelines", "/app/cache", "/app/deployments", "/app/settings"],
    onboarding: "/app/connect-repo",
    billing: "/app/settings/billing",
  },
  features: [
    {
      key: "builds",
      name: "Builds",
      description: "Run and inspect CI builds.",
      eventNames: ["build_completed", "build_started"],
      keywords: ["build", "builds", "pipeline"],
      adoption: 0.95,
      weight: 6,
      props: (r) => ({
        duration_s: intBetween(r, 40, 900),
        status: pick(r, ["passed", "passed", "passed", "failed"]),
      }),
      complaints: [
        "Builds queue for minutes during peak hours, the pipeline is slow.",
        "Build logs get truncated when a step fails.",
      ],
      praise: ["Builds are fast and the logs are actually readable."],
    },
    {
      key: "cli",
      name: "CLI",
      description: "The forge command-line tool.",
      eventNames: ["cli_command_run"],
      keywords: ["cli", "terminal", "command line"],
      adoption: 0.5,
      weight: 3,
      props: (r) => ({ command: pick(r, ["run", "logs", "login", "cache status"]) }),
      complaints: ["The CLI login flow breaks on headless machines."],
      praise: ["The CLI is lovely, forge run just works."],
    },
    {
      key: "remote-cache",
      name: "Remote cache",
      description: "Shared build cache across machines and branches.",
      eventNames: ["cache_restored", "remote_cache_enabled"],
      keywords: ["cache", "remote cache", "caching"],
      adoption: 0.4,
      betaAdoption: 0.05,
      weight: 3,
      props: (r) => ({ hit_rate: Math.round(between(r, 0.4, 0.98) * 100) / 100 }),
      complaints: ["Remote cache misses on every branch, so it barely helps."],
      praise: ["Remote cache cut our CI time from 14 minutes to 3."],
    },
    {
      key: "previews",
      name: "Preview deploys",
      description: "A preview deployment for every pull request.",
      eventNames: ["preview_deployed"],
      keywords: ["preview", "deploy", "deployment"],
      adoption: 0.22,
      weight: 1,
      props: (r) => ({ framework: pick(r, ["next", "vite", "astro", "remix"]) }),
      complaints: ["Preview deploys take ages to tear down and clutter the PR."],
      praise: ["Preview deploys on every PR make reviews so much easier."],
    },
    {
      key: "secrets",
      name: "Secrets",
      description: "Encrypted secrets per environment.",
      eventNames: ["secret_added"],
      keywords: ["secret", "secrets", "env vars"],
      adoption: 0.12,
      weight: 0.5,
      props: (r) => ({ environment: pick(r, ["production", "staging", "preview"]) }),
      complaints: ["Rotating secrets is clunky, there is no bulk edit for env vars."],
      praise: ["Managing secrets per environment is straightforward."],
    },
    {
      key: "flaky-tests",
      name: "Flaky test insights",
      description: "Detects tests that fail intermittently.",
      eventNames: ["flaky_test_detected"],
      keywords: ["flaky", "flaky tests", "test insights"],
      adoption: 0.07,
      weight: 0.5,
      props: (r) => ({ tests: intBetween(r, 1, 12) }),
      complaints: ["Flaky test detection flags tests that are perfectly fine."],
      praise: ["Flaky test insights found three tests we had been rerunning for months."],
    },
  ],
  themes: [
    {
      name: "pricing",
      keywords: COMMON_THEMES.pricing,
      complaints: ["Build minutes get expensive fast, the pricing punishes monorepos."],
    },
    {
      name: "onboarding",
      keywords: COMMON_THEMES.onboarding,
      complaints: ["Setup was confusing, the docs skip the monorepo case."],
    },
    {
      name: "performance",
      keywords: COMMON_THEMES.performance,
      complaints: ["The dashboard is slow to load build history."],
    },
    {
      name: "reliability",
      keywords: COMMON_THEMES.reliability,
      complaints: ["Two outages this month, our deploys were broken for hours."],
    },
    {
      name: "support",
      keywords: COMMON_THEMES.support,
      complaints: ["Support only answers on the forum, no ticket system."],
    },
  ],
  releases: [
    {
      at: 0.55,
      title: "Remote cache launch",
      description: "Remote build cache available on every plan.",
      featureKey: "remote-cache",
    },
  ],
  voice: {
    praise: [
      "Forge is the first CI I don't have to babysit.",
      "Great developer experience, docs are excellent.",
    ],
    passive: [
      "Works well, but pricing for build minutes is unclear.",
      "Good, would love self-hosted runners.",
    ],
    competitors: ["GitHub Actions", "CircleCI", "Buildkite"],
    useCase: "monorepo CI",
  },
  survey: { daily: 1.6, promoter: 0.5, detractor: 0.19, drift: 0.04 },
  mentions: {
    weekly: 4,
    sources: { hn: 4, reddit: 3, x: 4, rss: 1 },
    mood: [0.45, 0.3, 0.25],
    subreddits: ["devops", "programming", "ExperiencedDevs"],
    blogs: ["devtoolsdigest.example.com", "thestack.example.dev"],
    spikes: [
      {
        at: 0.55,
        source: "hn",
        extra: [16, 8, 4, 2],
        mood: [0.5, 0.3, 0.2],
        headline: {
          title: "Show HN: Forge – a remote build cache that makes CI 4x faster",
          body: "Hi HN, we built Forge after years of waiting on CI. Today we are launching the remote cache on every plan.",
          engagement: 412,
        },
      },
    ],
  },
};

const PRODUCTS: readonly ProductSpec[] = [ATLAS, PULSE, FORGE];

function describeProduct(spec: ProductSpec, win: Window): DemoProduct {
  const annotations = spec.releases.map((release) => {
    const day = Math.min(win.dayCount - 1, Math.max(1, Math.round(release.at * (win.dayCount - 1))));
    const occurredAt = new Date(win.clock.toUtc(dayWall(win, day) + 10 * HOUR_MS));
    return { occurredAt, kind: "release" as const, title: release.title, description: release.description };
  });
  return {
    slug: spec.slug,
    name: spec.name,
    timezone: spec.timezone,
    weekStart: spec.weekStart,
    features: spec.features.map((f) => ({
      key: f.key,
      name: f.name,
      description: f.description,
      eventNames: [...f.eventNames],
      keywords: [...f.keywords],
    })),
    themes: spec.themes.map((t) => ({ name: t.name, keywords: [...t.keywords] })),
    annotations,
    goals: ["signed_up", spec.funnel.purchase],
    funnel: {
      name: "Visit to paid",
      steps: ["pageview", "signed_up", spec.funnel.activation, spec.funnel.purchase],
    },
  };
}

// ---------------------------------------------------------------------------
// Population: who is active on which day, and when they convert

interface Channel {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  referrer: string | null;
  landing: readonly string[];
}

function channel(
  utm: [source: string, medium: string, campaign: string] | null,
  referrer: string | null,
  landing: string[],
): Channel {
  const [utmSource, utmMedium, utmCampaign] = utm ?? [null, null, null];
  return { utmSource, utmMedium, utmCampaign, referrer, landing };
}

/** How first visits arrive: paid, email, social and launch campaigns, organic search, direct, communities. */
const CHANNELS: Weighted<Channel> = [
  [channel(["google", "cpc", "brand"], "https://www.google.com/", ["/pricing", "/"]), 18],
  [channel(["newsletter", "email", "monthly_digest"], null, ["/", "/features"]), 9],
  [channel(["twitter", "social", "launch_thread"], "https://t.co/", ["/"]), 8],
  [channel(["producthunt", "referral", "launch"], "https://www.producthunt.com/", ["/"]), 5],
  [channel(null, "https://www.google.com/", ["/", "/features", "/pricing"]), 22],
  [channel(null, null, ["/", "/pricing"]), 28],
  [channel(null, "https://www.reddit.com/", ["/"]), 6],
];

const HN_CHANNEL = channel(null, "https://news.ycombinator.com/", ["/", "/docs/remote-cache"]);

/** "Browser/OS" weights per device. */
const TECH: Record<Device, Record<string, number>> = {
  desktop: {
    "Chrome/Windows": 35,
    "Chrome/macOS": 22,
    "Safari/macOS": 12,
    "Edge/Windows": 12,
    "Firefox/Windows": 7,
    "Chrome/Linux": 7,
    "Firefox/Linux": 5,
  },
  mobile: { "Mobile Safari/iOS": 52, "Chrome Mobile/Android": 40, "Samsung Internet/Android": 8 },
  tablet: { "Mobile Safari/iPadOS": 70, "Chrome/Android": 30 },
};

interface Person {
  idx: number;
  anonymousId: string;
  userId: string | null;
  preexisting: boolean;
  /** Relative pull to come back; decays with days since the last visit. */
  engagement: number;
  memoryDays: number;
  lastSeen: number;
  seenInRange: boolean;
  channel: Channel;
  country: string;
  device: Device;
  browser: string;
  os: string;
  plan: string;
  signupDay: number | null;
  activateDay: number | null;
  payDay: number | null;
  activated: boolean;
  /** Shifts survey answers of this person up or down. */
  mood: number;
}

/** One person's visit on one day, with what converted during it. */
interface Visit {
  person: Person;
  isNew: boolean;
  firstInRange: boolean;
  signsUp: boolean;
  activates: boolean;
  pays: boolean;
  planBefore: string;
}

interface PopulationDay {
  day: number;
  visits: Visit[];
}

interface Population {
  nextIdx: number;
  pool: Person[];
  agenda: Map<number, Person[]>;
}

function* simulatePopulation(spec: ProductSpec, win: Window, ctx: Context): Generator<PopulationDay> {
  const r = streamFor(ctx.seed, spec.slug, "population");
  const state: Population = { nextIdx: 0, pool: [], agenda: new Map() };
  seedExistingUsers(spec, win, ctx, r, state);
  for (let day = 0; day < win.dayCount; day++) yield simulateDay(spec, win, ctx, r, state, day);
}

function dailyTarget(spec: ProductSpec, win: Window, ctx: Context, r: Rng, day: number): number {
  const { endDau, growth, weekdays, noise } = spec.traffic;
  const trend = (endDau * ctx.scale * (1 + growth * progress(win, day))) / (1 + growth);
  const jitter = Math.max(0.7, 1 + noise * normal(r));
  return trend * (weekdays[weekday(win, day)] ?? 1) * jitter;
}

function launchBoost(spec: ProductSpec, win: Window, day: number): number {
  const launch = spec.traffic.launch;
  if (!launch || win.launchDay === null || day < win.launchDay) return 1;
  return 1 + launch.boost * Math.exp(-(day - win.launchDay) / launch.decayDays);
}

function simulateDay(
  spec: ProductSpec,
  win: Window,
  ctx: Context,
  r: Rng,
  state: Population,
  day: number,
): PopulationDay {
  const target = dailyTarget(spec, win, ctx, r, day);
  const boost = launchBoost(spec, win, day);
  const due = state.agenda.get(day) ?? [];
  state.agenda.delete(day);
  const newCount = Math.round(target * spec.traffic.newShare * boost);
  const returningCount = Math.max(0, Math.round(target) - newCount - due.length);
  const chosen = new Set<Person>(due);
  for (const person of sampleReturning(r, state.pool, chosen, returningCount, day)) chosen.add(person);
  const visits = [...chosen].map((person) => visit(spec, win, r, state, person, day, false));
  for (let i = 0; i < newCount; i++) {
    const person = createVisitor(spec, win, r, state, day, boost > 1.3 && chance(r, 0.7));
    visits.push(visit(spec, win, r, state, person, day, true));
  }
  state.pool = state.pool.filter((p) => returnWeight(p, day) > 0.002);
  return { day, visits };
}

function returnWeight(person: Person, day: number): number {
  return person.engagement * Math.exp(-(day - person.lastSeen) / person.memoryDays);
}

/** Weighted sampling without replacement (Efraimidis-Spirakis exponential keys). */
function sampleReturning(r: Rng, pool: Person[], exclude: Set<Person>, count: number, day: number): Person[] {
  if (count <= 0) return [];
  const candidates = pool.filter((person) => !exclude.has(person));
  if (candidates.length <= count) return candidates;
  const keys = candidates.map((person) => -Math.log(1 - r()) / returnWeight(person, day));
  const threshold = Float64Array.from(keys).sort()[count - 1] ?? Number.POSITIVE_INFINITY;
  return candidates.filter((_, i) => (keys[i] ?? Number.POSITIVE_INFINITY) <= threshold);
}

function schedule(win: Window, state: Population, person: Person, day: number): void {
  if (day >= win.dayCount) return;
  const list = state.agenda.get(day) ?? [];
  list.push(person);
  state.agenda.set(day, list);
}

function newPerson(spec: ProductSpec, r: Rng, state: Population, channel: Channel): Person {
  const idx = state.nextIdx++;
  const device = pickKey(r, spec.audience.devices);
  const [browser = "Chrome", os = "Windows"] = pickKey(r, TECH[device]).split("/");
  return {
    idx,
    anonymousId: `anon-${spec.slug}-${padId(idx)}`,
    userId: null,
    preexisting: false,
    engagement: 0,
    memoryDays: 5,
    lastSeen: 0,
    seenInRange: false,
    channel,
    country: pickKey(r, spec.audience.countries),
    device,
    browser,
    os,
    plan: "free",
    signupDay: null,
    activateDay: null,
    payDay: null,
    activated: false,
    mood: 0.12 * normal(r),
  };
}

function padId(idx: number): string {
  return String(idx).padStart(6, "0");
}

/** The customer base that exists before the range starts: signed up, activated, some paying. */
function seedExistingUsers(spec: ProductSpec, win: Window, ctx: Context, r: Rng, state: Population): void {
  const startDau = (spec.traffic.endDau * ctx.scale) / (1 + spec.traffic.growth);
  const count = Math.round(startDau * spec.traffic.existingUsers);
  for (let i = 0; i < count; i++) {
    const person = newPerson(spec, r, state, pickWeighted(r, CHANNELS));
    const core = chance(r, 0.4);
    person.userId = `u-${spec.slug}-${padId(person.idx)}`;
    person.preexisting = true;
    person.activated = true;
    person.signupDay = -1;
    person.engagement = core ? between(r, 3, 8) : between(r, 0.3, 1.5);
    person.memoryDays = core ? 40 : 18;
    person.lastSeen = -intBetween(r, 0, 14);
    if (chance(r, 0.35)) person.plan = pickWeighted(r, spec.funnel.plans).plan;
    else if (chance(r, 0.06)) {
      person.payDay = intBetween(r, 0, win.dayCount - 1);
      schedule(win, state, person, person.payDay);
    }
    state.pool.push(person);
  }
}

function createVisitor(
  spec: ProductSpec,
  win: Window,
  r: Rng,
  state: Population,
  day: number,
  fromHn: boolean,
) {
  const person = newPerson(spec, r, state, fromHn ? HN_CHANNEL : pickWeighted(r, CHANNELS));
  person.engagement = pickWeighted(r, [
    [0.08, 70],
    [0.5, 25],
    [1.5, 5],
  ]);
  person.lastSeen = day;
  if (chance(r, spec.funnel.signupRate)) {
    person.signupDay = chance(r, 0.6) ? day : day + intBetween(r, 1, 10);
    if (person.signupDay > day) schedule(win, state, person, person.signupDay);
  }
  state.pool.push(person);
  return person;
}

/** Apply the conversions due today and record the visit. */
function visit(
  spec: ProductSpec,
  win: Window,
  r: Rng,
  state: Population,
  person: Person,
  day: number,
  isNew: boolean,
): Visit {
  const planBefore = person.plan;
  const firstInRange = !person.seenInRange;
  const signsUp = person.signupDay === day && person.userId === null;
  if (signsUp) signUp(spec, win, r, state, person, day);
  const activates = person.activateDay === day && !person.activated;
  if (activates) activate(spec, win, r, state, person, day);
  const pays = person.payDay === day && person.activated && person.plan === "free";
  if (pays) person.plan = pickWeighted(r, spec.funnel.plans).plan;
  person.lastSeen = day;
  person.seenInRange = true;
  return { person, isNew, firstInRange, signsUp, activates, pays, planBefore };
}

function signUp(
  spec: ProductSpec,
  win: Window,
  r: Rng,
  state: Population,
  person: Person,
  day: number,
): void {
  const core = chance(r, 0.3);
  person.userId = `u-${spec.slug}-${padId(person.idx)}`;
  person.engagement = core ? between(r, 3, 7) : between(r, 0.4, 1.5);
  person.memoryDays = core ? 40 : 18;
  if (!chance(r, spec.funnel.activationRate)) return;
  person.activateDay = chance(r, 0.55) ? day : day + intBetween(r, 1, 4);
  if (person.activateDay > day) schedule(win, state, person, person.activateDay);
}

function activate(
  spec: ProductSpec,
  win: Window,
  r: Rng,
  state: Population,
  person: Person,
  day: number,
): void {
  person.activated = true;
  if (!chance(r, spec.funnel.payRate)) return;
  person.payDay = day + intBetween(r, 1, 14);
  schedule(win, state, person, person.payDay);
}

/** Features this person uses on this day; a release raises a feature's adoption from beta to GA. */
function adoptedFeatures(
  spec: ProductSpec,
  win: Window,
  ctx: Context,
  person: Person,
  day: number,
): FeatureSpec[] {
  if (!person.activated) return [];
  return spec.features.filter((f) => {
    const release = win.releaseDays.get(f.key);
    const share = release !== undefined && day < release ? (f.betaAdoption ?? 0) : f.adoption;
    return unitHash(ctx.seed, spec.slug, person.idx, f.key) < share;
  });
}

// ---------------------------------------------------------------------------
// Events: sessions of each visit

interface SessionState {
  spec: ProductSpec;
  person: Person;
  sessionId: string;
  userId: string | null;
  plan: string;
  path: string;
  events: NormalizedEvent[];
}

/** Filled in once the session's events get their times and the day's events their order. */
const UNSET_TIME = new Date(0);

/** Weights of session lengths 2..8 events (single-event sessions are decided separately). */
const SESSION_LENGTHS = [12, 16, 17, 15, 13, 11, 9];

function* generateEvents(spec: ProductSpec, win: Window, ctx: Context): Generator<NormalizedEvent> {
  let counter = 0;
  for (const { day, visits } of simulatePopulation(spec, win, ctx)) {
    const batch: NormalizedEvent[] = [];
    for (const v of visits) {
      for (const e of visitEvents(spec, win, ctx, v, day))
        if (inRange(ctx, e.timestamp.getTime())) batch.push(e);
    }
    batch.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    for (const e of batch) {
      e.messageId = `demo-${spec.slug}-${++counter}`;
      yield e;
    }
  }
}

/** How many sessions a visit has and when the first starts; surveys reuse it to answer during the visit. */
function planVisit(spec: ProductSpec, win: Window, ctx: Context, v: Visit, day: number) {
  const r = streamFor(ctx.seed, spec.slug, "sessions", v.person.idx, day);
  const sessions = 1 + (chance(r, v.person.engagement > 2 ? 0.55 : 0.15) ? 1 : 0) + (chance(r, 0.08) ? 1 : 0);
  return { r, sessions, startWall: timeOnDay(r, win, day, spec.traffic.hours) };
}

function visitEvents(spec: ProductSpec, win: Window, ctx: Context, v: Visit, day: number): NormalizedEvent[] {
  const { r, sessions, startWall } = planVisit(spec, win, ctx, v, day);
  const features = adoptedFeatures(spec, win, ctx, v.person, day);
  const out: NormalizedEvent[] = [];
  let wall = startWall;
  for (let n = 0; n < sessions; n++) {
    const sessionId = `s-${spec.slug}-${padId(v.person.idx)}-${day}-${n}`;
    for (const event of planSession(spec, r, v, n, features, sessionId)) {
      event.timestamp = new Date(win.clock.toUtc(wall));
      out.push(event);
      wall += intBetween(r, 15, 300) * 1000;
    }
    wall += intBetween(r, 45, 300) * MINUTE_MS;
  }
  return out;
}

function planSession(
  spec: ProductSpec,
  r: Rng,
  v: Visit,
  n: number,
  features: FeatureSpec[],
  sessionId: string,
): NormalizedEvent[] {
  const p = v.person;
  const signedInBefore = p.userId !== null && !(v.signsUp && n === 0);
  const s: SessionState = {
    spec,
    person: p,
    sessionId,
    userId: signedInBefore ? p.userId : null,
    plan: v.pays && n > 0 ? p.plan : v.planBefore,
    path: "/",
    events: [],
  };
  if (!signedInBefore) marketingSession(s, r, v, n === 0 && v.isNew);
  if (v.signsUp && n === 0) signupSteps(s, r, p);
  if (signedInBefore) appSession(s, r, v, n, features);
  else if (v.activates && n === 0) activationSteps(s, r, features);
  return s.events;
}

/** Every event literal has the same shape (all keys present), which keeps generation fast. */
function pushEvent(
  s: SessionState,
  event: string,
  type: NormalizedEvent["type"],
  properties: Record<string, unknown>,
  landing: Channel | null = null,
): void {
  const query = landing?.utmSource
    ? `?utm_source=${landing.utmSource}&utm_medium=${landing.utmMedium}&utm_campaign=${landing.utmCampaign}`
    : "";
  const onPage = type !== "identify";
  s.events.push({
    messageId: "",
    timestamp: UNSET_TIME,
    event,
    type,
    userId: s.userId,
    anonymousId: s.person.anonymousId,
    sessionId: s.sessionId,
    url: onPage ? `${s.spec.domain}${s.path}${query}` : null,
    path: onPage ? s.path : null,
    referrer: landing?.referrer ?? null,
    utmSource: landing?.utmSource ?? null,
    utmMedium: landing?.utmMedium ?? null,
    utmCampaign: landing?.utmCampaign ?? null,
    utmTerm: null,
    utmContent: null,
    country: s.person.country,
    device: s.person.device,
    browser: s.person.browser,
    os: s.person.os,
    properties: s.userId && type !== "identify" ? { plan: s.plan, ...properties } : properties,
  });
}

function addPage(s: SessionState, path: string, landing: Channel | null = null): void {
  s.path = path;
  pushEvent(s, "pageview", "page", {}, landing);
}

function addTrack(s: SessionState, event: string, properties: Record<string, unknown> = {}): void {
  pushEvent(s, event, "track", properties);
}

function addIdentify(s: SessionState, person: Person, trigger: "signup" | "login"): void {
  s.userId = person.userId;
  pushEvent(s, "identify", "identify", { email: `${person.userId}@example.com`, plan: s.plan, trigger });
}

/** Anonymous browsing of the public site; the first visit carries UTM fields and the referrer. */
function marketingSession(s: SessionState, r: Rng, v: Visit, firstVisit: boolean): void {
  const channel = v.person.channel;
  const landing = firstVisit ? pick(r, channel.landing) : pickKey(r, s.spec.pages.marketing);
  addPage(s, landing, firstVisit ? channel : null);
  if (v.signsUp || chance(r, firstVisit ? 0.6 : 0.5)) return;
  const pages = intBetween(r, 1, 4);
  for (let i = 0; i < pages; i++) {
    const next = pickKey(r, s.spec.pages.marketing);
    if (next !== s.path) addPage(s, next);
  }
}

function signupSteps(s: SessionState, r: Rng, person: Person): void {
  if (s.path !== "/pricing" && chance(r, 0.6)) addPage(s, "/pricing");
  addPage(s, "/signup");
  addIdentify(s, person, "signup");
  addTrack(s, "signed_up", { method: pick(r, ["email", "google", "google", "github"]) });
}

function activationSteps(s: SessionState, r: Rng, features: FeatureSpec[]): void {
  addPage(s, s.spec.pages.onboarding);
  addTrack(s, s.spec.funnel.activation, { template: chance(r, 0.5) });
  for (let i = intBetween(r, 0, 2); i > 0 && features.length > 0; i--) addFeatureEvent(s, r, features);
}

function purchaseSteps(s: SessionState, r: Rng, person: Person): void {
  addPage(s, s.spec.pages.billing);
  const choice = s.spec.funnel.plans.find(([p]) => p.plan === person.plan)?.[0];
  s.plan = person.plan;
  addTrack(s, s.spec.funnel.purchase, {
    plan: person.plan,
    value: choice?.value ?? 0,
    currency: s.spec.funnel.currency,
    interval: choice?.interval ?? "month",
    coupon: chance(r, 0.1) ? "LAUNCH20" : null,
  });
}

/** A signed-in session in the app: pages and feature events, plus today's conversions. */
function appSession(s: SessionState, r: Rng, v: Visit, n: number, features: FeatureSpec[]): void {
  const p = v.person;
  const app = s.spec.pages.app;
  if (n === 0 && v.firstInRange && p.preexisting) addIdentify(s, p, "login");
  addPage(s, p.activated || v.activates ? pick(r, app) : s.spec.pages.onboarding);
  if (n === 0 && v.activates) activationSteps(s, r, features);
  if (n === 0 && v.pays) purchaseSteps(s, r, p);
  const converting = n === 0 && (v.activates || v.pays);
  if (!converting && chance(r, n === 0 ? 0.3 : 0.5)) return;
  const length = 1 + pickIndex(r, SESSION_LENGTHS);
  for (let i = 0; i < length; i++) {
    if (features.length > 0 && chance(r, 0.65)) addFeatureEvent(s, r, features);
    else addPage(s, pick(r, app));
  }
}

function addFeatureEvent(s: SessionState, r: Rng, features: FeatureSpec[]): void {
  const feature = pickWeighted(
    r,
    features.map((f) => [f, f.weight] as const),
  );
  const event = chance(r, 0.75) ? feature.eventNames[0] : pick(r, feature.eventNames);
  if (event) addTrack(s, event, feature.props(r));
}

// ---------------------------------------------------------------------------
// Surveys

type Category = "promoter" | "passive" | "detractor";

function* generateSurveys(spec: ProductSpec, win: Window, ctx: Context): Generator<NormalizedSurveyResponse> {
  const r = streamFor(ctx.seed, spec.slug, "surveys");
  let counter = 0;
  for (const { day, visits } of simulatePopulation(spec, win, ctx)) {
    // In-app surveys reach people already signed in, during their first session of the day.
    const respondents = visits.filter((v) => v.person.userId !== null && !v.signsUp);
    const count = poisson(r, spec.survey.daily * ctx.scale * (0.75 + 0.5 * progress(win, day)));
    for (let i = 0; i < count && respondents.length > 0; i++) {
      const v = pick(r, respondents);
      const atWall = planVisit(spec, win, ctx, v, day).startWall + intBetween(r, 1, 30) * MINUTE_MS;
      const response = buildResponse(spec, win, ctx, r, v.person, day, atWall, ++counter);
      if (inRange(ctx, response.submittedAt.getTime())) yield response;
    }
  }
}

function buildResponse(
  spec: ProductSpec,
  win: Window,
  ctx: Context,
  r: Rng,
  person: Person,
  day: number,
  atWall: number,
  n: number,
): NormalizedSurveyResponse {
  const kind = pickWeighted(r, [
    ["nps", 62],
    ["csat", 28],
    ["other", 10],
  ] as const);
  const category = drawCategory(spec, win, r, person, day);
  const features = adoptedFeatures(spec, win, ctx, person, day);
  const userId = person.userId ?? "";
  const base = {
    externalId: `demo-${spec.slug}-${kind}-${n}`,
    submittedAt: new Date(win.clock.toUtc(atWall)),
    respondent: chance(r, 0.7) ? `${userId}@example.com` : userId,
    userId: chance(r, 0.88) ? userId : null,
    metadata: { channel: pick(r, ["in-app", "email"]), plan: person.plan, device: person.device },
  };
  if (kind === "other") {
    return {
      ...base,
      survey: `${spec.name} feedback`,
      question: "Anything else you would like to tell us?",
      questionKind: "other",
      score: null,
      comment: writeComment(spec, r, category, features),
    };
  }
  const withComment = chance(r, category === "detractor" ? 0.5 : category === "promoter" ? 0.3 : 0.22);
  return {
    ...base,
    ...(kind === "nps" ? npsQuestion(spec, r, category) : csatQuestion(spec, r, category)),
    comment: withComment ? writeComment(spec, r, category, features) : null,
  };
}

/** NPS category: the product's baseline, drifting over the range, nudged by the person. */
function drawCategory(spec: ProductSpec, win: Window, r: Rng, person: Person, day: number): Category {
  const drift = spec.survey.drift * progress(win, day);
  const promoter = spec.survey.promoter + drift + person.mood;
  const detractor = spec.survey.detractor - drift / 2 - person.mood / 2;
  const x = r();
  if (x < detractor) return "detractor";
  return x < detractor + promoter ? "promoter" : "passive";
}

function npsQuestion(spec: ProductSpec, r: Rng, category: Category) {
  const score =
    category === "promoter"
      ? 9 + pickIndex(r, [55, 45])
      : category === "passive"
        ? 7 + pickIndex(r, [45, 55])
        : pickIndex(r, [8, 6, 8, 12, 14, 22, 30]);
  return {
    survey: `${spec.name} NPS`,
    question: `How likely are you to recommend ${spec.name} to a friend or colleague?`,
    questionKind: "nps" as const,
    score,
    scaleMin: 0,
    scaleMax: 10,
  };
}

function csatQuestion(spec: ProductSpec, r: Rng, category: Category) {
  const score =
    category === "promoter"
      ? 4 + pickIndex(r, [25, 75])
      : category === "passive"
        ? 3 + pickIndex(r, [30, 60, 10])
        : 1 + pickIndex(r, [30, 35, 35]);
  return {
    survey: `${spec.name} CSAT`,
    question: `How satisfied are you with ${spec.name}?`,
    questionKind: "csat" as const,
    score,
    scaleMin: 1,
    scaleMax: 5,
  };
}

/** A verbatim: complaints name a feature the person uses (or a theme), praise likewise. */
function writeComment(spec: ProductSpec, r: Rng, category: Category, features: FeatureSpec[]): string {
  const feature = features.length > 0 && chance(r, 0.75) ? pick(r, features) : pick(r, spec.features);
  if (category === "detractor") {
    return chance(r, 0.6) ? pick(r, feature.complaints) : pick(r, pick(r, spec.themes).complaints);
  }
  if (category === "passive") {
    return chance(r, 0.5) ? pick(r, spec.voice.passive) : `Mostly good. ${pick(r, feature.complaints)}`;
  }
  return chance(r, 0.65) ? pick(r, feature.praise) : pick(r, spec.voice.praise);
}

// ---------------------------------------------------------------------------
// Mentions

type Sentiment = "positive" | "neutral" | "negative";

interface MentionDraft {
  source: DemoMentionSource;
  sentiment: Sentiment;
  createdMs: number;
  headline?: SpikeSpec["headline"];
}

const HANDLE_PARTS = [
  ["quiet", "rusty", "lazy", "brave", "tiny", "cosmic", "nordic", "sunny", "dark", "clever"],
  ["otter", "falcon", "kernel", "panda", "comet", "maple", "lambda", "pixel", "badger", "fjord"],
] as const;

function* generateMentions(
  spec: ProductSpec,
  win: Window,
  ctx: Context,
): Generator<{ source: DemoMentionSource; mention: NormalizedMention }> {
  const r = streamFor(ctx.seed, spec.slug, "mentions");
  const counters = new Map<DemoMentionSource, number>();
  for (let day = 0; day < win.dayCount; day++) {
    for (const draft of mentionDrafts(spec, win, r, day)) {
      const n = (counters.get(draft.source) ?? 0) + 1;
      counters.set(draft.source, n);
      const mention = buildMention(spec, r, draft, n);
      if (inRange(ctx, draft.createdMs)) yield { source: draft.source, mention };
    }
  }
}

function mentionDrafts(spec: ProductSpec, win: Window, r: Rng, day: number): MentionDraft[] {
  const cfg = spec.mentions;
  const weekend = weekday(win, day) % 6 === 0 ? 0.7 : 1;
  const drafts: MentionDraft[] = [];
  const at = () => win.clock.toUtc(dayWall(win, day) + intBetween(r, 0, DAY_MS / 1000 - 1) * 1000);
  const baseline = poisson(r, (cfg.weekly / 7) * weekend * (0.8 + 0.4 * progress(win, day)));
  for (let i = 0; i < baseline; i++) {
    drafts.push({ source: pickKey(r, cfg.sources), sentiment: drawSentiment(r, cfg.mood), createdMs: at() });
  }
  cfg.spikes.forEach((spike, i) => {
    const offset = day - (win.spikeDays[i] ?? -1);
    const extra = spike.extra[offset];
    if (offset < 0 || extra === undefined) return;
    if (offset === 0 && spike.headline) {
      const createdMs = win.clock.toUtc(dayWall(win, day) + 9 * HOUR_MS);
      drafts.push({ source: spike.source, sentiment: "neutral", createdMs, headline: spike.headline });
    }
    for (let k = 0; k < extra; k++) {
      const source = chance(r, 0.7) ? spike.source : pickKey(r, cfg.sources);
      drafts.push({ source, sentiment: drawSentiment(r, spike.mood), createdMs: at() });
    }
  });
  return drafts;
}

function drawSentiment(r: Rng, mood: Mood): Sentiment {
  return pickWeighted(r, [
    ["positive", mood[0]],
    ["neutral", mood[1]],
    ["negative", mood[2]],
  ]);
}

function buildMention(spec: ProductSpec, r: Rng, draft: MentionDraft, n: number): NormalizedMention {
  const feature = pick(r, spec.features);
  const vars = {
    product: spec.name,
    feature: feature.name,
    keyword: pick(r, feature.keywords),
    competitor: pick(r, spec.voice.competitors),
    useCase: spec.voice.useCase,
  };
  const topic = draft.sentiment === "neutral" || chance(r, 0.6) ? "feature" : "general";
  const body = draft.headline?.body ?? mentionBody(spec, r, draft, topic, feature, vars);
  const title = draft.headline?.title ?? fill(pick(r, TITLES[draft.sentiment][topic]), vars);
  const author = `${pick(r, HANDLE_PARTS[0])}${pick(r, HANDLE_PARTS[1])}${intBetween(r, 1, 99)}`;
  const createdAt = new Date(draft.createdMs);
  const engagement = draft.headline?.engagement ?? mentionEngagement(r, draft.source);
  const common = { createdAt, author, engagement };
  switch (draft.source) {
    case "hn":
      return hnMention(spec, r, n, common, title, body, Boolean(draft.headline));
    case "reddit":
      return redditMention(spec, r, n, common, title, body);
    case "x":
      return {
        ...common,
        externalId: xId(spec, n),
        url: `https://x.com/${author}/status/${xId(spec, n)}`,
        body,
      };
    case "appstore":
    case "googleplay":
      return storeReview(spec, r, n, draft, common, body);
    case "rss":
      return rssPost(spec, r, n, common, fill(pick(r, RSS_TITLES[draft.sentiment][topic]), vars), body);
  }
}

type Topic = "feature" | "general";

/** Post titles by sentiment and by whether the post is about one feature or the product at large. */
const TITLES: Record<Sentiment, Record<Topic, string[]>> = {
  positive: {
    feature: ["{product}'s {feature} is really good", "Shout-out to {product} for the {feature}"],
    general: [
      "{product} has quietly become our favourite tool for {useCase}",
      "Switched from {competitor} to {product}, no regrets",
    ],
  },
  neutral: {
    feature: ["How do you use {feature} in {product}?", "{product} vs {competitor} for {useCase}?"],
    general: ["Anyone using {product} for {useCase}?"],
  },
  negative: {
    feature: ["{product} {feature} problems", "Is {feature} in {product} broken for anyone else?"],
    general: ["Is it just me or has {product} gotten worse?", "Thinking of leaving {product}"],
  },
};

const RSS_TITLES: Record<Sentiment, Record<Topic, string[]>> = {
  positive: {
    feature: ["{product} ships {feature} and it is good"],
    general: ["Review: {product} makes {useCase} painless"],
  },
  neutral: {
    feature: ["{product} adds {feature}", "{product} vs {competitor}: which one for {useCase}?"],
    general: [],
  },
  negative: {
    feature: ["{product} users report problems with {feature}"],
    general: ["{product} users push back on recent changes", "Why some teams are leaving {product}"],
  },
};

const NEUTRAL_BODIES = [
  "Anyone using {product} for {useCase}? Curious how the {keyword} holds up after a few months.",
  "We are comparing {product} and {competitor} for {useCase}. Any experience with the {keyword} side?",
  "Trying {product} this week, the {feature} looks interesting. Will report back.",
];

const RSS_NEUTRAL_BODIES = [
  "{product} now offers {feature}. We looked at how it compares with {competitor} for {useCase}.",
  "A hands-on look at {feature} in {product}, and where it still trails {competitor}.",
];

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}

/** Feature posts quote that feature's praise or complaints; general ones the product's praise or a theme. */
function mentionBody(
  spec: ProductSpec,
  r: Rng,
  draft: MentionDraft,
  topic: Topic,
  feature: FeatureSpec,
  vars: Record<string, string>,
): string {
  if (draft.sentiment === "neutral") {
    return fill(pick(r, draft.source === "rss" ? RSS_NEUTRAL_BODIES : NEUTRAL_BODIES), vars);
  }
  if (draft.sentiment === "positive") {
    const line = topic === "feature" ? pick(r, feature.praise) : pick(r, spec.voice.praise);
    return `${line} ${pick(r, ["Highly recommend.", "Great work by the team.", "", "Worth a try."])}`.trim();
  }
  const line = topic === "feature" ? pick(r, feature.complaints) : pick(r, pick(r, spec.themes).complaints);
  const tail = pick(r, [
    "Really frustrating.",
    "Anyone else seeing this?",
    "Considering {competitor} now.",
    "",
  ]);
  return `${line} ${fill(tail, vars)}`.trim();
}

function mentionEngagement(r: Rng, source: DemoMentionSource): number {
  const logNormal = (mu: number, sigma: number) => Math.round(Math.exp(mu + sigma * normal(r)));
  switch (source) {
    case "hn":
      return logNormal(1.8, 1.1);
    case "reddit":
      return logNormal(2.5, 1.1);
    case "x":
      return logNormal(1.5, 1.3);
    case "appstore":
    case "googleplay":
      return intBetween(r, 0, 6);
    case "rss":
      return 0;
  }
}

interface MentionCommon {
  createdAt: Date;
  author: string;
  engagement: number;
}

/** Ids grow with the counter (and differ per product) so they are unique per source. */
function numericId(spec: ProductSpec, n: number, base: number, step: number): number {
  return base + (hashParts(spec.slug) % 1000) * 1_000_000 + n * step;
}

function xId(spec: ProductSpec, n: number): string {
  return `18${String(numericId(spec, n, 0, 7919)).padStart(16, "0")}`;
}

function hnMention(
  spec: ProductSpec,
  r: Rng,
  n: number,
  common: MentionCommon,
  title: string,
  body: string,
  headline: boolean,
): NormalizedMention {
  const id = 41_000_000 + (hashParts(spec.slug) % 100) * 100_000 + n * 977;
  const story = headline || chance(r, 0.3);
  return {
    ...common,
    externalId: String(id),
    url: `https://news.ycombinator.com/item?id=${id}`,
    title: story ? title : null,
    body,
    metadata: { kind: story ? "story" : "comment" },
  };
}

function redditMention(
  spec: ProductSpec,
  r: Rng,
  n: number,
  common: MentionCommon,
  title: string,
  body: string,
): NormalizedMention {
  const id = numericId(spec, n, 0, 1297).toString(36);
  const subreddit = pick(r, spec.mentions.subreddits);
  const post = chance(r, 0.45);
  return {
    ...common,
    externalId: post ? `t3_${id}` : `t1_${id}`,
    url: `https://www.reddit.com/r/${subreddit}/comments/${id}/${slugify(title)}/`,
    title: post ? title : null,
    body,
    metadata: { subreddit, kind: post ? "post" : "comment" },
  };
}

const STORE_TITLES: Record<Sentiment, string[]> = {
  positive: ["Love it", "Finally a habit app that sticks", "Five stars", "Simple and motivating"],
  neutral: ["Decent", "Good but could be better", "Okay for now"],
  negative: ["Used to be great", "Too expensive now", "Keeps crashing"],
};

function storeReview(
  spec: ProductSpec,
  r: Rng,
  n: number,
  draft: MentionDraft,
  common: MentionCommon,
  body: string,
): NormalizedMention {
  const rating =
    draft.sentiment === "positive"
      ? intBetween(r, 4, 5)
      : draft.sentiment === "neutral"
        ? 3
        : intBetween(r, 1, 2);
  const apple = draft.source === "appstore";
  const id = numericId(spec, n, 10_000_000_000, 3571);
  return {
    ...common,
    externalId: apple ? String(id) : `gp:${id.toString(16)}`,
    url: apple
      ? `https://apps.apple.com/us/app/${spec.slug}/id6446${String(hashParts(spec.slug) % 1e6).padStart(6, "0")}`
      : `https://play.google.com/store/apps/details?id=com.example.${spec.slug}&reviewId=${id.toString(16)}`,
    title: pick(r, STORE_TITLES[draft.sentiment]),
    body: draft.sentiment === "neutral" ? pick(r, spec.voice.passive) : body,
    rating,
    metadata: { version: `3.${intBetween(r, 4, 9)}.${intBetween(r, 0, 3)}`, country: "us" },
  };
}

function rssPost(spec: ProductSpec, r: Rng, n: number, common: MentionCommon, title: string, body: string) {
  const blog = pick(r, spec.mentions.blogs);
  const date = common.createdAt.toISOString().slice(0, 7).replace("-", "/");
  const url = `https://${blog}/${date}/${slugify(title)}-${n}`;
  return {
    ...common,
    author: blog,
    externalId: url,
    url,
    title,
    body,
    engagement: 0,
    metadata: { feed: blog },
  };
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .slice(0, 60);
}
