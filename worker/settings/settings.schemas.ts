import { z } from "@hono/zod-openapi";

/*
 * Consortium settings: the few numbers and switches a consortium may set for itself within
 * national limits. Each key has its zod schema (the bounds), its national default and a
 * Chinese label. A key nobody has set reads as its default at version 0; the first PUT
 * creates version 1. Reading is pure (readSettings), so the cron and the desk read the rows
 * in whatever batch they already make and get typed values, defaults filled in.
 */

/** The typed values of every key (national defaults where the consortium set nothing). */
export interface Settings {
  uncollectedExpiryDays: number;
  reviewTargetMinutes: number;
  instalmentLeadDays: number;
  coldChainOnLongRx: boolean;
  antiviralsOnLongRx: boolean;
  refillGraceDays: number;
  reviewSampleSize: number;
}
export type SettingKey = keyof Settings;

interface SettingDefinition<T> {
  schema: z.ZodType<T>;
  default: T;
  /** Chinese label for the settings page */
  label: string;
  description: string;
}

/** The shortest uncollected expiry a consortium may set (the cron reads candidates with it before it knows the setting). */
export const MIN_UNCOLLECTED_EXPIRY_DAYS = 1;

export const SETTING_DEFINITIONS: { readonly [K in SettingKey]: SettingDefinition<Settings[K]> } = {
  uncollectedExpiryDays: {
    schema: z.number().int().min(MIN_UNCOLLECTED_EXPIRY_DAYS).max(60),
    default: 7,
    label: "待取药订单过期天数",
    description:
      "an order ready for pickup on China day D expires (by the cron) once today ≥ D + this many days; the patient and the doctor are told and its supply stops counting",
  },
  reviewTargetMinutes: {
    schema: z.number().int().min(5).max(1440),
    default: 30,
    label: "处方审核目标时长（分钟）",
    description: "the review-time target shown per order from the moment it entered pending_review; a target only: review never passes by itself",
  },
  instalmentLeadDays: {
    schema: z.number().int().min(0).max(28),
    default: 7,
    label: "分次发药提前放行天数",
    description: "days before the previous instalment's supply runs out that the next one is released to the pharmacy",
  },
  coldChainOnLongRx: {
    schema: z.boolean(),
    default: false,
    label: "长期处方可含冷链药品",
    description:
      "long-prescription policy switch: allow cold-chain (2-8°C) products such as insulin on long prescriptions where local policy permits; " +
      "长期处方管理规范 excludes drugs with special storage needs, so it is off by default. Read by ltrx-drug-excluded / ltrx-drug-not-listed: " +
      "when on, a cold-chain product that records the chronic conditions it treats counts as listed (the formulary cannot mark it eligible under the national rule)",
  },
  antiviralsOnLongRx: {
    schema: z.boolean(),
    default: false,
    label: "长期处方可含慢性病毒感染抗病毒药",
    description:
      "long-prescription policy switch: allow antivirals for chronic viral infections (hepatitis B nucleos(t)ides such as entecavir and tenofovir, HIV antiretrovirals) " +
      "on long prescriptions where provincial policy includes them. 长期处方管理规范 excludes 抗微生物药物 except for chronic bacterial and fungal infections such as " +
      "tuberculosis, so it is off by default. Antivirals for acute infections (influenza, herpes) stay excluded either way",
  },
  refillGraceDays: {
    schema: z.number().int().min(0).max(14),
    default: 7,
    label: "提前续方/续药宽限天数",
    description:
      "a refill (any prescription) or long-prescription renewal written this many days or fewer before the earlier supply of the same drug runs out is not a duplicate " +
      "(safety-duplicate-ingredient); a refill also needs at least half of the earlier supply used. The national default 7 matches the release of the next instalment " +
      "(instalmentLeadDays); 长期处方管理规范 sets no number",
  },
  reviewSampleSize: {
    schema: z.number().int().min(1).max(1000),
    default: 100,
    label: "处方点评每月抽样张数（每家机构）",
    description:
      "prescriptions drawn at random each month from each member institution's signed prescriptions for 处方点评; 医院处方点评管理规范（试行）2010 第十二条 asks for " +
      "at least 1‰ of outpatient prescriptions and no fewer than 100 a month, so 100 is the default (an institution that signed fewer is reviewed whole)",
  },
};

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_DEFINITIONS, key);
}

