// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IMembershipHooks} from "./interfaces/IMembershipHooks.sol";

/// @title Membership
/// @notice Who belongs to the co-operative (SCIC): registered users, members in one of three
/// colleges with the share capital they paid, their status, their one vote, and the registry of
/// the nodes that driver members run.
///
/// Life of an account:
/// - `registerUser` -> Registered: may ride, has no vote.
/// - `join`/`joinWithPermit` (from Registered or Left) -> Active: pays `sharePrice` tokens of share
///   capital, kept here; one vote in its college whatever the capital.
/// - `requestLeave` (Active or Suspended): gives notice and loses the vote at once; the status
///   does not change until `completeLeave`, after `leaveNotice` seconds, refunds exactly the
///   capital paid and sets Left. A Left account may join again, in any college.
/// - `suspend` (Active -> Suspended), `reinstate` (Suspended -> Active) and `exclude`
///   (Active or Suspended -> Excluded) only by governance (the timelock, i.e. a passed proposal),
///   each with the hash of the reasons published off-chain. Suspended and Excluded accounts have
///   no vote. Exclusion is final: the account can never join again. Its capital is not
///   confiscated: `refundExcluded` pays it back to the excluded account once the notice period
///   counted from the exclusion has run (or the member's earlier own notice, if it had already
///   given one), exactly as if it had left.
///
/// Votes are checkpointed by block number (ERC-6372) so the governor reads them at a proposal's
/// snapshot: per account the value is `college + 1` while it is an Active member that has not given
/// notice, else 0; per college the number of such members. Every status change is pushed to the
/// RideLedger through IMembershipHooks.
contract Membership is IERC6372, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Status of an account. Values are part of the ABI (and of the Java MemberStatus).
    enum Status {
        None,
        Registered,
        Active,
        Suspended,
        Excluded,
        Left
    }

    /// @notice College of the worker members (drivers).
    uint8 public constant DRIVERS = 0;
    /// @notice College of the user members (riders).
    uint8 public constant RIDERS = 1;
    /// @notice College of the supporters (a city, an association...).
    uint8 public constant SUPPORTERS = 2;
    /// @notice Number of colleges; valid ids are below it.
    uint8 public constant COLLEGES = 3;

    /// @notice Upper bound on the share price a vote can set: 10,000 EUR (6 decimals).
    uint256 public constant MAX_SHARE_PRICE = 10_000e6;
    /// @notice Longest node endpoint URL, in bytes.
    uint256 public constant MAX_ENDPOINT_BYTES = 256;
    /// @notice Length of a Besu enode public key (uncompressed secp256k1 point without prefix).
    uint256 public constant ENODE_BYTES = 64;
    /// @notice Most service-area cells one node may declare.
    uint256 public constant MAX_NODE_CELLS = 64;
    /// @notice H3 resolution of the service-area cells (about 5 km² each: no address is revealed).
    uint8 public constant CELL_RESOLUTION = 7;

    /// @notice The settlement token share capital is paid in (CoopToken).
    IERC20 public immutable token;
    /// @notice The timelock: the only caller of the governance functions.
    address public immutable governance;
    /// @notice The RideLedger, told of every status change.
    IMembershipHooks public immutable ledger;
    /// @notice Seconds between a notice (or an exclusion) and the refund of the capital.
    uint32 public immutable leaveNotice;

    struct Member {
        Status status;
        uint8 college;
        uint48 noticeEnds; // 0: no pending refund; else unix time from which the capital is refunded
        uint128 capital; // share capital paid and not yet refunded, token base units
    }

    struct Node {
        address operator; // the driver member running the node
        uint32 position; // index in _nodeList plus one; 0 = not registered
        string endpoint; // URL where riders and other nodes reach the node
        bytes enode; // 64-byte secp256k1 public key of the Besu node, or empty
        uint64[] cells; // H3 resolution-7 cells the node serves
    }

    /// @notice Share capital one membership costs, token base units.
    uint256 public sharePrice;

    mapping(address account => Member) private _members;
    /// @dev value: college + 1 while the account votes, else 0
    mapping(address account => Checkpoints.Trace208) private _votes;
    mapping(uint256 college => Checkpoints.Trace208) private _collegeSizes;

    mapping(address node => Node) private _nodes;
    address[] private _nodeList;

    event UserRegistered(address indexed account);
    event MemberJoined(address indexed account, uint8 indexed college, uint256 capital);
    event LeaveRequested(address indexed account, uint64 refundAt);
    event MemberLeft(address indexed account, uint256 refund);
    event MemberSuspended(address indexed account, bytes32 reasonHash);
    event MemberExcluded(address indexed account, bytes32 reasonHash);
    event MemberReinstated(address indexed account, bytes32 reasonHash);
    event ExcludedCapitalRefunded(address indexed account, uint256 refund);
    event SharePriceChanged(uint256 oldPrice, uint256 newPrice);
    event NodeRegistered(address indexed node, address indexed operator, string endpoint, bytes enode, uint64[] cells);
    event NodeUpdated(address indexed node, address indexed operator, string endpoint, bytes enode, uint64[] cells);
    event NodeRemoved(address indexed node, address indexed operator, address removedBy);

    error NotGovernance(address caller);
    error ZeroAddress();
    error SharePriceOutOfRange(uint256 price, uint256 max);
    error UnknownCollege(uint8 college);
    /// @notice `account` is in `status`, from which the requested change is not possible.
    error InvalidStatus(address account, Status status);
    error AlreadyGivenNotice(address account, uint64 refundAt);
    error NoNoticeGiven(address account);
    error NoticeNotOver(address account, uint64 refundAt, uint64 now_);
    error NothingToRefund(address account);
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);
    error NotActiveDriver(address account);
    error NodeAlreadyRegistered(address node, address operator);
    error UnknownNode(address node);
    error NotNodeOperator(address node, address caller);
    error InvalidEndpoint(uint256 length);
    error InvalidEnode(uint256 length);
    error InvalidCellCount(uint256 count);
    error InvalidCell(uint64 cell);
    error NodeIndexOutOfRange(uint256 index, uint256 count);

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        _;
    }

    /// @param token_ CoopToken (share capital is paid in it)
    /// @param governance_ the timelock
    /// @param ledger_ the RideLedger (may be deployed after this contract; it is only called on
    ///        status changes)
    /// @param sharePrice_ initial share capital per membership, token base units
    /// @param leaveNotice_ seconds between a notice and the refund
    constructor(IERC20 token_, address governance_, IMembershipHooks ledger_, uint256 sharePrice_, uint32 leaveNotice_) {
        if (address(token_) == address(0) || governance_ == address(0) || address(ledger_) == address(0)) {
            revert ZeroAddress();
        }
        _checkSharePrice(sharePrice_);
        token = token_;
        governance = governance_;
        ledger = ledger_;
        sharePrice = sharePrice_;
        leaveNotice = leaveNotice_;
        emit SharePriceChanged(0, sharePrice_);
    }

    // ------------------------------------------------------------------ joining and leaving

    /// @notice Registers the caller as a user: it may deposit and ride, and has no vote.
    function registerUser() external {
        Member storage m = _members[msg.sender];
        if (m.status != Status.None) revert InvalidStatus(msg.sender, m.status);
        m.status = Status.Registered;
        emit UserRegistered(msg.sender);
        _statusChanged(msg.sender, m);
    }

    /// @notice Makes the caller (Registered or Left) an active member of `college`, paying
    /// `sharePrice` tokens of share capital (approve this contract first).
    /// @param college 0 drivers, 1 riders, 2 supporters
    function join(uint8 college) external nonReentrant {
        _join(college);
    }

    /// @notice `join` with an EIP-2612 permit for `sharePrice` tokens in the same transaction. A
    /// permit that fails (for instance front-run by someone who submitted it first) is ignored:
    /// the transfer then succeeds if the allowance is there anyway.
    function joinWithPermit(uint8 college, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), sharePrice, deadline, v, r, s) {} catch {}
        _join(college);
    }

    /// @notice Gives notice of leaving. The caller (Active or Suspended) loses its vote now and
    /// may call `completeLeave` once `leaveNotice` seconds have passed.
    function requestLeave() external {
        Member storage m = _members[msg.sender];
        if (m.status != Status.Active && m.status != Status.Suspended) revert InvalidStatus(msg.sender, m.status);
        if (m.noticeEnds != 0) revert AlreadyGivenNotice(msg.sender, m.noticeEnds);
        uint48 refundAt = Time.timestamp() + leaveNotice;
        m.noticeEnds = refundAt;
        emit LeaveRequested(msg.sender, refundAt);
        _syncVotes(msg.sender, m);
    }

    /// @notice Ends the caller's membership after its notice: refunds exactly the capital it paid
    /// and sets its status to Left.
    function completeLeave() external nonReentrant {
        Member storage m = _members[msg.sender];
        if (m.status != Status.Active && m.status != Status.Suspended) revert InvalidStatus(msg.sender, m.status);
        uint64 refundAt = m.noticeEnds;
        if (refundAt == 0) revert NoNoticeGiven(msg.sender);
        if (Time.timestamp() < refundAt) revert NoticeNotOver(msg.sender, refundAt, Time.timestamp());
        uint256 refund = m.capital;
        m.status = Status.Left;
        m.capital = 0;
        m.noticeEnds = 0;
        emit MemberLeft(msg.sender, refund);
        _statusChanged(msg.sender, m);
        if (refund != 0) token.safeTransfer(msg.sender, refund);
    }

    /// @notice Refunds the capital of an excluded account to that account, once the notice period
    /// since its exclusion has run. Anyone may call it; the tokens only ever go to `account`.
    function refundExcluded(address account) external nonReentrant {
        Member storage m = _members[account];
        if (m.status != Status.Excluded) revert InvalidStatus(account, m.status);
        uint256 refund = m.capital;
        if (refund == 0) revert NothingToRefund(account);
        uint64 refundAt = m.noticeEnds;
        if (Time.timestamp() < refundAt) revert NoticeNotOver(account, refundAt, Time.timestamp());
        m.capital = 0;
        m.noticeEnds = 0;
        emit ExcludedCapitalRefunded(account, refund);
        token.safeTransfer(account, refund);
    }

    // ------------------------------------------------------------------ governance

    /// @notice Suspends an active member (it loses its vote and may not book or drive); only
    /// through governance.
    /// @param reasonHash hash of the decision's reasons, published off-chain
    function suspend(address account, bytes32 reasonHash) external onlyGovernance {
        Member storage m = _members[account];
        if (m.status != Status.Active) revert InvalidStatus(account, m.status);
        m.status = Status.Suspended;
        emit MemberSuspended(account, reasonHash);
        _statusChanged(account, m);
    }

    /// @notice Excludes an active or suspended member for good; only through governance. Its
    /// capital becomes refundable by `refundExcluded` after the notice period.
    /// @param reasonHash hash of the decision's reasons, published off-chain
    function exclude(address account, bytes32 reasonHash) external onlyGovernance {
        Member storage m = _members[account];
        if (m.status != Status.Active && m.status != Status.Suspended) revert InvalidStatus(account, m.status);
        m.status = Status.Excluded;
        // A notice already given keeps its date: exclusion never delays a refund already due.
        if (m.noticeEnds == 0) m.noticeEnds = Time.timestamp() + leaveNotice;
        emit MemberExcluded(account, reasonHash);
        _statusChanged(account, m);
    }

    /// @notice Lifts a suspension; only through governance. The member votes again unless it has
    /// given notice.
    /// @param reasonHash hash of the decision's reasons, published off-chain
    function reinstate(address account, bytes32 reasonHash) external onlyGovernance {
        Member storage m = _members[account];
        if (m.status != Status.Suspended) revert InvalidStatus(account, m.status);
        m.status = Status.Active;
        emit MemberReinstated(account, reasonHash);
        _statusChanged(account, m);
    }

    /// @notice Sets the share capital future members pay (members keep what they paid); only
    /// through governance. Bounds: 0 < price <= MAX_SHARE_PRICE.
    function setSharePrice(uint256 newPrice) external onlyGovernance {
        _checkSharePrice(newPrice);
        uint256 old = sharePrice;
        sharePrice = newPrice;
        emit SharePriceChanged(old, newPrice);
    }

    // ------------------------------------------------------------------ member views

    /// @notice Status of `account`.
    function statusOf(address account) external view returns (Status) {
        return _members[account].status;
    }

    /// @notice College of `account` (meaningful for members, including suspended, excluded and
    /// left ones: the college they were last in).
    function collegeOf(address account) external view returns (uint8) {
        return _members[account].college;
    }

    /// @notice Share capital `account` has paid and not yet had refunded.
    function capitalOf(address account) external view returns (uint256) {
        return _members[account].capital;
    }

    /// @notice Unix time from which the capital of `account` is refundable (after a notice or an
    /// exclusion), 0 when none is pending.
    function refundAvailableAt(address account) external view returns (uint64) {
        return _members[account].noticeEnds;
    }

    // ------------------------------------------------------------------ votes (ERC-6372 clock)

    /// @notice The current block number: the clock votes are checkpointed with.
    function clock() public view returns (uint48) {
        return Time.blockNumber();
    }

    /// @notice ERC-6372 description of the clock.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=blocknumber&from=default";
    }

    /// @notice Current votes of `account`: 1 for an active member that has not given notice, else 0.
    function getVotes(address account) external view returns (uint256) {
        return _votes[account].latest() == 0 ? 0 : 1;
    }

    /// @notice Votes of `account` at block `timepoint` (< clock()): 0 or 1.
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        return _votes[account].upperLookupRecent(_pastTimepoint(timepoint)) == 0 ? 0 : 1;
    }

    /// @notice Whether `account` had a vote at block `timepoint` (< clock()) and in which college.
    function pastCollegeOf(address account, uint256 timepoint) external view returns (bool voting, uint8 college) {
        uint256 value = _votes[account].upperLookupRecent(_pastTimepoint(timepoint));
        if (value == 0) return (false, 0);
        return (true, uint8(value - 1));
    }

    /// @notice Number of members of `college` holding a vote now.
    function collegeSize(uint8 college) external view returns (uint256) {
        _checkCollege(college);
        return _collegeSizes[college].latest();
    }

    /// @notice Number of members of `college` holding a vote at block `timepoint` (< clock()).
    function pastCollegeSize(uint8 college, uint256 timepoint) external view returns (uint256) {
        _checkCollege(college);
        return _collegeSizes[college].upperLookupRecent(_pastTimepoint(timepoint));
    }

    /// @notice Number of members holding a vote now, all colleges together (= the sum of all
    /// `getVotes`).
    function votingMembers() external view returns (uint256) {
        return _collegeSizes[DRIVERS].latest() + _collegeSizes[RIDERS].latest() + _collegeSizes[SUPPORTERS].latest();
    }

    // ------------------------------------------------------------------ node registry

    /// @notice Registers a node the caller (an active driver member) operates.
    /// @param node the node's signing key (address), unique in the registry
    /// @param endpoint URL of the node, 1 to 256 bytes
    /// @param enode the Besu node's 64-byte public key, or empty for a node without a validator
    /// @param cells H3 resolution-7 cells the node serves, 1 to 64 of them
    function registerNode(address node, string calldata endpoint, bytes calldata enode, uint64[] calldata cells)
        external
    {
        _checkActiveDriver(msg.sender);
        if (node == address(0)) revert ZeroAddress();
        Node storage n = _nodes[node];
        if (n.position != 0) revert NodeAlreadyRegistered(node, n.operator);
        _checkNodeData(endpoint, enode, cells);
        _nodeList.push(node);
        n.operator = msg.sender;
        n.position = SafeCast.toUint32(_nodeList.length);
        n.endpoint = endpoint;
        n.enode = enode;
        n.cells = cells;
        emit NodeRegistered(node, msg.sender, endpoint, enode, cells);
    }

    /// @notice Replaces the endpoint, enode and cells of a node; only its operator, while it is
    /// an active driver member. Same limits as `registerNode`.
    function updateNode(address node, string calldata endpoint, bytes calldata enode, uint64[] calldata cells)
        external
    {
        Node storage n = _nodes[node];
        if (n.position == 0) revert UnknownNode(node);
        if (n.operator != msg.sender) revert NotNodeOperator(node, msg.sender);
        _checkActiveDriver(msg.sender);
        _checkNodeData(endpoint, enode, cells);
        n.endpoint = endpoint;
        n.enode = enode;
        n.cells = cells;
        emit NodeUpdated(node, msg.sender, endpoint, enode, cells);
    }

    /// @notice Removes a node from the registry; its operator or governance.
    function removeNode(address node) external {
        Node storage n = _nodes[node];
        if (n.position == 0) revert UnknownNode(node);
        address operator = n.operator;
        if (msg.sender != operator && msg.sender != governance) revert NotNodeOperator(node, msg.sender);
        // swap-and-pop keeps the list dense for nodeAt
        uint256 index = n.position - 1;
        uint256 last = _nodeList.length - 1;
        if (index != last) {
            address moved = _nodeList[last];
            _nodeList[index] = moved;
            _nodes[moved].position = uint32(index + 1);
        }
        _nodeList.pop();
        delete _nodes[node]; // clears endpoint, enode and cells too
        emit NodeRemoved(node, operator, msg.sender);
    }

    /// @notice The registration of `node`; an unknown node returns a zero operator and empty data.
    /// @return operator the driver member running it
    /// @return endpoint its URL
    /// @return enode its Besu public key (64 bytes) or empty
    /// @return cells the H3 cells it serves
    /// @return usable whether its operator is an active driver member now
    function nodeOf(address node)
        external
        view
        returns (address operator, string memory endpoint, bytes memory enode, uint64[] memory cells, bool usable)
    {
        Node storage n = _nodes[node];
        operator = n.operator;
        endpoint = n.endpoint;
        enode = n.enode;
        cells = n.cells;
        usable = operator != address(0) && _isActiveDriver(operator);
    }

    /// @notice Number of registered nodes.
    function nodeCount() external view returns (uint256) {
        return _nodeList.length;
    }

    /// @notice The `index`-th registered node (order changes when a node is removed).
    function nodeAt(uint256 index) external view returns (address) {
        if (index >= _nodeList.length) revert NodeIndexOutOfRange(index, _nodeList.length);
        return _nodeList[index];
    }

    // ------------------------------------------------------------------ internals

    function _join(uint8 college) private {
        _checkCollege(college);
        Member storage m = _members[msg.sender];
        if (m.status != Status.Registered && m.status != Status.Left) revert InvalidStatus(msg.sender, m.status);
        uint256 price = sharePrice;
        m.status = Status.Active;
        m.college = college;
        m.capital = SafeCast.toUint128(price); // a Left account was refunded in full: capital was 0
        emit MemberJoined(msg.sender, college, price);
        _statusChanged(msg.sender, m);
        token.safeTransferFrom(msg.sender, address(this), price);
    }

    /// @dev Brings the vote checkpoints in line with the member's record and tells the ledger.
    function _statusChanged(address account, Member storage m) private {
        _syncVotes(account, m);
        Status s = m.status;
        ledger.memberChanged(
            account, s == Status.Active, s == Status.Active && m.college == DRIVERS, s == Status.Suspended || s == Status.Excluded
        );
    }

    /// @dev An account votes while it is Active and has not given notice; its checkpoint holds
    /// college + 1 then. College sizes follow every change of that value.
    function _syncVotes(address account, Member storage m) private {
        uint256 wanted = (m.status == Status.Active && m.noticeEnds == 0) ? uint256(m.college) + 1 : 0;
        Checkpoints.Trace208 storage votes = _votes[account];
        uint256 had = votes.latest();
        if (had == wanted) return;
        uint48 now_ = clock();
        votes.push(now_, uint208(wanted));
        if (had != 0) {
            Checkpoints.Trace208 storage size = _collegeSizes[had - 1];
            size.push(now_, size.latest() - 1);
        }
        if (wanted != 0) {
            Checkpoints.Trace208 storage size = _collegeSizes[wanted - 1];
            size.push(now_, size.latest() + 1);
        }
    }

    function _pastTimepoint(uint256 timepoint) private view returns (uint48) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert ERC5805FutureLookup(timepoint, now_);
        return uint48(timepoint);
    }

    function _isActiveDriver(address account) private view returns (bool) {
        Member storage m = _members[account];
        return m.status == Status.Active && m.college == DRIVERS;
    }

    function _checkActiveDriver(address account) private view {
        if (!_isActiveDriver(account)) revert NotActiveDriver(account);
    }

    function _checkNodeData(string calldata endpoint, bytes calldata enode, uint64[] calldata cells) private pure {
        uint256 endpointLength = bytes(endpoint).length;
        if (endpointLength == 0 || endpointLength > MAX_ENDPOINT_BYTES) revert InvalidEndpoint(endpointLength);
        if (enode.length != 0 && enode.length != ENODE_BYTES) revert InvalidEnode(enode.length);
        if (cells.length == 0 || cells.length > MAX_NODE_CELLS) revert InvalidCellCount(cells.length);
        for (uint256 i = 0; i < cells.length; ++i) {
            uint64 cell = cells[i];
            // H3 index layout: bit 63 reserved (0), bits 59-62 mode (1 = cell), bits 52-55
            // resolution, and the 3-bit digits below the resolution all set to 7.
            if (
                cell >> 63 != 0 || (cell >> 59) & 0xF != 1 || (cell >> 52) & 0xF != CELL_RESOLUTION
                    || cell & 0xFFFFFF != 0xFFFFFF
            ) revert InvalidCell(cell);
        }
    }

    function _checkCollege(uint8 college) private pure {
        if (college >= COLLEGES) revert UnknownCollege(college);
    }

    function _checkSharePrice(uint256 price) private pure {
        if (price == 0 || price > MAX_SHARE_PRICE) revert SharePriceOutOfRange(price, MAX_SHARE_PRICE);
    }
}
