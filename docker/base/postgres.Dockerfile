# nanolet/postgres:17 — PostgreSQL 17 on the local Debian trixie root (scripts/base-images.sh),
# configured the way the official `postgres` image is, so it can stand in for `postgres:17`
# (docker-compose.yml, Testcontainers' PostgreSQLContainer via asCompatibleSubstituteFor("postgres")):
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB / POSTGRES_INITDB_ARGS / POSTGRES_HOST_AUTH_METHOD,
# port 5432, data in the volume /var/lib/postgresql/data (PGDATA), init scripts in
# /docker-entrypoint-initdb.d, extra server options as arguments (`postgres -c fsync=off`).
FROM nanolet/debian:trixie
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-17 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 3777 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/17/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
