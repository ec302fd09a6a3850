/** GS1 Digital Link: URI syntax, element strings, linksets and the resolver description file. */
export type { DigitalLinkOptions } from "./digital-link-options";
export type { AiElement } from "./elements";
export { parseDigitalLink, type DigitalLinkParseResult, type ParsedDigitalLink } from "./parse-digital-link";
export {
  GS1_CANONICAL_STEM,
  elementStringToDigitalLink,
  toDigitalLinkUri,
  type DigitalLinkUriResult,
  type GenerateOptions,
} from "./generate-digital-link";
export {
  GS1_LINK_TYPES,
  GS1_LINK_TYPE_NAMES,
  GS1_VOC_NAMESPACE,
  isGs1LinkType,
  linkTypeUri,
  parseLinkTypeParameter,
  type Gs1LinkType,
  type LinkTypeRequest,
} from "./link-types";
export { LINKSET_MEDIA_TYPE, buildLinkset, type AnchorLinks, type LinkTarget, type Linkset, type TypedLink } from "./linkset";
export {
  buildResolverDescription,
  type ResolverDescription,
  type ResolverDescriptionInput,
  type ResolverPrimaryKey,
} from "./resolver-description";
