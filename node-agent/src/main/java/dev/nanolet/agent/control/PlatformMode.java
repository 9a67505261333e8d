package dev.nanolet.agent.control;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** Beans of the platform-api adapter: present unless {@code nanolet.control-plane} names another control plane. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ConditionalOnProperty(name = "nanolet.control-plane", havingValue = "platform", matchIfMissing = true)
@interface PlatformMode {}
