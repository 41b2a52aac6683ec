import type { Adapter } from "../types";
import { appStoreAdapter } from "./appstore";
import { googlePlayAdapter } from "./googleplay";
import { hnAdapter } from "./hn";
import { redditAdapter } from "./reddit";
import { rssAdapter } from "./rss";
import { checkedMentions } from "./social-check";
import { xAdapter } from "./x";

/** Every social adapter, in the order `--format auto` tries them. */
export const SOCIAL_ADAPTERS: Adapter[] = [
  hnAdapter,
  redditAdapter,
  xAdapter,
  appStoreAdapter,
  googlePlayAdapter,
  rssAdapter,
].map(checkedMentions);
