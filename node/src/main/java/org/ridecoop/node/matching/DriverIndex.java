package org.ridecoop.node.matching;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The free and reserved drivers that are online, indexed by H3 cell.
 *
 * <p>Each cell keeps its drivers in an array; a driver remembers its slot, so leaving a cell is a
 * swap with the cell's last driver. Going online, moving (to another cell or within one) and going
 * offline are therefore O(1): two hash look-ups and a few array writes.
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

  /** The drivers in one H3 cell. */
  static final class Cell {
    Driver[] drivers = new Driver[4];
    int size;

    void add(Driver d) {
      if (size == drivers.length) {
        drivers = Arrays.copyOf(drivers, size * 2);
      }
      d.home = this;
      d.slot = size;
      drivers[size++] = d;
    }

    void remove(Driver d) {
      Driver last = drivers[--size];
      drivers[d.slot] = last;
      last.slot = d.slot;
      drivers[size] = null;
      d.home = null;
    }
  }

  private final CellGrid grid;
  private final Map<DriverId, Driver> drivers = new HashMap<>();
  private final Map<Long, Cell> cells = new HashMap<>();

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
    long cell = grid.cellOf(position.lat(), position.lng());
    if (d.home != null && d.cell == cell) {
      return d;
    }
    if (d.home != null) {
      leave(d);
    }
    d.cell = cell;
    cells.computeIfAbsent(cell, c -> new Cell()).add(d);
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
