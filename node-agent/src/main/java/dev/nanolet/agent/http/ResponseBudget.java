package dev.nanolet.agent.http;

import org.springframework.stereotype.Component;

/**
 * The node-wide budget of response bytes that guests' outputs hold at once
 * ({@link HttpProperties#responseBudget()}). A response is held whole until the guest has finished
 * and then until it is written to a client that may read slowly, so without it 32 requests of
 * output floods (each allowed the per-response cap) ran a node with a 512 MiB heap out of memory.
 * Each output's first {@link GuestOutput#UNCOUNTED} bytes are its own (at most one output per guest
 * thread holds them); beyond that it reserves as it grows, and what does not fit ends the output
 * ({@link GuestOutput#refused()}: 503). The reservation is given back once the response has been
 * written, or when the output is dropped.
 */
@Component
class ResponseBudget extends ByteBudget {

    ResponseBudget(HttpProperties props) {
        super(props.responseBudget().toBytes());
    }
}
