package dev.mmo.vs.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmo.protocol.crypto.Ed25519PublicKey;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.wire.GsId;
import dev.mmo.vs.admin.AdminFixtures;
import dev.mmo.vs.admin.AuditTrail;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EnrollmentService.find as the join path calls it: from Vert.x event loops, never blocking, with
 * the state the admin API wrote.
 */
@QuarkusTest
class EnrollmentServiceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Inject EnrollmentService enrollments;
  @Inject AuditTrail auditTrail;
  @Inject Vertx vertx;

  private String sw1;
  private String sw2;
  private String key;

  @BeforeEach
  void oneGameServer() {
    auditTrail.clear();
    sw1 = AdminFixtures.newSwHash();
    sw2 = AdminFixtures.newSwHash();
    key = AdminFixtures.enroll("gs-1", sw1, sw2);
  }

  /** What a callback saw: the result and whether it ran on a Vert.x event loop. */
  private record Seen<T>(T result, boolean onEventLoop, Context context) {}

  /** Subscribes on the event loop of a Vert.x timer: a root context, not a duplicated one. */
  private <T> Seen<T> fromTimer(Supplier<Uni<T>> call) throws Exception {
    CompletableFuture<Seen<T>> seen = new CompletableFuture<>();
    vertx.setTimer(
        1,
        id ->
            call.get()
                .subscribe()
                .with(
                    r ->
                        seen.complete(
                            new Seen<>(r, Context.isOnEventLoopThread(), Vertx.currentContext())),
                    seen::completeExceptionally));
    return seen.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void find_fromAVertxTimer_returnsTheEnrollmentOnTheEventLoop() throws Exception {
    Seen<Optional<Enrollment>> seen = fromTimer(() -> enrollments.find(new GsId("gs-1")));

    assertThat(seen.onEventLoop()).isTrue();
    assertThat(seen.result())
        .contains(
            new Enrollment(
                new GsId("gs-1"),
                Ed25519PublicKey.fromHex(key),
                false,
                Set.of(Hash.fromHex(sw1), Hash.fromHex(sw2))));
  }

  /** The way websockets-next calls: on a duplicated context flagged safe, which is kept. */
  @Test
  void find_fromASafeDuplicatedContext_completesOnThatContext() throws Exception {
    Context connection = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(connection, true);
    CompletableFuture<Seen<Optional<Enrollment>>> seen = new CompletableFuture<>();

    connection.runOnContext(
        ignored ->
            enrollments
                .find(new GsId("gs-1"))
                .subscribe()
                .with(
                    r ->
                        seen.complete(
                            new Seen<>(r, Context.isOnEventLoopThread(), Vertx.currentContext())),
                    seen::completeExceptionally));

    Seen<Optional<Enrollment>> result = seen.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.result()).isPresent();
    assertThat(result.onEventLoop()).isTrue();
    assertThat(result.context()).isSameAs(connection);
  }

  /** Many joins at once on one event loop: each lookup gets its own session, none interferes. */
  @Test
  void find_manyConcurrentCallsFromOneEventLoop_allComplete() throws Exception {
    AdminFixtures.enroll("gs-2");
    Seen<List<Optional<Enrollment>>> seen =
        fromTimer(
            () ->
                Uni.join()
                    .all(
                        IntStream.range(0, 40)
                            .mapToObj(i -> enrollments.find(new GsId(i % 2 == 0 ? "gs-1" : "gs-2")))
                            .toList())
                    .andFailFast());

    assertThat(seen.result()).hasSize(40).allMatch(Optional::isPresent);
    assertThat(seen.result().get(0).orElseThrow().allowedSoftware()).hasSize(2);
    assertThat(seen.result().get(1).orElseThrow().allowedSoftware()).isEmpty();
  }

  @Test
  void find_fromAPlainThread_works() {
    Optional<Enrollment> found = enrollments.find(new GsId("gs-1")).await().atMost(TIMEOUT);

    assertThat(found).isPresent();
  }

  @Test
  void find_unknownId_returnsEmpty() throws Exception {
    assertThat(fromTimer(() -> enrollments.find(new GsId("gs-nobody"))).result()).isEmpty();
  }

  @Test
  void find_revokedGameServer_returnsItAsRevoked() throws Exception {
    AdminFixtures.revoke("gs-1");

    Optional<Enrollment> found = fromTimer(() -> enrollments.find(new GsId("gs-1"))).result();

    assertThat(found).isPresent();
    assertThat(found.orElseThrow().revoked()).isTrue();
    assertThat(found.orElseThrow().publicKey()).isEqualTo(Ed25519PublicKey.fromHex(key));
  }
}
