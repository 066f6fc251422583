/**
 * Demo consortium: the fictional 青溪县 county medical community (县域医共体).
 *
 * Pure data, no I/O. Every row is typed with the drizzle insert type of its table, so a
 * loader can insert the arrays as they are. All dates are fixed and consistent with
 * DEMO_NOW (no Date.now()): birth and diagnosis dates are calendar dates (YYYY-MM-DD),
 * created-at and event times are UTC ISO timestamps.
 *
 * seeds/README.md documents the people, the patients and the scenario each one is for.
 */
import type {
  institutions,
  patientAllergies,
  patientConditions,
  patientEvents,
  patients,
  pharmacies,
  pharmacists,
  pharmacySites,
  practitioners,
  specialtyConditions,
} from "../schema";
import { pinyinInitials } from "../worker/formulary/formulary.search";

/** The reference date the demo data is consistent with ("today" in the demo). */
export const DEMO_NOW = "2026-11-25";

export type DemoInstitution = typeof institutions.$inferInsert;
export type DemoPractitioner = typeof practitioners.$inferInsert;
export type DemoSpecialtyCondition = typeof specialtyConditions.$inferInsert;
export type DemoPatient = typeof patients.$inferInsert;
export type DemoPatientCondition = typeof patientConditions.$inferInsert;
export type DemoPatientAllergy = typeof patientAllergies.$inferInsert;
export type DemoPatientEvent = typeof patientEvents.$inferInsert;
export type DemoPharmacy = typeof pharmacies.$inferInsert;
export type DemoPharmacySite = typeof pharmacySites.$inferInsert;
export type DemoPharmacist = typeof pharmacists.$inferInsert;

export interface DemoConsortium {
  institutions: DemoInstitution[];
  practitioners: DemoPractitioner[];
  specialtyConditions: DemoSpecialtyCondition[];
  patients: DemoPatient[];
  patientConditions: DemoPatientCondition[];
  patientAllergies: DemoPatientAllergy[];
  patientEvents: DemoPatientEvent[];
  pharmacies: DemoPharmacy[];
  pharmacySites: DemoPharmacySite[];
  pharmacists: DemoPharmacist[];
}

/** Admins have no table: they exist only as token subjects (role admin, org = institution). */
export interface DemoAdmin {
  id: string;
  name: string;
  institutionId: string;
}

const INSTITUTIONS_CREATED = "2026-01-05T01:00:00.000Z";
const PRACTITIONERS_CREATED = "2026-01-06T01:00:00.000Z";
const PHARMACIES_CREATED = "2026-01-08T01:00:00.000Z";

// ---------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------

const institutionRows: DemoInstitution[] = [
  // Upper-level partner (对口帮扶的三级医院) outside the county: gives the demo a tertiary level.
  { id: "inst-city", name: "云州市第一人民医院", level: "tertiary", region: "云州市", createdAt: INSTITUTIONS_CREATED },
  // Lead hospital of the county consortium (牵头医院).
  { id: "inst-county", name: "青溪县人民医院", level: "secondary", region: "青溪县/城关镇", createdAt: INSTITUTIONS_CREATED },
  // Primary level (基层): community / township health centres.
  {
    id: "inst-chengguan",
    name: "城关镇社区卫生服务中心",
    level: "primary",
    region: "青溪县/城关镇",
    createdAt: INSTITUTIONS_CREATED,
  },
  { id: "inst-shimen", name: "石门乡卫生院", level: "primary", region: "青溪县/石门乡", createdAt: INSTITUTIONS_CREATED },
  { id: "inst-taoyuan", name: "桃源镇卫生院", level: "primary", region: "青溪县/桃源镇", createdAt: INSTITUTIONS_CREATED },
  // Village clinics (村卫生室).
  {
    id: "inst-fenglin",
    name: "石门乡枫林村卫生室",
    level: "village",
    region: "青溪县/石门乡/枫林村",
    createdAt: INSTITUTIONS_CREATED,
  },
  {
    id: "inst-xikou",
    name: "桃源镇溪口村卫生室",
    level: "village",
    region: "青溪县/桃源镇/溪口村",
    createdAt: INSTITUTIONS_CREATED,
  },
];

