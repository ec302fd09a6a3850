import type { Context } from "hono";
import { z } from "zod";
import { clearSessionCookie, endSession, isSameOriginPost, PRODUCER_CONSOLE, sessionPrincipal, sessionToken, setSessionCookie, startSession, type SessionPrincipal } from "../../auth/session";
import { BASES } from "../../domain/certificate";
import { MAX_COPIES } from "../../domain/printing";
import type { ApplicationData, HarvestData } from "../../domain/production/stored-records";
import { UNITS } from "../../domain/units";
import type { AppEnv } from "../../http/context";
import { ApiError } from "../../http/problem";
import { createRouter } from "../../http/router";
import {
  ProducerConsolePage,
  ProducerSignInPage,
  type ApplicationFormState,
  type CorrectionFormState,
  type HarvestFormState,
  type IssueFormState,
} from "../../render/pages/producer/console-page";
import { createLot, createProduct } from "../../services/catalog";
import { getCertificate, issueCertificate } from "../../services/certificates";
import { applicationToCorrect, catalogueInput, consoleData, inputLabel, inputOfProduct } from "../../services/producer-console";
import { correctRecord, createRecord, type Placement } from "../../services/production-records";

/** The page loads its own stylesheet and nothing else; it runs no script at all. */
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "cache-control": "private, no-store",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

const SIGN_IN_ERRORS = { unknown_key: "密钥无效或已停用", wrong_role: "这个密钥不是生产者的密钥" } as const;

const FIELD_ZH: Record<string, string> = {
  quantity: "数量",
  unit: "单位",
  harvestedAt: "采收日期",
  productId: "产品",
  newProductName: "新产品名称",
  category: "品类",
  basis: "承诺依据",
  copies: "打印份数",
  testIds: "依据的检测",
  lotId: "批次",
  siteId: "地块",
  place: "批次或地块",
  inputId: "投入品",
  doseAmount: "用量",
  doseUnit: "用量单位",
  method: "方法",
  appliedOn: "施用日期",
  stoppedOn: "停药日期",
  harvestedOn: "采收日期",
  operator: "操作人",
  reason: "更正原因",
};

/**
 * The services word their field errors in English for API clients; the farmer reads them in Chinese. A wording not
 * listed here is shown as the service wrote it rather than hidden.
 */
const SERVICE_MESSAGES_ZH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is in the future \(today is (\d{4}-\d{2}-\d{2})/, (m) => `不能晚于今天（${m[1]}）`],
  [/^is not one of your lots$/, () => "不是本账户的批次"],
  [/^is not one of your sites$/, () => "不是本账户的地块"],
  [/^is not one of your products$/, () => "不是本账户的产品"],
  [/^the lot was harvested on another site$/, () => "这个批次不是在该地块采收的"],
  [/^give siteId/, () => "请选择批次或地块"],
  [/^is before appliedOn$/, () => "早于施用日期"],
];

function messageZh(message: string): string {
  for (const [pattern, zh] of SERVICE_MESSAGES_ZH) {
    const m = pattern.exec(message);
    if (m !== null) return zh(m);
  }
  return message;
}

const RECORDED_NOTICES: Record<string, string> = {
  application: "施药记录已保存。",
  harvest: "采收记录已保存。",
  correction: "更正已保存，原记录保留在历史中。",
};

const Amount = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, "请填写大于 0 的数字，最多 3 位小数")
  .transform(Number)
  .refine((v) => v > 0, "必须大于 0");

const LotForm = z.object({
  productId: z.string().max(64).default(""),
  newProductName: z.string().trim().max(60, "最多 60 个字").default(""),
  category: z.enum(["蔬菜", "水果", "茶鲜叶", "畜禽", "禽蛋", "养殖水产品", "其他"], { message: "请选择品类" }).default("蔬菜"),
  quantity: Amount,
  unit: z.enum(UNITS, { message: "请选择单位" }),
  harvestedAt: z.iso.date({ message: "请选择采收日期" }),
});

const IssueForm = z.object({
  lotId: z.string().min(1, "请先选择批次").max(64),
  idempotencyKey: z.string().min(8).max(100).optional(),
  quantity: z.union([z.literal("").transform(() => undefined), Amount]).optional(),
  unit: z.enum(UNITS, { message: "请选择单位" }).optional(),
  basis: z.enum(BASES, { message: "请选择承诺依据" }),
  testIds: z.array(z.string().min(1).max(64)).max(20, "最多选 20 条检测").default([]),
  copies: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, "请填写整数")
    .transform(Number)
    .refine((v) => v >= 1 && v <= MAX_COPIES, `请填写 1 到 ${MAX_COPIES} 之间的整数`)
    .default(1),
});

