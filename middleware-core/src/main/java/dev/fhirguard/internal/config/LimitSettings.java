package dev.fhirguard.internal.config;

import java.time.Duration;
import java.util.List;

/**
 * The settings of the rate limits (per verified client, and per network address in front of
 * authentication) and of the bulk-export limits, with per-client overrides under {@code
 * fhirguard.clients.<client-id>.}.
 */
public final class LimitSettings {

  private static final String CLIENT = "fhirguard.clients.<client-id>.";

  public static final Setting<Boolean> RATE_LIMIT_ENABLED =
      Setting.bool("fhirguard.rate-limit.enabled", false,
          "Give every client a token bucket: a request takes tokens from its client's bucket and"
              + " is refused with 429 RATE_LIMITED when there are not enough. The client is the"
              + " verified client id, or the network address where no token is required (an IPv6"
              + " address by its /64 network).");

  public static final Setting<Integer> RATE_LIMIT_CAPACITY =
      Setting.integer("fhirguard.rate-limit.capacity", 1000, 1, 1_000_000_000,
          "Size of a client's bucket: the requests it may make at once after being idle"
              + " (X-RateLimit-Limit).");

  public static final Setting<Duration> RATE_LIMIT_PERIOD =
      Setting.duration("fhirguard.rate-limit.period", "1m", Duration.ofSeconds(1),
          Duration.ofDays(1), "Time in which an empty bucket refills to its capacity.");

  public static final Setting<String> RATE_LIMIT_REFILL =
      Setting.oneOf("fhirguard.rate-limit.refill", "greedy", List.of("greedy", "interval"),
          "greedy: tokens come back one by one, evenly over the period; interval: the whole"
              + " capacity comes back at once at the end of each period (a fixed window).");

  public static final Setting<Integer> RATE_LIMIT_MAX_CLIENTS =
      Setting.integer("fhirguard.rate-limit.max-clients", 100_000, 1, 100_000_000,
          "Most client buckets held in memory. A bucket idle for its period is full and is"
              + " dropped first; past the bound, the least valuable bucket is evicted.");

  public static final Setting<Integer> EXPORT_KICKOFF_COST =
      Setting.integer("fhirguard.rate-limit.export-kickoff-cost", 10, 0, 1_000_000_000,
          "Tokens a bulk export kick-off ($export) takes; at most the client's capacity is"
              + " taken.");

  public static final Setting<Integer> EXPORT_POLL_COST =
      Setting.integer("fhirguard.rate-limit.export-poll-cost", 0, 0, 1_000_000_000,
          "Tokens a status poll or cancel of the client's own export job takes.");

  public static final Setting<Boolean> RATE_LIMIT_HEADERS =
      Setting.bool("fhirguard.rate-limit.headers", true,
          "Send X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (seconds until"
              + " the bucket is full again, a delay, not a time) on every response to a"
              + " rate-limited client.");

  public static final Setting<Boolean> RATE_LIMIT_IETF_HEADERS =
      Setting.bool("fhirguard.rate-limit.ietf-headers", false,
          "Also send the IETF RateLimit-Policy and RateLimit fields"
              + " (draft-ietf-httpapi-ratelimit-headers).");

  public static final Setting<Boolean> ADDRESS_LIMIT_ENABLED =
      Setting.bool("fhirguard.address-limit.enabled", false,
          "Give every network address a token bucket that is checked before authentication, so"
              + " a flood of requests with bad tokens is refused (429 ADDRESS_RATE_LIMITED) before"
              + " any signature is checked. Addresses behind a trusted proxy are read from its"
              + " forwarding headers.");

  public static final Setting<Integer> ADDRESS_LIMIT_CAPACITY =
      Setting.integer("fhirguard.address-limit.capacity", 600, 1, 1_000_000_000,
          "Size of an address's bucket. Keep it above the sum of the client limits expected"
              + " behind one address (a NAT or proxy).");

