package dev.mmo.deploy;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks objects against the Kubernetes 1.32 API schemas, offline. The schemas are the model
 * classes the Kubernetes Java client generates from the API's OpenAPI document: each class's {@code
 * validateJsonElement} rejects unknown fields, missing required fields and values of the wrong
 * shape, all the way down; binding the object to its class then rejects wrong scalar types. Like
 * {@code kubectl --validate=strict}, an unknown field is an error, not a warning.
 */
final class Schemas {
  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
          Map.entry("apps/v1/DaemonSet", V1DaemonSet.class),
          Map.entry("batch/v1/Job", V1Job.class),
          Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class));

  /** Binds objects to the model classes; time stamps and bytes as the API writes them. */
  private static final Gson GSON =
      new GsonBuilder()
          .registerTypeAdapter(
              OffsetDateTime.class,
              (JsonDeserializer<OffsetDateTime>)
                  (json, type, context) -> OffsetDateTime.parse(json.getAsString()))
          .registerTypeAdapter(
              byte[].class,
              (JsonDeserializer<byte[]>)
                  (json, type, context) -> Base64.getDecoder().decode(json.getAsString()))
          .create();

  private Schemas() {}

  /** Every schema violation of {@code manifest}; empty when it is valid. */
  static List<String> violations(Manifest manifest) {
    List<String> out = new ArrayList<>();
    String type = manifest.apiVersion() + "/" + manifest.kind();
    Class<?> model = TYPES.get(type);
    if (model == null) {
      out.add(manifest.id() + ": no schema for " + type + " (an API this project does not use)");
      return out;
    }
    JsonElement json = toJson(manifest.tree());
    try {
      Method validate = model.getMethod("validateJsonElement", JsonElement.class);
      validate.invoke(null, json);
    } catch (InvocationTargetException e) {
      out.add(manifest.id() + ": " + e.getCause().getMessage());
      return out;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model + " has no validator", e);
    }
    try {
      GSON.fromJson(json, model);
    } catch (JsonParseException | IllegalArgumentException | DateTimeException e) {
      out.add(manifest.id() + ": " + e.getMessage());
    }
    for (String field : List.of("labels", "annotations")) {
      for (Map.Entry<String, Object> e :
          Tree.mapOrEmpty(Tree.at(manifest.tree(), "metadata", field)).entrySet()) {
        if (!(e.getValue() instanceof String)) {
          out.add(manifest.id() + ": metadata." + field + "." + e.getKey() + " is not a string");
        }
      }
    }
    return out;
  }

  static JsonElement toJson(Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof Map) {
      JsonObject object = new JsonObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        object.add(String.valueOf(e.getKey()), toJson(e.getValue()));
      }
      return object;
    }
    if (value instanceof List) {
      JsonArray array = new JsonArray();
      for (Object item : (List<?>) value) {
        array.add(toJson(item));
      }
      return array;
    }
    if (value instanceof Number) {
      return new JsonPrimitive((Number) value);
    }
    if (value instanceof Boolean) {
      return new JsonPrimitive((Boolean) value);
    }
    return new JsonPrimitive(String.valueOf(value));
  }
}
