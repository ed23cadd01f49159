package dev.mmo.vs.transport;

import java.util.Locale;

/** The VS's two HTTP ports, as the guards' metrics and logs name them. */
enum Port {
  MAIN,
  MANAGEMENT;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