// ---------------------------------------------------------------------------------------
// Practitioners (ids: doc-<institution>-<specialty>-<title>)
// ---------------------------------------------------------------------------------------

function doctor(
  id: string,
  name: string,
  institutionId: string,
  title: "junior" | "intermediate" | "associate_senior" | "senior",
  specialties: string[],
): DemoPractitioner {
  return { id, name, institutionId, title, specialties, createdAt: PRACTITIONERS_CREATED };
}

const practitionerRows: DemoPractitioner[] = [
  // 云州市第一人民医院 (tertiary)
  doctor("doc-city-cardio-senior", "罗振华", "inst-city", "senior", ["cardiology"]),
  // 青溪县人民医院 (secondary)
  doctor("doc-county-cardio-senior", "周建国", "inst-county", "senior", ["cardiology", "internal_medicine"]),
  doctor("doc-county-cardio-intermediate", "林海燕", "inst-county", "intermediate", ["cardiology"]),
  doctor("doc-county-endo-associate", "陈慧敏", "inst-county", "associate_senior", ["endocrinology", "internal_medicine"]),
  doctor("doc-county-endo-intermediate", "许文博", "inst-county", "intermediate", ["endocrinology"]),
  doctor("doc-county-im-senior", "王志明", "inst-county", "senior", ["internal_medicine", "geriatrics"]),
  doctor("doc-county-im-junior", "赵磊", "inst-county", "junior", ["internal_medicine"]),
  doctor("doc-county-resp-intermediate", "蒋晓峰", "inst-county", "intermediate", ["respiratory"]),
  // 城关镇社区卫生服务中心 (primary)
  doctor("doc-chengguan-gp-intermediate", "杨丽", "inst-chengguan", "intermediate", ["general_practice"]),
  doctor("doc-chengguan-gp-junior", "郭鹏", "inst-chengguan", "junior", ["general_practice"]),
  // 石门乡卫生院 (primary)
  doctor("doc-shimen-gp-intermediate", "邓春梅", "inst-shimen", "intermediate", ["general_practice"]),
  doctor("doc-shimen-gp-junior", "冯浩", "inst-shimen", "junior", ["general_practice"]),
  // 桃源镇卫生院 (primary)
  doctor("doc-taoyuan-gp-intermediate", "唐国华", "inst-taoyuan", "intermediate", [
    "general_practice",
    "traditional_chinese_medicine",
  ]),
  doctor("doc-taoyuan-gp-junior", "韩雪", "inst-taoyuan", "junior", ["general_practice"]),
  // Village clinics: one village doctor (乡村医生) each.
  doctor("doc-fenglin-village", "曹德贵", "inst-fenglin", "junior", ["general_practice"]),
  doctor("doc-xikou-village", "彭秀兰", "inst-xikou", "junior", ["general_practice"]),
];

// ---------------------------------------------------------------------------------------
// Related specialties per ICD-10 prefix (admin-editable table, seeded here)
// ---------------------------------------------------------------------------------------

