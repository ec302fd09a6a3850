import { count } from "drizzle-orm";
import { hashSecret } from "../auth/api-keys";
import { type Principal, roleOfKind } from "../auth/principal";
import type { AppDeps } from "../deps";
import { certificateUrl } from "../domain/credential";
import { uuidv7 } from "../domain/ids";
import { withUsccCheck } from "../domain/uscc";
import { apiKeys, parties } from "../db/schema";
import { createLot, createProduct, createSite } from "../services/catalog";
import { issueBuyerCertificate } from "../services/buyer-certificates";
import { issueCertificate, revokeCertificate } from "../services/certificates";
import { ingestReadings } from "../services/cold-chain";
import { createShipment, receiveShipment } from "../services/custody";
import { recordTest } from "../services/lab-tests";
import { recordScans } from "../services/scans";
import { createRecord } from "../services/production-records";
import type { ApplicationData } from "../domain/production/stored-records";
import { createParty, type NewParty } from "../services/parties";

/**
 * Demo keys are fixed and printed at every start so a reader of the README can use them; they are public, so a
 * deployment holding real data runs with DEMO_DATA=0.
 */
export const DEMO_KEYS = {
  admin: "lp_demo_admin_linan",
  regulator: "lp_demo_regulator_linan",
  coop: "lp_demo_coop_leisun",
  farm: "lp_demo_farm_kiwi",
  market: "lp_demo_market_linan",
  buyer: "lp_demo_buyer_xianda",
} as const;

const ADMIN: Principal = { keyId: "demo-seed", role: "admin", partyId: null, regionCode: null };

export interface DemoSummary {
  seeded: boolean;
  keys: typeof DEMO_KEYS;
  scanLinks: { label: string; url: string }[];
}

function application(fields: Partial<ApplicationData> & Pick<ApplicationData, "inputName" | "appliedOn">): ApplicationData {
  return {
    kind: "application",
    inputType: "pesticide",
    registrationNo: null,
    formulation: null,
    activeIngredients: [],
    dose: null,
    method: null,
    stoppedOn: null,
    operator: null,
    pest: null,
    notes: null,
    ...fields,
  };
}

