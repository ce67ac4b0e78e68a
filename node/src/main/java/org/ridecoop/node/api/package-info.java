/**
 * The node's HTTP surface: {@link org.ridecoop.node.api.HttpApiVerticle} (health, readiness,
 * Prometheus metrics, the OpenAPI document, and feature routes plugged in as
 * {@link org.ridecoop.node.api.ApiRoutes}), one error body for every failure
 * ({@link org.ridecoop.node.api.ApiError}), strict request-body reading
 * ({@link org.ridecoop.node.api.StrictJson}) and the node's own meters
 * ({@link org.ridecoop.node.api.NodeMetrics}). It calls services; services never call it.
 */
package org.ridecoop.node.api;
