import { asc, eq } from "drizzle-orm";
import { pharmacies, pharmacySites } from "../../schema";
import type { Db } from "../db/index";

export interface PickupSite {
  id: string;
  name: string;
  address: string;
  pharmacyName: string;
}

/** Pickup sites (service windows) for the prescription page; not personal data, so the page may show them before sign-in. */
export function listPickupSites(db: Db): Promise<PickupSite[]> {
  return db
    .select({ id: pharmacySites.id, name: pharmacySites.name, address: pharmacySites.address, pharmacyName: pharmacies.name })
    .from(pharmacySites)
    .innerJoin(pharmacies, eq(pharmacies.id, pharmacySites.pharmacyId))
    .orderBy(asc(pharmacySites.id));
}
