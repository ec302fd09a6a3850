/**
 * RFC 9264 linksets (application/linkset+json) in the shape GS1-conformant resolvers
 * serve: one context object per anchor, relation types as full GS1 vocabulary URIs.
 */
import { type Gs1LinkType, linkTypeUri } from "./link-types";

export const LINKSET_MEDIA_TYPE = "application/linkset+json";

export interface LinkTarget {
  readonly href: string;
  /** Human-readable; every GS1 resolver link must have one. */
  readonly title: string;
  /** Media type of the target, e.g. "text/html". */
  readonly type?: string;
  /** Language tags such as "zh" or "zh-CN". */
  readonly hreflang?: readonly string[];
  readonly context?: readonly string[];
}

export interface TypedLink {
  /** gs1:defaultLink is not allowed here: it has its own field, so there is never more than one. */
  readonly linkType: Exclude<Gs1LinkType, "gs1:defaultLink">;
  readonly target: LinkTarget;
}

export interface AnchorLinks {
  /** The Digital Link URI (uncompressed) the links are about. */
  readonly anchor: string;
  readonly itemDescription?: string;
  /** Where the resolver redirects without a linkType; GS1 requires only href and title on it. */
  readonly defaultLink?: { readonly href: string; readonly title: string };
  readonly links?: readonly TypedLink[];
}

export interface LinksetContext {
  readonly anchor: string;
  readonly itemDescription?: string;
  readonly [relationType: string]: string | readonly LinkTarget[] | undefined;
}

export interface Linkset {
  readonly linkset: readonly LinksetContext[];
}

function targetObject(target: LinkTarget): LinkTarget {
  return {
    href: target.href,
    title: target.title,
    ...(target.type === undefined ? {} : { type: target.type }),
    ...(target.hreflang === undefined ? {} : { hreflang: [...target.hreflang] }),
    ...(target.context === undefined ? {} : { context: [...target.context] }),
  };
}

function contextObject(anchor: AnchorLinks): LinksetContext {
  const relations = new Map<string, LinkTarget[]>();
  if (anchor.defaultLink) {
    relations.set(linkTypeUri("gs1:defaultLink"), [{ href: anchor.defaultLink.href, title: anchor.defaultLink.title }]);
  }
  for (const { linkType, target } of anchor.links ?? []) {
    const uri = linkTypeUri(linkType);
    relations.set(uri, [...(relations.get(uri) ?? []), targetObject(target)]);
  }
  return {
    anchor: anchor.anchor,
    ...(anchor.itemDescription === undefined ? {} : { itemDescription: anchor.itemDescription }),
    ...Object.fromEntries(relations),
  };
}

/**
 * One context object per anchor, in the order given: for a URI with qualifiers, pass the
 * most specific anchor first and then each level up to the primary key, as the resolver
 * standard asks for linkType=all.
 */
export function buildLinkset(anchors: readonly AnchorLinks[]): Linkset {
  return { linkset: anchors.map(contextObject) };
}
