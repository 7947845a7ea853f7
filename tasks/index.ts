// Hardhat tasks are registered here; each lives in its own file.
import "./ringVerify";
import "./node";
