/**
 * The GS1 link types a certificate answers to, as targets on this service: the scan page (default link and product
 * information page, in Chinese and English), the certificate as JSON (certificationInfo), its signed credential (jws),
 * its trace (traceability) and, while its goods are recalled, the recall notice (recallStatus).
 */
import { type AnchorLinks, type TypedLink } from "./digital-link";

export interface CertificateLinkInput {
  publicUrl: string;
  code: string;
  displayCode: string;
  productName: string;
  status: string;
}

export function certificatePageUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/c/${encodeURIComponent(code)}`;
}

export function typedCertificateLinks(c: CertificateLinkInput): TypedLink[] {
  const page = certificatePageUrl(c.publicUrl, c.code);
  const links: TypedLink[] = [
    { linkType: "gs1:pip", target: { href: page, title: `${c.productName} 承诺达标合格证 ${c.displayCode}`, type: "text/html", hreflang: ["zh"] } },
    { linkType: "gs1:pip", target: { href: `${page}?lang=en`, title: `${c.productName}: certificate of compliance ${c.displayCode}`, type: "text/html", hreflang: ["en"] } },
    { linkType: "gs1:certificationInfo", target: { href: `${page}/certificate.json`, title: `合格证及其核验结果 ${c.displayCode}`, type: "application/json" } },
    { linkType: "gs1:jws", target: { href: `${page}/credential.jwt`, title: `签名凭证 (VC 2.0, JOSE) ${c.displayCode}`, type: "application/vc+jwt" } },
    { linkType: "gs1:traceability", target: { href: `${page}/trace.json`, title: `产地、检测、流转与冷链 ${c.displayCode}`, type: "application/json" } },
  ];
  if (c.status === "recalled") {
    links.push({ linkType: "gs1:recallStatus", target: { href: `${page}#verdict`, title: `召回通知 ${c.displayCode}`, type: "text/html", hreflang: ["zh"] } });
  }
  return links;
}

/** The linkset entry of one certificate scanned by its own URL. */
export function certificateAnchorLinks(c: CertificateLinkInput): AnchorLinks {
  const page = certificatePageUrl(c.publicUrl, c.code);
  return {
    anchor: page,
    itemDescription: c.productName,
    defaultLink: { href: page, title: `${c.productName} 承诺达标合格证 ${c.displayCode}` },
    links: typedCertificateLinks(c),
  };
}