const RELATED: Record<string, string[]> = {
  // Hypertensive diseases (I14 does not exist in ICD-10).
  I10: ["cardiology", "internal_medicine", "geriatrics", "general_practice"],
  I11: ["cardiology", "internal_medicine", "geriatrics", "general_practice"],
  I12: ["cardiology", "nephrology", "internal_medicine", "geriatrics"],
  I13: ["cardiology", "nephrology", "internal_medicine"],
  I15: ["cardiology", "nephrology", "endocrinology", "internal_medicine"],
  // Ischaemic heart disease, arrhythmia, heart failure.
  I20: ["cardiology", "internal_medicine", "geriatrics"],
  I25: ["cardiology", "internal_medicine", "geriatrics", "general_practice"],
  I48: ["cardiology", "internal_medicine"],
  I50: ["cardiology", "internal_medicine", "geriatrics"],
  // Cerebrovascular disease and its sequelae.
  I63: ["neurology", "internal_medicine"],
  I69: ["neurology", "internal_medicine", "geriatrics", "general_practice"],
  // Endocrine and metabolic.
  E10: ["endocrinology", "internal_medicine", "pediatrics"],
  E11: ["endocrinology", "internal_medicine", "geriatrics", "general_practice"],
  E78: ["cardiology", "endocrinology", "internal_medicine", "geriatrics", "general_practice"],
  E03: ["endocrinology", "internal_medicine", "general_practice"],
  E05: ["endocrinology", "internal_medicine"],
  // Musculoskeletal.
  M10: ["rheumatology", "internal_medicine", "general_practice"],
  M06: ["rheumatology"],
  M81: ["orthopedics", "endocrinology", "rheumatology", "geriatrics"],
  // Respiratory.
  J44: ["respiratory", "internal_medicine", "geriatrics", "general_practice"],
  J45: ["respiratory", "internal_medicine", "pediatrics"],
  // Kidney.
  N18: ["nephrology", "internal_medicine"],
  // Neurology.
  G20: ["neurology", "geriatrics"],
  G40: ["neurology", "pediatrics"],
  // Liver and chronic infections (anti-TB drugs are the long-prescription exception).
  K74: ["gastroenterology", "infectious_disease"],
  B18: ["infectious_disease", "gastroenterology"],
  A15: ["infectious_disease", "respiratory"],
  A16: ["infectious_disease", "respiratory"],
  // Mental health.
  F20: ["psychiatry"],
  F31: ["psychiatry"],
  F32: ["psychiatry"],
  F33: ["psychiatry"],
  F41: ["psychiatry"],
};

const specialtyConditionRows: DemoSpecialtyCondition[] = Object.entries(RELATED).flatMap(([icd10Prefix, specialties]) =>
  specialties.map((specialty) => ({ icd10Prefix, specialty })),
);

// ---------------------------------------------------------------------------------------
// Patients
// ---------------------------------------------------------------------------------------

/** Each patient with the pinyin initials of their name (张桂兰 → ZGL), as createPatient writes them. */
function withPinyin(rows: Omit<DemoPatient, "pinyin">[]): DemoPatient[] {
  return rows.map((row) => ({ ...row, pinyin: pinyinInitials(row.name) }));
}

/**
 * Phones are fictional (138/139 0731 …); the last four digits check the public order-status
 * lookup. A family doctor (家庭医生签约) puts the patient on that doctor's follow-up list; the
 * pinyin initials are computed from the names (withPinyin), never typed by hand.
 */
const patientRows: DemoPatient[] = withPinyin([
  { id: "pat-001", name: "张桂兰", gender: "female", birthDate: "1958-03-14", phone: "13807312608", createdAt: "2026-02-02T01:10:00.000Z", familyDoctorId: "doc-fenglin-village" },
  { id: "pat-002", name: "王建华", gender: "male", birthDate: "1952-11-02", phone: "13907315174", createdAt: "2026-02-02T01:20:00.000Z", familyDoctorId: null },
  { id: "pat-003", name: "刘淑芬", gender: "female", birthDate: "1961-07-23", phone: "13807318823", createdAt: "2026-02-03T02:00:00.000Z", familyDoctorId: null },
  { id: "pat-004", name: "陈国强", gender: "male", birthDate: "1955-01-30", phone: "13907314467", createdAt: "2026-02-03T02:30:00.000Z", familyDoctorId: "doc-taoyuan-gp-intermediate" },
  { id: "pat-005", name: "赵玉珍", gender: "female", birthDate: "1949-09-09", phone: "13807316031", createdAt: "2026-02-04T01:00:00.000Z", familyDoctorId: null },
  { id: "pat-006", name: "孙德明", gender: "male", birthDate: "1950-04-18", phone: "13907312295", createdAt: "2026-02-04T03:00:00.000Z", familyDoctorId: null },
  { id: "pat-007", name: "周丽华", gender: "female", birthDate: "1966-12-05", phone: "13807317740", createdAt: "2026-02-05T01:00:00.000Z", familyDoctorId: null },
  { id: "pat-008", name: "吴永福", gender: "male", birthDate: "1946-08-27", phone: "13907319186", createdAt: "2026-02-05T02:00:00.000Z", familyDoctorId: null },
  { id: "pat-009", name: "郑秀梅", gender: "female", birthDate: "1972-02-14", phone: "13807315562", createdAt: "2026-02-06T01:00:00.000Z", familyDoctorId: "doc-chengguan-gp-intermediate" },
  { id: "pat-010", name: "黄志强", gender: "male", birthDate: "1963-10-11", phone: "13907313318", createdAt: "2026-02-06T02:00:00.000Z", familyDoctorId: "doc-xikou-village" },
  { id: "pat-011", name: "何春花", gender: "female", birthDate: "1956-05-06", phone: "13907310411", createdAt: "2026-02-09T01:00:00.000Z", familyDoctorId: null },
  { id: "pat-012", name: "林小军", gender: "male", birthDate: "1990-06-15", phone: "13807319957", createdAt: "2026-11-20T06:00:00.000Z", familyDoctorId: null },
]);

