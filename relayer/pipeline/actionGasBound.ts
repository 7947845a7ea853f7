import measuredActions from "../../bench/results/relayer-action-gas.json";
import measuredVerify from "../../bench/results/gas.json";
import { IMedRingRegistry__factory } from "../../typechain-types";
import { chordAt, verifyGas, withMargin } from "./gasBound";

/**
 * The gas bound of a whole ring-signed action (README "Security model: who can make the relayer pay"): what honest
 * inputs of its shape (action kind, ring size, payload bytes) cost, measured, plus VERIFY_GAS_MARGIN_PERCENT. The
 * relayer never signs a ring job with a gas limit above it, and refuses (at acceptance) or fails unsent (before
 * signing) a job whose estimate exceeds it, so that no signature a submitter can craft makes it pay more than an
 * honest one of the same shape.
 *
 * bound = verification (bench/results/gas.json, by ring size) + the registry's share (checks, effects, event,
 * calldata beyond the verifier's) + the payload's cost per byte; the last two from bench/results/relayer-action-gas.json
 * (`npx hardhat run bench/relayer/actionGas.ts`: each kind at rings of 1, 8 and 32 with the smallest payload, and with
 * the largest at ring 8). test/relayer/gasBound.test.ts holds the bound against the real registry.
 */

export type RingActionKind = "createRecord" | "warrant" | "unwarrant";

/** The registry function each ring action kind calls. */
const FUNCTION_OF_KIND: Record<RingActionKind, "createRecordAnonymous" | "warrantAnonymous" | "unwarrantAnonymous"> = {
  createRecord: "createRecordAnonymous",
  warrant: "warrantAnonymous",
  unwarrant: "unwarrantAnonymous",
};

interface ActionGasRow {
  kind: string;
  n: number;
  payloadBytes: number;
  gas: number;
}
const ROWS: readonly ActionGasRow[] = measuredActions.rows;

interface KindModel {
  /** (ring size, action gas − verification gas) at the smallest payload, by ring size. */
  share: (readonly [bigint, bigint])[];
  /** The smallest payload measured, and the gas per payload byte above it (numerator over denominator). */
  basePayload: bigint;
  perByte: readonly [bigint, bigint];
}

function modelOf(kind: RingActionKind): KindModel {
  const rows = ROWS.filter((r) => r.kind === kind);
  if (rows.length === 0) throw new Error(`bench/results/relayer-action-gas.json has no ${kind} rows: run bench/relayer/actionGas.ts`);
  const basePayload = Math.min(...rows.map((r) => r.payloadBytes));
  const base = rows.filter((r) => r.payloadBytes === basePayload).sort((a, b) => a.n - b.n);
  const share = base.map((r) => [BigInt(r.n), BigInt(r.gas) - verifyGas(r.n)] as const);
  // The payload's cost: the chord between the smallest and the largest payload at one ring size. Calldata and the
  // event's data are linear in the bytes, memory expansion is convex, so the chord lies above the cost between them.
  const large = rows.find((r) => r.payloadBytes > basePayload);
  const small = large && base.find((r) => r.n === large.n);
  const perByte = large && small ? ([BigInt(large.gas - small.gas), BigInt(large.payloadBytes - basePayload)] as const) : ([0n, 1n] as const);
  return { share, basePayload: BigInt(basePayload), perByte };
}

const MODELS: Record<RingActionKind, KindModel> = {
  createRecord: modelOf("createRecord"),
  warrant: modelOf("warrant"),
  unwarrant: modelOf("unwarrant"),
};

/**
 * What `executeRingActions` adds to its members' single calls: the most a batch of one cost above its single call
 * (bench/results/gas.json `batches`, k = 1). A batch of k > 1 costs less than its members alone (one multi-scalar
 * multiplication and one base fee for all: the same table), so the sum of its members' bounds plus this bounds it.
 */
