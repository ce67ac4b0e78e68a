/**
 * The node's assembly: {@link org.ridecoop.node.NodeRuntime} starts Vert.x, the key, the store,
 * the {@link org.ridecoop.node.NodeComponent}s listed by {@link org.ridecoop.node.NodeComponents}
 * and the HTTP API, and stops them in reverse; {@link org.ridecoop.node.NodeServices} is what the
 * components are given. Capabilities live in their own packages ({@code config}, {@code store},
 * {@code api}, {@code matching}, ...); the launcher is in {@code cli}.
 */
package org.ridecoop.node;