/** Where a refused form is fixed: the records list, for refusals caused by recorded inputs. */
const TO_RECORDS = { href: "#records", text: "查看施药记录" };

type Fail = { title: string; lines: string[]; link?: { href: string; text: string } };

function zodLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${FIELD_ZH[String(i.path[0])] ?? String(i.path[0] ?? "")}：${i.message}`);
}

/** The farmer reads the refusal: the issuing gate's problems already carry a Chinese sentence; the rest are named here. */
function problemLines(err: ApiError): Fail {
  const p = err.problem;
  const slug = p.type.split("/").pop();
  switch (slug) {
    case "issuing-refused":
      return { title: "不能开具合格证", lines: String(p.detail ?? "").split("\n").filter((l) => l.trim() !== ""), link: TO_RECORDS };
    case "basis-not-met":
    case "lot-failed-test":
      return { title: "不能开具合格证", lines: String(p.detail ?? "").split("\n").filter((l) => l.trim() !== "") };
    case "lot-over-certified":
      return { title: "数量超过批次剩余", lines: [`该批次只剩 ${String(p["remaining"])} ${String(p["unit"])} 可开证。`] };
    case "validation": {
      const errors = p.errors ?? [];
      // The basis rule's own wording is for programs; the farmer is told what to do instead.
      if (errors.some((e) => e.path.startsWith("testIds"))) {
        return {
          title: "不能开具合格证",
          lines: ["选择“自行检测合格”或“委托检测合格”，需要勾选本批次合格的检测记录。还没有检测时，请先录入检测，或选择“质量安全控制符合要求”。"],
        };
      }
      return { title: "请检查填写的内容", lines: errors.map((e) => `${FIELD_ZH[e.path.split(".")[0] ?? ""] ?? e.path}：${messageZh(e.message)}`) };
    }
    case "duplicate-lot-code":
      return { title: "批次编号重复", lines: ["已有相同编号的批次。"] };
    case "not-found":
      return { title: "找不到该记录", lines: ["批次、产品或记录不存在，或不属于本账户。"] };
    case "record-already-corrected":
      return { title: "这条记录已经更正过", lines: ["请在施药记录里找到它的最新版本，再更正。"], link: TO_RECORDS };
    default:
      return { title: "操作未完成", lines: [String(p.detail ?? p.title)] };
  }
}

function statusOf(err: ApiError): 404 | 409 | 422 {
  const status = err.problem.status;
  return status === 409 ? 409 : status === 404 ? 404 : 422;
}

function html(c: Context<AppEnv>, page: string, status: 200 | 401 | 403 | 404 | 409 | 422 = 200) {
  return c.html(`<!doctype html>${page}`, status, PAGE_HEADERS);
}

interface Rendered {
  principal: SessionPrincipal;
  selectedLotId?: string | undefined;
  error?: Fail | null;
  notice?: string | null;
  issuedId?: string | undefined;
  issueForm?: IssueFormState;
  applicationForm?: ApplicationFormState;
  harvestForm?: HarvestFormState;
  correction?: CorrectionFormState | null;
  status?: 200 | 404 | 409 | 422;
}

async function renderConsole(c: Context<AppEnv>, r: Rendered) {
  const deps = c.get("deps");
  let issued: { id: string; code: string; copies: number } | null = null;
  if (r.issuedId !== undefined) {
    const row = await getCertificate(deps, r.principal, r.issuedId).catch(() => null);
    if (row !== null) issued = { id: row.id, code: deps.codeScheme.display(row.code), copies: row.copies };
  }
  const found = await consoleData(deps, r.principal, r.selectedLotId);
  const data = { ...found, certificates: found.certificates.map((cert) => ({ ...cert, code: deps.codeScheme.display(cert.code) })) };
  const selectedLot = data.lots.find((l) => l.id === r.selectedLotId);
  const page = (
    <ProducerConsolePage
      partyName={r.principal.partyName ?? ""}
      data={data}
      selectedLot={selectedLot}
      error={r.error ?? null}
      notice={r.notice ?? null}
      issued={issued}
      issueForm={r.issueForm ?? {}}
      applicationForm={r.applicationForm ?? {}}
      harvestForm={r.harvestForm ?? {}}
      correction={r.correction ?? null}
      idempotencyKey={Buffer.from(deps.randomBytes(18)).toString("base64url")}
    />
  );
  return html(c, String(page), r.status ?? 200);
}

/** Sign-in page, or 403 for a form post that does not come from this site. */
async function signedIn(c: Context<AppEnv>): Promise<SessionPrincipal | Response> {
  const principal = await sessionPrincipal(c, PRODUCER_CONSOLE);
  if (principal === null) return html(c, String(<ProducerSignInPage error={null} />), 401);
  if (c.req.method === "POST" && !isSameOriginPost(c)) return html(c, String(<ProducerSignInPage error="请求来源不对，请从本页面提交" />), 403);
  return principal;
}

async function formOf(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
  }
  return out;
}

/** The message of the redirect after a successful form post. */
function noticeOf(c: Context<AppEnv>): string | null {
  if (c.req.query("lotCreated") !== undefined) return "批次已保存，可以开证了。";
  return RECORDED_NOTICES[c.req.query("recorded") ?? ""] ?? null;
}

/**
 * GET /producer and its forms: sign in with the producer's key, create lots, keep input and harvest records, issue
 * and print. Not part of the JSON API.
 */
export const producerConsoleRouter = createRouter();

producerConsoleRouter.get("/producer", async (c) => {
  const principal = await sessionPrincipal(c, PRODUCER_CONSOLE);
  if (principal === null) return html(c, String(<ProducerSignInPage error={null} />));
  const lot = c.req.query("lot");
  const issued = c.req.query("issued");
  const notice = noticeOf(c);
  const toCorrect = c.req.query("correct");
  if (toCorrect === undefined) return renderConsole(c, { principal, selectedLotId: lot, issuedId: issued, notice });
  try {
    return renderConsole(c, { principal, selectedLotId: lot, notice, correction: await correctionForm(c, principal, toCorrect) });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return renderConsole(c, { principal, selectedLotId: lot, error: problemLines(err), status: statusOf(err) });
  }
});

producerConsoleRouter.post("/producer/session", async (c) => {
  if (!isSameOriginPost(c)) return html(c, String(<ProducerSignInPage error="请求来源不对，请从本页面登录" />), 403);
  const form = await c.req.parseBody();
  const secret = typeof form["apiKey"] === "string" ? form["apiKey"] : "";
  const result = await startSession(c.get("deps"), PRODUCER_CONSOLE, secret);
  if (!result.ok) return html(c, String(<ProducerSignInPage error={SIGN_IN_ERRORS[result.reason]} />), result.reason === "unknown_key" ? 401 : 403);
  setSessionCookie(c, PRODUCER_CONSOLE, result.token);
  return c.redirect("/producer", 303);
});

producerConsoleRouter.post("/producer/session/end", async (c) => {
  const token = sessionToken(c, PRODUCER_CONSOLE);
  if (token !== undefined && isSameOriginPost(c)) await endSession(c.get("deps"), token);
  clearSessionCookie(c, PRODUCER_CONSOLE);
  return c.redirect("/producer", 303);
});

producerConsoleRouter.post("/producer/lots", async (c) => {
  const principal = await signedIn(c);
  if (principal instanceof Response) return principal;
  const deps = c.get("deps");
  const parsed = LotForm.safeParse(await formOf(c));
  if (!parsed.success) return renderConsole(c, { principal, error: { title: "请检查批次信息", lines: zodLines(parsed.error) }, status: 422 });
  const f = parsed.data;
  try {
    let productId = f.productId;
    if (productId === "") {
      if (f.newProductName === "") return renderConsole(c, { principal, error: { title: "请检查批次信息", lines: ["新产品名称：请选择已有产品，或填写新产品名称"] }, status: 422 });
      productId = (await createProduct(deps, principal, { name: f.newProductName, category: f.category, unit: f.unit })).id;
    }
    const lot = await createLot(deps, principal, { productId, quantity: f.quantity, unit: f.unit, harvestedOn: f.harvestedAt });
    return c.redirect(`/producer?lot=${encodeURIComponent(lot.id)}&lotCreated=1#issue`, 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return renderConsole(c, { principal, error: problemLines(err), status: err.problem.status === 409 ? 409 : 422 });
  }
});

