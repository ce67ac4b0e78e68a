/**
 * The node's earnings-statement route: {@code GET /v1/members/:addr/statement}, a member's
 * statement for a period signed by this node's key (the statement itself is the SDK's
 * {@link org.ridecoop.sdk.statement.Statement}).
 */
package org.ridecoop.node.statement;
