package org.ridecoop.node.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * A client process that opens many TCP connections to a node's HTTP port and sends nothing on
 * them, then watches which ones the node closes. Run by {@link IdleConnectionsBenchmark}, one
 * process per few thousand sockets (a process may hold only {@code ulimit -n} descriptors).
 *
 * <p>Arguments: {@code port count}. It prints one line per event for its parent to parse:
 * {@code OPENED n millis} once every connect has completed, then every second
 * {@code STATE open closedBeforeNineSeconds closedNineToTwelve closedLater}, the closed
 * connections bucketed by how long after their own connect the node closed them (a
 * first-request timeout of 10 s lands in the middle bucket; a cap eviction usually earlier). It
 * exits when its standard input closes (the parent has gone or is done).
 */
public final class IdleSockets {

  private IdleSockets() {}

  /** Opens {@code count} idle connections to 127.0.0.1:{@code port}; see the class comment. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    InetSocketAddress node = new InetSocketAddress("127.0.0.1", port);
    Selector selector = Selector.open();
    long start = System.nanoTime();
    int open = 0;
    long[] buckets = new long[3];
    ByteBuffer sink = ByteBuffer.allocate(1024);
    for (int i = 0; i < count; i++) {
      SocketChannel ch = SocketChannel.open(node); // blocking connect: the kernel's handshake, not the node's accept
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, System.nanoTime());
      open++;
      if (i % 500 == 499) {
        open -= reap(selector, sink, buckets, 0);
      }
    }
    System.out.printf("OPENED %d %d%n", count, (System.nanoTime() - start) / 1_000_000);
    System.out.flush();
    Thread stdinWatch = Thread.ofPlatform().daemon().start(() -> {
      try {
        while (System.in.read() >= 0) {
          // wait for end of input
        }
      } catch (IOException ignored) {
        // parent gone
      }
      System.exit(0);
    });
    long nextState = 0;
    while (stdinWatch.isAlive()) {
      open -= reap(selector, sink, buckets, 200);
      long now = System.nanoTime();
      if (now >= nextState) {
        System.out.printf("STATE %d %d %d %d%n", open, buckets[0], buckets[1], buckets[2]);
        System.out.flush();
        nextState = now + 1_000_000_000L;
      }
    }
  }

  /** Counts and drops the connections the node has closed; returns how many. */
  private static int reap(Selector selector, ByteBuffer sink, long[] buckets, long waitMillis) throws IOException {
    int n = waitMillis > 0 ? selector.select(waitMillis) : selector.selectNow();
    if (n == 0) {
      return 0;
    }
    int closed = 0;
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      SocketChannel ch = (SocketChannel) key.channel();
      int read;
      try {
        sink.clear();
        read = ch.read(sink);
      } catch (IOException reset) {
        read = -1;
      }
      if (read < 0) {
        long lifetimeMillis = (System.nanoTime() - (Long) key.attachment()) / 1_000_000;
        buckets[lifetimeMillis < 9_000 ? 0 : lifetimeMillis < 12_000 ? 1 : 2]++;
        key.cancel();
        ch.close();
        closed++;
      }
    }
    return closed;
  }
}
