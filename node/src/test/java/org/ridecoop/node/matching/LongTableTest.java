package org.ridecoop.node.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongTableTest {

  @Test
  void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
    Random random = new Random(3);
    LongTable<String> table = new LongTable<>(4);
    Map<Long, String> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      // Few distinct keys, so removals hit often and probe chains wrap and shift.
      long key = random.nextInt(300) * 0x1000000L + (step % 7 == 0 ? Long.MIN_VALUE : 0);
      switch (random.nextInt(3)) {
        case 0 -> {
          table.put(key, "v" + step);
          model.put(key, "v" + step);
        }
        case 1 -> {
          table.remove(key);
          model.remove(key);
        }
        default -> assertThat(table.get(key)).isEqualTo(model.get(key));
      }
      assertThat(table.size()).isEqualTo(model.size());
    }
    for (Map.Entry<Long, String> e : model.entrySet()) {
      assertThat(table.get(e.getKey())).isEqualTo(e.getValue());
    }
    table.clear();
    assertThat(table.size()).isZero();
    assertThat(table.get(model.keySet().iterator().next())).isNull();
  }
}
