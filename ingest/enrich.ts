import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { mentions, surveyResponses } from "../db/schema/feedback";
import { features, themes } from "../db/schema/products";
import { linkFeatures } from "../lib/metrics/feature-links";
import { scoreSentiment } from "../lib/metrics/sentiment";
import { tagThemes } from "../lib/metrics/themes";

/** What a product configures for enrichment: theme keywords and feature keywords. */
export interface EnrichmentConfig {
  themes: { name: string; keywords: string[] }[];
  features: { key: string; keywords: string[] }[];
}

export interface Enrichment {
  sentiment: number | null;
  themes: string[];
  featureKeys: string[];
}

export async function loadEnrichmentConfig(db: Db, productId: number): Promise<EnrichmentConfig> {
  const [themeRows, featureRows] = await Promise.all([
    db
      .select({ name: themes.name, keywords: themes.keywords })
      .from(themes)
      .where(eq(themes.productId, productId)),
    db
      .select({ key: features.key, keywords: features.keywords })
      .from(features)
      .where(eq(features.productId, productId)),
  ]);
  return { themes: themeRows, features: featureRows };
}

/**
 * Sentiment, themes and linked features of one text. No text (a bare score)
 * means no sentiment: it is not scored, rather than scored neutral.
 */
export function enrichText(text: string | null | undefined, config: EnrichmentConfig): Enrichment {
  const t = text?.trim();
  if (!t) return { sentiment: null, themes: [], featureKeys: [] };
  return {
    sentiment: scoreSentiment(t),
    themes: tagThemes(t, config.themes),
    featureKeys: linkFeatures(t, config.features),
  };
}

/** The text of a mention as it is read: title and body together. */
export function mentionText(m: { title?: string | null; body?: string | null }): string {
  return [m.title, m.body].filter((s) => s?.trim()).join("\n\n");
}

const PAGE = 500;

/**
 * Recompute enrichment for every comment and mention of a product, e.g. after
 * its themes or feature keywords changed. Works in pages by id so memory stays flat.
 */
export async function reenrichProduct(
  db: Db,
  productId: number,
): Promise<{ surveys: number; mentions: number }> {
  const config = await loadEnrichmentConfig(db, productId);
  let surveys = 0;
  let lastId = 0;
  for (;;) {
    const rows = await db
      .select({ id: surveyResponses.id, comment: surveyResponses.comment })
      .from(surveyResponses)
      .where(and(eq(surveyResponses.productId, productId), sql`${surveyResponses.id} > ${lastId}`))
      .orderBy(surveyResponses.id)
      .limit(PAGE);
    if (rows.length === 0) break;
    for (const r of rows) {
      const e = enrichText(r.comment, config);
      await db
        .update(surveyResponses)
        .set({ sentiment: e.sentiment, themes: e.themes, featureKeys: e.featureKeys })
        .where(and(eq(surveyResponses.id, r.id), eq(surveyResponses.productId, productId)));
    }
    surveys += rows.length;
    lastId = rows[rows.length - 1]?.id ?? lastId;
  }
  let mentionCount = 0;
  lastId = 0;
  for (;;) {
    const rows = await db
      .select({ id: mentions.id, title: mentions.title, body: mentions.body })
      .from(mentions)
      .where(and(eq(mentions.productId, productId), sql`${mentions.id} > ${lastId}`))
      .orderBy(mentions.id)
      .limit(PAGE);
    if (rows.length === 0) break;
    for (const r of rows) {
      const e = enrichText(mentionText(r), config);
      await db
        .update(mentions)
        .set({ sentiment: e.sentiment, themes: e.themes, featureKeys: e.featureKeys })
        .where(and(eq(mentions.id, r.id), eq(mentions.productId, productId)));
    }
    mentionCount += rows.length;
    lastId = rows[rows.length - 1]?.id ?? lastId;
  }
  return { surveys, mentions: mentionCount };
}
