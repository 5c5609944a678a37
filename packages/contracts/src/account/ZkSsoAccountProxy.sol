// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @title ZkSsoAccountProxy
/// @notice ERC-1967 proxy of a zkSSO account. Unlike OZ 5.7's ERC1967Proxy it accepts empty init data, so its
///         init code depends only on the implementation (protocol §9): the factory initialises the account in
///         the same transaction. Upgrades go through the implementation's UUPS `upgradeToAndCall`.
contract ZkSsoAccountProxy is Proxy {
    constructor(address implementation) {
        ERC1967Utils.upgradeToAndCall(implementation, "");
    }

    function _implementation() internal view override returns (address) {
        return ERC1967Utils.getImplementation();
    }

    /// @dev Plain ETH transfers reach the implementation's `receive`.
    receive() external payable {
        _fallback();
    }
}
