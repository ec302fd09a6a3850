/** The /.well-known/gs1resolver description file (GS1-Conformant Resolver standard 1.2.0). */
import { GS1_VOC_NAMESPACE } from "./link-types";

/** Primary keys as the description-file schema enumerates them; "all" means every GS1 key. */
export type ResolverPrimaryKey =
  | "all" | "00" | "01" | "253" | "255" | "401" | "402" | "410" | "411" | "412" | "413" | "414" | "415" | "417"
  | "8003" | "8004" | "8006" | "8010" | "8013" | "8017" | "8018";

export interface ResolverContact {
  /** Full name of the operator. */
  readonly fn: string;
  readonly hasAddress?: {
    readonly streetAddress?: string;
    readonly locality?: string;
    readonly region?: string;
    readonly "postal-code"?: string;
  };
}

export interface ResolverDescriptionInput {
  /** Absolute URL, e.g. "https://trace.example.cn". */
  readonly resolverRoot: string;
  readonly supportedPrimaryKeys: readonly ResolverPrimaryKey[];
  readonly name?: string;
  readonly linkTypeDefaultCanBeLinkset?: boolean;
  readonly supportedContextValuesEnumerated?: readonly string[];
  readonly contact?: ResolverContact;
  /** Absolute URL of the JSON-LD context advertised when serving linksets. */
  readonly jsonLdContextLocation?: string;
}

export interface ResolverDescription {
  readonly resolverRoot: string;
  readonly supportedPrimaryKeys: readonly ResolverPrimaryKey[];
  readonly name?: string;
  readonly supportedLinkType: readonly { readonly namespace: string; readonly prefix: string }[];
  readonly linkTypeDefaultCanBeLinkset: boolean;
  readonly supportedContextValuesEnumerated?: readonly string[];
  readonly contact?: ResolverContact;
  readonly jsonLdContextLocation?: string;
}

/** Only the GS1 vocabulary is declared: this resolver recognises no other link-type namespace. */
export function buildResolverDescription(input: ResolverDescriptionInput): ResolverDescription {
  return {
    resolverRoot: input.resolverRoot,
    supportedPrimaryKeys: [...input.supportedPrimaryKeys],
    ...(input.name === undefined ? {} : { name: input.name }),
    supportedLinkType: [{ namespace: GS1_VOC_NAMESPACE, prefix: "gs1:" }],
    linkTypeDefaultCanBeLinkset: input.linkTypeDefaultCanBeLinkset ?? false,
    ...(input.supportedContextValuesEnumerated === undefined
      ? {}
      : { supportedContextValuesEnumerated: [...input.supportedContextValuesEnumerated] }),
    ...(input.contact === undefined ? {} : { contact: input.contact }),
    ...(input.jsonLdContextLocation === undefined ? {} : { jsonLdContextLocation: input.jsonLdContextLocation }),
  };
}
