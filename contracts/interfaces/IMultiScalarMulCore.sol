// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMultiScalarMulCore: the hand-scheduled multi-scalar multiplication contract of the verifier.
/// @notice sum_j s_j·Q_j on secp256k1 for scalars s_j < 2^128, without any precompile. The core is EVM code
///         assembled from contracts/crypto/msm/core.ts (not Solidity); RingVerifier creates one in its constructor
///         and reaches it by STATICCALL. It has no functions and no state: the call data is the input below, the
///         return data is the sum. It serves only the contract that created it (the creator checks every point, so
///         the core does not); any other caller gets `MultiScalarMulNotCreator`.
/// @dev    Input (raw call data, no selector), 32-byte words:
///             [0]  algorithm: 1 = Straus (interleaved odd-digit windows), 2 = Pippenger (signed-digit buckets),
///                  plus 0x100 (EXACT_FALLBACK) to have an exceptional input recomputed exactly (see Output)
///             [1]  window c: 2..6 for Straus, 2..10 for Pippenger
///             [2]  nPairTerms: the first nPairTerms terms are GLV pairs (Q, ±phi(Q)), phi(x, y) = (beta·x, y);
///                  even, at most nTerms (Straus derives the second table of a pair from the first)
///             [3]  nTerms, at most 0xffff
///             then nTerms terms of 4 words: [x, y, p - y, u] with Q_j = (x, y) a finite curve point and
///             u = (s_j + H_c)·64, H_c = sum_{w < W} 2^(c-1)·2^(c·w), W = ceil(128 / c). (The offset makes every
///             base-2^c digit signed without a carry pass; the factor 64 makes a digit's bits the byte offset of its
///             lookup-table entry. MultiScalarMul.encodeScalar computes u.)
///         Output: 4 words (X, Y, ZZ, ZZZ), the sum in XYZZ coordinates (x = X/ZZ, y = Y/ZZZ); ZZ = 0 means O.
///         The fast paths start every accumulator at offset points hashed to the curve (nobody knows their logs). An
///         input for which some addition meets an exceptional case (P == ±Q) gives, without EXACT_FALLBACK,
///         (0, 0, 1, 1): not O and not a curve point, so a check "sum == O" rejects it; with EXACT_FALLBACK, the
///         exact sum from slower, branching code. For a valid MRS-1 batch equation that case needs a discrete-log
///         relation between the offsets and the terms (docs/verifier-gas.md, "Offset points").
///         The precondition on the points (on the curve, third word = p - y, pair partners really ±phi) is the
///         caller's; on a violation the sum is meaningless but the call still returns, except that a Straus table
///         entry equal to O (an off-curve Q) reverts with `MultiScalarMulNotOnCurve`.
interface IMultiScalarMulCore {
    /// @notice The caller is not the contract that created this core.
    error MultiScalarMulNotCreator(address caller);
    /// @notice The call data is not 128 + 128·nTerms bytes with nTerms <= 0xffff, or nPairTerms is odd or above nTerms.
    error MultiScalarMulMalformedTerms(uint256 callDataSize, uint256 nPairTerms);
    /// @notice Unknown algorithm, or a window outside the algorithm's range.
    error MultiScalarMulBadPlan(uint256 algorithm, uint256 window);
    /// @notice A Straus table entry k·Q_j (1 <= k < 2^c) was O, so some Q_j was not a curve point.
    error MultiScalarMulNotOnCurve();
}
