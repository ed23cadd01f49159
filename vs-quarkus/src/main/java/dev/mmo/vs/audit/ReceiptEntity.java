package dev.mmo.vs.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** A notarized receipt with the digest it notarized (table {@code receipts}). */
@Entity
@Table(name = "receipts")
@IdClass(ReceiptEntity.Key.class)
public class ReceiptEntity extends PanacheEntityBase {
  @Id
  @Column(name = "session_id")
  public byte[] sessionId;

  @Id
  @Column(name = "gs_counter")
  public long gsCounter;

  @Column(name = "receipt_tip", nullable = false)
  public byte[] receiptTip;

  @Column(name = "digest_hash", nullable = false)
  public byte[] digestHash;

  @Column(name = "notarized_at", nullable = false)
  public Instant notarizedAt;

  /** The attested ProtectedReceipt frame, as released. */
  @Column(name = "receipt", nullable = false)
  public byte[] receipt;

  /** The signed TranscriptDigest frame that made the claim. */
  @Column(name = "digest", nullable = false)
  public byte[] digest;

  @Column(name = "recorded_at", nullable = false)
  public Instant recordedAt;

  /** The composite primary key. */
  public static final class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    public byte[] sessionId;
    public long gsCounter;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && gsCounter == k.gsCounter
          && Arrays.equals(sessionId, k.sessionId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(sessionId), gsCounter);
    }
  }
}
