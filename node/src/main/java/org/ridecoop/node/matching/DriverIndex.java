package org.ridecoop.node.matching;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The free and reserved drivers that are online, indexed by H3 cell.
 *
 * <p>Each cell keeps its drivers, and their positions as unit vectors, in arrays; a driver
 * remembers its slot, so leaving a cell is a swap with the cell's last driver. Going online,
 * moving (to another cell or within one) and going offline are therefore O(1): a few hash
 * look-ups and array writes. A move is located in the driver's previous cell or one of its
 * neighbours by plane tests ({@link CellGrid#locate}), without a call to H3.
 *
 * <p>The search reads a pickup's {@link Area}: the rings of cells around it as direct references
 * to cell objects, so it does no hash look-up per cell. It reads each cell's positions and
 * reservation flags in order and touches a driver object only when that driver is near enough
 * and free: on a busy machine each object touched is a likely cache miss, and those misses, not
 * the arithmetic, were most of the search's time.
 *
 * <p>For those references to stay valid, a cell object lives on when its last driver leaves.
 * Empty cells are dropped in bulk (and every area with them) once they outnumber the occupied
 * ones by far ({@link #purgeIfBloated}), so memory still follows the drivers online, not every
 * cell ever visited.
 */
final class DriverIndex {

  /** Doubles per driver in a cell's position array: x, y, z of the unit vector, 1 if reserved. */
  static final int STRIDE = 4;

  /** Empty cells are kept until there are more than this many cells in all (about 2 MiB of
   * empty cells: a sparse area's wide searches must not rebuild their rings every time)... */
  private static final int PURGE_FLOOR = 1 << 15;
  /** ...and more than this many times as many cells as occupied ones. */
  private static final int PURGE_RATIO = 4;
  /** Areas cached; a city at resolution 9 has a few thousand pickup cells. */
  private static final int AREAS_KEPT = 1 << 14;

  /** An online driver: where it is, in which cell, and whether an offer holds it. */
  static final class Driver {
    final DriverId id;
    LatLng position;
    double x;
    double y;
    double z;
    long cell;
    Cell home;
    int slot;
    /** The ride this driver is offered, or null when free. One offer at a time. */
    MatchingEngine.Ride reservedFor;
    /** Scratch for the engine's window: the window that last saw this driver as a candidate,
     * and the first ride (then the column) it was a candidate of in that window. */
    long seenInWindow;
    int windowSlot;

    Driver(DriverId id) {
      this.id = id;
    }

    void place(LatLng p) {
      double[] u = Sphere.unit(p);
      position = p;
      x = u[0];
      y = u[1];
      z = u[2];
    }

    /** Holds this driver for a ride's offer, or frees it ({@code ride == null}). */
    void reserve(MatchingEngine.Ride ride) {
      reservedFor = ride;
      if (home != null) {
        home.write(this);
      }
    }
  }

  /**
   * The drivers in one H3 cell, and where each is: per slot {x, y, z, reserved} in one array, so
   * the search reads a cell in one or two cache lines without touching its drivers.
   */
  static final class Cell {
    private static final Driver[] NO_DRIVERS = new Driver[0];
    private static final double[] NO_POSITIONS = new double[0];

    final long id;
    /** The cell's shape once known (to locate a driver moving out of it), else null. */
    CellGrid.Shape shape;
    Driver[] drivers = NO_DRIVERS;
    double[] positions = NO_POSITIONS;
    int size;

    Cell(long id) {
      this.id = id;
    }

    void add(Driver d) {
      if (size == drivers.length) {
        int capacity = Math.max(4, size * 2);
        drivers = Arrays.copyOf(drivers, capacity);
        positions = Arrays.copyOf(positions, capacity * STRIDE);
      }
      d.home = this;
      d.slot = size;
      drivers[size] = d;
      size++;
      write(d);
    }

    /** Copies the driver's position and reservation into its slot. */
    void write(Driver d) {
      int i = STRIDE * d.slot;
      positions[i] = d.x;
      positions[i + 1] = d.y;
      positions[i + 2] = d.z;
      positions[i + 3] = d.reservedFor == null ? 0 : 1;
    }

    void remove(Driver d) {
      int last = --size;
      Driver tail = drivers[last];
      drivers[d.slot] = tail;
      System.arraycopy(positions, STRIDE * last, positions, STRIDE * d.slot, STRIDE);
      tail.slot = d.slot;
      drivers[last] = null;
      d.home = null;
      if (size == 0 && drivers.length > 8) {
        // A crowd has left (a station at night): do not keep its arrays for an empty cell.
        drivers = NO_DRIVERS;
        positions = NO_POSITIONS;
      }
    }
  }

  /**
   * The rings of cells around one pickup cell, as cell objects (empty ones included), with the
   * geometry that bounds the distance beyond each ring.
   */
  final class Area {
    final CellGrid.Neighbourhood geometry;
    private Cell[][] rings = new Cell[0][];

    private Area(CellGrid.Neighbourhood geometry) {
      this.geometry = geometry;
    }

    /** Cells at grid distance exactly {@code k} from the pickup cell (k = 0: the cell itself). */
    Cell[] ring(int k) {
      if (k >= rings.length) {
        Cell[][] grown = Arrays.copyOf(rings, k + 1);
        for (int r = rings.length; r <= k; r++) {
          long[] ids = geometry.ring(r);
          Cell[] ring = new Cell[ids.length];
          for (int i = 0; i < ids.length; i++) {
            ring[i] = cellAt(ids[i]);
          }
          grown[r] = ring;
        }
        rings = grown;
      }
      return rings[k];
    }
  }

  private final CellGrid grid;
  /** Online drivers, and drivers on a ride (no cell) until they come back or go offline. */
  private final Map<DriverId, Driver> drivers = new HashMap<>();
  private int online;
  /** Every cell object held, occupied or not. */
  private final LongTable<Cell> cells = new LongTable<>(1024);
  private final LongTable<Area> areas = new LongTable<>(1024);
  private int occupied;
  /**
   * Changes whenever cells or areas are dropped: the references to them that shapes remember
   * ({@link CellGrid.Shape#indexCell}) are good only while the shape's stamp matches this one.
   */
  private long stamp = 1;

  DriverIndex(CellGrid grid) {
    this.grid = grid;
  }

  CellGrid grid() {
    return grid;
  }

  /** Drivers online (free or reserved), not counting those on a ride. */
  int size() {
    return online;
  }

  /** The driver if it is online; null if it is not, or is on a ride. */
  Driver get(DriverId id) {
    Driver d = drivers.get(id);
    return d == null || d.home == null ? null : d;
  }

  /** Every driver known: the online ones and, without a cell ({@code home == null}), those on
   * a ride. */
  Collection<Driver> all() {
    return drivers.values();
  }

  /** The drivers of a cell, or null if none is there. */
  Cell cell(long cell) {
    Cell c = cells.get(cell);
    return c == null || c.size == 0 ? null : c;
  }

  /**
   * The rings of cells around a pickup cell. Valid until the index next changes which drivers are
   * online: the caller must not keep it across calls that place or remove drivers.
   */
  Area area(long pickupCell) {
    return area(grid.shape(pickupCell));
  }

  /** As {@link #area(long)}, from the pickup cell's shape (usually without a hash look-up). */
  Area area(CellGrid.Shape pickupCell) {
    purgeIfBloated();
    if (pickupCell.indexStamp == stamp && pickupCell.indexArea != null) {
      return pickupCell.indexArea;
    }
    Area a = areas.get(pickupCell.cell);
    if (a == null) {
      if (areas.size() >= AREAS_KEPT) {
        areas.clear();
        stamp++;
      }
      a = new Area(grid.around(pickupCell.cell));
      areas.put(pickupCell.cell, a);
    }
    remember(pickupCell).indexArea = a;
    return a;
  }

  /** The cell object of a shape, created if new (usually without a hash look-up). */
  Cell cellOf(CellGrid.Shape shape) {
    if (shape.indexStamp == stamp && shape.indexCell != null) {
      return shape.indexCell;
    }
    Cell c = cellAt(shape.cell);
    c.shape = shape;
    remember(shape).indexCell = c;
    return c;
  }

  /** The shape, with what it remembers cleared if that is from before the last drop. */
  private CellGrid.Shape remember(CellGrid.Shape shape) {
    if (shape.indexStamp != stamp) {
      shape.indexCell = null;
      shape.indexArea = null;
      shape.indexStamp = stamp;
    }
    return shape;
  }

  /** Puts a driver at a position, adding it if new; returns it. */
  Driver place(DriverId id, LatLng position) {
    Driver d = drivers.get(id);
    if (d == null) {
      d = new Driver(id);
      drivers.put(id, d);
    }
    if (d.home == null) {
      online++;
    }
    d.place(position);
    CellGrid.Shape hint = null;
    if (d.home != null) {
      hint = d.home.shape != null ? d.home.shape : grid.shape(d.cell);
    }
    CellGrid.Shape shape = grid.locateShape(position.lat(), position.lng(), d.x, d.y, d.z, hint);
    if (d.home != null && d.cell == shape.cell) {
      d.home.write(d);
      return d;
    }
    if (d.home != null) {
      leave(d);
    }
    d.cell = shape.cell;
    Cell home = cellOf(shape);
    if (home.size == 0) {
      occupied++;
    }
    home.add(d);
    return d;
  }

  /** Removes a driver; returns it, or null if it was not online (never came, or on a ride). */
  Driver remove(DriverId id) {
    Driver d = drivers.remove(id);
    if (d == null || d.home == null) {
      return null;
    }
    leave(d);
    online--;
    return d;
  }

  /**
   * An online driver starts a ride: it leaves its cell and is offered nothing, but stays known,
   * so that coming back online (the usual next call) finds it instead of building it again.
   */
  void startRide(Driver d) {
    leave(d);
    online--;
    d.reservedFor = null;
  }

  private void leave(Driver d) {
    Cell home = d.home;
    home.remove(d);
    if (home.size == 0) {
      occupied--;
    }
  }

  private Cell cellAt(long id) {
    Cell c = cells.get(id);
    if (c == null) {
      c = new Cell(id);
      cells.put(id, c);
    }
    return c;
  }

  /**
   * Drops the empty cells once they far outnumber the occupied ones, and with them every area,
   * whose references would otherwise outlive them. Runs only before a search, never during one,
   * so no area in use loses its cells.
   */
  private void purgeIfBloated() {
    if (cells.size() <= PURGE_FLOOR || cells.size() <= PURGE_RATIO * occupied) {
      return;
    }
    cells.retain(c -> c.size > 0);
    areas.clear();
    stamp++;
  }

  /** Number of non-empty cells (for tests and the heap figure). */
  int occupiedCells() {
    return occupied;
  }

  /** Number of cell objects held, empty ones included (for tests). */
  int heldCells() {
    return cells.size();
  }
}