producerConsoleRouter.post("/producer/certificates", async (c) => {
  const principal = await signedIn(c);
  if (principal instanceof Response) return principal;
  const deps = c.get("deps");
  const raw = await formOf(c);
  const testIds = raw["testIds"] === undefined ? [] : ([] as string[]).concat(raw["testIds"]);
  const parsed = IssueForm.safeParse({ ...raw, testIds });
  const lotId = typeof raw["lotId"] === "string" ? raw["lotId"] : undefined;
  const state: IssueFormState = {
    ...(lotId !== undefined && { lotId }),
    ...(typeof raw["quantity"] === "string" && { quantity: raw["quantity"] }),
    ...(typeof raw["unit"] === "string" && { unit: raw["unit"] }),
    ...(typeof raw["copies"] === "string" && { copies: raw["copies"] }),
    ...(parsed.success && { basis: parsed.data.basis }),
    testIds,
  };
  if (!parsed.success) return renderConsole(c, { principal, selectedLotId: lotId, issueForm: state, error: { title: "请检查填写的内容", lines: zodLines(parsed.error) }, status: 422 });
  const f = parsed.data;
  try {
    const { row } = await issueCertificate(deps, principal, { lotId: f.lotId, quantity: f.quantity, unit: f.unit, basis: f.basis, testIds: f.testIds, copies: f.copies }, f.idempotencyKey);
    return c.redirect(`/producer?issued=${encodeURIComponent(row.id)}#issued`, 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return renderConsole(c, { principal, selectedLotId: f.lotId, issueForm: state, error: problemLines(err), status: statusOf(err) });
  }
});

const Place = z.string().regex(/^(lot|site):[^:]{1,64}$/, "请选择");
/** Free text kept in a record; control characters (a NUL above all) cannot be stored, so they are refused here. */
const PlainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `最多 ${max} 个字`)
    .regex(/^[^\p{Cc}]*$/u, "含有无法保存的字符");
