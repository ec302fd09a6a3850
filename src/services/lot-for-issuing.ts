import type DataLoader from "dataloader";
import { eq } from "drizzle-orm";
import { anyOfPlaceholder, batchLoader, loaderFor, textArray } from "../db/batch";
import type { Database } from "../db/client";
import { lots, parties, products, sites } from "../db/schema";

/** Everything a certificate's template is filled from: the lot with its product, site and owner as they are now. */
export interface LotForIssuing {
  lot: typeof lots.$inferSelect;
  product: typeof products.$inferSelect;
  site: typeof sites.$inferSelect | null;
  party: typeof parties.$inferSelect;
}

interface Key {
  lotId: string;
  partyId: string;
}

const loaders = new WeakMap<Database, DataLoader<Key, LotForIssuing | null>>();

function loadLots(db: Database) {
  const statement = db
    .select({ lot: lots, product: products, site: sites, party: parties })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .innerJoin(parties, eq(parties.id, lots.partyId))
    .leftJoin(sites, eq(sites.id, lots.siteId))
    .where(anyOfPlaceholder(lots.id, "lotIds"))
    .prepare("lots_for_issuing");
  return batchLoader<Key, LotForIssuing | null>(async (keys) => {
    const rows = await statement.execute({ lotIds: textArray(new Set(keys.map((k) => k.lotId))) });
    const byId = new Map(rows.map((r) => [r.lot.id, r]));
    // Ownership is checked per request: another party's lot is as unknown to the caller as a missing one.
    return keys.map((k) => {
      const found = byId.get(k.lotId);
      return found !== undefined && found.lot.partyId === k.partyId ? found : null;
    });
  });
}

/**
 * The caller's lot, or null when there is no such lot or it belongs to another party. Requests issuing in the same
 * turn of the event loop share one query.
 */
export function lotForIssuing(db: Database, partyId: string, lotId: string): Promise<LotForIssuing | null> {
  return loaderFor(loaders, db, loadLots).load({ lotId, partyId });
}
