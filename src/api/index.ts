/** The relayer's wire contract (REST API /v1), imported by the relayer and by the client alike. */
export * from "./schemas";
export * from "./actionArgs";
export { API_ERROR_STATUS, apiErrorCode, type ApiErrorCode } from "./errors";
export { JOB_STATUSES, FINAL_STATUSES, type JobStatus } from "./jobStatus";
