// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IFareScheduleListener
/// @notice FareSchedule tells the RideLedger when a new version becomes current, so booking reads
/// one local storage slot instead of making a cross-contract call on every ride.
interface IFareScheduleListener {
    /// @notice Called by FareSchedule (only) after `version` was published.
    function fareScheduleChanged(uint16 version) external;
}
