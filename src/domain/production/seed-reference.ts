/**
 * The reference set shipped with the service: the GB/T 8321 examples, the 公告199号 high-toxicity list and the
 * crop-specific bans given in DOMAIN.md, plus a few veterinary withdrawal periods marked unconfirmed. Districts
 * replace or extend it (PHI rows import from CSV); the label of the product actually used always governs.
 */
import type { ActiveIngredient, ChemicalClass, IngredientBan, InputProduct, ReferenceSet } from "./reference.js";

const GB_T_8321 = "GB/T 8321 农药合理使用准则";
const VET_UNCONFIRMED_NOTE =
  "Withdrawal period as commonly cited from 农业部公告第278号; not checked against the official text. Confirm against the product label before relying on it.";

function ingredient(name: string, nameEn: string, chemicalClass: ChemicalClass): ActiveIngredient {
  return { name, nameEn, chemicalClass };
}

/** 公告199号: high-toxicity pesticides barred on 蔬菜、果树、茶叶、中草药材. */
const ANNOUNCEMENT_199_RESTRICTED: readonly ActiveIngredient[] = [
  ingredient("甲胺磷", "methamidophos", "organophosphate"),
  ingredient("甲基对硫磷", "parathion-methyl", "organophosphate"),
  ingredient("对硫磷", "parathion", "organophosphate"),
  ingredient("久效磷", "monocrotophos", "organophosphate"),
  ingredient("磷胺", "phosphamidon", "organophosphate"),
  ingredient("甲拌磷", "phorate", "organophosphate"),
  ingredient("甲基异柳磷", "isofenphos-methyl", "organophosphate"),
  ingredient("特丁硫磷", "terbufos", "organophosphate"),
  ingredient("甲基硫环磷", "phosfolan-methyl", "organophosphate"),
  ingredient("治螟磷", "sulfotep", "organophosphate"),
  ingredient("内吸磷", "demeton", "organophosphate"),
  ingredient("克百威", "carbofuran", "carbamate"),
  ingredient("涕灭威", "aldicarb", "carbamate"),
  ingredient("灭线磷", "ethoprophos", "organophosphate"),
  ingredient("硫环磷", "phosfolan", "organophosphate"),
  ingredient("蝇毒磷", "coumaphos", "organophosphate"),
  ingredient("地虫硫磷", "fonofos", "organophosphate"),
  ingredient("氯唑磷", "isazofos", "organophosphate"),
  ingredient("苯线磷", "fenamiphos", "organophosphate"),
];

const INGREDIENTS: readonly ActiveIngredient[] = [
  ingredient("阿维菌素", "abamectin", "avermectin"),
  ingredient("啶虫脒", "acetamiprid", "neonicotinoid"),
  ingredient("联苯菊酯", "bifenthrin", "pyrethroid"),
  ingredient("噻嗪酮", "buprofezin", "thiadiazine"),
  ingredient("三唑锡", "azocyclotin", "organotin"),
  ingredient("氧乐果", "omethoate", "organophosphate"),
  ingredient("灭多威", "methomyl", "carbamate"),
  ingredient("多菌灵", "carbendazim", "benzimidazole"),
  ingredient("克伦特罗", "clenbuterol", "beta_agonist"),
  ingredient("莱克多巴胺", "ractopamine", "beta_agonist"),
  ingredient("沙丁胺醇", "salbutamol", "beta_agonist"),
  ingredient("孔雀石绿", "malachite green", "triphenylmethane"),
  ingredient("硝基呋喃类", "nitrofurans", "nitrofuran"),
  ingredient("氯霉素", "chloramphenicol", "amphenicol"),
  ingredient("恩诺沙星", "enrofloxacin", "fluoroquinolone"),
  ingredient("伊维菌素", "ivermectin", "avermectin"),
  ingredient("氟苯尼考", "florfenicol", "amphenicol"),
  ...ANNOUNCEMENT_199_RESTRICTED,
];

function pesticide(
  id: string,
  name: string,
  nameEn: string,
  content: string,
  formulationCode: string,
  rows: readonly (readonly [target: string, maxApplications: number, phiDays: number])[],
): InputProduct {
  return {
    id,
    kind: "pesticide",
    registrationNo: null,
    name,
    nameEn,
    formulation: `${content} ${formulationCode}`,
    activeIngredients: [{ name, content }],
    intervals: rows.map(([target, maxApplicationsPerSeason, days]) => ({
      target,
      days,
      maxApplicationsPerSeason,
      confirmed: true,
      source: GB_T_8321,
      note: null,
    })),
  };
}

function veterinaryDrug(
  id: string,
  name: string,
  nameEn: string,
  ingredientName: string,
  formulation: string,
  rows: readonly (readonly [species: string, withdrawalDays: number])[],
): InputProduct {
  return {
    id,
    kind: "veterinary_drug",
    registrationNo: null,
    name,
    nameEn,
    formulation,
    activeIngredients: [{ name: ingredientName, content: null }],
    intervals: rows.map(([target, days]) => ({
      target,
      days,
      maxApplicationsPerSeason: null,
      confirmed: false,
      source: "农业部公告第278号 (unverified)",
      note: VET_UNCONFIRMED_NOTE,
    })),
  };
}

