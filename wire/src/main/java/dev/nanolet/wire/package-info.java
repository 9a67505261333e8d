/**
 * Wire records of Nanolet's public REST API ({@code /api/v1}) and of the node protocol.
 *
 * <p>These records are what platform-api serialises, what node agents and admin-ui
 * deserialise, and nothing else: they carry no framework annotations and no behaviour
 * beyond validation of invariants in compact constructors. Absent collections become
 * empty, never {@code null}.
 */
package dev.nanolet.wire;
