package dev.fhirguard.spring;

import static dev.fhirguard.spring.testing.Outcomes.assertOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.ErrorCode;
import dev.fhirguard.RateLimitStore;
import dev.fhirguard.TokenRejectedException;
import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.spring.testing.FhirApp;
import dev.fhirguard.spring.testing.Raw;
import dev.fhirguard.spring.testing.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application's own parts go into the auto-configured guard as beans: a {@link TokenVerifier},
 * a {@link RateLimitStore} and a {@link FhirGuardBuilderCustomizer}.
 */
class PluggedBeansTest {

  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void start() {
    app = FhirApp.builder().sources(PluggedBeans.class).run();
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void a_token_verifier_bean_verifies_the_tokens() {
    Raw.Response accepted = Raw.send(port, "GET", "/fhir/Patient/1", null,
        "Authorization", "Bearer let-me-in");
    assertEquals(200, accepted.status(), accepted::toString);
    // The configured JWT verifier is not used: a token signed with the configured key is refused.
    assertOutcome(Raw.send(port, "GET", "/fhir/Patient/1", null,
        "Authorization", Tokens.bearer("lab-app", Tokens.ALL_PATIENTS)), 401, "TOKEN_INACTIVE");
  }

  @Test
  void a_rate_limit_store_bean_keeps_the_buckets() {
    Raw.send(port, "GET", "/fhir/Patient/1", null, "Authorization", "Bearer let-me-in");
    assertTrue(PluggedBeans.STORE_KEYS.contains("client:plugged-app"),
        PluggedBeans.STORE_KEYS::toString);
  }

  @Test
  void a_builder_customizer_bean_maps_an_upstream_failure() {
    assertOutcome(Raw.send(port, "GET", "/api/ehr", null, "Authorization", "Bearer let-me-in"),
        502, "UPSTREAM_UNREACHABLE");
  }

  /** The application's beans. */
  @Configuration(proxyBeanMethods = false)
  static class PluggedBeans {

    static final Set<String> STORE_KEYS = ConcurrentHashMap.newKeySet();

    @Bean
    TokenVerifier tokenVerifier() {
      return token -> {
        if (!token.equals("let-me-in")) {
          throw new TokenRejectedException(ErrorCode.TOKEN_INACTIVE, "not the plugged token");
        }
        return new VerifiedClient("plugged-app", null, List.of("system/Patient.rs"),
            Instant.now().plusSeconds(60), Map.of());
      };
    }

    @Bean
    RateLimitStore rateLimitStore() {
      return (key, policy, cost) -> {
        STORE_KEYS.add(key);
        return new RateLimitStore.Decision(true, policy.capacity() - cost, 0, 0);
      };
    }

    @Bean
    FhirGuardBuilderCustomizer ehrFailures() {
      return builder -> builder.upstreamFailure(EhrDownException.class,
          ErrorCode.UPSTREAM_UNREACHABLE);
    }

    @Bean
    EhrController ehrController() {
      return new EhrController();
    }
  }

  /** A backend client's failure. */
  static final class EhrDownException extends RuntimeException {
    EhrDownException() {
      super("ehr.internal:7001 refused the connection");
    }
  }

  @RestController
  static class EhrController {
    @GetMapping("/api/ehr")
    String read() {
      throw new EhrDownException();
    }
  }
}
