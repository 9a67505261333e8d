package dev.nanolet.testsupport;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * An application's own PostgreSQL database that a test can take away and bring back, as a database
 * container next to a Wasm module would go away: the locally built {@code nanolet/postgres:17}
 * (scripts/base-images.sh) under Testcontainers when a Docker engine answers and the image is there
 * (stopped and started with Docker, its host port kept), else a fresh database of {@link TestPostgres}
 * behind a {@link TcpProxy} that refuses connections while "stopped".
 */
public final class AppDatabase implements AutoCloseable {

    public static final String IMAGE = System.getenv().getOrDefault("NANOLET_POSTGRES_IMAGE", "nanolet/postgres:17");

    private final PostgreSQLContainer container;
    private final TcpProxy gate;
    private final String url;
    private final String user;
    private final String password;

    private AppDatabase(PostgreSQLContainer container, TcpProxy gate, String url, String user, String password) {
        this.container = container;
        this.gate = gate;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** A container when Docker can run one, else a database on the shared test server behind a gate. */
    public static AppDatabase start() {
        return containerPossible() ? inContainer() : behindGate();
    }

    /** Whether this database runs in a container (else behind a gate on the shared server). */
    public boolean containerized() {
        return container != null;
    }

    /** The secret values a binding needs: {@code url}, {@code user}, {@code password}. */
    public Map<String, String> secretValues() {
        return Map.of("url", url, "user", user, "password", password);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Takes the database away: the container stops (connections drop, new ones are refused). */
    public void stop() {
        inContainerOrGate(docker -> docker.stopContainerCmd(container.getContainerId()).withTimeout(5).exec(), () -> gate.cut());
    }

    /** Brings it back on the same address; it accepts connections a moment later. */
    public void resume() {
        inContainerOrGate(docker -> docker.startContainerCmd(container.getContainerId()).exec(), () -> gate.restore());
    }

    /**
     * Freezes the database in place: nothing answers and no connection is closed or refused (the
     * container is paused; behind a gate, the gate holds every byte), as a database stuck on its disk
     * or behind a link that drops packets. {@link #thaw} lets it go on.
     */
    public void freeze() {
        inContainerOrGate(this::pause, () -> gate.stall());
    }

    /**
     * Pauses the container, trying again while Docker answers 500: with cgroup v1 the freezer gives up ("unable to freeze")
     * when the database's processes do not all stop in time, as happened twice to node-agent's BindingsDataPlaneTest at a
     * load of 20-30 on two cores, and runc then leaves the container running. A try that paused it despite its error is not
     * repeated (a second pause would be a 409).
     */
    private void pause(DockerClient docker) {
        String id = container.getContainerId();
        await("docker pause of the app database").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .ignoreException(InternalServerErrorException.class)
                .until(() -> Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getPaused())
                        || pauseOnce(docker, id));
    }

    private static boolean pauseOnce(DockerClient docker, String id) {
        docker.pauseContainerCmd(id).exec();
        return true;
    }

    /** Lets a {@link #freeze frozen} database go on where it stopped. */
    public void thaw() {
        inContainerOrGate(docker -> docker.unpauseContainerCmd(container.getContainerId()).exec(), () -> gate.restore());
    }

    /** Runs {@code inContainer} with Docker's client when the database is a container, else {@code atGate}. */
    private void inContainerOrGate(Consumer<DockerClient> inContainer, Runnable atGate) {
        if (container != null) {
            inContainer.accept(DockerClientFactory.instance().client());
        } else {
            atGate.run();
        }
    }

    @Override
    public void close() {
        if (container != null) {
            container.close();
        } else {
            gate.close();
        }
    }

    private static boolean containerPossible() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return false;
            }
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
            return true;
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    private static AppDatabase inContainer() {
        int port = freePort();
        var image = DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres");
        @SuppressWarnings("resource")
        PostgreSQLContainer db = new PostgreSQLContainer(image)
                .withDatabaseName("app").withUsername("app").withPassword("app-secret")
                .withImagePullPolicy(name -> false) // built locally, never pulled
                // a fixed host port: a stopped and started container is reached at the same address
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(5432))));
        db.start();
        return new AppDatabase(db, null, "jdbc:postgresql://127.0.0.1:" + port + "/app", "app", "app-secret");
    }

    private static AppDatabase behindGate() {
        TestPostgres.Database d = TestPostgres.newDatabase();
        String rest = d.url().substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String[] hostPort = rest.substring(0, slash).split(":");
        TcpProxy gate = new TcpProxy(hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 5432); // the shared server is on loopback
        return new AppDatabase(null, gate, "jdbc:postgresql://127.0.0.1:" + gate.port() + rest.substring(slash), d.user(), d.password());
    }

    private static int freePort() {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
