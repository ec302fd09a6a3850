import type { AppDeps } from "../deps";
import type { Principal } from "../auth/principal";

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal | null;
  };
}
