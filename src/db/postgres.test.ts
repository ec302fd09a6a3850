import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../../test/support/database";
import { rowsOf } from "./rows";
import { connectionTarget, openPostgres } from "./postgres";

describe("connection URLs", () => {
  it("take a Unix socket directory from ?host=, as libpq does, and keep the other parameters", () => {
    expect(connectionTarget("postgres://app@localhost:5432/lotproof?host=/var/run/postgresql")).toEqual({
      url: "postgres://app@localhost:5432/lotproof",
      socketDir: "/var/run/postgresql",
    });
    expect(connectionTarget("postgres://app@localhost/lotproof?sslmode=disable&host=%2Ftmp")).toEqual({
      url: "postgres://app@localhost/lotproof?sslmode=disable",
      socketDir: "/tmp",
    });
  });

  it("leave URLs without a socket directory as they are", () => {
    for (const url of ["postgres://app@db.internal:5432/lotproof", "postgres://app@h/db?sslmode=require", "postgres://app@h/db?host=db2"]) {
      expect(connectionTarget(url)).toEqual({ url });
    }
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)("a Unix socket connection", () => {
  it("reaches the same server as the TCP URL", async () => {
    const tcp = openPostgres(TEST_DATABASE_URL!);
    try {
      const [setting] = rowsOf<{ dirs: string }>(await tcp.db.execute(sql`SELECT current_setting('unix_socket_directories') AS dirs`));
      const dir = setting!.dirs.split(",")[0]!.trim();
      const url = new URL(TEST_DATABASE_URL!);
      url.searchParams.set("host", dir);
      const socket = openPostgres(url.toString());
      try {
        const [row] = rowsOf<{ addr: string | null }>(await socket.db.execute(sql`SELECT inet_client_addr()::text AS addr`));
        // A socket connection has no client address.
        expect(row!.addr).toBeNull();
      } finally {
        await socket.close();
      }
    } finally {
      await tcp.close();
    }
  });
});

describe.skipIf(TEST_DATABASE_URL === undefined)("plans", () => {
  const planCacheMode = async (handle: ReturnType<typeof openPostgres>) =>
    rowsOf<{ mode: string }>(await handle.db.execute(sql`SELECT current_setting('plan_cache_mode') AS mode`))[0]!.mode;

  it("are made once per connection on the Node origin, and left to the server's default where asked (the Worker)", async () => {
    const origin = openPostgres(TEST_DATABASE_URL!);
    const worker = openPostgres(TEST_DATABASE_URL!, { genericPlans: false });
    try {
      expect(await planCacheMode(origin)).toBe("force_generic_plan");
      expect(await planCacheMode(worker)).toBe("auto");
    } finally {
      await Promise.all([origin.close(), worker.close()]);
    }
  });
});
