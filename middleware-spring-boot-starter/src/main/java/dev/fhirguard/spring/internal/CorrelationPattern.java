package dev.fhirguard.spring.internal;

import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Puts the transaction id into Boot's default console and file log patterns: a default for {@code
 * logging.pattern.correlation}, {@code [%X{requestId:-}] } (the MDC key of {@code
 * fhirguard.mdc.request-id-key}), after the trace and span ids ({@code %correlationId}) when
 * Micrometer Tracing asks for them. It is the last property source, so a value the application
 * sets anywhere wins.
 */
public final class CorrelationPattern implements EnvironmentPostProcessor, Ordered {

  static final String PROPERTY = "logging.pattern.correlation";
  static final String MDC_KEY_PROPERTY = "fhirguard.mdc.request-id-key";

  private static final Pattern MDC_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new DefaultPattern(environment));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /**
   * Answers {@link #PROPERTY} only, from the environment as it is when logging asks. Its source is
   * not the environment itself: Spring would iterate such a source as a nested environment,
   * itself included, without end.
   */
  private static final class DefaultPattern extends PropertySource<Object> {

    private final ConfigurableEnvironment environment;

    DefaultPattern(ConfigurableEnvironment environment) {
      super("fhirguardLogCorrelation", new Object());
      this.environment = environment;
    }

    @Override
    public Object getProperty(String name) {
      return PROPERTY.equals(name) ? pattern() : null;
    }

    private String pattern() {
      String key = environment.getProperty(MDC_KEY_PROPERTY);
      if (key == null || !MDC_KEY.matcher(key).matches()) {
        key = SettingCatalog.get().defaultOf(MDC_KEY_PROPERTY); // the core reports a bad key
      }
      boolean tracing = environment.getProperty("logging.expect-correlation-id", Boolean.class, false);
      String requestId = isLogback() ? "%X{" + key + ":-}" : "%X{" + key + "}";
      return (tracing ? "%correlationId" : "") + "[" + requestId + "] ";
    }

    private static boolean isLogback() {
      return ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
          CorrelationPattern.class.getClassLoader());
    }
  }
}
