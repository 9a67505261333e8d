#!/bin/bash
# nanolet-healthcheck PORT [PATH]: succeeds when GET http://127.0.0.1:PORT/PATH answers 200.
# Plain bash (/dev/tcp), so an image needs no curl or wget for its HEALTHCHECK.
exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${2:-/actuator/health}" >&3
read -r -t 5 _ status _ <&3 || exit 1
[ "$status" = 200 ]
