package dev.mmo.vs.batch;

import dev.mmo.protocol.bytes.Bytes;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.KeyId;
import dev.mmo.protocol.wire.BatchHead;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;

/**
 * One row of {@code batch_heads}: a head the HSM signed, as the audit trail keeps it. The table's
 * primary key on {@code batch_seq} is the last line of defence against a fork: no two heads can
 * ever be recorded for one position of the chain.
 */
@Entity
@Table(name = "batch_heads")
public class BatchHeadEntity extends PanacheEntityBase {
  @Id
  @Column(name = "batch_seq")
  public long batchSeq;

  @Column(name = "key_id", nullable = false)
  public byte[] keyId;

  @Column(name = "prev_head_hash", nullable = false)
  public byte[] prevHeadHash;

  @Column(name = "time_ms", nullable = false)
  public long timeMs;

  @Column(name = "tree_size", nullable = false)
  public long treeSize;

  @Column(name = "root", nullable = false)
  public byte[] root;

  @Column(name = "signature", nullable = false)
  public byte[] signature;

  @Column(name = "head_hash", nullable = false)
  public byte[] headHash;

  @Column(name = "recorded_at", nullable = false)
  public Instant recordedAt;

  static BatchHeadEntity of(SignedHead signed, Instant recordedAt) {
    BatchHead head = signed.head();
    BatchHeadEntity row = new BatchHeadEntity();
    row.batchSeq = head.batchSeq();
    row.keyId = head.keyId().bytes().toByteArray();
    row.prevHeadHash = head.prevBatchHeadHash().toByteArray();
    row.timeMs = head.timeMs();
    row.treeSize = head.treeSize();
    row.root = head.root().toByteArray();
    row.signature = signed.signature().bytes().toByteArray();
    row.headHash = signed.hash().toByteArray();
    row.recordedAt = recordedAt;
    return row;
  }

  /**
   * The signed head this row records.
   *
   * @throws IllegalStateException when the row's stored head hash is not the hash of its fields
   */
  SignedHead toSignedHead() {
    SignedHead signed;
    try {
      signed =
          new SignedHead(
              new BatchHead(
                  new KeyId(Bytes.copyOf(keyId)),
                  batchSeq,
                  Hash.of(prevHeadHash),
                  timeMs,
                  treeSize,
                  Hash.of(root)),
              EcdsaP256Signature.of(signature));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("batch_heads row " + batchSeq + " is malformed", e);
    }
    if (!Arrays.equals(signed.hash().toByteArray(), headHash)) {
      throw new IllegalStateException("batch_heads row " + batchSeq + " contradicts its head hash");
    }
    return signed;
  }
}
