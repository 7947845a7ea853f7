import { describeTypeScriptConformance } from "./helpers/conformanceSuite";
import { loadVectors } from "./helpers/vectors";

describeTypeScriptConformance("MRS-1 conformance vectors (TypeScript, test/vectors)", () => loadVectors());
