package dev.mmo.gs.config;

/** A configuration that cannot be used; the message names the key and the source. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
