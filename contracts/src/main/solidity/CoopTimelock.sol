// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title CoopTimelock
/// @notice The co-op's executive: it holds the governance power over Membership, FareSchedule and
/// Treasury and runs what the members voted, after `minDelay` seconds. Deployed with CoopGovernor
/// as sole proposer and canceller; the optional `admin` must renounce DEFAULT_ADMIN_ROLE once the
/// roles are wired, so that no account keeps a backdoor.
/// @dev Nothing added to OpenZeppelin's TimelockController: this contract exists so that the
/// project's compiler emits the bytecode the deployer uses.
contract CoopTimelock is TimelockController {
    /// @param minDelay seconds between queueing and execution
    /// @param proposers accounts allowed to schedule and cancel (the governor)
    /// @param executors accounts allowed to execute (address(0): anyone)
    /// @param admin optional setup admin (address(0): none), to be renounced after setup
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
