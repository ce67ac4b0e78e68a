// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IFareSchedule} from "./interfaces/IFareSchedule.sol";
import {ITreasury} from "./interfaces/ITreasury.sol";
import {IPatronage} from "./interfaces/IPatronage.sol";

/// @title Treasury
/// @notice The co-op's money: the indivisible reserve (never paid out to members), the solidarity
/// fund and the operations budget (paid out only by a member vote), and one dividend pool per
/// patronage epoch, which members claim in O(1) in proportion to their patronage points.
/// @dev Invariant: token.balanceOf(this) == reserve + solidarity + operations + unclaimedDividends.
contract Treasury is ITreasury, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint16 private constant BPS = 10_000;
    /// @notice Epochs after which an epoch's unclaimed dividends may be swept into the reserve.
    uint32 public constant CLAIM_EPOCHS = 26;
    uint32 public constant MIN_EPOCH_LENGTH = 1 hours;
    uint32 public constant MAX_EPOCH_LENGTH = 366 days;

    /// @notice The balances the co-op holds, packed in one slot (settlement writes it once per batch).
    struct Funds {
        uint64 reserve;
        uint64 solidarity;
        uint64 operations;
        uint64 unclaimedDividends;
    }

    /// @notice One patronage epoch.
    struct Epoch {
        uint128 pool; // dividends earned by the epoch
        uint128 totalPoints; // patronage points earned by all members in the epoch
        uint128 claimed; // dividends paid out (or swept) so far
        uint120 claimedPoints; // points whose dividend was paid
        bool closed;
    }

    IERC20 public immutable token;
    address public immutable governance;
    IPatronage public immutable ledger;
    IFareSchedule public immutable schedule;

    Funds private _funds;
    uint32 public currentEpoch;
    uint64 public currentEpochEnd;
    /// @notice Length of epochs started from now on (seconds).
    uint32 public epochLength;
    mapping(uint32 epoch => Epoch) private _epochs;
    mapping(uint32 epoch => mapping(address member => bool)) public claimed;

    event CommissionRecorded(uint32 indexed epoch, uint16 indexed version, uint256 commission,
        uint256 toReserve, uint256 toSolidarity, uint256 toOperations, uint256 toDividends, uint256 points);
    event EpochStarted(uint32 indexed epoch, uint64 end);
    event EpochClosed(uint32 indexed epoch, uint256 pool, uint256 totalPoints);
    event DividendClaimed(uint32 indexed epoch, address indexed member, uint256 points, uint256 amount);
    event DustToReserve(uint32 indexed epoch, uint256 amount);
    event UnclaimedSwept(uint32 indexed epoch, uint256 amount);
    event SolidarityPaid(address indexed to, uint256 amount, bytes32 indexed reasonHash);
    event OperationsPaid(address indexed to, uint256 amount, bytes32 indexed reasonHash);
    event EpochLengthChanged(uint32 epochLength);

    error NotGovernance(address caller);
    error NotLedger(address caller);
    error EpochNotOver(uint32 epoch, uint32 currentEpoch);
    error EpochAlreadyClosed(uint32 epoch);
    error EpochNotClosed(uint32 epoch);
    error NothingToClaim(uint32 epoch, address member);
    error AlreadyClaimed(uint32 epoch, address member);
    error ClaimWindowOpen(uint32 epoch, uint32 sweepableFrom);
    error InsufficientFund(uint256 available, uint256 requested);
    error EpochLengthOutOfBounds(uint32 epochLength);
    error ZeroAddress();

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        _;
    }

    /// @param token_ CoopToken
    /// @param governance_ the timelock
    /// @param ledger_ the RideLedger: sole source of commission and patronage points
    /// @param schedule_ FareSchedule, for the commission split of each version
    /// @param epochLength_ seconds per patronage epoch; epoch 1 starts now
    constructor(IERC20 token_, address governance_, IPatronage ledger_, IFareSchedule schedule_, uint32 epochLength_) {
        if (epochLength_ < MIN_EPOCH_LENGTH || epochLength_ > MAX_EPOCH_LENGTH) revert EpochLengthOutOfBounds(epochLength_);
        token = token_;
        governance = governance_;
        ledger = ledger_;
        schedule = schedule_;
        epochLength = epochLength_;
        currentEpoch = 1;
        currentEpochEnd = uint64(block.timestamp) + epochLength_;
        emit EpochStarted(1, currentEpochEnd);
    }

    // ------------------------------------------------------------------ epochs

    /// @inheritdoc ITreasury
    function syncEpoch() public returns (uint32 epoch) {
        epoch = currentEpoch;
        uint64 end = currentEpochEnd;
        if (block.timestamp < end) return epoch;
        // Epochs with no activity are skipped over in one step: no loop however long the gap.
        uint64 length = epochLength;
        uint64 skipped = (uint64(block.timestamp) - end) / length;
        epoch += uint32(skipped) + 1;
        end += (skipped + 1) * length;
        currentEpoch = epoch;
        currentEpochEnd = end;
        emit EpochStarted(epoch, end);
    }

    /// @notice Closes a finished epoch so its members can claim; anyone may call it. An epoch in
    /// which nobody earned points gives its pool to the reserve.
    function closeEpoch(uint32 epoch) external {
        uint32 current = syncEpoch();
        if (epoch >= current || epoch == 0) revert EpochNotOver(epoch, current);
        Epoch storage e = _epochs[epoch];
        if (e.closed) revert EpochAlreadyClosed(epoch);
        e.closed = true;
        emit EpochClosed(epoch, e.pool, e.totalPoints);
        if (e.totalPoints == 0 && e.pool > 0) _toReserve(epoch, e, e.pool - e.claimed, false);
    }

    /// @notice Pays the caller its dividend for a closed epoch: pool x points / totalPoints,
    /// rounded down. The last claim of an epoch moves the rounding dust to the reserve.
    function claim(uint32 epoch) external nonReentrant returns (uint256 amount) {
        Epoch storage e = _epochs[epoch];
        if (!e.closed) revert EpochNotClosed(epoch);
        if (claimed[epoch][msg.sender]) revert AlreadyClaimed(epoch, msg.sender);
        uint256 points = ledger.pointsOf(msg.sender, epoch);
        if (points == 0) revert NothingToClaim(epoch, msg.sender);
        amount = uint256(e.pool) * points / e.totalPoints;
        claimed[epoch][msg.sender] = true;
        e.claimed += uint128(amount);
        e.claimedPoints += uint120(points);
        _funds.unclaimedDividends -= uint64(amount);
        emit DividendClaimed(epoch, msg.sender, points, amount);
        if (e.claimedPoints == e.totalPoints) _toReserve(epoch, e, e.pool - e.claimed, false);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice After CLAIM_EPOCHS epochs, what members left unclaimed goes to the reserve.
    function sweepUnclaimed(uint32 epoch) external {
        uint32 current = syncEpoch();
        Epoch storage e = _epochs[epoch];
        if (!e.closed) revert EpochNotClosed(epoch);
        uint32 from = epoch + CLAIM_EPOCHS;
        if (current < from) revert ClaimWindowOpen(epoch, from);
        _toReserve(epoch, e, e.pool - e.claimed, true);
    }

    function _toReserve(uint32 epoch, Epoch storage e, uint256 amount, bool sweep) private {
        if (amount == 0) return;
        e.claimed += uint128(amount);
        Funds memory f = _funds;
        f.unclaimedDividends -= uint64(amount);
        f.reserve += uint64(amount);
        _funds = f;
        if (sweep) emit UnclaimedSwept(epoch, amount);
        else emit DustToReserve(epoch, amount);
    }

    // ------------------------------------------------------------------ income

    /// @inheritdoc ITreasury
    /// @dev Dust of the split (rounding) goes to the reserve.
    function recordCommission(uint32 epoch, uint16 version, uint256 commission, uint256 points) external {
        if (msg.sender != address(ledger)) revert NotLedger(msg.sender);
        IFareSchedule.Params memory p = schedule.params(version);
        uint256 solidarity = commission * p.solidarityBps / BPS;
        uint256 operations = commission * p.operationsBps / BPS;
        uint256 dividends = commission * p.dividendBps / BPS;
        uint256 reserve = commission - solidarity - operations - dividends;
        Funds memory f = _funds;
        f.reserve += uint64(reserve);
        f.solidarity += uint64(solidarity);
        f.operations += uint64(operations);
        f.unclaimedDividends += uint64(dividends);
        _funds = f;
        Epoch storage e = _epochs[epoch];
        e.pool += uint128(dividends);
        e.totalPoints += uint128(points);
        emit CommissionRecorded(epoch, version, commission, reserve, solidarity, operations, dividends, points);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Pays `amount` from the solidarity fund to `to`, by member vote.
    /// @param reasonHash a commitment keccak256(abi.encodePacked(reason, salt)) with a random 32-byte salt kept off chain by
    /// the member and the committee (Java: org.ridecoop.governance.SolidarityPayout), never a plain
    /// hash of the reason: a short health reason is found by hashing a list of common ones. The
    /// contract treats it as opaque.
    function payFromSolidarity(address to, uint256 amount, bytes32 reasonHash) external onlyGovernance nonReentrant {
        _payOut(true, to, amount, reasonHash);
    }

    /// @notice Pays `amount` from the operations budget to `to`, by member vote.
    function payFromOperations(address to, uint256 amount, bytes32 reasonHash) external onlyGovernance nonReentrant {
        _payOut(false, to, amount, reasonHash);
    }

    /// @dev The one payout path for the two voted funds (the reserve has none): checks, the
    /// fund's debit, the event, then the transfer.
    function _payOut(bool solidarity, address to, uint256 amount, bytes32 reasonHash) private {
        if (to == address(0)) revert ZeroAddress();
        Funds memory f = _funds;
        uint64 available = solidarity ? f.solidarity : f.operations;
        if (amount > available) revert InsufficientFund(available, amount);
        if (solidarity) {
            f.solidarity -= uint64(amount);
            emit SolidarityPaid(to, amount, reasonHash);
        } else {
            f.operations -= uint64(amount);
            emit OperationsPaid(to, amount, reasonHash);
        }
        _funds = f;
        token.safeTransfer(to, amount);
    }

    /// @notice Sets the length of epochs that start after the current one ends.
    function setEpochLength(uint32 length) external onlyGovernance {
        if (length < MIN_EPOCH_LENGTH || length > MAX_EPOCH_LENGTH) revert EpochLengthOutOfBounds(length);
        syncEpoch();
        epochLength = length;
        emit EpochLengthChanged(length);
    }

    // ------------------------------------------------------------------ views

    /// @notice The co-op's funds: reserve, solidarity, operations, dividends not yet claimed.
    function funds() external view returns (uint256 reserve, uint256 solidarity, uint256 operations, uint256 unclaimedDividends) {
        Funds memory f = _funds;
        return (f.reserve, f.solidarity, f.operations, f.unclaimedDividends);
    }

    /// @notice An epoch's pool, total points, amount claimed (or swept) and whether it is closed.
    function epochInfo(uint32 epoch) external view returns (uint256 pool, uint256 totalPoints, uint256 claimedAmount, bool closed) {
        Epoch memory e = _epochs[epoch];
        return (e.pool, e.totalPoints, e.claimed, e.closed);
    }

    /// @notice What `member` would receive by claiming `epoch` now (0 if not claimable).
    function claimable(uint32 epoch, address member) external view returns (uint256) {
        Epoch memory e = _epochs[epoch];
        if (!e.closed || claimed[epoch][member] || e.totalPoints == 0) return 0;
        return uint256(e.pool) * ledger.pointsOf(member, epoch) / e.totalPoints;
    }
}
