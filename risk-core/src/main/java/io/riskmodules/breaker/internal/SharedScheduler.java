package io.riskmodules.breaker.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of breakers that were given none: one daemon thread, {@code riskmodules-timer},
 * for every breaker of the class loader, started by the first task and gone a second after the
 * last one ran or was cancelled. Breakers schedule on it only for a feature that asks for it (a
 * call timeout while a timed call is in flight, an automatic transition while one is due), so
 * idle breakers leave no thread behind and the library's class loader can be collected.
 */
final class SharedScheduler {

  private SharedScheduler() {}

  /** The scheduler, made at the first use. */
  static ScheduledExecutorService get() {
    return Holder.INSTANCE;
  }

  private static final class Holder {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
        Thread t = new Thread(task, "riskmodules-timer");
        t.setDaemon(true);
        // the thread must not keep an application's loader reachable after it exits, nor while
        // it runs tasks of several applications
        t.setContextClassLoader(null);
        return t;
      });
      // a cancelled task (a call that finished before its deadline) leaves the queue at once, so
      // that an empty queue lets the thread time out
      executor.setRemoveOnCancelPolicy(true);
      executor.setKeepAliveTime(1, TimeUnit.SECONDS);
      executor.allowCoreThreadTimeOut(true);
      executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      return executor;
    }
  }
}
