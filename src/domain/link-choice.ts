/**
 * What a GS1 resolver does with `?linkType=` (GS1-Conformant Resolver 1.2): the linkset for "linkset" / "all", a
 * redirect to the one matching link, the list (300 Multiple Choices) when several match equally well, 404 when none
 * does. Links of the requested type are narrowed by the client's language (hreflang) before giving up on a choice.
 */
import { type AnchorLinks, type Gs1LinkType, type LinkTarget, parseLinkTypeParameter } from "./digital-link";

export type LinkChoice =
  | { kind: "linkset" }
  | { kind: "redirect"; href: string }
  | { kind: "multiple"; targets: LinkTarget[] }
  | { kind: "not_found"; linkType: string };

function targetsOf(anchors: readonly AnchorLinks[], linkType: Gs1LinkType): LinkTarget[] {
  for (const anchor of anchors) {
    // The most specific anchor that has links of this type answers, as the walk-up rule says.
    const targets: LinkTarget[] =
      linkType === "gs1:defaultLink"
        ? anchor.defaultLink === undefined
          ? []
          : [anchor.defaultLink]
        : (anchor.links ?? []).filter((l) => l.linkType === linkType).map((l) => l.target);
    if (targets.length > 0) return targets;
  }
  return [];
}

export function chooseLink(anchors: readonly AnchorLinks[], linkTypeParameter: string, language: string | null): LinkChoice {
  const request = parseLinkTypeParameter(linkTypeParameter);
  if (request.kind === "linkset") return { kind: "linkset" };
  if (request.kind === "unknown") return { kind: "not_found", linkType: request.value };
  const targets = targetsOf(anchors, request.linkType);
  if (targets.length === 0) return { kind: "not_found", linkType: request.linkType };
  if (targets.length === 1) return { kind: "redirect", href: targets[0]!.href };
  const inLanguage = targets.filter((t) => t.hreflang?.some((h) => h.toLowerCase().split("-")[0] === language) ?? false);
  if (inLanguage.length === 1) return { kind: "redirect", href: inLanguage[0]!.href };
  return { kind: "multiple", targets: inLanguage.length > 1 ? inLanguage : targets };
}

/** By default the request's other query parameters go on to the target (linkType itself is consumed here). */
export function withPassedOnQuery(href: string, query: URLSearchParams): string {
  const rest = [...query].filter(([k]) => k !== "linkType");
  if (rest.length === 0) return href;
  const hash = href.indexOf("#");
  const [base, fragment] = hash < 0 ? [href, ""] : [href.slice(0, hash), href.slice(hash)];
  const extra = new URLSearchParams(rest).toString();
  return `${base}${base.includes("?") ? "&" : "?"}${extra}${fragment}`;
}
