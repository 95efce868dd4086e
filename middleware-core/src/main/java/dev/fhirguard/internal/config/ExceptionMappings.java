package dev.fhirguard.internal.config;

import dev.fhirguard.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Exception classes and the catalog code each stands for. A throwable matches through its own
 * class, its superclasses and their interfaces, by name, so no class is ever loaded; the nearest
 * class with a mapping wins.
 */
public final class ExceptionMappings {

  private static final Pattern CLASS_NAME =
      Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*");

  /** Network failures every HTTP client reports the same way; timeouts of the common clients. */
  public static final ExceptionMappings BUILT_IN = new ExceptionMappings(Map.ofEntries(
      Map.entry("java.net.ConnectException", ErrorCode.UPSTREAM_UNREACHABLE),
      Map.entry("java.net.NoRouteToHostException", ErrorCode.UPSTREAM_UNREACHABLE),
      Map.entry("java.net.UnknownHostException", ErrorCode.UPSTREAM_UNREACHABLE),
      Map.entry("java.net.PortUnreachableException", ErrorCode.UPSTREAM_UNREACHABLE),
      Map.entry("java.nio.channels.UnresolvedAddressException", ErrorCode.UPSTREAM_UNREACHABLE),
      Map.entry("javax.net.ssl.SSLHandshakeException", ErrorCode.UPSTREAM_UNREACHABLE),
      Map.entry("java.net.SocketTimeoutException", ErrorCode.UPSTREAM_TIMEOUT),
      Map.entry("java.net.http.HttpTimeoutException", ErrorCode.UPSTREAM_TIMEOUT),
      Map.entry("java.util.concurrent.TimeoutException", ErrorCode.UPSTREAM_TIMEOUT),
      Map.entry("org.apache.http.conn.ConnectTimeoutException", ErrorCode.UPSTREAM_TIMEOUT),
      Map.entry("org.apache.http.NoHttpResponseException", ErrorCode.UPSTREAM_BAD_RESPONSE),
      Map.entry("org.apache.hc.core5.http.NoHttpResponseException",
          ErrorCode.UPSTREAM_BAD_RESPONSE)));

  public static final ExceptionMappings NONE = new ExceptionMappings(Map.of());

  private final Map<String, ErrorCode> byClassName;

  private ExceptionMappings(Map<String, ErrorCode> byClassName) {
    this.byClassName = Map.copyOf(byClassName);
  }

  /**
   * The mappings made in code, overridden by the {@code class=CODE} entries of the
   * configuration.
   */
  public static ExceptionMappings of(
      Map<Class<? extends Throwable>, ErrorCode> inCode, List<String> configured) {
    Map<String, ErrorCode> all = new LinkedHashMap<>();
    inCode.forEach((type, code) -> all.put(type.getName(), code));
    for (String entry : configured) {
      int equals = entry.indexOf('=');
      all.put(entry.substring(0, equals), ErrorCode.valueOf(entry.substring(equals + 1)));
    }
    return new ExceptionMappings(all);
  }

  /** Checks one {@code class=CODE} entry of the configuration; returns it normalized. */
  public static String checkEntry(String entry) {
    int equals = entry.indexOf('=');
    String type = equals < 0 ? "" : entry.substring(0, equals);
    String code = equals < 0 ? "" : entry.substring(equals + 1).toUpperCase(Locale.ROOT);
    if (!CLASS_NAME.matcher(type).matches() || !isCatalogCode(code)
        || !ErrorCode.valueOf(code).isServerError()) {
      throw new IllegalArgumentException(
          "expected class=CODE pairs such as com.acme.EhrDownException=UPSTREAM_UNREACHABLE,"
              + " with a server-error (5xx) catalog code from docs/errors.md");
    }
    return type + "=" + code;
  }

  private static boolean isCatalogCode(String code) {
    for (ErrorCode known : ErrorCode.values()) {
      if (known.name().equals(code)) {
        return true;
      }
    }
    return false;
  }

  /** The code mapped for {@code error}'s own class (not its causes), or {@code null}. */
  public ErrorCode find(Throwable error) {
    if (byClassName.isEmpty()) {
      return null;
    }
    for (Class<?> type = error.getClass(); type != null; type = type.getSuperclass()) {
      ErrorCode code = byClassName.get(type.getName());
      if (code == null) {
        code = findInInterfaces(type);
      }
      if (code != null) {
        return code;
      }
    }
    return null;
  }

  private ErrorCode findInInterfaces(Class<?> type) {
    for (Class<?> contract : type.getInterfaces()) {
      ErrorCode code = byClassName.get(contract.getName());
      if (code == null) {
        code = findInInterfaces(contract);
      }
      if (code != null) {
        return code;
      }
    }
    return null;
  }
}
