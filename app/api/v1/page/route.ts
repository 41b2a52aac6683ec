import { handleSegmentRequest, preflight } from "../../../../ingest/http/handle-ingest";
import { getAppDb } from "../../../../lib/db";

/** Segment-compatible page endpoint (write key). */
export function POST(req: Request) {
  return handleSegmentRequest(getAppDb, req, "page");
}

export const OPTIONS = preflight;
