package dev.mmo.gs.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmo.gs.GsMain;
import dev.mmo.protocol.crypto.Hash;
import dev.mmo.protocol.crypto.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwHashTest {
  @TempDir Path dir;

  @Test
  void jar_isTheSha256OfItsBytes() throws Exception {
    byte[] content = "PK pretend jar".getBytes(StandardCharsets.UTF_8);
    Path jar = Files.write(dir.resolve("gs.jar"), content);

    assertThat(SwHash.of(jar)).isEqualTo(Sha256.hash(content));
  }

  @Test
  void directory_matchesTheStatedCanonicalForm() throws Exception {
    Path root = dir.resolve("classes");
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("b/x.class"), "xx");
    Files.writeString(root.resolve("a.class"), "a");

    // u32 path length || path || u64 content length || content, files in path order.
    byte[] expected =
        concat(
            new byte[] {0, 0, 0, 7},
            "a.class".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 0, 0, 0, 0, 0, 0, 1},
            "a".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 0, 0, 9},
            "b/x.class".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 0, 0, 0, 0, 0, 0, 2},
            "xx".getBytes(StandardCharsets.UTF_8));
    assertThat(SwHash.of(root)).isEqualTo(Sha256.hash(expected));
  }

  @Test
  void directory_stableAndSensitiveToOneChangedByteOrName() throws Exception {
    Path root = dir.resolve("classes");
    Files.createDirectories(root.resolve("dev/mmo"));
    Path file = root.resolve("dev/mmo/Game.class");
    Files.write(file, new byte[] {1, 2, 3, 4});
    Files.write(root.resolve("dev/Other.class"), new byte[] {5});

    Hash first = SwHash.of(root);
    assertThat(SwHash.of(root)).isEqualTo(first);

    Files.write(file, new byte[] {1, 2, 3, 5});
    Hash changedByte = SwHash.of(root);
    assertThat(changedByte).isNotEqualTo(first);

    Files.write(file, new byte[] {1, 2, 3, 4});
    assertThat(SwHash.of(root)).isEqualTo(first);
    Files.move(file, root.resolve("dev/mmo/Gamf.class"));
    assertThat(SwHash.of(root)).isNotEqualTo(first);
  }

  @Test
  void jar_sensitiveToOneChangedByte() throws Exception {
    Path jar = Files.write(dir.resolve("gs.jar"), new byte[] {9, 9, 9});
    Hash before = SwHash.of(jar);
    Files.write(jar, new byte[] {9, 9, 8});
    assertThat(SwHash.of(jar)).isNotEqualTo(before);
  }

  @Test
  void directory_withASymlink_refused() throws Exception {
    Path root = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(dir.resolve("outside"), "x");
    Files.createSymbolicLink(root.resolve("link.class"), dir.resolve("outside"));

    assertThatThrownBy(() -> SwHash.of(root)).isInstanceOf(IOException.class);
  }

  @Test
  void ofCodeOf_theGsClasses_isStable() throws Exception {
    Hash once = SwHash.ofCodeOf(GsMain.class);
    assertThat(SwHash.ofCodeOf(GsMain.class)).isEqualTo(once);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
