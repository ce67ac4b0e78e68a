package org.ridecoop.node.matching;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A hash table from {@code long} keys (H3 cells) to objects, open addressing with linear probing:
 * the look-ups of the driver search box no key and chase no entry nodes.
 */
final class LongTable<V> {

  private long[] keys;
  private Object[] values;
  private int size;
  private int mask;

  LongTable() {
    this(64);
  }

  LongTable(int expected) {
    int capacity = capacityFor(expected);
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    for (int i = slot(key); ; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == key) {
        return (V) v;
      }
    }
  }

  void put(long key, V value) {
    if (value == null) {
      throw new IllegalArgumentException("null value");
    }
    int i = slot(key);
    while (values[i] != null) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > values.length) {
      grow();
    }
  }

  void remove(long key) {
    int i = slot(key);
    while (values[i] != null && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (values[i] == null) {
      return;
    }
    values[i] = null;
    size--;
    // Backward-shift the entries after the hole so every probe chain stays unbroken.
    for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j]);
      boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        keys[i] = keys[j];
        values[i] = values[j];
        values[j] = null;
        i = j;
      }
    }
  }

  /** Keeps only the entries whose value passes {@code keep}; O(capacity). */
  void retain(Predicate<? super V> keep) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    int kept = 0;
    for (Object v : oldValues) {
      if (v != null && keep.test(cast(v))) {
        kept++;
      }
    }
    int capacity = capacityFor(kept);
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null && keep.test(cast(oldValues[i]))) {
        put(oldKeys[i], cast(oldValues[i]));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private V cast(Object v) {
    return (V) v;
  }

  void clear() {
    Arrays.fill(values, null);
    size = 0;
  }

  /** A power of two at least twice {@code expected}: the table stays at most half full. */
  private static int capacityFor(int expected) {
    return Integer.highestOneBit(Math.max(4, expected) * 2 - 1) * 2;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldValues.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        int j = slot(oldKeys[i]);
        while (values[j] != null) {
          j = (j + 1) & mask;
        }
        keys[j] = oldKeys[i];
        values[j] = oldValues[i];
        size++;
      }
    }
  }
}
