// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

contract CoopToken is ERC20, ERC20Permit {
    constructor() ERC20("CoopEuro", "cEUR") ERC20Permit("CoopEuro") {}
    function decimals() public pure override returns (uint8) { return 6; }
}
