package dev.fhirguard.benchmarks;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code GET /fhir/Patient/123} with one {@code Authorization: Bearer} header: just what the
 * authentication stage reads of a request (method, path, headers, attributes), without a
 * container. Any other method fails, so a benchmark cannot silently measure something else.
 */
final class BearerRequest extends HttpServletRequestWrapper {

  private final List<String> authorization;
  private final Map<String, Object> attributes = new HashMap<>();

  BearerRequest(String token) {
    super(nothingElse());
    this.authorization = List.of("Bearer " + token);
  }

  private static HttpServletRequest nothingElse() {
    return (HttpServletRequest) Proxy.newProxyInstance(BearerRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
          throw new UnsupportedOperationException("the benchmark request has no " + method.getName());
        });
  }

  @Override
  public String getMethod() {
    return "GET";
  }

  @Override
  public String getServletPath() {
    return "/fhir";
  }

  @Override
  public String getPathInfo() {
    return "/Patient/123";
  }

  @Override
  public String getHeader(String name) {
    return "Authorization".equalsIgnoreCase(name) ? authorization.get(0) : null;
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return Collections.enumeration(
        "Authorization".equalsIgnoreCase(name) ? authorization : List.of());
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void removeAttribute(String name) {
    attributes.remove(name);
  }
}
