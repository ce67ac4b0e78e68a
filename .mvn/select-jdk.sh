# Sourced by ./mvnw and ./ridecoop (POSIX sh). web3j 5 needs Java 21+, while the default `java` on
# many machines is older. Keep JAVA_HOME when it already points at a JDK 21+; otherwise take the
# newest JDK 21+ installed beside the default `java` (e.g. /usr/lib/jvm/*), and say which.
ridecoop_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
ridecoop_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(ridecoop_java_major "$JAVA_HOME")
    [ "${v:-0}" -ge 21 ] && return 0
  fi
  default_java=$(command -v java 2>/dev/null || true)
  jvm_dir=/usr/lib/jvm
  if [ -n "$default_java" ]; then
    real=$(readlink -f "$default_java")
    # .../jvm/<jdk>/bin/java -> .../jvm
    jvm_dir=$(dirname "$(dirname "$(dirname "$real")")")
  fi
  best=""; best_v=0
  # mvnw runs under `set -f`; the JDK search needs globbing.
  set +f
  for candidate in "$jvm_dir"/*; do
    [ -x "$candidate/bin/javac" ] || continue
    v=$(ridecoop_java_major "$candidate")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$candidate; best_v=$v; fi
  done
  set -f
  if [ -z "$best" ]; then
    echo "ridecoop: a JDK 21 or newer is needed (web3j 5); set JAVA_HOME to one." >&2
    exit 2
  fi
  JAVA_HOME=$best
  export JAVA_HOME
  [ -n "${RIDECOOP_QUIET_JDK:-}" ] || echo "ridecoop: using JDK $best_v at $JAVA_HOME" >&2
}
ridecoop_select_jdk
