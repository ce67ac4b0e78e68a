package org.ridecoop.node.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a request record that may be absent. Without it {@link StrictJson} requires
 * every field; an absent optional field is {@code null}. An explicit {@code null} is refused either way.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface OptionalField {}
