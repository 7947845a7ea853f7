/**
 * The relayer's revert decoder: every `error` entry of every compiled artifact (Node only: it reads artifacts/ from
 * disk; the client's decoder is built from the contracts' interfaces, ./revertDecoder.ts).
 */
import fs from "node:fs";
import path from "node:path";
import type { JsonFragment } from "ethers";
import { RevertDecoder } from "./revertDecoder";

/** Every `error` entry of every artifact under `artifactsDir/contracts` and `artifactsDir/@openzeppelin` (Hardhat layout). */
export function revertDecoderFromArtifacts(artifactsDir: string): RevertDecoder {
  const fragments: JsonFragment[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json")) {
        fragments.push(...((JSON.parse(fs.readFileSync(p, "utf8")) as { abi?: JsonFragment[] }).abi ?? []));
      }
    }
  };
  walk(path.join(artifactsDir, "contracts"));
  walk(path.join(artifactsDir, "@openzeppelin"));
  return new RevertDecoder(fragments);
}
