import { PhoneShell, PhoneSignInPage } from "../phone-console";
import { BASES, TEMPLATES, type Basis } from "../../../domain/certificate";
import { UNITS } from "../../../domain/units";
import { SIZE_PRESETS } from "../../pdf/presets";
import type { ConsoleData, ConsoleLot } from "../../../services/producer-console";

/**
 * The producer's console: Chinese, phone first, plain HTML forms that work without any script (a weak network or an
 * old phone still issues and prints). Every control is a thumb-sized target; tables become stacked cards on phones.
 */
export function ProducerSignInPage(props: { error: string | null }) {
  return (
    <PhoneSignInPage
      title="开具合格证"
      heading="承诺达标合格证"
      sub="生产者开证 · Producer sign-in"
      action="/producer/session"
      keyLabel="生产者 API 密钥"
      note="密钥由监管部门或平台管理员发放；登录后本机保持 12 小时。"
      stylesheet="/producer.css"
      error={props.error}
    />
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

/** How much was used is recorded as written on a 农药使用记录: a number and its unit (2000倍液, 30毫升/亩). */
const DOSE_UNITS = ["倍液", "毫升/亩", "克/亩", "公斤/亩", "毫升/头", "毫克/千克体重"] as const;
const METHODS = ["喷雾", "灌根", "撒施", "沟施", "拌种", "熏蒸", "饮水", "拌料", "注射"] as const;
const INPUT_KIND_ZH = { pesticide: "农药", veterinary_drug: "兽药" } as const;

export interface ApplicationFormState {
  inputId?: string;
  /** "lot:<id>" or "site:<id>". */
  place?: string;
  doseAmount?: string;
  doseUnit?: string;
  method?: string;
  appliedOn?: string;
  operator?: string;
}

export interface HarvestFormState {
  place?: string;
  harvestedOn?: string;
  quantity?: string;
  unit?: string;
  endsSeason?: boolean;
  operator?: string;
}

export interface CorrectionFormState extends Omit<ApplicationFormState, "place"> {
  /** The version being corrected. */
  recordId: string;
  /** The input as recorded; an empty inputId keeps it. */
  recordedInput: string;
  reason?: string;
  retract?: boolean;
}

export interface ConsoleProps {
  partyName: string;
  data: ConsoleData;
  selectedLot: ConsoleLot | undefined;
  /** Chinese message and its details when the last action was refused, and where to go to fix it. */
  error: { title: string; lines: string[]; link?: { href: string; text: string } } | null;
  notice: string | null;
  issued: { id: string; code: string; copies: number } | null;
  issueForm: IssueFormState;
  applicationForm: ApplicationFormState;
  harvestForm: HarvestFormState;
  correction: CorrectionFormState | null;
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

/**
 * Options of a select that also keep a recorded value the list does not offer, or a value left blank, so a
 * correction never changes what the farmer did not touch.
 */
function ChoiceOptions(props: { choices: readonly string[]; value: string | undefined }) {
  const extra = props.value !== undefined && props.value !== "" && !props.choices.includes(props.value) ? [props.value] : [];
  return (
    <>
      {props.value === "" ? (
        <option value="" selected>
          （未填）
        </option>
      ) : null}
      {[...props.choices, ...extra].map((choice) => (
        <option value={choice} selected={choice === props.value}>
          {choice}
        </option>
      ))}
    </>
  );
}

function PlaceSelect(props: { id: string; data: ConsoleData; value: string | undefined }) {
  const { data, value } = props;
  return (
    <label class="field" for={props.id}>
      <span>批次或地块</span>
      <select id={props.id} name="place" required>
        <option value="" selected={value === undefined || value === ""}>
          请选择
        </option>
        {data.lots.length === 0 ? null : (
          <optgroup label="批次">
            {data.lots.map((lot) => (
              <option value={`lot:${lot.id}`} selected={value === `lot:${lot.id}`}>
                {lot.productName} · {lot.code}
              </option>
            ))}
          </optgroup>
        )}
        {data.sites.length === 0 ? null : (
          <optgroup label="地块">
            {data.sites.map((site) => (
              <option value={`site:${site.id}`} selected={value === `site:${site.id}`}>
                {site.name}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );
}

function InputSelect(props: { id: string; data: ConsoleData; value: string | undefined; recordedInput?: string }) {
  const { data, value } = props;
  return (
    <label class="field" for={props.id}>
      <span>投入品（名称 · 剂型 · 登记证号）</span>
      <select id={props.id} name="inputId" required={props.recordedInput === undefined}>
        <option value="" selected={value === undefined || value === ""}>
          {props.recordedInput === undefined ? "请选择" : `不变：${props.recordedInput}`}
        </option>
        {(["pesticide", "veterinary_drug"] as const).map((kind) => (
          <optgroup label={INPUT_KIND_ZH[kind]}>
            {data.inputs
              .filter((input) => input.kind === kind)
              .map((input) => (
                <option value={input.id} selected={input.id === value}>
                  {input.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** The fields an application and its correction share: what was used, how much, how, when and by whom. */
function ApplicationFields(props: { prefix: string; data: ConsoleData; form: ApplicationFormState; recordedInput?: string }) {
  const { prefix, data, form: f } = props;
  return (
    <>
      <InputSelect id={`${prefix}-input`} data={data} value={f.inputId} recordedInput={props.recordedInput} />
      <div class="grid">
        <label class="field" for={`${prefix}-dose`}>
          <span>用量</span>
          <input id={`${prefix}-dose`} name="doseAmount" type="number" inputmode="decimal" step="any" min="0" required value={f.doseAmount} />
        </label>
        <label class="field" for={`${prefix}-dose-unit`}>
          <span>单位</span>
          <select id={`${prefix}-dose-unit`} name="doseUnit">
            <ChoiceOptions choices={DOSE_UNITS} value={f.doseUnit} />
          </select>
        </label>
      </div>
      <div class="grid">
        <label class="field" for={`${prefix}-date`}>
          <span>施用日期</span>
          <input id={`${prefix}-date`} name="appliedOn" type="date" required value={f.appliedOn ?? data.today} max={data.today} />
        </label>
        <label class="field" for={`${prefix}-method`}>
          <span>方法</span>
          <select id={`${prefix}-method`} name="method">
            <ChoiceOptions choices={METHODS} value={f.method} />
          </select>
        </label>
      </div>
      <label class="field" for={`${prefix}-operator`}>
        <span>操作人</span>
        <input id={`${prefix}-operator`} name="operator" maxlength={40} autocomplete="name" value={f.operator} />
      </label>
    </>
  );
}

function ApplicationForm(props: { data: ConsoleData; form: ApplicationFormState }) {
  return (
    <section class="card" id="record-application">
      <h2>记录施药 / 投入品使用</h2>
      <form method="post" action="/producer/records/applications">
        <PlaceSelect id="app-place" data={props.data} value={props.form.place} />
        <ApplicationFields prefix="app" data={props.data} form={props.form} />
        <button type="submit" class="big secondary" id="app-btn">
          保存施药记录
        </button>
      </form>
    </section>
  );
}

function HarvestForm(props: { data: ConsoleData; form: HarvestFormState }) {
  const { data, form: f } = props;
  return (
    <section class="card" id="record-harvest">
      <h2>记录采收</h2>
      <form method="post" action="/producer/records/harvests">
        <PlaceSelect id="harvest-place" data={data} value={f.place} />
        <label class="field" for="harvest-date">
          <span>采收日期</span>
          <input id="harvest-date" name="harvestedOn" type="date" required value={f.harvestedOn ?? data.today} max={data.today} />
        </label>
        <div class="grid">
          <label class="field" for="harvest-quantity">
            <span>数量（可不填）</span>
            <input id="harvest-quantity" name="quantity" type="number" inputmode="decimal" step="0.001" min="0" value={f.quantity} />
          </label>
          <label class="field" for="harvest-unit">
            <span>单位</span>
            <select id="harvest-unit" name="unit">
              {UNITS.map((u) => (
                <option value={u} selected={u === f.unit}>
                  {u}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label class="check">
          <input type="checkbox" id="harvest-ends" name="endsSeason" value="1" checked={f.endsSeason === true} />
          <span>本茬已拉秧 / 清园（之后是新的一季）</span>
        </label>
        <label class="field" for="harvest-operator">
          <span>操作人</span>
          <input id="harvest-operator" name="operator" maxlength={40} autocomplete="name" value={f.operator} />
        </label>
        <button type="submit" class="big secondary" id="harvest-btn">
          保存采收记录
        </button>
      </form>
    </section>
  );
}

/** Records are never edited: a correction is a new version pointing at this one, and the old one stays in the history. */
function CorrectionForm(props: { data: ConsoleData; form: CorrectionFormState }) {
  const { form: f } = props;
  return (
    <section class="card" id="correct">
      <h2>更正施药记录</h2>
      <p class="note">原记录不会被改动，更正会作为新记录保存并指向原记录。</p>
      <form method="post" action={`/producer/records/applications/${encodeURIComponent(f.recordId)}/corrections`}>
        <ApplicationFields prefix="fix" data={props.data} form={f} recordedInput={f.recordedInput} />
        <label class="field" for="fix-reason">
          <span>更正原因</span>
          <input id="fix-reason" name="reason" maxlength={200} required placeholder="如：日期填错" value={f.reason} />
        </label>
        <label class="check">
          <input type="checkbox" id="fix-retract" name="retract" value="1" checked={f.retract === true} />
          <span>整条记录是误录（如记错批次、实际没有施用），撤销它</span>
        </label>
        <button type="submit" class="big primary" id="fix-btn">
          保存更正
        </button>
      </form>
    </section>
  );
}

function ApplicationList(props: { data: ConsoleData }) {
  const { applications } = props.data;
  return (
    <section class="card" id="records">
      <h2>最近的施药记录</h2>
      {applications.length === 0 ? (
        <p class="note">还没有施药记录。</p>
      ) : (
        <ul class="list">
          {applications.map((a) => (
            <li data-record={a.id} class={a.retracted ? "retracted" : undefined}>
              <div>
                <strong>{a.appliedOn}</strong> {a.input}
                <br />
                {[a.dose, a.method, a.place, a.operator].filter((part) => part !== null && part !== "").join(" · ")}
                {a.retracted ? <span class="tag">已撤销</span> : a.corrected ? <span class="tag">已更正</span> : null}
                {a.corrected && a.correctionReason !== null ? <span class="muted">（{a.correctionReason}）</span> : null}
              </div>
              {a.retracted ? null : (
                <a class="chip" href={`/producer?correct=${encodeURIComponent(a.id)}#correct`} data-correct={a.id}>
                  更正
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProducerConsolePage(props: ConsoleProps) {
  const { data } = props;
  // Records are most often kept for the lot the farmer is about to certify.
  const lotPlace = props.selectedLot === undefined ? {} : { place: `lot:${props.selectedLot.id}` };
  return (
    <PhoneShell title="开具合格证" stylesheet="/producer.css">
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
            {props.error.link === undefined ? null : (
              <a class="button" href={props.error.link.href} id="error-link">
                {props.error.link.text}
              </a>
            )}
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

        <ApplicationForm data={data} form={{ ...lotPlace, ...props.applicationForm }} />
        {props.correction === null ? null : <CorrectionForm data={data} form={props.correction} />}
        <ApplicationList data={data} />
        <HarvestForm data={data} form={{ ...lotPlace, ...props.harvestForm }} />

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
    </PhoneShell>
  );
}