export async function seedDemo(deps: AppDeps): Promise<DemoSummary> {
  const [{ n } = { n: 0 }] = await deps.db.select({ n: count() }).from(parties);
  if (n > 0) return { seeded: false, keys: DEMO_KEYS, scanLinks: [] };

  const register = async (input: NewParty, key?: string) => {
    const party = await createParty(deps, ADMIN, input);
    if (key !== undefined) {
      await deps.db.insert(apiKeys).values({
        id: uuidv7(deps.clock(), deps.randomBytes),
        partyId: party.id,
        role: roleOfKind(party.kind),
        secretHash: hashSecret(key),
        prefix: key.slice(0, 10),
        label: "demo",
        createdAt: deps.clock(),
      });
    }
    const principal: Principal = { keyId: "demo-seed", role: roleOfKind(party.kind), partyId: party.id, regionCode: party.regionCode };
    return { party, principal };
  };

  await deps.db.insert(apiKeys).values({
    id: uuidv7(deps.clock(), deps.randomBytes),
    partyId: null,
    role: "admin",
    secretHash: hashSecret(DEMO_KEYS.admin),
    prefix: "lp_demo",
    label: "demo",
    createdAt: deps.clock(),
  });
  await register(
    { kind: "regulator", name: "杭州市临安区农业农村局", phone: "0571-63812345", regionCode: "330112", contactName: "质量安全科", address: "杭州市临安区锦城街道" },
    DEMO_KEYS.regulator,
  );
  const coop = await register(
    {
      kind: "cooperative",
      name: "杭州临安青山雷笋专业合作社",
      creditCode: withUsccCheck("93330112MA2H4K7Q5"),
      contactName: "章建华",
      phone: "13857101234",
      regionCode: "330112",
      address: "杭州市临安区太湖源镇青山村",
    },
    DEMO_KEYS.coop,
  );
  const farm = await register(
    {
      kind: "family_farm",
      name: "江山市碗窑红心猕猴桃家庭农场",
      creditCode: withUsccCheck("92330881MA2P3R8N6"),
      contactName: "毛丽娟",
      phone: "13905707788",
      regionCode: "330881",
      address: "衢州市江山市碗窑乡",
    },
    DEMO_KEYS.farm,
  );
  const tea = await register({
    kind: "enterprise",
    name: "浙江天目青顶茶业有限公司",
    creditCode: withUsccCheck("91330112MA27W5D3X"),
    contactName: "俞明",
    phone: "0571-63701122",
    regionCode: "330112",
    address: "杭州市临安区天目山镇",
  });
  const household = await register({ kind: "household", name: "王建国", idNumber: "33018519700101123X", phone: "13700001111", regionCode: "330112", address: "杭州市临安区板桥镇" });
  const market = await register(
    {
      kind: "market",
      name: "临安农副产品批发市场",
      creditCode: withUsccCheck("91330112MA2B6C1L8"),
      contactName: "市场管理办公室",
      phone: "0571-63709900",
      regionCode: "330112",
      address: "杭州市临安区锦北街道",
    },
    DEMO_KEYS.market,
  );
  const buyer = await register(
    { kind: "buyer", name: "临安鲜达农产品经纪部", creditCode: withUsccCheck("92330112MA2D8E4F2"), phone: "13588886666", regionCode: "330112" },
    DEMO_KEYS.buyer,
  );
  await register({ kind: "lab", name: "临安区农产品质量安全检测站", phone: "0571-63705566", regionCode: "330112" });

  const today = deps.clock();
  const daysAgo = (d: number) => new Date(today.getTime() - d * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

  const bambooSite = await createSite(deps, coop.principal, { name: "青山村3号竹林", regionCode: "330112", address: "杭州市临安区太湖源镇青山村", lat: 30.31, lon: 119.58 });
  const bamboo = await createProduct(deps, coop.principal, { name: "雷笋", category: "蔬菜", unit: "kg", storage: { minC: 0, maxC: 7 } });
  const bambooLot = await createLot(deps, coop.principal, { productId: bamboo.id, siteId: bambooSite.id, quantity: 1200, unit: "kg", harvestedOn: daysAgo(1) });

  const kiwiSite = await createSite(deps, farm.principal, { name: "碗窑猕猴桃园", regionCode: "330881", address: "衢州市江山市碗窑乡", lat: 28.62, lon: 118.62 });
  const kiwi = await createProduct(deps, farm.principal, { name: "红心猕猴桃", category: "水果", gtin: "06971234560014", unit: "kg", storage: { minC: 0, maxC: 7 } });
  const kiwiLot = await createLot(deps, farm.principal, { productId: kiwi.id, siteId: kiwiSite.id, quantity: 800, unit: "kg", harvestedOn: daysAgo(2), code: "WY-2611-07" });

  const teaProduct = await createProduct(deps, tea.principal, { name: "天目青顶茶鲜叶", category: "茶鲜叶", unit: "斤", storage: { minC: 0, maxC: 10 } });
  const teaLot = await createLot(deps, tea.principal, { productId: teaProduct.id, quantity: 300, unit: "斤", harvestedOn: daysAgo(0) });

  // 肥药两制 records: the bamboo grove got cake fertiliser only, and the shoots passed the co-op's own rapid test.
  await createRecord(deps, coop.principal, { siteId: bambooSite.id }, application({ inputType: "fertilizer", inputName: "腐熟菜籽饼肥", dose: "150公斤/亩", method: "沟施", appliedOn: daysAgo(45), operator: "章建华" }));
  await createRecord(deps, coop.principal, { lotId: bambooLot.id }, { kind: "harvest", harvestedOn: daysAgo(1), quantity: 1200, unit: "kg", endsSeason: false, operator: "章建华", notes: null });
  const bambooTest = await recordTest(deps, coop.principal, {
    lotId: bambooLot.id,
    kind: "self_test",
    method: "enzyme_inhibition",
    results: [{ analyte: "有机磷和氨基甲酸酯类", value: 11.6, unit: "%", threshold: 50, reading: null }],
    operator: "章建华",
    sample: { sampleNo: "QS-001", description: "雷笋 0.5 kg，随机取样" },
  });
  const kiwiSpray = application({ inputName: "阿维菌素", formulation: "1.8% EC", activeIngredients: ["阿维菌素"], dose: "3000倍液", method: "喷雾", appliedOn: daysAgo(40), pest: "叶螨", operator: "毛丽娟" });
  await createRecord(deps, farm.principal, { siteId: kiwiSite.id }, kiwiSpray);

  // A household's greens: the abamectin interval was respected, but the market's rapid test came back positive
  // (an unrecorded organophosphate), so the certificate already issued now scans red.
  // Issued first so the start-up banner's latest links stay the ordinary ones.
  const greensSite = await createSite(deps, household.principal, { name: "板桥村菜地", regionCode: "330112", address: "杭州市临安区板桥镇" });
  const greens = await createProduct(deps, household.principal, { name: "小白菜", category: "蔬菜", unit: "kg" });
  const greensLot = await createLot(deps, household.principal, { productId: greens.id, siteId: greensSite.id, quantity: 150, unit: "kg", harvestedOn: daysAgo(1) });
  await createRecord(deps, household.principal, { siteId: greensSite.id }, application({ inputName: "阿维菌素", formulation: "1.8% EC", dose: "2000倍液", method: "喷雾", appliedOn: daysAgo(12), pest: "小菜蛾", operator: "王建国" }));
  const greensCert = await issueCertificate(deps, household.principal, { lotId: greensLot.id, basis: "quality_control", copies: 6 });

  const bambooCert = await issueCertificate(deps, coop.principal, { lotId: bambooLot.id, quantity: 600, basis: "self_test", testIds: [bambooTest.id], copies: 20 });
  const kiwiCert = await issueCertificate(deps, farm.principal, { lotId: kiwiLot.id, quantity: 500, basis: "quality_control", copies: 50 });
  const wrong = await issueCertificate(deps, farm.principal, { lotId: kiwiLot.id, quantity: 300, basis: "quality_control" });
  await revokeCertificate(deps, farm.principal, wrong.row.id, "数量填写错误，已重新开具");
  const teaCert = await issueCertificate(deps, tea.principal, { lotId: teaLot.id, basis: "quality_control" });

  await recordTest(deps, market.principal, {
    lotId: greensLot.id,
    kind: "market_rapid",
    method: "enzyme_inhibition",
    results: [{ analyte: "有机磷和氨基甲酸酯类", value: 63.2, unit: "%", threshold: 50, reading: null }],
    operator: "市场检测室 李敏",
    sample: { sampleNo: "LA-KJ-0387", location: "临安农副产品批发市场 蔬菜区 12 号摊" },
  });

  // A broker collects 300 kg of the kiwi certificate's goods in a refrigerated van, with the logger's record of the
  // trip, and issues its own certificate (样式二) naming the farm's: a scan of it shows custody and the cold chain.
  const shippedAt = new Date(today.getTime() - 8 * 3_600_000);
  const receivedAt = new Date(shippedAt.getTime() + 4 * 3_600_000);
  const shipment = await createShipment(deps, farm.principal, { lotId: kiwiLot.id, quantity: 300, unit: "kg", toPartyId: buyer.party.id, shippedAt: shippedAt.toISOString() });
  const vanTrip = Array.from({ length: 25 }, (_, i) => ({ loggerId: "冷藏车 浙H·3K752", at: shippedAt.getTime() + i * 600_000, celsius: 2.5 + ((i * 7) % 5) * 0.4 }));
  await ingestReadings(deps, farm.principal, { lotId: kiwiLot.id }, vanTrip);
  const collected = await receiveShipment(deps, buyer.principal, shipment.shipment.id, { receivedAt: receivedAt.toISOString() });
  const brokerCert = await issueBuyerCertificate(deps, buyer.principal, {
    lotId: collected.lotId,
    quantity: 300,
    basis: "quality_control",
    copies: 30,
    upstream: [{ kind: "certificate", code: kiwiCert.row.code, quantity: 300 }],
  });

  // Fresh leaves of a famous tea are what counterfeiters put a real label on: the tea certificate's code has been
  // scanned at stalls in five provinces, more than one lot's leaves reach, so its page warns of a copied code and the
  // district's regulators have a case for it.
  const scannedIn: [string, string, number][] = [
    ["Zhejiang", "Hangzhou", 14],
    ["Jiangsu", "Suzhou", 12],
    ["Guangdong", "Guangzhou", 11],
    ["Sichuan", "Chengdu", 10],
    ["Beijing", "Beijing", 10],
  ];
  await recordScans(
    deps,
    scannedIn.flatMap(([region, city, n]) =>
      Array.from({ length: n }, (_, i) => ({
        code: teaCert.row.code,
        at: new Date(today.getTime() - (i + 1) * 1_800_000),
        place: { country: "CN", region, city, lat: null, lon: null },
        agent: "wechat" as const,
        client: null,
      })),
    ),
  );

  return {
    seeded: true,
    keys: DEMO_KEYS,
    scanLinks: [
      { label: `雷笋 ${bambooCert.row.quantity} kg (valid, with the co-op's rapid test)`, url: certificateUrl(deps.publicUrl, bambooCert.row.code) },
      { label: `红心猕猴桃 ${kiwiCert.row.quantity} kg (valid)`, url: certificateUrl(deps.publicUrl, kiwiCert.row.code) },
      { label: "红心猕猴桃 300 kg (revoked)", url: certificateUrl(deps.publicUrl, wrong.row.code) },
      { label: "小白菜 150 kg (failed market rapid test)", url: certificateUrl(deps.publicUrl, greensCert.row.code) },
      { label: "红心猕猴桃 300 kg (valid, a broker's 样式二 with custody and cold chain)", url: certificateUrl(deps.publicUrl, brokerCert.row.code) },
      { label: "天目青顶茶鲜叶 300 斤 (valid, but scanned in five provinces: possibly a copied code)", url: certificateUrl(deps.publicUrl, teaCert.row.code) },
    ],
  };
}
