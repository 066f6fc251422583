/**
 * The API's answers as the pages read them. Types only (erased from the bundles): the entry,
 * problem and finding types come from the worker's own schema modules, so a change there
 * shows up here in `npm run typecheck`. The other shapes are written out because their zod
 * schemas live in modules that also import Worker-only code (D1, bindings), which the DOM
 * typecheck cannot load; each names the OpenAPI schema it follows.
 */
import type { Entry } from "../../../formulary/formulary.schemas";
import type { Problem } from "../../../errors/problem";
import type { Finding, PrescriptionKind, ValidationResult } from "../../../rules/types";
import type { LABELS } from "../../labels";
import type { FULFILMENT_MODES, ORDER_STATUSES } from "../../../../schema/enums";

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

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type FulfilmentMode = (typeof FULFILMENT_MODES)[number];

/** DeskOrder (pharmacy/desk/desk.schemas.ts): an order as the desk sees it. */
export interface DeskOrder {
  id: string;
  prescriptionId: string;
  pharmacyId: string;
  patientId: string;
  reference: string;
  status: OrderStatus;
  mode: FulfilmentMode;
  instalment: number;
  instalments: number;
  supplyFrom: string;
  days: number;
  releaseOn: string;
  pickupSiteId: string | null;
  address: { region: string; line: string; phone: string } | null;
  items: { drugCode: string; genericName: string; packages: number; supplied: number; dispensed: number; held: number }[];
  partial: boolean;
  dispenseRounds: number;
  carrier: string | null;
  trackingNo: string | null;
  rejectReason: string | null;
  rejectNote: string | null;
  pickupAttempts: number;
  pickupAttemptsTotal: number;
  pickupCodeReissues: number;
  pickupCodeValid: boolean;
  pendingSince: string | null;
  readyAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** DeskQueueOrder: a queue row, with the review target of a pending order. */
export type QueueOrder = DeskOrder & { reviewDueAt: string | null; overdue: boolean };

/** DeskOrderCounts: GET /orders/counts. */
export interface OrderCounts {
  byStatus: Partial<Record<OrderStatus, number>>;
  groups: { status: OrderStatus; siteId: string | null; mode: FulfilmentMode; count: number }[];
}

type Quantity = { value: number; unit: string };

/** DeskOrderDetail: GET /orders/{id}. */
export type DeskOrderDetail = QueueOrder & {
  pickupSite: { id: string; name: string; address: string } | null;
  patient: { id: string; name: string; gender: string; birthDate: string } | null;
  allergies: { substance: string; atcPrefix: string | null; reaction: string | null }[];
  activeSupply: { prescriptionId: string; thisPrescription: boolean; drugCode: string; genericName: string; institutionId: string; institutionName: string | null; startDate: string; endDate: string }[];
  schedule: { id: string; current: boolean; instalment: number; status: OrderStatus; supplyFrom: string; days: number; releaseOn: string }[];
  dispensations: { round: number; index: number; drugCode: string; packages: number; lotNo: string; expiry: string; at: string; actorId: string }[];
  prescription: {
    id: string;
    status: string;
    kind: PrescriptionKind;
    writtenAt: string;
    prescriberId: string;
    institutionId: string;
    days: number;
    formularyVersion: number;
    contentHash: string;
    cancelReason: string | null;
    verification: { contentHashValid: boolean; signatureValid: boolean; keyId: string };
    /** SignedContentSummary */
    content: {
      prescriber: { id: string; title: string; institutionId: string } | null;
      diagnoses: { icd10: string; name?: string }[];
      items: { drugCode: string; genericName: string | null; form: string | null; strength: Quantity | null; pack: { size: number; unit: string } | null; dose: Quantity; frequency: string; route: string | null; days: number; packages: number }[];
      extendedReason: string | null;
      longTerm: { firstIssue: boolean; assessment: string; patientConfirmed: boolean } | null;
    } | null;
  };
  findings: Finding[];
  timeline: { at: string; fromStatus: OrderStatus | null; toStatus: OrderStatus; actorId: string; actorRole: string; source: "desk" | "callback" | "system" | "doctor"; note: string | null }[];
};

/** ReviewReasonList: GET /orders/review-reasons (处方点评 categories and reasons). */
export interface ReviewReasonList {
  categories: { code: string; label: string; reasons: { code: string; label: string }[] }[];
}
