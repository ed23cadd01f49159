package dev.mmo.vs.hsm;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.EcdsaP256;
import dev.mmo.protocol.crypto.EcdsaP256PublicKey;
import dev.mmo.protocol.crypto.EcdsaP256Signature;
import dev.mmo.protocol.crypto.Signer;
import dev.mmo.protocol.crypto.SigningException;
import dev.mmo.vs.config.VsConfig;
import dev.mmo.vs.hsm.TokenModule.Token;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jboss.logging.Logger;

/**
 * The VS root key on the PKCS#11 token, through SunPKCS11 and the standard {@code PKCS11} KeyStore.
 * The private key never leaves the token: this class only holds a handle to it.
 *
 * <p>Token calls block, so they run on a small dedicated pool ({@code mmo.vs.hsm.sign-threads}):
 * use {@link #signAsync} or {@link #withKey}. The blocking {@link Signer} methods refuse to run on
 * an event loop. Every signature is converted to the canonical low-S form and verified with the
 * certified public key before it is returned.
 *
 * <p>Failures are not sticky. A failed login or signature drops the login, and the next use logs in
 * again through a fresh provider, which re-reads the SunPKCS11 configuration and gets fresh key
 * handles (the old ones die with a logout). A fresh login cannot help when the PKCS#11 library
 * itself is stuck (SoftHSM after one failed look at its token directory, e.g. with no descriptor
 * left): from the second failure in a row on, every login first re-initializes the library ({@link
 * TokenModule}), while no signature is in progress. While nothing signs, a probe signs a fixed
 * message every {@code mmo.vs.hsm.probe-interval}, so {@link #status()}, and readiness with it,
 * follows the token both down and back up. Nothing here runs at start-up that could fail: the VS
 * starts with its token unusable and becomes ready when the token is.
 *
 * <p>Only the sign threads (and callers of the blocking {@link #sign}) log in. {@link
 * #lastKnownPublicKey()} and {@link #publicKey()} only read the key the last successful login
 * found, so a request for the public key never touches the token: while the token is down, nobody
 * but the probe retries the PIN.
 */
@ApplicationScoped
public class HsmSigner implements Signer {
  private static final Logger LOG = Logger.getLogger(HsmSigner.class);

  /**
   * What the probe signs. No protocol message starts with this label, so a probe signature can
   * never pass for a batch-head signature.
   */
  private static final byte[] PROBE_MESSAGE =
      "mmo/vs/hsm-probe\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * Tasks that may wait for a sign thread. The batch signer keeps one batch in flight and the probe
   * one probe, so only misuse can fill this; then callers fail fast instead of queueing.
   */
  private static final int QUEUE_PER_THREAD = 16;

  /** Failures in a row after which a fresh login alone is no longer trusted to help. */
  private static final int REINITIALIZE_AFTER = 2;

  /** A token that hangs in a signature must not hang the probe (and readiness) with it. */
  private static final long REINITIALIZE_WAIT_SECONDS = 10;

  private final VsConfig.Hsm config;
  private final Vertx vertx;
  private final ThreadPoolExecutor pool;
  private final AtomicReference<Token> token = new AtomicReference<>();
  private final TokenModule module;

  /** Signatures share the library; re-initializing it needs it to itself. */
  private final ReentrantReadWriteLock libraryUse = new ReentrantReadWriteLock();

  private final AtomicInteger failuresInARow = new AtomicInteger();

  /** The public key the last successful login found; kept while the token is down. */
  private volatile EcdsaP256PublicKey lastKnownKey;

  private final Object loginLock = new Object();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final Timer signLatency;
  private final Counter loginFailures;
  private final Counter signFailures;
  private final Counter badSignatures;
  private final Counter rejected;
  private final Counter reinitializations;
  private volatile Status status = new Status(false, "not probed yet");
  private volatile long lastAttemptNanos = System.nanoTime();
  private volatile long probeTimer = -1;

