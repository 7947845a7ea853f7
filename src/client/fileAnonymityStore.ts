/**
 * The CLI's AnonymityStore (./anonymityStore.ts): one JSON file, by default next to the patient's key file
 * (`<key file>.anonymity.json`). Node only; the browser app keeps the same state in IndexedDB.
 *
 * The file links the patient to their scopes (it holds the ring of each), so it is as private as the key file:
 * mode 0600, and each write goes to a temporary file that is renamed over the old one, so a crash leaves either
 * the old state or the new one, never half of it.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { emptyAnonymityState, type AnonymityState, type AnonymityStore } from "./anonymityStore";
import { ClientError } from "./errors";

const FORMAT = "medring-anonymity-v1";
const hex = z.string().regex(/^0x[0-9a-f]+$/);
const stateSchema = z.strictObject({
  members: z.array(z.strictObject({ key: hex, admitter: hex })),
  rings: z.record(hex, z.array(hex)),
});
const fileSchema = z.strictObject({ format: z.literal(FORMAT), deployments: z.record(z.string(), stateSchema) });
type StoreFile = z.infer<typeof fileSchema>;

/** The store file that belongs to key file `keyFile`. */
export function anonymityStorePathFor(keyFile: string): string {
  return `${keyFile}.anonymity.json`;
}

export class FileAnonymityStore implements AnonymityStore {
  constructor(readonly path: string) {}

  private load(): StoreFile {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { format: FORMAT, deployments: {} };
      throw new ClientError("input", `cannot read the anonymity store ${this.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ClientError("integrity", `the anonymity store ${this.path} is not JSON; it must not be edited by hand`);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) throw new ClientError("integrity", `the anonymity store ${this.path} is malformed (${parsed.error.issues[0]?.message})`);
    return parsed.data;
  }

  read(deployment: string): Promise<AnonymityState> {
    return Promise.resolve(this.load().deployments[deployment] ?? emptyAnonymityState());
  }

  write(deployment: string, state: AnonymityState): Promise<void> {
    const file = this.load();
    file.deployments[deployment] = state;
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify(file) + "\n", { mode: 0o600 });
      chmodSync(temporary, 0o600);
      renameSync(temporary, this.path);
    } catch (err) {
      throw new ClientError("input", `cannot write the anonymity store ${this.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return Promise.resolve();
  }
}
