package org.ridecoop.node.demo;

import org.ridecoop.governance.College;
import org.ridecoop.node.matching.LatLng;
import org.web3j.crypto.Credentials;

/** The demo's members. */
final class People {
  private People() {}

  /** A member: a name people read, a key the chain knows, a college. */
  static class Member {
    final String name;
    final Credentials key;
    final College college;

    Member(String name, Credentials key, College college) {
      this.name = name;
      this.key = key;
      this.college = college;
    }

    String address() {
      return key.getAddress();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A driver member, somewhere in the city. */
  static final class Driver extends Member {
    LatLng at;

    Driver(String name, Credentials key, LatLng at) {
      super(name, key, College.DRIVERS);
      this.at = at;
    }
  }

  /** A rider member. */
  static final class Rider extends Member {
    Rider(String name, Credentials key) {
      super(name, key, College.RIDERS);
    }
  }
}