const PRODUCTS: readonly InputProduct[] = [
  pesticide("abamectin-1.8-ec", "阿维菌素", "Abamectin", "1.8%", "EC", [
    ["叶菜", 1, 7],
    ["黄瓜", 3, 2],
    ["豇豆", 3, 5],
    ["柑桔", 2, 14],
  ]),
  pesticide("acetamiprid-20-ec", "啶虫脒", "Acetamiprid", "20%", "EC", [["黄瓜", 3, 2]]),
  pesticide("acetamiprid-20-sp", "啶虫脒", "Acetamiprid", "20%", "SP", [["黄瓜", 3, 1]]),
  pesticide("bifenthrin-10-ec", "联苯菊酯", "Bifenthrin", "10%", "EC", [
    ["番茄(大棚)", 3, 4],
    ["茶叶", 1, 7],
  ]),
  pesticide("buprofezin-25-wp", "噻嗪酮", "Buprofezin", "25%", "WP", [
    ["水稻", 2, 14],
    ["柑桔", 2, 35],
  ]),
  pesticide("azocyclotin-25-wp", "三唑锡", "Azocyclotin", "25%", "WP", [["柑桔", 2, 30]]),
  veterinaryDrug("enrofloxacin-solution", "恩诺沙星溶液", "Enrofloxacin oral solution", "恩诺沙星", "溶液", [["鸡", 8]]),
  veterinaryDrug("ivermectin-injection", "伊维菌素注射液", "Ivermectin injection", "伊维菌素", "注射液", [
    ["猪", 28],
    ["牛", 35],
    ["羊", 35],
  ]),
  veterinaryDrug("florfenicol-powder", "氟苯尼考粉", "Florfenicol powder", "氟苯尼考", "粉", [
    ["猪", 20],
    ["鸡", 5],
  ]),
];

const BANS: readonly IngredientBan[] = [
  ...ANNOUNCEMENT_199_RESTRICTED.map(
    ({ name }): IngredientBan => ({
      ingredient: name,
      scope: { kind: "targets", targets: ["蔬菜", "水果", "茶叶", "中草药材"] },
      source: "农业部公告第199号",
      note: "公告 wording is 蔬菜、果树、茶叶、中草药材; 果树 is mapped to 水果. The current national list is longer.",
    }),
  ),
  {
    ingredient: "氧乐果",
    scope: { kind: "targets", targets: ["甘蓝", "柑桔"] },
    source: "农业部作物限用规定",
    note: null,
  },
  {
    ingredient: "灭多威",
    scope: { kind: "targets", targets: ["柑桔", "苹果", "茶叶", "十字花科蔬菜"] },
    source: "农业部作物限用规定",
    note: null,
  },
];

/**
 * Crop, crop group and species → the groups directly above it. Editable data: a crop missing here only matches
 * rules written for its exact name, and the gate flags it so the map gets extended.
 */
const CROP_GROUPS: Readonly<Record<string, readonly string[]>> = {
  蔬菜: [],
  叶菜: ["蔬菜"],
  十字花科蔬菜: ["蔬菜"],
  瓜类蔬菜: ["蔬菜"],
  茄果类蔬菜: ["蔬菜"],
  豆类蔬菜: ["蔬菜"],
  水果: [],
  柑桔: ["水果"],
  猕猴桃: ["水果"],
  苹果: ["水果"],
  茶叶: [],
  中草药材: [],
  水稻: [],
  上海青: ["叶菜", "十字花科蔬菜"],
  小白菜: ["叶菜", "十字花科蔬菜"],
  大白菜: ["叶菜", "十字花科蔬菜"],
  甘蓝: ["叶菜", "十字花科蔬菜"],
  花椰菜: ["十字花科蔬菜"],
  萝卜: ["十字花科蔬菜"],
  菠菜: ["叶菜"],
  生菜: ["叶菜"],
  黄瓜: ["瓜类蔬菜"],
  番茄: ["茄果类蔬菜"],
  // A label row for greenhouse tomatoes binds greenhouse tomatoes only; general 番茄 rows still bind them.
  "番茄(大棚)": ["番茄"],
  豇豆: ["豆类蔬菜"],
  雷笋: ["蔬菜"],
  红心猕猴桃: ["猕猴桃"],
  畜: [],
  禽: [],
  猪: ["畜"],
  牛: ["畜"],
  羊: ["畜"],
  鸡: ["禽"],
  鸭: ["禽"],
};

/** Spellings seen on records → the name used above. Full-width forms need no entry: names are NFKC-normalised. */
const CROP_ALIASES: Readonly<Record<string, string>> = {
  柑橘: "柑桔",
  茶: "茶叶",
  茶鲜叶: "茶叶",
  果树: "水果",
  结球甘蓝: "甘蓝",
  西红柿: "番茄",
};

export const SEED_REFERENCE: ReferenceSet = {
  version: "seed-2026.1",
  effectiveFrom: "2026-02-01",
  ingredients: INGREDIENTS,
  products: PRODUCTS,
  bans: BANS,
  mrls: [],
  cropGroups: CROP_GROUPS,
  cropAliases: CROP_ALIASES,
};
