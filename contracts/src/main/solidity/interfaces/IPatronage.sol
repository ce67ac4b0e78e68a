// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IPatronage
/// @notice The patronage points an account earned in an epoch (drivers: fare earned; rider
/// members: fare paid x riderPatronageBps / 10,000). Kept by the RideLedger, read by the Treasury
/// when a member claims a dividend.
interface IPatronage {
    /// @notice Points `account` earned in `epoch`.
    function pointsOf(address account, uint32 epoch) external view returns (uint256);
}
