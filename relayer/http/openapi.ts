import { z } from "zod";
import * as S from "../api/schemas";
import { ERROR_CODES } from "../errors";

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests (api/schemas.ts),
 * so it describes what the code accepts and answers. Tests validate real responses against it.
 */
const schema = (s: z.ZodType, io: "input" | "output" = "output") => z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" });

const errorRef = { $ref: "#/components/schemas/Error" };
const json = (ref: object) => ({ "application/json": { schema: ref } });
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), { description: errorDescription(s), content: json(errorRef) }]));

function errorDescription(status: number): string {
  const codes = Object.entries(ERROR_CODES)
    .filter(([, st]) => st === status)
    .map(([c]) => c);
  return `error; code one of: ${codes.join(", ")}`;
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
            ...errors(400, 409, 413, 415, 422, 429, 500, 503),
          },
        },
      },
      "/v1/submissions/{id}": {
        get: {
          operationId: "getSubmission",
          parameters: [{ name: "id", in: "path", required: true, schema: schema(S.bytes32) }],
          responses: {
            "200": { description: "the submission", content: json({ $ref: "#/components/schemas/Submission" }) },
            ...errors(400, 404, 429, 500),
          },
        },
      },
      "/v1/verify": {
        post: {
          operationId: "verify",
          requestBody: submissionBody,
          responses: {
            "200": { description: "every check passed; nothing was stored or sent", content: json({ $ref: "#/components/schemas/VerifyResult" }) },
            ...errors(400, 409, 413, 415, 422, 429, 500, 503),
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
            ...errors(400, 429, 500, 503),
          },
        },
      },
      "/v1/status": {
        get: {
          operationId: "status",
          responses: { "200": { description: "relayer status", content: json({ $ref: "#/components/schemas/Status" }) }, ...errors(429, 500, 503) },
        },
      },
      // Every route is behind the per-IP rate limit (429).
      "/v1/openapi.json": {
        get: { operationId: "openapi", responses: { "200": { description: "this document", content: json({ type: "object" }) }, ...errors(429) } },
      },
      "/healthz": {
        get: { operationId: "healthz", responses: { "200": { description: "alive", content: json({ $ref: "#/components/schemas/Health" }) }, ...errors(429) } },
      },
      "/readyz": {
        get: {
          operationId: "readyz",
          responses: {
            "200": { description: "RPC and store reachable", content: json({ $ref: "#/components/schemas/Ready" }) },
            "503": { description: "RPC or store unreachable", content: json({ $ref: "#/components/schemas/Ready" }) },
            ...errors(429),
          },
        },
      },
      "/metrics": {
        get: {
          operationId: "metrics",
          responses: { "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } }, ...errors(429) },
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
        Status: schema(S.statusView),
        Health: schema(S.healthView),
        Ready: schema(S.readyView),
      },
    },
  };
}
