import type { Child } from "hono/jsx";
import { BASES, TEMPLATES, type Basis } from "../../../domain/certificate";
import { UNITS } from "../../../domain/units";
import { SIZE_PRESETS } from "../../pdf/presets";
import type { ConsoleData, ConsoleLot } from "../../../services/producer-console";

/**
 * The producer's console: Chinese, phone first, plain HTML forms that work without any script (a weak network or an
 * old phone still issues and prints). Every control is a thumb-sized target; tables become stacked cards on phones.
 */
function Shell(props: { title: string; children: Child }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#14532d" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/producer.css" />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

export function ProducerSignInPage(props: { error: string | null }) {
  return (
    <Shell title="开具合格证 · 登录">
      <main class="signin">
        <h1>承诺达标合格证</h1>
        <p class="sub">生产者开证 · Producer sign-in</p>
        <form method="post" action="/producer/session" class="card">
          <label for="api-key">生产者 API 密钥</label>
          <input id="api-key" name="apiKey" type="password" autocomplete="current-password" required placeholder="lp_…" />
          {props.error === null ? null : (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          <button type="submit" class="big primary">
            登录
          </button>
          <p class="note">密钥由监管部门或平台管理员发放；登录后本机保持 12 小时。</p>
        </form>
      </main>
    </Shell>
  );
}

export const SIZE_LABELS: Record<(typeof SIZE_PRESETS)[number], string> = {
  "label-60x80": "标签 60×80",
  "label-100x70": "标签 100×70",
  a6: "A6",
  a4: "A4 整张",
};

const CATEGORIES = ["蔬菜", "水果", "茶鲜叶", "畜禽", "禽蛋", "养殖水产品", "其他"] as const;
const TEST_KIND_ZH: Record<string, string> = { self_test: "自行检测", entrusted_test: "委托检测" };
const VERDICT_ZH: Record<string, string> = { pass: "合格", fail: "不合格" };
const STATUS_ZH: Record<string, string> = { valid: "有效", revoked: "已作废" };

export interface IssueFormState {
  lotId?: string;
  quantity?: string;
  unit?: string;
  basis?: Basis;
  testIds?: string[];
  copies?: string;
}

export interface ConsoleProps {
  partyName: string;
  data: ConsoleData;
  selectedLot: ConsoleLot | undefined;
  /** Chinese message and its details when the last action was refused. */
  error: { title: string; lines: string[] } | null;
  notice: string | null;
  issued: { id: string; code: string; copies: number } | null;
  issueForm: IssueFormState;
  /** One per rendered page, so a double tap on 开具 issues one certificate. */
  idempotencyKey: string;
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

function PdfLinks(props: { id: string }) {
  return (
    <span class="pdf-links">
      {SIZE_PRESETS.map((size) => (
        <a class="chip" href={`/v1/certificates/${props.id}/pdf?size=${size}`} target="_blank" rel="noopener" data-size={size}>
          {SIZE_LABELS[size]}
        </a>
      ))}
    </span>
  );
}

function IssueForm(props: ConsoleProps & { lot: ConsoleLot }) {
  const { lot, issueForm: f, data } = props;
  const basis = f.basis ?? "quality_control";
  const labels = TEMPLATES["2025-producer"].basisLabels;
  return (
    <section class="card" id="issue">
      <h2>开具合格证</h2>
      <p class="lot-line">
        <strong>{lot.productName}</strong> · 批次 {lot.code} · 采收 {lot.harvestedOn} · 可开 {fmt(lot.remaining)} {lot.unit}
      </p>
      <form method="post" action="/producer/certificates" id="issue-form">
        <input type="hidden" name="lotId" value={lot.id} />
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <div class="grid">
          <label class="field" for="issue-quantity">
            <span>数量（不填则为剩余全部）</span>
            <input id="issue-quantity" name="quantity" type="number" inputmode="decimal" step="0.001" min="0" placeholder={fmt(lot.remaining)} value={f.quantity} />
          </label>
          <label class="field" for="issue-unit">
            <span>单位</span>
            <select id="issue-unit" name="unit">
              {UNITS.map((u) => (
                <option value={u} selected={u === (f.unit ?? lot.unit)}>
                  {u}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset class="basis">
          <legend>承诺依据</legend>
          {BASES.map((b) => (
            <label class="radio">
              <input type="radio" name="basis" value={b} checked={b === basis} />
              <span>{labels[b]}</span>
            </label>
          ))}
        </fieldset>
        {data.tests.length === 0 ? (
          <p class="note">本批次还没有检测记录；选择“自行检测合格”或“委托检测合格”需要先录入合格的检测。</p>
        ) : (
          <fieldset class="tests">
            <legend>依据的检测</legend>
            {data.tests.map((t) => (
              <label class="check">
                <input type="checkbox" name="testIds" value={t.id} checked={f.testIds?.includes(t.id)} />
                <span>
                  {TEST_KIND_ZH[t.kind] ?? t.kind} · {t.testedOn} · {VERDICT_ZH[t.verdict] ?? t.verdict}
                  {t.lab === null ? "" : ` · ${t.lab}`}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <label class="field" for="issue-copies">
          <span>打印份数（每箱一张）</span>
          <input id="issue-copies" name="copies" type="number" inputmode="numeric" min="1" max="500" value={f.copies ?? "1"} />
        </label>
        <button type="submit" class="big primary" id="issue-btn">
          开具
        </button>
      </form>
    </section>
  );
}

function NewLotForm(props: { data: ConsoleData }) {
  const { data } = props;
  return (
    <section class="card" id="new-lot">
      <h2>新建批次</h2>
      <form method="post" action="/producer/lots">
        <label class="field" for="lot-product">
          <span>产品</span>
          <select id="lot-product" name="productId">
            {data.products.map((p) => (
              <option value={p.id}>{p.name}</option>
            ))}
            <option value="" selected={data.products.length === 0}>
              ＋ 新产品（在下面填写）
            </option>
          </select>
        </label>
        <div class="grid">
          <label class="field" for="lot-new-product">
            <span>新产品名称</span>
            <input id="lot-new-product" name="newProductName" maxlength={60} placeholder="如：番茄" />
          </label>
          <label class="field" for="lot-category">
            <span>品类</span>
            <select id="lot-category" name="category">
              {CATEGORIES.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </label>
        </div>
        <div class="grid">
          <label class="field" for="lot-quantity">
            <span>数量</span>
            <input id="lot-quantity" name="quantity" type="number" inputmode="decimal" step="0.001" min="0" required />
          </label>
          <label class="field" for="lot-unit">
            <span>单位</span>
            <select id="lot-unit" name="unit">
              {UNITS.map((u) => (
                <option value={u}>{u}</option>
              ))}
            </select>
          </label>
        </div>
        <label class="field" for="lot-harvested">
          <span>采收日期</span>
          <input id="lot-harvested" name="harvestedAt" type="date" required value={data.today} max={data.today} />
        </label>
        <button type="submit" class="big secondary" id="lot-btn">
          保存批次
        </button>
      </form>
    </section>
  );
}

export function ProducerConsolePage(props: ConsoleProps) {
  const { data } = props;
  return (
    <Shell title="开具合格证">
      <header class="bar">
        <div>
          <strong>开具合格证</strong>
          <span class="party">{props.partyName}</span>
        </div>
        <form method="post" action="/producer/session/end">
          <button type="submit" class="link">
            退出
          </button>
        </form>
      </header>
      <main class="console">
        {props.error === null ? null : (
          <section class="card error-card" role="alert" id="error">
            <h2>{props.error.title}</h2>
            {props.error.lines.map((line) => (
              <p>{line}</p>
            ))}
          </section>
        )}
        {props.notice === null ? null : (
          <p class="notice" role="status" id="notice">
            {props.notice}
          </p>
        )}
        {props.issued === null ? null : (
          <section class="card issued" id="issued">
            <h2>已开具合格证</h2>
            <p class="code" id="issued-code">
              {props.issued.code}
            </p>
            <p>打印（{props.issued.copies} 份）：</p>
            <PdfLinks id={props.issued.id} />
          </section>
        )}
        {props.selectedLot === undefined ? null : <IssueForm {...props} lot={props.selectedLot} />}

        <section class="card" id="lots">
          <h2>我的批次</h2>
          {data.lots.length === 0 ? (
            <p class="note">还没有批次，请先新建。</p>
          ) : (
            <ul class="list">
              {data.lots.map((lot) => (
                <li class={lot.id === props.selectedLot?.id ? "selected" : undefined}>
                  <div>
                    <strong>{lot.productName}</strong> <span class="muted">{lot.code}</span>
                    <br />
                    采收 {lot.harvestedOn} · 共 {fmt(lot.quantity)} {lot.unit} · 可开 {fmt(lot.remaining)} {lot.unit}
                  </div>
                  {lot.remaining > 0 ? (
                    <a class="button" href={`/producer?lot=${encodeURIComponent(lot.id)}#issue`} data-lot={lot.id}>
                      开证
                    </a>
                  ) : (
                    <span class="muted">已开完</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>

        <NewLotForm data={data} />

        <section class="card" id="certificates">
          <h2>最近的合格证</h2>
          {data.certificates.length === 0 ? (
            <p class="note">还没有开具合格证。</p>
          ) : (
            <ul class="list">
              {data.certificates.map((cert) => (
                <li data-code={cert.code}>
                  <div>
                    <strong>{cert.productName}</strong> {fmt(cert.quantity)} {cert.unit} · {cert.issueDate} · {STATUS_ZH[cert.status] ?? cert.status}
                    <br />
                    <span class="mono">{cert.code}</span>
                  </div>
                  {cert.status === "valid" ? <PdfLinks id={cert.id} /> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" id="batch">
          <h2>批量打印</h2>
          <p class="note">把某一天开具的全部合格证打成一个 PDF，每张合格证按开证时的份数打印。</p>
          <form method="get" action="/v1/print" target="_blank" id="batch-form">
            <div class="grid">
              <label class="field" for="batch-date">
                <span>开证日期</span>
                <input id="batch-date" name="from" type="date" required value={data.today} max={data.today} />
              </label>
              <label class="field" for="batch-size">
                <span>纸张</span>
                <select id="batch-size" name="size">
                  {SIZE_PRESETS.map((s) => (
                    <option value={s} selected={s === "a4"}>
                      {SIZE_LABELS[s]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <button type="submit" class="big secondary" id="batch-btn">
              打印当天全部
            </button>
          </form>
        </section>
      </main>
    </Shell>
  );
}
