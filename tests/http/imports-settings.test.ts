import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { DEMO_PASSWORD } from "../../lib/auth/demo-accounts";
import { getProductBySlug } from "../../lib/queries/products";
import { listRunsOfProducts } from "../../lib/queries/settings-runs";
import { type RunningApp, signIn, startApp } from "../helpers/app-server";
import { dbEnv, runCli } from "../helpers/cli";
import { createPostgresDatabase, ENGINES } from "../helpers/test-db";

const NOW = "2026-11-25T12:00:00Z";
type Who = "admin" | "exec" | "pm" | "member";

/** Two good Segment messages around one line that is not JSON (line 2). */
const NDJSON = [
  '{"type":"track","event":"Upload Test","messageId":"upload-1","anonymousId":"anon-1","timestamp":"2026-11-20T10:00:00Z"}',
  "{not json at all",
  '{"type":"page","name":"Home","messageId":"upload-2","anonymousId":"anon-2","timestamp":"2026-11-20T11:00:00Z","properties":{"url":"https://atlas.test/"}}',
].join("\n");

/** The hidden fields React renders in a server-action form, which a browser without JavaScript posts back. */
function actionFields(html: string, testId: string): [string, string][] {
  const form = html.match(new RegExp(`<form[^>]*data-testid="${testId}"[^>]*>([\\s\\S]*?)</form>`))?.[1];
  if (!form) throw new Error(`no form ${testId}`);
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .replace(/&#x27;/g, "'");
  return [...form.matchAll(/<input type="hidden" name="(\$ACTION_[^"]*)"(?: value="([^"]*)")?/g)].map((m) => [
    m[1] as string,
    decode(m[2] ?? ""),
  ]);
}

