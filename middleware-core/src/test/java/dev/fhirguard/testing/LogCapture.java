package dev.fhirguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures every log event (with its MDC) while open. */
public final class LogCapture implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** The events at exactly {@code level}, in order. */
  public List<ILoggingEvent> at(Level level) {
    return events().stream().filter(e -> e.getLevel() == level).collect(Collectors.toList());
  }

  /** Asserts that nothing was logged at ERROR and that no event carries a stack trace. */
  public void assertQuiet() {
    List<ILoggingEvent> loud = events().stream()
        .filter(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null).toList();
    assertEquals("", render(loud), "logged at ERROR or with a stack trace");
  }

  /** Every event as formatted message plus MDC plus stack trace, one string per event. */
  public List<String> lines() {
    return events().stream().map(LogCapture::render).collect(Collectors.toList());
  }

  public static String render(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    return event.getLevel() + " " + event.getMDCPropertyMap() + " " + event.getFormattedMessage()
        + (thrown == null ? "" : "\n" + ThrowableProxyUtil.asString(thrown));
  }

  /** {@code events} rendered as by {@link #render(ILoggingEvent)}, one per line. */
  public static String render(List<ILoggingEvent> events) {
    return events.stream().map(LogCapture::render).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
