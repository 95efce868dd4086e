package dev.fhirguard.internal.chain;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** One step of the fhirguard filter chain; it either answers the request or calls {@code next}. */
@FunctionalInterface
public interface Stage {

  void apply(HttpServletRequest request, HttpServletResponse response, Next next)
      throws IOException, ServletException;

  /** The rest of the chain, ending with the application. */
  @FunctionalInterface
  interface Next {
    void proceed(HttpServletRequest request, HttpServletResponse response)
        throws IOException, ServletException;
  }
}
