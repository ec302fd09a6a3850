/**
 * What the gate shows of a certificate's upstream certificates (a buyer's 样式二 names the certificates it was made
 * from). The field is added to certificate content by the buyers' certificates work; until then, and for 样式一
 * certificates, there is nothing to summarise. Parsed defensively so the gate keeps working whatever shape lands.
 */
export interface UpstreamSummary {
  count: number;
  /** Upstream certificates issued on this platform, and those named by another platform's code or a paper number. */
  onPlatform: number;
  external: number;
  /** Codes of upstream certificates that are not valid (revoked, recalled, failed …) when the content says so. */
  notValid: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function upstreamSummary(content: unknown): UpstreamSummary | null {
  if (!isRecord(content)) return null;
  const list = content["upstream"];
  if (!Array.isArray(list) || list.length === 0) return null;
  let onPlatform = 0;
  let external = 0;
  const notValid: string[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const isExternal = entry["external"] === true || entry["kind"] === "external" || entry["kind"] === "paper";
    if (isExternal) external++;
    else onPlatform++;
    const status = entry["status"];
    const code = entry["code"] ?? entry["number"];
    if (typeof status === "string" && status !== "valid" && typeof code === "string") notValid.push(code);
  }
  return { count: list.length, onPlatform, external, notValid };
}
