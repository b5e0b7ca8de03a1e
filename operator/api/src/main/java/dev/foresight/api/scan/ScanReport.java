package dev.foresight.api.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code foresight scan} hands a ProbeMonitor through its termination message (at most 4096
 * bytes, see {@link ScanCodec}): the ready checkpoints whose steps lie strictly between the scan's
 * {@code --above} and {@code --below} (and within {@code --from}/{@code --to}), newest first. When
 * they do not all fit, the oldest are left out and {@code more} is set: the next page is a scan
 * with {@code --below} the smallest step listed. Folders that are not ready come with the reason,
 * newest first, a few at most.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"v", "newest", "readyTotal", "more", "ready", "notReady"})
public class ScanReport {
  public static final int CURRENT_VERSION = 1;
  /** Most not-ready folders a report lists. */
  public static final int MAX_NOT_READY = 10;

  private Integer v = CURRENT_VERSION;
  /** The highest ready step in the scanned range, listed or not; null when none is ready. */
  private Long newest;
  /** How many ready checkpoints the range holds, listed or not. */
  private Integer readyTotal = 0;
  /** True when ready checkpoints were left out to fit: page on below the smallest listed step. */
  private Boolean more = false;
  private List<ReadyCheckpoint> ready = new ArrayList<>();
  private List<PendingCheckpoint> notReady = new ArrayList<>();

  public Integer getV() { return v; }
  public void setV(Integer v) { this.v = v; }
  public Long getNewest() { return newest; }
  public void setNewest(Long newest) { this.newest = newest; }
  public Integer getReadyTotal() { return readyTotal; }
  public void setReadyTotal(Integer readyTotal) { this.readyTotal = readyTotal; }
  public Boolean getMore() { return more; }
  public void setMore(Boolean more) { this.more = more; }
  public List<ReadyCheckpoint> getReady() { return ready; }
  public void setReady(List<ReadyCheckpoint> ready) { this.ready = ready; }
  public List<PendingCheckpoint> getNotReady() { return notReady; }
  public void setNotReady(List<PendingCheckpoint> notReady) { this.notReady = notReady; }

  public boolean hasMore() { return Boolean.TRUE.equals(more); }
}
