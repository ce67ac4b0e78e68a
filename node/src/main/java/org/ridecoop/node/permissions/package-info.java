/**
 * The permissions sync: keeps a Besu validator's account and node allowlists equal to the
 * membership. Besu removed contract-based permissioning in 25.6.0, so this bridge follows
 * {@code Membership} and drives Besu's local permissioning through its {@code perm_*} JSON-RPC
 * methods. The diff is plain domain code ({@link org.ridecoop.node.permissions.AllowlistDiff});
 * the chain and Besu sides are thin adapters.
 */
package org.ridecoop.node.permissions;
