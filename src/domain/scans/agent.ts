/** What kind of client scanned: enough to tell consumers' phones from crawlers, nothing that identifies anyone. */
export const SCAN_AGENTS = ["wechat", "alipay", "browser", "bot", "other"] as const;
export type ScanAgent = (typeof SCAN_AGENTS)[number];

const BOT = /bot|crawl|spider|slurp|curl|wget|python|go-http|java\/|okhttp|axios|node-fetch|undici|autocannon|headless|preview|monitor/i;

export function agentClass(userAgent: string | undefined): ScanAgent {
  if (userAgent === undefined || userAgent.trim() === "") return "other";
  // The in-app browsers come first: their user agents also say Mozilla and Safari.
  if (/MicroMessenger/i.test(userAgent)) return "wechat";
  if (/AlipayClient|AliApp/i.test(userAgent)) return "alipay";
  if (BOT.test(userAgent)) return "bot";
  if (/Mozilla\/|Opera\//.test(userAgent)) return "browser";
  return "other";
}

/** Bots do not count: a link preview or a crawler is not someone holding the goods. */
export function countsAsPersonScan(agent: ScanAgent): boolean {
  return agent !== "bot";
}
