package dev.nanolet.platform;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the tests that speak the API as admin and as nodes share: {@link #api} on this test's platform-api (opened
 * before each test, before a subclass's own {@code @BeforeEach}), its mapper and its database. A subclass is a
 * {@link PlatformApiTest}.
 */
public abstract class TestApiBase {
    @LocalServerPort
    protected int port;
    @Autowired
    protected JsonMapper json;
    @Autowired
    protected JdbcClient jdbc;
    protected TestApi api;

    @BeforeEach
    void openApi() {
        api = new TestApi(port, json);
    }
}