function condition(
  patientId: string,
  key: string,
  icd10: string,
  name: string,
  stable: boolean,
  diagnosedAt: string,
  diagnosedBy: string,
  chronic = true,
): DemoPatientCondition {
  return { id: `pc-${patientId.slice(4)}-${key}`, patientId, icd10, name, chronic, stable, diagnosedAt, diagnosedBy };
}

const patientConditionRows: DemoPatientCondition[] = [
  // pat-001 张桂兰: the happy path (stable hypertension + type 2 diabetes, primary-level diagnosis, no events).
  condition("pat-001", "i10", "I10", "原发性高血压", true, "2019-05-20", "doc-shimen-gp-intermediate"),
  condition("pat-001", "e11", "E11.9", "2型糖尿病", true, "2021-09-08", "doc-shimen-gp-intermediate"),
  // pat-002 王建华: county cardiology long-prescription patient, admitted in October.
  condition("pat-002", "i10", "I10", "原发性高血压", true, "2012-04-10", "doc-county-cardio-senior"),
  condition("pat-002", "i25", "I25.1", "冠状动脉粥样硬化性心脏病", true, "2018-06-15", "doc-county-cardio-senior"),
  condition("pat-002", "e78", "E78.5", "高脂血症", true, "2018-06-15", "doc-county-cardio-senior"),
  // pat-003 刘淑芬: diabetes goals not met.
  condition("pat-003", "e11", "E11.9", "2型糖尿病", true, "2018-03-02", "doc-county-endo-associate"),
  condition("pat-003", "e78", "E78.5", "高脂血症", true, "2020-11-19", "doc-county-endo-associate"),
  // pat-004 陈国强: new condition (type 2 diabetes diagnosed this month, not yet stable).
  condition("pat-004", "i10", "I10", "原发性高血压", true, "2017-08-01", "doc-taoyuan-gp-intermediate"),
  condition("pat-004", "m10", "M10.9", "痛风", true, "2020-05-12", "doc-taoyuan-gp-intermediate"),
  condition("pat-004", "e11", "E11.9", "2型糖尿病", false, "2026-11-10", "doc-taoyuan-gp-intermediate"),
  // pat-005 赵玉珍: atrial fibrillation referred to the city hospital, not controlled yet.
  condition("pat-005", "i10", "I10", "原发性高血压", true, "2010-10-20", "doc-chengguan-gp-intermediate"),
  condition("pat-005", "i48", "I48.0", "阵发性心房颤动", false, "2026-09-20", "doc-city-cardio-senior"),
  condition("pat-005", "e03", "E03.9", "甲状腺功能减退症", true, "2016-04-07", "doc-county-endo-intermediate"),
  // pat-006 孙德明: COPD at county respiratory + hypertension.
  condition("pat-006", "j44", "J44.9", "慢性阻塞性肺疾病", true, "2015-12-03", "doc-county-resp-intermediate"),
  condition("pat-006", "i10", "I10", "原发性高血压", true, "2013-07-22", "doc-chengguan-gp-intermediate"),
  // pat-007 周丽华: hypothyroidism followed at both the county hospital and 城关镇.
  condition("pat-007", "e03", "E03.9", "甲状腺功能减退症", true, "2019-02-26", "doc-county-endo-intermediate"),
  condition("pat-007", "e78", "E78.5", "高脂血症", true, "2022-08-30", "doc-chengguan-gp-intermediate"),
  // pat-008 吴永福: 80-year-old after a stroke, polypharmacy.
  condition("pat-008", "i10", "I10", "原发性高血压", true, "2008-05-14", "doc-county-im-senior"),
  condition("pat-008", "i69", "I69.3", "脑梗死后遗症", true, "2025-04-02", "doc-county-im-senior"),
  condition("pat-008", "e78", "E78.5", "高脂血症", true, "2025-04-02", "doc-county-im-senior"),
  // pat-009 郑秀梅: stable hypertension + diabetes in 城关镇 (pickup / delivery by the cloud pharmacy).
  condition("pat-009", "i10", "I10", "原发性高血压", true, "2020-03-18", "doc-chengguan-gp-intermediate"),
  condition("pat-009", "e11", "E11.9", "2型糖尿病", true, "2022-07-05", "doc-chengguan-gp-intermediate"),
  // pat-010 黄志强: insulin-treated diabetes in 桃源镇 (cold-chain routing).
  condition("pat-010", "i10", "I10", "原发性高血压", true, "2016-09-09", "doc-taoyuan-gp-intermediate"),
  condition("pat-010", "e11", "E11.9", "2型糖尿病", true, "2014-01-21", "doc-county-endo-associate"),
  // pat-011 何春花: gout + CKD + hypertension, allopurinol hypersensitivity.
  condition("pat-011", "i10", "I10", "原发性高血压", true, "2011-06-30", "doc-chengguan-gp-intermediate"),
  condition("pat-011", "m10", "M10.9", "痛风", true, "2019-10-16", "doc-county-im-senior"),
  condition("pat-011", "n18", "N18.3", "慢性肾脏病3期", true, "2023-03-08", "doc-county-im-senior"),
  // pat-012 林小军: no chronic condition at all (an acute episode only).
  condition("pat-012", "j06", "J06.9", "急性上呼吸道感染", false, "2026-11-20", "doc-chengguan-gp-junior", false),
];