export const SETTING_KEYS: readonly SettingKey[] = Object.keys(SETTING_DEFINITIONS).filter(isSettingKey);

/** A stored row as readSettings needs it (the value is the parsed JSON column). */
export interface StoredSetting {
  key: string;
  value: unknown;
}

/** The stored value of a key if its schema accepts it, else the national default. */
function storedOrDefault<K extends SettingKey>(key: K, stored: ReadonlyMap<string, unknown>): Settings[K] {
  const definition: SettingDefinition<Settings[K]> = SETTING_DEFINITIONS[key];
  if (!stored.has(key)) return definition.default;
  const parsed = definition.schema.safeParse(stored.get(key));
  return parsed.success ? parsed.data : definition.default;
}

/**
 * The typed settings from the stored rows, pure. A key without a row takes its national
 * default; so does a stored value its schema no longer accepts (a bound tightened by a
 * later release): a consortium value outside the national limits is never used. Rows of
 * unknown keys (a setting retired by a later release) are ignored.
 */
export function readSettings(rows: readonly StoredSetting[]): Settings {
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return {
    uncollectedExpiryDays: storedOrDefault("uncollectedExpiryDays", stored),
    reviewTargetMinutes: storedOrDefault("reviewTargetMinutes", stored),
    instalmentLeadDays: storedOrDefault("instalmentLeadDays", stored),
    coldChainOnLongRx: storedOrDefault("coldChainOnLongRx", stored),
    antiviralsOnLongRx: storedOrDefault("antiviralsOnLongRx", stored),
    refillGraceDays: storedOrDefault("refillGraceDays", stored),
    reviewSampleSize: storedOrDefault("reviewSampleSize", stored),
  };
}

/** The national defaults of every key. */
export function settingDefaults(): Settings {
  return readSettings([]);
}

/** Validates a proposed value of a key: its parsed value, or the zod error with the bounds. */
export function parseSettingValue<K extends SettingKey>(key: K, value: unknown) {
  const definition: SettingDefinition<Settings[K]> = SETTING_DEFINITIONS[key];
  return definition.schema.safeParse(value);
}

/** The JSON Schema of a key's value (its bounds), so a settings form validates before sending. */
export function valueJsonSchema(key: SettingKey): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(SETTING_DEFINITIONS[key].schema);
  return schema;
}

// ---------------------------------------------------------------------------------------
// API shapes
// ---------------------------------------------------------------------------------------

const SettingValue = z.union([z.number(), z.boolean()]).openapi({ description: "a number or a boolean, as the key's schema says" });

export const SettingKeyParam = z.object({
  key: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "key", in: "path" }, example: "uncollectedExpiryDays", description: `one of ${SETTING_KEYS.join(", ")}` }),
});

export const SettingView = z
  .object({
    key: z.string(),
    label: z.string().openapi({ description: "Chinese label for the settings page" }),
    description: z.string(),
    value: SettingValue,
    default: SettingValue.openapi({ description: "the national default" }),
    schema: z.record(z.string(), z.unknown()).openapi({ description: "JSON Schema of the value (type and bounds)", example: { type: "integer", minimum: 1, maximum: 60 } }),
    isDefault: z.boolean().openapi({ description: "no consortium value is set: the default applies" }),
    version: z.number().int().openapi({ description: "0 while unset; send it in If-Match to change the key" }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .openapi("ConsortiumSetting");
export type SettingView = z.infer<typeof SettingView>;

export const SettingsList = z
  .object({
    values: z
      .object({
        uncollectedExpiryDays: z.number().int(),
        reviewTargetMinutes: z.number().int(),
        instalmentLeadDays: z.number().int(),
        coldChainOnLongRx: z.boolean(),
        antiviralsOnLongRx: z.boolean(),
        refillGraceDays: z.number().int(),
        reviewSampleSize: z.number().int(),
      } satisfies { [K in SettingKey]: z.ZodType<Settings[K]> })
      .openapi({ description: "the values in effect, defaults filled in" }),
    items: z.array(SettingView),
  })
  .openapi("ConsortiumSettings");

export const SettingInput = z
  .object({ value: z.unknown().openapi({ description: "the new value, validated by the key's schema (see constraints)" }) })
  .strict()
  .refine((b) => b.value !== undefined, { path: ["value"], message: "value is required" })
  .openapi("ConsortiumSettingInput");

export const SettingHistoryItem = z
  .object({
    at: z.string(),
    actorId: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi("ConsortiumSettingChange");
