package dev.mmo.vs.enrollment;

import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** One software hash a game server may report at join (table {@code allowed_software}). */
@Entity
@Table(name = "allowed_software")
@IdClass(AllowedSoftwareEntity.Key.class)
public class AllowedSoftwareEntity extends PanacheEntityBase {
  @Id
  @Column(name = "gs_id")
  public String gsId;

  @Id
  @Column(name = "sw_hash")
  public byte[] swHash;

  @Column(name = "added_at", nullable = false)
  public Instant addedAt;

  public static AllowedSoftwareEntity of(GsId gsId, Hash swHash, Instant at) {
    AllowedSoftwareEntity sw = new AllowedSoftwareEntity();
    sw.gsId = gsId.value();
    sw.swHash = swHash.toByteArray();
    // PostgreSQL keeps microseconds: truncate so the entity reads the same before and after a save.
    sw.addedAt = at.truncatedTo(ChronoUnit.MICROS);
    return sw;
  }

  public Hash hash() {
    return Hash.of(swHash);
  }

  /** The allow-list of one game server, oldest first. */
  public static Uni<List<AllowedSoftwareEntity>> listFor(GsId gsId) {
    return list("gsId = ?1 order by addedAt, swHash", gsId.value());
  }

  /** The allow-lists of several game servers at once (one query for a page of them). */
  public static Uni<List<AllowedSoftwareEntity>> listFor(Collection<String> gsIds) {
    return gsIds.isEmpty()
        ? Uni.createFrom().item(List.of())
        : list("gsId in ?1 order by gsId, addedAt, swHash", gsIds);
  }

  public static Uni<AllowedSoftwareEntity> findByKey(GsId gsId, Hash swHash) {
    return findById(new Key(gsId.value(), swHash.toByteArray()));
  }

  public static Uni<Long> countFor(GsId gsId) {
    return count("gsId", gsId.value());
  }

  /** The composite primary key (gs_id, sw_hash); compares the hash by content. */
  public static final class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    public String gsId;
    public byte[] swHash;

    public Key() {}

    public Key(String gsId, byte[] swHash) {
      this.gsId = gsId;
      this.swHash = swHash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && Objects.equals(gsId, other.gsId)
          && Arrays.equals(swHash, other.swHash);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hashCode(gsId) + Arrays.hashCode(swHash);
    }
  }
}
