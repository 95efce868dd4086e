package dev.fhirguard.redis.internal;

import dev.fhirguard.RateLimitStore.Policy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The names of fhirguard's Redis keys, all under one prefix. A part longer than {@link #MAX_PART}
 * characters (a long client id, a long status URL) is replaced by {@code #} and its SHA-256 in
 * base64url, so no key is longer than the prefix plus about 200 characters.
 */
final class RedisKeys {

  static final int MAX_PART = 128;

  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  /**
   * A token bucket: the policy's shape is part of the name, so a bucket made under other settings
   * (a changed capacity, period or refill) is not reused.
   */
  String bucket(String key, Policy policy) {
    return prefix + "rl:" + policy.capacity() + "/" + policy.period().toMillis()
        + (policy.interval() ? "i:" : "g:") + bounded(key);
  }

  /** A client's export leases (a sorted set, by expiry); a hash tag keeps both keys together. */
  String leases(String clientKey) {
    return prefix + "ex:{" + bounded(clientKey) + "}";
  }

  /** When each of a client's jobs may next be polled (a hash). */
  String polls(String clientKey) {
    return leases(clientKey) + ":polls";
  }

  /** The member of a reservation in {@link #leases}. */
  static String reservation(String id) {
    return "r:" + id;
  }

  /** The member of a job in {@link #leases} and {@link #polls}. */
  static String job(String statusKey) {
    return "j:" + bounded(statusKey);
  }

  String maintenance() {
    return prefix + "maintenance";
  }

  /** {@code part} itself, or {@code #} and its SHA-256 when it is long (or starts with {@code #}). */
  static String bounded(String part) {
    if (part.length() <= MAX_PART && !part.startsWith("#")) {
      return part;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(part.getBytes(StandardCharsets.UTF_8));
      return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException impossible) { // every JVM has SHA-256
      throw new IllegalStateException(impossible);
    }
  }
}