  public HsmSigner(VsConfig config, MeterRegistry registry, Vertx vertx) {
    this.config = requireNonNull(config, "config").hsm();
    this.vertx = requireNonNull(vertx, "vertx");
    this.module = new TokenModule(this.config.config().toAbsolutePath());
    int threads = this.config.signThreads();
    if (threads < 1) {
      throw new IllegalArgumentException("mmo.vs.hsm.sign-threads must be at least 1");
    }
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD),
            new SignThreadFactory());
    this.signLatency =
        Timer.builder("mmo.vs.hsm.sign")
            .description("Time the token takes to make one signature")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.loginFailures = failures(registry, "login");
    this.signFailures = failures(registry, "sign");
    this.badSignatures = failures(registry, "verify");
    this.rejected = failures(registry, "queue-full");
    this.reinitializations =
        Counter.builder("mmo.vs.hsm.reinitializations")
            .description("Times the PKCS#11 library was finalized and initialized again")
            .register(registry);
    Gauge.builder("mmo.vs.hsm.up", this, signer -> signer.status.up() ? 1 : 0)
        .description("1 while the last token operation succeeded")
        .register(registry);
  }

  private static Counter failures(MeterRegistry registry, String stage) {
    return Counter.builder("mmo.vs.hsm.failures")
        .description("Token operations that failed, by stage")
        .tag("stage", stage)
        .register(registry);
  }

  /** Whether the token signed on its last use, and why not when it did not. */
  public record Status(boolean up, String detail) {}

  /** Work done with the key on an HSM thread; it may call the key's blocking methods. */
  @FunctionalInterface
  public interface KeyWork<T> {
    T apply(Signer key) throws SigningException;
  }

  void start(@Observes StartupEvent event) {
    if (!TokenModule.reinitializable()) {
      LOG.warnf(
          "The JVM runs without --add-opens %s=ALL-UNNAMED: a PKCS#11 library left stuck by a"
              + " fault (e.g. no descriptor left) will only recover with a restart",
          TokenModule.ADD_OPENS);
    }
    long intervalMs = Math.max(1, config.probeInterval().toMillis());
    probeTimer = vertx.setPeriodic(intervalMs, id -> onProbeTick(intervalMs));
    probe();
  }

  @PreDestroy
  void stop() {
    vertx.cancelTimer(probeTimer);
    pool.shutdown();
  }

  public Status status() {
    return status;
  }

  /**
   * Runs {@code work} on an HSM thread with a key bound to one login, so the public key it reports
   * is the one that signs. The Uni fails with {@link SigningException} when the token cannot be
   * used or the work queue is full; with whatever else {@code work} throws, as is.
   */
  public <T> Uni<T> withKey(KeyWork<T> work) {
    requireNonNull(work, "work");
    return Uni.createFrom()
        .emitter(
            emitter -> {
              try {
                pool.execute(
                    () -> {
                      try {
                        emitter.complete(work.apply(new LoggedInKey(token())));
                      } catch (SigningException | RuntimeException e) {
                        emitter.fail(e);
                      }
                    });
              } catch (RejectedExecutionException e) {
                rejected.increment();
                emitter.fail(
                    new SigningException(
                        pool.isShutdown()
                            ? "the HSM signer is shut down"
                            : "the HSM work queue is full",
                        e));
              }
            });
  }

  /** Signs {@code message} on an HSM thread; see {@link #sign}. */
  public Uni<EcdsaP256Signature> signAsync(byte[] message) {
    byte[] copy = message.clone();
    return withKey(key -> key.sign(copy));
  }

  /**
   * The public key the last successful login to the token found, also while the token is down;
   * empty until the first login succeeds. Never touches the token, so it is safe on any thread.
   */
  public Optional<EcdsaP256PublicKey> lastKnownPublicKey() {
    return Optional.ofNullable(lastKnownKey);
  }

  /**
   * As {@link #lastKnownPublicKey()}; never logs in.
   *
   * @throws IllegalStateException when no login has succeeded yet
   */
  @Override
  public EcdsaP256PublicKey publicKey() {
    return lastKnownPublicKey()
        .orElseThrow(() -> new IllegalStateException("the HSM token was never logged in to"));
  }

  /** Signs on the calling thread. Blocking; never on an event loop: prefer {@link #signAsync}. */
  @Override
  public EcdsaP256Signature sign(byte[] message) throws SigningException {
    refuseEventLoop();
    return sign(token(), message);
  }

  /** Every signature is verified under the token's public key before it is returned. */
  @Override
  public boolean verifiesItsSignatures() {
    return true;
  }

  private EcdsaP256Signature sign(Token t, byte[] message) throws SigningException {
    lastAttemptNanos = System.nanoTime();
    EcdsaP256Signature signature;
    long start = System.nanoTime();
    Exception failure = null;
    libraryUse.readLock().lock();
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA", t.provider());
      signer.initSign(t.key());
      signer.update(message);
      signature = EcdsaP256Signature.fromDer(signer.sign());
    } catch (GeneralSecurityException | RuntimeException e) {
      // SunPKCS11 reports a logged-out or vanished token as a ProviderException.
      signature = null;
      failure = e;
    } finally {
      libraryUse.readLock().unlock();
    }
    if (failure != null) {
      throw failed(t, signFailures, "the HSM could not sign", failure);
    }
    signLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    if (!EcdsaP256.verify(t.publicKey(), message, signature)) {
      throw failed(t, badSignatures, "the HSM returned a signature that does not verify", null);
    }
    markUp();
    return signature;
  }

  private SigningException failed(Token t, Counter counter, String message, Exception cause) {
    // Only this login is dropped and given back: a newer one made meanwhile by another thread
    // stays, and the lock keeps a logout from landing after the next login.
    synchronized (loginLock) {
      if (token.compareAndSet(t, null)) {
        module.release(t);
      }
    }
    failuresInARow.incrementAndGet();
    counter.increment();
    String detail = cause == null ? message : message + ": " + cause;
    markDown(detail);
    return new SigningException(message, cause);
  }

  private Token token() throws SigningException {
    Token current = token.get();
    if (current != null) {
      return current;
    }
    synchronized (loginLock) {
      current = token.get();
      if (current == null) {
        lastAttemptNanos = System.nanoTime();
        try {
          if (failuresInARow.get() >= REINITIALIZE_AFTER) {
            reinitializeLibrary();
          }
          current = module.login(config.keyAlias(), config.pin().toCharArray());
        } catch (SigningException e) {
          failuresInARow.incrementAndGet();
          loginFailures.increment();
          markDown(e.getMessage());
          throw e;
        }
        token.set(current);
        lastKnownKey = current.publicKey();
      }
      return current;
    }
  }

  /** Waits for signatures in progress: finalizing under them would pull the token away mid-call. */
  private void reinitializeLibrary() throws SigningException {
    try {
      if (!libraryUse.writeLock().tryLock(REINITIALIZE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new SigningException("a signature in progress keeps the PKCS#11 library busy");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SigningException("interrupted while waiting for the PKCS#11 library", e);
    }
    try {
      reinitializations.increment();
      module.reinitialize();
      LOG.debugf("PKCS#11 library re-initialized after %d failures in a row", failuresInARow.get());
    } finally {
      libraryUse.writeLock().unlock();
    }
  }

  private void onProbeTick(long intervalMs) {
    boolean idle =
        System.nanoTime() - lastAttemptNanos >= TimeUnit.MILLISECONDS.toNanos(intervalMs);
    // While down, every tick is a re-login attempt, so readiness returns within one interval.
    if (idle || !status.up()) {
      probe();
    }
  }

  private void probe() {
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    withKey(key -> key.sign(PROBE_MESSAGE))
        .subscribe()
        .with(
            signature -> probing.set(false),
            failure -> {
              probing.set(false);
              LOG.debugf("HSM probe failed: %s", failure.getMessage());
            });
  }

  private void markUp() {
    if (!status.up()) {
      LOG.infof("HSM token usable: signing with key %s", currentKeyIdHex());
    }
    failuresInARow.set(0);
    status = new Status(true, "signing");
  }

  private void markDown(String detail) {
    Status previous = status;
    // Once per outage and cause, not once per failed attempt.
    if (previous.up() || !previous.detail().equals(detail)) {
      LOG.warnf("HSM token unusable, the VS issues nothing until it returns: %s", detail);
    }
    status = new Status(false, detail);
  }

  private String currentKeyIdHex() {
    Token current = token.get();
    return current == null ? "?" : current.publicKey().keyId().hex();
  }

  private static void refuseEventLoop() throws SigningException {
    if (Context.isOnEventLoopThread()) {
      throw new SigningException("blocking HSM call on an event loop thread refused");
    }
  }

  /** The key as one login sees it: its public key stays the one that signs. */
  private final class LoggedInKey implements Signer {
    private final Token token;

    LoggedInKey(Token token) {
      this.token = token;
    }

    @Override
    public EcdsaP256PublicKey publicKey() {
      return token.publicKey();
    }

    @Override
    public EcdsaP256Signature sign(byte[] message) throws SigningException {
      return HsmSigner.this.sign(token, message);
    }

    /** {@link HsmSigner#sign(Token, byte[])} verifies every signature before it returns it. */
    @Override
    public boolean verifiesItsSignatures() {
      return true;
    }
  }

  /** Names the HSM threads, so a thread dump shows who waits on the token. */
  private static final class SignThreadFactory implements ThreadFactory {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "mmo-hsm-sign-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
