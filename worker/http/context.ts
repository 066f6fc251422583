import type { Bindings } from "../env";
import type { Principal } from "./auth";

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
