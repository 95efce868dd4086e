package dev.fhirguard.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.TokenVerifier;
import dev.fhirguard.VerifiedClient;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.testing.IsolatedSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache as {@link Verifiers} builds it from the settings, bounded by the bytes
 * its tokens weigh ({@link TokenWeigher}); the heap that weight stands for is measured by {@code
 * TokenCacheMemory} (docs/benchmarks.md).
 */
class CachingVerifierTest {

  private static final Clock CLOCK = Clock.systemUTC();

  /** A plugged-in verifier that accepts any token and copies it into a claim, as a JWT would. */
  private static final TokenVerifier COPYING = token -> new VerifiedClient("client", null,
      List.of("system/Patient.rs"), CLOCK.instant().plus(Duration.ofHours(1)),
      Map.of("payload", new String(token.substring(0, token.length() * 3 / 4))));

  private static CachingVerifier cache(Map<String, String> settings) {
    return (CachingVerifier) Verifiers.create(IsolatedSettings.of(settings), COPYING, CLOCK);
  }

  @Test
  void a_flood_of_large_tokens_holds_no_more_than_the_default_budget() throws Exception {
    CachingVerifier cache = cache(Map.of());
    long budget = AuthSettings.TOKEN_CACHE_MAX_BYTES.parse(
        AuthSettings.TOKEN_CACHE_MAX_BYTES.defaultValue());
    String large = "A".repeat(8_000);
    for (int i = 0; i < 2_500; i++) {
      cache.verify(large + i);
    }
    assertTrue(cache.weight() <= budget, () -> cache.weight() + " bytes over " + budget);
    assertTrue(cache.size() < 16 * 1024 * 1024 / 14_000 + 1,
        () -> cache.size() + " tokens of 14 KB each held in 16 MiB");
    assertTrue(cache.size() > 16 * 1024 * 1024 / 16_000,
        () -> "only " + cache.size() + " tokens held: the budget is not used");
  }

  @Test
  void small_tokens_fit_in_greater_number_than_large_ones() throws Exception {
    CachingVerifier small = cache(Map.of("fhirguard.auth.token-cache-max-bytes", "1MiB"));
    CachingVerifier large = cache(Map.of("fhirguard.auth.token-cache-max-bytes", "1MiB"));
    for (int i = 0; i < 1_000; i++) {
      small.verify("opaque-" + i);
      large.verify("A".repeat(4_000) + i);
    }
    assertEquals(1_000, small.size());
    assertTrue(large.size() < 1024 * 1024 / 7_000, () -> large.size() + " large tokens held");
  }

  @Test
  void an_entry_weighs_at_least_the_characters_of_its_token_scopes_and_claims() {
    String token = "t".repeat(1_000);
    VerifiedClient client = new VerifiedClient("lab-app", "subject-1",
        List.of("a".repeat(300), "b".repeat(300)), CLOCK.instant(),
        Map.of("long", "c".repeat(2_000), "nested", Map.of("list", List.of("d".repeat(500), 7))));
    int characters = 1_000 + 600 + 2_000 + 500 + "lab-app".length() + "subject-1".length();
    assertTrue(new TokenWeigher().weigh(token, client) > characters + TokenWeigher.ENTRY);
  }

  @Test
  void claims_that_contain_themselves_weigh_a_bound_and_are_not_kept() throws Exception {
    Map<String, Object> cyclic = new HashMap<>();
    cyclic.put("self", cyclic);
    VerifiedClient client = new VerifiedClient("lab-app", null, List.of(),
        CLOCK.instant().plus(Duration.ofHours(1)), cyclic);
    assertEquals(Integer.MAX_VALUE, new TokenWeigher().weigh("token", client));
    CachingVerifier cache = (CachingVerifier) Verifiers.create(
        IsolatedSettings.of(Map.of()), token -> client, CLOCK);
    cache.verify("token");
    assertEquals(0, cache.size());
  }

  @Test
  void tokens_of_one_length_and_end_are_kept_apart_and_found_again_by_an_equal_string()
      throws Exception {
    AtomicInteger checks = new AtomicInteger();
    TokenVerifier byPrefix = token -> {
      checks.incrementAndGet();
      return new VerifiedClient(token.substring(0, 5), null, List.of(),
          CLOCK.instant().plus(Duration.ofHours(1)), Map.of());
    };
    CachingVerifier cache = (CachingVerifier) Verifiers.create(
        IsolatedSettings.of(Map.of()), byPrefix, CLOCK);
    String end = ".signature-" + "s".repeat(CachingVerifier.TokenKey.HASHED);
    List<String> tokens = List.of("alpha" + end, "bravo" + end, "gamma" + end);
    for (String token : tokens) {
      cache.verify(token);
    }

    for (String token : tokens) {
      assertEquals(token.substring(0, 5), cache.verify(new String(token.toCharArray())).clientId());
    }
    assertEquals(3, checks.get());
    assertEquals(3, cache.size());
  }

  @Test
  void random_tokens_between_a_fixed_prefix_and_suffix_get_distinct_hashes() {
    Random random = new Random(42);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    Set<Integer> hashes = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      StringBuilder token = new StringBuilder("tenant-a.opaque-access-token.version-1.");
      for (int c = 0; c < 64; c++) {
        token.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      token.append(".issued-by-the-authorization-server-v1");
      hashes.add(new CachingVerifier.TokenKey(token.toString()).hashCode());
    }
    assertTrue(hashes.size() > 995, () -> hashes.size() + " hashes for 1000 tokens");
  }

  @Test
  void a_budget_of_zero_turns_the_cache_off() {
    assertSame(COPYING, Verifiers.create(
        IsolatedSettings.of(Map.of("fhirguard.auth.token-cache-max-bytes", "0")), COPYING, CLOCK));
  }
}
