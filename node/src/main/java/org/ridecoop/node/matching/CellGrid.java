package org.ridecoop.node.matching;

import com.uber.h3core.H3Core;
import com.uber.h3core.util.LatLng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The H3 grid at one resolution, with the geometry the ring search needs cached per cell: the ring
 * of cells at each grid distance from a pickup cell, and each cell's centre and circumradius, from
 * which a lower bound on the distance to anything outside the searched rings follows.
 *
 * <p>Not thread-safe (its caches are plain maps); each engine owns one. The underlying
 * {@link H3Core} is thread-safe and shared by the whole process.
 */
final class CellGrid {

  /** Pickup cells whose rings are remembered; a city at resolution 9 has a few thousand cells. */
  private static final int NEIGHBOURHOODS_KEPT = 1 << 14;

  /** Cells whose centre and circumradius are remembered. */
  private static final int SHAPES_KEPT = 1 << 16;

  private static final H3Core H3 = loadH3();

  private final int resolution;
  private final Map<Long, Neighbourhood> neighbourhoods = lru(NEIGHBOURHOODS_KEPT);
  private final Map<Long, double[]> shapes = lru(SHAPES_KEPT);

  CellGrid(int resolution) {
    this.resolution = resolution;
  }

  int resolution() {
    return resolution;
  }

  long cellOf(double lat, double lng) {
    return H3.latLngToCell(lat, lng, resolution);
  }

  /** Grid distance between two cells, or -1 when H3 cannot tell (too far, across a pentagon). */
  int gridDistance(long a, long b) {
    try {
      long d = H3.gridDistance(a, b);
      return d > Integer.MAX_VALUE ? -1 : (int) d;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The rings around a pickup cell, computed on first use and kept. */
  Neighbourhood around(long origin) {
    Neighbourhood n = neighbourhoods.get(origin);
    if (n == null) {
      n = new Neighbourhood(origin);
      neighbourhoods.put(origin, n);
    }
    return n;
  }

  /** {x, y, z, circumradius in metres} of a cell. */
  private double[] shape(long cell) {
    double[] s = shapes.get(cell);
    if (s == null) {
      LatLng centre = H3.cellToLatLng(cell);
      double[] c = Sphere.unit(centre.lat, centre.lng);
      double maxChord2 = 0;
      for (LatLng vertex : H3.cellToBoundary(cell)) {
        maxChord2 = Math.max(maxChord2, Sphere.chord2(c, Sphere.unit(vertex.lat, vertex.lng)));
      }
      // H3 edges are great-circle arcs, so the vertex furthest from the centre bounds the cell;
      // one metre more absorbs floating-point error.
      s = new double[] {c[0], c[1], c[2], Sphere.exactMetres(maxChord2) + 1.0};
      shapes.put(cell, s);
    }
    return s;
  }

  private static <K, V> Map<K, V> lru(int capacity) {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  private static H3Core loadH3() {
    try {
      return H3Core.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the H3 native library", e);
    }
  }

  /** The rings of cells around one pickup cell and their shapes. */
  final class Neighbourhood {
    private final long origin;
    private long[][] rings = new long[0][];
    /** Per ring, {x, y, z, circumradius} of each cell, flattened. */
    private double[][] ringShapes = new double[0][];

    private Neighbourhood(long origin) {
      this.origin = origin;
    }

    /** Cells at grid distance exactly {@code k} from the pickup cell (k = 0: the cell itself). */
    long[] ring(int k) {
      ensure(k);
      return rings[k];
    }

    /**
     * A lower bound, in metres, on the great-circle distance from the point {@code (x, y, z)}
     * (which lies in the pickup cell) to any point in a cell at grid distance greater than
     * {@code k}.
     *
     * <p>Why it holds: the way from the point out of the disk of rings 0..k crosses its border,
     * and that border belongs to cells of ring k + 1; any point of such a cell is at least the
     * distance to its centre minus its circumradius away, and the great-circle distance is at
     * least the chord.
     */
    double distanceBeyond(int k, double x, double y, double z) {
      ensure(k + 1);
      double[] s = ringShapes[k + 1];
      double best = Double.MAX_VALUE;
      for (int i = 0; i < s.length; i += 4) {
        double chord = Math.sqrt(Sphere.chord2(x, y, z, s[i], s[i + 1], s[i + 2]));
        best = Math.min(best, chord * Sphere.EARTH_RADIUS_METRES - s[i + 3]);
      }
      return Math.max(0, best);
    }

    private void ensure(int k) {
      if (k < rings.length) {
        return;
      }
      long[][] grownRings = java.util.Arrays.copyOf(rings, k + 1);
      double[][] grownShapes = java.util.Arrays.copyOf(ringShapes, k + 1);
      for (int r = rings.length; r <= k; r++) {
        // gridRing (H3 4.x) falls back to a safe algorithm near pentagons by itself.
        List<Long> cells = H3.gridRing(origin, r);
        long[] ring = new long[cells.size()];
        double[] shapeRow = new double[cells.size() * 4];
        for (int i = 0; i < ring.length; i++) {
          ring[i] = cells.get(i);
          System.arraycopy(shape(ring[i]), 0, shapeRow, i * 4, 4);
        }
        grownRings[r] = ring;
        grownShapes[r] = shapeRow;
      }
      rings = grownRings;
      ringShapes = grownShapes;
    }
  }
}
