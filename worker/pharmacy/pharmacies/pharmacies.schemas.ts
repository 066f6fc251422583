import { z } from "@hono/zod-openapi";
import { MemberId } from "../../members/members.schemas";

export { MemberId };

/** What routing matches against (routing.ts): the fulfilment mode, cold chain, other special storage. */
export const Capability = z.enum(["delivery", "pickup", "cold_chain", "special_storage"]);
export type Capability = z.infer<typeof Capability>;

export const Integration = z.enum(["desk", "external"]).openapi({ description: "desk: staff work in YaoLian; external: its own system over signed HTTPS" });
export type Integration = z.infer<typeof Integration>;

/** "青溪县/桃源镇": a region path; a pharmacy covering "青溪县" covers every path below it. */
const RegionPath = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !s.startsWith("/") && !s.endsWith("/") && !s.includes("//"), "a region path like 青溪县/桃源镇, without empty parts");

const unique = <T extends string>(list: T[]) => [...new Set(list)];

const Name = z.string().trim().min(1).max(100);
const Hours = z.string().trim().min(1).max(100).openapi({ example: "08:00-21:00" });
const EndpointUrl = z.url({ protocol: /^https?$/ }).max(500).openapi({ example: "https://pharmacy-partner.example/yaolian/orders" });
/** Shared with the pharmacy for HMAC-SHA256 both ways; write-only, never returned. */
const SharedSecret = z.string().min(32, "at least 32 characters").max(256).openapi({ description: "write-only; at least 32 characters" });

export const PharmacyInput = z
  .object({
    id: MemberId.openapi({ example: "pharm-renhe" }),
    name: Name.openapi({ example: "仁和大药房（桃源店）" }),
    integration: Integration,
    endpointUrl: EndpointUrl.optional(),
    sharedSecret: SharedSecret.optional(),
    deliveryRegions: z.array(RegionPath).max(100).transform(unique),
    capabilities: z.array(Capability).transform((list) => unique(list).sort()),
    hours: Hours.optional(),
  })
  .strict()
  .openapi("PharmacyInput");
export type PharmacyInput = z.infer<typeof PharmacyInput>;

export const PharmacyPatch = z
  .object({
    name: Name,
    integration: Integration,
    endpointUrl: EndpointUrl.nullable(),
    sharedSecret: SharedSecret,
    deliveryRegions: z.array(RegionPath).max(100).transform(unique),
    capabilities: z.array(Capability).transform((list) => unique(list).sort()),
    hours: Hours.nullable(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("PharmacyPatch", { description: "Switching to desk clears the endpoint and the secret; an external pharmacy needs both." });
export type PharmacyPatch = z.infer<typeof PharmacyPatch>;

export const SiteInput = z
  .object({
    id: MemberId.openapi({ example: "site-renhe-taoyuan" }),
    name: Name.openapi({ example: "桃源镇卫生院便民取药窗口" }),
    address: z.string().trim().min(1).max(200),
    institutionId: MemberId.optional(),
  })
  .strict()
  .openapi("PharmacySiteInput");
export type SiteInput = z.infer<typeof SiteInput>;

export const Site = z
  .object({ id: z.string(), pharmacyId: z.string(), name: z.string(), address: z.string(), institutionId: z.string().nullable() })
  .openapi("PharmacySite");
export type Site = z.infer<typeof Site>;

export const Pharmacy = z
  .object({
    id: z.string(),
    name: z.string(),
    integration: Integration,
    endpointUrl: z.string().nullable(),
    hasSharedSecret: z.boolean().openapi({ description: "the secret itself is never returned" }),
    deliveryRegions: z.array(z.string()),
    capabilities: z.array(z.string()),
    hours: z.string().nullable(),
    createdAt: z.string(),
    sites: z.array(Site),
  })
  .openapi("Pharmacy");
export type Pharmacy = z.infer<typeof Pharmacy>;

export const PharmacyList = z.object({ items: z.array(Pharmacy) }).openapi("PharmacyList");
