// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";

/// @title GovernorCountingColleges
/// @notice Governor counting module for a multi-stakeholder co-operative (French SCIC "collèges de
/// vote"): one member, one vote inside its college; each college's result weighs by a share fixed
/// in the rules.
///
/// Counting. A voter counts in the college it belonged to at the proposal's snapshot, with weight
/// exactly 1 (an account without a vote at the snapshot cannot vote: GovernorNoVoteAtSnapshot).
/// Per proposal and per college For, Against and Abstain are tallied (support values follow
/// Governor Bravo: 0 Against, 1 For, 2 Abstain).
///
/// Weights. Three weights in basis points, each between 1,000 and 5,000 (the SCIC rule: no college
/// below 10 % or above 50 % of the votes) summing to 10,000, and a quorum in basis points between
/// 500 and 8,000. Both are changed only through governance and are COPIED INTO EACH PROPOSAL when it
/// is created: a change voted while a proposal runs does not affect that proposal.
///
/// Success (strict weighted majority). Over the colleges with at least one For or Against vote,
///     approval = Σ_c w_c · for_c / (for_c + against_c)  /  Σ_c w_c
/// must be strictly greater than 50 %. Abstentions do not count for approval. A college where
/// nobody voted For or Against is left out and the other weights are renormalised.
///
/// Quorum (weighted turnout). With size_c the number of members of college c holding a vote at
/// the snapshot, and turnout_c = (for_c + against_c + abstain_c) / size_c,
///     turnout = Σ_c w_c · turnout_c  /  Σ_{c: size_c > 0} w_c
/// must be at least quorumBps / 10,000. A college with no member at the snapshot counts neither
/// in the sum nor in the denominator (it cannot turn out); if no college has a member the quorum
/// is not reached. Both rules are evaluated exactly, by cross-multiplication, without rounding.
abstract contract GovernorCountingColleges is Governor {
    /// @notice Supported vote types (Governor Bravo order).
    enum VoteType {
        Against,
        For,
        Abstain
    }

    /// @notice Number of colleges: 0 drivers, 1 riders, 2 supporters (as in Membership).
    uint8 public constant COLLEGE_COUNT = 3;
    /// @notice SCIC rule: no college below 10 % of the votes...
    uint16 public constant MIN_COLLEGE_WEIGHT_BPS = 1_000;
    /// @notice ...and none above 50 %.
    uint16 public constant MAX_COLLEGE_WEIGHT_BPS = 5_000;
    /// @notice Lowest weighted turnout a vote may require (5 %).
    uint16 public constant MIN_QUORUM_BPS = 500;
    /// @notice Highest weighted turnout a vote may require (80 %), so governance cannot lock itself out.
    uint16 public constant MAX_QUORUM_BPS = 8_000;
    uint16 private constant BPS = 10_000;

    struct CollegeTally {
        uint64 againstVotes;
        uint64 forVotes;
        uint64 abstainVotes;
    }

    struct ProposalTally {
        uint16[3] weightsBps; // copied from the governor when the proposal is created
        uint16 quorumBps; // idem
        CollegeTally[3] colleges;
        mapping(address voter => bool) hasVoted;
    }

    mapping(uint256 proposalId => ProposalTally) private _tallies;
    uint16[3] private _collegeWeightsBps;
    uint16 private _quorumBps;

    /// @notice The weights new proposals are created with changed.
    event CollegeWeightsSet(uint16[3] oldWeightsBps, uint16[3] newWeightsBps);
    /// @notice The quorum new proposals are created with changed.
    event QuorumBpsSet(uint16 oldQuorumBps, uint16 newQuorumBps);

    /// @notice Each weight must lie in [MIN_COLLEGE_WEIGHT_BPS, MAX_COLLEGE_WEIGHT_BPS] and they must sum to 10,000.
    error GovernorInvalidCollegeWeights(uint16[3] weightsBps);
    error GovernorQuorumBpsOutOfRange(uint16 quorumBps, uint16 min, uint16 max);
    /// @notice `voter` held no vote at the proposal's snapshot `timepoint`.
    error GovernorNoVoteAtSnapshot(address voter, uint256 timepoint);
    error GovernorUnknownCollege(uint8 college);

    constructor(uint16[3] memory collegeWeightsBps_, uint16 quorumBps_) {
        _setCollegeWeights(collegeWeightsBps_);
        _setQuorumBps(quorumBps_);
    }

    // ------------------------------------------------------------------ what the governor provides

    /// @dev Whether `account` held a vote at `timepoint`, and in which college.
    function _collegeAt(address account, uint256 timepoint) internal view virtual returns (bool voting, uint8 college);

    /// @dev Number of members of `college` holding a vote at `timepoint`.
    function _collegeSizeAt(uint8 college, uint256 timepoint) internal view virtual returns (uint256);

    // ------------------------------------------------------------------ rules

    /// @notice Weights (bps) of the drivers, riders and supporters colleges that new proposals use.
    function collegeWeights() public view returns (uint16[3] memory) {
        return _collegeWeightsBps;
    }

    /// @notice Weighted turnout (bps) that new proposals need.
    function quorumBps() public view returns (uint16) {
        return _quorumBps;
    }

    /// @notice The weighted-turnout quorum in basis points (see the contract notice), as it applies
    /// to proposals created now. `timepoint` is ignored: a proposal keeps the quorum copied at its
    /// creation, read it with `proposalRules`.
    function quorum(uint256) public view virtual override returns (uint256) {
        return _quorumBps;
    }

    /// @notice Sets the college weights for proposals created from now on; only through governance.
    /// @param newWeightsBps drivers, riders, supporters; each 1,000..5,000, sum 10,000
    function setCollegeWeights(uint16[3] calldata newWeightsBps) external onlyGovernance {
        _setCollegeWeights(newWeightsBps);
    }

    /// @notice Sets the quorum for proposals created from now on; only through governance.
    /// @param newQuorumBps weighted turnout in basis points, 500..8,000
    function setQuorumBps(uint16 newQuorumBps) external onlyGovernance {
        _setQuorumBps(newQuorumBps);
    }

    // ------------------------------------------------------------------ per-proposal views

    /// @notice ERC-6372-style description of the counting (see IGovernor.COUNTING_MODE).
    // solhint-disable-next-line func-name-mixedcase
    function COUNTING_MODE() public pure virtual override returns (string memory) {
        return "support=bravo&quorum=for,against,abstain&weighting=colleges";
    }

    /// @notice Whether `account` has voted on `proposalId`.
    function hasVoted(uint256 proposalId, address account) public view virtual override returns (bool) {
        return _tallies[proposalId].hasVoted[account];
    }

    /// @notice The weights and quorum `proposalId` is counted with (copied at its creation).
    function proposalRules(uint256 proposalId) public view returns (uint16[3] memory weightsBps, uint16 quorumBps_) {
        ProposalTally storage t = _tallies[proposalId];
        return (t.weightsBps, t.quorumBps);
    }

    /// @notice The votes cast on `proposalId` in `college`.
    function proposalCollegeVotes(uint256 proposalId, uint8 college)
        public
        view
        returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)
    {
        if (college >= COLLEGE_COUNT) revert GovernorUnknownCollege(college);
        CollegeTally storage c = _tallies[proposalId].colleges[college];
        return (c.againstVotes, c.forVotes, c.abstainVotes);
    }

    /// @notice The votes cast on `proposalId`, all colleges together (unweighted head count).
    function proposalVotes(uint256 proposalId)
        public
        view
        returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)
    {
        ProposalTally storage t = _tallies[proposalId];
        for (uint256 i = 0; i < COLLEGE_COUNT; ++i) {
            CollegeTally storage c = t.colleges[i];
            againstVotes += c.againstVotes;
            forVotes += c.forVotes;
            abstainVotes += c.abstainVotes;
        }
    }

    /// @notice Weighted approval and weighted turnout of `proposalId` so far, in basis points
    /// rounded down (for display; the outcome is decided exactly by `state`). Reverts while the
    /// proposal is Pending (its snapshot is not in the past yet).
    function proposalResultBps(uint256 proposalId) public view returns (uint256 approvalBps, uint256 turnoutBps) {
        (uint256 forW, uint256 againstW) = _weightedSupport(proposalId);
        if (forW + againstW != 0) approvalBps = forW * BPS / (forW + againstW);
        (uint256 turnoutW, uint256 totalW) = _weightedTurnout(proposalId);
        if (totalW != 0) turnoutBps = turnoutW * BPS / totalW;
    }

    // ------------------------------------------------------------------ Governor hooks

    /// @dev Copies the current weights and quorum into the new proposal.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        ProposalTally storage t = _tallies[proposalId];
        t.weightsBps = _collegeWeightsBps;
        t.quorumBps = _quorumBps;
    }

    /// @dev One vote, counted in the voter's college at the snapshot. `totalWeight` (0 or 1, from
    /// the votes source) must be 1.
    function _countVote(uint256 proposalId, address account, uint8 support, uint256 totalWeight, bytes memory)
        internal
        virtual
        override
        returns (uint256)
    {
        ProposalTally storage t = _tallies[proposalId];
        if (t.hasVoted[account]) revert GovernorAlreadyCastVote(account);
        uint256 snapshot = proposalSnapshot(proposalId);
        (bool voting, uint8 college) = _collegeAt(account, snapshot);
        if (!voting || totalWeight == 0) revert GovernorNoVoteAtSnapshot(account, snapshot);
        t.hasVoted[account] = true;
        CollegeTally storage c = t.colleges[college];
        if (support == uint8(VoteType.Against)) {
            c.againstVotes += 1;
        } else if (support == uint8(VoteType.For)) {
            c.forVotes += 1;
        } else if (support == uint8(VoteType.Abstain)) {
            c.abstainVotes += 1;
        } else {
            revert GovernorInvalidVoteType();
        }
        return 1;
    }

    /// @dev Weighted turnout >= quorumBps (exact: turnoutW * 10,000 >= quorumBps * totalW).
    function _quorumReached(uint256 proposalId) internal view virtual override returns (bool) {
        (uint256 turnoutW, uint256 totalW) = _weightedTurnout(proposalId);
        return totalW != 0 && turnoutW * BPS >= uint256(_tallies[proposalId].quorumBps) * totalW;
    }

    /// @dev Weighted approval strictly above one half.
    function _voteSucceeded(uint256 proposalId) internal view virtual override returns (bool) {
        (uint256 forW, uint256 againstW) = _weightedSupport(proposalId);
        return forW > againstW;
    }

    // ------------------------------------------------------------------ the arithmetic

    /// @dev Returns F and A with F / (F + A) = the weighted approval, over the colleges with at
    /// least one For or Against vote: with n_c = for_c + against_c and P = Π n_c over them,
    /// F = Σ w_c · for_c · P / n_c and A = Σ w_c · against_c · P / n_c (P / n_c is exact).
    /// Tallies are bounded by the member count, so P stays far below 2^256.
    function _weightedSupport(uint256 proposalId) private view returns (uint256 forW, uint256 againstW) {
        ProposalTally storage t = _tallies[proposalId];
        uint256[3] memory n;
        uint256 product = 1;
        for (uint256 i = 0; i < COLLEGE_COUNT; ++i) {
            CollegeTally storage c = t.colleges[i];
            n[i] = uint256(c.forVotes) + c.againstVotes;
            if (n[i] != 0) product *= n[i];
        }
        for (uint256 i = 0; i < COLLEGE_COUNT; ++i) {
            if (n[i] == 0) continue;
            uint256 scale = t.weightsBps[i] * (product / n[i]);
            forW += scale * t.colleges[i].forVotes;
            againstW += scale * t.colleges[i].againstVotes;
        }
    }

    /// @dev Returns T and W with T / W = the weighted turnout: with s_c the college sizes at the
    /// snapshot and P = Π s_c over the non-empty colleges, T = Σ w_c · cast_c · P / s_c and
    /// W = P · Σ w_c over the non-empty colleges.
    function _weightedTurnout(uint256 proposalId) private view returns (uint256 turnoutW, uint256 totalW) {
        ProposalTally storage t = _tallies[proposalId];
        uint256 snapshot = proposalSnapshot(proposalId);
        uint256[3] memory size;
        uint256 product = 1;
        uint256 weights;
        for (uint256 i = 0; i < COLLEGE_COUNT; ++i) {
            size[i] = _collegeSizeAt(uint8(i), snapshot);
            if (size[i] != 0) {
                product *= size[i];
                weights += t.weightsBps[i];
            }
        }
        for (uint256 i = 0; i < COLLEGE_COUNT; ++i) {
            if (size[i] == 0) continue;
            CollegeTally storage c = t.colleges[i];
            uint256 cast = uint256(c.forVotes) + c.againstVotes + c.abstainVotes;
            turnoutW += t.weightsBps[i] * cast * (product / size[i]);
        }
        totalW = weights * product;
    }

    function _setCollegeWeights(uint16[3] memory newWeightsBps) internal virtual {
        uint256 sum;
        for (uint256 i = 0; i < COLLEGE_COUNT; ++i) {
            uint16 w = newWeightsBps[i];
            if (w < MIN_COLLEGE_WEIGHT_BPS || w > MAX_COLLEGE_WEIGHT_BPS) revert GovernorInvalidCollegeWeights(newWeightsBps);
            sum += w;
        }
        if (sum != BPS) revert GovernorInvalidCollegeWeights(newWeightsBps);
        emit CollegeWeightsSet(_collegeWeightsBps, newWeightsBps);
        _collegeWeightsBps = newWeightsBps;
    }

    function _setQuorumBps(uint16 newQuorumBps) internal virtual {
        if (newQuorumBps < MIN_QUORUM_BPS || newQuorumBps > MAX_QUORUM_BPS) {
            revert GovernorQuorumBpsOutOfRange(newQuorumBps, MIN_QUORUM_BPS, MAX_QUORUM_BPS);
        }
        emit QuorumBpsSet(_quorumBps, newQuorumBps);
        _quorumBps = newQuorumBps;
    }
}
