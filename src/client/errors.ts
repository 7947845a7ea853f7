/**
 * Errors of the client SDK, by who said no (the CLI maps each kind to an exit code, src/cli/errors.ts):
 * - "input": the caller's input is wrong (a ring size outside the policy, a record that is not the caller's);
 * - "refused": the relayer or the chain refused (the relayer's error `code`, or a failed/expired submission);
 * - "unavailable": the relayer or the RPC endpoint cannot be reached or answered nonsense;
 * - "integrity": data from the chain does not check out (content hash mismatch, a ciphertext that does not open);
 * - "anonymity": signing would leave the patient less anonymous than the client's own floor allows: a ring below
 *   the floor, an anonymity set or a record's ring that the independent sources do not confirm, a grant that the
 *   public admitters would narrow (src/client/anonymityGuard.ts, README "Security model").
 * Messages are one line and never carry secret keys or plaintext.
 */
import type { ApiErrorCode, JobStatus } from "../api";

export type ClientErrorKind = "input" | "refused" | "unavailable" | "integrity" | "anonymity";

/**
 * What said no, for a program to branch on: the relayer's error code, a submission's status when it ended unconfirmed, "reverted" for
 * a call or transaction the chain refused, or one of the client's own refusals.
 */
export type ClientErrorCode = ApiErrorCode | JobStatus | "reverted" | "not_granted" | "not_admitter";

export class ClientError extends Error {
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    /** The relayer's error code (`{"error":{"code"}}`) or a submission's final status, when there is one. */
    readonly code?: ClientErrorCode,
  ) {
    super(message);
    this.name = "ClientError";
  }
}
