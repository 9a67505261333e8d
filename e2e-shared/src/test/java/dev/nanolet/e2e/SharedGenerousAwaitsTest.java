package dev.nanolet.e2e;

/** This module's awaits that name no bound are generous too: e2e's junit-platform.properties comes with its test jar. */
class SharedGenerousAwaitsTest extends GenerousAwaitsTest {}
