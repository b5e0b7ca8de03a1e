package dev.foresight.controller.queue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.observe.JobObserver;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cap on evaluations in flight (an evaluation is in flight from the moment it is given a Job
 * until its status is final), with the rest waiting oldest first.
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
    Stream<ProbeEvaluation> evaluations();

    Optional<ProbeEvaluation> evaluation(ResourceID id);

    /** Whether the evaluation's Job exists (in the cache, or just created by this process). */
    boolean hasJob(ProbeEvaluation evaluation);
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
   * May {@code evaluation} get its Job now? Yes when there is a free slot that no older waiting
   * evaluation is entitled to. A yes reserves the slot until the Job shows in the cache, or until
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
      List<ProbeEvaluation> all = view.evaluations().toList();
      long free = cap - all.stream().filter(this::inFlight).count();
      long olderWaiting = all.stream()
          .filter(e -> !ResourceID.fromResource(e).equals(id) && waiting(e) && OLDEST_FIRST.compare(e, evaluation) < 0)
          .count();
      if (olderWaiting >= free) {
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
   * evaluations that should now be reconciled to take the free slots, oldest first.
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
    List<ProbeEvaluation> all = view.evaluations().toList();
    long free = cap - all.stream().filter(this::inFlight).count();
    return all.stream().filter(this::waiting).sorted(OLDEST_FIRST).limit(Math.max(0, free))
        .map(ResourceID::fromResource).toList();
  }

  public synchronized int inFlight() {
    return view == null ? 0 : (int) view.evaluations().filter(this::inFlight).count();
  }

  /** Evaluations in phase Queued: waiting for a slot. */
  public synchronized int queued() {
    return view == null ? 0
        : (int) view.evaluations().filter(e -> waiting(e) && phase(e) == Phase.Queued).count();
  }

  private boolean inFlight(ProbeEvaluation e) {
    return !isFinal(e) && (reserved.contains(ResourceID.fromResource(e)) || view.hasJob(e));
  }

  private boolean waiting(ProbeEvaluation e) {
    return !isFinal(e) && !reserved.contains(ResourceID.fromResource(e)) && !view.hasJob(e);
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
