/**
 * HTTP client of the relayer's REST API (relayer/README.md; OpenAPI at GET /v1/openapi.json). Responses are
 * parsed with the zod schemas the relayer answers by (src/api), so a drifting server is noticed here.
 */
import type { z } from "zod";
import {
  FINAL_STATUSES,
  errorResponse,
  recordRingView,
  ringMembersPage,
  statusView,
  submissionAccepted,
  submissionView,
  verifyResult,
  type submissionRequest,
} from "../api";
import { ClientError } from "./errors";

export type SubmissionView = z.infer<typeof submissionView>;
export type StatusView = z.infer<typeof statusView>;
export type VerifyResult = z.infer<typeof verifyResult>;
export type RingMembersPage = z.infer<typeof ringMembersPage>;
export type RecordRingView = z.infer<typeof recordRingView>;

/** The body of POST /v1/submissions and POST /v1/verify, as the client builds it (the relayer validates it). */
export type SubmissionBody = z.input<typeof submissionRequest>;

/** The exact bytes POSTed for a body (and what `medring … --dry-run` prints). */
export function encodeSubmissionBody(body: SubmissionBody): string {
  return JSON.stringify(body);
}

export interface WaitOptions {
  /** Called whenever the status or the transaction hash changes. */
  onProgress?: (view: SubmissionView) => void;
  timeoutMs?: number;
  pollMs?: number;
}

export class RelayerClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    // A wrapper, not `fetch` itself: a browser's fetch called as a method of this object throws "Illegal invocation".
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  status(): Promise<StatusView> {
    return this.request("GET", "/v1/status", undefined, statusView);
  }

  /** POST /v1/submissions: every check, durable storage, 202 {id, status}. Idempotent for the same signed body. */
  submit(body: SubmissionBody): Promise<z.infer<typeof submissionAccepted>> {
    return this.request("POST", "/v1/submissions", encodeSubmissionBody(body), submissionAccepted);
  }

  /** POST /v1/verify: the same checks and simulation; nothing is stored or sent. */
  verify(body: SubmissionBody): Promise<VerifyResult> {
    return this.request("POST", "/v1/verify", encodeSubmissionBody(body), verifyResult);
  }

  submission(id: string): Promise<SubmissionView> {
    return this.request("GET", `/v1/submissions/${encodeURIComponent(id)}`, undefined, submissionView);
  }

  ringMembers(offset: number, limit: number): Promise<RingMembersPage> {
    return this.request("GET", `/v1/ring/members?offset=${offset}&limit=${limit}`, undefined, ringMembersPage);
  }

  /** GET /v1/records/{id}/ring: the registry's hash of the record's fixed ring, as the relayer reads it. */
  recordRing(recordId: string): Promise<RecordRingView> {
    return this.request("GET", `/v1/records/${encodeURIComponent(recordId)}/ring`, undefined, recordRingView);
  }

  /**
   * Polls until the submission is final. Resolves with the confirmed view; a `failed` or `expired` one throws
   * ClientError "refused" with the relayer's reason.
   */
  async waitForFinal(id: string, options: WaitOptions = {}): Promise<SubmissionView> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let last = "";
    for (;;) {
      const view = await this.submission(id);
      const seen = `${view.status}:${view.txHash}`;
      if (seen !== last) {
        last = seen;
        options.onProgress?.(view);
      }
      if (FINAL_STATUSES.includes(view.status)) {
        if (view.status === "confirmed") return view;
        throw new ClientError("refused", `submission ${id} ${view.status}: ${view.reason ?? "no reason given"}`, view.status);
      }
      if (Date.now() > deadline)
        throw new ClientError("unavailable", `submission ${id} is still ${view.status} after ${(options.timeoutMs ?? 120_000) / 1000} s`);
      await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
    }
  }

  private async request<T>(method: "GET" | "POST", path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new ClientError(
        "unavailable",
        `relayer ${this.baseUrl} is unreachable (${(err as Error).cause ? String((err as { cause: unknown }).cause) : (err as Error).message})`,
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ClientError("unavailable", `relayer ${this.baseUrl}${path} answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      const refusal = errorResponse.safeParse(json);
      if (refusal.success)
        throw new ClientError("refused", `relayer refused (${refusal.data.error.code}): ${refusal.data.error.message}`, refusal.data.error.code);
      throw new ClientError("unavailable", `relayer ${this.baseUrl}${path} answered ${response.status}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ClientError("unavailable", `relayer ${this.baseUrl}${path}: unexpected response shape (${parsed.error.issues[0]?.message})`);
    return parsed.data;
  }
}
