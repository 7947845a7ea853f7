/**
 * Byte layout of the MSM core (core.ts): its calldata (IMultiScalarMulCore.sol) and its memory. Every offset the
 * assembly uses is named here, so that one 0x80 does not mean four things.
 */

/** Calldata header: four words, then the terms. */
export const HDR_ALGORITHM = 0x00;
export const HDR_WINDOW = 0x20;
export const HDR_PAIRS = 0x40;
export const HDR_TERMS = 0x60;
export const HEADER_BYTES = 0x80;

/** Term j at TERMS + TERM_BYTES·j: four words [x, y, p - y, u = (s + H_c)·64]. */
export const TERMS = HEADER_BYTES;
export const TERM_SHIFT = 7;
export const TERM_BYTES = 1 << TERM_SHIFT;
export const TERM_X = 0x00;
export const TERM_Y = 0x20;
/** The word p - y: adding it instead of y subtracts the point, so a digit's sign is an offset (the LUT's second word). */
export const TERM_NY = 0x40;
export const TERM_U = 0x60;
/** The index j of the term at calldata offset `t` (an expression). */
export const termIndex = (t: string): string => `shr(${TERM_SHIFT}, sub(${t}, ${TERMS}))`;

/** An XYZZ point in memory: four words X, Y, ZZ, ZZZ (also the 128 bytes the core returns). */
export const POINT_SHIFT = 7;
export const POINT_BYTES = 1 << POINT_SHIFT;

/** Pippenger's work area at ws = 64·2^c (after the LUT): ACC at ws, then WIN, RUN (exact path only), the buckets. */
export const MEM_WIN = 0x80;
export const MEM_RUN = 0x100;
export const MEM_BUCKETS = 0x200;

/** Straus' memory: ACC at 0, the doubling scratch 2Q at STRAUS_SCRATCH, working values (straus.ts, SG), the records. */
export const STRAUS_SCRATCH = 0x80;
export const STRAUS_RECORDS = 0x200;
