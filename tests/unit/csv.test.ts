import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../lib/csv";

describe("CSV export", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
  });
  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });
  it("keeps numbers numeric, negative ones included", () => {
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
  });
  it("writes a header and rows with CRLF", () => {
    const csv = toCsv(
      [{ name: "Atlas", wau: 970 }],
      [
        { header: "Product", value: (r) => r.name },
        { header: "WAU", value: (r) => r.wau },
      ],
    );
    expect(csv).toBe("Product,WAU\r\nAtlas,970\r\n");
  });
});
