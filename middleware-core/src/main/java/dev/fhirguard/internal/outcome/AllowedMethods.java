package dev.fhirguard.internal.outcome;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The value of the {@code Allow} header of a 405 (RFC 9110 §15.5.6: a 405 MUST carry one). The
 * methods come from whoever knows them best: HAPI's bindings ({@link HapiAllowedMethods}), the
 * target servlet's own {@code doXxx} methods (what {@code HttpServlet} answers to OPTIONS), or,
 * when neither can tell, the safe methods. The refused method is never listed, nor TRACE (which
 * fhirguard refuses everywhere).
 */
public final class AllowedMethods {

  /** The methods a FHIR server may answer, in the order the header lists them. */
  public static final List<String> FHIR_METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private static final List<String> SAFE_METHODS = List.of("GET", "HEAD", "OPTIONS");

  private AllowedMethods() {}

  /**
   * {@code methods} as an {@code Allow} value: in {@link #FHIR_METHODS} order, without {@code
   * refused} (HEAD goes with a refused GET) and anything not in that list. May be empty: "the
   * resource allows no methods" (RFC 9110 §10.2.1).
   */
  public static String header(Collection<String> methods, String refused) {
    return FHIR_METHODS.stream()
        .filter(methods::contains)
        .filter(method -> !method.equals(refused) && !isGetsHead(method, refused))
        .collect(Collectors.joining(", "));
  }

  private static boolean isGetsHead(String method, String refused) {
    return "HEAD".equals(method) && "GET".equals(refused);
  }

  /**
   * The {@code Allow} value for a 405 that {@code request}'s servlet sent without one: its
   * {@code doXxx} methods, else (a servlet that dispatches by itself) the safe methods.
   */
  public static String ofServlet(HttpServletRequest request) {
    Set<String> declared = declaredBy(servletClass(request));
    return header(declared != null ? declared : SAFE_METHODS, request.getMethod());
  }

  /** The {@code Allow} value when nothing is known of the target: the safe methods. */
  public static String fallback(String refused) {
    return header(SAFE_METHODS, refused);
  }

  /**
   * The methods {@code type}'s {@code doXxx} overrides serve, as {@code HttpServlet.doOptions}
   * finds them; {@code null} when {@code type} is not an {@code HttpServlet} or overrides {@code
   * service} (then the {@code doXxx} methods do not tell).
   */
  static Set<String> declaredBy(Class<?> type) {
    if (type == null || !HttpServlet.class.isAssignableFrom(type)) {
      return null;
    }
    Set<String> methods = new TreeSet<>(List.of("OPTIONS"));
    for (Class<?> c = type; c != HttpServlet.class; c = c.getSuperclass()) {
      for (Method method : c.getDeclaredMethods()) {
        switch (method.getName()) {
          case "service" -> {
            return null;
          }
          case "doGet" -> methods.addAll(List.of("GET", "HEAD"));
          case "doHead", "doPost", "doPut", "doPatch", "doDelete" ->
              methods.add(method.getName().substring(2).toUpperCase(java.util.Locale.ROOT));
          default -> { }
        }
      }
    }
    return methods;
  }

  /** The web application's class loader; an embedded context may have none of its own. */
  private static ClassLoader loader(HttpServletRequest request) {
    ClassLoader context = request.getServletContext().getClassLoader();
    if (context != null) {
      return context;
    }
    ClassLoader thread = Thread.currentThread().getContextClassLoader();
    return thread != null ? thread : AllowedMethods.class.getClassLoader();
  }

  /** The class of the servlet that answered (on an error dispatch: the one that failed). */
  private static Class<?> servletClass(HttpServletRequest request) {
    try {
      String name = request.getDispatcherType() == DispatcherType.ERROR
          ? (String) request.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME)
          : request.getHttpServletMapping().getServletName();
      ServletRegistration registration =
          name == null ? null : request.getServletContext().getServletRegistration(name);
      String className = registration == null ? null : registration.getClassName();
      return className == null ? null : Class.forName(className, false, loader(request));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unknown) {
      return null; // no mapping, no registration, or a class this loader cannot see
    }
  }
}
