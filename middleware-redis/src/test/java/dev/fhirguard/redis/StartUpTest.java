package dev.fhirguard.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fhirguard.FhirGuardConfigException;
import dev.fhirguard.RateLimitStore.Policy;
import dev.fhirguard.cluster.ClusterSettings;
import dev.fhirguard.cluster.ClusterStore;
import dev.fhirguard.cluster.ClusterUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Start-up: bad settings are clear errors; an unreachable Redis is a fallback or, if required, an error. */
class StartUpTest {

  private static final String SECRET = "s3cret-Pa55word";

  @Test
  void a_bad_url_is_a_configuration_error_listing_every_problem_without_the_password() {
    FhirGuardConfigException error = assertThrows(FhirGuardConfigException.class,
        () -> ClusterStore.open(ClusterSettings.builder(
            "redis://user:" + SECRET + "@127.0.0.1:99999/db?timeout=5s").build()));
    assertEquals(3, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("port"), error.getMessage());
    assertTrue(error.getMessage().contains("database number"), error.getMessage());
    assertTrue(error.getMessage().contains("no query"), error.getMessage());
    assertFalse(error.getMessage().contains(SECRET));

    FhirGuardConfigException syntax = assertThrows(FhirGuardConfigException.class,
        () -> ClusterStore.open(ClusterSettings.builder("redis://" + SECRET + "@ho st").build()));
    assertFalse(syntax.getMessage().contains(SECRET), syntax.getMessage());

    FhirGuardConfigException both = assertThrows(FhirGuardConfigException.class,
        () -> ClusterStore.open(ClusterSettings.builder("redis://:a@127.0.0.1")
            .password("b").build()));
    assertTrue(both.getMessage().contains("one place"), both.getMessage());
  }

  @Test
  void a_url_no_provider_serves_says_which_jar_is_missing() {
    FhirGuardConfigException error = assertThrows(FhirGuardConfigException.class,
        () -> ClusterStore.open(ClusterSettings.builder("memcached://127.0.0.1:11211").build()));
    assertTrue(error.getMessage().contains("no cluster store serves 'memcached://'"),
        error.getMessage());
  }

  @Test
  void settings_out_of_range_are_listed_at_once_and_the_password_never_shows() {
    FhirGuardConfigException error = assertThrows(FhirGuardConfigException.class,
        () -> ClusterSettings.builder("redis://127.0.0.1").timeout(Duration.ZERO).replicas(0)
            .keyPrefix("").build());
    assertEquals(3, error.problems().size(), error.getMessage());

    ClusterSettings settings = ClusterSettings.builder("redis://app:" + SECRET + "@127.0.0.1")
        .build();
    assertFalse(settings.toString().contains(SECRET), settings.toString());
    assertEquals("redis://app:****@127.0.0.1", settings.maskedUrl());
    assertEquals("rediss://****@h:1/0",
        ClusterSettings.builder("rediss://" + SECRET + "@h:1/0").build().maskedUrl());
  }

  @Test
  void redis_down_at_start_starts_in_fallback_with_a_warning_and_connects_once_it_is_up() {
    try (RedisFixture redis = RedisFixture.start(); Logs logs = new Logs()) {
      ClusterSettings settings = redis.settings().build();
      redis.stop();
      ClusterStore store = redis.open(settings);
      assertFalse(store.status().shared());
      Policy two = new Policy("client", 2, Duration.ofMinutes(1), true);
      assertTrue(store.rateLimits().tryConsume("client:c", two, 2).allowed(), "a fallback bucket");
      assertFalse(store.rateLimits().tryConsume("client:c", two, 1).allowed(), "never no limit");
      assertTrue(logs.warnings().get(0).contains("starting with this replica's fallback limits"),
          logs.warnings().toString());

      redis.restart();
      RedisFixture.await(Duration.ofSeconds(20), () -> store.status().shared(), "connected");
      assertTrue(store.rateLimits().tryConsume("client:c", two, 2).allowed(), "a Redis bucket");
      assertEquals(1, redis.keys(settings.keyPrefix()).size());
    }
  }

