/**
 * The relayer's one error shape: `{"error":{"code","message"}}` with an HTTP status. The codes and their statuses
 * are part of the wire contract (src/api/errors.ts); messages are for humans and never carry internals or stack traces.
 */
import type { z } from "zod";
import { API_ERROR_STATUS, type ApiErrorCode } from "../src/api";

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** Sent as the Retry-After header (seconds) with 429 and 503 answers that know when to come back. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = API_ERROR_STATUS[code];
  }
}

export function errorBody(code: ApiErrorCode, message: string): { error: { code: ApiErrorCode; message: string } } {
  return { error: { code, message } };
}

/** The message of an `invalid_request` answer for a schema failure: where the first issue is (`a.b.0`) and what it is. */
export function formatIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return "invalid";
  const where = issue.path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** An action's `args` parsed by its codec's schema (identified and ring actions alike), or 400 `invalid_request`. */
export function parseActionArgs<A>(schema: z.ZodType<A>, rawArgs: unknown): A {
  const result = schema.safeParse(rawArgs);
  if (!result.success) throw new ApiError("invalid_request", `action.args: ${formatIssue(result.error.issues[0])}`);
  return result.data;
}
