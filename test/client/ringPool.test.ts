/**
 * Admitter-aware decoy pools (src/client/ringPool.ts): knowing every member's admitter plus the grantee must leave
 * at least the ring, for patients of admitters large enough to fill one.
 */
import { expect } from "chai";
import { candidatesAfterGrant, memberOf, pickDecoys, registrationBucket, ringPool, type Member } from "../../src/client";
import { generateKeyPair } from "../../src/mrs1";

const admitter = (k: number) => "0x" + String(k).repeat(40).slice(0, 40);
/** Members admitted in turn by admitters of the given sizes, interleaved in registration order like real admissions. */
function population(sizes: number[]): Member[] {
  const left = [...sizes];
  const out: Member[] = [];
  while (left.some((n) => n > 0)) {
    left.forEach((n, k) => {
      if (n > 0) {
        out.push(memberOf(generateKeyPair().publicKey, admitter(k + 1)));
        left[k]--;
      }
    });
  }
  return out;
}

describe("ringPool", () => {
  const members = population([20, 10, 5, 3, 2]);
  const size = 8;

  it("draws a large admitter's patient's decoys among that admitter's members: a grant to it leaves the whole ring", () => {
    for (const signer of members.filter((m) => m.admitter === admitter(1) || m.admitter === admitter(2))) {
      const { pool, cohort } = ringPool(members, signer, size);
      expect(cohort).to.equal("admitter");
      expect(pool.every((m) => m.admitter === signer.admitter)).to.equal(true);
      expect(pool.length).to.be.at.least(size);
      const byKey = new Map(pool.map((m) => [m.hex, m]));
      const ring = [
        signer,
        ...pickDecoys(
          pool.map((m) => m.key),
          signer.key,
          size - 1,
        ).map((k) => byKey.get(memberOf(k, "0x").hex)!),
      ];
      expect(candidatesAfterGrant(ring, signer.admitter)).to.equal(size);
    }
  });

  it("pools the small admitters' patients together, so a mixed ring never singles out one small-admitter member among large ones", () => {
    for (const signer of members.filter((m) => [3, 4, 5].some((k) => m.admitter === admitter(k)))) {
      const { pool, cohort } = ringPool(members, signer, size);
      expect(cohort).to.equal("small admitters");
      expect(pool).to.have.length(10);
      expect(pool.every((m) => [3, 4, 5].some((k) => m.admitter === admitter(k)))).to.equal(true);
    }
  });

  it("falls back to everyone when even the small admitters together cannot fill a ring", () => {
    const few = population([20, 3]);
    expect(
      ringPool(
        few,
        few.find((m) => m.admitter === admitter(2))!,
        size,
      ).cohort,
    ).to.equal("everyone");
  });

  it("cuts a large admitter's members into consecutive registration buckets of at least 2 × size, the signer's bucket being the pool", () => {
    const group = population([40]);
    const buckets = new Set(
      group.map((m) =>
        registrationBucket(group, m, size)
          .map((b) => b.hex)
          .join(),
      ),
    );
    expect(buckets.size).to.equal(2);
    for (const m of group) {
      const bucket = registrationBucket(group, m, size);
      expect(bucket.length).to.be.at.least(2 * size);
      expect(bucket.map((b) => b.hex)).to.include(m.hex);
      const positions = bucket.map((b) => group.indexOf(b));
      expect(positions.at(-1)! - positions[0] + 1, "consecutive").to.equal(bucket.length);
    }
  });

  it("candidatesAfterGrant: the ring members the grantee admitted, or the whole ring when it admitted none", () => {
    const ring = [...population([3]), ...population([0, 5])];
    expect(candidatesAfterGrant(ring, admitter(1))).to.equal(3);
    expect(candidatesAfterGrant(ring, admitter(2))).to.equal(5);
    expect(candidatesAfterGrant(ring, admitter(9))).to.equal(8);
  });
});
