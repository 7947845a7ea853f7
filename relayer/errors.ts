/**
 * The relayer's one error shape: `{"error":{"code","message"}}` with an HTTP status. Codes are stable
 * identifiers clients can branch on; messages are for humans and never carry internals or stack traces.
 */
export const ERROR_CODES = {
  invalid_json: 400,
  invalid_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unknown_action: 400,
  ring_size_out_of_policy: 422,
  /** The ring's verification alone could not fit under the per-transaction gas cap (pipeline/gasBound.ts). */
  ring_gas_over_cap: 400,
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

export type ErrorCode = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Sent as the Retry-After header (seconds) with 429 and 503 answers that know when to come back. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}

export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

/** The message of an `invalid_request` answer for a schema failure: where the first issue is (`a.b.0`) and what it is. */
export function formatIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return "invalid";
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}
