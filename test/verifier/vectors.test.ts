import { loadVectors } from "../mrs1/vectors";
import { describeOnChainConformance } from "./conformanceSuite";

describeOnChainConformance("MRS-1 conformance vectors (on chain, test/vectors)", () => loadVectors());
