// npm run verify -- <code | URL | file.jwt> [--url https://service] [--log-key <name+id+key>]
// Checks a certificate as an outsider would: signature against the JWKS, status, and inclusion in the signed log.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkCertificate, type CheckOptions } from "../src/verifier/check-certificate";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: "string" }, "log-key": { type: "string" }, help: { type: "boolean", short: "h" } },
});
const input = positionals[0];
if (values.help === true || input === undefined || positionals.length > 1) {
  console.error("usage: npm run verify -- <code | https://host/c/CODE | file.jwt> [--url https://host] [--log-key <origin+id+key>]");
  process.exit(2);
}

let target: CheckOptions["target"];
if (/^https?:\/\//.test(input)) target = { url: input };
else if (existsSync(input)) target = { jwt: readFileSync(input, "utf8").trim() };
else if (input.split(".").length === 3) target = { jwt: input };
else target = { code: input };

const baseUrl = (values.url ?? process.env["LOTPROOF_URL"] ?? ("code" in target ? "http://localhost:3000" : undefined))?.replace(/\/+$/, "");
const verdict = await checkCertificate({
  target,
  ...(baseUrl === undefined ? {} : { baseUrl }),
  ...(values["log-key"] === undefined ? {} : { logKey: values["log-key"] }),
  fetch: (url, init) => fetch(url, init),
});
for (const check of verdict.checks) console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name.padEnd(9)} ${check.detail}`);
console.log(verdict.ok ? `VALID: certificate ${verdict.code ?? ""} checks out` : `NOT VALID: certificate ${verdict.code ?? ""} failed the checks above`);
process.exit(verdict.ok ? 0 : 1);
