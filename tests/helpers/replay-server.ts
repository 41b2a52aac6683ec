import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the replay server saw it. */
export interface ReplayRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** What to answer: a status, headers and a body (text, bytes, or `json` serialized). */
export interface ReplayResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  json?: unknown;
}

export type ReplayHandler = (req: ReplayRequest) => ReplayResponse;

export interface ReplayServer {
  /** Base URL, http://127.0.0.1:<port> */
  url: string;
  /** Every request received, in order. */
  requests: ReplayRequest[];
  /** Swap what the server answers from now on. */
  setHandler(handler: ReplayHandler): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 that answers sync requests with recorded
 * API responses, so tests never reach the internet. Unmatched requests get 404.
 */
export async function startReplayServer(handler: ReplayHandler): Promise<ReplayServer> {
  let current = handler;
  const requests: ReplayRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const seen: ReplayRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    };
    requests.push(seen);
    let answer: ReplayResponse;
    try {
      answer = current(seen);
    } catch (err) {
      answer = { status: 500, body: `replay handler failed: ${(err as Error).message}` };
    }
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? "");
    const headers = {
      ...(answer.json !== undefined ? { "content-type": "application/json" } : {}),
      ...answer.headers,
    };
    res.writeHead(answer.status ?? 200, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serve responses in order, the last one again once the list runs out. */
export function inSequence(responses: ReplayResponse[]): ReplayHandler {
  let i = 0;
  return () => responses[Math.min(i++, responses.length - 1)] ?? { status: 404 };
}

/** A fetch that refuses any host but 127.0.0.1: a guard that sync tests stay on this machine. */
export const localOnlyFetch: typeof fetch = (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (url.hostname !== "127.0.0.1")
    throw new Error(`test tried to reach ${url.host}: only 127.0.0.1 is allowed`);
  return fetch(input, init);
};

/** A hit in the shape of Algolia's HN search API (fields as in the saved real responses). */
export function hnHit(
  id: number,
  createdAtI: number,
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    objectID: String(id),
    created_at: new Date(createdAtI * 1000).toISOString(),
    created_at_i: createdAtI,
    author: `user${id}`,
    comment_text: `<p>Comment ${id} about Northstar&#x27;s funnels</p>`,
    points: null,
    story_id: 1000,
    parent_id: 1000,
    _tags: ["comment", `author_user${id}`, "story_1000"],
    ...patch,
  };
}

/**
 * An Algolia `search_by_date` stand-in over recorded hits: newest first,
 * `numericFilters=created_at_i>N` applied, `pageSize` hits per page, with
 * `nbPages` as Algolia reports it.
 */
export function algoliaSearchByDate(hits: () => Record<string, unknown>[], pageSize: number): ReplayHandler {
  return (req) => {
    if (!req.path.endsWith("/search_by_date")) return { status: 404, body: "not found" };
    const filter = /^created_at_i>(\d+)$/.exec(req.query.get("numericFilters") ?? "");
    const since = filter ? Number(filter[1]) : 0;
    const matching = hits()
      .filter((h) => Number(h.created_at_i) > since)
      .sort((a, b) => Number(b.created_at_i) - Number(a.created_at_i));
    const page = Number(req.query.get("page") ?? 0);
    return {
      json: {
        hits: matching.slice(page * pageSize, (page + 1) * pageSize),
        nbHits: matching.length,
        nbPages: Math.ceil(matching.length / pageSize),
        page,
        hitsPerPage: pageSize,
        query: req.query.get("query"),
      },
    };
  };
}
