/**
 * Byte layout of the MSM core (core.ts): its calldata (IMultiScalarMulCore.sol) and its memory. Every offset the
 * assembly uses is named here, so that one 0x80 does not mean four things.
 */

/** Byte offsets of `count` consecutive 32-byte words. */
const words = (count: number): number[] => Array.from({ length: count }, (_, i) => 0x20 * i);

/** Calldata header: four words (algorithm, window, nPairTerms, nTerms), then the terms. */
export const [HDR_ALGORITHM, HDR_WINDOW, HDR_PAIRS, HDR_TERMS] = words(4);
export const HEADER_BYTES = 0x80;

/**
 * Term j at TERMS + TERM_BYTES·j: four words [x, y, p - y, u = (s + H_c)·64]. The word p - y (TERM_NY): adding it
 * instead of y subtracts the point, so a digit's sign is an offset (the LUT's second word).
 */
export const TERMS = HEADER_BYTES;
export const TERM_SHIFT = 7;
export const TERM_BYTES = 1 << TERM_SHIFT;
export const [TERM_X, TERM_Y, TERM_NY, TERM_U] = words(4);
/** The index j of the term at calldata offset `t` (an expression). */
export const termIndex = (t: string): string => `shr(${TERM_SHIFT}, sub(${t}, ${TERMS}))`;

/** An XYZZ point in memory: four words X, Y, ZZ, ZZZ (also the 128 bytes the core returns). */
export const POINT_SHIFT = 7;
export const POINT_BYTES = 1 << POINT_SHIFT;

/**
 * Pippenger's work area at ws = 64·2^c (after the LUT): ACC at ws, then WIN, RUN (exact path only), the buckets
 * (MEM_*, offsets from ws). Straus' memory: ACC at 0, the doubling scratch 2Q at STRAUS_SCRATCH, working values
 * (straus.ts, SG), the records from STRAUS_RECORDS.
 */
export const [MEM_WIN, MEM_RUN, MEM_BUCKETS] = [POINT_BYTES, 2 * POINT_BYTES, 4 * POINT_BYTES];
export const [STRAUS_SCRATCH, STRAUS_RECORDS] = [POINT_BYTES, 4 * POINT_BYTES];
