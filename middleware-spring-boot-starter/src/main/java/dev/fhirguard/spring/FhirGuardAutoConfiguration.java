package dev.fhirguard.spring;

import ca.uhn.fhir.rest.server.RestfulServer;
import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.FhirGuardErrorServlet;
import dev.fhirguard.FhirGuardFilter;
import dev.fhirguard.FhirGuardInterceptor;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.spring.internal.JettyErrorHandlers;
import dev.fhirguard.spring.internal.OutcomeErrorReportValve;
import dev.fhirguard.spring.internal.RestfulServerInterceptors;
import dev.fhirguard.spring.internal.SpringConfigLoader;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.ErrorPage;
import org.springframework.boot.web.server.ErrorPageRegistrar;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * fhirguard in a Spring Boot servlet application, from its {@code fhirguard.*} properties: the
 * filter in front of every other (Spring Security's chain included), the container's error page
 * rendered as an OperationOutcome, and the HAPI interceptor on every {@code RestfulServer} bean or
 * {@code ServletRegistrationBean} of one. Each bean backs off when the application defines its
 * own; a {@link TokenVerifier}, a {@link RateLimitStore} and {@link FhirGuardBuilderCustomizer}s
 * the application defines are plugged into the guard.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(FhirGuard.class)
public class FhirGuardAutoConfiguration {

  /**
   * The filter's order: right after Spring's character-encoding filter and the observation filter
   * ({@code http.server.requests} then sees the status fhirguard answered), before every other
   * filter, Spring Security's chain ({@link SecurityProperties#DEFAULT_FILTER_ORDER}) included.
   */
  public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  /** Where the error servlet is mapped, when {@code server.error.path} is not set. */
  static final String DEFAULT_ERROR_PATH = "/error";

  @Bean
  @ConditionalOnMissingBean
  public FhirGuardConfig fhirGuardConfig(ConfigurableEnvironment environment) {
    return SpringConfigLoader.load(environment);
  }

  @Bean
  @ConditionalOnMissingBean
  public FhirGuard fhirGuard(FhirGuardConfig config, ObjectProvider<TokenVerifier> tokenVerifier,
      ObjectProvider<RateLimitStore> rateLimitStore,
      ObjectProvider<FhirGuardBuilderCustomizer> customizers) {
    FhirGuard.Builder builder = FhirGuard.builder().config(config);
    tokenVerifier.ifAvailable(builder::tokenVerifier);
    rateLimitStore.ifAvailable(builder::rateLimitStore);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "fhirGuardFilterRegistration")
  public FilterRegistrationBean<FhirGuardFilter> fhirGuardFilterRegistration(FhirGuard guard) {
    FilterRegistrationBean<FhirGuardFilter> registration =
        new FilterRegistrationBean<>(guard.filter());
    registration.setName("fhirguard");
    registration.addUrlPatterns("/*");
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    registration.setAsyncSupported(true);
    registration.setOrder(FILTER_ORDER);
    return registration;
  }

  /**
   * The error servlet on Boot's error path ({@code server.error.path}, {@code /error}): Boot's
   * own global error page points there already (its {@code BasicErrorController} is no longer
   * reached), and {@link #fhirGuardErrorPage} adds the page where Spring MVC is absent.
   */
  @Bean
  @ConditionalOnMissingBean(name = "fhirGuardErrorServletRegistration")
  public ServletRegistrationBean<FhirGuardErrorServlet> fhirGuardErrorServletRegistration(
      FhirGuard guard, Environment environment) {
    ServletRegistrationBean<FhirGuardErrorServlet> registration =
        new ServletRegistrationBean<>(guard.errorServlet(), errorPath(environment));
    registration.setName("fhirguardError");
    registration.setAsyncSupported(true);
    return registration;
  }

  /** The global error page, registered last so that it is the one the container keeps. */
  @Bean
  @ConditionalOnMissingBean(name = "fhirGuardErrorPage")
  public ErrorPageRegistrar fhirGuardErrorPage(Environment environment) {
    String path = errorPath(environment);
    return new OrderedErrorPageRegistrar(registry -> registry.addErrorPages(new ErrorPage(path)));
  }

  /**
   * Publishes the guard as {@link FhirGuard#CONTEXT_ATTRIBUTE}, where a {@code new
   * FhirGuardInterceptor()} and {@code FhirGuardJetty}'s error handlers find it.
   */
  @Bean
  public ServletContextInitializer fhirGuardContextAttribute(FhirGuard guard) {
    return servletContext -> servletContext.setAttribute(FhirGuard.CONTEXT_ATTRIBUTE, guard);
  }

  private static String errorPath(Environment environment) {
    return environment.getProperty("server.error.path", DEFAULT_ERROR_PATH);
  }

  /** The HAPI interceptor, as a bean, on every {@code RestfulServer} exactly once. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RestfulServer.class)
  static class Hapi {

    @Bean
    @ConditionalOnMissingBean
    public FhirGuardInterceptor fhirGuardInterceptor(FhirGuard guard) {
      return guard.interceptor();
    }

    @Bean
    static RestfulServerInterceptors fhirGuardRestfulServerInterceptors(
        ObjectProvider<FhirGuardInterceptor> interceptor) {
      return new RestfulServerInterceptors(interceptor);
    }
  }

  /**
   * On Boot's embedded Tomcat, the host's error report as an OperationOutcome: the requests
   * Tomcat cannot parse never reach a filter or an error page.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
  static class Tomcat {

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> fhirGuardTomcatErrorReport(
        FhirGuard guard) {
      // Applied after Boot's customizer (order 0), whose ErrorReportValve this one must follow.
      return factory -> factory.addContextCustomizers(context -> context.getParent().getPipeline()
          .addValve(new OutcomeErrorReportValve(guard)));
    }
  }

  /**
   * On Boot's embedded Jetty, fhirguard's Jetty error handlers: container errors of every method
   * and the errors Jetty raises before the application sees a request (a malformed URI, headers
   * too large) as OperationOutcomes.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.eclipse.jetty.ee10.webapp.WebAppContext",
      "org.eclipse.jetty.server.Server"})
  static class Jetty {

    @Bean
    public WebServerFactoryCustomizer<JettyServletWebServerFactory> fhirGuardJettyErrorHandlers() {
      return factory -> factory.addConfigurations(new JettyErrorHandlers());
    }
  }

  /** An {@link ErrorPageRegistrar} applied after Boot's own (order 0). */
  private record OrderedErrorPageRegistrar(ErrorPageRegistrar delegate)
      implements ErrorPageRegistrar, Ordered {

    @Override
    public void registerErrorPages(org.springframework.boot.web.server.ErrorPageRegistry registry) {
      delegate.registerErrorPages(registry);
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
