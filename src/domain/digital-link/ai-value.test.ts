import { describe, expect, it } from "vitest";
import { GS1_AI_DICTIONARY } from "./ai-dictionary";
import { aiValueProblem } from "./ai-value";

function problem(ai: string, value: string): string | null {
  const entry = GS1_AI_DICTIONARY.entries.get(ai);
  if (!entry) throw new Error(`no AI ${ai}`);
  return aiValueProblem(entry, value);
}

describe("aiValueProblem", () => {
  it.each([
    ["01", "09520123456788"],
    ["17", "240229"], // leap day
    ["17", "260100"], // day 00 means end of month for yymmd0
    ["7007", "260301260315"], // optional second harvest date
    ["7007", "260301"],
    ["8013", "1987654Ad4X4bL5ttr2310c2K"], // GMN with GS1's worked check pair
    ["4330", "002000-"], // optional minus sign after the temperature,
    ["8006", "095201234567880102"],
  ])("accepts (%s) %s", (ai, value) => {
    expect(problem(ai, value)).toBeNull();
  });

  it.each([
    ["01", "0952012345678", /too short/],
    ["01", "095201234567888", /too long/],
    ["01", "0952012345678A", /'A'.*digits/],
    ["01", "09520123456789", /check digit/],
    ["17", "250229", /day/],
    ["17", "261301", /month/],
    ["11", "26010", /too short/],
    ["7006", "260100", /day/], // yymmdd: no day 00
    ["8013", "1987654Ad4X4bL5ttr2310c2L", /check character pair/],
    ["8006", "095201234567880302", /piece/],
    ["10", "ABC DEF", /U\+0020.*CSET 82/],
    ["8010", "abc", /'a'.*CSET 39/],
    ["4321", "2", /0 or 1/],
  ])("rejects (%s) %s", (ai, value, reason) => {
    expect(problem(ai, value)).toMatch(reason);
  });
});
