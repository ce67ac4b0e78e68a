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
 * neighbours by plane tests ({@link CellGrid#locate}), without a call to H3. The search reads
 * positions from the cell's arrays, in order, and touches a driver object only when that driver
 * is near enough to be kept.
 */
final class DriverIndex {

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
  }

  /** The drivers in one H3 cell, and where each is: unit vectors {x, y, z} by slot, in one array
   * so a cell is read in one or two cache lines. */
  static final class Cell {
    Driver[] drivers = new Driver[4];
    double[] xyz = new double[12];
    int size;

    void add(Driver d) {
      if (size == drivers.length) {
        drivers = Arrays.copyOf(drivers, size * 2);
        xyz = Arrays.copyOf(xyz, size * 6);
      }
      d.home = this;
      d.slot = size;
      drivers[size] = d;
      size++;
      moved(d);
    }

    void moved(Driver d) {
      int i = 3 * d.slot;
      xyz[i] = d.x;
      xyz[i + 1] = d.y;
      xyz[i + 2] = d.z;
    }

    void remove(Driver d) {
      int last = --size;
      Driver tail = drivers[last];
      drivers[d.slot] = tail;
      System.arraycopy(xyz, 3 * last, xyz, 3 * d.slot, 3);
      tail.slot = d.slot;
      drivers[last] = null;
      d.home = null;
    }
  }

  private final CellGrid grid;
  private final Map<DriverId, Driver> drivers = new HashMap<>();
  private final LongTable<Cell> cells = new LongTable<>(1024);

  DriverIndex(CellGrid grid) {
    this.grid = grid;
  }

  CellGrid grid() {
    return grid;
  }

  int size() {
    return drivers.size();
  }

  Driver get(DriverId id) {
    return drivers.get(id);
  }

  Collection<Driver> all() {
    return drivers.values();
  }

  Cell cell(long cell) {
    return cells.get(cell);
  }

  /** Puts a driver at a position, adding it if new; returns it. */
  Driver place(DriverId id, LatLng position) {
    Driver d = drivers.get(id);
    if (d == null) {
      d = new Driver(id);
      drivers.put(id, d);
    }
    d.place(position);
    long cell = grid.locate(position.lat(), position.lng(), d.x, d.y, d.z,
        d.home == null ? 0 : d.cell);
    if (d.home != null && d.cell == cell) {
      d.home.moved(d);
      return d;
    }
    if (d.home != null) {
      leave(d);
    }
    d.cell = cell;
    Cell home = cells.get(cell);
    if (home == null) {
      home = new Cell();
      cells.put(cell, home);
    }
    home.add(d);
    return d;
  }

  /** Removes a driver; returns it, or null if it was not online. */
  Driver remove(DriverId id) {
    Driver d = drivers.remove(id);
    if (d != null) {
      leave(d);
    }
    return d;
  }

  private void leave(Driver d) {
    Cell home = d.home;
    home.remove(d);
    if (home.size == 0) {
      // Empty cells go, so memory follows the drivers online, not every cell ever visited.
      cells.remove(d.cell);
    }
  }

  /** Number of non-empty cells (for tests and the heap figure). */
  int occupiedCells() {
    return cells.size();
  }
}
