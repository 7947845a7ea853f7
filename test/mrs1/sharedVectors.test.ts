/**
 * Cross-check with the external spec's vectors (MRS-1 (external spec) §Test vectors), which live beside the
 * repository, in ../shared/spec/vectors, only in the MedRing workspace: src/mrs1 and the on-chain verifier must give
 * every entry its verdict. A clone without that folder skips this file with a message; the repository's own vectors
 * (test/vectors) run either way.
 */
import { describeOnChainConformance } from "../verifier/helpers/conformanceSuite";
import { describeTypeScriptConformance } from "./helpers/conformanceSuite";
import { SHARED_VECTORS_PATH, loadVectors, sharedVectorsPresent } from "./helpers/vectors";

const TITLE = "MRS-1 vectors of the external spec (../shared/spec/vectors)";

if (sharedVectorsPresent()) {
  describeTypeScriptConformance(`${TITLE}: TypeScript`, () => loadVectors(SHARED_VECTORS_PATH));
  describeOnChainConformance(`${TITLE}: on chain`, () => loadVectors(SHARED_VECTORS_PATH));
} else {
  describe(TITLE, () => {
    it(`skipped: ${SHARED_VECTORS_PATH} is not there (a clone outside the MedRing workspace); test/vectors ran instead`, function () {
      this.skip();
    });
  });
}
