import { z } from "zod";
import * as S from "../../src/api";

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (src/api/schemas.ts),
 * so it describes what the code accepts and answers. Tests validate real responses against it.
 */
const schema = (s: z.ZodType, io: "input" | "output" = "output") => z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" });

const errorRef = { $ref: "#/components/schemas/Error" };
const json = (ref: object) => ({ "application/json": { schema: ref } });

/**
 * The error codes each route can answer, by the layer of http/app.ts that answers them. A route's document lists
 * exactly its codes, grouped by their status, so it advertises no status and no code the route cannot answer.
 */
type Codes = readonly S.ApiErrorCode[];
/** The per-IP concurrency and rate limits (429) run before every route (http/clientLimits.ts). */
const PER_CLIENT: Codes = ["rate_limited"];
/** ...and the global concurrency limit (503) before every route but the probes. */
const EVERY_ROUTE: Codes = [...PER_CLIENT, "overloaded"];
/** The /v1 router's body handling (content type, JSON, size, other body-parser refusals), before every /v1 route. */
const V1_BODY: Codes = ["unsupported_media_type", "invalid_json", "payload_too_large", "invalid_request"];
/** The error handler's answers to a route that reads the job store, or the chain, and fails. */
const STORE: Codes = ["store_unavailable", "internal"];
const CHAIN: Codes = ["chain_unavailable", "internal"];
/** The acceptance pipeline's refusals (pipeline/*), shared by POST /v1/submissions and POST /v1/verify. */
const PIPELINE: Codes = [
  "unknown_action",
  "ring_size_out_of_policy",
  "ring_member_not_registered",
  "invalid_signature",
  "message_mismatch",
  "scope_mismatch",
  "nonce_mismatch",
  "deadline_expired",
  "deadline_too_soon",
  "ring_mismatch",
  "record_not_found",
  "replay",
  "simulation_reverted",
  "suspended",
  "admission_quota_exceeded",
  "ring_gas_over_cap",
  "gas_over_bound",
  "busy",
];

/**
 * The error responses of a route that answers `codes`: one per status, naming the codes of that status in its
 * description and, for programs, in the `x-error-codes` extension (OpenAPI 3.1 §Specification Extensions).
 */
interface ErrorResponses {
  [status: string]: { description: string; "x-error-codes"?: S.ApiErrorCode[]; content: object };
}
function errors(...codes: Codes[]): ErrorResponses {
  const byStatus = new Map<number, Set<S.ApiErrorCode>>();
  for (const code of codes.flat()) {
    const status = S.API_ERROR_STATUS[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, set]) => [
        String(status),
        { description: `error; code one of: ${[...set].join(", ")}`, "x-error-codes": [...set], content: json(errorRef) },
      ]),
  );
}

/** /readyz's answers besides 200: the per-client limits' 429, and the probe's own 503 with the Ready body (status "not_ready"). */
function readyErrors(): ErrorResponses {
  return {
    ...errors(PER_CLIENT),
    "503": { description: "RPC or store unreachable", content: json({ $ref: "#/components/schemas/Ready" }) },
  };
}

export function buildOpenApi(version: string): object {
  const submissionBody = { required: true, content: json({ $ref: "#/components/schemas/SubmissionRequest" }) };
  return {
    openapi: "3.1.0",
    info: {
      title: "MedRing relayer",
      version,
      description:
        "Submits anonymous (MRS-1 ring-signed) and identified (EIP-712 ForwardRequest, ERC-2771) MedRing actions. " +
        "A request is checked (schema, ring membership, MRS-1, replay and deadline, simulation) before any gas is spent.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths: {
      "/v1/submissions": {
        post: {
          operationId: "submit",
          requestBody: submissionBody,
          responses: {
            "202": {
              description: "accepted and stored durably; the same signed request returns the same id",
              content: json({ $ref: "#/components/schemas/SubmissionAccepted" }),
            },
            ...errors(EVERY_ROUTE, V1_BODY, PIPELINE, CHAIN, STORE),
          },
        },
      },
      "/v1/submissions/{id}": {
        get: {
          operationId: "getSubmission",
          parameters: [{ name: "id", in: "path", required: true, schema: schema(S.bytes32) }],
          responses: {
            "200": { description: "the submission", content: json({ $ref: "#/components/schemas/Submission" }) },
            ...errors(EVERY_ROUTE, V1_BODY, ["not_found"], STORE),
          },
        },
      },
      "/v1/verify": {
        post: {
          operationId: "verify",
          requestBody: submissionBody,
          responses: {
            "200": { description: "every check passed; nothing was stored or sent", content: json({ $ref: "#/components/schemas/VerifyResult" }) },
            ...errors(EVERY_ROUTE, V1_BODY, PIPELINE, CHAIN, STORE),
          },
        },
      },
      "/v1/ring/members": {
        get: {
          operationId: "ringMembers",
          parameters: [
            { name: "offset", in: "query", required: false, schema: { type: "integer", minimum: 0, default: 0 } },
            { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
          ],
          responses: {
            "200": { description: "a page of the anonymity set", content: json({ $ref: "#/components/schemas/RingMembersPage" }) },
            ...errors(EVERY_ROUTE, V1_BODY, CHAIN),
          },
        },
      },
      "/v1/records/{id}/ring": {
        get: {
          operationId: "recordRing",
          parameters: [{ name: "id", in: "path", required: true, schema: schema(S.bytes32) }],
          responses: {
            "200": {
              description: "the registry's hash of the record's fixed ring (zero for an identified or unknown record)",
              content: json({ $ref: "#/components/schemas/RecordRingView" }),
            },
            ...errors(EVERY_ROUTE, V1_BODY, CHAIN),
          },
        },
      },
      "/v1/status": {
        get: {
          operationId: "status",
          responses: {
            "200": { description: "relayer status", content: json({ $ref: "#/components/schemas/Status" }) },
            ...errors(EVERY_ROUTE, V1_BODY, CHAIN, STORE),
          },
        },
      },
      "/v1/openapi.json": {
        get: {
          operationId: "openapi",
          responses: { "200": { description: "this document", content: json({ type: "object" }) }, ...errors(EVERY_ROUTE, V1_BODY) },
        },
      },
      "/healthz": {
        get: {
          operationId: "healthz",
          responses: { "200": { description: "alive", content: json({ $ref: "#/components/schemas/Health" }) }, ...errors(PER_CLIENT) },
        },
      },
      "/readyz": {
        get: {
          operationId: "readyz",
          responses: {
            "200": { description: "RPC and store reachable", content: json({ $ref: "#/components/schemas/Ready" }) },
            ...readyErrors(),
          },
        },
      },
      "/metrics": {
        get: {
          operationId: "metrics",
          responses: {
            "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
            ...errors(EVERY_ROUTE, STORE),
          },
        },
      },
    },
    components: {
      schemas: {
        Error: schema(S.errorResponse),
        SubmissionRequest: schema(S.submissionRequest, "input"),
        SubmissionAccepted: schema(S.submissionAccepted),
        Submission: schema(S.submissionView),
        VerifyResult: schema(S.verifyResult),
        RingMembersPage: schema(S.ringMembersPage),
        RecordRingView: schema(S.recordRingView),
        Status: schema(S.statusView),
        Health: schema(S.healthView),
        Ready: schema(S.readyView),
      },
    },
  };
}
