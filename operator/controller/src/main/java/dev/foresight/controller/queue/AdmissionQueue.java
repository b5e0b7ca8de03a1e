package dev.foresight.controller.queue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.observe.JobObserver;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The cap on evaluations in flight (an evaluation is in flight from the moment it is given a Job
 * until its status is final), with the rest waiting their turn: the cap is shared fairly between
 * namespaces (see {@link #turns}), oldest first within one.
 *
 * <p>JOSDK reconciles different resources at once, and its caches lag the API server: a Job just
 * created may not be in the Job cache yet, and a status just written may not be in the resource
 * cache. A cap counted from the caches alone would let two reconciles both see a free slot, or let
 * one see none for a long time. So every decision is taken under one lock, and this class keeps
 * what the caches cannot know yet: the evaluations it admitted whose Job is not cached
 * ({@code reserved}) and those it saw finish whose final status is not cached
 * ({@code finished}). Each entry is dropped as soon as the cache catches up, so the caches remain
 * the record and a restarted operator (empty sets, freshly synced caches) counts right.
 */
public final class AdmissionQueue {

  /** What the operator's caches hold. */
  public interface View {
    /**
     * Every evaluation; an entry may be older than {@link #evaluation} gives for the same id (JOSDK
     * lists its informer's store, while a lookup also sees the status this process just wrote).
     */
    Stream<ProbeEvaluation> evaluations();

    Optional<ProbeEvaluation> evaluation(ResourceID id);

    /** Whether the evaluation's Job exists (in the cache, or just created by this process). */
    boolean hasJob(ProbeEvaluation evaluation);

    /**
     * Whether the evaluation cannot start whatever the slots (its probe.trainingRef names a
     * training that has not succeeded): it takes no turn, so it keeps no other evaluation waiting.
     */
    default boolean blocked(ProbeEvaluation evaluation) {
      return false;
    }
  }

  /** The answer to {@link #admit}. */
  public enum Decision { ADMITTED, QUEUED }

  private static final Comparator<ProbeEvaluation> OLDEST_FIRST = Comparator
      .comparing((ProbeEvaluation e) -> Optional.ofNullable(JobObserver.time(e.getMetadata().getCreationTimestamp()))
          .orElse(Instant.MAX))
      .thenComparing(e -> e.getMetadata().getNamespace())
      .thenComparing(e -> e.getMetadata().getName());

  private final int cap;
  private final Set<ResourceID> reserved = new HashSet<>();
  private final Set<ResourceID> finished = new HashSet<>();
  private View view;

  /** @param cap most evaluations in flight; 0 means no cap */
  public AdmissionQueue(int cap) {
    this.cap = cap;
  }

  public int cap() {
    return cap;
  }

  /** Connects the queue to the caches; JOSDK creates them after the reconciler. */
  public synchronized void observe(View view) {
    this.view = view;
  }

  /**
   * Lets go of the caches once the operator has stopped. The metrics registry's gauges read this
   * queue, and the Prometheus JVM metrics keep every registry they were added to reachable for the
   * life of the JVM: without this, a stopped operator's caches would stay in memory with them.
   */
  public synchronized void disconnect() {
    view = null;
    reserved.clear();
    finished.clear();
  }

  /**
   * May {@code evaluation} get its Job now? Yes when there is a free slot that no waiting
   * evaluation whose turn comes first is entitled to. A yes reserves the slot until the Job shows in the cache, or until
   * {@link #release} gives it back.
   */
  public synchronized Decision admit(ProbeEvaluation evaluation) {
    if (view == null) {
      return Decision.QUEUED; // stopped (or not started): nothing new runs
    }
    prune();
    ResourceID id = ResourceID.fromResource(evaluation);
    if (reserved.contains(id) || view.hasJob(evaluation)) {
      return Decision.ADMITTED;
    }
    if (cap > 0) {
      List<ProbeEvaluation> all = current();
      long free = cap - all.stream().filter(this::inFlight).count();
      long ahead = turns(all).stream().takeWhile(e -> !ResourceID.fromResource(e).equals(id)).count();
      if (ahead >= free) {
        return Decision.QUEUED;
      }
    }
    reserved.add(id);
    return Decision.ADMITTED;
  }

  /** The Job could not be created after all: the slot goes back. */
  public synchronized void release(ProbeEvaluation evaluation) {
    reserved.remove(ResourceID.fromResource(evaluation));
  }

  /**
   * {@code evaluation} reached a final phase (just written): its slot is free. Returns the
   * evaluations that should now be reconciled to take the free slots, in turn.
   */
  public synchronized List<ResourceID> finish(ProbeEvaluation evaluation) {
    if (view == null) {
      return List.of();
    }
    ResourceID id = ResourceID.fromResource(evaluation);
    reserved.remove(id);
    finished.add(id);
    prune();
    if (cap == 0) {
      return List.of();
    }
    List<ProbeEvaluation> all = current();
    long free = cap - all.stream().filter(this::inFlight).count();
    return turns(all).stream().limit(Math.max(0, free)).map(ResourceID::fromResource).toList();
  }

  /**
   * The waiting evaluations in the order they get free slots. Each slot goes to the namespace with
   * the fewest evaluations in flight, counting those given a slot before it in this order; within a
   * namespace the oldest goes first, and between namespaces level in that count, the older
   * evaluation. So one namespace's backlog (a monitor's backfill, or evaluations stuck Pending)
   * cannot keep every other namespace waiting, and with one namespace this is oldest first.
   */
  private List<ProbeEvaluation> turns(List<ProbeEvaluation> all) {
    Map<String, Long> load = all.stream().filter(this::inFlight)
        .collect(Collectors.groupingBy(e -> e.getMetadata().getNamespace(), Collectors.counting()));
    record Turn(long load, ProbeEvaluation evaluation) {}
    List<Turn> turns = new ArrayList<>();
    all.stream().filter(this::waiting).sorted(OLDEST_FIRST).forEach(e ->
        turns.add(new Turn(load.merge(e.getMetadata().getNamespace(), 1L, Long::sum) - 1, e)));
    return turns.stream()
        .sorted(Comparator.comparingLong(Turn::load).thenComparing(Turn::evaluation, OLDEST_FIRST))
        .map(Turn::evaluation)
        .toList();
  }

  public synchronized int inFlight() {
    return view == null ? 0 : (int) current().stream().filter(this::inFlight).count();
  }

  /** Evaluations in phase Queued: waiting for a slot. */
  public synchronized int queued() {
    return view == null ? 0
        : (int) current().stream().filter(e -> waiting(e) && phase(e) == Phase.Queued).count();
  }

  /**
   * Every evaluation at its newest known version. The list alone can lag a status this process has
   * just written: an evaluation whose final status was written would then still count as in flight
   * once {@link #prune} has seen that status by id and let go of it, and its slot would stay taken
   * until the informer caught up, with no one woken for it.
   */
  private List<ProbeEvaluation> current() {
    return view.evaluations().map(e -> view.evaluation(ResourceID.fromResource(e)).orElse(e)).toList();
  }

  private boolean inFlight(ProbeEvaluation e) {
    return !isFinal(e) && (reserved.contains(ResourceID.fromResource(e)) || view.hasJob(e));
  }

  private boolean waiting(ProbeEvaluation e) {
    return !isFinal(e) && !reserved.contains(ResourceID.fromResource(e)) && !view.hasJob(e) && !view.blocked(e);
  }

  private boolean isFinal(ProbeEvaluation e) {
    Phase phase = phase(e);
    return phase != null && phase.isFinal() || finished.contains(ResourceID.fromResource(e));
  }

  private static Phase phase(ProbeEvaluation e) {
    return e.getStatus() == null ? null : e.getStatus().getPhase();
  }

  /** Forgets what the caches now show themselves (or what no longer exists). */
  private void prune() {
    reserved.removeIf(id -> view.evaluation(id)
        .map(e -> view.hasJob(e) || phase(e) != null && phase(e).isFinal())
        .orElse(true));
    finished.removeIf(id -> view.evaluation(id).map(e -> phase(e) != null && phase(e).isFinal()).orElse(true));
  }
}
