package dev.fhirguard.internal.outcome;

import dev.fhirguard.internal.text.LogSafe;
import dev.fhirguard.ErrorCode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each failure once, on logger {@code dev.fhirguard.errors}: an unexpected exception (a 500,
 * or any failure after the response was committed) at ERROR with the stack trace; an exception
 * answered with another 5xx (an upstream failure, a 501 not implemented, a 503 unavailable) as
 * one WARN line with its cause chain; client errors as one INFO line. The transaction id is in
 * the MDC; untrusted text (path, message) is sanitized (CWE-117).
 */
public final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger("dev.fhirguard.errors");

  /** 503s fhirguard sends on purpose (maintenance, shedding): INFO, like the 4xx refusals. */
  private static final Set<ErrorCode> SHEDDING = EnumSet.of(ErrorCode.MAINTENANCE,
      ErrorCode.SERVER_OVERLOADED, ErrorCode.CLIENT_CONCURRENCY_EXCEEDED);

  private FailureLog() {}

  public static void log(
      String method, String path, Failure failure, Throwable error, boolean committed) {
    boolean unexpected = committed || failure.status() == 500;
    boolean oneLine = !unexpected && failure.status() >= 500;
    boolean enabled = unexpected ? LOG.isErrorEnabled()
        : oneLine ? LOG.isWarnEnabled() : LOG.isInfoEnabled();
    if (!enabled) {
      return;
    }
    String target = target(method, path);
    if (committed) {
      LOG.error("{} failed after the response was committed; the client got a partial response",
          target, LogSafe.throwable(error));
    } else if (unexpected) {
      LOG.error("{} failed; answered {} {}", target, failure.status(), failure.code().code(),
          LogSafe.throwable(error));
    } else if (oneLine) {
      LOG.warn("{} answered {} {}: {}", target, failure.status(), failure.code().code(),
          causes(error));
    } else {
      LOG.info("{} answered {} {}: {}", target, failure.status(), failure.code().code(),
          LogSafe.clean(error.getMessage(), 300));
    }
  }

  /**
   * Logs an error status answered without an exception (a refusal of fhirguard's, sendError, a bare
   * status, a non-FHIR error body): WARN for 5xx, INFO for 4xx and for maintenance and shedding,
   * with the message.
   */
  public static void answered(String method, String path, Failure failure) {
    boolean warn = failure.status() >= 500 && !SHEDDING.contains(failure.code());
    if (warn ? !LOG.isWarnEnabled() : !LOG.isInfoEnabled()) {
      return;
    }
    String target = target(method, path);
    String detail = failure.message() == null ? "" : ": " + LogSafe.clean(failure.message(), 300);
    if (warn) {
      LOG.warn("{} answered {} {}{}", target, failure.status(), failure.code().code(), detail);
    } else {
      LOG.info("{} answered {} {}{}", target, failure.status(), failure.code().code(), detail);
    }
  }

  /** An upstream failure's cause chain on one line: what failed and why, without stack frames. */
  private static String causes(Throwable error) {
    StringBuilder line = new StringBuilder();
    List<Throwable> chain = Throwables.causeChain(error);
    for (Throwable t : chain.subList(0, Math.min(8, chain.size()))) {
      line.append(line.length() == 0 ? "" : " <- ").append(t.getClass().getName());
      if (t.getMessage() != null) {
        line.append(": ").append(LogSafe.clean(t.getMessage(), 300));
      }
    }
    return line.toString();
  }

  private static String target(String method, String path) {
    return LogSafe.clean(method, 16) + " " + LogSafe.clean(path, 200);
  }

  public static Logger logger() {
    return LOG;
  }
}