const Operator = PlainText(40).default("");
const RecordDate = (message: string) => z.iso.date({ message });

/** What an application and its correction both say: how much of the input, how, when and by whom. */
const UseFields = {
  doseAmount: Amount,
  doseUnit: PlainText(20).refine((v) => v !== "", "请选择单位"),
  method: PlainText(40).default(""),
  appliedOn: RecordDate("请选择施用日期"),
  operator: Operator,
};

const ApplicationForm = z.object({ inputId: z.string().min(1, "请从列表中选择").max(100), place: Place, ...UseFields });

const CorrectionForm = z.object({
  // Empty keeps the input as recorded, which may be one the catalogue does not list.
  inputId: z.string().max(100).default(""),
  ...UseFields,
  reason: PlainText(200).refine((v) => v !== "", "请填写更正原因"),
  retract: z.literal("1").optional(),
});

const HarvestForm = z.object({
  place: Place,
  harvestedOn: RecordDate("请选择采收日期"),
  quantity: z.union([z.literal("").transform(() => undefined), Amount]).optional(),
  unit: z.enum(UNITS, { message: "请选择单位" }),
  endsSeason: z.literal("1").optional(),
  operator: Operator,
});

const NOT_IN_CATALOGUE: Fail = { title: "请检查填写的内容", lines: ["投入品：不在现行投入品目录中，请从列表中重新选择"] };

function text(raw: Record<string, string | string[]>, key: string): string | undefined {
  const v = raw[key];
  return typeof v === "string" ? v : undefined;
}

function placementOf(place: string): Placement {
  const [kind, id] = place.split(":") as [string, string];
  return kind === "lot" ? { lotId: id } : { siteId: id };
}

const orNull = (v: string) => (v === "" ? null : v);

/** A recorded dose back into the form's number and unit; a dose written some other way keeps its whole text as unit. */
function splitDose(dose: string | null): { doseAmount: string; doseUnit: string } {
  const m = /^(\d+(?:\.\d+)?)\s*(.+)$/.exec(dose ?? "");
  return m === null ? { doseAmount: "", doseUnit: dose ?? "" } : { doseAmount: m[1]!, doseUnit: m[2]! };
}

function usageState(raw: Record<string, string | string[]>) {
  return { doseAmount: text(raw, "doseAmount"), doseUnit: text(raw, "doseUnit"), method: text(raw, "method"), appliedOn: text(raw, "appliedOn"), operator: text(raw, "operator") };
}

async function correctionForm(c: Context<AppEnv>, principal: SessionPrincipal, id: string): Promise<CorrectionFormState> {
  const record = await applicationToCorrect(c.get("deps"), principal, id);
  const d = record.data;
  return {
    recordId: record.id,
    recordedInput: inputLabel({ name: d.inputName, formulation: d.formulation, registrationNo: d.registrationNo }),
    inputId: record.inputId ?? "",
    ...splitDose(d.dose),
    method: d.method ?? "",
    appliedOn: d.appliedOn,
    operator: d.operator ?? "",
  };
}

