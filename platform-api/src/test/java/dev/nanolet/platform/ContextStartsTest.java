package dev.nanolet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;

@PlatformApiTest
class ContextStartsTest {
    @Autowired
    JdbcTemplate jdbc;

    /** The schema is at the newest migration db-migrations ships (whichever number that is). */
    @Test
    void migratesTheSchemaOnStart() throws IOException {
        int newest = Arrays.stream(new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*.sql"))
                .map(r -> Objects.requireNonNull(r.getFilename()))
                .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                .max().orElseThrow();
        assertThat(newest).isGreaterThanOrEqualTo(10);
        assertThat(jdbc.queryForObject("select max(version::int) from flyway_schema_history", Integer.class)).isEqualTo(newest);
    }
}
