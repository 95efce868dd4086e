package dev.fhirguard.benchmarks;

import dev.fhirguard.TokenVerifier;
import dev.fhirguard.internal.AuthSettings;
import dev.fhirguard.internal.ResolvedSettings;
import dev.fhirguard.internal.auth.Verifiers;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Map;

/**
 * Heap held by the verified-token cache: bytes per cached token, and the heap a cache of the
 * default bound ({@code fhirguard.auth.token-cache-size}, 10,000) holds after one million distinct
 * tokens. Measured as in {@link BucketMemory}: heap used after full collections, before and after.
 *
 * <ol>
 *   <li>{@code tokens} real RS256 tokens (SMART claims, about 950 characters), held outside the
 *       cache, verified by fhirguard's JWT verifier behind the cache: bytes per cached token
 *       without its token string, and the string's own size;
 *   <li>the same tokens through a cache in front of a verifier that parses them without checking
 *       their signature ({@link SmartTokens#trustingParser}): the same figure, to show that its
 *       entries are the real ones' size;
 *   <li>{@code flood} distinct tokens of the same claims and length, held only by the cache, through
 *       a cache bounded at {@code bound} in front of that parsing verifier: a million RSA
 *       signatures would take about half an hour here, a million parses take seconds. The heap
 *       held then, against bound x (entry + token).
 * </ol>
 *
 * <p>The number of cached tokens is read through the cache's package-private {@code size()} (by
 * reflection: the cache is internal and has no public accessor).
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -cp middleware-benchmarks/target/benchmarks.jar
 * dev.fhirguard.benchmarks.TokenCacheMemory [tokens] [flood] [bound]}.
 */
public final class TokenCacheMemory {

  private TokenCacheMemory() {}

  public static void main(String[] args) throws Exception {
    int defaultBound = AuthSettings.TOKEN_CACHE_SIZE.parse(
        AuthSettings.TOKEN_CACHE_SIZE.defaultValue());
    int count = args.length > 0 ? Integer.parseInt(args[0]) : defaultBound;
    int flood = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int bound = args.length > 2 ? Integer.parseInt(args[2]) : defaultBound;
    Heap.printJvm();

    SmartTokens smart = SmartTokens.create();
    ResolvedSettings settings = smart.settings(
        Map.of(AuthSettings.TOKEN_CACHE_SIZE.key(), String.valueOf(Math.max(count, bound))));
    long started = System.nanoTime();
    long empty = Heap.used();
    String[] tokens = new String[count];
    for (int i = 0; i < count; i++) {
      tokens[i] = smart.sign(i);
    }
    long withTokens = Heap.used();
    double perToken = (double) (withTokens - empty) / count;
    System.out.printf("%,d RS256 tokens of %d characters signed in %.1f s; bytes per token string"
        + " (with its array slot) %.1f%n", count, tokens[0].length(),
        (System.nanoTime() - started) / 1e9, perToken);

    double perEntry = perEntry("fhirguard's JWT verifier",
        Verifiers.create(settings, null, Clock.systemUTC()), tokens);
    perEntry("the parsing verifier", Verifiers.create(
        settings, SmartTokens.trustingParser(), Clock.systemUTC()), tokens);

    String signature = tokens[0];
    tokens = null;
    ResolvedSettings bounded = smart.settings(
        Map.of(AuthSettings.TOKEN_CACHE_SIZE.key(), String.valueOf(bound)));
    long before = Heap.used();
    TokenVerifier flooded =
        Verifiers.create(bounded, SmartTokens.trustingParser(), Clock.systemUTC());
    for (int i = 0; i < flood; i++) {
      flooded.verify(smart.unsigned(count + i, signature)); // tokens held only by the cache
    }
    long held = size(flooded);
    long after = Heap.used();
    System.out.printf("%,d distinct tokens through a cache bounded at %,d: %,d tokens held, heap"
        + " held %,d bytes (%.1f MiB); bound x (entry + token) = %,.0f bytes%n", flood, bound,
        held, after - before, (after - before) / 1048576.0, bound * (perEntry + perToken));
    if (held > bound) {
      throw new IllegalStateException(held + " tokens held, more than the bound " + bound);
    }
    java.lang.ref.Reference.reachabilityFence(flooded);
  }

  /** Bytes per cached token of {@code verifier}'s cache, filled with {@code tokens}. */
  private static double perEntry(String what, TokenVerifier verifier, String[] tokens)
      throws Exception {
    long before = Heap.used();
    for (String token : tokens) {
      verifier.verify(token);
    }
    long held = size(verifier);
    long after = Heap.used();
    if (held != tokens.length) {
      throw new IllegalStateException(held + " tokens cached of " + tokens.length);
    }
    double perEntry = (double) (after - before) / tokens.length;
    System.out.printf("%,d tokens cached in front of %s: bytes per cached token %.1f (without the"
        + " token string)%n", held, what, perEntry);
    java.lang.ref.Reference.reachabilityFence(verifier);
    return perEntry;
  }

  /** The cache's own count, after its pending maintenance (evictions) has run. */
  private static long size(TokenVerifier cache) throws ReflectiveOperationException {
    Method size = cache.getClass().getDeclaredMethod("size");
    size.setAccessible(true);
    return (long) size.invoke(cache);
  }
}
