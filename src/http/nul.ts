/**
 * Where in a parsed value a string holds U+0000, which PostgreSQL cannot store in text or jsonb, as a field path ("" for
 * the value itself); null when none does.
 */
export function nulPath(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], path === "" ? String(i) : `${path}.${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, path === "" ? key : `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
}
