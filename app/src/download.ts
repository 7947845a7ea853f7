/** Saving text from the page as a file, and reading a file the user picked. Nothing is uploaded anywhere. */
export function downloadText(fileName: string, text: string, type = "application/json"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Largest file the page reads (a record travels inline in calldata: at most 96 KiB, src/api/schemas.ts). */
export const MAX_FILE_BYTES = 96 * 1024;

export interface PickedFile {
  name: string;
  text: string;
}

export async function readPickedFile(input: HTMLInputElement): Promise<PickedFile | undefined> {
  const file = input.files?.[0];
  if (!file) return undefined;
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is ${file.size} bytes; files up to ${MAX_FILE_BYTES} bytes fit in a record`);
  return { name: file.name, text: await file.text() };
}

/** Lets the browser paint (a progress message) before a long synchronous step (scrypt, ring signing). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
