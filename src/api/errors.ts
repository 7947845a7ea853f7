/**
 * The relayer's error codes and the HTTP status each is answered with (`{"error":{"code","message"}}`). Codes are
 * stable identifiers a client branches on; the relayer answers with them (relayer/errors.ts), the OpenAPI document
 * lists them per status (relayer/http/openapi.ts) and the client parses them (src/client/relayerClient.ts).
 */
import { z } from "zod";

export const API_ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_action: 400,
  ring_size_out_of_policy: 422,
  /** The ring's verification alone could not fit under the per-transaction gas cap (relayer/pipeline/gasBound.ts). */
  ring_gas_over_cap: 400,
  /** The action's gas estimate exceeds what honest inputs of its shape cost (relayer/pipeline/actionGasBound.ts). */
  gas_over_bound: 422,
  /** The admitter's quota (IMedRingRegistry.admissionQuota) is used up, counting registrations in flight. */
  admission_quota_exceeded: 422,
  ring_member_not_registered: 422,
  invalid_signature: 422,
  message_mismatch: 422,
  scope_mismatch: 422,
  nonce_mismatch: 422,
  deadline_expired: 422,
  deadline_too_soon: 422,
  ring_mismatch: 422,
  record_not_found: 422,
  replay: 409,
  simulation_reverted: 422,
  not_found: 404,
  rate_limited: 429,
  suspended: 429,
  overloaded: 503,
  busy: 503,
  chain_unavailable: 503,
  store_unavailable: 503,
  internal: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export const apiErrorCode = z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]);
