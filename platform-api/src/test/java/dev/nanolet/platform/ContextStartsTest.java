package dev.nanolet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@PlatformApiTest
class ContextStartsTest {
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void migratesTheSchemaOnStart() {
        assertThat(jdbc.queryForObject("select max(version) from flyway_schema_history", String.class)).isEqualTo("4");
    }
}
