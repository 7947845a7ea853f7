// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title MedRingForwarder: the standard OpenZeppelin ERC-2771 forwarder, under the EIP-712 name "MedRingForwarder".
/// @notice An owner signs a `ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,
///         uint48 deadline,bytes data)` for this domain; any relayer submits it with `execute`, and the target
///         (registry, RC, MRC or ALC, which all trust this forwarder) sees `from` as `_msgSender()`. No changes
///         to OpenZeppelin's code: a named deployment only.
contract MedRingForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("MedRingForwarder") {}
}
