/**
 * The gate page's script: live code checking, camera scanning, the verdict and one-tap receipts. Bundled into
 * public/market.js by `npm run build:market`, so the check character is computed by the very module the server uses.
 */
import { entryMessageZh, entryState } from "./code-entry";
import { startScanner, type Scanner } from "./scanner";
import { readMeta } from "./offline-store";
import { localReceived, rememberCredential, startOffline, submitReceipt } from "./offline-sync";
import { checkOffline } from "./offline-verify";

interface GateCheck {
  code: string;
  displayCode: string | null;
  genuine: boolean;
  status: string;
  reasons: { code: string; message: string; messageZh?: string; [detail: string]: unknown }[];
  verdict: { decision: "accept" | "hold" | "reject"; reasons: { code: string; zh: string }[] };
  product: { name: string } | null;
  quantity: { amount: number; unit: string } | null;
  received: number | null;
  remaining: number | null;
  issuer: { name: string; creditCode: string | null; phone: string; regionName: string | null } | null;
  issueDate: string | null;
  upstream: { count: number; onPlatform?: number; external?: number; notValid: string[] } | null;
  /** Collected under it by buyers' certificates (样式二); absent from checks computed offline. */
  claimed?: number | null;
  coldChain: { handover: { flagged: boolean; celsius: number; reason: string | null } | null; openExcursions: number };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const VERDICT_TEXT = { accept: "可以进场", hold: "暂扣", reject: "拒绝" } as const;
const fmt = (n: number) => (Math.round(n * 1000) / 1000).toString();

function setText(id: string, text: string) {
  $(id).textContent = text;
}

function show(id: string, visible: boolean) {
  $(id).hidden = !visible;
}

let current: GateCheck | null = null;
let scanner: Scanner | null = null;

function onType() {
  const input = $<HTMLInputElement>("code");
  const state = entryState(input.value);
  const hint = $("code-hint");
  hint.textContent = entryMessageZh(state);
  hint.dataset["state"] = state.kind;
  input.setAttribute("aria-invalid", state.kind === "invalid" ? "true" : "false");
  $<HTMLButtonElement>("check-btn").disabled = state.kind !== "ok";
}

async function check(code: string) {
  const state = entryState(code);
  if (state.kind !== "ok") return onType();
  setText("status-line", "查验中…");
  let res: Response;
  try {
    if (!navigator.onLine) throw new TypeError("offline");
    res = await fetch("/v1/market/check", {
      method: "POST",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ code: state.code }),
    });
  } catch {
    // No network: the device's own signed copies decide (see offline-verify.ts).
    const meta = await readMeta();
    const offline = await checkOffline(state.code, state.display, meta, (since) => localReceived(state.code, since));
    setText("status-line", `离线查验：依据本机 ${meta.updatedAt === null ? "（无数据）" : new Date(meta.updatedAt).toLocaleString("zh-CN", { hour12: false })} 的签名数据和状态名单`);
    render(offline);
    $("verdict").dataset["mode"] = "offline";
    return;
  }
  if (res.status === 401 || res.status === 403) {
    location.href = "/market";
    return;
  }
  const body = (await res.json()) as GateCheck & { detail?: string };
  if (!res.ok) {
    setText("status-line", `查验失败：${body.detail ?? res.status}`);
    return;
  }
  setText("status-line", "");
  render(body);
  $("verdict").dataset["mode"] = "online";
  if (body.genuine) void rememberCredential(body.code, body.received ?? 0);
}

/** verifyCertificate's reasons in Chinese; those the verdict already says in other words are left out. */
function reasonZh(r: GateCheck["reasons"][number]): string | null {
  if (r.messageZh !== undefined) return r.messageZh;
  switch (r.code) {
    case "revoked":
      return typeof r["reason"] === "string" && r["reason"] !== "" ? `作废原因：${r["reason"]}` : null;
    case "not_found":
      return "平台上没有这个编码的合格证";
    case "malformed_code":
      return "编码格式不对";
    case "bad_signature":
    case "unknown_key":
      return "签名无法核实，疑似伪造";
    case "record_altered":
      return "平台记录与签名内容不符";
    default:
      return r.message;
  }
}

