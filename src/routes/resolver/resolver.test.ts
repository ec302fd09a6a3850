import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, PUBLIC_URL, type TestContext } from "../../../test/support/context";
import { readVector, type ParseVector } from "../../domain/digital-link/test-vectors";
import { GS1_VOC_NAMESPACE } from "../../domain/digital-link";

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validDescription = ajv.compile(readVector("resolver-description-file-schema-1.2.0.copy.json") as object);
const validLinkset = ajv.compile(readVector("resolver-linkset-schema.copy.json") as object);

const GTIN = "06901234567892";
const LOT = "LS-2026-11";
const OTHER_LOT = "LS-2026-12";
const LINKSET = "application/linkset+json";

let t: TestContext;
let certs: { id: string; code: string }[];
let otherLotCert: { code: string };

beforeAll(async () => {
  t = await createTestContext("resolver");
  const { producer, site } = await t.producerWithLot(10);
  const product = await t.call("POST", "/v1/products", { key: producer.key, body: { name: "安吉白茶", category: "茶鲜叶", unit: "kg", gtin: GTIN } });
  expect(product.status, product.text).toBe(201);
  const lot = async (code: string) =>
    (await t.call("POST", "/v1/lots", { key: producer.key, body: { productId: product.json.id, siteId: site.id, quantity: 500, unit: "kg", harvestedAt: "2026-11-19", code } })).json;
  const [a, b] = [await lot(LOT), await lot(OTHER_LOT)];
  const issue = async (lotId: string) => {
    t.clock.advance(60_000);
    const res = await t.call("POST", "/v1/certificates", { key: producer.key, body: { lotId, quantity: 50, basis: "quality_control" } });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; code: string };
  };
  // Three certificates for one lot; the newest is revoked, so the newest valid one is the second.
  certs = [await issue(a.id), await issue(a.id), await issue(a.id)];
  await t.call("POST", `/v1/certificates/${certs[2]!.id}/revoke`, { key: producer.key, body: { reason: "重复开具" } });
  otherLotCert = await issue(b.id);
});
afterAll(() => t.close());

const get = (path: string, headers: Record<string, string> = {}) => t.call("GET", path, { headers });
const page = (code: string) => `${PUBLIC_URL}/c/${code}`;

