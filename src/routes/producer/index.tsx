import type { Context } from "hono";
import { z } from "zod";
import { clearSessionCookie, endSession, isSameOriginPost, PRODUCER_CONSOLE, sessionPrincipal, sessionToken, setSessionCookie, startSession, type SessionPrincipal } from "../../auth/session";
import { BASES } from "../../domain/certificate";
import { MAX_COPIES } from "../../domain/printing";
import { UNITS } from "../../domain/units";
import type { AppEnv } from "../../http/context";
import { ApiError } from "../../http/problem";
import { createRouter } from "../../http/router";
import { ProducerConsolePage, ProducerSignInPage, type IssueFormState } from "../../render/pages/producer/console-page";
import { createLot, createProduct } from "../../services/catalog";
import { getCertificate, issueCertificate } from "../../services/certificates";
import { consoleData } from "../../services/producer-console";

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

type Fail = { title: string; lines: string[] };

function zodLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${FIELD_ZH[String(i.path[0])] ?? String(i.path[0] ?? "")}：${i.message}`);
}

/** The farmer reads the refusal: the issuing gate's problems already carry a Chinese sentence; the rest are named here. */
function problemLines(err: ApiError): Fail {
  const p = err.problem;
  const slug = p.type.split("/").pop();
  switch (slug) {
    case "issuing-refused":
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
      return { title: "请检查填写的内容", lines: errors.map((e) => `${FIELD_ZH[e.path.split(".")[0] ?? ""] ?? e.path}：${e.message}`) };
    }
    case "duplicate-lot-code":
      return { title: "批次编号重复", lines: ["已有相同编号的批次。"] };
    case "not-found":
      return { title: "找不到该记录", lines: ["批次或产品不存在，或不属于本账户。"] };
    default:
      return { title: "操作未完成", lines: [String(p.detail ?? p.title)] };
  }
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

/** GET /producer and its forms: sign in with the producer's key, create lots, issue and print. Not part of the JSON API. */
export const producerConsoleRouter = createRouter();

producerConsoleRouter.get("/producer", async (c) => {
  const principal = await sessionPrincipal(c, PRODUCER_CONSOLE);
  if (principal === null) return html(c, String(<ProducerSignInPage error={null} />));
  const lot = c.req.query("lot");
  const issued = c.req.query("issued");
  const notice = c.req.query("lotCreated") === undefined ? null : "批次已保存，可以开证了。";
  return renderConsole(c, { principal, selectedLotId: lot, issuedId: issued, notice });
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
    const status = err.problem.status === 409 ? 409 : err.problem.status === 404 ? 404 : 422;
    return renderConsole(c, { principal, selectedLotId: f.lotId, issueForm: state, error: problemLines(err), status });
  }
});
