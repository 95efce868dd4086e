package dev.fhirguard.demo.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirguard.FhirGuard;
import dev.fhirguard.FhirGuardConfig;
import dev.fhirguard.sample.GroupProvider;
import dev.fhirguard.sample.PatientProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job store on its own: its bound, the expiry of jobs, owners, and a clean stop. */
class ExportJobsTest {

  private static final ExportScope PATIENTS =
      new ExportScope(ExportLevel.SYSTEM, List.of("Patient"), null, null);

  private final SettableClock clock = new SettableClock(Instant.parse("2024-05-01T10:00:00Z"));
  private final ExportGate gate = new ExportGate();
  private ExportJobs jobs;

  @BeforeEach
  void start() throws Exception {
    FhirGuard guard =
        FhirGuard.create(FhirGuardConfig.load(Map.of("fhirguard.auth.enabled", "false")));
    ExportSources sources =
        new ExportSources(new PatientProvider(), List::of, new GroupProvider());
    jobs = new ExportJobs(gate,
        new ExportRunner(sources, guard.bulkExport(), gate, clock, ExportJobs.KEEP), clock);
    jobs.start();
  }

  @AfterEach
  void stop() throws Exception {
    jobs.stop();
  }

  private ExportJob startJob(String owner) {
    return jobs.start(owner, "kickoff-id", PATIENTS, "http://x/fhir/$export", "http://x/fhir",
        List.of());
  }

  @Test
  void a_finished_job_is_kept_for_an_hour_after_it_ended() throws Exception {
    ExportJob job = startJob("a");
    assertTrue(jobs.run(Duration.ofSeconds(10)));
    assertEquals(ExportJob.State.COMPLETE, job.state());

    clock.advance(ExportJobs.KEEP.minusSeconds(1));
    assertTrue(jobs.find(job.id(), "a").isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(jobs.find(job.id(), "a").isEmpty());
  }

  @Test
  void a_job_is_found_only_by_its_owner() throws Exception {
    ExportJob job = startJob("a");
    jobs.run(Duration.ofSeconds(10));

    assertTrue(jobs.find(job.id(), "b").isEmpty());
    assertTrue(jobs.find(job.id(), null).isEmpty());
    assertTrue(jobs.find(null, "a").isEmpty());
    assertTrue(jobs.find(job.id(), "a").isPresent());
  }

  @Test
  void when_the_store_is_full_of_running_jobs_no_job_starts_until_one_ends() throws Exception {
    jobs.hold();
    List<ExportJob> started = new ArrayList<>();
    for (int i = 0; i < ExportJobs.MAX_JOBS; i++) {
      started.add(assertStarted(startJob("client-" + i)));
    }
    assertEquals(ExportJobs.MAX_JOBS, jobs.running());

    assertNull(startJob("one-too-many"));

    assertTrue(jobs.run(Duration.ofSeconds(30)));
    assertNotNull(startJob("after"), "the oldest ended job makes room");
    assertTrue(jobs.find(started.get(0).id(), "client-0").isEmpty());
    assertTrue(jobs.find(started.get(1).id(), "client-1").isPresent());
    jobs.run(Duration.ofSeconds(10));
  }

  @Test
  void cancelled_jobs_that_never_ran_leave_room_for_new_ones() throws Exception {
    jobs.hold();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < ExportJobs.MAX_JOBS; i++) {
        ExportJob job = assertStarted(startJob("client-" + i));
        assertTrue(jobs.cancel(job.id(), "client-" + i));
      }
    }
    assertEquals(0, jobs.running());
    assertTrue(jobs.run(Duration.ofSeconds(10)));
  }

  @Test
  void a_running_job_that_expires_is_cancelled() throws Exception {
    jobs.hold();
    ExportJob job = startJob("a");

    clock.advance(ExportJobs.KEEP);

    assertTrue(jobs.find(job.id(), "a").isEmpty());
    assertTrue(jobs.run(Duration.ofSeconds(10)));
    assertEquals(0, jobs.running());
  }

  @Test
  void stopping_interrupts_held_jobs_and_forgets_every_job() throws Exception {
    jobs.hold();
    ExportJob job = startJob("a");

    jobs.stop();

    assertTrue(jobs.isStopped());
    assertTrue(jobs.find(job.id(), "a").isEmpty());
  }

  private static ExportJob assertStarted(ExportJob job) {
    assertNotNull(job);
    return job;
  }

  /** A clock the test moves. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
