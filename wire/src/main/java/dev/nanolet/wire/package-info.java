/**
 * Wire records of Nanolet's public REST API ({@code /api/v1}) and of the node protocol.
 *
 * <p>These records are what platform-api serialises, what node agents and admin-ui
 * deserialise, and nothing else: they carry no framework annotations and no behaviour
 * beyond validation of invariants in compact constructors. Absent collections become
 * empty, never {@code null}.
 *
 * <p>Beside them, a few framework-free helpers that more than one service must compute alike: route
 * paths ({@link dev.nanolet.wire.RoutePath}), reserved CGI variables ({@link dev.nanolet.wire.CgiVariables}),
 * wait timeouts ({@link dev.nanolet.wire.WaitTimeout}), address prefixes ({@link dev.nanolet.wire.AddressPrefix}),
 * IP literals ({@link dev.nanolet.wire.IpLiteral}), CIDR networks from a setting ({@link dev.nanolet.wire.Cidr}),
 * whole numbers in ASCII digits ({@link dev.nanolet.wire.Digits}) and the refusal of a setting at start, by name
 * ({@link dev.nanolet.wire.Setting}).
 */
package dev.nanolet.wire;
