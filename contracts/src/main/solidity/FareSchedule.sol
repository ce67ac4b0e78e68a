// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IFareSchedule} from "./interfaces/IFareSchedule.sol";
import {IFareScheduleListener} from "./interfaces/IFareScheduleListener.sol";
import {FareMath} from "./FareMath.sol";

/// @title FareSchedule
/// @notice The fare rules the members voted, as immutable numbered versions. Only the timelock
/// (i.e. a passed and delayed proposal) publishes a new version; a ride keeps the version it was
/// booked under.
contract FareSchedule is IFareSchedule {
    /// @notice SCIC legal floor: at least 57.5 % of the surplus goes to the indivisible reserve.
    uint16 public constant RESERVE_FLOOR_BPS = 5750;
    uint16 public constant BPS = 10_000;
    /// @notice Hard sanity bounds that no vote can exceed (token base units, 6 decimals).
    uint32 public constant MAX_BASE_FARE = 100e6;
    uint32 public constant MAX_PER_KM = 20e6;
    uint32 public constant MAX_PER_MINUTE = 10e6;
    uint32 public constant MAX_MINIMUM_FARE = 200e6;
    uint32 public constant MAX_BOOKING_FEE = 20e6;
    uint32 public constant MAX_CANCELLATION_FEE = 50e6;
    uint32 public constant MAX_CANCELLATION_GRACE = 1 hours;
    uint16 public constant MAX_COMMISSION_BPS = 3000;

    /// @notice The timelock: the only publisher.
    address public immutable governance;
    /// @notice Told of every new version (the RideLedger).
    IFareScheduleListener public immutable listener;

    uint16 private _current;
    mapping(uint16 version => Params) private _versions;

    /// @notice A new version is current from this block on.
    event FareSchedulePublished(uint16 indexed version, Params params);

    error NotGovernance(address caller);
    error UnknownVersion(uint16 version);
    /// @param field index of the offending field in Params declaration order
    error FareParameterOutOfBounds(uint8 field, uint256 value, uint256 max);
    error CommissionSplitNotWhole(uint256 sumBps);
    error ReserveBelowLegalFloor(uint16 reserveBps, uint16 floorBps);

    /// @param governance_ the timelock
    /// @param listener_ the RideLedger (told of later versions; reads the first one itself)
    /// @param initial version 1
    constructor(address governance_, IFareScheduleListener listener_, Params memory initial) {
        governance = governance_;
        listener = listener_;
        _store(initial);
    }

    /// @notice Publishes `p` as the next version; only through governance.
    function publish(Params calldata p) external returns (uint16 version) {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        version = _store(p);
        listener.fareScheduleChanged(version);
    }

    /// @inheritdoc IFareSchedule
    function currentVersion() external view returns (uint16) {
        return _current;
    }

    /// @inheritdoc IFareSchedule
    function params(uint16 version) public view returns (Params memory) {
        if (version == 0 || version > _current) revert UnknownVersion(version);
        return _versions[version];
    }

    /// @inheritdoc IFareSchedule
    function fare(uint16 version, uint256 metres, uint256 seconds_) external view returns (uint256) {
        return FareMath.fare(params(version), metres, seconds_);
    }

    function _store(Params memory p) private returns (uint16 version) {
        _check(p);
        version = _current + 1;
        _current = version;
        _versions[version] = p;
        emit FareSchedulePublished(version, p);
    }

    function _check(Params memory p) private pure {
        _bound(0, p.baseFare, MAX_BASE_FARE);
        _bound(1, p.perKm, MAX_PER_KM);
        _bound(2, p.perMinute, MAX_PER_MINUTE);
        _bound(3, p.minimumFare, MAX_MINIMUM_FARE);
        _bound(4, p.bookingFee, MAX_BOOKING_FEE);
        _bound(5, p.cancellationFee, MAX_CANCELLATION_FEE);
        _bound(6, p.cancellationGrace, MAX_CANCELLATION_GRACE);
        _bound(7, p.commissionBps, MAX_COMMISSION_BPS);
        _bound(12, p.riderPatronageBps, BPS);
        uint256 sum = uint256(p.reserveBps) + p.solidarityBps + p.operationsBps + p.dividendBps;
        if (sum != BPS) revert CommissionSplitNotWhole(sum);
        if (p.reserveBps < RESERVE_FLOOR_BPS) revert ReserveBelowLegalFloor(p.reserveBps, RESERVE_FLOOR_BPS);
    }

    function _bound(uint8 field, uint256 value, uint256 max) private pure {
        if (value > max) revert FareParameterOutOfBounds(field, value, max);
    }
}