/** The page's text, tags stripped. */
function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe.each(ENGINES)("imports and settings pages on $label", ({ engine, skip }) => {
  let app: RunningApp;
  let target: { dataDir?: string; url?: string };
  let cleanup: () => Promise<void> = async () => {};
  const cookies = {} as Record<Who, string>;

  const get = (path: string, who: Who) =>
    fetch(`${app.baseUrl}${path}`, { headers: { cookie: cookies[who] }, redirect: "manual" });

  /** Post the upload form as a browser without JavaScript would, with the fields of `formOf`'s page. */
  async function postUpload(
    who: Who,
    fields: { product: string; format: string; name: string; body: string | Uint8Array<ArrayBuffer> },
    opts: { formOf?: Who; origin?: string } = {},
  ): Promise<Response> {
    const page = await (await get("/imports", opts.formOf ?? who)).text();
    const form = new FormData();
    for (const [k, v] of actionFields(page, "upload-form")) form.append(k, v);
    form.set("product", fields.product);
    form.set("format", fields.format);
    form.set("file", new Blob([fields.body as BlobPart]), fields.name);
    return fetch(`${app.baseUrl}/imports`, {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { cookie: cookies[who], origin: opts.origin ?? app.baseUrl },
    });
  }

  async function atlasRunCount(): Promise<number> {
    const handle = await openDatabase({ databaseUrl: target.url ?? "", dataDir: target.dataDir });
    try {
      const atlas = await getProductBySlug(handle.db, "atlas");
      if (!atlas) throw new Error("no atlas");
      return (await listRunsOfProducts(handle.db, { productIds: [atlas.id], limit: 1000 })).length;
    } finally {
      await handle.close();
    }
  }

  beforeAll(async () => {
    if (skip) return;
    if (engine === "pglite") {
      const dir = mkdtempSync(join(tmpdir(), "ns-imports-"));
      target = { dataDir: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await createPostgresDatabase();
      target = { url: pg.url };
      cleanup = pg.drop;
    }
    const demo = await runCli(["demo", "--days", "14", "--json"], { ...dbEnv(target), NORTHSTAR_NOW: NOW });
    expect(demo.code, demo.stderr).toBe(0);
    app = await startApp(target, { NORTHSTAR_NOW: NOW });
    for (const who of ["admin", "exec", "pm", "member"] as Who[]) {
      cookies[who] = await signIn(app.baseUrl, `${who}@demo.northstar`, DEMO_PASSWORD);
    }
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await cleanup();
  });

  it.skipIf(skip)(
    "lists the runs of the products each viewer may read, with the upload form for configurers",
    async () => {
      const admin = await (await get("/imports", "admin")).text();
      expect(admin).toContain('data-testid="upload-form"');
      for (const name of ["Atlas", "Pulse", "Forge"]) expect(textOf(admin)).toContain(name);
      expect(textOf(admin)).toMatch(/demo · demo/);

      const member = await get("/imports", "member");
      expect(member.status).toBe(200);
      const html = await member.text();
      expect(html).not.toContain('data-testid="upload-form"');
      expect(html).toMatch(/data-run=/);
      expect(html).not.toContain("Atlas");
      expect(html).not.toContain("Forge");

      // The pm's upload form offers Atlas only (the product they lead), though the pm reads nothing else anyway.
      const pm = await (await get("/imports", "pm")).text();
      expect(pm).toMatch(/<option value="atlas"/);
      expect(pm).not.toMatch(/<option value="pulse"/);

      expect((await get("/imports?product=atlas", "member")).status).toBe(404);
      expect((await get("/imports?product=pulse", "member")).status).toBe(200);
      expect((await get("/imports/999999", "admin")).status).toBe(404);
      expect((await get("/imports/abc", "admin")).status).toBe(404);
    },
  );

  it.skipIf(skip)(
    "answers settings pages by role: configure rights per product, users for admins",
    async () => {
      const expectations: [string, Who, number][] = [
        ["/settings", "admin", 200],
        ["/settings", "pm", 200],
        ["/settings", "member", 200],
        ["/settings", "exec", 200],
        ["/settings/products/atlas", "admin", 200],
        ["/settings/products/atlas", "pm", 200],
        ["/settings/products/atlas", "member", 404],
        ["/settings/products/atlas", "exec", 404],
        ["/settings/products/pulse", "pm", 404],
        ["/settings/products/pulse", "member", 404],
        ["/settings/products/nope", "admin", 404],
        ["/settings/users", "admin", 200],
        ["/settings/users", "pm", 404],
        ["/settings/users", "exec", 404],
      ];
      const got: [string, Who, number][] = [];
      for (const [path, who] of expectations) got.push([path, who, (await get(path, who)).status]);
      expect(got).toEqual(expectations);

      const hub = textOf(await (await get("/settings", "pm")).text());
      expect(hub).toContain("Atlas");
      expect(hub).not.toContain("Pulse");
      const memberHub = await (await get("/settings", "member")).text();
      expect(memberHub).toContain('data-testid="no-products"');
      const adminHub = await (await get("/settings", "admin")).text();
      expect(adminHub).toContain('data-testid="new-product-form"');

      const page = textOf(await (await get("/settings/products/atlas", "pm")).text());
      for (const section of ["Features", "Themes", "Targets", "Pull sources", "API keys", "Annotations"])
        expect(page).toContain(section);
      // The demo's Atlas features are listed with their events.
      expect(page).toContain("report_viewed");
      const users = textOf(await (await get("/settings/users", "admin")).text());
      expect(users).toContain("pm@demo.northstar");
      expect(users).toMatch(/Atlas lead pm Remove/);
    },
  );

  it.skipIf(skip)(
    "imports an uploaded Segment file end to end and shows the run with its rejected row",
    async () => {
      const res = await postUpload("pm", {
        product: "atlas",
        format: "segment",
        name: "upload.ndjson",
        body: NDJSON,
      });
      expect(res.status, await res.clone().text()).toBe(303);
      const location = res.headers.get("location") ?? "";
      expect(location).toMatch(/^\/imports\/\d+$/);
      const run = await get(location, "pm");
      expect(run.status).toBe(200);
      const html = await run.text();
      const count = (label: string) =>
        html.match(new RegExp(`data-testid="count-${label}"[\\s\\S]*?class="value">([^<]+)<`))?.[1];
      expect([count("read"), count("inserted"), count("duplicates"), count("rejected")]).toEqual([
        "3",
        "2",
        "0",
        "1",
      ]);
      expect(textOf(html)).toContain("upload.ndjson");
      const rejects = html.match(/data-testid="rejects"[\s\S]*?<\/table>/)?.[0] ?? "";
      expect(textOf(rejects)).toContain("{not json at all");
      expect(rejects).toMatch(/<td class="num">2<\/td>/);
      // The member of Pulse cannot open a run of Atlas.
      expect((await get(location, "member")).status).toBe(404);

      // The same file again adds nothing.
      const again = await postUpload("pm", {
        product: "atlas",
        format: "auto",
        name: "upload.ndjson",
        body: NDJSON,
      });
      expect(again.status).toBe(303);
      const second = await (await get(again.headers.get("location") ?? "", "pm")).text();
      expect(second.match(/data-testid="count-inserted"[\s\S]*?class="value">([^<]+)</)?.[1]).toBe("0");
      expect(second.match(/data-testid="count-duplicates"[\s\S]*?class="value">([^<]+)</)?.[1]).toBe("2");
      expect(textOf(second)).toMatch(/format segment \(detected/);
    },
  );

  it.skipIf(skip)(
    "names the file in the message for an empty or binary file, and writes nothing",
    async () => {
      const before = await atlasRunCount();
      const empty = await postUpload("pm", {
        product: "atlas",
        format: "auto",
        name: "empty.ndjson",
        body: "",
      });
      expect(empty.status).toBe(200);
      const emptyText = textOf(await empty.text());
      expect(emptyText).toContain("empty.ndjson: the file is empty.");
      const binary = await postUpload("pm", {
        product: "atlas",
        format: "auto",
        name: "photo.png",
        body: new Uint8Array(4096).map((_, i) => (i * 7) % 256),
      });
      const binaryText = textOf(await binary.text());
      expect(binaryText).toContain("photo.png:");
      expect(binaryText).not.toMatch(/\n\s+at |Error:/);
      expect(await atlasRunCount()).toBe(before);
    },
  );

  it.skipIf(skip)(
    "refuses uploads from an exec, into a product the pm does not lead, or from another origin",
    async () => {
      const before = await atlasRunCount();
      const exec = await postUpload(
        "exec",
        { product: "atlas", format: "segment", name: "x.ndjson", body: NDJSON },
        { formOf: "pm" },
      );
      // The exec's page has no upload form to render the refusal in; what matters is that nothing ran.
      expect(exec.status).not.toBe(303);
      const other = await postUpload("pm", {
        product: "pulse",
        format: "segment",
        name: "x.ndjson",
        body: NDJSON,
      });
      expect(other.status).not.toBe(303);
      const cross = await postUpload(
        "pm",
        { product: "atlas", format: "segment", name: "x.ndjson", body: NDJSON },
        { origin: "http://evil.example" },
      );
      expect(cross.status).not.toBe(303);
      expect(await atlasRunCount()).toBe(before);
    },
  );
});
