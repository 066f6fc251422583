/**
 * The pickup code's limits, pure so the desk page (worker/ui/browser) can tell the pharmacist
 * how many tries are left without loading the hashing code.
 */

/** Wrong codes a code survives: the fifth since its issue voids it. */
export const MAX_PICKUP_ATTEMPTS = 5;
/** New codes a licensed pharmacist may issue for one order after the first; past that, the patient is seen in person. */
export const MAX_PICKUP_CODE_REISSUES = 3;
