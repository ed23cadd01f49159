package dev.mmo.vs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Settings that would give up a guarantee of the audit pipeline stop the VS at start-up. */
class AuditConfigCheckTest {
  private record Settings(
      Optional<Boolean> confirms,
      Optional<Boolean> autoAck,
      Optional<String> failureStrategy,
      Optional<Integer> prefetch,
      int batchSize,
      Duration confirmTimeout,
      int group,
      Duration linger) {
    Settings() {
      this(
          Optional.of(true),
          Optional.empty(),
          Optional.of("reject"),
          Optional.of(64),
          8,
          SECOND,
          64,
          Duration.ofMillis(2));
    }

    Settings(
        Optional<Boolean> confirms,
        Optional<Boolean> autoAck,
        Optional<String> failureStrategy,
        Optional<Integer> prefetch,
        int batchSize,
        Duration confirmTimeout) {
      this(
          confirms,
          autoAck,
          failureStrategy,
          prefetch,
          batchSize,
          confirmTimeout,
          64,
          Duration.ofMillis(2));
    }

    Settings grouping(int group, Duration linger) {
      return new Settings(
          confirms, autoAck, failureStrategy, prefetch, batchSize, confirmTimeout, group, linger);
    }

    void check() {
      new AuditConfigCheck(
          AuditSettings.defaults()
              .withBatchSize(batchSize)
              .withConfirmTimeout(confirmTimeout)
              .withGroups(group, linger),
          confirms,
          autoAck,
          failureStrategy,
          prefetch);
    }
  }

  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void check_shippedShape_starts() {
    assertThatCode(() -> new Settings().check()).doesNotThrowAnyException();
    assertThatCode(() -> new Settings().grouping(1, Duration.ofMillis(2)).check())
        .doesNotThrowAnyException();
  }

  @Test
  void check_unsafeSettings_eachRefused() {
    Settings ok = new Settings();
    Map<String, Settings> unsafe = new LinkedHashMap<>();
    unsafe.put(
        "no confirms",
        new Settings(
            Optional.of(false), ok.autoAck(), ok.failureStrategy(), ok.prefetch(), 8, SECOND));
    unsafe.put(
        "confirms unset",
        new Settings(
            Optional.empty(), ok.autoAck(), ok.failureStrategy(), ok.prefetch(), 8, SECOND));
    unsafe.put(
        "auto-ack",
        new Settings(
            ok.confirms(), Optional.of(true), ok.failureStrategy(), ok.prefetch(), 8, SECOND));
    unsafe.put(
        "requeue",
        new Settings(
            ok.confirms(), ok.autoAck(), Optional.of("requeue"), ok.prefetch(), 8, SECOND));
    unsafe.put(
        "no prefetch",
        new Settings(
            ok.confirms(), ok.autoAck(), ok.failureStrategy(), Optional.empty(), 8, SECOND));
    unsafe.put(
        "empty batches",
        new Settings(ok.confirms(), ok.autoAck(), ok.failureStrategy(), ok.prefetch(), 0, SECOND));
    unsafe.put(
        "no confirm wait",
        new Settings(
            ok.confirms(), ok.autoAck(), ok.failureStrategy(), ok.prefetch(), 8, Duration.ZERO));
    unsafe.put("no receipts per message", ok.grouping(0, Duration.ofMillis(2)));
    unsafe.put("no linger", ok.grouping(64, Duration.ZERO));
    unsafe.put("linger as long as the confirm wait", ok.grouping(64, SECOND));

    List<String> started = new ArrayList<>();
    for (Map.Entry<String, Settings> settings : unsafe.entrySet()) {
      try {
        settings.getValue().check();
        started.add(settings.getKey());
      } catch (IllegalStateException expected) {
        // refused, as it should be
      }
    }
    assertThat(started).isEmpty();
  }
}
