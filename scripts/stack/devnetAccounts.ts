/** The devnet regulator's key file (`npm start` writes it; `medring regulator … --key` reads it). */
import type { HDNodeWallet } from "ethers";
import { parseHexBytes } from "../../src/hex";
import { writeKeyFile } from "../../src/keys/file";

export function writeDevnetRegulatorKeyFile(path: string, regulator: HDNodeWallet): void {
  writeKeyFile(path, { role: "regulator", accountKey: parseHexBytes(regulator.privateKey, "regulator key", 32) }, { overwrite: true });
}
