package dev.fhirguard.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.LoggerFactory;

/**
 * For fuzz runs: checks every log event as it is logged (message, MDC values, exception messages)
 * for control characters and for the most recent secrets a test sent (and, once {@link #quiet()},
 * for ERRORs and stack traces), and keeps only the violations, so thousands of tries do not pile
 * up events as {@link LogCapture} would.
 */
public final class LogGuard extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private static final int RECENT_SECRETS = 64;

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Deque<String> secrets = new ConcurrentLinkedDeque<>();
  private final List<String> violations = new ArrayList<>();
  private volatile boolean quiet;

  private LogGuard() {}

  /** Starts checking every event of the root logger until closed. */
  public static LogGuard attach() {
    LogGuard guard = new LogGuard();
    guard.setName("fuzz-log-guard");
    guard.start();
    guard.root.addAppender(guard);
    return guard;
  }

  /** From now on, any event at ERROR and any event with a stack trace is a violation too. */
  public LogGuard quiet() {
    this.quiet = true;
    return this;
  }

  /** {@code secret} must not be logged (checked against the last few secrets given). */
  public void secret(String secret) {
    if (secret != null && secret.length() >= 12) {
      secrets.addFirst(secret);
      while (secrets.size() > RECENT_SECRETS) {
        secrets.pollLast();
      }
    }
  }

  /** Fails with the first violations seen so far. */
  public void assertClean() {
    synchronized (violations) {
      if (!violations.isEmpty()) {
        throw new AssertionError(violations.size() + " unsafe log line(s), first: "
            + String.join(" | ", violations.subList(0, Math.min(3, violations.size()))));
      }
    }
  }

  /** Forgets the violations seen so far (after a test that caused them on purpose). */
  public void clear() {
    synchronized (violations) {
      violations.clear();
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (quiet && (event.getLevel() == Level.ERROR
        || event.getThrowableProxy() != null)) {
      violate(event, "an ERROR or a stack trace");
    }
    List<String> texts = new ArrayList<>();
    texts.add(event.getFormattedMessage());
    for (Map.Entry<String, String> mdc : event.getMDCPropertyMap().entrySet()) {
      texts.add(mdc.getValue());
    }
    for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null;
        thrown = thrown.getCause()) {
      texts.add(thrown.getMessage());
    }
    for (String text : texts) {
      if (text == null) {
        continue;
      }
      if (FuzzInvariants.hasControl(text)) {
        violate(event, "control character");
      }
      for (String secret : secrets) {
        if (text.contains(secret)) {
          violate(event, "a secret the client sent");
        }
      }
    }
  }

  private void violate(ILoggingEvent event, String what) {
    synchronized (violations) {
      if (violations.size() < 20) {
        violations.add(what + " in " + event.getLevel() + " " + event.getLoggerName() + ": "
            + FuzzInvariants.escape(LogCapture.render(event)));
      }
    }
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
