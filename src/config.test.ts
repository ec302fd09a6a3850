import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

describe("loadConfig", () => {
  it("has defaults that run the embedded database with demo data", () => {
    const cfg = loadConfig({});
    expect(cfg).toMatchObject({ PORT: 3000, DATA_DIR: "./data", DEMO_DATA: true, PUBLIC_URL: "http://localhost:3000" });
    expect(cfg.DATABASE_URL).toBeUndefined();
  });

  it("treats empty variables as unset and trims the public URL", () => {
    const cfg = loadConfig({ DATABASE_URL: "", PUBLIC_URL: "https://trace.example.cn/", DEMO_DATA: "0" });
    expect(cfg).toMatchObject({ PUBLIC_URL: "https://trace.example.cn", DEMO_DATA: false });
  });

  it("names every bad variable at once", () => {
    const bad = () => loadConfig({ PORT: "-1", DATABASE_URL: "mysql://x", BOOTSTRAP_ADMIN_KEY: "short", KEY_ENCRYPTION_KEY: "nope", DEMO_DATA: "maybe" });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/PORT: .*\n {2}DATABASE_URL: must start with postgres:\/\/.*\n {2}BOOTSTRAP_ADMIN_KEY: must be at least 24 characters\n {2}KEY_ENCRYPTION_KEY: must be 32 bytes.*\n {2}DEMO_DATA: /);
  });
});