  @Test
  void redis_down_at_start_when_required_is_a_clear_error_at_once() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings settings = redis.settings().required(true).build();
      redis.stop();
      ClusterUnavailableException error = assertThrows(ClusterUnavailableException.class,
          () -> ClusterStore.open(settings));
      assertTrue(error.getMessage().startsWith("Redis at " + redis.url() + " cannot be reached"),
          error.getMessage());
      assertTrue(error.getMessage().endsWith("and fhirguard.cluster.required=true"));
    }
  }

  @Test
  void a_wrong_password_is_a_clear_error_when_required_and_a_fallback_otherwise() {
    try (RedisFixture redis = RedisFixture.startWithPassword("right-password");
        Logs logs = new Logs()) {
      ClusterSettings wrong = redis.settings().password(SECRET).build();
      ClusterUnavailableException error = assertThrows(ClusterUnavailableException.class,
          () -> ClusterStore.open(wrong.toBuilder().required(true).build()));
      assertTrue(error.getMessage().contains("refused the credentials"), error.getMessage());
      assertTrue(error.getMessage().contains("fhirguard.cluster.password"), error.getMessage());
      assertFalse(error.getMessage().contains(SECRET));

      ClusterStore fallback = redis.open(wrong);
      assertFalse(fallback.status().shared());
      ClusterStore right = redis.open(redis.settings().build());
      assertTrue(right.status().shared());
      assertTrue(logs.all().stream().noneMatch(line -> line.contains(SECRET)
          || line.contains("right-password")), "no password in any log line");
    }
  }

  @Test
  void a_server_that_accepts_but_never_answers_costs_the_start_at_most_its_timeouts()
      throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket ignored = silent.accept(); // held open, never read: a hung Redis
            assertInstanceOf(Socket.class, ignored);
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      ClusterSettings settings = ClusterSettings.builder("redis://127.0.0.1:"
          + silent.getLocalPort()).connectTimeout(Duration.ofMillis(500)).build();
      long start = System.nanoTime();
      try (ClusterStore store = ClusterStore.open(settings)) {
        long took = System.nanoTime() - start;
        assertFalse(store.status().shared());
        assertTrue(took < Duration.ofSeconds(5).toNanos(), "started in " + took + " ns");
      }
    }
  }

  @Test
  void a_rediss_url_speaks_tls_and_against_a_plain_redis_falls_back_without_hanging() {
    try (RedisFixture redis = RedisFixture.start()) {
      ClusterSettings tls = ClusterSettings.builder(redis.url().replace("redis://", "rediss://"))
          .connectTimeout(Duration.ofSeconds(2)).build();
      long start = System.nanoTime();
      try (ClusterStore store = ClusterStore.open(tls)) {
        assertFalse(store.status().shared(), "no TLS handshake with a plain Redis");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        Policy one = new Policy("client", 1, Duration.ofMinutes(1), true);
        assertTrue(store.rateLimits().tryConsume("client:tls", one, 1).allowed());
        assertFalse(store.rateLimits().tryConsume("client:tls", one, 1).allowed());
      }
    }
  }

  @Test
  void the_failure_warning_comes_at_most_once_a_minute_with_counts() {
    try (RedisFixture redis = RedisFixture.start(); Logs logs = new Logs()) {
      ClusterStore store = redis.open(redis.settings().build());
      redis.stop();
      Policy policy = new Policy("client", 100, Duration.ofMinutes(1), false);
      for (int i = 0; i < 200; i++) {
        store.rateLimits().tryConsume("client:w" + i, policy, 1);
      }
      List<String> warnings = logs.warnings();
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("failed calls"), warnings.get(0));
    }
  }

  /** The cluster logger's events while open. */
  private static final class Logs implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.fhirguard.cluster");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    Logs() {
      appender.start();
      logger.addAppender(appender);
    }

    List<String> warnings() {
      return events(Level.WARN);
    }

    List<String> all() {
      return events(null);
    }

    private List<String> events(Level level) {
      synchronized (appender.list) {
        return appender.list.stream().filter(e -> level == null || e.getLevel() == level)
            .map(ILoggingEvent::getFormattedMessage).toList();
      }
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }
}
