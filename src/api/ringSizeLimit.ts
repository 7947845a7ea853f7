/**
 * The largest ring any anonymous action may have, in one place: MedRingRegistry.RING_SIZE_LIMIT (the bound on the
 * ring policy's maximum) must equal it, and the relayer's parse bound (schemas.ts MAX_RING_MEMBERS) and its gas
 * bound (relayer/pipeline/gasBound.ts) use it.
 *
 * It follows from a measurement, not a rule of thumb: `npm run bench:gas` (bench/registryRingLimit.ts) finds the
 * largest ring for which createRecordAnonymous, warrantAnonymous and unwarrantAnonymous, each alone and each as an
 * executeRingActions batch of one, fit under EIP-7825's per-transaction cap with 63/64 gas forwarding (registry →
 * verifier → MSM core), and writes it to bench/results/gas.json (`registryRingLimit.largest`). The limit is that
 * ring minus RING_SIZE_SAFETY_MEMBERS. test/contracts/ringSizeLimit.test.ts fails when the contract's constant is not
 * this one, when the limit leaves less than the safety margin under the measurement (the verifier got dearer), and
 * when it lies more than RING_SIZE_LIMIT_SLACK members below it (the verifier got cheaper: raise the limit here and in
 * the contract, by the numbers the benchmark prints).
 */
export const RING_SIZE_LIMIT = 231;

/**
 * Members kept free under the measured largest ring: a signature's gas varies with its hash-to-point counters (each
 * member's H_p takes one more candidate with probability 1/2, and every extra candidate costs the verifier a hash, a
 * root check and 32 bytes of calldata), about one member's gas (one standard deviation) at rings of ~240.
 */
export const RING_SIZE_SAFETY_MEMBERS = 3;

/** How far below (measured largest − safety) the limit may lie before the test asks for it to be raised: run-to-run noise. */
export const RING_SIZE_LIMIT_SLACK = 3;
