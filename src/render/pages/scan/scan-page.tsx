import type { Child } from "hono/jsx";
import { chinaDate } from "../../../domain/ids";
import type { CertificateScan } from "../../../services/scan-view";
import type { ScanSummary } from "../../../services/scans";
import type { PageLanguage } from "./language";
import { SCAN_CSS } from "./style";
import { SCAN_TEXT, type ScanText } from "./text";

type Verdict = keyof ScanText["verdict"];

function Frame(props: { lang: PageLanguage; title: string; children: Child }) {
  const t = SCAN_TEXT[props.lang];
  return (
    <html lang={t.htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {/* No favicon request: one round trip less on a weak network. */}
        <link rel="icon" href="data:," />
        <title>{props.title}</title>
        <style>{SCAN_CSS}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

function VerdictBox(props: { verdict: Verdict; t: ScanText; lines: string[] }) {
  const mark = props.verdict === "valid" ? "✓" : props.verdict === "unknown" ? "?" : "✕";
  return (
    <section id="verdict" class={`verdict v-${props.verdict}`} role="status" data-verdict={props.verdict}>
      <div class="mark" aria-hidden="true">{mark}</div>
      <div>
        <h1>{props.t.verdict[props.verdict]}</h1>
        {props.lines.map((l) => (
          <p>{l}</p>
        ))}
      </div>
    </section>
  );
}

function Row(props: { label: string; children: Child }) {
  return (
    <div class="row">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function verdictLines(view: CertificateScan, lang: PageLanguage): string[] {
  const t = SCAN_TEXT[lang];
  const cert = view.certificate!;
  if (view.status === "valid") return view.valid ? [t.verdictDetail.valid] : [];
  const lines: string[] = [];
  for (const r of view.reasons) {
    if (r.code === "revoked") {
      lines.push(t.verdictDetail.revokedOn(chinaDate(new Date(cert.revokedAt ?? r["revokedAt"] as string)), cert.revokeReason ?? ""));
    } else if (r.code !== "record_altered" && r.code !== "token_mismatch") {
      const zh = typeof r["messageZh"] === "string" ? (r["messageZh"] as string) : r.message;
      lines.push(lang === "zh" ? zh : r.message);
    }
  }
  return lines;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

/** The upstream tree of a buyer's certificate, read defensively: its entries may be ours, another platform's or paper. */
function UpstreamList(props: { nodes: unknown[]; t: ScanText; publicUrl: string; display: (code: string) => string }): Child {
  return (
    <ul class="tree">
      {props.nodes.filter(isRecord).map((n) => {
        const product = isRecord(n["product"]) ? str(n["product"]["name"]) : null;
        const issuer = isRecord(n["issuer"]) ? str(n["issuer"]["name"]) : null;
        // Where the issuer is: for a buyer's certificate, where its goods came from, which its own 产地 does not say.
        const region = isRecord(n["issuer"]) ? str(n["issuer"]["regionName"]) : null;
        const code = str(n["code"]) ?? str(n["number"]);
        const status = str(n["status"]);
        const verdict = status !== null && status in props.t.verdict ? props.t.verdict[status as Verdict] : status;
        const children = Array.isArray(n["upstream"]) ? (n["upstream"] as unknown[]) : [];
        return (
          <li>
            {n["kind"] === "certificate" && code !== null ? <a href={`${props.publicUrl}/c/${encodeURIComponent(code)}`}>{props.display(code)}</a> : <span>{code ?? "—"}</span>}
            {[product, issuer, region].filter((x) => x !== null).map((x) => ` · ${x}`)}
            {verdict !== null && <b class={`s-${status}`}> {verdict}</b>}
            {children.length > 0 && <UpstreamList nodes={children} t={props.t} publicUrl={props.publicUrl} display={props.display} />}
          </li>
        );
      })}
    </ul>
  );
}

function fmtC(v: number | null): string {
  return v === null ? "—" : `${v} °C`;
}

export interface ScanPageProps {
  lang: PageLanguage;
  view: CertificateScan;
  scans: ScanSummary | null;
  display: (code: string) => string;
  publicUrl: string;
}

/** The consumer's page for a found certificate: the verdict first, then what the label promises and why to trust it. */
export function ScanPage({ lang, view, scans, display, publicUrl }: ScanPageProps) {
  const t = SCAN_TEXT[lang];
  const cert = view.certificate!;
  const trace = view.trace;
  const altered = view.reasons.some((r) => r.code === "record_altered");
  const extra = view as unknown as Record<string, unknown>;
  const upstream = Array.isArray(extra["upstream"]) ? (extra["upstream"] as unknown[]) : [];
  const log = isRecord(extra["log"]) ? extra["log"] : null;
  const leafIndex = log === null ? null : log["leafIndex"];
  const cold = trace?.coldChain[0];
  return (
    <Frame lang={lang} title={`${t.verdict[view.status as Verdict] ?? view.status} · ${cert.product.name} · ${t.title}`}>
      <p class="brand">
        {t.title} <span class="code">{display(cert.code)}</span>
        <a class="lang" href={t.otherLanguage.href}>{t.otherLanguage.label}</a>
      </p>
      <VerdictBox verdict={view.status as Verdict} t={t} lines={verdictLines(view, lang)} />
      {view.status in t.advice && <p class="advice">{t.advice[view.status as keyof ScanText["advice"]]}</p>}
      {view.flags.map((f) => (
        <p class="warn" data-flag={f.kind}>
          {t.copied}
          {lang === "zh" ? f.messageZh : f.message}
        </p>
      ))}
      {view.flags.length > 0 && <p class="warn">{t.copiedAdvice}</p>}
      {altered && <p class="warn">{t.altered}</p>}
      <dl class="card">
        <Row label={t.product}>
          <b>{cert.product.name}</b>
        </Row>
        <Row label={t.quantity}>
          {cert.quantity.amount} {cert.quantity.unit}
        </Row>
        <Row label={t.origin}>
          {[cert.origin.regionName ?? cert.origin.regionCode, cert.origin.address, cert.origin.siteName].filter((x) => x !== null && x !== "").join(" · ")}
        </Row>
        <Row label={t.issuer}>{cert.issuer.name}</Row>
        <Row label={t.contact}>
          {cert.issuer.contactName !== null && `${cert.issuer.contactName} `}
          <a href={`tel:${cert.issuer.phone}`}>{cert.issuer.phone}</a>
        </Row>
        <Row label={t.issueDate}>{cert.issueDate}</Row>
        <Row label={t.lot}>
          {cert.lot.code} · {t.harvested} <time>{cert.lot.harvestedAt}</time>
        </Row>
      </dl>
      <section class="card">
        <h2>{t.commitment}</h2>
        <p class="commit">{cert.commitmentText}</p>
        <p>
          {t.basis}
          {t.colon}
          <b>{cert.basisLabel}</b>
        </p>
      </section>
      <section class="card">
        <h2>{t.tests}</h2>
        {(trace?.tests.length ?? 0) === 0 ? (
          <p>{t.noTests}</p>
        ) : (
          <ul class="list">
            {trace!.tests.map((x) => (
              <li class={`s-${x.verdict}`}>
                <b>{t.outcomes[x.verdict] ?? x.verdict}</b> · {t.testKinds[x.kind] ?? x.kind} · {t.methods[x.method] ?? x.method} · <time>{chinaDate(new Date(x.testedAt))}</time>
                {x.analytes.map((a) => (
                  <div class="small">{lang === "zh" ? a.messageZh : a.messageEn}</div>
                ))}
                {(x.lab !== null || x.reportNo !== null) && (
                  <div class="small">
                    {x.lab !== null && `${t.lab} ${x.lab} `}
                    {x.reportNo !== null && `${t.reportNo} ${x.reportNo}`}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {trace !== null && trace.custody.length > 1 && (
        <section class="card">
          <h2>{t.custody}</h2>
          <ol class="list">
            {trace.custody.map((e) => (
              <li>
                <time>{chinaDate(new Date(e.since))}</time> · {t.how[e.how] ?? e.how} · <b>{e.holder.name}</b> ({t.partyKinds[e.holder.kind] ?? e.holder.kind})
                {e.site !== null && <div class="small">{[e.site.regionName ?? e.site.regionCode, e.site.name].join(" · ")}</div>}
              </li>
            ))}
          </ol>
        </section>
      )}
      {cold !== undefined && (
        <section class="card">
          <h2>{t.coldChain}</h2>
          <dl>
            {cold.range !== null && (
              <Row label={t.range}>
                {fmtC(cold.range.minC)} – {fmtC(cold.range.maxC)}
              </Row>
            )}
            <Row label={t.minMax}>
              {fmtC(cold.min)} / {fmtC(cold.max)}
            </Row>
          </dl>
          <p>
            {t.readings(cold.readings)} · {cold.excursions.length === 0 ? t.noExcursions : t.excursions(cold.excursions.length)}
          </p>
          {cold.excursions.length > 0 && (
            <ul class="list">
              {cold.excursions.map((e) => (
                <li class={e.open ? "s-fail" : ""}>
                  <time>{chinaDate(new Date(e.start))}</time> · {fmtC(e.maxC)}
                  {e.open && ` · ${t.openExcursion}`}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {upstream.length > 0 && (
        <section class="card">
          <h2>{t.upstream}</h2>
          <UpstreamList nodes={upstream} t={t} publicUrl={publicUrl} display={display} />
        </section>
      )}
      <section class="card">
        <h2>{t.signature}</h2>
        <p>{altered ? t.altered : t.signatureOk}</p>
        {(typeof leafIndex === "number" || typeof leafIndex === "string") && <p>{t.log(String(leafIndex))}</p>}
      </section>
      {scans !== null && (
        <section class="card" id="scans" data-scans={scans.total}>
          <h2>{t.scans}</h2>
          <p>{t.scanCount(scans.total)}</p>
          <ul class="list">
            {scans.places.map((p) => (
              <li>
                {p.place ?? t.unknownPlace}: {p.count}
              </li>
            ))}
            {scans.elsewhere > 0 && <li>{t.elsewhere(scans.elsewhere)}</li>}
          </ul>
        </section>
      )}
      <p class="small foot">
        {t.machine}: <a href={`${publicUrl}/c/${encodeURIComponent(cert.code)}/certificate.json`}>JSON</a> ·{" "}
        <a href={`${publicUrl}/c/${encodeURIComponent(cert.code)}?linkType=linkset`}>linkset</a> ·{" "}
        <a href={`${publicUrl}/c/${encodeURIComponent(cert.code)}/credential.jwt`}>VC-JWT</a>
      </p>
    </Frame>
  );
}

/** The page for a code nobody issued (or one that fails its check character): still a clear verdict. */
export function NotFoundPage({ lang, code }: { lang: PageLanguage; code: string }) {
  const t = SCAN_TEXT[lang];
  return (
    <Frame lang={lang} title={`${t.verdict.unknown} · ${t.title}`}>
      <p class="brand">
        {t.title}
        <a class="lang" href={t.otherLanguage.href}>{t.otherLanguage.label}</a>
      </p>
      <VerdictBox verdict="unknown" t={t} lines={[t.notFoundDetail(code)]} />
    </Frame>
  );
}

export function scanPageHtml(props: ScanPageProps): string {
  return `<!doctype html>${String(<ScanPage {...props} />)}`;
}

export function notFoundPageHtml(lang: PageLanguage, code: string): string {
  return `<!doctype html>${String(<NotFoundPage lang={lang} code={code} />)}`;
}