function render(r: GateCheck) {
  current = r;
  const verdict = $("verdict");
  verdict.hidden = false;
  verdict.dataset["decision"] = r.verdict.decision;
  setText("verdict-word", VERDICT_TEXT[r.verdict.decision]);
  setText("verdict-code", r.displayCode ?? r.code);
  const reasons = [...r.verdict.reasons.map((x) => x.zh), ...r.reasons.map(reasonZh).filter((x): x is string => x !== null)];
  const list = $("verdict-reasons");
  list.replaceChildren(...[...new Set(reasons)].map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  setText("fact-product", r.product?.name ?? "—");
  setText("fact-remaining", r.remaining === null || r.quantity === null ? "—" : `${fmt(r.remaining)} ${r.quantity.unit}`);
  const claimed = r.claimed !== undefined && r.claimed !== null && r.claimed > 0 ? `，收购方已用 ${fmt(r.claimed)}` : "";
  setText("fact-quantity", r.quantity === null ? "—" : `${fmt(r.quantity.amount)} ${r.quantity.unit}（已进场 ${fmt(r.received ?? 0)}${claimed}）`);
  setText("fact-issuer", r.issuer === null ? "—" : `${r.issuer.name}${r.issuer.regionName === null ? "" : ` · ${r.issuer.regionName}`}`);
  setText("fact-date", r.issueDate ?? "—");
  const cold = r.coldChain.handover;
  setText(
    "fact-cold",
    cold === null
      ? r.coldChain.openExcursions > 0
        ? `${r.coldChain.openExcursions} 个温度异常未处理`
        : "无冷链记录"
      : `${cold.flagged ? "⚠ " : ""}交接温度 ${cold.celsius} °C${r.coldChain.openExcursions > 0 ? `，${r.coldChain.openExcursions} 个温度异常未处理` : ""}`,
  );
  show("fact-upstream-row", r.upstream !== null);
  if (r.upstream !== null) {
    const u = r.upstream;
    const split = u.external !== undefined && u.external > 0 ? `（本平台 ${u.onPlatform ?? u.count - u.external}，外部 ${u.external}）` : "";
    setText("fact-upstream", `${u.count} 张上游合格证${split}${u.notValid.length > 0 ? `，无效：${u.notValid.join("、")}` : ""}`);
  }

  // The receipt form starts from what the certificate says: the issuer as seller, what is left as the quantity.
  const form = $<HTMLFormElement>("receipt");
  form.hidden = !r.genuine;
  setValue("seller-name", r.issuer?.name ?? "");
  setValue("seller-credit-code", r.issuer?.creditCode ?? "");
  setValue("seller-phone", r.issuer?.phone ?? "");
  setValue("quantity", r.remaining === null ? "" : fmt(r.remaining));
  setValue("unit", r.quantity?.unit ?? "kg");
  setValue("reason", r.verdict.decision === "accept" ? "" : r.verdict.reasons.map((x) => x.zh).join("；"));
  $<HTMLButtonElement>("accept-btn").hidden = r.verdict.decision !== "accept";
  setText("receipt-result", "");
  $("receipt-result").dataset["state"] = "";
  verdict.scrollIntoView({ block: "start" });
}

function setValue(id: string, value: string) {
  $<HTMLInputElement>(id).value = value;
}

function valueOf(id: string): string | undefined {
  const v = $<HTMLInputElement>(id).value.trim();
  return v === "" ? undefined : v;
}

async function record(decision: "accept" | "hold" | "reject") {
  if (current === null) return;
  const result = $("receipt-result");
  const reason = valueOf("reason");
  if (decision !== "accept" && reason === undefined) {
    result.textContent = "暂扣或拒绝请填写原因";
    result.dataset["state"] = "error";
    $("reason").focus();
    return;
  }
  const body = {
    code: current.code,
    sellerName: valueOf("seller-name"),
    sellerCreditCode: valueOf("seller-credit-code"),
    sellerPhone: valueOf("seller-phone"),
    quantity: Number(valueOf("quantity")),
    unit: valueOf("unit"),
    voucherNo: valueOf("voucher-no"),
    decision,
    reason: decision === "accept" ? undefined : reason,
  };
  // Queued on the device first and sent with an Idempotency-Key, so a dead network loses nothing and duplicates nothing.
  const sent = await submitReceipt(body);
  if (sent.state === "queued") {
    // Refresh the verdict first (what is left now counts this receipt), then say where the receipt is.
    await check(current.code);
    result.textContent = `已保存在本机（${fmt(body.quantity)} ${body.unit ?? ""}），联网后自动上传到进货台账`;
    result.dataset["state"] = "queued";
    return;
  }
  const res = { status: sent.status };
  const json = sent.json as { id?: string; detail?: string; remaining?: number; unit?: string; errors?: { path: string; message: string }[] };
  if (res.status === 201 || res.status === 200) {
    // Refresh the verdict first (quantity left has changed), then say what was recorded.
    await check(current.code);
    result.textContent = `${decision === "accept" ? "已准许进场" : decision === "hold" ? "已暂扣" : "已拒绝"}，记入进货台账（${fmt(body.quantity)} ${body.unit ?? ""}）`;
    result.dataset["state"] = "ok";
    result.dataset["receiptId"] = json.id ?? "";
    return;
  }
  result.dataset["state"] = "error";
  if (res.status === 409 && json.remaining !== undefined) {
    result.textContent = `超出合格证数量：只剩 ${fmt(json.remaining)} ${json.unit ?? ""} 可进场，已报告监管部门`;
  } else if (json.errors !== undefined) {
    result.textContent = json.errors.map((e) => `${e.path}：${e.message}`).join("；");
  } else {
    result.textContent = json.detail ?? `记录失败（${res.status}）`;
  }
}

async function toggleScan() {
  const button = $<HTMLButtonElement>("scan-btn");
  if (scanner !== null) {
    scanner.stop();
    scanner = null;
    button.textContent = "扫码";
    show("camera-box", false);
    return;
  }
  show("camera-box", true);
  button.textContent = "停止扫码";
  setText("camera-hint", "把合格证上的二维码对准框内");
  try {
    scanner = await startScanner($<HTMLVideoElement>("camera"), (text) => {
      scanner?.stop();
      scanner = null;
      button.textContent = "扫码";
      show("camera-box", false);
      const input = $<HTMLInputElement>("code");
      const state = entryState(text);
      input.value = state.kind === "ok" ? state.display : text;
      onType();
      void check(text);
    });
    setText("camera-hint", `把合格证上的二维码对准框内（${scanner.engine === "native" ? "系统识别" : "网页识别"}）`);
  } catch (err) {
    scanner = null;
    button.textContent = "扫码";
    setText("camera-hint", `无法打开摄像头：${(err as Error).message}。请手动输入编码。`);
  }
}

function init() {
  const input = $<HTMLInputElement>("code");
  input.addEventListener("input", onType);
  $<HTMLFormElement>("check-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void check(input.value);
  });
  $("scan-btn").addEventListener("click", () => void toggleScan());
  $("accept-btn").addEventListener("click", () => void record("accept"));
  $("hold-btn").addEventListener("click", () => void record("hold"));
  $("reject-btn").addEventListener("click", () => void record("reject"));
  $<HTMLFormElement>("receipt").addEventListener("submit", (e) => e.preventDefault());
  onType();
  startOffline();
  document.body.dataset["ready"] = "true";
}

init();
