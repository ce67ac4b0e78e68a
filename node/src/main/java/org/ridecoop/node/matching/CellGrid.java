package org.ridecoop.node.matching;

import com.uber.h3core.H3Core;
import com.uber.h3core.util.LatLng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The H3 grid at one resolution, with what the matching hot path needs cached per cell so that it
 * rarely crosses into the native library (about a microsecond a call):
 *
 * <ul>
 *   <li>each cell's {@link Shape}: centre, circumradius and edge planes, so a point is located in
 *       a cell by a few dot products (H3 cell edges are great-circle arcs, so a cell is exactly
 *       the spherical polygon of its boundary vertices);
 *   <li>the rings of cells around a pickup cell, with their shapes, from which a lower bound on
 *       the distance to anything outside the searched rings follows.
 * </ul>
 *
 * <p>Caches are bounded (emptied when full) and, like the rest of an engine, single-threaded; the
 * underlying {@link H3Core} is thread-safe and shared by the whole process.
 */
final class CellGrid {

  /** Cached cells; a city at resolution 9 has a few thousand, so emptying is rare. */
  private static final int KEPT = 1 << 17;

  /** Located points are remembered per square of 1/500 degree (about 220 m by 150 m in Paris). */
  private static final double QUANTA_PER_DEGREE = 500;

  private static final H3Core H3 = loadH3();

  private final int resolution;
  private final LongTable<Shape> shapes = new LongTable<>();
  private final LongTable<Shape> byQuantum = new LongTable<>();
  private final LongTable<Neighbourhood> neighbourhoods = new LongTable<>();

  CellGrid(int resolution) {
    this.resolution = resolution;
  }

  int resolution() {
    return resolution;
  }

  /** The cell of a point, straight from H3. */
  long cellOf(double lat, double lng) {
    return H3.latLngToCell(lat, lng, resolution);
  }

  /**
   * The cell of a point given in degrees and as a unit vector, without H3 when it can: first the
   * {@code hint} cell (a driver's previous cell, or 0) and its neighbours, then the cell last found
   * in the same small square of latitude and longitude and its neighbours. A point on an edge
   * belongs to either cell, which the search does not mind.
   */
  long locate(double lat, double lng, double x, double y, double z, long hint) {
    return locateShape(lat, lng, x, y, z, hint == 0 ? null : shape(hint)).cell;
  }

  /** As {@link #locate}, with the hint cell's shape (or null), returning the cell's shape. */
  Shape locateShape(double lat, double lng, double x, double y, double z, Shape hint) {
    if (hint != null) {
      Shape s = nearby(hint, x, y, z);
      if (s != null) {
        return s;
      }
    }
    long quantum = ((long) Math.floor(lat * QUANTA_PER_DEGREE) << 32)
        ^ ((long) Math.floor(lng * QUANTA_PER_DEGREE) & 0xffffffffL);
    Shape known = byQuantum.get(quantum);
    Shape s = known == null ? null : nearby(known, x, y, z);
    if (s == null) {
      s = shape(cellOf(lat, lng));
    }
    if (s != known) {
      if (byQuantum.size() >= KEPT) {
        byQuantum.clear();
      }
      byQuantum.put(quantum, s);
    }
    return s;
  }

