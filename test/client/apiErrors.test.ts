/**
 * The relayer's error codes are one enum (src/api/errors.ts): the relayer answers only with them, each with its
 * status, and the client's parse of an error body yields a typed code and refuses a code the contract lacks.
 */
import { expect } from "chai";
import { API_ERROR_STATUS, apiErrorCode, errorResponse, type ApiErrorCode } from "../../src/api";
import { ApiError, errorBody } from "../../relayer/errors";

describe("API error codes", () => {
  const codes = Object.keys(API_ERROR_STATUS) as ApiErrorCode[];

  it("every code is in the enum, and the relayer's ApiError answers it with the code's status", () => {
    expect(apiErrorCode.options).to.deep.equal(codes);
    for (const code of codes) {
      expect(new ApiError(code, "m").status).to.equal(API_ERROR_STATUS[code]);
      expect(errorResponse.parse(errorBody(code, "m")).error.code).to.equal(code);
    }
  });

  it("an error body with a code outside the contract does not parse (the client reports the relayer as broken)", () => {
    expect(errorResponse.safeParse({ error: { code: "teapot", message: "m" } }).success).to.equal(false);
    expect(errorResponse.safeParse({ error: { code: "internal", message: "m", stack: "…" } }).success).to.equal(false);
  });
});
