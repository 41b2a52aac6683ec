import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { plausibleAdapter, plausibleTable } from "../../../ingest/adapters/web/plausible";
import { validateDailyStat } from "../../../ingest/validate";
import { collect, collectFile, errorOf, makeCtx, realDir, rejectsOf } from "./web-helpers";

describe("plausible import", () => {
  it("turns each row into a daily stat: dimensions as text, metrics as numbers, empty metrics left out", async () => {
    const csv =
      'date,source,referrer,visitors,bounce_rate\n"2024-01-02","Google","google.com",12,\n2024-01-03,"",,3,0.5\n';
    const items = await collect(plausibleAdapter, csv, makeCtx("imported_sources_20240101_20240131.csv"));
    expect(items).toEqual([
      {
        kind: "daily_stat",
        line: 2,
        value: {
          table: "sources",
          date: "2024-01-02",
          dimensions: { source: "Google", referrer: "google.com" },
          metrics: { visitors: 12 },
        },
      },
      {
        kind: "daily_stat",
        line: 3,
        value: {
          table: "sources",
          date: "2024-01-03",
          dimensions: { source: "", referrer: "" },
          metrics: { visitors: 3, bounce_rate: 0.5 },
        },
      },
    ]);
  });

  it("names the table from the file name, else from the header", () => {
    expect(plausibleTable("exports/imported_entry_pages_20230209_20240123.csv", [])).toBe("entry_pages");
    expect(plausibleTable("imported_visitors.csv", [])).toBe("visitors");
    expect(plausibleTable("x.csv", ["date", "exit_page", "visitors", "exits"])).toBe("exit_pages");
    expect(plausibleTable("x.csv", ["date", "name", "link_url", "path", "visitors", "events"])).toBe(
      "custom_events",
    );
    expect(plausibleTable("x.csv", ["date", "visitors", "pageviews"])).toBe("visitors");
    expect(plausibleTable("x.csv", ["name", "visitors"])).toBeNull();
  });

  it("rejects bad dates and non-numeric metrics by line; refuses a file without a date column", async () => {
    const csv = "date,visitors\n2024-13-01,1\n2024-01-01,many\n";
    const rejects = rejectsOf(
      await collect(plausibleAdapter, csv, makeCtx("imported_visitors_20240101_20240131.csv")),
    );
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'date "2024-13-01" is not YYYY-MM-DD'],
      [3, 'visitors "many" is not a number'],
    ]);
    const err = await errorOf(() => collect(plausibleAdapter, "name,visitors\n/,1\n", makeCtx("pages.csv")));
    expect(err).toBeInstanceOf(UnreadableInputError);
    expect(err.message).toMatch(/^not a Plausible CSV export table: expected a date column/);
  });
});

const real = realDir("plausible/csv-export-docs-examples");
describe.skipIf(!real.present)(`plausible ${real.title}`, () => {
  it("imports all ten export tables from Plausible's docs", async () => {
    const counts: Record<string, number> = {};
    for (const f of readdirSync(real.dir).sort()) {
      const items = await collectFile(plausibleAdapter, join(real.dir, f));
      expect(rejectsOf(items)).toEqual([]);
      for (const item of items) {
        expect(item.kind).toBe("daily_stat");
        if (item.kind === "daily_stat") {
          expect(validateDailyStat(item.value)).toBeNull();
          counts[item.value.table] = (counts[item.value.table] ?? 0) + 1;
        }
      }
    }
    expect(counts).toEqual({
      browsers: 9,
      custom_events: 7,
      devices: 9,
      entry_pages: 9,
      exit_pages: 9,
      locations: 9,
      operating_systems: 9,
      pages: 9,
      sources: 9,
      visitors: 9,
    });
  });

  it("keeps the documented columns: visitors totals, locations with GeoName city ids", async () => {
    const [visitors] = await collectFile(
      plausibleAdapter,
      join(real.dir, "imported_visitors_20230209_20240123.head10.csv"),
    );
    expect(visitors).toMatchObject({
      value: {
        table: "visitors",
        date: "2023-02-09",
        dimensions: {},
        metrics: { visitors: 119, pageviews: 304, bounces: 77, visits: 134, visit_duration: 21070 },
      },
    });
    const [loc] = await collectFile(
      plausibleAdapter,
      join(real.dir, "imported_locations_20230209_20240123.head10.csv"),
    );
    expect(loc).toMatchObject({
      value: {
        dimensions: { country: "FR", region: "FR-PAC", city: "3027647" },
        metrics: { visitors: 1, visit_duration: 4 },
      },
    });
  });
});