describe("GET /.well-known/gs1resolver", () => {
  it("is a resolver description valid against the 1.2.0 schema (rdFile)", async () => {
    const res = await get("/.well-known/gs1resolver");
    expect(res.status).toBe(200);
    expect(validDescription(res.json), JSON.stringify(validDescription.errors)).toBe(true);
    expect(res.json).toMatchObject({ resolverRoot: PUBLIC_URL, supportedPrimaryKeys: ["01"], supportedLinkType: [{ namespace: GS1_VOC_NAMESPACE, prefix: "gs1:" }] });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("GET /01/{gtin}/… syntax", () => {
  const hosts = new Set(["a", "id.gs1.org", "example.com"]);
  const vectors = ((readVector("gs1-syntax-engine-dl-parse-vectors.json") as { parseDLuri: ParseVector[] }).parseDLuri)
    .filter((v) => !v.options.permitConvenienceAlphas && !v.options.permitUnknownAIs && !v.options.permitZeroSuppressedGTINinDLuris)
    .map((v) => ({ v, m: /^https?:\/\/([^/?#]+)(\/[^?#]*)?(\?[^#]*)?/.exec(v.uri) }))
    // The resolver sees path and query only; vectors about hosts are the parser's own tests.
    .filter(({ m }) => m !== null && hosts.has(m[1]!) && (m[2] ?? "").startsWith("/01/"))
    .map(({ v, m }) => ({ name: `line ${v.line}: ${v.uri}`, valid: v.valid, path: (m![2] ?? "") + (m![3] ?? "") }));

  it("covers the strict-mode vectors with a GTIN path", () => {
    expect(vectors.length).toBeGreaterThan(50);
  });

  it.each(vectors)("$name", async ({ valid, path }) => {
    const res = await get(path, { accept: "application/json" });
    if (valid) {
      // Well formed; no certificate carries that GTIN here.
      expect(res.status).toBe(404);
    } else {
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.json.detail.length).toBeGreaterThan(0);
    }
  });

  it("names the rule broken: check digit, qualifier order, AI in the query that belongs in the path (reportWith400)", async () => {
    const checkDigit = await get("/01/06901234567891");
    expect(checkDigit.status).toBe(400);
    expect(checkDigit.json.detail).toMatch(/check digit/i);
    const order = await get(`/01/${GTIN}/21/${certs[0]!.code}/10/${LOT}`);
    expect(order.status).toBe(400);
    expect(order.json.detail).toMatch(/order/);
    const inQuery = await get(`/01/${GTIN}?10=${LOT}`);
    expect(inQuery.status).toBe(400);
    expect(inQuery.json.detail).toMatch(/must be in the path/);
  });
});

describe("GET /01/{gtin}/10/{lot} resolution", () => {
  it("redirects to the newest valid certificate of the lot, with a Link header to the linkset (defaultTarget, linkOnRedirect)", async () => {
    const res = await get(`/01/${GTIN}/10/${LOT}`, { accept: "text/html" });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe(page(certs[1]!.code));
    expect(res.headers.get("link")).toBe(`<${PUBLIC_URL}/01/${GTIN}/10/${LOT}?linkType=linkset>; rel="linkset"; type="${LINKSET}"`);
    expect(res.headers.get("vary")).toBe("Accept, Accept-Language");
  });

  it("passes the query on when redirecting (qsPassedOn), tolerates a trailing slash (trailingSlash)", async () => {
    const res = await get(`/01/${GTIN}/10/${LOT}/?17=261231&src=crate`);
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe(`${page(certs[1]!.code)}?17=261231&src=crate`);
  });

  it("resolves the GTIN alone and a serial (a certificate code), walking up from the most specific level (basicWalkUp)", async () => {
    const gtinOnly = await get(`/01/${GTIN}`);
    expect(gtinOnly.headers.get("location")).toBe(page(otherLotCert.code));
    const serial = await get(`/01/${GTIN}/10/${LOT}/21/${certs[0]!.code}`);
    expect(serial.headers.get("location")).toBe(page(certs[0]!.code));
    const serialAlone = await get(`/01/${GTIN}/21/${certs[2]!.code}`);
    expect(serialAlone.headers.get("location")).toBe(page(certs[2]!.code));
    const cpv = await get(`/01/${GTIN}/22/A1/10/${LOT}`);
    expect(cpv.status).toBe(307);
  });

  it("is 404 for a GTIN, lot or serial with no certificate, never 200 for an error (noErrorWith200)", async () => {
    for (const path of [`/01/09506000134352`, `/01/${GTIN}/10/NO-SUCH-LOT`, `/01/${GTIN}/10/${LOT}/21/${otherLotCert.code}`, `/01/${GTIN}/21/0000000000X`]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });

  it("answers the linkset for ?linkType=linkset, ?linkType=all and Accept: application/linkset+json without redirecting", async () => {
    const answers = [
      await get(`/01/${GTIN}/10/${LOT}?linkType=linkset`),
      await get(`/01/${GTIN}/10/${LOT}?linkType=all`),
      await get(`/01/${GTIN}/10/${LOT}`, { accept: LINKSET }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      // declaredContentType, linksetJsonldCheck
      expect(res.headers.get("content-type")).toBe(LINKSET);
      expect(res.headers.get("link")).toContain(`<${PUBLIC_URL}/ns/linkset-context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"`);
    }
    expect(answers[1]!.json).toEqual(answers[0]!.json);
    expect(answers[2]!.json).toEqual(answers[0]!.json);
  });

  it("lists every certificate of the lot, and each level up to the GTIN, in a schema-valid linkset", async () => {
    const { json } = await get(`/01/${GTIN}/10/${LOT}?linkType=linkset`);
    // validLinkset, hackedLinkset
    expect(validLinkset(json), JSON.stringify(validLinkset.errors)).toBe(true);
    expect(json.linkset.map((c: { anchor: string }) => c.anchor)).toEqual([`${PUBLIC_URL}/01/${GTIN}/10/${LOT}`, `${PUBLIC_URL}/01/${GTIN}`]);
    const [lot, gtin] = json.linkset;
    const certInfo = lot[`${GS1_VOC_NAMESPACE}certificationInfo`].map((l: { href: string }) => l.href);
    expect(certInfo).toEqual(certs.map((c) => `${page(c.code)}/certificate.json`).reverse());
    expect(gtin[`${GS1_VOC_NAMESPACE}certificationInfo`]).toHaveLength(4);
    for (const context of json.linkset) {
      // defaultLinkExists, singleDefaulLink: exactly one, with href and title only.
      expect(context[`${GS1_VOC_NAMESPACE}defaultLink`]).toEqual([{ href: expect.any(String), title: expect.any(String) }]);
      for (const [key, value] of Object.entries(context)) {
        if (key === "anchor" || key === "itemDescription") continue;
        // linkTypesDefined
        expect(key.startsWith(GS1_VOC_NAMESPACE), key).toBe(true);
        for (const link of value as { href: string; title: string }[]) expect(link.title.length).toBeGreaterThan(0);
      }
    }
    expect(lot[`${GS1_VOC_NAMESPACE}defaultLink`][0].href).toBe(page(certs[1]!.code));
  });

  it("redirects to a requested link type of the newest valid certificate (loFor), 404 when there is none (specificLinkTypeNotFound)", async () => {
    const jws = await get(`/01/${GTIN}/10/${LOT}?linkType=gs1:certificationInfo`);
    expect(jws.status).toBe(307);
    expect(jws.headers.get("location")).toBe(`${page(certs[1]!.code)}/certificate.json`);
    const none = await get(`/01/${GTIN}/10/${LOT}?linkType=gs1:recallStatus`);
    expect(none.status).toBe(404);
  });

  it("answers 300 with the candidates when several links fit equally (loFor<linkType>[<n>])", async () => {
    const res = await get(`/01/${GTIN}/10/${LOT}?linkType=gs1:pip`, { "accept-language": "fr" });
    expect(res.status).toBe(300);
    expect(res.headers.get("content-type")).toBe(LINKSET);
    expect(res.json.linkset[0][`${GS1_VOC_NAMESPACE}pip`].map((l: { hreflang: string[] }) => l.hreflang[0])).toEqual(["zh", "en"]);
    const chosen = await get(`/01/${GTIN}/10/${LOT}?linkType=gs1:pip`, { "accept-language": "en-US" });
    expect(chosen.status).toBe(307);
  });

  it("supports GET, HEAD and OPTIONS with CORS (methodsCheck, corsCheck)", async () => {
    const head = await t.app.request(`/01/${GTIN}/10/${LOT}`, { method: "HEAD" });
    expect(head.status).toBe(307);
    const options = await t.app.request(`/01/${GTIN}/10/${LOT}`, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "GET" } });
    expect(options.status).toBe(204);
    expect(options.headers.get("access-control-allow-methods")).toContain("HEAD");
    const get1 = await get(`/01/${GTIN}/10/${LOT}`, { origin: "https://example.org" });
    expect(get1.headers.get("access-control-allow-origin")).toBe("*");
    expect(get1.headers.get("access-control-expose-headers")).toContain("Location");
  });
});

describe("the resolver test suite's checks", () => {
  /** Where each check of gs1/GS1DL-resolver-testsuite is covered, or why it does not apply to this service. */
  const coverage: Record<string, string> = {
    isURL: "client-side check of the input URI",
    validDL: "client-side check of the input URI (the syntax vectors above)",
    plausibleDL: "client-side heuristic on the input URI",
    isHttps: "deployment: TLS terminates at Cloudflare or the reverse proxy in front of the origin",
    tlsOK: "deployment: TLS terminates at Cloudflare or the reverse proxy in front of the origin",
    httpVersion: "served by @hono/node-server (HTTP/1.1) and Cloudflare (HTTP/1.1, 2, 3)",
    legacyLinkHeaders: "deprecated in 1.0.0: the Link header names the linkset only (linkOnRedirect test)",
    singleMultiLink: "gs1:defaultLinkMulti is optional and not offered",
    rdFile: "tested",
    corsCheck: "tested",
    linkOnRedirect: "tested",
    methodsCheck: "tested",
    reportWith400: "tested",
    noErrorWith200: "tested",
    trailingSlash: "tested",
    basicWalkUp: "tested",
    ltLinksetNoRedirect: "tested",
    ltAllNoRedirect: "tested",
    ltAcceptHeader: "tested",
    validLinkset: "tested",
    linksetJsonldCheck: "tested",
    declaredContentType: "tested",
    hackedLinkset: "tested",
    qsPassedOn: "tested",
    defaultLinkExists: "tested",
    singleDefaulLink: "tested",
    linkTypesDefined: "tested",
    defaultTarget: "tested",
    loFor: "tested",
    specificLinkTypeNotFound: "tested",
    "loFor<linkType>[<n>]": "tested",
  };

  it("accounts for every check", () => {
    const ids = (readVector("resolver-testsuite-checks.json") as { tests: { id: string }[] }).tests.map((x) => x.id);
    expect(Object.keys(coverage).sort()).toEqual([...new Set(ids)].sort());
  });

  it("the model linkset of the suite is valid against the schema the resolver's linksets are checked with", () => {
    expect(validLinkset(readVector("resolver-testsuite-modelLinkset.json"))).toBe(true);
  });
});
