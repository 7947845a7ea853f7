/**
 * Every action the page sends, with its state as the patient should see it: signing (ring signatures take about a
 * second), accepted by the relayer, sent, mined, confirmed, or failed with the reason the relayer or the chain gave.
 */
import { useEffect, useState } from "preact/hooks";
import type { MedRingClient, Prepared } from "../../src/client";
import { explain } from "./errors";
import { nextFrame } from "./download";

export type ActionState = "signing" | "accepted" | "sent" | "mined" | "confirmed" | "failed";

export interface TrackedAction {
  id: number;
  title: string;
  state: ActionState;
  detail: string;
}

let actions: TrackedAction[] = [];
const listeners = new Set<(list: TrackedAction[]) => void>();
let nextId = 1;

function update(id: number, state: ActionState, detail: string): void {
  actions = actions.map((a) => (a.id === id ? { ...a, state, detail } : a));
  for (const listener of listeners) listener(actions);
}

export function useActions(): TrackedAction[] {
  const [list, setList] = useState(actions);
  useEffect(() => {
    listeners.add(setList);
    return () => void listeners.delete(setList);
  }, []);
  return list;
}

/** Relayer job statuses (src/api/jobStatus.ts) in the page's words. */
const RELAYER_STATE: Record<string, ActionState> = { queued: "accepted", submitted: "sent", mined: "mined", confirmed: "confirmed" };

/** Forgets the list (on Lock: the next key's user does not see this one's actions). */
export function clearActions(): void {
  actions = [];
  for (const listener of listeners) listener(actions);
}

export function startAction(title: string): { id: number; set: (state: ActionState, detail: string) => void } {
  const id = nextId++;
  const started: TrackedAction = { id, title, state: "signing", detail: "preparing and signing on this device…" };
  actions = [started, ...actions].slice(0, 20);
  for (const listener of listeners) listener(actions);
  return { id, set: (state, detail) => update(id, state, detail) };
}

/**
 * Prepares (reads the chain, signs here), sends through the relayer and follows the submission to a final state.
 * Resolves with the prepared info once confirmed; on failure the action shows why, and the error is rethrown.
 */
export async function sendTracked<T>(client: MedRingClient, title: string, prepare: () => Promise<Prepared<T>>): Promise<T> {
  const action = startAction(title);
  try {
    await nextFrame();
    const prepared = await prepare();
    action.set("signing", "signed; sending to the relayer…");
    await client.send(prepared.body, (event) => {
      const state = RELAYER_STATE[event.status];
      if (state === undefined) return;
      const where = event.blockNumber ? ` in block ${event.blockNumber}` : event.txHash ? ` (transaction ${event.txHash.slice(0, 10)}…)` : "";
      action.set(state, `${state}${where}`);
    });
    return prepared.info;
  } catch (err) {
    action.set("failed", explain(err));
    throw err;
  }
}
