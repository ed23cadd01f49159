package dev.mmo.gs.identity;

import static java.util.Objects.requireNonNull;

import dev.mmo.protocol.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The GS's long-term Ed25519 key as a PKCS#8 PEM file (RFC 5958 and RFC 8410).
 *
 * <p>The only accepted encoding is the one {@code openssl genpkey -algorithm ed25519} writes and
 * {@link #write} writes: a version-1 PrivateKeyInfo with the Ed25519 algorithm identifier (no
 * parameters), the 32-byte seed, no attributes and no public key. That is 48 DER bytes: a fixed
 * 16-byte prefix, then the seed. Anything else is refused, so there is one way to read a key file.
 *
 * <p>A key file that the group or others may read, write or execute is refused (as ssh does): the
 * long-term key is the GS's identity at the VS.
 */
public final class KeyFile {
  /** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }. */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private static final int DER_LENGTH = PKCS8_PREFIX.length + Ed25519KeyPair.SEED_LENGTH;
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  /** A PEM file of one 48-byte key is well under this; a larger file is not a key file. */
  private static final long MAX_FILE_BYTES = 4096;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /** Reads and checks the key file at {@code path}, which only its owner may access. */
  public static Ed25519KeyPair read(Path path) throws IOException, InvalidKeyFileException {
    return read(path, false);
  }

  /**
   * Reads and checks the key file at {@code path}. With {@code groupReadable}, the file's group may
   * also read it (never write or execute; others nothing): what a Kubernetes Secret volume gives a
   * pod with an {@code fsGroup}, where the kubelet adds group read to every file.
   */
  public static Ed25519KeyPair read(Path path, boolean groupReadable)
      throws IOException, InvalidKeyFileException {
    requireNonNull(path, "path");
    checkPermissions(path, groupReadable);
    if (Files.size(path) > MAX_FILE_BYTES) {
      throw new InvalidKeyFileException(path + ": larger than a key file can be");
    }
    return decodePem(Files.readString(path, StandardCharsets.US_ASCII));
  }

  /**
   * Writes {@code key} to a new file at {@code path} with permissions 0600. An existing file is
   * never overwritten.
   */
  public static void write(Path path, Ed25519KeyPair key) throws IOException {
    requireNonNull(path, "path");
    byte[] pem = encodePem(key).getBytes(StandardCharsets.US_ASCII);
    PosixFileAttributeView posix =
        Files.getFileAttributeView(path.toAbsolutePath().getParent(), PosixFileAttributeView.class);
    if (posix == null) {
      throw new IOException(path + ": the file system has no POSIX permissions to protect the key");
    }
    Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.WRITE)) {
      out.write(pem);
    }
    // The umask may have narrowed the requested mode; it can only have removed bits.
    Files.setPosixFilePermissions(path, OWNER_ONLY);
  }

  /** The PEM text of {@code key}. */
  public static String encodePem(Ed25519KeyPair key) {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, DER_LENGTH);
    byte[] seed = key.seed();
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
    Arrays.fill(seed, (byte) 0);
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    Arrays.fill(der, (byte) 0);
    return BEGIN + "\n" + body + "\n" + END + "\n";
  }

  /** Parses PEM text that {@link #encodePem} could have written (line ends LF or CRLF). */
  public static Ed25519KeyPair decodePem(String pem) throws InvalidKeyFileException {
    String[] lines = pem.replace("\r\n", "\n").split("\n", -1);
    int last = lines.length - 1;
    // One trailing newline is allowed, nothing else after the END line.
    if (last >= 0 && lines[last].isEmpty()) {
      last--;
    }
    if (last < 2 || !lines[0].equals(BEGIN) || !lines[last].equals(END)) {
      throw new InvalidKeyFileException(
          "not a PEM private key: expected " + BEGIN + " ... " + END + " and nothing else");
    }
    StringBuilder base64 = new StringBuilder();
    for (int i = 1; i < last; i++) {
      base64.append(lines[i]);
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyFileException("the PEM body is not base64");
    }
    try {
      if (der.length != DER_LENGTH) {
        throw new InvalidKeyFileException(
            "not a PKCS#8 Ed25519 key: "
                + der.length
                + " DER bytes where exactly "
                + DER_LENGTH
                + " are expected (no attributes, no public key)");
      }
      if (!Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
        throw new InvalidKeyFileException(
            "not a PKCS#8 Ed25519 key: another algorithm or another encoding");
      }
      byte[] seed = Arrays.copyOfRange(der, PKCS8_PREFIX.length, DER_LENGTH);
      try {
        return Ed25519KeyPair.fromSeed(seed);
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static void checkPermissions(Path path, boolean groupReadable)
      throws IOException, InvalidKeyFileException {
    PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (posix == null) {
      throw new InvalidKeyFileException(
          path + ": the file system has no POSIX permissions; the key's protection is unknown");
    }
    Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
    for (PosixFilePermission p : permissions) {
      boolean allowed =
          p.name().startsWith("OWNER_") || (groupReadable && p == PosixFilePermission.GROUP_READ);
      if (!allowed) {
        throw new InvalidKeyFileException(
            path
                + ": permissions "
                + PosixFilePermissions.toString(permissions)
                + " let others in; chmod 600 it");
      }
    }
  }
}
