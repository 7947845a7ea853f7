/**
 * Which members a ring's decoys are drawn from, so that the public attributes of the members (each one's
 * admitter, from `PatientRegistered` / `ringMemberAdmitter`, and when it registered) do not narrow the ring
 * (README "Security model", "Admitters and registration time").
 *
 * - Admitter: a ring drawn from everyone mixes admitters, and a patient who then grants to their own admitter
 *   leaves as candidates only the ring members of that admitter, often the signer alone. So when the signer's
 *   admitter has at least `size` members, decoys come from those members only: the ring is then one admitter's,
 *   and knowing every member's admitter plus the grantee leaves the whole ring.
 * - Registration time: inside a large admitter, the admitter's members are cut, in registration order, into
 *   consecutive buckets of at least 2 × `size` members (a public, deterministic partition), and decoys come from
 *   the signer's bucket. A ring then spans a short stretch of registrations, so neither a batch registered at
 *   once nor "the newest member signed" tells its members apart; and since every ring is drawn within one
 *   bucket, the bucket (public anyway) is all the ring shows.
 * - Small admitters (fewer than `size` members) cannot fill a ring alone. Their members draw from the pool of all
 *   small admitters' members, so a mixed ring does not single out the one small-admitter member among large
 *   admitters' ones. The trade-off: a grant to such a patient's own admitter leaves as candidates the ring
 *   members of that admitter, fewer than `size`; the client refuses that grant unless told to accept it
 *   (`narrowedByGrant`, ./patient.ts). When even the small admitters together have fewer than `size` members,
 *   the pool is everyone.
 */
import type { Member } from "./ringSources";

export type Cohort = "admitter" | "small admitters" | "everyone";

/** The decoy pool of `signer` (a member of `members`, in registration order) for a ring of `size`. */
export function ringPool(members: readonly Member[], signer: Member, size: number): { pool: Member[]; cohort: Cohort } {
  const byAdmitter = new Map<string, Member[]>();
  for (const m of members) byAdmitter.set(m.admitter, [...(byAdmitter.get(m.admitter) ?? []), m]);
  const own = byAdmitter.get(signer.admitter) ?? [];
  if (own.length >= size) return { pool: registrationBucket(own, signer, size), cohort: "admitter" };
  const small = members.filter((m) => (byAdmitter.get(m.admitter)?.length ?? 0) < size);
  if (small.length >= size) return { pool: small, cohort: "small admitters" };
  return { pool: [...members], cohort: "everyone" };
}

/** `signer`'s bucket of `group` (in registration order): floor(n / 2·size) buckets of consecutive members, at least one. */
export function registrationBucket(group: readonly Member[], signer: Member, size: number): Member[] {
  const n = group.length;
  const buckets = Math.max(1, Math.floor(n / (2 * size)));
  const bucketOf = (i: number) => Math.floor((i * buckets) / n);
  const mine = bucketOf(group.findIndex((m) => m.hex === signer.hex));
  return group.filter((_, i) => bucketOf(i) === mine);
}

/**
 * How many members of `ring` an observer who knows every member's admitter is left with after a grant to
 * `grantee`, under the rule "a patient grants to their own admitter": the ring members admitted by the grantee, or
 * the whole ring when none is.
 */
export function candidatesAfterGrant(ring: readonly Member[], grantee: string): number {
  const admitted = ring.filter((m) => m.admitter === grantee.toLowerCase()).length;
  return admitted === 0 ? ring.length : admitted;
}
