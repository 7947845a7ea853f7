// solhint configuration (solhint 6), passed with `-c` by `npm run lint:sol`. It is JavaScript rather than
// .solhint.json so that every rule choice can carry its reason; solhint finds it only through `-c`.
// House style (README "Contracts"): custom errors that name component and problem, no revert strings, the I*.sol
// interface is the spec and carries the NatSpec, assembly only where gas needs it, gas measured in bench/gas.ts.
module.exports = {
  extends: "solhint:recommended",
  rules: {
    // Custom errors only: a revert string or a require with a message is an error, not a warning.
    "gas-custom-errors": "error",
    // The interfaces are the spec: every contract has a @title and every public item a @notice (or @inheritdoc).
    // Parameters and return values are named in the @notice prose (`institution`, `accessList`), as the
    // interfaces do throughout, so per-parameter @param/@return tags are not demanded; nor is @author.
    "use-natspec": ["warn", { author: { enabled: false }, param: { enabled: false }, return: { enabled: false } }],
    // Constructors need no visibility since Solidity 0.7.
    "func-visibility": ["warn", { ignoreConstructors: true }],
    // Assembly is allowed where gas needs it (memory-safe, every Yul line commented with its formula); whether gas
    // needs it is judged with docs/verifier-gas.md and bench/gas.ts, which a linter cannot do.
    "no-inline-assembly": "off",
    // The verifier's Yul passes (MRS1.sol) are long on purpose: splitting them into functions costs gas per call
    // (docs/verifier-gas.md).
    "function-max-lines": "off",
    // A public immutable is an ABI getter (`verifier()` in IMedRingRegistry) and is named like every other
    // function; private immutables use OpenZeppelin's `_camelCase`.
    "immutable-vars-naming": "off",
    // Each clone implementation file holds its abstract `*Logic` base (shared with the paper-style test
    // harnesses) beside the deployable contract, on purpose.
    "one-contract-per-file": "off",
    // EIP-712 type strings must be the exact canonical type and are longer than 32 bytes by nature; the
    // keccak256 of a constant literal is folded at compile time, so their length costs nothing at run time.
    "gas-small-strings": "off",
    // Which event fields are indexed is part of the event's spec in the interface (topics clients filter on),
    // not a gas choice.
    "gas-indexed-events": "off",
    // `<=` against `<` is a correctness choice at each bound; gas is measured, not guessed (bench/gas.ts).
    "gas-strict-inequalities": "off",
    // The flagged structs (RecordInfo, GrantedRecord) are view return values built in memory, never stored.
    "gas-struct-packing": "off",
  },
};
