import { gb31CodeScheme } from "../../../../domain/certificate-code";

/** What the code box says while the clerk types: the same rule the server applies, run in the browser. */
export type EntryState =
  | { kind: "empty" }
  | { kind: "incomplete"; missing: number }
  | { kind: "invalid"; message: string }
  | { kind: "ok"; code: string; display: string };

const LENGTH = 11;

/** A scanned or pasted scan URL (…/c/{code}) is read as its code. */
export function codeFromInput(input: string): string {
  const match = /\/c\/([^/?#\s]+)/.exec(input.trim());
  if (match !== null) {
    try {
      return decodeURIComponent(match[1]!);
    } catch {
      return match[1]!;
    }
  }
  return input;
}

export function entryState(input: string): EntryState {
  const raw = codeFromInput(input);
  const compact = raw.toUpperCase().replace(/[\s\-_.·]/g, "");
  if (compact.length === 0) return { kind: "empty" };
  if (compact.length < LENGTH) {
    // A character that never appears in a code is worth saying before the code is complete.
    const checked = gb31CodeScheme.normalize(compact.padEnd(LENGTH, "0"));
    if (!checked.ok && checked.message.startsWith("character")) return { kind: "invalid", message: checked.message };
    return { kind: "incomplete", missing: LENGTH - compact.length };
  }
  const normalized = gb31CodeScheme.normalize(raw);
  if (!normalized.ok) return { kind: "invalid", message: normalized.message };
  return { kind: "ok", code: normalized.code, display: gb31CodeScheme.display(normalized.code) };
}

/** The clerk reads Chinese first. */
export function entryMessageZh(state: EntryState): string {
  switch (state.kind) {
    case "empty":
      return "输入合格证上的 11 位编码，或点“扫码”";
    case "incomplete":
      return `还差 ${state.missing} 位`;
    case "invalid":
      if (state.message.startsWith("check character")) return "校验位不对：编码可能输错了，请逐位核对";
      if (state.message.startsWith("character")) return `编码中不会出现字符 ${/"(.+)"/.exec(state.message)?.[1] ?? ""}`;
      return "编码长度不对：合格证编码是 11 位";
    case "ok":
      return `编码 ${state.display} 格式正确`;
  }
}
