/**
 * EIP-712 typed data of every MedRing authorisation, one definition for the client, the relayer, the contract
 * tests and the benchmarks:
 * - ring-authorised actions, exactly as IMedRingRegistry's NatSpec defines them (domain: name "MedRing",
 *   version "1", chainId, verifyingContract = the registry); the digest is the MRS-1 `message`
 *   (docs/design.md#anonymous-actions);
 * - OpenZeppelin ERC2771Forwarder's `ForwardRequest` (identified actions without ETH), domain name
 *   "MedRingForwarder" (contracts/MedRingForwarder.sol).
 * test/relayer/units.test.ts checks the ring digests against the registry's own hashCreateRecord / hashWarrant /
 * hashUnwarrant.
 */
import {
  TypedDataEncoder,
  concat,
  dataLength,
  getAddress,
  getUint,
  id,
  keccak256,
  toBeHex,
  zeroPadValue,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";

export const RING_ACTION_TYPES = {
  CreateRecord: [
    { name: "scope", type: "bytes32" },
    { name: "contentHash", type: "bytes32" },
    { name: "locator", type: "bytes" },
    { name: "ciphertext", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Warrant: [
    { name: "scope", type: "bytes32" },
    { name: "institution", type: "address" },
    { name: "wrappedKey", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Unwarrant: [
    { name: "scope", type: "bytes32" },
    { name: "institution", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export type RingActionType = keyof typeof RING_ACTION_TYPES;

/** The registry's EIP-712 domain. */
export function medRingDomain(chainId: bigint, registry: string): TypedDataDomain {
  return { name: "MedRing", version: "1", chainId, verifyingContract: registry };
}

/** Each action's EIP-712 type hash, and the separator of each domain seen: the relayer computes a digest per request. */
const typeHashes = new Map<RingActionType, string>();
const domainSeparators = new Map<string, string>();

function domainSeparator(domain: TypedDataDomain): string {
  const key = JSON.stringify([domain.name, domain.version, domain.chainId?.toString(), domain.verifyingContract, domain.salt]);
  let separator = domainSeparators.get(key);
  if (separator === undefined) domainSeparators.set(key, (separator = TypedDataEncoder.hashDomain(domain)));
  return separator;
}

/**
 * EIP-712 §Definition of encodeData for a struct of atomic and dynamic fields only (the ring actions): bytes32 as
 * it is, uint256 and address as 32-byte words, bytes as keccak256 of their contents.
 */
function encodeField(type: string, value: unknown): string {
  switch (type) {
    case "bytes32":
      if (typeof value !== "string" || dataLength(value) !== 32) throw new TypeError(`EIP-712 bytes32: got ${String(value)}`);
      return value;
    case "bytes":
      if (typeof value !== "string") throw new TypeError("EIP-712 bytes: expected hex");
      return keccak256(value);
    case "address":
      return zeroPadValue(getAddress(String(value)), 32);
    case "uint256":
      return toBeHex(getUint(value as bigint), 32);
    default:
      throw new TypeError(`EIP-712: field type ${type} is not a ring action field type`);
  }
}

/**
 * The EIP-712 digest of a ring-authorised action: the MRS-1 `message` its signature must carry.
 * keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(value)), hashStruct = keccak256(typeHash ‖ encodeData(value))
 * (EIP-712 §Specification); the same value as ethers' TypedDataEncoder.hash (test/relayer/units.test.ts checks it against ethers and the registry), computed
 * without building an encoder per call because the relayer computes one per request.
 */
export function ringActionDigest(domain: TypedDataDomain, action: RingActionType, value: Record<string, unknown>): string {
  const fields = RING_ACTION_TYPES[action];
  let typeHash = typeHashes.get(action);
  if (typeHash === undefined) typeHashes.set(action, (typeHash = id(TypedDataEncoder.from({ [action]: [...fields] }).encodeType(action))));
  const structHash = keccak256(concat([typeHash, ...fields.map((f) => encodeField(f.type, value[f.name]))]));
  return keccak256(concat(["0x1901", domainSeparator(domain), structHash]));
}

/**
 * A patient's admission (MedRingTypes.Admission): an authorised admitter vouches for the patient's account and
 * ring key until `deadline`. Signed in the registry's domain (medRingDomain); IMedRingRegistry.hashAdmission.
 */
export const ADMISSION_TYPES = {
  Admission: [
    { name: "patient", type: "address" },
    { name: "ringKeyX", type: "uint256" },
    { name: "ringKeyY", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

/** The EIP-712 digest an admitter signs for `patient` with ring key (x, y) until `deadline`. */
export function admissionDigest(domain: TypedDataDomain, value: { patient: string; ringKeyX: bigint; ringKeyY: bigint; deadline: bigint }): string {
  return TypedDataEncoder.hash(domain, { Admission: [...ADMISSION_TYPES.Admission] }, value);
}

/**
 * The message of a ring-key possession proof (MedRingTypes.RingKeyPossession): the registering account, in the
 * registry's domain (medRingDomain); IMedRingRegistry.hashRingKeyPossession.
 */
export const RING_KEY_POSSESSION_TYPES = {
  RingKeyPossession: [{ name: "patient", type: "address" }],
} as const satisfies Record<string, readonly TypedDataField[]>;

/** The EIP-712 digest a ring key signs (as a ring of one) to prove possession when `patient` registers it. */
export function ringKeyPossessionDigest(domain: TypedDataDomain, patient: string): string {
  return TypedDataEncoder.hash(domain, { RingKeyPossession: [...RING_KEY_POSSESSION_TYPES.RingKeyPossession] }, { patient });
}

/** OpenZeppelin ERC2771Forwarder's EIP-712 type (@openzeppelin/contracts/metatx/ERC2771Forwarder.sol, _FORWARD_REQUEST_TYPEHASH). */
export const FORWARD_REQUEST_TYPES: Record<string, TypedDataField[]> = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
};

/** The forwarder's EIP-712 domain (MedRingForwarder is `ERC2771Forwarder("MedRingForwarder")`, version "1"). */
export function forwarderDomain(chainId: bigint, forwarder: string): TypedDataDomain {
  return { name: "MedRingForwarder", version: "1", chainId, verifyingContract: forwarder };
}
