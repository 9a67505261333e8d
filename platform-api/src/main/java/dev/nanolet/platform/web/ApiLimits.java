package dev.nanolet.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a request may send ({@code nanolet.api.*}).
 *
 * @param maxBodySize the largest request body (JSON) on every endpoint but module upload, which has
 *     {@code nanolet.modules.max-size}; larger bodies get 413 (env {@code NANOLET_API_MAX_BODY_SIZE})
 */
@ConfigurationProperties("nanolet.api")
public record ApiLimits(@DefaultValue("1MB") DataSize maxBodySize) {}
