/**
 * The demo's population (`npm run demo`), shared with `npm run analysis:anonymity`: 20 patients admitted by 3
 * certified institutions of unequal size. Hospital A admits 12, so its patients' rings are drawn among its own
 * admittees; Research Lab B and Clinic C admit 4 each, fewer than a ring, so their patients share the pool of the
 * small admitters (src/client/ringPool.ts). The first RECORDS patients (all Hospital A's) create records.
 */
export const PATIENTS = 20;
export const RECORDS = 6;
export const CERTIFIED = 3;
export const INSTITUTION_NAMES = ["Hospital A", "Research Lab B", "Clinic C", "Uncertified D"];

/** Which certified institution (0, 1 or 2) admits patient `i`: 12 by Hospital A, then 4 by B and 4 by C. */
export function admitterOfPatient(i: number): number {
  return i < 12 ? 0 : i < 16 ? 1 : 2;
}

/** The demo's grants: record i to institution i mod 3, and record 0 also to Research Lab B. */
export function demoGrants(records: number): { record: number; institution: number }[] {
  return [...Array.from({ length: records }, (_, i) => ({ record: i, institution: i % CERTIFIED })), { record: 0, institution: 1 }];
}
