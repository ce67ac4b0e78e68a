// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IFareSchedule
/// @notice Versioned fare parameters voted by the members. A version, once published, never
/// changes: a ride keeps the version it was booked under until it is settled.
interface IFareSchedule {
    /// @notice One version of the fare rules. Amounts are CoopToken base units (6 decimals);
    /// shares are basis points (1/10,000).
    struct Params {
        uint32 baseFare; // charged on every completed ride
        uint32 perKm; // per 1,000 metres driven
        uint32 perMinute; // per 60 seconds of ride time
        uint32 minimumFare; // floor of base + distance + time (booking fee excluded)
        uint32 bookingFee; // added to every completed ride, after the minimum
        uint32 cancellationFee; // paid to the driver when the rider cancels after the grace period
        uint32 cancellationGrace; // seconds after booking during which a rider cancels for free
        uint16 commissionBps; // co-op's share of the fare
        uint16 reserveBps; // share of the commission to the indivisible reserve (>= 5,750)
        uint16 solidarityBps; // share of the commission to the solidarity fund
        uint16 operationsBps; // share of the commission to the operations budget
        uint16 dividendBps; // share of the commission to the epoch's dividend pool
        uint16 riderPatronageBps; // patronage points a rider member earns per unit of fare paid
    }

    /// @notice The version new bookings use (versions start at 1).
    function currentVersion() external view returns (uint16);

    /// @notice The parameters of `version`; reverts with UnknownVersion for a version never published.
    function params(uint16 version) external view returns (Params memory);

    /// @notice The one definition of a fare: max(minimumFare, baseFare + distance + time) + bookingFee,
    /// where distance + time = floor((perKm * metres * 3 + perMinute * seconds * 50) / 3000).
    function fare(uint16 version, uint256 metres, uint256 seconds_) external view returns (uint256);
}
