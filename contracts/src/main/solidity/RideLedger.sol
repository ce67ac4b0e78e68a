// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IFareSchedule} from "./interfaces/IFareSchedule.sol";
import {IFareScheduleListener} from "./interfaces/IFareScheduleListener.sol";
import {IMembershipHooks} from "./interfaces/IMembershipHooks.sol";
import {ITreasury} from "./interfaces/ITreasury.sol";
import {IPatronage} from "./interfaces/IPatronage.sol";
import {FareMath} from "./FareMath.sol";

/// @title RideLedger
/// @notice Rider wallets, rides in escrow, their settlement, cancellations, timeouts and disputes,
/// and drivers' earnings. Money moves between internal balances; tokens move only on deposit,
/// withdrawal, and once per settlement transaction towards the Treasury.
/// @dev Gas is the design driver (see BENCHMARKS.md):
/// - a ride is one storage slot, and each rider has a ring of RIDE_SLOTS slots reused ride after
///   ride (a nonzero-to-nonzero write costs 5,000 gas where a fresh slot costs 22,100);
/// - a rider's wallet (balance, ride nonce, patronage points) is one slot, a driver's account
///   (earnings, points, cancellations) is one slot;
/// - membership and the current fare version are pushed here by Membership and FareSchedule,
///   so booking makes no cross-contract call;
/// - settleBatch aggregates the driver's pay and the co-op's commission in memory and writes them
///   once per batch.
/// A ride id is `uint256(uint160(rider)) << 32 | rideNonce`: unique forever, and it names the slot.
contract RideLedger is EIP712, ReentrancyGuardTransient, IMembershipHooks, IFareScheduleListener, IPatronage {
    using SafeERC20 for IERC20;

    /// @notice Open (unsettled) rides a rider can have at once; slot = rideNonce % RIDE_SLOTS.
    uint256 public constant RIDE_SLOTS = 8;
    uint16 private constant BPS = 10_000;

    bytes32 public constant OFFER_TYPEHASH = keccak256(
        "Offer(bytes32 requestHash,address rider,address driver,uint256 maxFare,uint64 rideNonce,uint32 etaSeconds,uint16 scheduleVersion,uint64 expiry)"
    );
    bytes32 public constant TRIP_RECEIPT_TYPEHASH = keccak256(
        "TripReceipt(uint256 rideId,uint32 distanceMetres,uint32 durationSeconds,uint64 pickupAt,uint64 dropoffAt,bytes32 routeHash)"
    );

    /// @notice A driver's signed offer for a rider's request; the rider books it. The signed
    /// EIP-712 Offer also names the rider: that is the caller of `book`, so it is not sent again.
    struct Offer {
        // EIP-712 struct hash of the rider's RideRequest, opaque here (only signed over and emitted).
        // The request itself (cells, a random salt) stays off chain; the salt is what keeps the
        // cells from being recovered from this public hash by hashing every cell pair of a city.
        bytes32 requestHash;
        address driver;
        uint256 maxFare; // quoted maximum, locked in escrow
        uint64 rideNonce; // must equal the rider's next ride nonce: single use
        uint32 etaSeconds;
        uint16 scheduleVersion; // must be the current version
        uint64 expiry; // unix seconds
    }

    /// @notice An EIP-2098 compact signature (r, yParity and s in one word): 64 bytes of calldata
    /// instead of a 65-byte dynamic `bytes`, which saves about 500 gas per signature.
    struct CompactSignature {
        bytes32 r;
        bytes32 vs;
    }

    /// @notice What was driven. The rider co-signs it; the driver (or its node) submits it.
    struct TripReceipt {
        uint256 rideId;
        uint32 distanceMetres;
        uint32 durationSeconds;
        uint64 pickupAt;
        uint64 dropoffAt;
        bytes32 routeHash; // hash of the route kept off-chain
    }

    /// @notice A TripReceipt as settlement calldata carries it, in three words instead of six
    /// (calldata is the largest per-ride cost after the signature check):
    /// `ride` = rideId << 64 | distanceMetres << 32 | durationSeconds, `times` = pickupAt << 64 |
    /// dropoffAt. The rider still signs the EIP-712 TripReceipt with its named fields.
    struct PackedReceipt {
        uint256 ride;
        uint256 times;
        bytes32 routeHash;
    }

    enum RideStatus {
        None,
        Booked,
        ReceiptPending, // driver's receipt, not co-signed: stands after the dispute window
        Disputed,
        Settled,
        CancelledByRider,
        CancelledByDriver,
        Reclaimed, // not started in time: refunded to the rider
        Resolved // dispute ruled by the committee
    }

    /// @dev One slot. `amount` is the escrow (the quoted maximum, then the fare once a receipt is
    /// pending); `time` is booking time, then receipt or dispute time; `tag` = bits 3..10 of the
    /// ride nonce, so a slot reused by a later ride is never mistaken for an earlier one.
    struct Ride {
        address driver;
        uint32 amount;
        uint32 time;
        uint16 version;
        RideStatus status;
        uint8 tag;
    }

    /// @dev One slot per rider.
    struct Wallet {
        uint96 balance; // unlocked funds
        uint32 nonce; // next ride nonce
        uint88 points; // patronage points in `pointsEpoch`
        uint32 pointsEpoch;
        uint8 flags;
    }

    /// @dev One slot per driver.
    struct DriverAccount {
        uint96 earnings; // withdrawable
        uint88 points;
        uint32 pointsEpoch;
        uint32 cancellations; // rides the driver cancelled
        uint8 flags;
    }

    uint8 private constant PATRON = 1; // wallet: active member, earns rider patronage
    uint8 private constant BARRED = 2; // wallet: suspended or excluded
    uint8 private constant ACTIVE_DRIVER = 1; // driver: active member of the drivers college

    IERC20 public immutable token;
    ITreasury public immutable treasury;
    IFareSchedule public immutable schedule;
    address public immutable membership;
    address public immutable governance;

    /// @notice The fare version new bookings must name.
    uint16 public currentScheduleVersion;
    /// @notice Seconds after booking after which a ride with no receipt may be reclaimed by the rider.
    uint32 public bookingTimeout;
    /// @notice Seconds a rider has to dispute a receipt it did not co-sign.
    uint32 public disputeWindow;
    /// @notice Rules disputes; elected by governance.
    address public disputeCommittee;

    mapping(address => Wallet) private _wallets;
    mapping(address => DriverAccount) private _drivers;
    mapping(address => Ride[RIDE_SLOTS]) private _rides;
    mapping(uint32 epoch => mapping(address => uint256)) private _archivedPoints;
    /// @notice driver => operator (e.g. the driver's node key) => may act for the driver.
    mapping(address => mapping(address => bool)) public isOperator;

    event Deposited(address indexed rider, uint256 amount);
    event Withdrawn(address indexed rider, uint256 amount);
    event EarningsWithdrawn(address indexed driver, uint256 amount);
    event RideBooked(uint256 indexed rideId, address indexed driver, bytes32 requestHash, uint256 maxFare, uint16 version);
    event ReceiptSubmitted(uint256 indexed rideId, uint256 fare, uint32 distanceMetres, uint32 durationSeconds, bytes32 routeHash);
    /// @dev The driver and the escrow are in RideBooked (and ReceiptSubmitted); the refund is escrow - fare.
    event RideSettled(uint256 indexed rideId, uint256 fare, uint256 commission);
    event RideCancelled(uint256 indexed rideId, address indexed by, uint256 feeToDriver, uint256 refund);
    event RideReclaimed(uint256 indexed rideId, uint256 refund);
    event RideDisputed(uint256 indexed rideId, address indexed by, bytes32 evidenceHash);
    event DisputeResolved(uint256 indexed rideId, uint256 driverFare, uint256 riderRefund, bytes32 rulingHash);
    event OperatorSet(address indexed driver, address indexed operator, bool allowed);
    event MemberFlagsChanged(address indexed account, bool patron, bool driver, bool barred);
    event ScheduleVersionChanged(uint16 version);
    event TimeoutsChanged(uint32 bookingTimeout, uint32 disputeWindow);
    event DisputeCommitteeChanged(address committee);

    error NotGovernance(address caller);
    error NotMembership(address caller);
    error NotFareSchedule(address caller);
    error NotDisputeCommittee(address caller);
    error ZeroAmount();
    error AmountTooLarge(uint256 amount, uint256 max);
    error InsufficientBalance(uint256 available, uint256 needed);
    error AccountBarred(address account);
    error NotRider(uint256 rideId, address caller);
    error NotDriver(uint256 rideId, address caller);
    error DriverNotActive(address driver);
    error OfferExpired(uint64 expiry, uint256 nowTime);
    error WrongRideNonce(uint64 expected, uint64 given);
    error WrongScheduleVersion(uint16 current, uint16 given);
    error InvalidSignature(address expectedSigner);
    error RideSlotBusy(uint256 rideId, uint256 openRideId);
    error UnknownRide(uint256 rideId);
    error WrongRideStatus(uint256 rideId, RideStatus status);
    error ReceiptTimesInvalid(uint64 bookedAt, uint64 pickupAt, uint64 dropoffAt);
    error TooEarly(uint256 rideId, uint256 allowedFrom);
    error DisputeWindowClosed(uint256 rideId, uint256 closedAt);
    error RulingTooLarge(uint256 driverFare, uint256 escrow);
    error LengthMismatch(uint256 receipts, uint256 signatures);
    error TimeoutOutOfBounds(uint32 value, uint32 min, uint32 max);
    error ZeroAddress();

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        _;
    }

    /// @param token_ CoopToken
    /// @param schedule_ FareSchedule (deployed before: its current version is read here)
    /// @param treasury_ Treasury
    /// @param membership_ Membership (sole caller of memberChanged)
    /// @param governance_ the timelock
    /// @param committee the first dispute committee
    /// @param bookingTimeout_ seconds before an unstarted ride may be reclaimed
    /// @param disputeWindow_ seconds a rider has to dispute a receipt it did not co-sign
    constructor(
        IERC20 token_,
        IFareSchedule schedule_,
        ITreasury treasury_,
        address membership_,
        address governance_,
        address committee,
        uint32 bookingTimeout_,
        uint32 disputeWindow_
    ) EIP712("RideCoop RideLedger", "1") {
        token = token_;
        schedule = schedule_;
        treasury = treasury_;
        membership = membership_;
        governance = governance_;
        disputeCommittee = committee;
        _setTimeouts(bookingTimeout_, disputeWindow_);
        currentScheduleVersion = schedule_.currentVersion();
    }

    // ------------------------------------------------------------------ wallets

    /// @notice Moves `amount` tokens from the caller into its ride wallet (needs an allowance).
    function deposit(uint256 amount) external nonReentrant {
        _deposit(amount);
    }

    /// @notice Approves by EIP-2612 permit and deposits in one transaction. A permit that was
    /// front-run (already used) does not make the deposit fail if the allowance is there.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _deposit(amount);
    }

    function _deposit(uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Wallet storage w = _wallets[msg.sender];
        if (w.flags & BARRED != 0) revert AccountBarred(msg.sender);
        uint256 balance = uint256(w.balance) + amount;
        if (balance > type(uint96).max) revert AmountTooLarge(balance, type(uint96).max);
        w.balance = uint96(balance);
        emit Deposited(msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Withdraws `amount` of the caller's unlocked wallet balance (never escrowed funds).
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Wallet storage w = _wallets[msg.sender];
        if (amount > w.balance) revert InsufficientBalance(w.balance, amount);
        w.balance -= uint96(amount);
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Withdraws `amount` of the caller's driver earnings.
    function withdrawEarnings(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        DriverAccount storage d = _drivers[msg.sender];
        if (amount > d.earnings) revert InsufficientBalance(d.earnings, amount);
        d.earnings -= uint96(amount);
        emit EarningsWithdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Lets `operator` (typically the driver's node key) submit receipts and cancel rides
    /// for the caller, or revokes it.
    function setOperator(address operator, bool allowed) external {
        if (operator == address(0)) revert ZeroAddress();
        isOperator[msg.sender][operator] = allowed;
        emit OperatorSet(msg.sender, operator, allowed);
    }

    // ------------------------------------------------------------------ booking

    /// @notice Books `offer` for the caller (the rider): checks the driver's EIP-712 signature,
    /// locks `offer.maxFare` from the caller's wallet under the current fare version.
    /// @return rideId the new ride's id
    function book(Offer calldata offer, CompactSignature calldata driverSignature) external returns (uint256 rideId) {
        if (block.timestamp > offer.expiry) revert OfferExpired(offer.expiry, block.timestamp);
        uint16 version = currentScheduleVersion;
        if (offer.scheduleVersion != version) revert WrongScheduleVersion(version, offer.scheduleVersion);
        if (offer.maxFare == 0) revert ZeroAmount();
        if (offer.maxFare > type(uint32).max) revert AmountTooLarge(offer.maxFare, type(uint32).max);

        Wallet memory w = _wallets[msg.sender];
        if (w.flags & BARRED != 0) revert AccountBarred(msg.sender);
        if (offer.rideNonce != w.nonce) revert WrongRideNonce(w.nonce, offer.rideNonce);
        if (offer.maxFare > w.balance) revert InsufficientBalance(w.balance, offer.maxFare);
        if (_drivers[offer.driver].flags & ACTIVE_DRIVER == 0) revert DriverNotActive(offer.driver);

        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(
            OFFER_TYPEHASH, offer.requestHash, msg.sender, offer.driver, offer.maxFare,
            offer.rideNonce, offer.etaSeconds, offer.scheduleVersion, offer.expiry)));
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, driverSignature.r, driverSignature.vs);
        if (err != ECDSA.RecoverError.NoError || signer != offer.driver) revert InvalidSignature(offer.driver);

        uint256 slot = w.nonce % RIDE_SLOTS;
        Ride storage ride = _rides[msg.sender][slot];
        RideStatus previous = ride.status;
        if (previous == RideStatus.Booked || previous == RideStatus.ReceiptPending || previous == RideStatus.Disputed) {
            revert RideSlotBusy(_rideId(msg.sender, w.nonce), _rideId(msg.sender, _nonceOf(w.nonce, ride.tag)));
        }

        rideId = _rideId(msg.sender, w.nonce);
        w.balance -= uint96(offer.maxFare);
        w.nonce += 1;
        _wallets[msg.sender] = w;
        _rides[msg.sender][slot] = Ride({
            driver: offer.driver,
            amount: uint32(offer.maxFare),
            time: uint32(block.timestamp),
            version: version,
            status: RideStatus.Booked,
            tag: uint8(offer.rideNonce >> 3)
        });
        emit RideBooked(rideId, offer.driver, offer.requestHash, offer.maxFare, version);
    }

    // ------------------------------------------------------------------ settlement

    /// @dev What a settlement transaction owes outside the rider's wallet, aggregated in memory.
    struct Tally {
        uint32 epoch;
        address driver;
        uint256 driverPay;
        uint256 driverPoints;
        uint16 version;
        IFareSchedule.Params params;
        uint256 commission;
        uint256 points;
        uint256 commissionTotal;
    }

    /// @notice Settles one ride with a receipt co-signed by the rider (caller: driver or operator).
    function settle(PackedReceipt calldata receipt, CompactSignature calldata riderSignature) external nonReentrant {
        Tally memory t = _openTally();
        _settleCosigned(t, _unpack(receipt), riderSignature);
        _closeTally(t);
    }

    /// @notice Settles many co-signed receipts in one transaction: the transaction base cost, the
    /// treasury transfer and the driver's account write are paid once.
    function settleBatch(PackedReceipt[] calldata receipts, CompactSignature[] calldata riderSignatures) external nonReentrant {
        if (receipts.length != riderSignatures.length) revert LengthMismatch(receipts.length, riderSignatures.length);
        Tally memory t = _openTally();
        for (uint256 i; i < receipts.length; ++i) {
            _settleCosigned(t, _unpack(receipts[i]), riderSignatures[i]);
        }
        _closeTally(t);
    }

    function _settleCosigned(Tally memory t, TripReceipt memory r, CompactSignature calldata riderSignature) private {
        (address rider, Ride storage ride, Ride memory m) = _load(r.rideId);
        if (m.status != RideStatus.Booked) revert WrongRideStatus(r.rideId, m.status);
        _checkActor(r.rideId, m.driver);
        _checkTimes(m.time, r);
        bytes32 digest = _hashTypedDataV4(_receiptStructHash(r));
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, riderSignature.r, riderSignature.vs);
        if (err != ECDSA.RecoverError.NoError || signer != rider) revert InvalidSignature(rider);

        _useVersion(t, m.version);
        uint256 fare = FareMath.fare(t.params, r.distanceMetres, r.durationSeconds);
        if (fare > m.amount) fare = m.amount; // the quoted maximum caps the fare
        ride.status = RideStatus.Settled;
        _pay(t, r.rideId, rider, m.driver, fare, m.amount - fare);
    }

    /// @notice Submits a receipt the rider has not co-signed (caller: driver or operator). The fare
    /// is fixed now and the rest of the escrow returned to the rider; the receipt stands after the
    /// dispute window unless the rider disputes it.
    function submitReceipt(PackedReceipt calldata packed) external nonReentrant {
        TripReceipt memory r = _unpack(packed);
        (address rider, Ride storage ride, Ride memory m) = _load(r.rideId);
        if (m.status != RideStatus.Booked) revert WrongRideStatus(r.rideId, m.status);
        _checkActor(r.rideId, m.driver);
        _checkTimes(m.time, r);
        uint256 fare = FareMath.fare(schedule.params(m.version), r.distanceMetres, r.durationSeconds);
        if (fare > m.amount) fare = m.amount;
        uint256 refund = m.amount - fare;
        ride.amount = uint32(fare);
        ride.time = uint32(block.timestamp);
        ride.status = RideStatus.ReceiptPending;
        _wallets[rider].balance += uint96(refund);
        emit ReceiptSubmitted(r.rideId, fare, r.distanceMetres, r.durationSeconds, r.routeHash);
    }

    /// @notice The rider accepts a pending receipt at once instead of waiting for the window.
    function confirmReceipt(uint256 rideId) external nonReentrant {
        (address rider, Ride storage ride, Ride memory m) = _load(rideId);
        if (msg.sender != rider) revert NotRider(rideId, msg.sender);
        if (m.status != RideStatus.ReceiptPending) revert WrongRideStatus(rideId, m.status);
        Tally memory t = _openTally();
        _useVersion(t, m.version);
        ride.status = RideStatus.Settled;
        _pay(t, rideId, rider, m.driver, m.amount, 0);
        _closeTally(t);
    }

    /// @notice Settles pending receipts whose dispute window has passed; anyone may call it.
    function finalizeReceipts(uint256[] calldata rideIds) external nonReentrant {
        Tally memory t = _openTally();
        for (uint256 i; i < rideIds.length; ++i) {
            (address rider, Ride storage ride, Ride memory m) = _load(rideIds[i]);
            if (m.status != RideStatus.ReceiptPending) revert WrongRideStatus(rideIds[i], m.status);
            uint256 from = uint256(m.time) + disputeWindow;
            if (block.timestamp < from) revert TooEarly(rideIds[i], from);
            _useVersion(t, m.version);
            ride.status = RideStatus.Settled;
            _pay(t, rideIds[i], rider, m.driver, m.amount, 0);
        }
        _closeTally(t);
    }

    // ------------------------------------------------------------------ cancellations, timeouts, disputes

    /// @notice The rider cancels a booked ride: free within the version's grace period, then the
    /// cancellation fee (at most the escrow) goes to the driver, for the trip towards the pickup.
    function cancelByRider(uint256 rideId) external nonReentrant {
        (address rider, Ride storage ride, Ride memory m) = _load(rideId);
        if (msg.sender != rider) revert NotRider(rideId, msg.sender);
        if (m.status != RideStatus.Booked) revert WrongRideStatus(rideId, m.status);
        uint256 fee;
        IFareSchedule.Params memory p = schedule.params(m.version);
        if (block.timestamp > uint256(m.time) + p.cancellationGrace) {
            fee = p.cancellationFee < m.amount ? p.cancellationFee : m.amount;
        }
        ride.status = RideStatus.CancelledByRider;
        _wallets[rider].balance += uint96(m.amount - fee);
        if (fee > 0) _drivers[m.driver].earnings += uint96(fee);
        emit RideCancelled(rideId, msg.sender, fee, m.amount - fee);
    }

    /// @notice The driver (or its operator) cancels a booked ride: the rider gets everything back
    /// and the cancellation counts against the driver.
    function cancelByDriver(uint256 rideId) external nonReentrant {
        (address rider, Ride storage ride, Ride memory m) = _load(rideId);
        if (m.status != RideStatus.Booked) revert WrongRideStatus(rideId, m.status);
        _checkActor(rideId, m.driver);
        ride.status = RideStatus.CancelledByDriver;
        _wallets[rider].balance += uint96(m.amount);
        _drivers[m.driver].cancellations += 1;
        emit RideCancelled(rideId, msg.sender, 0, m.amount);
    }

    /// @notice The rider takes back the escrow of a ride that got no receipt within bookingTimeout.
    function reclaim(uint256 rideId) external nonReentrant {
        (address rider, Ride storage ride, Ride memory m) = _load(rideId);
        if (msg.sender != rider) revert NotRider(rideId, msg.sender);
        if (m.status != RideStatus.Booked) revert WrongRideStatus(rideId, m.status);
        uint256 from = uint256(m.time) + bookingTimeout;
        if (block.timestamp < from) revert TooEarly(rideId, from);
        ride.status = RideStatus.Reclaimed;
        _wallets[rider].balance += uint96(m.amount);
        emit RideReclaimed(rideId, m.amount);
    }

    /// @notice Freezes a ride's escrow until the dispute committee rules. The rider may dispute a
    /// booked ride or a pending receipt within the dispute window; the driver a booked ride.
    function dispute(uint256 rideId, bytes32 evidenceHash) external {
        (address rider, Ride storage ride, Ride memory m) = _load(rideId);
        if (msg.sender == rider) {
            if (m.status == RideStatus.ReceiptPending) {
                uint256 closesAt = uint256(m.time) + disputeWindow;
                if (block.timestamp >= closesAt) revert DisputeWindowClosed(rideId, closesAt);
            } else if (m.status != RideStatus.Booked) {
                revert WrongRideStatus(rideId, m.status);
            }
        } else {
            _checkActor(rideId, m.driver);
            if (m.status != RideStatus.Booked) revert WrongRideStatus(rideId, m.status);
        }
        ride.status = RideStatus.Disputed;
        ride.time = uint32(block.timestamp);
        emit RideDisputed(rideId, msg.sender, evidenceHash);
    }

    /// @notice The dispute committee rules: `driverFare` of the frozen escrow is paid as the fare
    /// (commission and patronage apply as for any settled ride), the rest returns to the rider.
    function resolveDispute(uint256 rideId, uint256 driverFare, bytes32 rulingHash) external nonReentrant {
        if (msg.sender != disputeCommittee) revert NotDisputeCommittee(msg.sender);
        (address rider, Ride storage ride, Ride memory m) = _load(rideId);
        if (m.status != RideStatus.Disputed) revert WrongRideStatus(rideId, m.status);
        if (driverFare > m.amount) revert RulingTooLarge(driverFare, m.amount);
        Tally memory t = _openTally();
        _useVersion(t, m.version);
        ride.status = RideStatus.Resolved;
        _pay(t, rideId, rider, m.driver, driverFare, m.amount - driverFare);
        _closeTally(t);
        emit DisputeResolved(rideId, driverFare, m.amount - driverFare, rulingHash);
    }

    // ------------------------------------------------------------------ hooks and governance

    /// @inheritdoc IMembershipHooks
    function memberChanged(address account, bool patron, bool driver, bool barred) external {
        if (msg.sender != membership) revert NotMembership(msg.sender);
        Wallet storage w = _wallets[account];
        w.flags = (patron ? PATRON : 0) | (barred ? BARRED : 0);
        _drivers[account].flags = driver ? ACTIVE_DRIVER : 0;
        emit MemberFlagsChanged(account, patron, driver, barred);
    }

    /// @inheritdoc IFareScheduleListener
    function fareScheduleChanged(uint16 version) external {
        if (msg.sender != address(schedule)) revert NotFareSchedule(msg.sender);
        currentScheduleVersion = version;
        emit ScheduleVersionChanged(version);
    }

    /// @notice Elects the dispute committee; by member vote.
    function setDisputeCommittee(address committee) external onlyGovernance {
        if (committee == address(0)) revert ZeroAddress();
        disputeCommittee = committee;
        emit DisputeCommitteeChanged(committee);
    }

    /// @notice Sets the booking timeout and the dispute window; by member vote.
    function setTimeouts(uint32 bookingTimeout_, uint32 disputeWindow_) external onlyGovernance {
        _setTimeouts(bookingTimeout_, disputeWindow_);
    }

    function _setTimeouts(uint32 bookingTimeout_, uint32 disputeWindow_) private {
        if (bookingTimeout_ < 10 minutes || bookingTimeout_ > 7 days) revert TimeoutOutOfBounds(bookingTimeout_, 10 minutes, 7 days);
        if (disputeWindow_ < 1 hours || disputeWindow_ > 30 days) revert TimeoutOutOfBounds(disputeWindow_, 1 hours, 30 days);
        bookingTimeout = bookingTimeout_;
        disputeWindow = disputeWindow_;
        emit TimeoutsChanged(bookingTimeout_, disputeWindow_);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IPatronage
    function pointsOf(address account, uint32 epoch) external view returns (uint256 points) {
        points = _archivedPoints[epoch][account];
        Wallet memory w = _wallets[account];
        if (w.pointsEpoch == epoch) points += w.points;
        DriverAccount memory d = _drivers[account];
        if (d.pointsEpoch == epoch) points += d.points;
    }

    /// @notice A rider's unlocked balance and next ride nonce.
    function walletOf(address rider) external view returns (uint256 balance, uint64 nextRideNonce, bool patron, bool barred) {
        Wallet memory w = _wallets[rider];
        return (w.balance, w.nonce, w.flags & PATRON != 0, w.flags & BARRED != 0);
    }

    /// @notice A driver's withdrawable earnings, cancellations, and whether it may take rides.
    function driverOf(address driver) external view returns (uint256 earnings, uint256 cancellations, bool active) {
        DriverAccount memory d = _drivers[driver];
        return (d.earnings, d.cancellations, d.flags & ACTIVE_DRIVER != 0);
    }

    /// @notice A ride as stored; status None if `rideId` names no ride (or a slot since reused).
    function rideOf(uint256 rideId) external view returns (address rider, address driver, uint256 escrow, uint256 time, uint16 version, RideStatus status) {
        rider = address(uint160(rideId >> 32));
        uint32 nonce = uint32(rideId);
        Ride memory m = _rides[rider][nonce % RIDE_SLOTS];
        if (m.status == RideStatus.None || m.tag != uint8(nonce >> 3) || nonce >= _wallets[rider].nonce) {
            return (rider, address(0), 0, 0, 0, RideStatus.None);
        }
        return (rider, m.driver, m.amount, m.time, m.version, m.status);
    }

    /// @notice The EIP-712 domain separator (chain id and this contract's address included).
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The EIP-712 digest a rider signs to co-sign `r`.
    function receiptDigest(TripReceipt calldata r) external view returns (bytes32) {
        return _hashTypedDataV4(_receiptStructHash(r));
    }

    /// @notice Packs a receipt as `settle`, `settleBatch` and `submitReceipt` take it.
    function packReceipt(TripReceipt calldata r) external pure returns (PackedReceipt memory) {
        if (r.rideId >> 192 != 0) revert UnknownRide(r.rideId);
        return PackedReceipt(
            (r.rideId << 64) | (uint256(r.distanceMetres) << 32) | r.durationSeconds,
            (uint256(r.pickupAt) << 64) | r.dropoffAt,
            r.routeHash);
    }

    // ------------------------------------------------------------------ internals

    function _rideId(address rider, uint256 nonce) private pure returns (uint256) {
        return (uint256(uint160(rider)) << 32) | nonce;
    }

    /// @dev The smallest nonce >= 0 with this slot's tag; used only to name the busy ride in an error.
    function _nonceOf(uint256 nextNonce, uint8 tag) private pure returns (uint256) {
        uint256 slot = nextNonce % RIDE_SLOTS;
        uint256 candidate = (nextNonce & ~uint256(2047)) | (uint256(tag) << 3) | slot;
        return candidate >= nextNonce ? candidate - 2048 : candidate;
    }

    function _load(uint256 rideId) private view returns (address rider, Ride storage ride, Ride memory m) {
        rider = address(uint160(rideId >> 32));
        uint32 nonce = uint32(rideId);
        if (rideId >> 192 != 0) revert UnknownRide(rideId);
        ride = _rides[rider][nonce % RIDE_SLOTS];
        m = ride;
        if (m.status == RideStatus.None || m.tag != uint8(nonce >> 3)) revert UnknownRide(rideId);
    }

    function _checkActor(uint256 rideId, address driver) private view {
        if (msg.sender != driver && !isOperator[driver][msg.sender]) revert NotDriver(rideId, msg.sender);
    }

    /// @dev A pickup cannot precede the booking: this also makes an old receipt useless against a
    /// later ride that reuses the same slot and tag.
    function _checkTimes(uint32 bookedAt, TripReceipt memory r) private view {
        if (r.pickupAt < bookedAt || r.dropoffAt < r.pickupAt || r.dropoffAt > block.timestamp) {
            revert ReceiptTimesInvalid(bookedAt, r.pickupAt, r.dropoffAt);
        }
    }

    function _unpack(PackedReceipt calldata p) private pure returns (TripReceipt memory r) {
        uint256 ride = p.ride;
        uint256 times = p.times;
        r.rideId = ride >> 64;
        r.distanceMetres = uint32(ride >> 32);
        r.durationSeconds = uint32(ride);
        r.pickupAt = uint64(times >> 64);
        r.dropoffAt = uint64(times);
        r.routeHash = p.routeHash;
    }

    function _receiptStructHash(TripReceipt memory r) private pure returns (bytes32) {
        return keccak256(abi.encode(
            TRIP_RECEIPT_TYPEHASH, r.rideId, r.distanceMetres, r.durationSeconds, r.pickupAt, r.dropoffAt, r.routeHash));
    }

    function _openTally() private returns (Tally memory t) {
        t.epoch = treasury.syncEpoch();
    }

    /// @dev Switches the tally to fare version `version`, flushing the previous version's commission.
    function _useVersion(Tally memory t, uint16 version) private {
        if (t.version == version) return;
        _flushCommission(t);
        t.version = version;
        t.params = schedule.params(version);
    }

    /// @dev Pays one ride: rider refund and patronage now; driver pay and commission into the tally.
    function _pay(Tally memory t, uint256 rideId, address rider, address driver, uint256 fare, uint256 refund) private {
        uint256 commission = fare * t.params.commissionBps / BPS;
        Wallet memory w = _wallets[rider];
        w.balance += uint96(refund);
        if (w.flags & PATRON != 0) {
            uint256 riderPoints = fare * t.params.riderPatronageBps / BPS;
            if (riderPoints > 0) {
                (w.points, w.pointsEpoch) = _accrue(rider, w.points, w.pointsEpoch, t.epoch, riderPoints);
                t.points += riderPoints;
            }
        }
        _wallets[rider] = w;
        if (driver != t.driver) {
            _flushDriver(t);
            t.driver = driver;
        }
        t.driverPay += fare - commission;
        t.driverPoints += fare;
        t.commission += commission;
        emit RideSettled(rideId, fare, commission);
    }

    function _accrue(address account, uint88 points, uint32 pointsEpoch, uint32 epoch, uint256 add)
        private returns (uint88, uint32)
    {
        if (pointsEpoch != epoch) {
            // The slot holds another epoch's points: archive them before reusing it.
            if (points > 0) _archivedPoints[pointsEpoch][account] += points;
            points = 0;
            pointsEpoch = epoch;
        }
        return (uint88(uint256(points) + add), pointsEpoch);
    }

    function _flushDriver(Tally memory t) private {
        if (t.driver == address(0)) return;
        DriverAccount memory d = _drivers[t.driver];
        d.earnings += uint96(t.driverPay);
        if (t.driverPoints > 0) {
            (d.points, d.pointsEpoch) = _accrue(t.driver, d.points, d.pointsEpoch, t.epoch, t.driverPoints);
            t.points += t.driverPoints;
        }
        _drivers[t.driver] = d;
        t.driverPay = 0;
        t.driverPoints = 0;
    }

    function _flushCommission(Tally memory t) private {
        if (t.version == 0) return;
        // The driver's pending points belong to this version's flush too.
        _flushDriver(t);
        if (t.commission == 0 && t.points == 0) return;
        t.commissionTotal += t.commission;
        if (t.commission > 0) token.safeTransfer(address(treasury), t.commission);
        treasury.recordCommission(t.epoch, t.version, t.commission, t.points);
        t.commission = 0;
        t.points = 0;
    }

    function _closeTally(Tally memory t) private {
        _flushDriver(t);
        _flushCommission(t);
    }
}
