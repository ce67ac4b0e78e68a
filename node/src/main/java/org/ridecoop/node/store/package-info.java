/**
 * What the node keeps that the chain does not, in an embedded SQLite database
 * ({@code <dataDir>/node.db}, WAL, {@code synchronous=FULL}): {@link org.ridecoop.node.store.RideStore}
 * (open requests, offers, rides in progress), {@link org.ridecoop.node.store.ReceiptQueue}
 * (co-signed receipts awaiting settlement), {@link org.ridecoop.node.store.IndexerCursor} (event
 * indexer position and de-duplication), {@link org.ridecoop.node.store.PeerDirectory} and
 * {@link org.ridecoop.node.store.UsedNonces}. Each interface says what is kept; the {@code Jdbc*}
 * classes say how. {@link org.ridecoop.node.store.SqliteStore} opens the file and applies the
 * numbered schema migrations in {@code migrations/}.
 */
package org.ridecoop.node.store;
