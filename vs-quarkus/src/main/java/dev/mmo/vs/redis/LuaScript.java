package dev.mmo.vs.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One atomic Redis operation: a Lua script from {@code src/main/resources/lua/<name>.lua}, each
 * with a KEYS/ARGV header, run by its SHA-1 ({@code EVALSHA}) and sent in full only when the server
 * does not know it yet ({@code NOSCRIPT}, e.g. after a Redis restart). Each script has one typed
 * Java wrapper; nothing else calls this class directly.
 */
public final class LuaScript {
  private static final String USES = "-- uses: ";

  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  /**
   * The script {@code lua/<name>.lua} from the classpath. A line {@code -- uses: lib/<lib>} puts
   * {@code lua/lib/<lib>.lua} in front of it: Redis runs every script on its own, so helpers shared
   * by several scripts are joined to each of them here, not copied into their files.
   */
  public static LuaScript load(String name) {
    String source = read("/lua/" + name + ".lua");
    StringBuilder full = new StringBuilder();
    for (String line : source.split("\n", -1)) {
      if (line.startsWith(USES)) {
        String lib = line.substring(USES.length()).trim().split("\\s+")[0];
        if (!lib.matches("lib/[a-z0-9_]+")) {
          throw new IllegalStateException("Lua script " + name + ": bad library " + lib);
        }
        full.append(read("/lua/" + lib + ".lua")).append('\n');
      }
    }
    return new LuaScript(name, full.append(source).toString());
  }

  private static String read(String path) {
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no Lua script " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  /** Runs the script with {@code keys} as KEYS and {@code args} as ARGV. */
  public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
    return redis
        .execute(Command.EVALSHA, arguments(sha1, keys, args))
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(() -> redis.execute(Command.EVAL, arguments(source, keys, args)));
  }

  private static String[] arguments(String scriptOrSha, List<String> keys, List<String> args) {
    List<String> all = new ArrayList<>(2 + keys.size() + args.size());
    all.add(scriptOrSha);
    all.add(Integer.toString(keys.size()));
    all.addAll(keys);
    all.addAll(args);
    return all.toArray(new String[0]);
  }

  private static boolean isNoScript(Throwable t) {
    return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1Hex(String source) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-1", e);
    }
  }
}
