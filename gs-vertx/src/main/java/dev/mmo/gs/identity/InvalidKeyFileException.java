package dev.mmo.gs.identity;

/** A key file that is not exactly what {@link KeyFile} writes, or that others can read. */
public final class InvalidKeyFileException extends Exception {
  public InvalidKeyFileException(String message) {
    super(message);
  }
}
