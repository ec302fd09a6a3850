/**
 * GS1 Web Vocabulary link types (https://ref.gs1.org/voc/), as accepted in ?linkType= and
 * used as relation types in linksets. Snapshot of gs1/WebVoc currentLinkTypes.json
 * (Apache-2.0); "productSustainabilityInfo" is deprecated there but still recognised.
 */

export const GS1_VOC_NAMESPACE = "https://ref.gs1.org/voc/";

export const GS1_LINK_TYPE_NAMES = [
  "activityIdeas",
  "allergenInfo",
  "appDownload",
  "brandHomepageClinical",
  "brandHomepagePatient",
  "careersInfo",
  "certificationInfo",
  "consumerHandlingStorageInfo",
  "defaultLink",
  "defaultLinkMulti",
  "epcis",
  "epil",
  "eventsInfo",
  "faqs",
  "handledBy",
  "hasRetailers",
  "homepage",
  "ingredientsInfo",
  "instructions",
  "jws",
  "leaveReview",
  "locationInfo",
  "logisticsInfo",
  "loyaltyProgram",
  "masterData",
  "menuInfo",
  "nutritionalInfo",
  "openingHoursInfo",
  "paymentLink",
  "pip",
  "productSustainabilityInfo",
  "promotion",
  "purchaseSuppliesOrAccessories",
  "quickStartGuide",
  "recallStatus",
  "recipeInfo",
  "registerProduct",
  "registryEntry",
  "relatedImage",
  "relatedVideo",
  "review",
  "safetyInfo",
  "scheduleTime",
  "serviceInfo",
  "smartLabel",
  "smpc",
  "socialMedia",
  "statisticInfo",
  "subscribe",
  "support",
  "sustainabilityInfo",
  "traceability",
  "tutorial",
  "userAgreement",
  "verificationService",
  "whatsInTheBox",
] as const;

export type Gs1LinkTypeName = (typeof GS1_LINK_TYPE_NAMES)[number];
/** A link type as a CURIE, e.g. "gs1:pip". */
export type Gs1LinkType = `gs1:${Gs1LinkTypeName}`;

export const GS1_LINK_TYPES: ReadonlySet<Gs1LinkType> = new Set(GS1_LINK_TYPE_NAMES.map((name): Gs1LinkType => `gs1:${name}`));

export function isGs1LinkType(value: string): value is Gs1LinkType {
  return (GS1_LINK_TYPES as ReadonlySet<string>).has(value);
}

/** "gs1:pip" → "https://ref.gs1.org/voc/pip", the form linksets use as relation type. */
export function linkTypeUri(linkType: Gs1LinkType): string {
  return GS1_VOC_NAMESPACE + linkType.slice("gs1:".length);
}

export type LinkTypeRequest =
  | { readonly kind: "linkset" }
  | { readonly kind: "linkType"; readonly linkType: Gs1LinkType }
  | { readonly kind: "unknown"; readonly value: string };

/**
 * Reads a ?linkType= value: "linkset" or "all" ask for the whole linkset; a GS1 link type
 * may be given as CURIE ("gs1:pip") or as full URI ("https://ref.gs1.org/voc/pip").
 */
export function parseLinkTypeParameter(value: string): LinkTypeRequest {
  if (value === "linkset" || value === "all") return { kind: "linkset" };
  const curie = value.startsWith(GS1_VOC_NAMESPACE) ? `gs1:${value.slice(GS1_VOC_NAMESPACE.length)}` : value;
  return isGs1LinkType(curie) ? { kind: "linkType", linkType: curie } : { kind: "unknown", value };
}
