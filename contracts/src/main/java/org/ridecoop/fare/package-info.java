/**
 * The fare rule: parameters as voted ({@link org.ridecoop.fare.FareParams}) and the one formula
 * ({@link org.ridecoop.fare.Fare}), twin of the contracts' {@code FareMath.fare}.
 */
package org.ridecoop.fare;
