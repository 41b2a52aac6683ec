/** Series colours, chosen to stay distinct for common colour-vision deficiencies. */
export const PALETTE = [
  "#4f46e5",
  "#0891b2",
  "#d97706",
  "#db2777",
  "#16a34a",
  "#7c3aed",
  "#64748b",
  "#dc2626",
];

export interface SeriesSpec {
  key: string;
  name: string;
  color?: string;
}

export const colorOf = (s: SeriesSpec, i: number) => s.color ?? PALETTE[i % PALETTE.length] ?? "#4f46e5";
