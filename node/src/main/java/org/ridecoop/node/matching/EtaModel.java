package org.ridecoop.node.matching;

/**
 * Estimates how long a driver needs to reach a pickup from the straight-line (great-circle)
 * distance between them. Candidates are ranked by this estimate and the batch assignment
 * minimises the sum of it.
 *
 * <p>Contract: the estimate never decreases when the distance grows. The ring search relies on it
 * to stop early: once no unsearched driver can be closer than the candidates it holds, none can
 * be sooner either.
 */
@FunctionalInterface
public interface EtaModel {

  /**
   * Estimated time to pickup.
   *
   * @param metres great-circle distance from the driver to the pickup, {@code >= 0}
   * @return whole seconds, {@code >= 0}, non-decreasing in {@code metres}
   */
  int etaSeconds(int metres);
}
