import { describeTypeScriptConformance } from "./conformanceSuite";
import { loadVectors } from "./vectors";

describeTypeScriptConformance("MRS-1 conformance vectors (TypeScript, test/vectors)", () => loadVectors());
