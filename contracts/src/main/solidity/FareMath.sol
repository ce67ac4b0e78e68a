// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IFareSchedule} from "./interfaces/IFareSchedule.sol";

/// @title FareMath
/// @notice The single definition of a fare. FareSchedule.fare exposes it; RideLedger applies it
/// to parameters it has already loaded; the Java twin (org.ridecoop.fare.Fare) is tested against it.
library FareMath {
    /// @notice max(minimumFare, baseFare + variable) + bookingFee, where
    /// variable = floor((perKm * metres * 3 + perMinute * seconds * 50) / 3000)
    /// i.e. perKm per 1,000 m plus perMinute per 60 s, rounded down once, in token base units.
    function fare(IFareSchedule.Params memory p, uint256 metres, uint256 seconds_) internal pure returns (uint256) {
        uint256 variable = (uint256(p.perKm) * metres * 3 + uint256(p.perMinute) * seconds_ * 50) / 3000;
        uint256 metered = uint256(p.baseFare) + variable;
        if (metered < p.minimumFare) metered = p.minimumFare;
        return metered + p.bookingFee;
    }
}
