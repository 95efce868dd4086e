package dev.fhirguard.internal.auth;

import com.github.benmanes.caffeine.cache.Weigher;
import dev.fhirguard.VerifiedClient;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;

/**
 * The heap a cached token holds, estimated in bytes for a 64-bit JVM with compressed references:
 * the token string (one byte per character: a token is ASCII), the client with its scopes, and
 * its claims walked through nested maps and lists, each string by its length. The constants were
 * measured with {@code TokenCacheMemory} (docs/benchmarks.md). A claim object of another kind (a
 * plugged-in verifier's own) counts as a small object.
 */
final class TokenWeigher implements Weigher<String, VerifiedClient> {

  /** Cache node, token string headers, client, its scope set and claim map, expiry. */
  static final int ENTRY = 384;
  /** A string's object and array headers. */
  static final int STRING = 44;
  /** A map entry or a set element, with its share of the table. */
  static final int MEMBER = 56;
  /** A list element's slot. */
  static final int ELEMENT = 8;
  /** A nested map or list, or a small object (a number). */
  static final int OBJECT = 64;

  @Override
  public int weigh(String token, VerifiedClient client) {
    long bytes = ENTRY + token.length();
    for (String scope : client.scopes()) {
      bytes += MEMBER + STRING + scope.length();
    }
    bytes += claims(client.claims(), Integer.MAX_VALUE - bytes);
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /**
   * The bytes of the claims, walked without recursion; the walk stops once {@code limit} is
   * reached (a cyclic structure from a plugged-in verifier then weighs the limit).
   */
  private static long claims(Map<String, Object> claims, long limit) {
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(claims);
    long bytes = 0;
    while (!pending.isEmpty() && bytes < limit) {
      Object value = pending.pop();
      if (value instanceof String text) {
        bytes += STRING + text.length();
      } else if (value instanceof Map<?, ?> map) {
        bytes += OBJECT + (long) MEMBER * map.size();
        for (Map.Entry<?, ?> member : map.entrySet()) {
          pending.push(member.getKey());
          pushIfPresent(pending, member.getValue());
        }
      } else if (value instanceof Collection<?> list) {
        bytes += OBJECT + (long) ELEMENT * list.size();
        list.forEach(item -> pushIfPresent(pending, item));
      } else if (!(value instanceof Boolean)) {
        bytes += OBJECT / 4; // a boxed number; Boolean.TRUE and FALSE are shared
      }
    }
    return Math.min(bytes, limit);
  }

  private static void pushIfPresent(Deque<Object> pending, Object value) {
    if (value != null) {
      pending.push(value);
    }
  }
}