const patientAllergyRows: DemoPatientAllergy[] = [
  {
    id: "pa-003-sulfonamide",
    patientId: "pat-003",
    substance: "磺胺类抗菌药（复方磺胺甲噁唑）",
    atcPrefix: "J01E",
    reaction: "全身皮疹",
  },
  { id: "pa-005-penicillin", patientId: "pat-005", substance: "青霉素类", atcPrefix: "J01C", reaction: "过敏性休克（2009年）" },
  { id: "pa-006-aspirin", patientId: "pat-006", substance: "阿司匹林", atcPrefix: "B01AC06", reaction: "荨麻疹、喘憋" },
  { id: "pa-009-penicillin", patientId: "pat-009", substance: "青霉素", atcPrefix: "J01C", reaction: "皮疹" },
  { id: "pa-009-seafood", patientId: "pat-009", substance: "海鲜（虾、蟹）", atcPrefix: null, reaction: "口唇肿胀" },
  {
    id: "pa-011-allopurinol",
    patientId: "pat-011",
    substance: "别嘌醇",
    atcPrefix: "M04AA01",
    reaction: "剥脱性皮炎（别嘌醇超敏反应综合征）",
  },
];

/** Long-prescription re-assessment triggers. */
const patientEventRows: DemoPatientEvent[] = [
  // pat-002: admitted to the county hospital (chest pain, ruled out ACS) in October.
  { id: "pe-002-admission", patientId: "pat-002", type: "admission", at: "2026-10-12T03:20:00.000Z" },
  // pat-003: HbA1c 8.9 % at the November review, treatment goal not met.
  { id: "pe-003-goal", patientId: "pat-003", type: "goal_not_met", at: "2026-11-03T02:00:00.000Z" },
  // pat-004: type 2 diabetes newly diagnosed on 2026-11-10.
  { id: "pe-004-new-condition", patientId: "pat-004", type: "new_condition", at: "2026-11-10T02:00:00.000Z" },
  // pat-008: historic stroke admission (cerebral infarction), well before the platform went live.
  { id: "pe-008-admission", patientId: "pat-008", type: "admission", at: "2025-03-18T10:45:00.000Z" },
];

