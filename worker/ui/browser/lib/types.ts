/**
 * The API's answers as the pages read them. Types only (erased from the bundles): the entry,
 * problem and finding types come from the worker's own schema modules, so a change there
 * shows up here in `npm run typecheck`. The other shapes are written out because their zod
 * schemas live in modules that also import Worker-only code (D1, bindings), which the DOM
 * typecheck cannot load; each names the OpenAPI schema it follows.
 */
import type { Entry } from "../../../formulary/formulary.schemas";
import type { DueItem, FollowUpReason, PatientOverview } from "../../../follow-up/follow-up.schemas";
import type { PatientEvent, PatientSummary } from "../../../members/members.schemas";
import type { Problem } from "../../../errors/problem";
import type { Finding, PrescriptionKind, ValidationResult } from "../../../rules/types";
import type { LABELS } from "../../labels";
import type { FULFILMENT_MODES, ORDER_STATUSES, PRESCRIPTION_STATUSES } from "../../../../schema/enums";

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
export type QueueOrder = DeskOrder & { reviewDueAt: string | null; overdue: boolean; patientMaskedName?: string | null };

/** DeskOrderCounts: GET /orders/counts. */
export interface OrderCounts {
  byStatus: Partial<Record<OrderStatus, number>>;
  groups: { status: OrderStatus; siteId: string | null; mode: FulfilmentMode; count: number }[];
}

type Quantity = { value: number; unit: string };

/** DeskOrderDetail: GET /orders/{id}. */
export type DeskOrderDetail = QueueOrder & {
  pickupSite: { id: string; name: string; address: string } | null;
  patient: { id: string; name: string; gender: string; birthDate: string; age: string } | null;
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
    prescriberName: string | null;
    institutionId: string;
    institutionName: string | null;
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
  timeline: { at: string; fromStatus: OrderStatus | null; toStatus: OrderStatus; actorId: string; actorName: string | null; actorRole: string; source: "desk" | "callback" | "system" | "doctor"; note: string | null }[];
};

/** ReviewReasonList: GET /orders/review-reasons (处方点评 categories and reasons). */
export interface ReviewReasonList {
  categories: { code: string; label: string; reasons: { code: string; label: string }[] }[];
}

// ---- issue 8: doctors' follow-up (GET /patients?q=, /patients/{id}/overview, /follow-up/due: their own schema types) ----

/** PatientSummary of GET /patients?q= (search as you type). */
export type PatientHit = PatientSummary;
export type PatientEventRow = PatientEvent;
export type { DueItem, FollowUpReason, PatientOverview };

/** PrescriptionDraft (prescriptions.schemas.ts) as the API sends it back in a renewal or a fix-and-resign draft. */
export interface PrescriptionDraft {
  patientId: string;
  kind: PrescriptionKind;
  diagnoses: { icd10: string; name?: string }[];
  items: { drugCode: string; dose: { value: number; unit: string }; frequency: string; route?: string; days: number; packages: number }[];
  extendedReason?: string;
  longTerm?: { firstIssue: boolean; assessment: string; patientConfirmed: boolean };
  fulfilment: {
    mode: FulfilmentMode;
    pickupSiteId?: string;
    address?: { region: string; line: string; phone: string };
    instalments?: number;
  };
  /** the prescription this draft replaces once signed (a rejected, returned, expired or cancelled one) */
  replaces?: string;
}

/** The prescription a draft rests on (GET /patients/{id}/renewal, GET /prescriptions/{id}/draft). */
export interface DraftBasis {
  prescriptionId: string | null;
  writtenAt: string;
  institutionId: string;
  institutionName: string;
  prescriberName: string;
  days: number;
  endDate: string;
}

/** GET /patients/{id}/renewal and GET /prescriptions/{id}/draft: a draft for today, checked against today's formulary and rules. */
export interface DraftProposal {
  basedOn: DraftBasis;
  draft: PrescriptionDraft;
  validation: ValidationResponse;
}

// ---- issue 8: my prescriptions, the inbox, the printed prescription (API contract items 6, 7, 9 of the team brief) ----

export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

/** One order of a prescription as GET /prescriptions lists it (an instalment of a long prescription is its own order). */
export interface PrescriptionOrderLine {
  id: string;
  pharmacyId: string;
  pharmacyName: string;
  status: OrderStatus;
  instalment: number;
  instalments: number;
  releaseOn: string;
  supplyFrom: string;
  mode: FulfilmentMode;
  reference: string;
  /** a 处方点评 reason code (REVIEW_REASONS) or a return reason (`code` / `code: text`) */
  rejectReason: string | null;
  rejectNote: string | null;
}

/** One item of GET /prescriptions (newest first). */
export interface PrescriptionListItem {
  id: string;
  patientId: string;
  patientName: string;
  kind: PrescriptionKind;
  writtenAt: string;
  days: number;
  status: PrescriptionStatus;
  replaces: string | null;
  replacedBy: string | null;
  items: { drugCode: string; genericName: string; packages: number }[];
  orders: PrescriptionOrderLine[];
}

export type InboxKind = "rejected" | "returned" | "expired" | "change_requested";

/** One notice of GET /inbox: what happened to one of the doctor's prescriptions. */
export interface InboxItem {
  id: string;
  kind: InboxKind;
  template: string;
  orderId: string;
  /** null only when the order's prescription cannot be found */
  prescriptionId: string | null;
  patientId: string;
  patientName: string;
  createdAt: string;
  doneAt: string | null;
  reason?: string | null;
  note?: string | null;
  changeRequestId?: string | null;
  /** whether its action (fix and sign again, decide the change) can still be taken */
  actionable: boolean;
}

/** GET /inbox?state=: the notices, newest first, and how many are still open. */
export interface InboxPage {
  items: InboxItem[];
  open: number;
}

/** One item of a proposal of a change request (ProposedItem): the product and how it is taken. */
export interface ProposedItem {
  drugCode: string;
  genericName: string | null;
  form: string | null;
  strength: Quantity | null;
  pack: { size: number; unit: string } | null;
  dose: Quantity;
  frequency: string;
  route: string | null;
  days: number;
  packages: number;
  vbp: boolean | null;
}

/** ChangeRequest (pharmacy/orders/change-request-view.ts) as the deciding doctor reads it. */
export interface ChangeRequestView {
  id: string;
  orderId: string;
  prescriptionId: string;
  pharmacyId: string;
  reason: string;
  status: "open" | "accepted" | "declined" | "withdrawn";
  proposal: { diff: { index: number; before: ProposedItem; after: ProposedItem }[] } | null;
  findings: Finding[];
  valid: boolean;
  decisionNote: string | null;
  newPrescriptionId: string | null;
  createdAt: string;
}

/** GET /prescriptions/{id}/print: everything the A5 处方笺 shows, and the signed QR payload. */
export interface PrescriptionPrint {
  id: string;
  kind: PrescriptionKind;
  writtenAt: string;
  institution: { id: string; name: string; level: string };
  /** age as written on a prescription: "68岁", "8月", "20天" (处方管理办法 第六条: infants in months or days) */
  patient: { id: string; name: string; gender: string; age: string };
  prescriber: { id: string; name: string; title: string };
  diagnoses: { icd10: string; name?: string | null }[];
  /** as a proposal's item without 集采 (the print shows the product and how it is taken) */
  items: Omit<ProposedItem, "vbp">[];
  longTerm: { firstIssue: boolean; assessment: string; patientConfirmed: boolean } | null;
  extendedReason: string | null;
  formularyVersion: number;
  contentHash: string;
  /** YL1.<payload>.<kid>.<signature> (signing/qr-payload.ts) */
  qr: string;
}