  /** The given cell or one of its neighbours if it contains the point; else null. */
  private Shape nearby(Shape s, double x, double y, double z) {
    int outside = s.edgeOutside(x, y, z);
    if (outside < 0) {
      return s;
    }
    if (outside < Integer.MAX_VALUE) {
      // First the neighbour across the edge the point is beyond: a point that left its cell
      // has most often crossed into that one, and reading one cell beats reading six.
      Shape across = s.across(outside);
      if (across != null && across.contains(x, y, z)) {
        return across;
      }
    }
    for (Shape n : s.neighbours()) {
      if (n.contains(x, y, z)) {
        return n;
      }
    }
    return null;
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
      if (neighbourhoods.size() >= KEPT / 8) {
        neighbourhoods.clear();
      }
      n = new Neighbourhood(origin);
      neighbourhoods.put(origin, n);
    }
    return n;
  }

  Shape shape(long cell) {
    Shape s = shapes.get(cell);
    if (s == null) {
      if (shapes.size() >= KEPT) {
        // Shapes link to their neighbours; dropping the table only costs recomputation.
        shapes.clear();
      }
      s = new Shape(cell);
      shapes.put(cell, s);
    }
    return s;
  }

  private static H3Core loadH3() {
    try {
      return H3Core.newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the H3 native library", e);
    }
  }

  /** A cell's geometry on the unit sphere. */
  final class Shape {
    final long cell;
    final double x;
    final double y;
    final double z;
    /** Great-circle metres from the centre to the furthest boundary point, plus a metre. */
    final double circumradius;
    /** Per edge, the normal {nx, ny, nz} of its great-circle plane, pointing inside the cell. */
    private final double[] edgePlanes;
    /** False if a cell across an icosahedron edge turned out not convex: then ask H3. */
    private final boolean convex;
    private Shape[] neighbours;
    /** Per edge, the neighbour beyond it, computed on first use. */
    private Shape[] across;
    /**
     * The {@link DriverIndex}'s objects for this cell, remembered here so that the index finds
     * them from a located shape without a hash look-up; valid only while {@code indexStamp}
     * equals the index's stamp (see {@link DriverIndex#cellOf(Shape)}). Each grid serves one index.
     */
    DriverIndex.Cell indexCell;
    DriverIndex.Area indexArea;
    long indexStamp;

    private Shape(long cell) {
      this.cell = cell;
      LatLng centre = H3.cellToLatLng(cell);
      double[] c = Sphere.unit(centre.lat, centre.lng);
      x = c[0];
      y = c[1];
      z = c[2];
      List<LatLng> boundary = H3.cellToBoundary(cell);
      int n = boundary.size();
      double[][] v = new double[n][];
      double maxChord2 = 0;
      for (int i = 0; i < n; i++) {
        v[i] = Sphere.unit(boundary.get(i).lat, boundary.get(i).lng);
        maxChord2 = Math.max(maxChord2, Sphere.chord2(c, v[i]));
      }
      // H3 edges are great-circle arcs, so the vertex furthest from the centre bounds the cell;
      // one metre more absorbs floating-point error.
      circumradius = Sphere.exactMetres(maxChord2) + 1.0;
      edgePlanes = new double[3 * n];
      boolean allInside = true;
      for (int i = 0; i < n; i++) {
        double[] a = v[i];
        double[] b = v[(i + 1) % n];
        double nx = a[1] * b[2] - a[2] * b[1];
        double ny = a[2] * b[0] - a[0] * b[2];
        double nz = a[0] * b[1] - a[1] * b[0];
        if (nx * x + ny * y + nz * z < 0) {
          nx = -nx;
          ny = -ny;
          nz = -nz;
        }
        edgePlanes[3 * i] = nx;
        edgePlanes[3 * i + 1] = ny;
        edgePlanes[3 * i + 2] = nz;
        for (double[] w : v) {
          allInside &= nx * w[0] + ny * w[1] + nz * w[2] > -1e-12;
        }
      }
      convex = allInside;
    }

    /** Whether the point lies in this cell (edges included); false when unsure. */
    boolean contains(double px, double py, double pz) {
      if (!convex) {
        return false;
      }
      double[] p = edgePlanes;
      for (int i = 0; i < p.length; i += 3) {
        if (p[i] * px + p[i + 1] * py + p[i + 2] * pz < 0) {
          return false;
        }
      }
      return true;
    }

    /**
     * The first edge whose outside the point is on; -1 if the point is in this cell; {@link
     * Integer#MAX_VALUE} when unsure (a cell that is not convex).
     */
    int edgeOutside(double px, double py, double pz) {
      if (!convex) {
        return Integer.MAX_VALUE;
      }
      double[] p = edgePlanes;
      for (int i = 0; i < p.length; i += 3) {
        if (p[i] * px + p[i + 1] * py + p[i + 2] * pz < 0) {
          return i / 3;
        }
      }
      return -1;
    }

    /** The neighbour beyond edge {@code e}: the one whose centre lies furthest outside it. */
    Shape across(int e) {
      if (across == null) {
        Shape[] ns = neighbours();
        Shape[] found = new Shape[edgePlanes.length / 3];
        for (int i = 0; i < found.length; i++) {
          double best = Double.MAX_VALUE;
          for (Shape n : ns) {
            double side = edgePlanes[3 * i] * n.x + edgePlanes[3 * i + 1] * n.y
                + edgePlanes[3 * i + 2] * n.z;
            if (side < best) {
              best = side;
              found[i] = n;
            }
          }
        }
        across = found;
      }
      return across[e];
    }

    /** The cells around this one, computed on first use. */
    Shape[] neighbours() {
      if (neighbours == null) {
        List<Long> ring = H3.gridRing(cell, 1);
        Shape[] found = new Shape[ring.size()];
        for (int i = 0; i < found.length; i++) {
          found[i] = shape(ring.get(i));
        }
        neighbours = found;
      }
      return neighbours;
    }
  }

  /** The rings of cells around one pickup cell and their shapes. */
  final class Neighbourhood {
    private final long origin;
    private long[][] rings = new long[0][];
    /** Per ring, {x, y, z, circumradius} of each cell, flattened. */
    private double[][] ringShapes = new double[0][];
    /**
     * Per ring k, a lower bound in metres on the distance from the pickup cell's centre to any
     * point of ring k (0 for ring 0): the same bound as {@link #distanceBeyond}, taken from the
     * centre once, so that a search can stop without reading the next ring's cells.
     */
    private double[] fromCentre = new double[0];
    /** The pickup cell's centre, as a unit vector. */
    final double x;
    final double y;
    final double z;

    private Neighbourhood(long origin) {
      this.origin = origin;
      Shape s = shape(origin);
      x = s.x;
      y = s.y;
      z = s.z;
    }

    /**
     * A lower bound, in metres, on the distance from a point {@code metresFromCentre} from the
     * pickup cell's centre to anything beyond ring {@code k}; never more than {@link
     * #distanceBeyond}, and read from one number instead of the next ring's cells. Why it holds:
     * a point q beyond ring k is at least {@code fromCentre[k + 1]} from the centre (as in
     * distanceBeyond), and by the triangle inequality at least that minus {@code
     * metresFromCentre} from the point.
     */
    double quickDistanceBeyond(int k, double metresFromCentre) {
      if (k + 1 >= rings.length) {
        grow(k + 1);
      }
      return fromCentre[k + 1] - metresFromCentre;
    }

    /** Cells at grid distance exactly {@code k} from the pickup cell (k = 0: the cell itself). */
    long[] ring(int k) {
      if (k >= rings.length) {
        grow(k);
      }
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
      return distanceBeyond(k, x, y, z, null);
    }

    /**
     * As {@link #distanceBeyond(int, double, double, double)}, and fills {@code cellBounds} (if
     * not null) with the same lower bound for each cell of ring {@code k + 1}, in ring order: the
     * search then skips a cell of the next ring that cannot hold a driver near enough.
     */
    double distanceBeyond(int k, double x, double y, double z, double[] cellBounds) {
      if (k + 1 >= rings.length) {
        grow(k + 1);
      }
      double[] s = ringShapes[k + 1];
      double best = Double.MAX_VALUE;
      for (int i = 0, c = 0; i < s.length; i += 4, c++) {
        double chord = Math.sqrt(Sphere.chord2(x, y, z, s[i], s[i + 1], s[i + 2]));
        double bound = chord * Sphere.EARTH_RADIUS_METRES - s[i + 3];
        if (cellBounds != null) {
          cellBounds[c] = bound;
        }
        best = Math.min(best, bound);
      }
      return Math.max(0, best);
    }

    /** Number of cells in ring {@code k}. */
    int ringSize(int k) {
      return ring(k).length;
    }

    private void grow(int k) {
      long[][] grownRings = Arrays.copyOf(rings, k + 1);
      double[][] grownShapes = Arrays.copyOf(ringShapes, k + 1);
      double[] grownFromCentre = Arrays.copyOf(fromCentre, k + 1);
      for (int r = rings.length; r <= k; r++) {
        // gridRing (H3 4.x) falls back to a safe algorithm near pentagons by itself.
        List<Long> cells = H3.gridRing(origin, r);
        long[] ring = new long[cells.size()];
        double[] row = new double[cells.size() * 4];
        for (int i = 0; i < ring.length; i++) {
          ring[i] = cells.get(i);
          Shape s = shape(ring[i]);
          row[4 * i] = s.x;
          row[4 * i + 1] = s.y;
          row[4 * i + 2] = s.z;
          row[4 * i + 3] = s.circumradius;
        }
        grownRings[r] = ring;
        grownShapes[r] = row;
        double nearest = Double.MAX_VALUE;
        for (int i = 0; i < row.length && r > 0; i += 4) {
          // Great-circle metres, exact, less the circumradius (which has its metre of slack).
          double metres = Sphere.exactMetres(
              Sphere.chord2(x, y, z, row[i], row[i + 1], row[i + 2]));
          nearest = Math.min(nearest, metres - row[i + 3]);
        }
        grownFromCentre[r] = r == 0 ? 0 : Math.max(0, nearest - 1.0);
      }
      rings = grownRings;
      ringShapes = grownShapes;
      fromCentre = grownFromCentre;
    }
  }
}
