import { handlePosthogRequest, preflight } from "../../../../ingest/http/handle-ingest";
import { getAppDb } from "../../../../lib/db";

/** PostHog-compatible capture endpoint: single event or batch, api_key in the body. */
export function POST(req: Request) {
  return handlePosthogRequest(getAppDb, req);
}

export const OPTIONS = preflight;
