import { z } from "@hono/zod-openapi";
import { LICENSED_PHARMACIST_TITLES, PHARMACIST_TITLE_LABELS, PHARMACIST_TITLES } from "../../schema/enums";
import { MemberId, Name } from "./members.schemas";

const titleList = (titles: readonly (typeof PHARMACIST_TITLES)[number][]) => titles.map((t) => `${t} ${PHARMACIST_TITLE_LABELS[t]}`).join(", ");

/** 药学专业技术资格, in API form; the Chinese titles come from the one label table. */
export const PharmacistTitle = z.enum(PHARMACIST_TITLES).openapi("PharmacistTitle", {
  description:
    `${titleList(PHARMACIST_TITLES)}. ` +
    `Prescription review and hand-over (处方管理办法 art. 31) need ${titleList(LICENSED_PHARMACIST_TITLES)}; a 药士 may dispense only.`,
});

export const PharmacistInput = z
  .object({
    id: MemberId.openapi({ example: "ph-cloud-4", description: "the sub of the pharmacist's tokens" }),
    name: Name.openapi({ example: "陈晓梅" }),
    pharmacyId: MemberId.openapi({ example: "pharm-cloud", description: "a contracted pharmacy (the org of the pharmacist's tokens)" }),
    title: PharmacistTitle,
  })
  .strict()
  .openapi("PharmacistInput");
export type PharmacistInput = z.infer<typeof PharmacistInput>;

export const PharmacistPatch = z
  .object({
    name: Name,
    title: PharmacistTitle,
    pharmacyId: MemberId.openapi({ description: "moves the pharmacist to another pharmacy: tokens naming the old one stop working at its desk" }),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("PharmacistPatch");
export type PharmacistPatch = z.infer<typeof PharmacistPatch>;

export const Pharmacist = z
  .object({
    id: z.string(),
    name: z.string(),
    pharmacyId: z.string(),
    title: PharmacistTitle,
    createdAt: z.string(),
    updatedAt: z.string().nullable().openapi({ description: "last change through the API; null when never changed" }),
  })
  .openapi("Pharmacist");
export type Pharmacist = z.infer<typeof Pharmacist>;
