package io.riskmodules.config.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} when anything changes in the directories of the watched files (a
 * Kubernetes ConfigMap swaps a symlink, an editor renames a temporary file: the file's own name
 * need not appear in the event). One daemon thread, stopped by {@link #close()}.
 */
public final class FileWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

  /** Quiet time after the last event before the files are read. */
  static final long SETTLE_MILLIS = 100;

  private final WatchService service;
  private final Thread thread;
  private volatile boolean closed;

  public FileWatcher(List<Path> files, Runnable onChange, ThreadFactory threads) throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    Set<Path> dirs = new LinkedHashSet<>();
    for (Path f : files) {
      Path dir = f.toAbsolutePath().getParent();
      if (dir != null) {
        dirs.add(dir);
      }
    }
    try {
      for (Path dir : dirs) {
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    this.thread = threads.newThread(() -> run(onChange));
    thread.start();
  }

  private void run(Runnable onChange) {
    while (!closed) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      try {
        // Settle first: a write is often a truncate then a write (or several), and reading between
        // them would reject an empty file and raise an alert for an ordinary save.
        while (key != null) {
          key.pollEvents();
          key.reset();
          key = service.poll(SETTLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      try {
        onChange.run();
      } catch (RuntimeException e) {
        log.warn("config reload after a file event failed", e);
      }
    }
  }

  /** Stops the thread and waits for it (at most 5 s). */
  @Override
  public void close() {
    closed = true;
    try {
      service.close();
    } catch (IOException e) {
      log.debug("closing the watch service", e);
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
