import { PhoneShell, PhoneSignInPage } from "../phone-console";
import { UNITS } from "../../../domain/units";

/**
 * The market gate console (进场查验): Chinese, phone and tablet first, every control a thumb-sized target. The
 * page is static HTML; public/market.js does the checking, scanning and recording against the JSON API.
 */
export function SignInPage(props: { error: string | null }) {
  return (
    <PhoneSignInPage
      title="市场进场查验"
      heading="市场进场查验"
      sub="Market gate · sign in"
      action="/market/session"
      keyLabel="市场 API 密钥"
      note="密钥由平台管理员发放；登录后本机保持 12 小时。"
      stylesheet="/market.css"
      error={props.error}
    />
  );
}

function Fact(props: { id: string; label: string; rowId?: string }) {
  return (
    <div class="fact" id={props.rowId}>
      <dt>{props.label}</dt>
      <dd id={props.id}>—</dd>
    </div>
  );
}

function Field(props: { id: string; label: string; type?: string; inputmode?: "text" | "decimal" | "tel" | "numeric"; required?: boolean; placeholder?: string }) {
  return (
    <label class="field" for={props.id}>
      <span>{props.label}</span>
      <input id={props.id} name={props.id} type={props.type ?? "text"} inputmode={props.inputmode} required={props.required} placeholder={props.placeholder} />
    </label>
  );
}

export function GatePage(props: { marketName: string }) {
  return (
    <PhoneShell title="市场进场查验" stylesheet="/market.css">
      <header class="bar">
        <div>
          <strong>进场查验</strong>
          <span class="market">{props.marketName}</span>
        </div>
        <nav>
          <a href="/v1/market/receipts.xlsx" class="link">
            台账
          </a>
          <form method="post" action="/market/session/end">
            <button type="submit" class="link">
              退出
            </button>
          </form>
        </nav>
      </header>
      <main class="gate">
        <form id="check-form" class="card entry" autocomplete="off">
          <label for="code">合格证编码</label>
          <input
            id="code"
            name="code"
            class="code"
            inputmode="text"
            autocapitalize="characters"
            spellcheck={false}
            maxlength={64}
            placeholder="XXXX-XXXX-XXX"
            aria-describedby="code-hint"
          />
          <p id="code-hint" class="hint" aria-live="polite" data-state="empty" />
          <div class="row">
            <button type="button" id="scan-btn" class="big secondary">
              扫码
            </button>
            <button type="submit" id="check-btn" class="big primary" disabled>
              查验
            </button>
          </div>
          <div id="camera-box" class="camera" hidden>
            <video id="camera" playsinline muted />
            <p id="camera-hint" class="hint" />
          </div>
          <p id="status-line" class="status" aria-live="polite" />
        </form>

        <section id="verdict" class="verdict" hidden aria-live="assertive">
          <div class="banner">
            <span id="verdict-word" class="word" />
            <span id="verdict-code" class="code-shown" />
          </div>
          <ul id="verdict-reasons" class="reasons" />
          <dl class="facts">
            <Fact id="fact-remaining" label="剩余可进场" />
            <Fact id="fact-product" label="产品" />
            <Fact id="fact-quantity" label="合格证数量" />
            <Fact id="fact-issuer" label="开具者" />
            <Fact id="fact-date" label="开具日期" />
            <Fact id="fact-cold" label="冷链" />
            <Fact id="fact-upstream" label="上游合格证" rowId="fact-upstream-row" />
          </dl>

          <form id="receipt" class="card receipt" hidden>
            <h2>记入进货台账</h2>
            <div class="grid">
              <Field id="quantity" label="本车申报数量" type="number" inputmode="decimal" required />
              <label class="field" for="unit">
                <span>单位</span>
                <select id="unit" name="unit">
                  {UNITS.map((u) => (
                    <option value={u}>{u}</option>
                  ))}
                </select>
              </label>
            </div>
            <button type="button" id="accept-btn" class="big accept">
              确认进场
            </button>
            <label class="field" for="reason">
              <span>原因（暂扣、拒绝时必填）</span>
              <input id="reason" name="reason" />
            </label>
            <div class="row">
              <button type="button" id="hold-btn" class="big hold">
                暂扣
              </button>
              <button type="button" id="reject-btn" class="big reject">
                拒绝
              </button>
            </div>
            <p id="receipt-result" class="result" aria-live="polite" />
            <h3>供货者（按合格证预填，可修改）</h3>
            <div class="grid">
              <Field id="seller-name" label="供货者" required />
              <Field id="seller-credit-code" label="统一社会信用代码" />
              <Field id="seller-phone" label="联系电话" type="tel" inputmode="tel" />
              <Field id="voucher-no" label="购货凭证号" />
            </div>
          </form>
        </section>
      </main>
      <script src="/market.js" defer />
    </PhoneShell>
  );
}
