import type { Principal } from "../http/auth";
import { ApiError } from "../errors/problem";

/** The 403 of a caller whose token names an organisation they are not registered at (members.repo expectRegistered). */
export function notRegistered(actor: Principal): ApiError {
  const where = actor.role === "pharmacist" ? `pharmacist of pharmacy ${actor.org}` : `practitioner of institution ${actor.org}`;
  return new ApiError("forbidden", `${actor.sub} is not a registered ${where}`);
}