const BATCH_OVERHEAD = measuredVerify.batches
  .filter((b) => b.k === 1)
  .reduce((most, b) => (BigInt(b.gasTotal - b.singleGasPerAction) > most ? BigInt(b.gasTotal - b.singleGasPerAction) : most), 0n);

/** The honest gas of a ring action of `kind` with a ring of `n` and `payloadBytes` of payload, plus the margin. */
export function ringActionGasBound(kind: RingActionKind, n: number, payloadBytes: number): bigint {
  const m = MODELS[kind];
  const share = chordAt(m.share, BigInt(n));
  const extra = BigInt(payloadBytes) > m.basePayload ? BigInt(payloadBytes) - m.basePayload : 0n;
  const payload = (extra * m.perByte[0] + m.perByte[1] - 1n) / m.perByte[1];
  return withMargin(verifyGas(n) + (share > 0n ? share : 0n) + payload);
}

/** The bound of an `executeRingActions` batch of members whose single calls have the bounds `memberBounds`. */
export function batchGasBound(memberBounds: readonly bigint[]): bigint {
  return memberBounds.reduce((sum, b) => sum + b, withMargin(BATCH_OVERHEAD));
}

const registryInterface = IMedRingRegistry__factory.createInterface();
const KIND_OF_SELECTOR = new Map(
  (Object.keys(FUNCTION_OF_KIND) as RingActionKind[]).map((kind) => [registryInterface.getFunction(FUNCTION_OF_KIND[kind]).selector, kind] as const),
);

/** The ABI word at byte `at` of the calldata `data` (0x-hex), as a number; a read past its end throws. */
function wordAt(data: string, at: number): number {
  const start = 2 + 2 * at;
  if (!Number.isSafeInteger(at) || at < 0 || start + 64 > data.length) throw new Error(`calldata too short for a word at byte ${at}`);
  const value = BigInt("0x" + data.slice(start, start + 64));
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`calldata word at byte ${at} is no offset or length`);
  return Number(value);
}

/** The length word of the dynamic argument whose offset is the head word `index` of the tuple starting at byte `tuple`. */
const lengthOf = (data: string, tuple: number, index: number) => wordAt(data, tuple + wordAt(data, tuple + 32 * index));

/**
 * The shape of a single ring-action call (its kind, ring size and payload bytes), or undefined for any other call.
 * Read from the ABI head words (Solidity ABI: a dynamic argument's head word is its offset from the start of its
 * tuple), not decoded: a full decode of a ring-16 call costs milliseconds of the event loop, per job of every batch.
 * The arguments: createRecordAnonymous(scope, contentHash, locator, ciphertext, auth), warrantAnonymous(scope,
 * institution, wrappedKey, auth), unwarrantAnonymous(scope, institution, auth); auth = (signature, hints, nonce,
 * deadline), signature = (ring, keyImage, c, e).
 */
export function ringCallShape(data: string): { kind: RingActionKind; n: number; payloadBytes: number } | undefined {
  const kind = KIND_OF_SELECTOR.get(data.slice(0, 10).toLowerCase());
  if (kind === undefined) return undefined;
  const args = 4;
  const authIndex = kind === "createRecord" ? 4 : kind === "warrant" ? 3 : 2;
  const payloadBytes = kind === "createRecord" ? lengthOf(data, args, 2) + lengthOf(data, args, 3) : kind === "warrant" ? lengthOf(data, args, 2) : 0;
  const auth = args + wordAt(data, args + 32 * authIndex);
  const signature = auth + wordAt(data, auth);
  return { kind, n: lengthOf(data, signature, 0), payloadBytes };
}

/** The gas bound of a job whose call is `data`: a single ring action's; undefined for identified calls and registrations. */
export function ringJobGasBound(data: string): bigint | undefined {
  const shape = ringCallShape(data);
  return shape && ringActionGasBound(shape.kind, shape.n, shape.payloadBytes);
}