producerConsoleRouter.post("/producer/records/applications", async (c) => {
  const principal = await signedIn(c);
  if (principal instanceof Response) return principal;
  const deps = c.get("deps");
  const raw = await formOf(c);
  const state: ApplicationFormState = { inputId: text(raw, "inputId"), place: text(raw, "place"), ...usageState(raw) };
  const refuse = (error: Fail, status: 404 | 409 | 422 = 422) => renderConsole(c, { principal, applicationForm: state, error, status });
  const parsed = ApplicationForm.safeParse(raw);
  if (!parsed.success) return refuse({ title: "请检查施药记录", lines: zodLines(parsed.error) });
  const f = parsed.data;
  const product = await catalogueInput(deps, f.inputId);
  if (product === undefined) return refuse(NOT_IN_CATALOGUE);
  const data: ApplicationData = {
    kind: "application",
    ...inputOfProduct(product),
    dose: `${f.doseAmount}${f.doseUnit}`,
    method: orNull(f.method),
    appliedOn: f.appliedOn,
    stoppedOn: null,
    operator: orNull(f.operator),
    pest: null,
    notes: null,
  };
  try {
    await createRecord(deps, principal, placementOf(f.place), data);
    return c.redirect("/producer?recorded=application#records", 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return refuse(problemLines(err), statusOf(err));
  }
});

producerConsoleRouter.post("/producer/records/applications/:id/corrections", async (c) => {
  const principal = await signedIn(c);
  if (principal instanceof Response) return principal;
  const deps = c.get("deps");
  const id = c.req.param("id");
  const raw = await formOf(c);
  const refuse = async (error: Fail, status: 404 | 409 | 422 = 422) => {
    const recorded = await correctionForm(c, principal, id).catch(() => null);
    const correction = recorded === null ? null : { ...recorded, inputId: text(raw, "inputId"), ...usageState(raw), reason: text(raw, "reason"), retract: raw["retract"] === "1" };
    return renderConsole(c, { principal, correction, error, status });
  };
  const parsed = CorrectionForm.safeParse(raw);
  if (!parsed.success) return refuse({ title: "请检查更正内容", lines: zodLines(parsed.error) });
  const f = parsed.data;
  const product = f.inputId === "" ? undefined : await catalogueInput(deps, f.inputId);
  if (f.inputId !== "" && product === undefined) return refuse(NOT_IN_CATALOGUE);
  try {
    await correctRecord<ApplicationData>(deps, principal, "application", id, {
      placement: {},
      reason: f.reason,
      retract: f.retract !== undefined,
      data: (earlier) => ({
        ...earlier,
        ...(product === undefined ? {} : inputOfProduct(product)),
        dose: `${f.doseAmount}${f.doseUnit}`,
        method: orNull(f.method),
        appliedOn: f.appliedOn,
        operator: orNull(f.operator),
      }),
    });
    return c.redirect("/producer?recorded=correction#records", 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return refuse(problemLines(err), statusOf(err));
  }
});

producerConsoleRouter.post("/producer/records/harvests", async (c) => {
  const principal = await signedIn(c);
  if (principal instanceof Response) return principal;
  const deps = c.get("deps");
  const raw = await formOf(c);
  const state: HarvestFormState = {
    place: text(raw, "place"),
    harvestedOn: text(raw, "harvestedOn"),
    quantity: text(raw, "quantity"),
    unit: text(raw, "unit"),
    endsSeason: raw["endsSeason"] === "1",
    operator: text(raw, "operator"),
  };
  const refuse = (error: Fail, status: 404 | 409 | 422 = 422) => renderConsole(c, { principal, harvestForm: state, error, status });
  const parsed = HarvestForm.safeParse(raw);
  if (!parsed.success) return refuse({ title: "请检查采收记录", lines: zodLines(parsed.error) });
  const f = parsed.data;
  const data: HarvestData = {
    kind: "harvest",
    harvestedOn: f.harvestedOn,
    quantity: f.quantity ?? null,
    unit: f.quantity === undefined ? null : f.unit,
    endsSeason: f.endsSeason !== undefined,
    operator: orNull(f.operator),
    notes: null,
  };
  try {
    await createRecord(deps, principal, placementOf(f.place), data);
    return c.redirect("/producer?recorded=harvest#record-harvest", 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return refuse(problemLines(err), statusOf(err));
  }
});
