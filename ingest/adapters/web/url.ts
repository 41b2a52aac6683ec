import { asText } from "./values";

export interface UrlParts {
  path: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
}

const NONE: UrlParts = {
  path: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
  utmTerm: null,
  utmContent: null,
};

/**
 * Path and utm_* query parameters of a page URL. Relative URLs ("/pricing?x=1")
 * are read against a dummy origin; anything unparsable gives all nulls.
 */
export function parsePageUrl(url: string | null | undefined): UrlParts {
  if (!url) return NONE;
  let parsed: URL;
  try {
    parsed = new URL(url, "http://relative.invalid");
  } catch {
    return NONE;
  }
  const q = parsed.searchParams;
  const get = (k: string) => asText(q.get(k));
  const isWeb = parsed.protocol === "http:" || parsed.protocol === "https:";
  return {
    path: isWeb ? parsed.pathname || "/" : null,
    utmSource: get("utm_source"),
    utmMedium: get("utm_medium"),
    utmCampaign: get("utm_campaign"),
    utmTerm: get("utm_term"),
    utmContent: get("utm_content"),
  };
}

/** "$direct" (PostHog, Mixpanel) and "" mean no referrer. */
export function cleanReferrer(value: unknown): string | null {
  const text = asText(value);
  if (!text || text === "$direct" || text === "(direct)") return null;
  return text;
}
