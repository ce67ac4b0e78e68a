// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IMembershipHooks
/// @notice What the RideLedger needs to hear from Membership so that the ride path never has to
/// make a cross-contract call: Membership pushes every status change of an account.
interface IMembershipHooks {
    /// @notice Called by Membership (and only Membership) whenever `account` changes status.
    /// @param patron true while `account` is an active member of any college: its rides as a
    ///        rider then earn patronage points.
    /// @param driver true while `account` is an active member of the drivers college: only then
    ///        can it sign offers that riders book.
    /// @param barred true while `account` is suspended or excluded: it can then neither deposit
    ///        nor book (withdrawing what it owns always stays possible).
    function memberChanged(address account, bool patron, bool driver, bool barred) external;
}
