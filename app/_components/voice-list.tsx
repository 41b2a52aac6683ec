import type { VoiceItem } from "../../lib/queries/dash-voice";
import { formatSentiment } from "../../lib/ui/format";

const SOURCE_LABELS: Record<string, string> = {
  hn: "Hacker News",
  reddit: "Reddit",
  x: "X",
  appstore: "App Store",
  googleplay: "Google Play",
  rss: "RSS",
};

export const sourceLabel = (s: string) => SOURCE_LABELS[s] ?? s;

function tone(s: number | null): string {
  if (s === null) return "sentiment-none";
  return s > 0.05 ? "sentiment-pos" : s < -0.05 ? "sentiment-neg" : "sentiment-neutral";
}

/** Comments and mentions as quotes: the voice of the customer beside the numbers. */
export function VoiceList({ items, empty }: { items: readonly VoiceItem[]; empty: string }) {
  if (items.length === 0) return <p className="muted voice-empty">{empty}</p>;
  return (
    <ul className="voice-list">
      {items.map((item) => (
        <li key={`${item.kind}-${item.id}`} className={`voice ${tone(item.sentiment)}`} data-kind={item.kind}>
          <blockquote>{item.text.length > 320 ? `${item.text.slice(0, 317)}…` : item.text}</blockquote>
          <div className="voice-meta muted">
            <span>
              {item.kind === "comment"
                ? `Survey${item.questionKind && item.questionKind !== "other" ? ` (${item.questionKind.toUpperCase()} ${item.score ?? ""})` : ""}`
                : sourceLabel(item.source)}
            </span>
            <span>{item.at.slice(0, 10)}</span>
            <span>sentiment {formatSentiment(item.sentiment)}</span>
            {item.engagement ? <span>{item.engagement} engagement</span> : null}
            {item.url && /^https?:\/\//i.test(item.url) ? (
              <a href={item.url} target="_blank" rel="noopener noreferrer">
                open <span aria-hidden="true">↗</span>
              </a>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
