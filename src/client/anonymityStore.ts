/**
 * What the client remembers about anonymity between runs (README "Security model"), behind a small interface so
 * that each platform keeps it its own way: a JSON file next to the key file for the CLI
 * (./fileAnonymityStore.ts, Node only), IndexedDB in a browser. Nothing here touches a file system.
 *
 * Per deployment (chain id and registry address):
 * - `members`: the anonymity set as already seen and confirmed by two sources, in registration order. It only
 *   grows: a later answer that shows fewer members, or other members at a position already seen, is refused.
 * - `rings`: the ring used in each scope, saved before any signature over that scope leaves the client, so that a
 *   retry signs with the same ring and no second, different ring ever appears in one scope.
 */

/** One member of the anonymity set as stored: its compressed ring key and its public admitter, both lower-case hex. */
export interface StoredMember {
  key: string;
  admitter: string;
}

export interface AnonymityState {
  members: StoredMember[];
  /** Scope (0x + 64 hex digits, lower-case) → the ring's compressed keys, in ring order. */
  rings: Record<string, string[]>;
}

export interface AnonymityStore {
  /** The state of `deployment`; an empty state when nothing was stored yet. */
  read(deployment: string): Promise<AnonymityState>;
  /** Replaces the state of `deployment` durably (the caller has checked that it only grows). */
  write(deployment: string, state: AnonymityState): Promise<void>;
}

export const emptyAnonymityState = (): AnonymityState => ({ members: [], rings: {} });

/** A store that lives as long as the process: for tests and one-off SDK use (nothing persists across runs). */
export class MemoryAnonymityStore implements AnonymityStore {
  private readonly states = new Map<string, string>();

  read(deployment: string): Promise<AnonymityState> {
    const text = this.states.get(deployment);
    return Promise.resolve(text === undefined ? emptyAnonymityState() : (JSON.parse(text) as AnonymityState));
  }

  write(deployment: string, state: AnonymityState): Promise<void> {
    this.states.set(deployment, JSON.stringify(state));
    return Promise.resolve();
  }
}
