/**
 * Where a decrypted record goes: a file (--out, mode 0600: it is medical data), or stdout when it is UTF-8 text.
 * The CLI never logs plaintext anywhere else.
 */
import type { CommandContext } from "./context";
import { CliError } from "./errors";
import { writeSecretFile } from "./io";

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function emitPlaintext(plaintext: Uint8Array, out: string | undefined, json: boolean, details: Record<string, unknown>, context: CommandContext): void {
  if (out !== undefined) {
    writeSecretFile(out, plaintext);
    context.stdout(json ? JSON.stringify({ ...details, out, bytes: plaintext.length }) + "\n" : `wrote ${plaintext.length} bytes to ${out}\n`);
    return;
  }
  const text = utf8(plaintext);
  if (json) {
    context.stdout(
      JSON.stringify({ ...details, ...(text !== undefined ? { plaintext: text } : { plaintextBase64: Buffer.from(plaintext).toString("base64") }) }) + "\n",
    );
    return;
  }
  if (text === undefined) throw new CliError("the record is binary: write it to a file with --out FILE");
  context.stdout(text.endsWith("\n") ? text : text + "\n");
}
