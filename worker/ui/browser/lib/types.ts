/**
 * The API's answers as the pages read them. Types only (erased from the bundles): the entry,
 * problem and finding types come from the worker's own schema modules, so a change there
 * shows up here in `npm run typecheck`. The other shapes are written out because their zod
 * schemas live in modules that also import Worker-only code (D1, bindings), which the DOM
 * typecheck cannot load; each names the OpenAPI schema it follows.
 */
import type { Entry } from "../../../formulary/formulary.schemas";
import type { Problem } from "../../../http/problem";
import type { Finding, PrescriptionKind, ValidationResult } from "../../../rules/types";
import type { LABELS } from "../../labels";

export type { Entry, Finding, PrescriptionKind, Problem };

/** A page of a cursor-paginated list (PageMeta in http/pagination.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An error answer: problem+json; a 422 from signing also carries the rule findings. */
export type ProblemBody = Partial<Problem> & { findings?: Finding[] };

/** FormularyEntryVersion: one item of GET /formulary/drugs/{code}/history. */
export interface EntryVersion {
  version: number;
  formularyVersion: number;
  change: keyof typeof LABELS.change;
  status: Entry["status"];
  effectiveFrom: string;
  changedAt: string;
  changedBy: string;
  importId: string | null;
  entry: Entry;
}

export type ImportOutcome = keyof typeof LABELS.outcome;

/** FormularyImportReport: the answer of POST /formulary/imports (dry run or real). */
export interface ImportReport {
  importId: string | null;
  dryRun: boolean;
  formularyVersion: number;
  summary: Record<ImportOutcome | "total", number>;
  rows: { row: number; code: string | null; outcome: ImportOutcome; version?: number; issues?: { path: string; message: string }[] }[];
}

/** ValidationResult: the answer of POST /prescriptions/validate. */
export type ValidationResponse = ValidationResult & { formularyVersion: number };

/** The parts of Prescription (prescriptions.schemas.ts) the pages show after signing. */
export interface SignedPrescription {
  id: string;
  status: "signed" | "cancelled" | "completed";
  kind: PrescriptionKind;
  writtenAt: string;
  days: number;
  formularyVersion: number;
  contentHash: string;
  signatureKeyId: string;
  findings: Finding[];
  orders?: { id: string; pharmacyId: string; status: string }[];
}
