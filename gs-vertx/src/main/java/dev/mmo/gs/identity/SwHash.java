package dev.mmo.gs.identity;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Hash;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The GS's sw_hash: SHA-256 over its own code as shipped.
 *
 * <p>For a jar (how the GS ships) it is the SHA-256 of the jar file's bytes, the same value {@code
 * sha256sum gs-vertx.jar} prints. For a directory of classes (tests, an IDE) it is a canonical hash
 * of the tree: SHA-256 over, for every regular file in ascending order of its relative path
 * ('/'-separated, compared as UTF-8 bytes), {@code u32 path length || path (UTF-8) || u64 content
 * length || content}. A directory holding anything but directories and regular files is refused.
 *
 * <p>The GS reports this value itself: it proves consistency, not integrity (docs/security.md).
 */
public final class SwHash {
  private SwHash() {}

  /** Measures the code that {@code anchor} was loaded from. */
  public static Hash ofCodeOf(Class<?> anchor) throws IOException {
    CodeSource source = anchor.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IOException("the code source of " + anchor.getName() + " is unknown");
    }
    try {
      return of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("the code source " + source.getLocation() + " is not a file", e);
    }
  }

  /** The hash of a jar file, or the canonical hash of a directory of classes. */
  public static Hash of(Path code) throws IOException {
    requireNonNull(code, "code");
    if (Files.isRegularFile(code)) {
      MessageDigest digest = sha256();
      try (InputStream in = Files.newInputStream(code)) {
        update(digest, in);
      }
      return Hash.of(digest.digest());
    }
    if (Files.isDirectory(code)) {
      return ofDirectory(code);
    }
    throw new IOException(code + " is neither a file nor a directory");
  }

  private static Hash ofDirectory(Path root) throws IOException {
    List<byte[]> names = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(p + " is neither a directory nor a regular file");
        }
        files.add(p);
      }
    }
    Integer[] order = new Integer[files.size()];
    for (int i = 0; i < files.size(); i++) {
      order[i] = i;
      names.add(relativeName(root, files.get(i)));
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(names.get(a), names.get(b)));
    MessageDigest digest = sha256();
    for (int i : order) {
      byte[] name = names.get(i);
      Path file = files.get(i);
      digest.update(ByteBuffer.allocate(4).putInt(name.length).array());
      digest.update(name);
      digest.update(ByteBuffer.allocate(8).putLong(Files.size(file)).array());
      try (InputStream in = Files.newInputStream(file)) {
        update(digest, in);
      }
    }
    return Hash.of(digest.digest());
  }

  private static byte[] relativeName(Path root, Path file) {
    StringBuilder name = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(part);
    }
    return name.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void update(MessageDigest digest, InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) > 0) {
      digest.update(buffer, 0, n);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
