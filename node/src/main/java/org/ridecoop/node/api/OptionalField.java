package org.ridecoop.node.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a request record that may be absent. Without it {@link StrictJson} requires
 * every field and refuses {@code null} for it; an optional field may be absent or {@code null}
 * (both read as {@code null}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface OptionalField {}
