/**
 * A buyer's certificate is only as good as the certificates it names: when any of them (or any they name in turn) is
 * revoked, recalled or failed, so is the buyer's. Pure rules over a tree already read from the database.
 */
export type Trouble = "recalled" | "failed_test" | "revoked";
export type StandingStatus = "valid" | Trouble;

/** Worst first: whoever holds the goods must first learn they are being taken back, then that they failed. */
const RANK: Record<StandingStatus, number> = { recalled: 3, failed_test: 2, revoked: 1, valid: 0 };

export function worstStatus(statuses: Iterable<StandingStatus>): StandingStatus {
  let worst: StandingStatus = "valid";
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

export interface TreeNode {
  code: string;
  /** What is wrong with this certificate itself or its lot's lineage, not counting its upstream. */
  troubles: readonly Trouble[];
  /** Ids of the certificates issued here that it names. */
  upstream: readonly string[];
}

export interface InheritedTrouble {
  /** The upstream certificate that is revoked, recalled or failed. */
  code: string;
  status: Trouble;
  /** Codes from the certificate's direct upstream down to `code`: how the trouble reaches it. */
  path: string[];
}

/**
 * Every upstream certificate within `maxDepth` levels of `rootId` that has troubles of its own, each once, reached by
 * its shortest path (breadth first), in the order met. The root's own troubles are not listed.
 */
export function inheritedTroubles(rootId: string, nodes: ReadonlyMap<string, TreeNode>, maxDepth: number): InheritedTrouble[] {
  const found: InheritedTrouble[] = [];
  const seen = new Set<string>([rootId]);
  let level: { id: string; path: string[] }[] = [{ id: rootId, path: [] }];
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { id, path } of level) {
      for (const childId of nodes.get(id)?.upstream ?? []) {
        if (seen.has(childId)) continue;
        seen.add(childId);
        const child = nodes.get(childId);
        if (child === undefined) continue;
        const childPath = [...path, child.code];
        const status = worstStatus(child.troubles);
        if (status !== "valid") found.push({ code: child.code, status, path: childPath });
        next.push({ id: childId, path: childPath });
      }
    }
    level = next;
  }
  return found;
}

/** The status a certificate answers with: its own troubles and every inherited one, the worst winning. */
export function effectiveStatus(own: readonly Trouble[], inherited: readonly InheritedTrouble[]): StandingStatus {
  return worstStatus([...own, ...inherited.map((t) => t.status)]);
}
