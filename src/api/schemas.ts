import { z } from "zod";
import { JOB_STATUSES } from "./jobStatus";
import { apiErrorCode } from "./errors";
import { RING_SIZE_LIMIT } from "./ringSizeLimit";

/**
 * HTTP request and response shapes of the relayer's API: the wire contract the relayer and the client both import.
 * The zod schemas validate requests in the relayer ("validate at the edges") and responses in the client, and are
 * the source of the OpenAPI document (relayer/http/openapi.ts), so the document cannot drift from the code.
 * Size limits here bound the work any single request can cause before the chain is asked anything.
 */

/** Largest ring the relayer parses at all: the registry's RING_SIZE_LIMIT (ringSizeLimit.ts); the chain's ring policy is checked next. */
export const MAX_RING_MEMBERS = RING_SIZE_LIMIT;
/** Largest `bytes` argument in hex digits (ciphertexts inline in calldata): 96 KiB of data. */
export const MAX_BYTES_HEX_DIGITS = 2 * 96 * 1024;

const hexDigits = (n: number) => new RegExp(`^0x[0-9a-fA-F]{${n}}$`);
export const bytes32 = z.string().regex(hexDigits(64), "expected 0x followed by 64 hex digits");
export const address = z.string().regex(hexDigits(40), "expected a 0x-prefixed 20-byte address");
/** 0x-prefixed bytes of at most `maxBytes` bytes. */
export const hexBytesUpTo = (maxBytes: number) =>
  z
    .string()
    .max(2 + 2 * maxBytes, `at most ${maxBytes} bytes`)
    .regex(/^0x(?:[0-9a-fA-F]{2})*$/, "expected 0x followed by an even number of hex digits");
export const hexBytes = hexBytesUpTo(MAX_BYTES_HEX_DIGITS / 2);
/** Largest encrypted personal info a registration may carry (IPatientRegister.PERSON_INFO_MAX_LENGTH). */
export const MAX_PERSON_INFO_BYTES = 8192;

/**
 * An unsigned integer of at most `bits` bits as a decimal string (JSON numbers lose precision above 2^53). The
 * bound is the Solidity type the value ends up in: a larger value is a 400 here, never an encoding error later.
 */
export const uintString = (bits: 48 | 64 | 256) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,77})$/, "expected a decimal unsigned integer string")
    .refine((v) => BigInt(v) < 1n << BigInt(bits), `must be below 2^${bits} (uint${bits})`);
export const uint256String = uintString(256);
/** SEC1 point hex: compressed (33 bytes) or uncompressed (65 bytes) (MRS-1 §Interchange). Curve membership is checked later. */
const sec1Point = z.string().regex(/^0x(?:0[23][0-9a-fA-F]{64}|04[0-9a-fA-F]{128})$/, "expected a SEC1 point (02/03 + 32 bytes or 04 + 64 bytes)");

/** MRS-1 §Interchange format. Extra fields are allowed by the spec and ignored. */
export const mrs1SignatureJson = z.looseObject({
  scheme: z.literal("MRS-1"),
  scope: bytes32,
  message: bytes32,
  ring: z.array(sec1Point).min(1).max(MAX_RING_MEMBERS),
  keyImage: sec1Point,
  c: z.array(bytes32).min(1).max(MAX_RING_MEMBERS),
  e: z.array(bytes32).min(1).max(MAX_RING_MEMBERS),
});

export const ringAuthorization = z.strictObject({
  type: z.literal("ring"),
  signature: mrs1SignatureJson,
  /** The record's current ring nonce (0 for createRecord). */
  nonce: uint256String,
  /** Last valid block timestamp, unix seconds (inclusive). */
  deadline: uintString(64),
});

/** OpenZeppelin ERC2771Forwarder ForwardRequest, with the nonce the owner signed (the EIP-712 struct has it). */
export const forwardRequest = z.strictObject({
  from: address,
  to: address,
  value: uint256String,
  gas: uint256String,
  nonce: uint256String,
  deadline: uintString(48),
  data: hexBytes,
});

export const eip712Authorization = z.strictObject({
  type: z.literal("eip712"),
  request: forwardRequest,
  /** 65-byte ECDSA signature over the forwarder's EIP-712 ForwardRequest digest. */
  signature: z.string().regex(hexDigits(130), "expected a 65-byte signature (0x + 130 hex digits)"),
});

export const authorization = z.discriminatedUnion("type", [ringAuthorization, eip712Authorization]);

export const submissionRequest = z.strictObject({
  action: z.strictObject({
    kind: z.string().min(1).max(64),
    args: z.record(z.string().max(64), z.unknown()),
  }),
  authorization,
});

export type RingAuthorizationJson = z.infer<typeof ringAuthorization>;
export type Eip712AuthorizationJson = z.infer<typeof eip712Authorization>;
export type SubmissionRequest = z.infer<typeof submissionRequest>;

// ------------------------------------------------------------------ responses

export const errorResponse = z.strictObject({
  error: z.strictObject({ code: apiErrorCode, message: z.string() }),
});

export const jobStatus = z.enum(JOB_STATUSES);

export const submissionAccepted = z.strictObject({ id: bytes32, status: jobStatus });

export const submissionView = z.strictObject({
  id: bytes32,
  kind: z.string(),
  status: jobStatus,
  txHash: bytes32.nullable(),
  blockNumber: z.number().int().nullable(),
  gasUsed: uint256String.nullable(),
  reason: z.string().nullable(),
  /** The job's index in its batch (one executeRingActions transaction, `txHash`), null when sent alone. */
  batchIndex: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const verifyResult = z.strictObject({
  valid: z.literal(true),
  id: bytes32,
  kind: z.string(),
  gasEstimate: uint256String,
});

export const ringMembersPage = z.strictObject({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  /** Each member's ring key and its public admitter (IMedRingRegistry.ringMemberAdmitter), in registration order. */
  members: z.array(z.strictObject({ x: bytes32, y: bytes32, compressed: z.string(), admitter: address })),
});

/** GET /v1/records/{id}/ring: the registry's hash of an anonymous record's fixed ring (zero for others), a client's second source. */
export const recordRingView = z.strictObject({ id: bytes32, ringHash: bytes32 });

export const ringMembersQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const statusView = z.strictObject({
  version: z.string(),
  chainId: z.string(),
  contracts: z.record(z.string(), address),
  relayers: z.array(
    z.strictObject({
      address,
      balanceWei: uint256String,
      nextNonce: z.number().int().nullable(),
      /** Whether this instance holds the signer's lane now (each lane is held by one instance at a time). */
      held: z.boolean(),
    }),
  ),
  queue: z.record(jobStatus, z.number().int()),
  ringPolicy: z.strictObject({ min: z.number().int(), max: z.number().int() }),
  actions: z.array(z.strictObject({ kind: z.string(), authorizations: z.array(z.enum(["ring", "eip712"])) })),
});

export const healthView = z.strictObject({ status: z.literal("ok") });
export const readyView = z.strictObject({
  status: z.enum(["ready", "not_ready"]),
  checks: z.strictObject({ rpc: z.boolean(), store: z.boolean() }),
});
