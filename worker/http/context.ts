import type { Bindings } from "../env";
import type { AuthEnv } from "./auth";

export interface AppEnv {
  Bindings: Bindings;
  Variables: AuthEnv["Variables"] & {
    requestId: string;
  };
}