// ---------------------------------------------------------------------------------------
// Pharmacies, pickup sites, pharmacists
// ---------------------------------------------------------------------------------------

const pharmacyRows: DemoPharmacy[] = [
  {
    id: "pharm-cloud",
    name: "青溪县域云药房",
    integration: "desk",
    endpointUrl: null,
    deliveryRegions: ["青溪县"],
    capabilities: ["cold_chain", "delivery", "pickup"],
    hours: "08:00-20:00",
    createdAt: PHARMACIES_CREATED,
  },
  {
    id: "pharm-renhe",
    name: "仁和大药房（桃源店）",
    integration: "external",
    endpointUrl: "https://pharmacy-partner.example/yaolian/orders",
    // a development value, shared with the fake partner of the tests; production secrets are set through PATCH /pharmacies/{id}
    sharedSecret: "dev-only-renhe-hmac-secret-0123456789abcdef",
    deliveryRegions: ["青溪县/桃源镇"],
    capabilities: ["delivery"],
    hours: "08:00-21:00",
    createdAt: PHARMACIES_CREATED,
  },
];

const pharmacySiteRows: DemoPharmacySite[] = [
  {
    id: "site-cloud-chengguan",
    pharmacyId: "pharm-cloud",
    institutionId: "inst-chengguan",
    name: "城关镇社区卫生服务中心便民取药窗口",
    address: "青溪县城关镇人民路88号 城关镇社区卫生服务中心一楼",
  },
  {
    id: "site-cloud-shimen",
    pharmacyId: "pharm-cloud",
    institutionId: "inst-shimen",
    name: "石门乡卫生院便民取药窗口",
    address: "青溪县石门乡石门街12号 石门乡卫生院门诊楼一楼",
  },
];

const pharmacistRows: DemoPharmacist[] = [
  { id: "ph-cloud-1", name: "徐文静", pharmacyId: "pharm-cloud", title: "senior_pharmacist", createdAt: PHARMACIES_CREATED },
  { id: "ph-cloud-2", name: "马俊", pharmacyId: "pharm-cloud", title: "pharmacist", createdAt: PHARMACIES_CREATED },
  { id: "ph-cloud-3", name: "高雪", pharmacyId: "pharm-cloud", title: "assistant_pharmacist", createdAt: PHARMACIES_CREATED },
  { id: "ph-renhe-1", name: "钱立新", pharmacyId: "pharm-renhe", title: "pharmacist", createdAt: PHARMACIES_CREATED },
];

export const DEMO_CONSORTIUM: DemoConsortium = {
  institutions: institutionRows,
  practitioners: practitionerRows,
  specialtyConditions: specialtyConditionRows,
  patients: patientRows,
  patientConditions: patientConditionRows,
  patientAllergies: patientAllergyRows,
  patientEvents: patientEventRows,
  pharmacies: pharmacyRows,
  pharmacySites: pharmacySiteRows,
  pharmacists: pharmacistRows,
};

export const DEMO_ADMINS: DemoAdmin[] = [
  // Keeps the shared formulary and rule settings (医共体药事管理办公室, county hospital pharmacy).
  { id: "admin-county", name: "刘建军", institutionId: "inst-county" },
  // Maintains member data for the primary level (城关镇 centre, 医共体基层分中心).
  { id: "admin-chengguan", name: "宋晓燕", institutionId: "inst-chengguan" },
];
