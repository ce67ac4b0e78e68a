// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorCountingColleges} from "./GovernorCountingColleges.sol";
import {Membership} from "./Membership.sol";

/// @title CoopGovernor
/// @notice The members' general assembly: proposals, college-weighted one-member-one-vote counting
/// (see GovernorCountingColleges for the success and quorum rules), votes by EIP-712 signature
/// (`castVoteBySig`, so nodes can relay members' ballots), and a timelock that executes what
/// passed. Votes come from Membership: 1 for an account that held a vote at the proposal's
/// snapshot, else 0, on Membership's block-number clock.
///
/// - Only accounts holding a vote (at the previous block) may propose (proposal threshold 1; a
///   vote may lower it to 0, never raise it above 1, which no one could reach).
/// - The voting delay is at least one block, so membership taken in the block of a proposal (or
///   later) never counts for it; governance cannot lower it to 0.
/// - The timelock holds the governance power (it is Membership's, FareSchedule's, Treasury's
///   `governance`); this contract is its only proposer.
contract CoopGovernor is Governor, GovernorSettings, GovernorCountingColleges, GovernorTimelockControl {
    /// @notice The EIP-712 domain name of ballots (version "1").
    string public constant GOVERNOR_NAME = "RideCoop Governor";

    /// @notice Where votes and colleges are read.
    Membership public immutable membership;

    error GovernorVotingDelayTooShort(uint256 votingDelay);
    error GovernorProposalThresholdTooHigh(uint256 threshold);
    error GovernorZeroMembership();

    /// @param membership_ the votes source
    /// @param timelock_ the executor (CoopTimelock)
    /// @param votingDelay_ blocks between a proposal and its snapshot, at least 1
    /// @param votingPeriod_ blocks the vote stays open
    /// @param collegeWeightsBps_ drivers, riders, supporters weights (each 1,000..5,000, sum 10,000)
    /// @param quorumBps_ weighted turnout needed, 500..8,000
    constructor(
        Membership membership_,
        TimelockController timelock_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint16[3] memory collegeWeightsBps_,
        uint16 quorumBps_
    )
        Governor(GOVERNOR_NAME)
        GovernorSettings(votingDelay_, votingPeriod_, 1)
        GovernorCountingColleges(collegeWeightsBps_, quorumBps_)
        GovernorTimelockControl(timelock_)
    {
        if (address(membership_) == address(0)) revert GovernorZeroMembership();
        membership = membership_;
    }

    // ------------------------------------------------------------------ votes and clock from Membership

    /// @notice Membership's clock (block number).
    function clock() public view override returns (uint48) {
        return membership.clock();
    }

    /// @notice Membership's ERC-6372 clock mode.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public view override returns (string memory) {
        return membership.CLOCK_MODE();
    }

    function _getVotes(address account, uint256 timepoint, bytes memory) internal view override returns (uint256) {
        return membership.getPastVotes(account, timepoint);
    }

    function _collegeAt(address account, uint256 timepoint) internal view override returns (bool, uint8) {
        return membership.pastCollegeOf(account, timepoint);
    }

    function _collegeSizeAt(uint8 college, uint256 timepoint) internal view override returns (uint256) {
        return membership.pastCollegeSize(college, timepoint);
    }

    // ------------------------------------------------------------------ bounded settings

    function _setVotingDelay(uint48 newVotingDelay) internal override {
        if (newVotingDelay < 1) revert GovernorVotingDelayTooShort(newVotingDelay);
        super._setVotingDelay(newVotingDelay);
    }

    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        if (newProposalThreshold > 1) revert GovernorProposalThresholdTooHigh(newProposalThreshold);
        super._setProposalThreshold(newProposalThreshold);
    }

    // ------------------------------------------------------------------ required overrides

    /// @inheritdoc Governor
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc Governor
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @inheritdoc Governor
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorCountingColleges) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
