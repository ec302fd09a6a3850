import { describe, expect, it } from "vitest";
import { SEED_REFERENCE } from "./seed-reference.js";
import { validateReference } from "./validate-reference.js";

describe("SEED_REFERENCE", () => {
  it("is internally consistent", () => {
    expect(validateReference(SEED_REFERENCE)).toEqual([]);
  });

  it("carries exactly the eleven GB/T 8321 example rows", () => {
    const rows = SEED_REFERENCE.products
      .filter((product) => product.kind === "pesticide")
      .flatMap((product) =>
        product.intervals.map((row) => `${product.name} ${product.formulation} ${row.target} ${row.maxApplicationsPerSeason} ${row.days}`),
      );
    expect(rows.sort()).toEqual(
      [
        "阿维菌素 1.8% EC 叶菜 1 7",
        "阿维菌素 1.8% EC 黄瓜 3 2",
        "阿维菌素 1.8% EC 豇豆 3 5",
        "阿维菌素 1.8% EC 柑桔 2 14",
        "啶虫脒 20% EC 黄瓜 3 2",
        "啶虫脒 20% SP 黄瓜 3 1",
        "联苯菊酯 10% EC 番茄(大棚) 3 4",
        "联苯菊酯 10% EC 茶叶 1 7",
        "噻嗪酮 25% WP 水稻 2 14",
        "噻嗪酮 25% WP 柑桔 2 35",
        "三唑锡 25% WP 柑桔 2 30",
      ].sort(),
    );
  });

  it("bars the nineteen 公告199号 pesticides on 蔬菜、水果、茶叶、中草药材", () => {
    const bans = SEED_REFERENCE.bans.filter((ban) => ban.source === "农业部公告第199号");
    expect(bans).toHaveLength(19);
    for (const ban of bans) expect(ban.scope).toEqual({ kind: "targets", targets: ["蔬菜", "水果", "茶叶", "中草药材"] });
  });

  it("carries the crop bans on 氧乐果 and 灭多威", () => {
    const scopeOf = (name: string) => SEED_REFERENCE.bans.find((ban) => ban.ingredient === name)?.scope;
    expect(scopeOf("氧乐果")).toEqual({ kind: "targets", targets: ["甘蓝", "柑桔"] });
    expect(scopeOf("灭多威")).toEqual({ kind: "targets", targets: ["柑桔", "苹果", "茶叶", "十字花科蔬菜"] });
  });

  it("marks every veterinary withdrawal period unconfirmed, with a note", () => {
    const rows = SEED_REFERENCE.products.filter((product) => product.kind === "veterinary_drug").flatMap((p) => p.intervals);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.confirmed).toBe(false);
      expect(row.note).toBeTruthy();
    }
  });

  it("is versioned", () => {
    expect(SEED_REFERENCE.version).toMatch(/\S/);
    expect(SEED_REFERENCE.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
