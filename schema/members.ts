import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const institutions = sqliteTable("institutions", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** village | primary | secondary | tertiary */
  level: text("level").notNull(),
  region: text("region").notNull(),
  createdAt: text("created_at").notNull(),
});

export const practitioners = sqliteTable(
  "practitioners",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    institutionId: text("institution_id")
      .notNull()
      .references(() => institutions.id),
    /** junior | intermediate | associate_senior | senior */
    title: text("title").notNull(),
    specialties: text("specialties", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("practitioners_institution").on(t.institutionId)],
);

/** Which specialties count as related to a condition (ICD-10 prefix); admins edit it. */
export const specialtyConditions = sqliteTable(
  "specialty_conditions",
  {
    icd10Prefix: text("icd10_prefix").notNull(),
    specialty: text("specialty").notNull(),
  },
  (t) => [primaryKey({ columns: [t.icd10Prefix, t.specialty] })],
);

export const patients = sqliteTable(
  "patients",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** pinyin initials of the name (张桂兰 → ZGL), written with the name; doctors search by them */
    pinyin: text("pinyin"),
    gender: text("gender").notNull(),
    birthDate: text("birth_date").notNull(),
    /** the patient's mobile: notifications, and its last four digits check the public status lookup */
    phone: text("phone"),
    /** the contracted family doctor (家庭医生签约): the patient is on this doctor's follow-up list */
    familyDoctorId: text("family_doctor_id"),
    /** latest eGFR (ml/min/1.73m²) and the China date it was measured: renal dose rules */
    egfr: real("egfr"),
    egfrOn: text("egfr_on"),
    /** pregnancy / lactation status ('pregnant' | 'lactating' | NULL) and the China date it was recorded */
    pregnancy: text("pregnancy"),
    pregnancyOn: text("pregnancy_on"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("patients_name").on(t.name, t.id),
    index("patients_pinyin").on(t.pinyin, t.name),
    index("patients_phone").on(t.phone),
    index("patients_family_doctor").on(t.familyDoctorId),
  ],
);

export const patientConditions = sqliteTable(
  "patient_conditions",
  {
    id: text("id").primaryKey(),
    patientId: text("patient_id")
      .notNull()
      .references(() => patients.id),
    icd10: text("icd10").notNull(),
    name: text("name").notNull(),
    chronic: integer("chronic", { mode: "boolean" }).notNull(),
    stable: integer("stable", { mode: "boolean" }).notNull(),
    diagnosedAt: text("diagnosed_at").notNull(),
    diagnosedBy: text("diagnosed_by").notNull(),
  },
  (t) => [index("patient_conditions_patient").on(t.patientId)],
);

export const patientAllergies = sqliteTable(
  "patient_allergies",
  {
    id: text("id").primaryKey(),
    patientId: text("patient_id")
      .notNull()
      .references(() => patients.id),
    substance: text("substance").notNull(),
    atcPrefix: text("atc_prefix"),
    reaction: text("reaction"),
  },
  (t) => [index("patient_allergies_patient").on(t.patientId)],
);

/** Long-prescription re-assessment triggers: admission | new_condition | goal_not_met. */
export const patientEvents = sqliteTable(
  "patient_events",
  {
    id: text("id").primaryKey(),
    patientId: text("patient_id")
      .notNull()
      .references(() => patients.id),
    type: text("type").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("patient_events_patient").on(t.patientId, t.at)],
);
