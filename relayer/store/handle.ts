/** What every store of the relayer offers besides its own concern: a readiness probe and a clean close. */
export interface StoreHandle {
  /** Throws if the backend cannot be used (readiness probe). */
  ping(): Promise<void>;
  /** Closes the backend's connection (shared by the stores opened together: closing one closes both). */
  close(): Promise<void>;
}

/** The store cannot be reached now (a database outage): the request may be retried later; nothing was written. */
export class StoreUnavailable extends Error {
  constructor(cause: Error) {
    super(`job store unavailable: ${cause.message}`);
    this.name = "StoreUnavailable";
  }
}
