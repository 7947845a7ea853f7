import { createRecord } from "./createRecord";
import { registerPatient } from "./registerPatient";
import { unwarrant } from "./unwarrant";
import { warrant } from "./warrant";
import type { ActionCodec } from "./types";

/** Every action the relayer submits, by API `kind`. Adding an action is adding a codec file and a line here. */
export const ACTIONS: ReadonlyMap<string, ActionCodec> = new Map([createRecord, warrant, unwarrant, registerPatient].map((codec) => [codec.kind, codec]));

export function authorizationsOf(codec: ActionCodec): ("ring" | "eip712")[] {
  return [...(codec.ring ? (["ring"] as const) : []), ...(codec.identified ? (["eip712"] as const) : [])];
}
