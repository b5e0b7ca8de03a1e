package dev.foresight.controller.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.controller.queue.AdmissionQueue.Decision;
import dev.foresight.controller.support.Fixtures;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {

  /**
   * Caches as JOSDK keeps them: what the "server" has is copied into the cache only when the test
   * says so, so that the queue must cope with a cache that lags.
   */
  static final class LaggingCaches implements AdmissionQueue.View {
    final Map<ResourceID, ProbeEvaluation> evaluations = new ConcurrentHashMap<>();
    final Set<ResourceID> jobsOnServer = ConcurrentHashMap.newKeySet();
    final Set<ResourceID> jobsInCache = ConcurrentHashMap.newKeySet();
    /** Evaluations whose probe's training has not succeeded. */
    final Set<ResourceID> blocked = ConcurrentHashMap.newKeySet();

    AdmissionQueue queue(int cap) {
      AdmissionQueue queue = new AdmissionQueue(cap);
      queue.observe(this);
      return queue;
    }

    ProbeEvaluation add(String name, int secondsAfterStart) {
      return add("ns", name, secondsAfterStart);
    }

    ProbeEvaluation add(String namespace, String name, int secondsAfterStart) {
      ProbeEvaluation e = Fixtures.evaluation(namespace, name, secondsAfterStart);
      e.getMetadata().setCreationTimestamp(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(secondsAfterStart).toString());
      evaluations.put(ResourceID.fromResource(e), e);
      return e;
    }

    void createJob(ProbeEvaluation e) {
      jobsOnServer.add(ResourceID.fromResource(e));
    }

    void syncJobs() {
      jobsInCache.addAll(jobsOnServer);
    }

    void setPhase(ProbeEvaluation e, Phase phase) {
      evaluations.put(ResourceID.fromResource(e), withPhase(e, phase));
    }

    private static ProbeEvaluation withPhase(ProbeEvaluation e, Phase phase) {
      ProbeEvaluationStatus status = new ProbeEvaluationStatus();
      status.setPhase(phase);
      ProbeEvaluation copy = Fixtures.evaluation(e.getMetadata().getNamespace(), e.getMetadata().getName(), 0);
      copy.setMetadata(e.getMetadata());
      copy.setStatus(status);
      return copy;
    }

    @Override
    public Stream<ProbeEvaluation> evaluations() {
      return evaluations.values().stream();
    }

    @Override
    public Optional<ProbeEvaluation> evaluation(ResourceID id) {
      return Optional.ofNullable(written.getOrDefault(id, evaluations.get(id)));
    }

    /**
     * What JOSDK's lookup by id sees before its list does: a status this process just wrote (its
     * temporary cache), until the informer's store catches up.
     */
    final Map<ResourceID, ProbeEvaluation> written = new ConcurrentHashMap<>();

    void writeFinal(ProbeEvaluation e, Phase phase) {
      written.put(ResourceID.fromResource(e), withPhase(e, phase));
    }

    @Override
    public boolean hasJob(ProbeEvaluation evaluation) {
      return jobsInCache.contains(ResourceID.fromResource(evaluation));
    }

    @Override
    public boolean blocked(ProbeEvaluation evaluation) {
      return blocked.contains(ResourceID.fromResource(evaluation));
    }
  }

  /**
   * The status just written is seen by a lookup by id before the informer's list has it (JOSDK's
   * temporary cache). The queue must count the finished evaluation as finished by either, or its
   * slot stays taken and the queued one is not woken (CI saw this: the woken list was empty while
   * the finished evaluation still counted as Running in the list).
   */
  @Test
  void aFinalStatusSeenOnlyByIdStillFreesTheSlot() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(1);
    ProbeEvaluation a = caches.add("a", 1);
    ProbeEvaluation b = caches.add("b", 2);
    assertEquals(Decision.ADMITTED, queue.admit(a));
    caches.createJob(a);
    caches.syncJobs();
    caches.setPhase(a, Phase.Running);
    assertEquals(Decision.QUEUED, queue.admit(b));
    caches.setPhase(b, Phase.Queued);

    caches.writeFinal(a, Phase.Succeeded); // the list still says Running
    assertEquals(List.of(ResourceID.fromResource(b)), queue.finish(a));
    assertEquals(0, queue.inFlight());
    assertEquals(Decision.ADMITTED, queue.admit(b));
  }

  @Test
  void anEvaluationWaitingForItsTrainingKeepsNoOneWaiting() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(1);
    ProbeEvaluation running = caches.add("running", 0);
    ProbeEvaluation untrained = caches.add("untrained", 1);
    ProbeEvaluation ready = caches.add("ready", 2);
    caches.blocked.add(ResourceID.fromResource(untrained));
    assertEquals(Decision.ADMITTED, queue.admit(running));
    caches.createJob(running);
    caches.syncJobs();
    assertEquals(Decision.QUEUED, queue.admit(ready));
    caches.setPhase(ready, Phase.Queued);

    assertEquals(List.of(ResourceID.fromResource(ready)), queue.finish(running),
        "the older evaluation cannot start: the slot goes to the next");
    assertEquals(Decision.ADMITTED, queue.admit(ready));
  }

  @Test
  void theCapHoldsWhileTheJobCacheLags() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(2);
    ProbeEvaluation a = caches.add("a", 0);
    ProbeEvaluation b = caches.add("b", 1);
    ProbeEvaluation c = caches.add("c", 2);
    assertEquals(Decision.ADMITTED, queue.admit(a));
    caches.createJob(a); // not in the cache yet
    assertEquals(Decision.ADMITTED, queue.admit(b));
    caches.createJob(b);
    assertEquals(Decision.QUEUED, queue.admit(c), "a and b hold both slots though no cache shows their Jobs");
    assertEquals(2, queue.inFlight());
    caches.syncJobs();
    assertEquals(Decision.QUEUED, queue.admit(c));
    assertEquals(Decision.ADMITTED, queue.admit(a), "asking again changes nothing");
  }

  @Test
  void aFinishedEvaluationFreesItsSlotBeforeTheCacheShowsItAndWakesTheOldestWaiting() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(1);
    ProbeEvaluation a = caches.add("a", 0);
    ProbeEvaluation c = caches.add("c", 5);
    ProbeEvaluation b = caches.add("b", 3);
    assertEquals(Decision.ADMITTED, queue.admit(a));
    caches.createJob(a);
    caches.syncJobs();
    assertEquals(Decision.QUEUED, queue.admit(c));
    assertEquals(Decision.QUEUED, queue.admit(b));
    caches.setPhase(c, Phase.Queued);
    caches.setPhase(b, Phase.Queued);
    assertEquals(2, queue.queued());

    List<ResourceID> woken = queue.finish(a); // the cache still says a is running
    assertEquals(List.of(ResourceID.fromResource(b)), woken, "the oldest waiting one, and only as many as slots");
    assertEquals(Decision.QUEUED, queue.admit(c), "c is younger than b, who is entitled to the slot");
    assertEquals(Decision.ADMITTED, queue.admit(b));
  }

  @Test
  void aNamespacesBacklogDoesNotKeepOtherNamespacesWaiting() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(2);
    List<ProbeEvaluation> busy = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      busy.add(caches.add("busy", "b" + i, i));
    }
    for (ProbeEvaluation e : busy.subList(0, 2)) {
      assertEquals(Decision.ADMITTED, queue.admit(e));
      caches.createJob(e);
    }
    caches.syncJobs();
    ProbeEvaluation quiet = caches.add("quiet", "q0", 10);
    ProbeEvaluation quieter = caches.add("quiet", "q1", 11);
    assertEquals(Decision.QUEUED, queue.admit(busy.get(2)));
    assertEquals(Decision.QUEUED, queue.admit(quiet));

    // busy runs 2, quiet none: the slot goes to quiet, though busy's waiting ones are older.
    caches.setPhase(busy.get(0), Phase.Succeeded);
    assertEquals(List.of(ResourceID.fromResource(quiet)), queue.finish(busy.get(0)));
    assertEquals(Decision.QUEUED, queue.admit(busy.get(2)), "quiet's turn, not busy's oldest");
    assertEquals(Decision.ADMITTED, queue.admit(quiet));
    caches.createJob(quiet);
    caches.syncJobs();

    // One in flight each: level, so the older waiting one goes first, which is busy's.
    caches.setPhase(busy.get(1), Phase.Succeeded);
    assertEquals(List.of(ResourceID.fromResource(busy.get(2))), queue.finish(busy.get(1)));
    assertEquals(Decision.QUEUED, queue.admit(quieter));
    assertEquals(Decision.ADMITTED, queue.admit(busy.get(2)));
  }

  @Test
  void aReleasedReservationGivesTheSlotBack() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(1);
    ProbeEvaluation a = caches.add("a", 0);
    ProbeEvaluation b = caches.add("b", 1);
    assertEquals(Decision.ADMITTED, queue.admit(a));
    queue.release(a); // its Job could not be created
    caches.setPhase(a, Phase.Failed);
    assertEquals(Decision.ADMITTED, queue.admit(b));
  }

  @Test
  void noCapAdmitsAll() {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(0);
    for (int i = 0; i < 50; i++) {
      assertEquals(Decision.ADMITTED, queue.admit(caches.add("e" + i, i)));
    }
    assertEquals(50, queue.inFlight());
  }

  @Test
  void aStoppedOperatorsQueueLetsGoOfTheCaches() throws InterruptedException {
    LaggingCaches caches = new LaggingCaches();
    AdmissionQueue queue = caches.queue(1);
    ProbeEvaluation a = caches.add("a", 0);
    ProbeEvaluation b = caches.add("b", 1);
    assertEquals(Decision.ADMITTED, queue.admit(a));
    queue.disconnect();
    assertEquals(0, queue.inFlight(), "the gauges read zero, not the stopped caches");
    assertEquals(0, queue.queued());
    assertEquals(Decision.QUEUED, queue.admit(b), "nothing starts once the operator stopped");
    assertEquals(List.of(), queue.finish(a));
    // The metrics registry (kept alive by the JVM metrics) holds the queue: the caches must not be.
    WeakReference<LaggingCaches> cachesRef = new WeakReference<>(caches);
    caches = null;
    for (int i = 0; i < 20 && cachesRef.get() != null; i++) {
      System.gc();
      Thread.sleep(50);
    }
    assertNull(cachesRef.get(), "the disconnected queue still holds the caches");
  }

  @Test
  void concurrentReconcilesNeverOvershoot() throws Exception {
    LaggingCaches caches = new LaggingCaches();
    int cap = 5;
    AdmissionQueue queue = caches.queue(cap);
    List<ProbeEvaluation> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(caches.add(String.format("e%03d", i), i));
    }
    Set<ResourceID> admitted = ConcurrentHashMap.newKeySet();
    Set<ResourceID> done = ConcurrentHashMap.newKeySet();
    AtomicInteger finished = new AtomicInteger();
    // In flight as the test sees it: counted up after admit() says yes and down before the slot is
    // given back, so it never exceeds what the queue holds at that moment: above the cap only if the
    // queue overshot. (Counting the sets instead would mix moments of different threads.)
    AtomicInteger live = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> runs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Random random = new Random(42 + t);
      runs.add(threads.submit(() -> {
        go.await();
        // Each thread plays reconciles of random evaluations; some finish, and caches sync now and then.
        for (int i = 0; i < 20_000 && finished.get() < all.size(); i++) {
          ProbeEvaluation e = all.get(random.nextInt(all.size()));
          ResourceID id = ResourceID.fromResource(e);
          if (!admitted.contains(id)) {
            // Two threads may reconcile the same evaluation at once; both hear yes, it counts once.
            if (queue.admit(e) == Decision.ADMITTED && admitted.add(id)) {
              mostAtOnce.accumulateAndGet(live.incrementAndGet(), Math::max);
              caches.createJob(e);
            }
          } else if (random.nextInt(4) == 0 && done.add(id)) {
            live.decrementAndGet();
            caches.setPhase(e, Phase.Succeeded);
            queue.finish(e);
            finished.incrementAndGet();
          }
          if (random.nextInt(10) == 0) {
            caches.syncJobs();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> run : runs) {
      run.get();
    }
    threads.shutdown();
    assertTrue(mostAtOnce.get() <= cap, "at most " + cap + " in flight, saw " + mostAtOnce.get());
    assertEquals(all.size(), finished.get(), "every evaluation got a slot in turn");
  }
}
