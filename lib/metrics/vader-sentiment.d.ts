/** Types for the CommonJS `vader-sentiment` package (Apache-2.0), which ships none. */
declare module "vader-sentiment" {
  interface PolarityScores {
    neg: number;
    neu: number;
    pos: number;
    /** Normalized sum of valences in [-1, 1]. */
    compound: number;
  }
  const vader: {
    SentimentIntensityAnalyzer: { polarity_scores(text: string): PolarityScores };
  };
  export default vader;
}
