// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Pagination
/// @notice The one rule for `(offset, limit)` pages over a list of `total` entries.
library Pagination {
    /// @notice How many entries the page holds: min(limit, total - offset), and 0 when offset >= total.
    function pageLength(uint256 total, uint256 offset, uint256 limit) internal pure returns (uint256) {
        if (offset >= total) return 0;
        uint256 remaining = total - offset;
        return remaining < limit ? remaining : limit;
    }
}
