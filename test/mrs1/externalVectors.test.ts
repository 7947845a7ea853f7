/**
 * Cross-check with an MRS-1 vector file from outside the repository (MRS-1 spec §Test vectors), for example the
 * spec's own or another implementation's: src/mrs1 and the on-chain verifier must give every entry its verdict.
 * `MRS1_EXTERNAL_VECTORS=/path/to/mrs1-vectors.json npx hardhat test test/mrs1/externalVectors.test.ts` runs it;
 * without the variable the file skips with a message, and the repository's own vectors (test/vectors) run either way.
 */
import { describeOnChainConformance } from "../verifier/helpers/conformanceSuite";
import { describeTypeScriptConformance } from "./helpers/conformanceSuite";
import { EXTERNAL_VECTORS_ENV, externalVectorsPath, loadVectors } from "./helpers/vectors";

const TITLE = "MRS-1 vectors from outside the repository";
const path = externalVectorsPath();

if (path !== undefined) {
  describeTypeScriptConformance(`${TITLE} (${path}): TypeScript`, () => loadVectors(path));
  describeOnChainConformance(`${TITLE} (${path}): on chain`, () => loadVectors(path));
} else {
  describe(TITLE, () => {
    it(`skipped: set ${EXTERNAL_VECTORS_ENV} to a vector file to run it; test/vectors ran instead`, function () {
      this.skip();
    });
  });
}
