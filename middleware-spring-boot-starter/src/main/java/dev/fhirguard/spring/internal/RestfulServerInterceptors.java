package dev.fhirguard.spring.internal;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuardInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

/**
 * Registers the {@link FhirGuardInterceptor} bean on every HAPI {@link RestfulServer} the
 * application exposes, as a bean or inside a {@link ServletRegistrationBean}, unless one is
 * registered already: the HAPI JPA starter registers the bean itself when it is named in {@code
 * hapi.fhir.custom-interceptor-classes}, and a server seen twice (as a bean, then in its
 * registration) gets it once.
 */
public final class RestfulServerInterceptors implements BeanPostProcessor {

  private final ObjectProvider<FhirGuardInterceptor> interceptor;

  public RestfulServerInterceptors(ObjectProvider<FhirGuardInterceptor> interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof RestfulServer server) {
      register(server);
    } else if (bean instanceof ServletRegistrationBean<?> registration
        && registration.getServlet() instanceof RestfulServer server) {
      register(server);
    }
    return bean;
  }

  private void register(RestfulServer server) {
    boolean registered = server.getInterceptorService().getAllRegisteredInterceptors().stream()
        .anyMatch(FhirGuardInterceptor.class::isInstance);
    if (!registered) {
      interceptor.ifAvailable(server::registerInterceptor);
    }
  }
}
