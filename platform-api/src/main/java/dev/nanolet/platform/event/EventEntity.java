package dev.nanolet.platform.event;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code events}, read only here: {@link Events} writes them. */
@Entity
@Table(name = "events")
public class EventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Instant time;
    private String type;
    private String reason;
    private String message;
    private String object;
    private String namespace;
    private String deployment;

    @Column(name = "node_name")
    private String nodeName;

    private int count;

    @Column(name = "first_time")
    private Instant firstTime;

    protected EventEntity() {}


    public Long getId() { return id; }
    public Instant getTime() { return time; }
    public String getType() { return type; }
    public String getReason() { return reason; }
    public String getMessage() { return message; }
    public String getObject() { return object; }
    public String getNamespace() { return namespace; }
    public int getCount() { return count; }
}
