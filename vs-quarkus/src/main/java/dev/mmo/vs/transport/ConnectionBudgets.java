package dev.mmo.vs.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.mmo.vs.config.VsConfig;
import java.lang.management.ManagementFactory;

/**
 * How many connections each HTTP port of the VS may hold open: the configured limits, lowered so
 * that client connections can never take the file descriptors the VS needs for itself (the HSM,
 * Redis, PostgreSQL, the broker, its own files). When descriptors run out, a process can no longer
 * open a session to its token or a connection to Redis; with these budgets a flood of connections
 * is refused at the accept instead.
 *
 * @param main connections the main port (game servers, admin API) holds open at once
 * @param mainPerSource of which from one source
 * @param management connections the management port (probes, metrics) holds open at once
 * @param managementPerSource of which from one source
 * @param descriptorLimit the process's descriptor limit the budgets were made for
 */
public record ConnectionBudgets(
    int main, int mainPerSource, int management, int managementPerSource, long descriptorLimit) {

  /**
   * The budgets for {@code config} within {@code descriptorLimit}.
   *
   * @throws IllegalStateException when the limit leaves the main port no room at all
   */
  public static ConnectionBudgets of(VsConfig.Http config, long descriptorLimit) {
    long room = descriptorLimit - config.reservedDescriptors() - config.managementMaxConnections();
    if (room < 1) {
      throw new IllegalStateException(
          "the descriptor limit ("
              + descriptorLimit
              + ", ulimit -n) leaves no connection for the main port after "
              + config.reservedDescriptors()
              + " reserved (mmo.vs.http.reserved-descriptors) and "
              + config.managementMaxConnections()
              + " for the management port: raise the limit");
    }
    int main = (int) Math.min(config.maxConnections(), room);
    return new ConnectionBudgets(
        main,
        Math.min(config.maxConnectionsPerSource(), main),
        config.managementMaxConnections(),
        config.managementMaxConnectionsPerSource(),
        descriptorLimit);
  }

  /** This process's descriptor limit ({@code ulimit -n}); unbounded where the JVM cannot tell. */
  public static long processDescriptorLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return Long.MAX_VALUE;
  }

  /** Whether the configured main-port limit was lowered to fit the descriptor limit. */
  public boolean lowered(VsConfig.Http config) {
    return main < config.maxConnections();
  }
}
