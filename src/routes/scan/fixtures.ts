import type { TestContext } from "../../../test/support/context";

/** Four certificates, one per verdict the scan page shows for a found code. Used by the route and browser tests. */
export async function scanFixtures(t: TestContext) {
  const issue = async (key: string, lotId: string, quantity = 100, extra: Record<string, unknown> = {}) => {
    const res = await t.call("POST", "/v1/certificates", { key, body: { lotId, quantity, basis: "quality_control", copies: 4, ...extra } });
    if (res.status !== 201) throw new Error(`issue: ${res.status} ${res.text}`);
    return res.json as { id: string; code: string; displayCode: string };
  };
  const a = await t.producerWithLot(1000);
  const valid = await issue(a.producer.key, a.lot.id);
  const revoked = await issue(a.producer.key, a.lot.id, 50);
  const revokedRes = await t.call("POST", `/v1/certificates/${revoked.id}/revoke`, { key: a.producer.key, body: { reason: "标签印错" } });
  if (revokedRes.status !== 200) throw new Error(`revoke: ${revokedRes.status} ${revokedRes.text}`);

  const b = await t.producerWithLot(500);
  const failed = await issue(b.producer.key, b.lot.id);
  const test = await t.call("POST", "/v1/tests", {
    key: b.producer.key,
    body: { lotId: b.lot.id, kind: "self_test", method: "enzyme_inhibition", results: [{ value: 72, unit: "%" }] },
  });
  if (test.status !== 201) throw new Error(`test: ${test.status} ${test.text}`);

  const c = await t.producerWithLot(300);
  const recalled = await issue(c.producer.key, c.lot.id);
  const regulator = await t.party("regulator", { regionCode: "330112" });
  const recall = await t.call("POST", "/v1/recalls", { key: regulator.key, body: { lotId: c.lot.id, reason: "监督抽检克百威超标", scope: "lot_and_descendants" } });
  if (recall.status !== 201) throw new Error(`recall: ${recall.status} ${recall.text}`);

  return { valid, revoked, failed, recalled, producer: a.producer, lot: a.lot, product: a.product, site: a.site, regulator };
}