  public static final Setting<Duration> ADDRESS_LIMIT_PERIOD =
      Setting.duration("fhirguard.address-limit.period", "1m", Duration.ofSeconds(1),
          Duration.ofDays(1), "Time in which an empty address bucket refills to its capacity.");

  public static final Setting<Integer> ADDRESS_LIMIT_MAX_ADDRESSES =
      Setting.integer("fhirguard.address-limit.max-addresses", 100_000, 1, 100_000_000,
          "Most address buckets held in memory, for the address limit and, separately, for the"
              + " rate limit of requests without a token.");

  public static final Setting<Integer> EXPORT_MAX_CONCURRENT =
      Setting.integer("fhirguard.export.max-concurrent", 1, 0, 1000,
          "Bulk export jobs a client may have running; one more kick-off gets 429"
              + " EXPORT_LIMIT_REACHED. A job counts from its 202 kick-off answer until its status"
              + " URL answers 200, 404, 410 or 500, it is cancelled, or job-ttl passes."
              + " 0: no limit.");

  public static final Setting<Duration> EXPORT_MIN_POLL_INTERVAL =
      Setting.duration("fhirguard.export.min-poll-interval", "2s", Duration.ZERO,
          Duration.ofHours(1),
          "Shortest time between two status polls of one export job; a faster poll gets 429"
              + " EXPORT_POLLED_TOO_SOON. The first poll after the kick-off is never refused; a"
              + " longer Retry-After on the server's in-progress 202 sets the pace instead; the"
              + " kick-off's 202 and every in-progress 202 carry a Retry-After of at least this."
              + " 0s: polls are not paced at all.");

  public static final Setting<Duration> EXPORT_JOB_TTL =
      Setting.duration("fhirguard.export.job-ttl", "1h", Duration.ofSeconds(1),
          Duration.ofDays(7),
          "A job whose status URL has not been polled for this long is abandoned: its slot is"
              + " freed.");

  public static final Setting<Duration> EXPORT_RETRY_AFTER =
      Setting.duration("fhirguard.export.retry-after", "1m", Duration.ofSeconds(1),
          Duration.ofDays(1), "Retry-After sent with 429 EXPORT_LIMIT_REACHED.");

  public static final Setting<Integer> CLIENT_RATE_LIMIT_CAPACITY =
      Setting.overrideOf(CLIENT + "rate-limit.capacity", RATE_LIMIT_CAPACITY, "This client's");

  public static final Setting<Duration> CLIENT_RATE_LIMIT_PERIOD =
      Setting.overrideOf(CLIENT + "rate-limit.period", RATE_LIMIT_PERIOD, "This client's");

  public static final Setting<Integer> CLIENT_EXPORT_MAX_CONCURRENT =
      Setting.overrideOf(CLIENT + "export.max-concurrent", EXPORT_MAX_CONCURRENT, "This client's");

  static final List<Setting<?>> ALL =
      List.of(RATE_LIMIT_ENABLED, RATE_LIMIT_CAPACITY, RATE_LIMIT_PERIOD, RATE_LIMIT_REFILL,
          RATE_LIMIT_MAX_CLIENTS, EXPORT_KICKOFF_COST, EXPORT_POLL_COST, RATE_LIMIT_HEADERS,
          RATE_LIMIT_IETF_HEADERS, ADDRESS_LIMIT_ENABLED, ADDRESS_LIMIT_CAPACITY,
          ADDRESS_LIMIT_PERIOD, ADDRESS_LIMIT_MAX_ADDRESSES, EXPORT_MAX_CONCURRENT,
          EXPORT_MIN_POLL_INTERVAL, EXPORT_JOB_TTL, EXPORT_RETRY_AFTER, CLIENT_RATE_LIMIT_CAPACITY,
          CLIENT_RATE_LIMIT_PERIOD, CLIENT_EXPORT_MAX_CONCURRENT);

  private LimitSettings() {}
}
