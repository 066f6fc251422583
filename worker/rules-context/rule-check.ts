import { ApiError, problemBody } from "../errors/problem";
import { validateDraft } from "../rules";
import type { Draft, Finding, PatientRecord, Prescriber, ValidationResult } from "../rules/types";
import type { StoredContext } from "./rules-context.repo";

/** Runs every rule on a draft with its stored context, for the prescriber and patient that context found. */
export function runRules(stored: StoredContext, who: { prescriber: Prescriber; patient: PatientRecord }, draft: Draft): ValidationResult {
  const { formularyVersion: _version, prescriber: _p, patient: _q, ...rest } = stored;
  return validateDraft({ ...rest, ...who, draft });
}

/**
 * The 422 of a draft that fails rules: problem+json with one issue per finding (path into
 * the draft) and the findings themselves, as signing answers and stores for an
 * Idempotency-Key replay.
 */
export function findingsProblem(findings: Finding[], requestId: string, what = "the prescription") {
  const errors = findings.filter((f) => f.severity === "error");
  const err = new ApiError(
    "unprocessable",
    `${what} fails ${errors.length} rule(s): ${[...new Set(errors.map((f) => f.ruleId))].join(", ")}`,
    findings.map((f) => ({ path: f.path ?? (f.itemIndex === undefined ? "" : `items.${f.itemIndex}`), message: f.message })),
  );
  return { ...problemBody(err, requestId), findings };
}
