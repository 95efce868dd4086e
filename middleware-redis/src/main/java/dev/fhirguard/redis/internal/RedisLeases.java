package dev.fhirguard.redis.internal;

import dev.fhirguard.cluster.ExportLeases.Reservation;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;

/**
 * Export leases in Redis, each operation one atomic Lua script on two keys per client: a sorted
 * set of its reservations and jobs by lease expiry, and a hash of when each job may next be
 * polled. Time is Redis's own ({@code TIME}), the same for every replica. Every write sets both
 * keys to expire with the longest lease in them. Failures are thrown.
 */
final class RedisLeases {

  /** Redis's time in milliseconds as {@code now}. */
  private static final String NOW = "local t = redis.call('TIME') "
      + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

  /** Keeps both keys for the longest lease in them, {@code ARGV[n]} milliseconds from now. */
  private static String keep(int ttlArgument) {
    return "redis.call('PEXPIRE', KEYS[1], ARGV[" + ttlArgument + "]) "
        + "if redis.call('EXISTS', KEYS[2]) == 1 then "
        + "redis.call('PEXPIRE', KEYS[2], ARGV[" + ttlArgument + "]) end ";
  }

  /** 1 when the job ARGV[1] holds an unexpired lease, else 0. */
  private static final String RUNNING_JOB = "local e = redis.call('ZSCORE', KEYS[1], ARGV[1]) "
      + "local running = e and tonumber(e) > now ";

  /** ARGV: max (0: none), member, ttl. Returns {reserved 1/0, expired leases dropped}. */
  private static final String RESERVE = NOW
      + "local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now) "
      + "for _, m in ipairs(expired) do "
      + "redis.call('ZREM', KEYS[1], m) redis.call('HDEL', KEYS[2], m) end "
      + "local max = tonumber(ARGV[1]) "
      + "if max > 0 and redis.call('ZCARD', KEYS[1]) >= max then return {0, #expired} end "
      + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2]) "
      + keep(3)
      + "return {1, #expired}";

  /** ARGV: reservation member, job member, ttl. The first poll is allowed at once. */
  private static final String STARTED = NOW
      + "redis.call('ZREM', KEYS[1], ARGV[1]) "
      + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2]) "
      + "redis.call('HSET', KEYS[2], ARGV[2], now) "
      + keep(3)
      + "return 1";

  /** ARGV: job. Returns {running 1/0, the client's leases}. */
  private static final String IS_RUNNING = NOW + RUNNING_JOB
      + "return {running and 1 or 0, redis.call('ZCARD', KEYS[1])}";

  /** ARGV: job, ttl, min interval. Returns the milliseconds to wait, 0 when admitted. */
  private static final String POLL = NOW + RUNNING_JOB
      + "if not running then return 0 end "
      + "local due = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') "
      + "if now < due then return due - now end "
      + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
      + "redis.call('HSET', KEYS[2], ARGV[1], now + tonumber(ARGV[3])) "
      + keep(2)
      + "return 0";

  /** ARGV: job, ttl, wait. */
  private static final String POLL_NOT_BEFORE = NOW + RUNNING_JOB
      + "if not running then return 0 end "
      + "redis.call('HSET', KEYS[2], ARGV[1], now + tonumber(ARGV[3])) "
      + "redis.call('PEXPIRE', KEYS[2], ARGV[2]) "
      + "return 1";

  /** ARGV: job. */
  private static final String ENDED = "redis.call('ZREM', KEYS[1], ARGV[1]) "
      + "redis.call('HDEL', KEYS[2], ARGV[1]) return 1";

  private final RedisLink redis;
  private final RedisKeys keys;
  private final String ttl;
  private final String minPollInterval;

  RedisLeases(RedisLink redis, RedisKeys keys, Duration ttl, Duration minPollInterval) {
    this.redis = redis;
    this.keys = keys;
    this.ttl = Long.toString(ttl.toMillis());
    this.minPollInterval = Long.toString(minPollInterval.toMillis());
  }

  /** @return whether the slot was reserved, and how many expired leases were dropped meanwhile */
  Reserved reserve(Reservation reservation, int max) {
    List<Long> answer = eval(RESERVE, ScriptOutputType.MULTI, reservation.clientKey(),
        Integer.toString(max), RedisKeys.reservation(reservation.id()), ttl);
    return new Reserved(answer.get(0) == 1, answer.get(1).intValue());
  }

  void started(Reservation reservation, String statusKey) {
    eval(STARTED, ScriptOutputType.INTEGER, reservation.clientKey(),
        RedisKeys.reservation(reservation.id()), RedisKeys.job(statusKey), ttl);
  }

  void release(Reservation reservation) {
    redis.commands().zrem(keys.leases(reservation.clientKey()),
        RedisKeys.reservation(reservation.id()));
  }

  /** Whether the job runs, and whether the client holds any lease at all. */
  Running isRunning(String clientKey, String statusKey) {
    List<Long> answer = eval(IS_RUNNING, ScriptOutputType.MULTI, clientKey,
        RedisKeys.job(statusKey));
    return new Running(answer.get(0) == 1, answer.get(1) > 0);
  }

  Duration poll(String clientKey, String statusKey) {
    long wait = eval(POLL, ScriptOutputType.INTEGER, clientKey, RedisKeys.job(statusKey), ttl,
        minPollInterval);
    return Duration.ofMillis(wait);
  }

  void pollNotBefore(String clientKey, String statusKey, Duration wait) {
    eval(POLL_NOT_BEFORE, ScriptOutputType.INTEGER, clientKey, RedisKeys.job(statusKey), ttl,
        Long.toString(Math.max(0, wait.toMillis())));
  }

  void ended(String clientKey, String statusKey) {
    eval(ENDED, ScriptOutputType.INTEGER, clientKey, RedisKeys.job(statusKey));
  }

  private <T> T eval(String script, ScriptOutputType type, String clientKey, String... args) {
    return redis.commands().eval(script, type,
        new String[] {keys.leases(clientKey), keys.polls(clientKey)}, args);
  }

  record Reserved(boolean reserved, int expired) {}

  record Running(boolean running, boolean anyLease) {}
}
