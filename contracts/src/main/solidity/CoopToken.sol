// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title CoopToken
/// @notice The co-op's settlement unit: a euro token with 6 decimals and EIP-2612 permit, so a
/// rider can approve and deposit in one transaction. Tokens enter through the on-ramp (euros
/// received by the co-op's bank account are minted) and leave through the off-ramp (burned here,
/// paid out in euros off-chain against `payoutRef`).
/// @dev The admin role belongs to the timelock: only a member vote can name or remove an on-ramp.
contract CoopToken is ERC20, ERC20Permit, AccessControl {
    /// @notice Role allowed to mint tokens against euros received.
    bytes32 public constant ON_RAMP_ROLE = keccak256("ON_RAMP_ROLE");

    /// @notice Emitted when euros received off-chain are minted to `to`.
    event OnRamped(address indexed to, uint256 amount, bytes32 indexed paymentRef);
    /// @notice Emitted when `from` burns tokens to be paid out in euros off-chain.
    event OffRamped(address indexed from, uint256 amount, bytes32 indexed payoutRef);

    /// @notice Thrown for a zero amount where a positive one is required.
    error ZeroAmount();

    /// @param governance the timelock: holds the admin role, and thus grants and revokes on-ramps
    /// @param firstOnRamp the first on-ramp operator (may be the zero address: none until voted)
    constructor(address governance, address firstOnRamp) ERC20("CoopEuro", "cEUR") ERC20Permit("CoopEuro") {
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        if (firstOnRamp != address(0)) _grantRole(ON_RAMP_ROLE, firstOnRamp);
    }

    /// @notice 6 decimals, like the euro cent split a further 10,000 times.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` to `to` against a euro payment identified by `paymentRef`.
    function onRamp(address to, uint256 amount, bytes32 paymentRef) external onlyRole(ON_RAMP_ROLE) {
        if (amount == 0) revert ZeroAmount();
        _mint(to, amount);
        emit OnRamped(to, amount, paymentRef);
    }

    /// @notice Burns `amount` of the caller's tokens, to be paid out in euros against `payoutRef`.
    function offRamp(uint256 amount, bytes32 payoutRef) external {
        if (amount == 0) revert ZeroAmount();
        _burn(msg.sender, amount);
        emit OffRamped(msg.sender, amount, payoutRef);
    }
}
