package dev.fhirguard.redis.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Reservation ids: 128 random bits, unique across replicas in practice. */
final class ReservationIds {

  private ReservationIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toUnsignedString(random.nextLong(), 36) + "-"
        + Long.toUnsignedString(random.nextLong(), 36);
  }
}
