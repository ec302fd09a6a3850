/**
 * What the gate shows of a certificate's upstream certificates (a buyer's 样式二 names the certificates it was made
 * from), from verify's upstream tree: how many entries, how many are certificates issued here and how many external
 * (another platform's code, a paper certificate), and which certificates anywhere in the tree are not valid.
 */
export interface UpstreamSummary {
  count: number;
  /** Upstream certificates issued on this platform, and those named by another platform's code or a paper number. */
  onPlatform: number;
  external: number;
  /** Codes of upstream certificates, at any depth, that are not valid (revoked, recalled, failed). */
  notValid: string[];
}

/** The part of verify's upstream node the summary reads. */
export interface UpstreamNodeLike {
  kind: string;
  code?: string;
  status: string;
  upstream?: readonly UpstreamNodeLike[];
}

export function upstreamSummary(nodes: readonly UpstreamNodeLike[]): UpstreamSummary | null {
  if (nodes.length === 0) return null;
  const notValid: string[] = [];
  const walk = (list: readonly UpstreamNodeLike[]) => {
    for (const n of list) {
      if (n.kind !== "certificate") continue;
      // A node is not valid also when only something above it is; name the certificates that are themselves the cause.
      const below = n.upstream ?? [];
      const causedBelow = below.some((b) => b.kind === "certificate" && b.status !== "valid");
      if (n.status !== "valid" && n.code !== undefined && !causedBelow && !notValid.includes(n.code)) notValid.push(n.code);
      walk(below);
    }
  };
  walk(nodes);
  const onPlatform = nodes.filter((n) => n.kind === "certificate").length;
  return { count: nodes.length, onPlatform, external: nodes.length - onPlatform, notValid };
}
