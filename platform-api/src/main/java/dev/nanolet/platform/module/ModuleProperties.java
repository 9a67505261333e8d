package dev.nanolet.platform.module;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code nanolet.modules.max-size}: the largest module an upload may carry (default 64 MiB). */
@ConfigurationProperties("nanolet.modules")
record ModuleProperties(@DefaultValue("64MB") DataSize maxSize) {}
