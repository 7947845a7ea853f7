import { loadVectors } from "../mrs1/helpers/vectors";
import { describeOnChainConformance } from "./helpers/conformanceSuite";

describeOnChainConformance("MRS-1 conformance vectors (on chain, test/vectors)", () => loadVectors());
