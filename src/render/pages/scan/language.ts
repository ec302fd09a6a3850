export type PageLanguage = "zh" | "en";

/**
 * The scan page's language: `?lang=` when given (zh or en), else the Accept-Language range with the highest weight
 * that names Chinese or English, else Chinese.
 */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  return statedLanguage(query, acceptLanguage) ?? "zh";
}

/**
 * The language the client asked for, or null when it named languages but neither of ours: choosing among links by
 * language then has no answer (a 300). A client that names none gets Chinese, the service's first language.
 */
export function statedLanguage(query: string | undefined, acceptLanguage: string | undefined): PageLanguage | null {
  const q = query?.trim().toLowerCase();
  if (q !== undefined && q !== "") {
    if (q.startsWith("en")) return "en";
    if (q.startsWith("zh")) return "zh";
  }
  let best: { lang: PageLanguage; q: number } | null = null;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const [tag, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const lang: PageLanguage | null = tag === undefined ? null : tag.startsWith("zh") ? "zh" : tag.startsWith("en") ? "en" : null;
    if (lang === null) continue;
    const weight = params.map((p) => /^q=([0-9.]+)$/.exec(p)).find((m) => m !== null);
    const w = weight === undefined || weight === null ? 1 : Number(weight[1]);
    if (w > 0 && (best === null || w > best.q)) best = { lang, q: w };
  }
  if (best !== null) return best.lang;
  return acceptLanguage === undefined || acceptLanguage.trim() === "" ? "zh" : null;
}
