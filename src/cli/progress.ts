/**
 * What a long command is doing while it waits on the relayer or the chain (signing, accepted, mined, confirmed),
 * with the time since it started. Shared by the CLI (src/cli/main.ts) and `npm start` (scripts/start.ts).
 *
 * Three renderings of the same calls:
 * - "live" (a terminal): each milestone is a line `· 1.4 s  accepted by the relayer: submission …`, and what is
 *   awaited now is one line redrawn in place with a spinner and a running clock, erased before anything else is
 *   written;
 * - "lines" (`npm start` into a pipe or a log): every milestone and every wait as a line of its own, nothing
 *   redrawn, so a log shows where a stack that hangs stopped;
 * - "silent" (a CLI command whose output is piped, or with --json): nothing, so the output is the result alone.
 */

export interface Progress {
  /** A milestone reached (a completed step), printed with the elapsed time. */
  report(line: string): void;
  /** What is awaited now; on a terminal it is shown with a live clock until the next call. */
  waiting(what: string): void;
  /** Erases the live line before other output goes to the same terminal; the next `waiting` redraws it. */
  clear(): void;
  /** Ends the rendering: the live line is erased and nothing more is drawn. */
  stop(): void;
}

export type ProgressMode = "live" | "lines" | "silent";

/** Where progress goes and how time is read (a test passes its own clock). */
export interface ProgressSink {
  write(text: string): void;
  now?: () => number;
}

const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const REDRAW_MS = 100;
/** ANSI: carriage return, then erase the whole line (ECMA-48 EL, CSI 2 K). */
const ERASE_LINE = "\r\x1b[2K";

/** True when both output streams are a terminal that understands the line erase above. */
export function isInteractive(stdout: { isTTY?: boolean }, stderr: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stdout.isTTY === true && stderr.isTTY === true && env.TERM !== "dumb";
}

export const SILENT_PROGRESS: Progress = { report() {}, waiting() {}, clear() {}, stop() {} };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(mode: ProgressMode, sink: ProgressSink): Progress {
  if (mode === "silent") return SILENT_PROGRESS;
  const now = sink.now ?? Date.now;
  const started = now();
  const stamp = () => seconds(now() - started).padStart(7);
  if (mode === "lines") {
    const line = (text: string) => sink.write(`·${stamp()}  ${text}\n`);
    return { report: line, waiting: (what) => line(`${what} …`), clear() {}, stop() {} };
  }

  let awaited: string | undefined;
  let drawn = false;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const erase = () => {
    if (drawn) sink.write(ERASE_LINE);
    drawn = false;
  };
  const draw = () => {
    if (awaited === undefined || stopped) return;
    sink.write(`${drawn ? ERASE_LINE : ""}${SPINNER[frame++ % SPINNER.length]}${stamp()}  ${awaited} …`);
    drawn = true;
  };
  const halt = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    report(line) {
      if (stopped) return;
      erase();
      sink.write(`·${stamp()}  ${line}\n`);
      awaited = undefined; // the milestone ends the wait; the caller says what it awaits next
    },
    waiting(what) {
      if (stopped) return;
      awaited = what;
      draw();
      if (!timer) {
        timer = setInterval(draw, REDRAW_MS);
        timer.unref(); // a forgotten live line must not keep the process alive
      }
    },
    clear() {
      erase();
    },
    stop() {
      stopped = true;
      halt();
      erase();
      awaited = undefined;
    },
  };
}

/** Progress for a long-running script (`npm start`, the demo) on `stream`: live on a terminal, lines otherwise. */
export function scriptProgress(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Progress {
  return createProgress(stream.isTTY === true && env.TERM !== "dumb" ? "live" : "lines", { write: (s) => stream.write(s) });
}
