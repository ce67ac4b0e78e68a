// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ITreasury
/// @notice The co-op's funds and the patronage epochs, as seen by the RideLedger.
interface ITreasury {
    /// @notice Advances the epoch counter if the current epoch's end has passed and returns the
    /// epoch that settlements happening now belong to. Anyone may call it.
    function syncEpoch() external returns (uint32 epoch);

    /// @notice Called by the RideLedger (only) after it has transferred `commission` tokens to the
    /// treasury: splits them by the commission split of fare-schedule `version` and adds `points`
    /// patronage points to `epoch`'s total.
    function recordCommission(uint32 epoch, uint16 version, uint256 commission, uint256 points) external;
}
