import type { AppDeps } from "../deps";
import type { Principal } from "../auth/principal";

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal | null;
    /** What this request's path names as a scan, once worked out (see requestScanCode). */
    scanPath: { code: string | null | undefined };
  };
}
