/**
 * What one form or button of a screen is doing, as the user sees it (ui.tsx Status): what it is busy with, then its
 * outcome or its error, explained (./errors.ts). Every screen runs its work through this one hook, so each shows
 * progress, failure and success the same way.
 */
import { useState } from "preact/hooks";
import { nextFrame } from "./download";
import { explain } from "./errors";

export interface TaskStatus {
  busy?: string;
  error?: string;
  ok?: string;
}

export interface Task {
  status: TaskStatus;
  /** Shows `busy`, runs `work`, then shows what it returns (nothing: a blank status) or the error it throws. */
  run: (busy: string, work: () => Promise<string | void>) => Promise<void>;
  /** A new progress line while the work runs (e.g. how many indices a scan has checked). */
  progress: (busy: string) => void;
  /** An error found before any work starts (a file not chosen yet, passphrases that differ). */
  fail: (error: string) => void;
}

export function useTask(): Task {
  const [status, setStatus] = useState<TaskStatus>({});
  const run = async (busy: string, work: () => Promise<string | void>) => {
    setStatus({ busy });
    await nextFrame(); // the busy line is painted before work that blocks the page (scrypt, ring signing)
    try {
      const ok = await work();
      setStatus(ok ? { ok } : {});
    } catch (err) {
      setStatus({ error: explain(err) });
    }
  };
  return { status, run, progress: (busy) => setStatus({ busy }), fail: (error) => setStatus({ error }) };
}
