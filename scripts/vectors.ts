/**
 * `npm run vectors [-- --seed N]`: writes test/vectors/mrs1-vectors.json from src/mrs1 (scripts/vectors/generate.ts).
 * The same seed gives the same file byte for byte; test/mrs1/vectorsFile.test.ts checks that the committed file is
 * what this writes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../src/projectRoot";
import { DEFAULT_SEED, generateMrs1Vectors, type Mrs1Vectors } from "./vectors/generate";

export const VECTORS_FILE = join(PROJECT_ROOT, "test", "vectors", "mrs1-vectors.json");

/** The file's exact text: JSON indented by one space, as the external spec's vector file, and a final newline. */
export function vectorsFileText(vectors: Mrs1Vectors): string {
  return JSON.stringify(vectors, null, 1) + "\n";
}

function parseSeed(argv: string[]): number {
  if (argv.length === 0) return DEFAULT_SEED;
  if (argv.length === 2 && argv[0] === "--seed" && /^(0|[1-9][0-9]{0,14})$/.test(argv[1])) return Number(argv[1]);
  throw new Error(`usage: npm run vectors [-- --seed N]   (got ${argv.join(" ")})`);
}

function main(): void {
  const seed = parseSeed(process.argv.slice(2));
  const vectors = generateMrs1Vectors(seed);
  mkdirSync(dirname(VECTORS_FILE), { recursive: true });
  writeFileSync(VECTORS_FILE, vectorsFileText(vectors));
  const invalid = vectors.signatures.filter((s) => !s.valid).length;
  console.log(
    `${VECTORS_FILE}: seed ${seed}, ${vectors.hashToPoint.length} hashToPoint, ${vectors.keyImage.length} keyImage, ` +
      `${vectors.signatures.length} signatures (${vectors.signatures.length - invalid} valid, ${invalid} invalid)`,
  );
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`vectors: ${(err as Error).message}`);
    process.exitCode = 2;
  }
}
