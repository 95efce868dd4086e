package dev.fhirguard.benchmarks;

import dev.fhirguard.TokenVerifier;
import dev.fhirguard.internal.config.AuthSettings;
import dev.fhirguard.internal.config.ResolvedSettings;
import dev.fhirguard.internal.auth.Verifiers;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Heap held by the verified-token cache against its byte budget ({@code
 * fhirguard.auth.token-cache-max-bytes}, 16 MiB by default), and the weight the cache gives each
 * token against the heap the token really holds. Measured as in {@link BucketMemory}: heap used
 * after full collections, before and after.
 *
 * <ol>
 *   <li>{@code tokens} real RS256 tokens (SMART claims, about 950 characters), held outside the
 *       cache, verified by fhirguard's JWT verifier behind a cache with room for all: bytes of a
 *       token string, bytes per cached token without its string, and the cache's weight per token;
 *   <li>the same tokens through a cache in front of a verifier that parses them without checking
 *       their signature ({@link SmartTokens#trustingParser}): the same figures, to show that its
 *       entries are the real ones' size;
 *   <li>{@code tokens} tokens of each {@link Shape} through that parsing verifier: the heap an
 *       entry holds with its string, against its weight (the weight must not be the smaller);
 *   <li>{@code flood} distinct {@link Shape#LARGE} tokens, held only by the cache, through a cache
 *       of {@code budget} bytes: the heap held then, against the budget. A million RSA signatures
 *       would take most of an hour here, a million parses take seconds.
 * </ol>
 *
 * <p>The cache's number of tokens and their weight are read through its package-private {@code
 * size()} and {@code weight()} (by reflection: the cache is internal).
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -cp middleware-benchmarks/target/benchmarks.jar
 * dev.fhirguard.benchmarks.TokenCacheMemory [tokens] [flood] [budget-bytes]}.
 */
public final class TokenCacheMemory {

  private static final String BUDGET = AuthSettings.TOKEN_CACHE_MAX_BYTES.key();

  /** The kinds of token measured. */
  enum Shape {
    /** The SMART token of {@link SmartTokens}: 6 scopes, 10 claims, about 950 characters. */
    TYPICAL(Map.of()),
    /** The same with a claim of 5,300 characters: about 8,050, near the default max length. */
    LARGE(Map.of("padding", "x".repeat(5_300))),
    /** The same with 100 scopes of about 20 characters. */
    SCOPES(Map.of("scope", IntStream.range(0, 100).mapToObj(i -> "patient/Type" + i + ".rs")
        .collect(Collectors.joining(" "))));

    final Map<String, Object> extra;

    Shape(Map<String, Object> extra) {
      this.extra = extra;
    }
  }

  private TokenCacheMemory() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
    int flood = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    long budget = args.length > 2 ? Long.parseLong(args[2])
        : AuthSettings.TOKEN_CACHE_MAX_BYTES.parse(
            AuthSettings.TOKEN_CACHE_MAX_BYTES.defaultValue());
    Heap.printJvm();

    SmartTokens smart = SmartTokens.create();
    ResolvedSettings roomy = smart.settings(Map.of(BUDGET, "1GiB"));
    long started = System.nanoTime();
    long empty = Heap.used();
    String[] tokens = new String[count];
    for (int i = 0; i < count; i++) {
      tokens[i] = smart.sign(i);
    }
    double perToken = (double) (Heap.used() - empty) / count;
    System.out.printf("%,d RS256 tokens of %d characters signed in %.1f s; bytes per token string"
        + " (with its array slot) %.1f%n", count, tokens[0].length(),
        (System.nanoTime() - started) / 1e9, perToken);
    measure("fhirguard's JWT verifier", Verifiers.create(roomy, null, Clock.systemUTC()), tokens,
        perToken);
    measure("the parsing verifier",
        Verifiers.create(roomy, SmartTokens.trustingParser(), Clock.systemUTC()), tokens, perToken);
    String signature = tokens[0];
    tokens = null;

    for (Shape shape : Shape.values()) {
      long before = Heap.used();
      String[] shaped = new String[count];
      for (int i = 0; i < count; i++) {
        shaped[i] = smart.unsigned(count + i, signature, shape.extra);
      }
      double perString = (double) (Heap.used() - before) / count;
      System.out.printf("%s tokens of %d characters: bytes per token string %.1f%n", shape,
          shaped[0].length(), perString);
      measure(shape + " through the parsing verifier",
          Verifiers.create(roomy, SmartTokens.trustingParser(), Clock.systemUTC()), shaped,
          perString);
    }

    ResolvedSettings bounded = smart.settings(Map.of(BUDGET, String.valueOf(budget)));
    long before = Heap.used();
    TokenVerifier flooded =
        Verifiers.create(bounded, SmartTokens.trustingParser(), Clock.systemUTC());
    started = System.nanoTime();
    for (int i = 0; i < flood; i++) { // tokens held only by the cache
      flooded.verify(smart.unsigned(2 * count + i, signature, Shape.LARGE.extra));
    }
    long held = call(flooded, "size");
    long weight = call(flooded, "weight");
    long after = Heap.used();
    System.out.printf("%,d distinct LARGE tokens in %.0f s through a cache of %,d bytes: %,d tokens"
        + " held, weighing %,d; heap held %,d bytes (%.1f MiB), %.1f %% of the budget%n", flood,
        (System.nanoTime() - started) / 1e9, budget, held, weight, after - before,
        (after - before) / 1048576.0, 100.0 * (after - before) / budget);
    if (weight > budget) {
      throw new IllegalStateException(weight + " bytes of tokens held, more than " + budget);
    }
    java.lang.ref.Reference.reachabilityFence(flooded);
  }

  /** Fills {@code verifier}'s cache with {@code tokens}; prints what an entry holds and weighs. */
  private static void measure(String what, TokenVerifier verifier, String[] tokens,
      double perString) throws Exception {
    long before = Heap.used();
    for (String token : tokens) {
      verifier.verify(token);
    }
    long held = call(verifier, "size");
    long weight = call(verifier, "weight");
    long after = Heap.used();
    if (held != tokens.length) {
      throw new IllegalStateException(held + " tokens cached of " + tokens.length);
    }
    double perEntry = (double) (after - before) / held;
    double perWeight = (double) weight / held;
    System.out.printf("%,d tokens cached in front of %s: bytes per cached token %.1f without its"
        + " string, %.1f with it; weight per token %.1f (%.2f x the bytes)%n", held, what, perEntry,
        perEntry + perString, perWeight, perWeight / (perEntry + perString));
    java.lang.ref.Reference.reachabilityFence(verifier);
  }

  /** The cache's {@code size()} or {@code weight()}, after its pending maintenance has run. */
  private static long call(TokenVerifier cache, String method) throws ReflectiveOperationException {
    Method accessor = cache.getClass().getDeclaredMethod(method);
    accessor.setAccessible(true);
    return (long) accessor.invoke(cache);
  }
}
